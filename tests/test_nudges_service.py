"""Nudge planning, activity counters and newcomer rules on the database, with the fake clock."""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlmodel import select

from bot.clock import FakeClock
from bot.services.actions import ActionQueue, ActionRunner
from bot.services.activity import ActivityService, parse_hhmm
from bot.services.departures import DepartureService
from bot.services.groups import GroupService
from bot.services.newcomers import NewcomerService
from bot.services.nudges import NudgeService, weekly_moment
from bot.services.profiles import ProfileService
from storage.db import make_engine, make_session_factory, upgrade
from storage.models import ActivityDay, Course, GroupMember, GroupWatch, LearnerGroup, Meetup, Poll
from tests.conftest import PG_URL, _drop_schema, _fresh_postgres_schema

MONDAY = datetime(2026, 9, 7, 8, 0, tzinfo=UTC)


def course_row(**extra) -> Course:
    values = dict(
        guild_id=1,
        name="L1",
        learner_role_id=10,
        teacher_role_id=11,
        staff_channel_id=12,
        timezone="Europe/Paris",
        start_date=date(2026, 9, 7),
        category_name="Groupes",
        created_at=MONDAY,
    )
    values.update(extra)
    return Course(**values)


async def seed(sessions, groups: int = 3, size: int = 5, **course) -> int:
    async with sessions() as s, s.begin():
        c = course_row(**course)
        s.add(c)
        await s.flush()
        uid = 1000
        for n in range(1, groups + 1):
            g = LearnerGroup(course_id=c.id, number=n, channel_id=500 + n, created_at=MONDAY)
            s.add(g)
            await s.flush()
            for _ in range(size):
                uid += 1
                s.add(GroupMember(group_id=g.id, course_id=c.id, user_id=uid, joined_at=MONDAY))
        return c.id


class Process:
    """One bot process: its own engine, queue, runner and nudge planner, recording what it sends."""

    def __init__(self, engine, clock, name: str, sent: list) -> None:
        sessions = make_session_factory(engine)
        self.queue = ActionQueue(sessions, clock)
        self.runner = ActionRunner(self.queue, worker=name)
        activity = ActivityService(sessions, clock)
        newcomers = NewcomerService(sessions, clock, ProfileService(sessions, clock))
        departures = DepartureService(sessions, clock, self.queue, GroupService(sessions, clock))
        self.nudges = NudgeService(sessions, clock, self.queue, activity, newcomers, departures)
        self.runner.before_run(self.nudges.plan)

        async def send(job):
            await asyncio.sleep(0)
            sent.append((job.kind, job.key))

        self.runner.register("nudge", send)
        self.runner.register("digest", send)


async def _two_engines(kind: str, tmp_path):
    if kind == "sqlite":
        url = f"sqlite+aiosqlite:///{tmp_path}/shared.db"
        e1, e2 = make_engine(url), make_engine(url)
        await upgrade(e1)
        return e1, e2, None
    e1, schema = await _fresh_postgres_schema(PG_URL)
    await upgrade(e1)
    e2 = make_engine(PG_URL, connect_args={"server_settings": {"search_path": schema}})
    return e1, e2, schema


@pytest.mark.parametrize("kind", ["sqlite"] + (["postgresql"] if PG_URL else []))
async def test_two_schedulers_on_one_database_send_one_nudge_per_group(kind, tmp_path):
    clock = FakeClock(MONDAY)
    e1, e2, schema = await _two_engines(kind, tmp_path)
    try:
        await seed(make_session_factory(e1), groups=4)
        sent: list = []
        a, b = Process(e1, clock, "a", sent), Process(e2, clock, "b", sent)
        await asyncio.gather(a.runner.run_due(), b.runner.run_due())
        assert sent == []  # Monday 10:00 in Paris: not yet
        for minutes in (0, 1, 2, 30):
            clock.set(datetime(2026, 9, 7, 16, minutes, tzinfo=UTC))  # 18:00 Paris and after
            await asyncio.gather(
                a.runner.run_due(), b.runner.run_due(), a.runner.run_due(), b.runner.run_due()
            )
        # Both restart (fresh planners) later in the week: nothing more.
        a, b = Process(e1, clock, "a2", sent), Process(e2, clock, "b2", sent)
        clock.set(datetime(2026, 9, 9, 12, 0, tzinfo=UTC))
        await asyncio.gather(a.runner.run_due(), b.runner.run_due())
        nudges = sorted(k for kind_, k in sent if kind_ == "nudge")
        assert nudges == [f"group:{g}:2026-W37" for g in range(1, 5)]
        assert [k for kind_, k in sent if kind_ == "digest"] == ["course:1:2026-W37"]
    finally:
        await e1.dispose()
        await e2.dispose()
        if schema:
            await _drop_schema(PG_URL, schema)


