"""End to end: `python -m bot` as a process against the loopback Discord, whose REST side
checks every request against Discord's OpenAPI spec (the fixture fails on any violation)."""

from __future__ import annotations

import asyncio
import time

import discord

from tests.loopback.fixtures import bot_process, loopback_discord  # noqa: F401


def db_env(tmp_path) -> dict[str, str]:
    return {"DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path}/e2e.db", "DISCORD_TOKEN": "loopback-token"}


async def answered_within(server, interaction, seconds: float) -> tuple[dict, float]:
    start = time.monotonic()
    body = await server.wait_interaction_response(interaction, timeout=seconds)
    return body, time.monotonic() - start


async def ready(server, wait: float = 10.0) -> None:
    """discord.py is ready once it has the guild and its members."""
    await server.wait_for_request("PUT", "/applications/*/commands", wait)
    await asyncio.sleep(2.5)  # discord.py waits guild_ready_timeout (2 s) for more guilds before on_ready


async def test_help_end_to_end_in_french_and_english(loopback_discord, tmp_path):  # noqa: F811
    server = loopback_discord
    guild = server.add_guild("Licence", preferred_locale="fr")
    channel = server.add_channel(guild["id"], "general")
    user = server.add_user("lea")
    server.add_member(guild["id"], user["id"])
    async with bot_process(server, env=db_env(tmp_path)):
        identify = server.identifies[0]
        assert identify["token"] == "loopback-token"
        intents = discord.Intents._from_value(identify["intents"])
        assert intents.guilds and intents.members and intents.message_content
        sync = await server.wait_for_request("PUT", "/applications/*/commands", 10)
        assert sync.status == 200 and sync.spec_template
        names = {c["name"] for c in sync.json}
        assert {"help", "course", "profile", "groups", "mygroup"} <= names
        await ready(server)

        fr = await server.send_slash(guild["id"], channel["id"], user["id"], "help", locale="fr")
        body, took = await answered_within(server, fr, 3)
        assert took < 3
        assert body["type"] == 4
        assert body["data"]["flags"] & 64  # ephemeral
        assert body["data"]["embeds"][0]["title"].startswith("Bienvenue")
        assert body["data"]["allowed_mentions"] == {"parse": []}

        en = await server.send_slash(guild["id"], channel["id"], user["id"], "help", locale="en-US")
        body, took = await answered_within(server, en, 3)
        assert took < 3
        assert body["data"]["embeds"][0]["title"].startswith("Welcome")

    # A restart with unchanged commands does not sync again.
    syncs = len(server.find_requests("PUT", "/applications/*/commands"))
    async with bot_process(server, env=db_env(tmp_path)):
        await server.wait_for(lambda kind, _: kind == "IDENTIFY" and len(server.identifies) == 2, 20)
        await asyncio.sleep(2.5)
        assert len(server.find_requests("PUT", "/applications/*/commands")) == syncs
        again = await server.send_slash(guild["id"], channel["id"], user["id"], "help", locale="fr")
        body, _ = await answered_within(server, again, 5)
        assert body["data"]["embeds"][0]["title"].startswith("Bienvenue")


async def test_group_channels_are_one_spec_valid_create_call_each(loopback_discord, tmp_path):  # noqa: F811
    server = loopback_discord
    guild = server.add_guild("Licence", preferred_locale="fr")
    gid = guild["id"]
    general = server.add_channel(gid, "general")
    staff = server.add_channel(gid, "staff")
    admin = server.add_role(gid, "Admin", permissions=discord.Permissions(manage_guild=True).value)
    teachers = server.add_role(gid, "Profs")
    learners_role = server.add_role(gid, "Apprenants")
    prof = server.add_user("prof")
    server.add_member(gid, prof["id"], roles=[admin["id"], teachers["id"]])
    learners = []
    for i in range(11):
        u = server.add_user(f"learner{i}")
        server.add_member(gid, u["id"], roles=[learners_role["id"]])
        learners.append(u)

    async with bot_process(server, env=db_env(tmp_path)):
        await ready(server)
        setup = await server.send_slash(
            gid, general["id"], prof["id"], "course setup",
            {"learner_role": learners_role["id"], "teacher_role": teachers["id"],
             "staff_channel": staff["id"], "timezone": "Europe/Paris", "start_date": "2026-09-07"},
        )
        body, _ = await answered_within(server, setup, 3)
        assert "créé" in body["data"]["content"]

        form = await server.send_slash(gid, general["id"], prof["id"], "groups form", {"strategy": "region"})
        body, _ = await answered_within(server, form, 3)
        buttons = [c for row in body["data"]["components"] for c in row["components"]]
        confirm = next(b["custom_id"] for b in buttons if b["custom_id"].startswith("groups:confirm:"))
        message = {
            "id": server.state.next_id(), "channel_id": general["id"], "guild_id": gid, "type": 20,
            "content": "", "embeds": body["data"]["embeds"], "components": body["data"]["components"],
            "flags": 64, "author": server.bot_user, "attachments": [], "mentions": [], "mention_roles": [],
            "pinned": False, "tts": False, "mention_everyone": False,
            "timestamp": "2026-09-07T10:00:00+00:00",
        }
        click = await server.send_interaction(
            3, {"custom_id": confirm, "component_type": 2},
            guild_id=gid, channel_id=general["id"], user_id=prof["id"], message=message,
        )
        body, took = await answered_within(server, click, 3)
        assert body["type"] == 5  # deferred: channel creation may take longer than 3 s
        done = await server.wait_for(lambda kind, data: kind == "interaction_followup", 15)
        assert done is not None

    creates = server.find_requests("POST", "/guilds/*/channels")
    texts = [r for r in creates if r.json.get("type") == 0]
    assert len(texts) == 2  # 11 learners, groups of 5–6
    for r in texts:
        assert r.spec_template == "/guilds/{guild_id}/channels" and r.status in (200, 201)
        overwrites = {str(o["id"]): o for o in r.json["permission_overwrites"]}
        assert overwrites[gid]["deny"] and int(overwrites[gid]["deny"]) & 1024
        members = [u for u in learners if u["id"] in overwrites]
        assert 5 <= len(members) <= 6
    assert not server.find_requests("PUT", "/channels/*/permissions/*")
