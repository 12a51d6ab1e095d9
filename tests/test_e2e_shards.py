"""End to end, sharded: `python -m bot` with SHARD_COUNT / SHARD_IDS against the loopback Discord,
which sends each guild's events to the shard Discord would ((guild_id >> 22) % shard count) and
anything else to shard 0. Two processes on one database each serve the guilds of their shard; one
process can also run every shard."""

from __future__ import annotations

import asyncio
import sys
import time
from datetime import timedelta

from sqlmodel import select

from bot.clock import SystemClock
from bot.services.actions import ActionQueue
from storage.db import make_engine, make_session_factory
from storage.models import Action, Course
from tests.e2e import answered_within, cohort, db_env, form_groups, ready, setup_course
from tests.loopback.fixtures import bot_process, loopback_discord  # noqa: F401

LEFT = "a quitté le serveur"


def guilds_sent(server) -> dict[tuple[int, int], list[str]]:
    """For each gateway session, by its shard: the guilds it was given (GUILD_CREATE)."""
    return {
        session.shard: [p["d"]["id"] for p in session.sent if p["t"] == "GUILD_CREATE"]
        for session in server.sessions.values()
    }


def digests(server, world, nonces: set[str]) -> list:
    """The weekly digests posted in the world's staff channel for these actions (by their nonce)."""
    return [
        r
        for r in server.find_requests("POST", f"/channels/{world.staff['id']}/messages")
        if (r.json or {}).get("nonce") in nonces
        and r.json["embeds"][0]["title"].startswith("Bilan de la semaine")
    ]


def step(what: str) -> None:
    """Mark the step in the captured output, among the two processes' logs: a failure on a loaded
    machine then shows where it stopped."""
    print(f"{time.strftime('%H:%M:%S')} [test] {what}", file=sys.stderr, flush=True)


async def departure_rows(env) -> list[tuple]:
    engine = make_engine(env["DATABASE_URL"])
    async with make_session_factory(engine)() as s:
        rows = (await s.exec(select(Action).where(Action.kind == "departure"))).all()
    await engine.dispose()
    return [(a.guild_id, a.status, a.attempts, a.claimed_by, a.last_error) for a in rows]


