"""The action queue: scheduled once, claimed by exactly one worker, retried, never lost."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from bot.services.actions import MAX_ATTEMPTS, ActionQueue, ActionRunner, Shards, Skip
from storage.db import make_engine, make_session_factory


async def test_schedule_is_idempotent(sessions, clock):
    q = ActionQueue(sessions, clock)
    assert await q.schedule("nudge", "group:1:2026-W37", clock.now())
    assert not await q.schedule("nudge", "group:1:2026-W37", clock.now() + timedelta(days=1))
    assert (await q.counts()) == {"pending": 1}


async def test_two_workers_never_claim_the_same_action(sessions, clock):
    q = ActionQueue(sessions, clock)
    for i in range(40):
        await q.schedule("alert", f"k{i}", clock.now() - timedelta(minutes=1))
    a, b = await asyncio.gather(q.claim_due("a", limit=40), q.claim_due("b", limit=40))
    ids_a, ids_b = {j.id for j in a}, {j.id for j in b}
    assert not ids_a & ids_b
    assert len(ids_a | ids_b) == 40


async def test_not_due_is_not_claimed_and_lease_expiry_hands_over(sessions, clock):
    q = ActionQueue(sessions, clock)
    await q.schedule("r", "later", clock.now() + timedelta(hours=1))
    await q.schedule("r", "now", clock.now())
    jobs = await q.claim_due("w1")
    assert [j.key for j in jobs] == ["now"]
    assert await q.claim_due("w2") == []  # still leased to w1
    clock.advance(minutes=6)  # w1 died: its lease ran out
    again = await q.claim_due("w2")
    assert [j.key for j in again] == ["now"]
    assert again[0].attempts == 2
    assert again[0].nonce == jobs[0].nonce  # the same nonce: Discord drops a duplicate send


async def test_runner_retries_failures_and_finishes(sessions, clock):
    q = ActionQueue(sessions, clock)
    runner = ActionRunner(q, worker="w")
    calls = []

    async def flaky(job):
        calls.append(job.attempts)
        if job.attempts < 3:
            raise RuntimeError("discord 500")

    runner.register("send", flaky)
    await q.schedule("send", "x", clock.now())
    assert await runner.run_due() == 1
    assert await runner.run_due() == 0  # backing off
    clock.advance(minutes=1)
    await runner.run_due()
    clock.advance(minutes=2)
    await runner.run_due()
    assert calls == [1, 2, 3]
    assert (await q.counts()) == {"done": 1}
    assert await runner.run_due() == 0


async def test_runner_gives_up_after_max_attempts_and_skip_means_done(sessions, clock):
    q = ActionQueue(sessions, clock)
    runner = ActionRunner(q, worker="w")

    async def broken(job):
        raise RuntimeError("always")

    async def gone(job):
        raise Skip()

    runner.register("broken", broken)
    runner.register("gone", gone)
    await q.schedule("broken", "b", clock.now())
    await q.schedule("gone", "g", clock.now())
    for _ in range(MAX_ATTEMPTS):
        await runner.run_due()
        clock.advance(hours=1)
    assert (await q.counts()) == {"failed": 1, "done": 1}


async def test_unknown_kinds_are_left_for_the_process_that_knows_them(sessions, clock):
    q = ActionQueue(sessions, clock)
    await q.schedule("other", "o", clock.now())
    runner = ActionRunner(q, worker="w")
    runner.register("mine", lambda job: asyncio.sleep(0))
    assert await runner.run_due() == 0
    assert (await q.counts()) == {"pending": 1}


async def test_two_processes_on_one_sqlite_file_run_each_action_once(tmp_path, clock):
    from storage.db import upgrade

    url = f"sqlite+aiosqlite:///{tmp_path}/shared.db"
    e1, e2 = make_engine(url), make_engine(url)
    await upgrade(e1)
    q1, q2 = ActionQueue(make_session_factory(e1), clock), ActionQueue(make_session_factory(e2), clock)
    ran: list[str] = []

    async def handler(job):
        ran.append(job.key)

    r1, r2 = ActionRunner(q1, "p1"), ActionRunner(q2, "p2")
    for r in (r1, r2):
        r.register("nudge", handler)
    for i in range(30):
        await (q1 if i % 2 else q2).schedule("nudge", f"g{i}", clock.now())
        await (q2 if i % 2 else q1).schedule("nudge", f"g{i}", clock.now())  # both plan it
    await asyncio.gather(r1.run_due(), r2.run_due(), r1.run_due(), r2.run_due())
    assert sorted(ran) == sorted(f"g{i}" for i in range(30))
    await e1.dispose()
    await e2.dispose()


def _guild_on(shard: int, count: int, n: int) -> int:
    """A guild id that Discord puts on shard `shard` of `count` ((id >> 22) % count)."""
    return ((1_000_000_000 * count + shard) << 22) | n


async def test_a_sharded_process_claims_only_the_actions_of_its_guilds(sessions, clock):
    q = ActionQueue(sessions, clock)
    due = clock.now() - timedelta(minutes=1)
    for n in range(3):
        for shard in (0, 1, 2):
            await q.schedule("nudge", f"s{shard}:{n}", due, guild_id=_guild_on(shard, 3, n))
    await q.schedule("nudge", "no-guild", due)  # written before actions named their guild
    assert Shards(3, (0, 1, 2)).everything and not Shards(3, (0, 2)).everything
    first = await q.claim_due("p0", limit=50, shards=Shards(3, (0,)))
    assert sorted(j.key for j in first) == ["no-guild", "s0:0", "s0:1", "s0:2"]
    rest = await q.claim_due("p12", limit=50, shards=Shards(3, (1, 2)))
    assert sorted(j.key for j in rest) == [f"s{s}:{n}" for s in (1, 2) for n in range(3)]
    assert {j.guild_id for j in rest} == {_guild_on(s, 3, n) for s in (1, 2) for n in range(3)}


async def test_an_action_without_a_guild_goes_to_the_process_holding_its_guild(sessions, clock):
    """A row from before the guild column: whoever claims it finds its guild from the payload, and
    gives it back (the claim not counted as an attempt) when another shard holds that guild."""
    from storage.models import Course, OpenQuestion

    theirs = _guild_on(1, 2, 5)
    async with sessions() as s, s.begin():
        s.add(OpenQuestion(guild_id=theirs, channel_id=1, message_id=99, author_id=5, asked_at=clock.now()))
        s.add(
            Course(
                id=4,
                guild_id=theirs,
                name="L1",
                learner_role_id=1,
                teacher_role_id=2,
                staff_channel_id=3,
                timezone="Europe/Paris",
                start_date=clock.now().date(),
                category_name="L1",
                created_at=clock.now(),
            )
        )
    q = ActionQueue(sessions, clock)
    await q.schedule("question_prompt", "msg:99", clock.now(), {"message_id": 99})
    await q.schedule("digest", "course:4", clock.now(), {"course_id": 4})
    await q.schedule("digest", "course:unknown", clock.now(), {"course_id": 404})
    ran: dict[str, list[str]] = {"p0": [], "p1": []}
    runners = {}
    for name, shard in (("p0", 0), ("p1", 1)):
        runner = ActionRunner(q, worker=name, shards=Shards(2, (shard,)))
        for kind in ("question_prompt", "digest"):
            runner.register(kind, lambda job, name=name: asyncio.sleep(0, ran[name].append(job.key)))
        runners[name] = runner
    assert await runners["p0"].run_due() == 1  # two of the three claimed were given back
    assert ran["p0"] == ["course:unknown"]  # no guild to be found: run here, where it will Skip
    claimed_back = await q.get("digest", "course:4")
    assert (claimed_back.status, claimed_back.guild_id, claimed_back.attempts) == ("pending", theirs, 0)
    assert await runners["p0"].run_due() == 0  # now marked as the other shard's
    assert await runners["p1"].run_due() == 2
    assert sorted(ran["p1"]) == ["course:4", "msg:99"]
    assert (await q.counts()) == {"done": 3}


async def test_the_tick_waits_for_the_gateway_before_running_actions(simcord_bot, clock):
    """Before the gateway has given the guilds, a handler would not find its guild and drop its
    action: the scheduler's tick leaves due actions for later (`python -m bot` ticks `bot.run_due`;
    the sharded end-to-end test shows ticks running them once ready)."""
    bot = simcord_bot
    await bot.services.actions.schedule("digest", "course:1:2026-W37", clock.now(), {"course_id": 1})
    bot.services.runner.register("digest", lambda job: asyncio.sleep(0))
    assert not bot.is_ready()
    assert await bot.run_due() == 0
    assert (await bot.services.actions.counts()) == {"pending": 1}
