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


async def school(env, learners: int):
    """A French guild with #general and #staff, a teacher (Manage Server + the teacher role) and
    `learners` members with the learner role. Returns
    (env, guild, general, staff, teacher_role, learner_role, teacher, learners)."""
    import discord

    guild = env.create_guild(name="Licence Psycho", preferred_locale="fr")
    general = guild.create_text_channel("general")
    staff = guild.create_text_channel("staff")
    admin_role = guild.create_role("Admin", permissions=discord.Permissions(manage_guild=True))
    teacher_role = guild.create_role("Profs")
    learner_role = guild.create_role("Apprenants L1")
    teacher = guild.add_member(env.create_user("prof"), roles=[admin_role, teacher_role])
    members = [
        guild.add_member(env.create_user(f"learner{i:02d}"), roles=[learner_role]) for i in range(learners)
    ]
    await env.settle()
    return env, guild, general, staff, teacher_role, learner_role, teacher, members
