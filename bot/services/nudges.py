"""Weekly nudges to groups and the teachers' weekly digest: when, and what to say.

- `weekly_moment(course, now)`: this ISO week's nudge time (course weekday and time, in the
  course timezone), never between 22:00 and 08:00 (deferred to 08:00).
- `NudgeService.plan()` runs before each action run: once this week's moment has passed it
  schedules one `nudge` per active group (key `group:<id>:<ISO week>`) and one `digest` per
  course (key `course:<id>:<ISO week>`). Only the current period: a bot that was down for
  three Mondays sends one nudge, not three.
- `group_state` chooses the content: an upcoming meetup → reminder; a quiet group →
  encouragement; no poll or meetup yet → suggest a poll; otherwise thanks with the week's figures.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlmodel import col, select

from bot.clock import Clock
from bot.services.actions import ActionQueue
from bot.services.activity import ActivityService, WeekFigures
from bot.services.departures import DepartureService
from bot.services.newcomers import NewcomerService
from storage.db import SessionFactory
from storage.models import Course, LearnerGroup, NudgeOptOut
from storage.types import UTCDateTime

log = logging.getLogger(__name__)

QUIET_FROM = 22  # no nudge from 22:00…
QUIET_UNTIL = 8  # …to 08:00, course time
STATES = ("meetup", "quiet", "poll", "thanks")

# The polls/meetups feature's tables, read without depending on its models (they may not exist yet).
_poll = sa.table("poll", sa.column("group_id", sa.Integer()), sa.column("status", sa.String()))
_meetup = sa.table(
    "meetup",
    sa.column("group_id", sa.Integer()),
    sa.column("starts_at", UTCDateTime()),
    sa.column("status", sa.String()),
)


@dataclass(frozen=True)
class Period:
    week: str  # ISO week in the course timezone, e.g. 2026-W37
    due_at: datetime  # UTC


def iso_week(day: date) -> str:
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def in_quiet_hours(local: datetime) -> bool:
    return local.hour >= QUIET_FROM or local.hour < QUIET_UNTIL


def out_of_quiet_hours(local: datetime) -> datetime:
    """The same moment, or the next 08:00 when it falls between 22:00 and 08:00."""
    if local.hour >= QUIET_FROM:
        return datetime.combine(local.date() + timedelta(days=1), time(QUIET_UNTIL), local.tzinfo)
    if local.hour < QUIET_UNTIL:
        return datetime.combine(local.date(), time(QUIET_UNTIL), local.tzinfo)
    return local


def weekly_moment(course: Course, now: datetime) -> Period:
    zone = ZoneInfo(course.timezone)
    today = now.astimezone(zone).date()
    day = today - timedelta(days=today.weekday()) + timedelta(days=course.nudge_weekday)
    hour, minute = (int(x) for x in course.nudge_time.split(":"))
    local = out_of_quiet_hours(datetime.combine(day, time(hour, minute), zone))
    return Period(iso_week(today), local.astimezone(UTC))


def deferred_until(course: Course, now: datetime) -> datetime | None:
    """When a nudge due now must wait (22:00–08:00 course time): the next 08:00, in UTC."""
    local = now.astimezone(ZoneInfo(course.timezone))
    if not in_quiet_hours(local):
        return None
    return out_of_quiet_hours(local).astimezone(UTC)


@dataclass(frozen=True)
class GroupState:
    group_id: int
    state: str  # one of STATES
    figures: WeekFigures
    meetup_at: datetime | None = None


@dataclass(frozen=True)
class Digest:
    course_id: int
    week: str
    by_state: dict[str, list[int]]  # state → group numbers
    newcomers: list[tuple[int, int | None, str]]
    quiet_groups: list[int]
    isolated: list[int]
    unanswered: int
    waiting: int = 0
    totals: WeekFigures = field(default_factory=WeekFigures)
    left: list[tuple[int, int | None, str]] = field(default_factory=list)  # (user, group number, reason)


class NudgeService:
    def __init__(
        self,
        sessions: SessionFactory,
        clock: Clock,
        actions: ActionQueue,
        activity: ActivityService,
        newcomers: NewcomerService,
        departures: DepartureService,
    ) -> None:
        self._sessions = sessions
        self._clock = clock
        self._actions = actions
        self._activity = activity
        self._newcomers = newcomers
        self._departures = departures
        self._planned: set[tuple[int, str]] = set()
        self._tables: dict[str, bool] = {}

    # --- planning -----------------------------------------------------------------------------------

    async def plan(self) -> int:
        """Schedule this week's nudges and digests once their moment has passed. Returns how many new."""
        now = self._clock.now()
        async with self._sessions() as s:
            courses = list((await s.exec(select(Course).order_by(Course.id))).all())
        created = 0
        for course in courses:
            period = weekly_moment(course, now)
            if now < period.due_at or (course.id, period.week) in self._planned:
                continue
            async with self._sessions() as s:
                groups = (
                    await s.exec(
                        select(LearnerGroup.id).where(
                            LearnerGroup.course_id == course.id, LearnerGroup.status == "active"
                        )
                    )
                ).all()
            if not groups:
                continue
            for group_id in groups:
                created += await self._actions.schedule(
                    "nudge",
                    f"group:{group_id}:{period.week}",
                    period.due_at,
                    {"group_id": group_id, "course_id": course.id, "week": period.week},
                    guild_id=course.guild_id,
                )
            created += await self._actions.schedule(
                "digest",
                f"course:{course.id}:{period.week}",
                period.due_at,
                {"course_id": course.id},
                guild_id=course.guild_id,
            )
            self._planned.add((course.id, period.week))
        return created

    async def defer(self, key: str, due_at: datetime, payload: dict, guild_id: int | None = None) -> bool:
        """A nudge that fell in the quiet hours (a late catch-up): one deferred copy, due at 08:00."""
        return await self._actions.schedule(
            "nudge", f"{key}:deferred", due_at, {**payload, "deferred": True}, guild_id=guild_id
        )

    # --- content ------------------------------------------------------------------------------------

    async def _has_table(self, name: str) -> bool:
        if name not in self._tables:
            async with self._sessions() as s:
                conn = await s.connection()
                self._tables[name] = await conn.run_sync(lambda c: sa.inspect(c).has_table(name))
        return self._tables[name]

    async def next_meetups(self, group_ids: list[int], now: datetime) -> dict[int, datetime]:
        """Each group's first scheduled meetup in the coming week (groups without one are absent)."""
        if not group_ids or not await self._has_table("meetup"):
            return {}
        async with self._sessions() as s:
            rows = await (await s.connection()).execute(
                sa.select(_meetup.c.group_id, sa.func.min(_meetup.c.starts_at))
                .where(
                    _meetup.c.group_id.in_(group_ids),
                    _meetup.c.status == "scheduled",
                    _meetup.c.starts_at >= now,
                    _meetup.c.starts_at < now + timedelta(days=7),
                )
                .group_by(_meetup.c.group_id)
            )
            return {group_id: starts_at for group_id, starts_at in rows}

    async def recent_meetups(self, group_id: int, limit: int = 3) -> list[datetime]:
        """The group's last meetups (for a newcomer's catch-up); empty when the feature is absent."""
        if not await self._has_table("meetup"):
            return []
        async with self._sessions() as s:
            rows = (
                await (await s.connection()).execute(
                    sa.select(_meetup.c.starts_at)
                    .where(_meetup.c.group_id == group_id, _meetup.c.status != "cancelled")
                    .order_by(_meetup.c.starts_at.desc())
                    .limit(limit)
                )
            ).all()
        return [r[0] for r in rows]

    async def organised(self, group_ids: list[int]) -> set[int]:
        """The groups among `group_ids` that have had a poll or a meetup."""
        found: set[int] = set()
        for name, table in (("poll", _poll), ("meetup", _meetup)):
            if not group_ids or not await self._has_table(name):
                continue
            async with self._sessions() as s:
                rows = await (await s.connection()).execute(
                    sa.select(table.c.group_id).where(table.c.group_id.in_(group_ids)).distinct()
                )
                found.update(group_id for (group_id,) in rows)
        return found

    async def group_state(self, course: Course, group_id: int) -> GroupState:
        return (await self.group_states(course, [group_id]))[group_id]

    async def group_states(
        self, course: Course, group_ids: list[int], quiet: set[int] | None = None
    ) -> dict[int, GroupState]:
        """Each group's state this week, read for all of them at once (a few queries, not a few a
        group); `quiet`: the course's quiet groups, when the caller has them."""
        now = self._clock.now()
        today = now.astimezone(ZoneInfo(course.timezone)).date()
        figures = await self._activity.week_figures(group_ids, today + timedelta(days=1))
        meetups = await self.next_meetups(group_ids, now)
        if quiet is None:
            quiet = {g.group_id for g in await self._activity.quiet_groups([course])}
        organised = await self.organised([g for g in group_ids if g not in meetups and g not in quiet])
        states: dict[int, GroupState] = {}
        for group_id in group_ids:
            figure = figures.get(group_id, WeekFigures())
            if group_id in meetups:
                states[group_id] = GroupState(group_id, "meetup", figure, meetups[group_id])
            elif group_id in quiet:
                states[group_id] = GroupState(group_id, "quiet", figure)
            elif group_id not in organised:
                states[group_id] = GroupState(group_id, "poll", figure)
            else:
                states[group_id] = GroupState(group_id, "thanks", figure)
        return states

    async def digest(self, course: Course) -> Digest:
        now = self._clock.now()
        today = now.astimezone(ZoneInfo(course.timezone)).date()
        async with self._sessions() as s:
            groups = (
                await s.exec(
                    select(LearnerGroup.id, LearnerGroup.number)
                    .where(LearnerGroup.course_id == course.id, LearnerGroup.status == "active")
                    .order_by(LearnerGroup.number)
                )
            ).all()
        quiet = await self._activity.quiet_groups([course])
        states = await self.group_states(course, [g for g, _ in groups], {q.group_id for q in quiet})
        by_state: dict[str, list[int]] = {state: [] for state in STATES}
        for group_id, number in groups:
            by_state[states[group_id].state].append(number)
        numbers = dict(groups)
        figures = [state.figures for state in states.values()]
        totals = WeekFigures(
            sum(f.messages for f in figures),
            sum(f.voice_minutes for f in figures),
            sum(f.active_members for f in figures),
        )
        return Digest(
            course_id=course.id,
            week=iso_week(today),
            by_state=by_state,
            newcomers=await self._newcomers.placed_since(course.id, now - timedelta(days=7)),
            quiet_groups=[numbers.get(q.group_id, 0) for q in quiet],
            isolated=[m.user_id for m in await self._activity.isolated_members([course])],
            unanswered=await self._activity.unanswered(course.id),
            waiting=await self._newcomers.waiting_count(course.id),
            totals=totals,
            left=await self._departures.since(course.id, now - timedelta(days=7)),
        )

    # --- opting out -----------------------------------------------------------------------------------

    async def set_pings(self, guild_id: int, user_id: int, on: bool) -> bool:
        """`/nudges on|off`. Returns whether anything changed."""
        async with self._sessions() as s, s.begin():
            row = (
                await s.exec(
                    select(NudgeOptOut).where(
                        NudgeOptOut.guild_id == guild_id, NudgeOptOut.user_id == user_id
                    )
                )
            ).first()
            if on and row is not None:
                await s.delete(row)
                return True
            if not on and row is None:
                s.add(NudgeOptOut(guild_id=guild_id, user_id=user_id, created_at=self._clock.now()))
                return True
        return False

    async def set_pings_safely(self, guild_id: int, user_id: int, on: bool) -> bool:
        try:
            return await self.set_pings(guild_id, user_id, on)
        except IntegrityError:  # a double click raced us: the wish is recorded either way
            return False

    async def opted_out(self, guild_id: int, user_ids: list[int]) -> set[int]:
        if not user_ids:
            return set()
        async with self._sessions() as s:
            rows = (
                await s.exec(
                    select(NudgeOptOut.user_id).where(
                        NudgeOptOut.guild_id == guild_id, col(NudgeOptOut.user_id).in_(user_ids)
                    )
                )
            ).all()
        return set(rows)
