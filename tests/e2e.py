"""Helpers for the end-to-end tests: `python -m bot` against the loopback Discord."""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, field

import discord


def db_env(tmp_path) -> dict[str, str]:
    return {"DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path}/e2e.db", "DISCORD_TOKEN": "loopback-token"}


async def answered_within(server, interaction, seconds: float) -> tuple[dict, float]:
    start = time.monotonic()
    body = await server.wait_interaction_response(interaction, timeout=seconds)
    return body, time.monotonic() - start


async def ready(server, wait: float = 10.0) -> None:
    """The bot synced its commands and discord.py has the guild and its members."""
    await server.wait_for_request("PUT", "/applications/*/commands", wait)
    await asyncio.sleep(2.5)  # discord.py waits guild_ready_timeout (2 s) for more guilds before on_ready


@dataclass
class Cohort:
    """A guild with general and staff channels, a teacher (Manage Server + teacher role) and learners."""

    gid: str
    general: dict
    staff: dict
    teachers: dict
    learner_role: dict
    prof: dict
    learners: list[dict] = field(default_factory=list)


def cohort(server, learners: int, shard: tuple[int, int] | None = None, locale: str = "fr") -> Cohort:
    """`locale`: the server's Discord language (Discord's default is en-US)."""
    guild = server.add_guild("Licence", preferred_locale=locale, shard=shard)
    gid = guild["id"]
    admin = server.add_role(gid, "Admin", permissions=discord.Permissions(manage_guild=True).value)
    teachers = server.add_role(gid, "Profs")
    learner_role = server.add_role(gid, "Apprenants")
    prof = server.add_user("prof")
    server.add_member(gid, prof["id"], roles=[admin["id"], teachers["id"]])
    world = Cohort(
        gid,
        server.add_channel(gid, "general"),
        server.add_channel(gid, "staff"),
        teachers,
        learner_role,
        prof,
    )
    for i in range(learners):
        user = server.add_user(f"learner{i}")
        server.add_member(gid, user["id"], roles=[learner_role["id"]])
        world.learners.append(user)
    return world


async def setup_course(server, world: Cohort, locale: str = "fr", **options) -> dict:
    """/course setup by the teacher, whose Discord is in `locale`."""
    interaction = await server.send_slash(
        world.gid,
        world.general["id"],
        world.prof["id"],
        "course setup",
        {
            "learner_role": world.learner_role["id"],
            "teacher_role": world.teachers["id"],
            "staff_channel": world.staff["id"],
            "timezone": "Europe/Paris",
            "start_date": "2026-09-07",
            **options,
        },
        locale=locale,
    )
    body, _ = await answered_within(server, interaction, 3)
    return body


async def click_ephemeral(server, world: Cohort, body: dict, custom_id_prefix: str, user_id: str):
    """Click a button of an ephemeral interaction response (the loopback keeps no such message)."""
    buttons = [c for row in body["data"]["components"] for c in row["components"]]
    custom_id = next(b["custom_id"] for b in buttons if b["custom_id"].startswith(custom_id_prefix))
    message = {
        "id": server.state.next_id(),
        "channel_id": world.general["id"],
        "guild_id": world.gid,
        "type": 20,
        "content": "",
        "embeds": body["data"]["embeds"],
        "components": body["data"]["components"],
        "flags": 64,
        "author": server.bot_user,
        "attachments": [],
        "mentions": [],
        "mention_roles": [],
        "pinned": False,
        "tts": False,
        "mention_everyone": False,
        "timestamp": "2026-09-07T10:00:00+00:00",
    }
    return await server.send_interaction(
        3,
        {"custom_id": custom_id, "component_type": 2},
        guild_id=world.gid,
        channel_id=world.general["id"],
        user_id=user_id,
        message=message,
    )


async def form_groups(server, world: Cohort, strategy: str) -> dict:
    """/groups form, then Confirm; returns the confirm click's first response."""
    form = await server.send_slash(
        world.gid, world.general["id"], world.prof["id"], "groups form", {"strategy": strategy}
    )
    body, _ = await answered_within(server, form, 3)
    assert body["type"] == 5, body  # deferred: the preview follows once the groups are planned
    await server.wait_for(lambda kind, data: kind == "interaction_followup" and data is form, 15)
    preview = {"data": form.followups[0]}
    click = await click_ephemeral(server, world, preview, "groups:confirm:", world.prof["id"])
    body, _ = await answered_within(server, click, 3)
    await server.wait_for(lambda kind, data: kind == "interaction_followup" and data is click, 15)
    return body
