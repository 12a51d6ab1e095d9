"""End to end against the loopback Discord: course → groups (/groups form + confirm) → /poll create in a
group channel → /meetup schedule: one spec-valid voice channel create call (type 2, overwrites inside,
in the group's category) and one spec-valid guild scheduled event, announced with an .ics file."""

from __future__ import annotations

import asyncio

import discord

from tests.loopback.fixtures import bot_process, loopback_discord  # noqa: F401
from tests.test_e2e import answered_within, db_env, ready


async def test_poll_then_meetup_schedule_is_spec_valid(loopback_discord, tmp_path):  # noqa: F811
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
    for i in range(6):
        u = server.add_user(f"learner{i}")
        server.add_member(gid, u["id"], roles=[learners_role["id"]])
        learners.append(u)

    async with bot_process(server, env=db_env(tmp_path)):
        await ready(server)
        setup = await server.send_slash(
            gid,
            general["id"],
            prof["id"],
            "course setup",
            {
                "learner_role": learners_role["id"],
                "teacher_role": teachers["id"],
                "staff_channel": staff["id"],
                "timezone": "Europe/Paris",
            },
        )
        await answered_within(server, setup, 3)
        form = await server.send_slash(gid, general["id"], prof["id"], "groups form", {"strategy": "random"})
        body, _ = await answered_within(server, form, 3)
        buttons = [c for row in body["data"]["components"] for c in row["components"]]
        confirm = next(b["custom_id"] for b in buttons if b["custom_id"].startswith("groups:confirm:"))
        message = {
            "id": server.state.next_id(),
            "channel_id": general["id"],
            "guild_id": gid,
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
        click = await server.send_interaction(
            3,
            {"custom_id": confirm, "component_type": 2},
            guild_id=gid,
            channel_id=general["id"],
            user_id=prof["id"],
            message=message,
        )
        await answered_within(server, click, 3)
        await server.wait_for(lambda kind, data: kind == "interaction_followup", 15)
        text = next(r for r in server.find_requests("POST", "/guilds/*/channels") if r.json.get("type") == 0)
        group_channel = next(
            c for c in server.state.channels.values() if c.get("name") == text.json["name"] and c["type"] == 0
        )
        member = next(
            u for u in learners if u["id"] in {str(o["id"]) for o in text.json["permission_overwrites"]}
        )
        await asyncio.sleep(0.5)

        poll = await server.send_slash(
            gid,
            group_channel["id"],
            member["id"],
            "poll create",
            {"title": "Révisions", "slots": "mer 20:30, jeu 20:30, sam 10:00"},
        )
        body, _ = await answered_within(server, poll, 5)
        assert "Sondage publié" in body["data"]["content"], body

        before = len(server.find_requests("POST", "/guilds/*/channels"))
        schedule = await server.send_slash(
            gid, group_channel["id"], member["id"], "meetup schedule", {"when": "jeu 20h30", "length": 90}
        )
        body, _ = await answered_within(server, schedule, 5)
        assert body["type"] == 5  # deferred: a channel, an event and an announcement follow
        await server.wait_for(
            lambda kind, data: (
                kind == "request"
                and data.method == "POST"
                and any(name.endswith(".ics") for name in data.files.values())
            ),
            15,
        )
        await asyncio.sleep(0.5)

    creates = server.find_requests("POST", "/guilds/*/channels")[before:]
    assert len(creates) == 1
    voice = creates[0]
    assert voice.json["type"] == 2 and voice.spec_template == "/guilds/{guild_id}/channels"
    assert voice.status in (200, 201)
    assert str(voice.json["parent_id"]) == group_channel.get("parent_id")
    overwrites = {str(o["id"]): o for o in voice.json["permission_overwrites"]}
    assert int(overwrites[gid]["deny"]) & 1024
    assert member["id"] in overwrites and int(overwrites[member["id"]]["allow"]) & (1 << 20)  # connect
    events = server.find_requests("POST", "/guilds/*/scheduled-events")
    assert len(events) == 1
    event = events[0]
    assert event.spec_template == "/guilds/{guild_id}/scheduled-events" and event.status in (200, 201)
    assert event.json["entity_type"] == 2 and event.json["privacy_level"] == 2
    assert str(event.json["channel_id"]) == voice_id(server, voice)
    announce = [
        r
        for r in server.find_requests("POST", "/channels/*/messages")
        if any(name.endswith(".ics") for name in r.files.values())
    ]
    assert len(announce) == 1
    assert not server.find_requests("PUT", "/channels/*/permissions/*")


def voice_id(server, request) -> str:
    return next(
        c["id"]
        for c in server.state.channels.values()
        if c.get("type") == 2 and c["name"] == request.json["name"]
    )
