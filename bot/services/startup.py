"""Start-up guard: a crash loop must back off before logging in again.

Discord resets a bot's token after about 1 000 logins in 24 hours, so a bot that
keeps crashing and being restarted by a supervisor waits longer each time.
"""

from __future__ import annotations

from datetime import datetime, timedelta

WINDOW = timedelta(minutes=10)
FREE_STARTS = 5
MAX_DELAY = 600.0


def recent_starts(history: list[datetime], now: datetime) -> list[datetime]:
    return [t for t in history if now - t < WINDOW]


def login_delay(history: list[datetime], now: datetime) -> float:
    """Seconds to wait before logging in, given the start times seen recently."""
    n = len(recent_starts(history, now))
    if n < FREE_STARTS:
        return 0.0
    return min(MAX_DELAY, 10.0 * 2 ** (n - FREE_STARTS))


def encode(history: list[datetime]) -> str:
    return ",".join(t.isoformat() for t in history)


def decode(text: str | None) -> list[datetime]:
    if not text:
        return []
    out = []
    for part in text.split(","):
        try:
            out.append(datetime.fromisoformat(part))
        except ValueError:
            continue
    return out
