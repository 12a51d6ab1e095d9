"""End to end against the loopback Discord: course → groups (/groups form + confirm) → /poll create in a
group channel → /meetup schedule: one spec-valid voice channel create call (type 2, overwrites inside,
in the group's category) and one spec-valid guild scheduled event, announced with an .ics file."""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from tests.e2e import answered_within, cohort, db_env, form_groups, ready, setup_course
from tests.loopback.fixtures import bot_process, loopback_discord  # noqa: F401

# The bot runs as a process on the real clock: slots are dated 2 to 4 days ahead, so that none is ever
# too close to leave time to vote, whatever the day and hour the test runs.
TIMES = ("20:30", "20:30", "10:00")


async def test_poll_then_meetup_schedule_is_spec_valid(loopback_discord, tmp_path):  # noqa: F811
    today = datetime.now(ZoneInfo("Europe/Paris")).date()
    days = [today + timedelta(days=n) for n in (2, 3, 4)]
    server = loopback_discord
    world = cohort(server, learners=6)
    gid, learners = world.gid, world.learners

    async with bot_process(server, env=db_env(tmp_path)):
        await ready(server)
        await setup_course(server, world)
        await form_groups(server, world, "random")
        text = next(r for r in server.find_requests("POST", "/guilds/*/channels") if r.json.get("type") == 0)
        group_channel = next(
            c for c in server.state.channels.values() if c.get("name") == text.json["name"] and c["type"] == 0
        )
        member = next(
            u for u in learners if u["id"] in {str(o["id"]) for o in text.json["permission_overwrites"]}
        )
        await asyncio.sleep(0.5)

        slots = ", ".join(f"{d:%d/%m} {t}" for d, t in zip(days, TIMES, strict=True))
        poll = await server.send_slash(
            gid,
            group_channel["id"],
            member["id"],
            "poll create",
            {"title": "Révisions", "slots": slots, "repeat": True},
        )
        body, _ = await answered_within(server, poll, 5)
        assert "Sondage publié" in body["data"]["content"], body
        posted = next(
            r for r in server.find_requests("POST", "/channels/*/messages") if "poll:norepeat:" in str(r.json)
        )
        assert posted.status in (200, 201) and "🔁" in posted.json["embeds"][0]["description"]

        before = len(server.find_requests("POST", "/guilds/*/channels"))
        schedule = await server.send_slash(
            gid,
            group_channel["id"],
            member["id"],
            "meetup schedule",
            {"when": f"{days[1]:%d/%m} 20h30", "length": 90},
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