async def test_two_processes_each_serve_the_guilds_of_their_shard(loopback_discord, tmp_path):  # noqa: F811
    server = loopback_discord
    worlds = [cohort(server, learners=6, shard=(k, 2)) for k in (0, 1)]
    env = db_env(tmp_path)
    config = tmp_path / "config.toml"
    config.write_text("[scheduler]\ntick_seconds = 1\n", encoding="utf-8")
    args = ("--config", str(config))
    async with bot_process(server, *args, env={**env, "SHARD_COUNT": "2", "SHARD_IDS": "0"}):
        await ready(server)
        async with bot_process(server, *args, env={**env, "SHARD_COUNT": "2", "SHARD_IDS": "1"}):
            await server.wait_for(lambda kind, data: kind == "IDENTIFY" and data.get("shard") == [1, 2], 20)
            await asyncio.sleep(2.5)  # discord.py's guild_ready_timeout
            assert sorted(tuple(i["shard"]) for i in server.identifies) == [(0, 2), (1, 2)]
            assert guilds_sent(server) == {(0, 2): [worlds[0].gid], (1, 2): [worlds[1].gid]}

            for k, world in enumerate(worlds):  # each guild's commands reach only the process holding it
                step(f"/course setup in guild {k}")
                body = await setup_course(server, world)
                assert body["type"] == 4 and "créé" in body["data"]["content"]
                step(f"/groups form in guild {k}")
                await form_groups(server, world, "alphabetical")
            step("a learner leaves each guild")

            # a learner leaves each guild at the same moment: each process claims its own guild's
            # departure, and each staff channel gets one notice
            for world in worlds:
                await server.dispatch(
                    "GUILD_MEMBER_REMOVE", {"guild_id": world.gid, "user": world.learners[0]}
                )
            for world in worlds:
                try:
                    await server.wait_for(
                        lambda kind, data, world=world: (
                            kind == "request"
                            and data.method == "POST"
                            and data.path == f"/channels/{world.staff['id']}/messages"
                            and LEFT in ((data.json or {}).get("content") or "")
                        ),
                        20,  # two processes on one SQLite file may each wait out a lock (5 s)
                    )
                except TimeoutError:  # say what the staff channel got instead, and the actions' state
                    posted = server.find_requests("POST", f"/channels/{world.staff['id']}/messages")
                    shown = [(r.status, (r.json or {}).get("content")) for r in posted]
                    missing = (
                        f"no departure notice in {world.gid}; staff got: {shown}; "
                        f"departures: {await departure_rows(env)}"
                    )
                    step(missing)
                    raise AssertionError(missing) from None

            # due work on the next tick of both processes (every second): a digest for each course,
            # named with its guild as the bot writes them, and one more each without a guild, as
            # rows written before actions named their guild. Whoever ticks first must not take
            # (and lose) the other guild's.
            step("digests scheduled")
            engine = make_engine(env["DATABASE_URL"])
            sessions = make_session_factory(engine)
            async with sessions() as s:
                courses = {c.guild_id: c.id for c in (await s.exec(select(Course))).all()}
            queue = ActionQueue(sessions, SystemClock())
            due = SystemClock().now() - timedelta(seconds=1)
            nonces: dict[str, set[str]] = {}
            for world in worlds:
                course, gid = {"course_id": courses[int(world.gid)]}, int(world.gid)
                await queue.schedule("digest", f"test:{gid}:named", due, course, guild_id=gid)
                await queue.schedule("digest", f"test:{gid}:legacy", due, course)
                nonces[world.gid] = {
                    (await queue.get("digest", f"test:{gid}:{k}")).nonce for k in ("named", "legacy")
                }
            await engine.dispose()
            for world in worlds:
                await server.wait_for(
                    lambda kind, data, world=world: len(digests(server, world, nonces[world.gid])) == 2, 15
                )
            await asyncio.sleep(1.5)
    for world in worlds:
        assert len(digests(server, world, nonces[world.gid])) == 2
        notices = [
            r
            for r in server.find_requests("POST", f"/channels/{world.staff['id']}/messages")
            if LEFT in ((r.json or {}).get("content") or "")
        ]
        assert len(notices) == 1
        assert f"<@{world.learners[0]['id']}>" in notices[0].json["content"]
    # every action the bot wrote names its guild (departures, the week's nudges and digests...)
    engine = make_engine(env["DATABASE_URL"])
    async with make_session_factory(engine)() as s:
        rows = (await s.exec(select(Action))).all()
    await engine.dispose()
    written = [(a.kind, a.guild_id) for a in rows if not a.key.startswith("test:")]
    assert {"departure", "nudge", "digest"} <= {kind for kind, _ in written}
    assert {guild for _, guild in written} == {int(w.gid) for w in worlds}
    server.assert_no_violations()


async def test_one_process_can_run_every_shard(loopback_discord, tmp_path):  # noqa: F811
    server = loopback_discord
    guilds = [server.add_guild(f"Cours {k}", shard=(k, 2)) for k in (0, 1)]
    channels = [server.add_channel(g["id"], "general") for g in guilds]
    user = server.add_user("lea")
    for g in guilds:
        server.add_member(g["id"], user["id"])
    async with bot_process(server, env={**db_env(tmp_path), "SHARD_COUNT": "2"}):
        await server.wait_for(lambda kind, data: kind == "IDENTIFY" and data.get("shard") == [1, 2], 20)
        await ready(server)
        assert guilds_sent(server) == {(0, 2): [guilds[0]["id"]], (1, 2): [guilds[1]["id"]]}
        for guild, channel in zip(guilds, channels, strict=True):
            asked = await server.send_slash(guild["id"], channel["id"], user["id"], "help", locale="fr")
            body, took = await answered_within(server, asked, 3)
            assert took < 3 and body["data"]["embeds"][0]["title"].startswith("Bienvenue")
    server.assert_no_violations()
