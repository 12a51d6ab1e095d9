"""At most one edit per message every `interval` seconds, the last state always shown.

A burst of votes asks for many edits of one poll message; Discord allows about five
edits per five seconds per channel. `Coalescer.request(key, edit)`:
- idle key: runs `edit()` now, then keeps the key "cooling" for `interval`;
- cooling key: only remembers that another edit is wanted (the latest `edit` wins);
- when the cooling ends and an edit is wanted, it runs once more (the trailing edit)
  and cools again. `edit()` renders from the database, so it shows every vote so far.

No clock read: the cooling is an `asyncio.sleep`, which SimCord runs on virtual time.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import Any

log = logging.getLogger(__name__)

Edit = Callable[[], Awaitable[Any]]


class Coalescer:
    def __init__(self, interval: float = 2.0, sleep: Callable[[float], Awaitable[Any]] | None = None):
        self.interval = interval
        self._sleep = sleep  # None: asyncio.sleep looked up at call time (SimCord virtualizes it)
        self._wanted: dict[Any, Edit] = {}
        self._tasks: dict[Any, asyncio.Task] = {}
        self.edits = 0

    def request(self, key: Any, edit: Edit) -> None:
        """Ask for an edit of `key`; never blocks."""
        self._wanted[key] = edit
        if key not in self._tasks:
            self._tasks[key] = asyncio.get_running_loop().create_task(self._run(key))

    async def _run(self, key: Any) -> None:
        try:
            while key in self._wanted:
                edit = self._wanted.pop(key)
                self.edits += 1
                try:
                    await edit()
                except Exception:  # a failed edit must not stop the trailing one
                    log.exception("coalesced edit of %r failed", key)
                await (self._sleep or asyncio.sleep)(self.interval)
        finally:
            self._tasks.pop(key, None)

    async def flush(self) -> None:
        """Wait until every pending edit ran (tests, shutdown)."""
        while self._tasks:
            await asyncio.gather(*list(self._tasks.values()), return_exceptions=True)

    def pending(self) -> int:
        return len(self._tasks)