def test_weekly_moment_is_in_course_time_and_never_at_night():
    c = course_row()
    p = weekly_moment(c, datetime(2026, 9, 10, 12, 0, tzinfo=UTC))
    assert p.week == "2026-W37" and p.due_at == datetime(2026, 9, 7, 16, 0, tzinfo=UTC)  # 18:00 CEST
    late = course_row(nudge_time="23:15", nudge_weekday=4, timezone="America/Guadeloupe")
    p = weekly_moment(late, datetime(2026, 9, 7, 12, 0, tzinfo=UTC))
    assert p.due_at == datetime(2026, 9, 12, 12, 0, tzinfo=UTC)  # Saturday 08:00 in Guadeloupe
    early = course_row(nudge_time="06:30")
    assert weekly_moment(early, MONDAY).due_at == datetime(2026, 9, 7, 6, 0, tzinfo=UTC)
    assert parse_hhmm("7h30") == "07:30" and parse_hhmm("18h") == "18:00"


async def test_counters_are_aggregated_in_memory_and_upserted(sessions):
    clock = FakeClock(MONDAY)
    svc = ActivityService(sessions, clock)
    course_id = await seed(sessions, groups=1)
    await svc.watch.refresh_map()
    assert svc.watch.channels[501].course_id == course_id
    for _ in range(1000):
        svc.watch.message(1, 501, 1001)
    svc.watch.message(1, 999, 1002)  # a help channel: the member's activity, not the group's
    svc.watch.voice_join(1, 1003, 501)
    clock.advance(minutes=45)
    assert await svc.watch.flush() == 3
    svc.watch.message(1, 501, 1001)
    clock.advance(minutes=15)
    svc.watch.voice_leave(1, 1003)
    await svc.watch.flush()
    figures = await svc.week_figures([1], date(2026, 9, 8))
    assert figures[1].messages == 1001 and figures[1].voice_minutes == 60 and figures[1].active_members == 2
    assert await svc.member_last_active(1, 1002) == date(2026, 9, 7)
    assert await svc.group_last_active(1) == date(2026, 9, 7)


async def test_a_learner_who_asks_not_to_be_followed_counts_only_for_their_group(sessions):
    clock = FakeClock(MONDAY)
    svc = ActivityService(sessions, clock)
    await seed(sessions, groups=1, size=3)  # members 1001–1003 of group 1 (channel 501)
    await svc.watch.refresh_map()
    for user_id in (1001, 1001, 1002):
        svc.watch.message(1, 501, user_id)
    svc.watch.message(1, 999, 1001)  # a help channel
    await svc.watch.flush()
    svc.watch.message(1, 501, 1001)  # counted, not flushed yet, when they ask
    assert await svc.following(1, 1001)
    assert await svc.set_following(1, 1001, False)
    assert not await svc.set_following(1, 1001, False)  # asked twice: the same wish
    assert not await svc.following(1, 1001) and await svc.following(1, 1002)
    assert await svc.following(2, 1001)  # per server
    clock.advance(days=1)
    svc.watch.message(1, 501, 1001)
    svc.watch.message(1, 999, 1001)
    await svc.watch.flush()
    async with sessions() as s:
        rows = (
            await s.exec(
                select(ActivityDay.user_id, ActivityDay.group_id, ActivityDay.day, ActivityDay.messages)
            )
        ).all()
    assert not [r for r in rows if r[0] == 1001]  # nothing under their name, past or new
    # their group's counts, without a name (the help channel's are not kept)
    assert sorted(r[1:] for r in rows if r[0] == 0) == [(1, date(2026, 9, 7), 3), (1, date(2026, 9, 8), 1)]
    figures = await svc.week_figures([1], date(2026, 9, 9))
    assert figures[1].messages == 5  # the group's figures stay whole
    assert await svc.member_last_active(1, 1001) is None
    # a week and more later, silent as far as the watch knows: no isolation alert names them
    clock.advance(days=20)
    svc.watch.message(1, 501, 1002)
    await svc.watch.flush()
    assert 1001 not in {m.user_id for m in await svc.isolated_members()}
    assert 1003 in {m.user_id for m in await svc.isolated_members()}
    # followed again: active today, so not taken for silent since joining; counted again
    assert await svc.set_following(1, 1001, True)
    assert not await svc.set_following(1, 1001, True)
    assert await svc.member_last_active(1, 1001) == date(2026, 9, 28)
    assert 1001 not in {m.user_id for m in await svc.isolated_members()}
    svc.watch.message(1, 501, 1001)
    await svc.watch.flush()
    async with sessions() as s:
        mine = (await s.exec(select(ActivityDay.messages).where(ActivityDay.user_id == 1001))).all()
    assert mine == [1]


