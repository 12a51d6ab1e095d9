"""Activity watch: cost per gateway event against a bare discord.py client, and the quiet scan.

    python -m benchmarks.bench_activity [--messages 100000] [--groups 10000] [--rounds 2]

1. The same MESSAGE_CREATE events go through the loopback Discord gateway (tests/loopback) to a bare
   `discord.Client` (baseline: its on_message only counts) and to one running our listener
   (`cogs.activity.observe`: the in-memory counter, and question detection in a group channel with
   the message content intent on). Measured: time from the first dispatch until the client has
   processed the last event. Rounds alternate baseline and candidate; the best of each is kept.
2. The quiet scan (`ActivityService.quiet_groups`, one set-based query) and the isolation scan over
   10 000 groups and 60 000 learners in a SQLite file, against a per-group loop (one query per group,
   timed on 1 000 groups and scaled) as the baseline.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import discord

from bot.clock import FakeClock, SystemClock
from bot.services.activity import ActivityService, ActivityWatch
from cogs.activity import observe
from storage.db import make_engine, make_session_factory, upgrade
from storage.models import Course, GroupWatch
from tests.loopback.rest import build_message
from tests.loopback.server import LoopbackDiscord

TEXTS = [
    "Bonjour à tous, j'ai fini le chapitre 3",
    "Merci pour la fiche !",
    "Quelqu'un a compris l'exercice 4 ?",
    "On se retrouve jeudi soir en visio",
    "Super, à plus tard",
]


class Counting(discord.Client):
    def __init__(self, total: int, watch: ActivityWatch | None = None) -> None:
        intents = discord.Intents.default()
        intents.message_content = True
        super().__init__(intents=intents)
        self.total = total
        self.seen = 0
        self.done = asyncio.Event()
        self.watch = watch
        self.watched: dict[int, bool] = {}

    async def on_message(self, message: discord.Message) -> None:
        if self.watch is not None:
            observe(self.watch, self.watched, True, message)
        self.seen += 1
        if self.seen == self.total:
            self.done.set()


async def one_run(server: LoopbackDiscord, payloads: list[dict], watch: ActivityWatch | None) -> float:
    client = Counting(len(payloads), watch)
    with server.patch_discord_py():
        await client.login(server.token)
        task = asyncio.create_task(client.connect(reconnect=False))
        await asyncio.wait_for(client.wait_until_ready(), 20)
        start = time.perf_counter()
        for payload in payloads:
            await server.dispatch("MESSAGE_CREATE", payload)
        await asyncio.wait_for(client.done.wait(), 600)
        elapsed = time.perf_counter() - start
        await client.close()
        await asyncio.wait_for(task, 10)
    server._history.clear()
    for session in server.sessions.values():
        session.sent.clear()
    return elapsed


async def gateway_bench(n: int, rounds: int) -> dict:
    async with LoopbackDiscord() as server:
        guild = server.add_guild("Bench", preferred_locale="fr")
        channel = server.add_channel(guild["id"], "groupe-1")
        users = [server.add_user(f"learner{i}") for i in range(6)]
        for u in users:
            server.add_member(guild["id"], u["id"])
        templates = [
            build_message(server, channel["id"], {"content": TEXTS[i % len(TEXTS)]}, {}, author=users[i])
            for i in range(6)
        ]
        payloads = []
        for i in range(n):
            p = dict(templates[i % 6])
            p["id"] = str(10**18 + i)
            p["guild_id"] = guild["id"]
            payloads.append(p)

        with tempfile.TemporaryDirectory() as tmp:
            engine = make_engine(f"sqlite+aiosqlite:///{tmp}/bench.db")
            await upgrade(engine)
            watch = ActivityWatch(make_session_factory(engine), SystemClock())
            await watch.refresh_map()
            from bot.services.activity import ChannelInfo

            watch.channels[int(channel["id"])] = ChannelInfo(1, 1, "Europe/Paris")
            base, ours = [], []
            for _ in range(rounds):
                base.append(await one_run(server, payloads, None))
                ours.append(await one_run(server, payloads, watch))
            questions = len(watch._questions)
            flush_start = time.perf_counter()
            watch._questions.clear()  # no course row here: only the counters are written
            written = await watch.flush()
            flush_time = time.perf_counter() - flush_start
            await engine.dispose()
    return {
        "n": n,
        "baseline": min(base),
        "ours": min(ours),
        "baseline_all": base,
        "ours_all": ours,
        "questions": questions,
        "flush": flush_time,
        "written": written,
    }


async def scan_bench(groups: int, per_group: int = 6, courses: int = 100) -> dict:
    rng = random.Random(7)
    now = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
    clock = FakeClock(now)
    with tempfile.TemporaryDirectory() as tmp:
        engine = make_engine(f"sqlite+aiosqlite:///{Path(tmp)}/scan.db")
        await upgrade(engine)
        sessions = make_session_factory(engine)
        async with engine.begin() as conn:
            await conn.execute(
                Course.__table__.insert(),
                [
                    dict(
                        id=c + 1,
                        guild_id=1 + c % 10,
                        name=f"C{c}",
                        learner_role_id=100 + c,
                        teacher_role_id=1,
                        staff_channel_id=2,
                        timezone=rng.choice(["Europe/Paris", "America/Guadeloupe"]),
                        start_date=date(2026, 9, 7),
                        category_name="G",
                        created_at=now - timedelta(days=60),
                    )
                    for c in range(courses)
                ],
            )
            from storage.models import GroupMember, LearnerGroup, MemberLastActive

            await conn.execute(
                LearnerGroup.__table__.insert(),
                [
                    dict(
                        id=g + 1,
                        course_id=g % courses + 1,
                        number=g // courses + 1,
                        channel_id=10**6 + g,
                        status="active",
                        icebreaker_sent=True,
                        channel_missing_reported=False,
                        created_at=now - timedelta(days=50),
                    )
                    for g in range(groups)
                ],
            )
            await conn.execute(
                GroupWatch.__table__.insert(),
                [
                    dict(
                        group_id=g + 1,
                        last_active_day=now.date() - timedelta(days=rng.randint(0, 20)),
                        snoozes=0,
                    )
                    for g in range(groups)
                    if rng.random() < 0.95
                ],
            )
            members = [
                dict(
                    group_id=g + 1,
                    course_id=g % courses + 1,
                    user_id=10**7 + g * per_group + k,
                    joined_at=now - timedelta(days=50),
                )
                for g in range(groups)
                for k in range(per_group)
            ]
            await conn.execute(GroupMember.__table__.insert(), members)
            await conn.execute(
                MemberLastActive.__table__.insert(),
                [
                    dict(
                        guild_id=1 + (m["course_id"] - 1) % 10,
                        user_id=m["user_id"],
                        day=now.date() - timedelta(days=rng.randint(0, 30)),
                    )
                    for m in members
                    if rng.random() < 0.9
                ],
            )
        svc = ActivityService(sessions, clock)
        timings, isolation = [], []
        for _ in range(3):
            t0 = time.perf_counter()
            quiet = await svc.quiet_groups()
            timings.append(time.perf_counter() - t0)
            t0 = time.perf_counter()
            isolated = await svc.isolated_members()
            isolation.append(time.perf_counter() - t0)
        # Baseline: one query per group, as a naive loop would do (timed on 1 000 groups, scaled).
        sample = min(1000, groups)
        t0 = time.perf_counter()
        async with sessions() as s:
            for g in range(1, sample + 1):
                await s.get(GroupWatch, g)
        naive = (time.perf_counter() - t0) * groups / sample
        await engine.dispose()
    return {
        "groups": groups,
        "learners": groups * per_group,
        "quiet": len(quiet),
        "isolated": len(isolated),
        "scan": statistics.median(timings),
        "isolation": statistics.median(isolation),
        "naive": naive,
    }


async def main(args) -> None:
    gw = await gateway_bench(args.messages, args.rounds)
    ratio = gw["ours"] / gw["baseline"]
    print(f"## Gateway: {gw['n']:,} MESSAGE_CREATE through the loopback gateway")
    print(
        f"bare discord.Client       {gw['baseline']:.2f} s  ({gw['baseline'] / gw['n'] * 1e6:.1f} µs/event)"
    )
    print(f"with our listener         {gw['ours']:.2f} s  ({gw['ours'] / gw['n'] * 1e6:.1f} µs/event)")
    print(f"ratio                     {ratio:.3f}  (target ≤ 1.15)")
    print(
        f"all rounds: baseline {[round(x, 2) for x in gw['baseline_all']]}, "
        f"ours {[round(x, 2) for x in gw['ours_all']]}"
    )
    print(
        f"questions spotted: {gw['questions']:,}; "
        f"flush of {gw['written']} counters: {gw['flush'] * 1000:.1f} ms"
    )
    sc = await scan_bench(args.groups)
    print(f"\n## Scans: {sc['groups']:,} groups, {sc['learners']:,} learners (SQLite)")
    print(
        f"quiet scan (one query)    {sc['scan'] * 1000:.0f} ms  → {sc['quiet']:,} quiet groups (target ≤ 1 s)"
    )
    print(f"isolation scan            {sc['isolation'] * 1000:.0f} ms  → {sc['isolated']:,} learners")
    print(
        f"per-group loop (baseline) {sc['naive'] * 1000:.0f} ms  "
        f"→ quiet scan is {sc['naive'] / sc['scan']:.1f}× faster"
    )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=100_000)
    parser.add_argument("--groups", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=2)
    asyncio.run(main(parser.parse_args()))
