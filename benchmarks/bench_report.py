"""The teachers' course report (/activity report): query, CSV and chart, against reading the data once.

    python -m benchmarks.bench_report [--learners 75,10000] [--repeat 5] [--chart-repeat 3]

Two courses in one SQLite file, as on a guild that runs a small course and a large one: 75 learners
(13 groups) and 10 000 learners (1 667 groups), groups of 5–6. 26 weeks of `activity_day` rows end
on the fixed day of the run (clock `TODAY`, never the system's): most learners write or speak on
some evenings, fewer at weekends, some drop out along the way, about one in eight never does
anything; some rows are outside the group channels (group 0). Most groups hold meetups (attendance,
ratings, "meet again?", the poll that set the time; a few cancelled, some scheduled ahead).

For 4 and 26 weeks, medians over `--repeat` runs (the chart over `--chart-repeat`):

- baseline: one `SELECT count(*), sum(messages), sum(voice_minutes)` over the activity rows the
  report reads for its windows (the course's active groups, from the first day to today), through
  the same session factory: the least any report must read;
- fetch: the same rows fetched into Python (group, user, day, messages, voice), no work on them;
- `ReportService.course_report`, then `render_csv` (with the French header and stages, encoded as
  the cog sends it) and `render_chart` (matplotlib, Agg), the chart in a thread as the cog does.

Each step also reports the longest stall of the event loop while it ran (a task that wakes every
5 ms notes the longest gap): the report and the CSV run on the loop, so other members' commands
wait for them.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from datetime import time as dtime
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy import func
from sqlmodel import col, select

from bot.clock import FakeClock
from bot.services.reports import STAGE_DAYS, ReportService, render_chart, render_csv
from storage.db import make_engine, make_session_factory, upgrade
from storage.models import (
    ActivityDay,
    Course,
    GroupMember,
    LearnerGroup,
    Meetup,
    MeetupAttendance,
    MeetupFeedback,
    Poll,
)

TODAY = datetime(2026, 11, 20, 21, 30, tzinfo=UTC)  # a Friday, 22:30 in Paris
TZ = "Europe/Paris"
DAYS = 26 * 7
GROUP_MAX = 6
GUILD = 1


def split(learners: int) -> list[int]:
    """Group sizes for `learners`: as many groups of at most GROUP_MAX as needed, sizes within one."""
    groups = -(-learners // GROUP_MAX)
    base, extra = divmod(learners, groups)
    return [base + (i < extra) for i in range(groups)]


class Ids:
    def __init__(self) -> None:
        self.group = self.user = self.meetup = self.poll = 0

    def next(self, kind: str) -> int:
        value = getattr(self, kind) + 1
        setattr(self, kind, value)
        return value


def learner_days(rng: random.Random, days: list[date]) -> list[tuple[date, int, int]]:
    """(day, messages, voice minutes) of one learner over the course: silent, light, regular or keen,
    mostly on weekday evenings, and perhaps gone quiet after some week."""
    kind = rng.random()
    if kind < 0.12:
        return []
    daily = 0.05 if kind < 0.45 else 0.15 if kind < 0.85 else 0.35
    stop = len(days) if rng.random() < 0.75 else rng.randrange(14, len(days))
    rows = []
    for day in days[:stop]:
        if rng.random() >= daily * (0.6 if day.weekday() >= 5 else 1.0):
            continue
        messages = 0 if rng.random() < 0.05 else rng.randint(1, 9)
        voice = rng.randint(10, 90) if rng.random() < 0.15 or not messages else 0
        rows.append((day, messages, voice))
    return rows


def evening(day: date, hour: int = 20) -> datetime:
    return datetime.combine(day, dtime(hour, 30), tzinfo=ZoneInfo(TZ)).astimezone(UTC)


def course_rows(course_id: int, learners: int, rng: random.Random, ids: Ids) -> dict[type, list[dict]]:
    today = TODAY.astimezone(ZoneInfo(TZ)).date()
    days = [today - timedelta(days=DAYS - 1 - i) for i in range(DAYS)]
    made = TODAY - timedelta(days=DAYS + 7)
    rows: dict[type, list[dict]] = {
        t: []
        for t in (LearnerGroup, GroupMember, ActivityDay, Poll, Meetup, MeetupAttendance, MeetupFeedback)
    }
    rows[Course] = [
        dict(
            id=course_id,
            guild_id=GUILD,
            name=f"Cours de {learners} apprenants",
            learner_role_id=100 + course_id,
            teacher_role_id=200 + course_id,
            staff_channel_id=300 + course_id,
            timezone=TZ,
            start_date=days[0],
            group_size_max=GROUP_MAX,
            category_name="Groupes",
            created_at=made,
        )
    ]
    for number, size in enumerate(split(learners), start=1):
        group_id = ids.next("group")
        channel = 10**6 + group_id
        rows[LearnerGroup].append(
            dict(
                id=group_id,
                course_id=course_id,
                number=number,
                channel_id=channel,
                created_at=made,
            )
        )
        members = [10**7 + ids.next("user") for _ in range(size)]
        for user in members:
            rows[GroupMember].append(
                dict(group_id=group_id, course_id=course_id, user_id=user, joined_at=made)
            )
            for day, messages, voice in learner_days(rng, days):
                rows[ActivityDay].append(
                    dict(
                        guild_id=GUILD,
                        group_id=group_id,
                        user_id=user,
                        day=day,
                        messages=messages,
                        voice_minutes=voice,
                    )
                )
                if rng.random() < 0.1:  # a question in a help channel too
                    rows[ActivityDay].append(
                        dict(guild_id=GUILD, group_id=0, user_id=user, day=day, messages=1, voice_minutes=0)
                    )
        add_meetups(rows, rng, ids, group_id, channel, members, today)
    return rows


def add_meetups(rows, rng: random.Random, ids: Ids, group_id: int, channel: int, members, today) -> None:
    """A third of the groups never meet; the others every 1–4 weeks, most of the time."""
    if rng.random() < 0.33:
        return
    every = rng.randint(1, 4)
    for week in range(0, 27, every):
        if rng.random() > 0.7:
            continue
        day = today - timedelta(days=DAYS - 1) + timedelta(days=7 * week + rng.randint(0, 4))
        starts = evening(day)
        ends = starts + timedelta(hours=1)
        poll_id = ids.next("poll")
        rows[Poll].append(
            dict(
                id=poll_id,
                group_id=group_id,
                channel_id=channel,
                created_by=members[0],
                title="Quand se voit-on ?",
                length_minutes=60,
                deadline=starts - timedelta(days=1),
                status="closed",
                created_at=starts - timedelta(days=3),
                closed_at=starts - timedelta(days=1),
                timezone=TZ,
                close_reason="deadline",
            )
        )
        held = ends <= TODAY
        status = "scheduled" if not held else "cancelled" if rng.random() < 0.1 else "done"
        meetup_id = ids.next("meetup")
        rows[Meetup].append(
            dict(
                id=meetup_id,
                group_id=group_id,
                poll_id=poll_id,
                guild_id=GUILD,
                title="Visio du groupe",
                starts_at=starts,
                ends_at=ends,
                status=status,
                created_by=members[0],
                created_at=starts - timedelta(days=1),
                voice_removed=held,
            )
        )
        if status != "done":
            continue
        for user in members:
            if rng.random() < 0.4:
                continue
            seconds = rng.randint(60, 3600)
            rows[MeetupAttendance].append(
                dict(meetup_id=meetup_id, user_id=user, seconds=seconds, present=seconds >= 600)
            )
            if seconds >= 600 and rng.random() < 0.5:
                rows[MeetupFeedback].append(
                    dict(
                        meetup_id=meetup_id,
                        user_id=user,
                        rating=rng.choice((None, 2, 3, 4, 4, 5, 5)),
                        again=rng.choice((None, True, True, True, False)),
                        updated_at=ends + timedelta(hours=1),
                    )
                )


async def seed(engine, sizes: list[int]) -> dict[int, dict[str, int]]:
    rng = random.Random(11)
    ids = Ids()
    counts = {}
    order = (Course, LearnerGroup, GroupMember, ActivityDay, Poll, Meetup, MeetupAttendance, MeetupFeedback)
    async with engine.begin() as conn:
        for course_id, learners in enumerate(sizes, start=1):
            rows = course_rows(course_id, learners, rng, ids)
            for table in order:
                for start in range(0, len(rows[table]), 20_000):
                    await conn.execute(table.__table__.insert(), rows[table][start : start + 20_000])
            counts[course_id] = {t.__tablename__: len(rows[t]) for t in order}
    return counts


# --- timing ------------------------------------------------------------------------------------------


class StallWatch:
    """The longest gap between wake-ups of a task that sleeps 5 ms: how long the event loop was held."""

    def __init__(self) -> None:
        self.longest = 0.0
        self._task: asyncio.Task | None = None

    async def _run(self) -> None:
        last = time.perf_counter()
        while True:
            await asyncio.sleep(0.005)
            now = time.perf_counter()
            self.longest = max(self.longest, now - last - 0.005)
            last = now

    async def __aenter__(self) -> StallWatch:
        self._task = asyncio.create_task(self._run())
        await asyncio.sleep(0)
        return self

    async def __aexit__(self, *exc) -> None:
        await asyncio.sleep(0.01)  # let the task wake once more: a step that never awaited is seen too
        self._task.cancel()
        try:
            await self._task
        except asyncio.CancelledError:
            pass


async def timed(step, repeat: int) -> dict:
    """Median and spread of `repeat` runs of the coroutine function `step`, and the longest stall."""
    samples, stalls, result = [], [], None
    for _ in range(repeat):
        async with StallWatch() as watch:
            start = time.perf_counter()
            result = await step()
            samples.append(time.perf_counter() - start)
        stalls.append(watch.longest)
    return {
        "median": statistics.median(samples),
        "min": min(samples),
        "max": max(samples),
        "stall": statistics.median(stalls),
        "result": result,
    }


async def bench_course(sessions, course: Course, weeks: int, repeat: int, chart_repeat: int) -> dict:
    service = ReportService(sessions, FakeClock(TODAY))
    today = TODAY.astimezone(ZoneInfo(course.timezone)).date()
    since = today - timedelta(days=max(7 * weeks, STAGE_DAYS) - 1)  # what course_report reads
    async with sessions() as s:
        ids = list(
            (
                await s.exec(
                    select(LearnerGroup.id).where(
                        LearnerGroup.course_id == course.id, LearnerGroup.status == "active"
                    )
                )
            ).all()
        )
    in_period = (col(ActivityDay.group_id).in_(ids), ActivityDay.day >= since, ActivityDay.day <= today)

    async def baseline():
        async with sessions() as s:
            return (
                await s.exec(
                    select(
                        func.count(), func.sum(ActivityDay.messages), func.sum(ActivityDay.voice_minutes)
                    ).where(*in_period)
                )
            ).one()

    async def fetch():
        async with sessions() as s:
            return len(
                (
                    await s.exec(
                        select(
                            ActivityDay.group_id,
                            ActivityDay.user_id,
                            ActivityDay.day,
                            ActivityDay.messages,
                            ActivityDay.voice_minutes,
                        ).where(*in_period)
                    )
                ).all()
            )

    async def report():
        return await service.course_report(course, weeks)

    built = await service.course_report(course, weeks)

    async def csv_file():
        return render_csv(built, "fr").encode("utf-8-sig")

    async def chart():
        return await asyncio.to_thread(render_chart, built, "fr")

    await baseline()  # statement caches warm, file pages in the OS cache
    out = {
        "baseline": await timed(baseline, repeat),
        "fetch": await timed(fetch, repeat),
        "report": await timed(report, repeat),
        "csv": await timed(csv_file, repeat),
        "chart": await timed(chart, chart_repeat),
    }
    rows, messages, voice = out["baseline"]["result"]
    built = out["report"]["result"]
    assert (
        sum(g.messages for g in built.groups) == messages
        and sum(g.voice_minutes for g in built.groups) == voice
    )
    out["summary"] = {
        "groups": len(built.groups),
        "learners": built.learners,
        "rows": rows,
        "stages": built.stage_counts(),
        "meetups": sum(g.meetups for g in built.groups),
        "csv_bytes": len(out["csv"]["result"]),
        "png_bytes": len(out["chart"]["result"]),
    }
    return out


def ms(seconds: float) -> str:
    value = seconds * 1000
    return f"{value:,.0f} ms" if value >= 100 else f"{value:.1f} ms" if value >= 10 else f"{value:.2f} ms"


async def main(args) -> None:
    sizes = [int(x) for x in args.learners.split(",")]
    with tempfile.TemporaryDirectory() as tmp:
        engine = make_engine(f"sqlite+aiosqlite:///{Path(tmp)}/report.db")
        await upgrade(engine)
        t0 = time.perf_counter()
        counts = await seed(engine, sizes)
        seeded = time.perf_counter() - t0
        sessions = make_session_factory(engine)
        total = sum(c["activity_day"] for c in counts.values())
        print(f"Seeded {len(sizes)} courses, {total:,} activity_day rows in {seeded:.1f} s (SQLite file).")
        for course_id, c in counts.items():
            print(
                f"  course {course_id}: {c['learner_group']:,} groups, {c['group_member']:,} learners, "
                f"{c['activity_day']:,} activity rows (26 weeks, with group 0), {c['meetup']:,} meetups, "
                f"{c['meetup_attendance']:,} attendances, {c['meetup_feedback']:,} feedbacks, "
                f"{c['poll']:,} polls"
            )

        # The first chart of a process imports matplotlib (and, on a fresh machine, builds its font cache).
        async with sessions() as s:
            first = await s.get(Course, 1)
        one = await ReportService(sessions, FakeClock(TODAY)).course_report(first, 4)
        t0 = time.perf_counter()
        await asyncio.to_thread(render_chart, one, "fr")
        cold = time.perf_counter() - t0

        results = []
        for course_id in counts:
            async with sessions() as s:
                course = await s.get(Course, course_id)
            for weeks in (4, 26):
                results.append(
                    (weeks, await bench_course(sessions, course, weeks, args.repeat, args.chart_repeat))
                )
        await engine.dispose()

    print(f"\nFirst chart of the process (matplotlib import included): {ms(cold)}")
    print(
        f"\nMedians of {args.repeat} runs ({args.chart_repeat} for the chart); "
        "× baseline: median over the baseline's median; stall: longest event-loop stall (median of runs).\n"
    )
    print("| course | weeks | rows read | step | median | min–max | × baseline | loop stall |")
    print("|---|---|---|---|---|---|---|---|")
    steps = (
        ("baseline", "baseline: count + sums of those rows"),
        ("fetch", "fetch those rows, no work"),
        ("report", "`course_report`"),
        ("csv", "`render_csv` (+ UTF-8 BOM encode)"),
        ("chart", "`render_chart` (in a thread)"),
    )
    for weeks, out in results:
        summary = out["summary"]
        base = out["baseline"]["median"]
        where = f"{summary['groups']:,} groups / {summary['learners']:,}"
        for key, name in steps:
            r = out[key]
            print(
                f"| {where} | {weeks} | {summary['rows']:,} | {name} | {ms(r['median'])} | "
                f"{ms(r['min'])}–{ms(r['max'])} | {r['median'] / base:,.1f} | {ms(r['stall'])} |"
            )
        command = out["report"]["median"] + out["csv"]["median"] + out["chart"]["median"]
        print(
            f"| {where} | {weeks} | | report + CSV + chart | {ms(command)} | | {command / base:,.1f} | "
            f"{ms(max(out[k]['stall'] for k in ('report', 'csv', 'chart')))} (longest of the three) |"
        )
    print()
    for weeks, out in results:
        s = out["summary"]
        print(
            f"{s['groups']:,} groups, {weeks} weeks: stages {s['stages']}, {s['meetups']:,} meetups held, "
            f"CSV {s['csv_bytes'] / 1024:,.0f} KiB, PNG {s['png_bytes'] / 1024:,.0f} KiB"
        )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--learners", default="75,10000", help="course sizes, comma-separated")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--chart-repeat", type=int, default=3)
    asyncio.run(main(parser.parse_args()))
