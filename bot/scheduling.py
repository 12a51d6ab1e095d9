"""The bot's one APScheduler. It only wakes us up: what is due lives in our tables.

APScheduler documents that a job store must never be shared between schedulers,
so jobs here are in-memory ticks; each tick asks the database for due rows and
claims them atomically before acting.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable

from apscheduler.schedulers.asyncio import AsyncIOScheduler

log = logging.getLogger(__name__)


def make_scheduler() -> AsyncIOScheduler:
    return AsyncIOScheduler(
        timezone="UTC",
        job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": None},
    )


def add_tick(
    scheduler: AsyncIOScheduler, name: str, func: Callable[[], Awaitable[None]], seconds: int
) -> None:
    """Run `func` every `seconds` (one at a time; missed runs coalesce into one)."""

    async def tick() -> None:
        try:
            await func()
        except Exception:  # a failing tick must not stop the next one
            log.exception("scheduled tick %s failed", name)

    scheduler.add_job(tick, "interval", seconds=seconds, id=name, name=name, replace_existing=True)
