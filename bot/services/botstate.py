"""Key/value facts about the bot itself, such as the last command-sync hash."""

from __future__ import annotations

from bot.clock import Clock
from storage.db import SessionFactory
from storage.models import BotState


class BotStateService:
    def __init__(self, sessions: SessionFactory, clock: Clock) -> None:
        self._sessions = sessions
        self._clock = clock

    async def get(self, key: str) -> str | None:
        async with self._sessions() as s:
            row = await s.get(BotState, key)
            return row.value if row else None

    async def set(self, key: str, value: str) -> None:
        async with self._sessions() as s, s.begin():
            row = await s.get(BotState, key)
            if row is None:
                s.add(BotState(key=key, value=value, updated_at=self._clock.now()))
            else:
                row.value = value
                row.updated_at = self._clock.now()