async def test_newcomer_rules_room_overflow_new_group_waiting(sessions):
    clock = FakeClock(MONDAY + timedelta(days=40))
    svc = NewcomerService(sessions, clock, ProfileService(sessions, clock))
    course_id = await seed(sessions, groups=2, size=5, group_size_min=3, group_size_max=6)
    placed = [await svc.place(course_id, 9000 + i) for i in range(7)]
    assert [p.rule for p in placed[:2]] == ["room", "room"]  # 5 → 6 in each group
    assert [p.rule for p in placed[2:4]] == ["overflow", "overflow"]  # 6 → 7
    assert [p.rule for p in placed[4:6]] == ["waiting", "waiting"]
    assert placed[6].rule == "new_group" and placed[6].group_number == 3
    assert set(placed[6].placed_with) == {9004, 9005}
    again = await svc.place(course_id, 9000)  # a retried action finds the placement made
    assert again.rule == "room" and again.group_id == placed[0].group_id
    assert len(await svc.placed_since(course_id, MONDAY)) == 7


async def test_group_states_of_a_course_read_at_once(sessions):
    """The four weekly states, as the digest reads them for every group at once and a group's own
    nudge reads them one group at a time: the same answer both ways."""
    now = MONDAY + timedelta(days=20)
    clock = FakeClock(now)
    course_id = await seed(sessions, groups=5, size=5)
    yesterday = (now - timedelta(days=1)).date()
    async with sessions() as s, s.begin():
        groups = {
            g.number: g.id
            for g in (await s.exec(select(LearnerGroup).where(LearnerGroup.course_id == course_id))).all()
        }
        for number in (1, 3, 4, 5):  # group 2 has been silent since it was formed: quiet
            s.add(GroupWatch(group_id=groups[number], last_active_day=yesterday))
            s.add(
                ActivityDay(
                    guild_id=1, group_id=groups[number], user_id=7000 + number, day=yesterday, messages=3
                )
            )

        def meetup(number: int, starts_at: datetime, status: str = "scheduled") -> Meetup:
            return Meetup(
                group_id=groups[number],
                guild_id=1,
                title="Réunion",
                starts_at=starts_at,
                ends_at=starts_at + timedelta(hours=1),
                status=status,
                created_by=1,
                created_at=MONDAY,
            )

        # group 1: two meetups this week (the first one is named) and one cancelled before them
        s.add_all([meetup(1, now + timedelta(days=3)), meetup(1, now + timedelta(days=2))])
        s.add(meetup(1, now + timedelta(days=1), status="cancelled"))
        s.add(meetup(2, now + timedelta(days=12)))  # group 2: quiet, its meetup too far off to remind
        # group 3: nothing organised; group 4: a poll long closed; group 5: a meetup in two weeks
        s.add(
            Poll(
                group_id=groups[4],
                channel_id=504,
                created_by=1,
                title="Quand ?",
                deadline=MONDAY,
                status="closed",
                created_at=MONDAY,
            )
        )
        s.add(meetup(5, now + timedelta(days=14)))
    activity = ActivityService(sessions, clock)
    queue = ActionQueue(sessions, clock)
    newcomers = NewcomerService(sessions, clock, ProfileService(sessions, clock))
    departures = DepartureService(sessions, clock, queue, GroupService(sessions, clock))
    nudges = NudgeService(sessions, clock, queue, activity, newcomers, departures)
    async with sessions() as s:
        course = await s.get(Course, course_id)

    states = await nudges.group_states(course, list(groups.values()))
    assert {n: states[g].state for n, g in groups.items()} == {
        1: "meetup",
        2: "quiet",
        3: "poll",
        4: "thanks",
        5: "thanks",
    }
    assert states[groups[1]].meetup_at == now + timedelta(days=2)
    assert states[groups[3]].figures.messages == 3 and states[groups[2]].figures.messages == 0
    for number, group_id in groups.items():
        assert await nudges.group_state(course, group_id) == states[group_id], number
    digest = await nudges.digest(course)
    assert digest.by_state == {"meetup": [1], "quiet": [2], "poll": [3], "thanks": [4, 5]}
    assert digest.quiet_groups == [2]
    assert digest.totals.messages == 12 and digest.totals.active_members == 4
