"""Test helpers for driving SimCord as a member with a given Discord locale."""

from __future__ import annotations

import contextlib
from typing import Any

import simcord.interactions as sim_interactions

_base_payload = sim_interactions.base_payload


@contextlib.contextmanager
def locale(user_locale: str, guild_locale: str | None = None):
    """Within this block, SimCord interactions carry these locales (SimCord sends en-US)."""

    def patched(*args: Any, **kwargs: Any):
        record, payload = _base_payload(*args, **kwargs)
        payload["locale"] = user_locale
        if "guild_locale" in payload:
            payload["guild_locale"] = guild_locale or user_locale
        return record, payload

    sim_interactions.base_payload = patched
    try:
        yield
    finally:
        sim_interactions.base_payload = _base_payload


def final_text(result) -> str:
    """What the user finally reads: the last follow-up, else the (possibly deferred) response."""
    if result.followups:
        return result.followups[-1].content
    return result.response.content
