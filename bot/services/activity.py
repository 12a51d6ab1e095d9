"""Activity watch: who posts and speaks, per group and per day — counts only, never content.

- The gateway listener calls `ActivityWatch.message(...)`: one dict lookup and one dict
  increment, keyed by (guild, group, user, day). The channel → group map lives in memory and is
  refreshed from the database (`refresh_map`), never queried per message.
- `flush()` writes the counters in one transaction (upserts), with each member's and each
  group's last active day; the cog calls it at least every 30 s and on shutdown.
- `quiet_groups` and `isolated_members` are set-based queries over the whole database.
- Questions (ids and times only) wait for an answer from another member; the cog's handlers
  check `question_state` before prompting or alerting.
"""

from __future__ import annotations

import json
import logging
import re
import secrets
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import and_, case, delete, func, literal, or_, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError
from sqlmodel import col, select

from bot.clock import Clock
from bot.errors import DomainError
from storage.db import SessionFactory
from storage.models import (
    Action,
    ActivityDay,
    Course,
    GroupMember,
    GroupWatch,
    LearnerGroup,
    MemberLastActive,
    OpenQuestion,
    WatchOptOut,
)

log = logging.getLogger(__name__)

FLUSH_SECONDS = 30
NEWCOMER_SILENT_DAYS = 7  # a learner who has not posted this long after joining their group
SNOOZE_DAYS = 7
DEFAULT_TZ = "Europe/Paris"
ANONYMOUS = 0  # the user id of a group's counts from learners who asked not to be followed


class UnknownGroup(DomainError):
    key = "activity.error.unknown_group"


class BadSetting(DomainError):
    key = "activity.error.setting"


@dataclass(frozen=True, slots=True)
class ChannelInfo:
    group_id: int
    course_id: int
    tz: str


@dataclass(frozen=True)
class QuietGroup:
    group_id: int
    course_id: int
    number: int
    channel_id: int | None
    last_active_day: date | None
    snoozes: int
    members: int

    @property
    def alert_key(self) -> str:
        last = self.last_active_day.isoformat() if self.last_active_day else "never"
        return f"group:{self.group_id}:{last}:{self.snoozes}"


@dataclass(frozen=True)
class IsolatedMember:
    user_id: int
    group_id: int
    course_id: int
    last_active_day: date | None
    joined_at: datetime

    @property
    def alert_key(self) -> str:
        last = self.last_active_day.isoformat() if self.last_active_day else "never"
        return f"course:{self.course_id}:user:{self.user_id}:{last}"


@dataclass(frozen=True)
class QuestionState:
    id: int
    guild_id: int
    course_id: int | None
    channel_id: int
    message_id: int
    author_id: int
    asked_at: datetime
    answered: bool


@dataclass(frozen=True)
class WeekFigures:
    messages: int = 0
    voice_minutes: int = 0
    active_members: int = 0


@dataclass
class _DayCache:
    """Today's date per timezone, recomputed only when the local day changes."""

    clock: Clock
    days: dict[str, tuple[datetime, datetime, date]] = field(default_factory=dict)

    def today(self, tz: str) -> date:
        now = self.clock.now()
        hit = self.days.get(tz)
        if hit is not None and hit[0] <= now < hit[1]:
            return hit[2]
        zone = ZoneInfo(tz)
        local = now.astimezone(zone)
        start = datetime.combine(local.date(), time(), zone).astimezone(UTC)
        end = datetime.combine(local.date() + timedelta(days=1), time(), zone).astimezone(UTC)
        self.days[tz] = (start, end, local.date())
        return local.date()


def local_day(moment: datetime, tz: str) -> date:
    return moment.astimezone(ZoneInfo(tz)).date()


def local_today(clock: Clock, tz: str) -> date:
    return local_day(clock.now(), tz)


class ActivityWatch:
    """In-memory counters (the hot path) and their batched writes."""

    def __init__(self, sessions: SessionFactory, clock: Clock) -> None:
        self._sessions = sessions
        self._clock = clock
        self._days = _DayCache(clock)
        self.channels: dict[int, ChannelInfo] = {}
        self.guild_tz: dict[int, str] = {}
        self.guild_course: dict[int, int] = {}
        self.course_hours: dict[int, int] = {}
        self._messages: dict[tuple[int, int, int, date], int] = {}
        self._voice: dict[tuple[int, int, int, date], int] = {}
        self._voice_sessions: dict[tuple[int, int], tuple[int, datetime]] = {}
        self._questions: list[tuple[int, int | None, int, int, int, datetime]] = []
        self._answers: dict[tuple[int, int], datetime] = {}  # (channel, answerer) → latest time
        self.open_questions: dict[int, set[int]] = {}  # channel id → authors of open questions

    # --- the hot path -------------------------------------------------------------------------------

    def message(self, guild_id: int, channel_id: int, user_id: int) -> None:
        """Count one message. O(1): one map lookup, one cached day, one dict increment."""
        info = self.channels.get(channel_id)
        if info is None:
            key = (guild_id, 0, user_id, self._days.today(self.guild_tz.get(guild_id, DEFAULT_TZ)))
        else:
            key = (guild_id, info.group_id, user_id, self._days.today(info.tz))
        counts = self._messages
        counts[key] = counts.get(key, 0) + 1
        waiting = self.open_questions.get(channel_id)
        if waiting and (len(waiting) > 1 or user_id not in waiting):
            self._answers[(channel_id, user_id)] = self._clock.now()
            waiting.intersection_update((user_id,))
            if not waiting:
                del self.open_questions[channel_id]

    def course_of(self, guild_id: int, channel_id: int) -> int | None:
        info = self.channels.get(channel_id)
        return info.course_id if info else self.guild_course.get(guild_id)

    def question(self, guild_id: int, channel_id: int, message_id: int, user_id: int) -> bool:
        """Remember a question (ids and time only) until the next flush. False: no course here."""
        course_id = self.course_of(guild_id, channel_id)
        if course_id is None:
            return False
        self._questions.append((guild_id, course_id, channel_id, message_id, user_id, self._clock.now()))
        self.open_questions.setdefault(channel_id, set()).add(user_id)
        return True

    def voice_join(self, guild_id: int, user_id: int, channel_id: int) -> None:
        self.voice_leave(guild_id, user_id)
        self._voice_sessions[(guild_id, user_id)] = (channel_id, self._clock.now())

    def voice_leave(self, guild_id: int, user_id: int) -> None:
        session = self._voice_sessions.pop((guild_id, user_id), None)
        if session is not None:
            self._credit_voice(guild_id, user_id, *session, self._clock.now())

    def _credit_voice(
        self, guild_id: int, user_id: int, channel_id: int, since: datetime, now: datetime
    ) -> int:
        minutes = int((now - since).total_seconds() // 60)
        if minutes <= 0:
            return 0
        info = self.channels.get(channel_id)
        tz = info.tz if info else self.guild_tz.get(guild_id, DEFAULT_TZ)
        key = (guild_id, info.group_id if info else 0, user_id, self._days.today(tz))
        self._voice[key] = self._voice.get(key, 0) + minutes
        return minutes

    def pending(self) -> int:
        return len(self._messages) + len(self._voice) + len(self._questions) + len(self._answers)

    # --- the map ------------------------------------------------------------------------------------

    async def refresh_map(self, extra: dict[int, int] | None = None) -> None:
        """Reload channel → group (and guild → timezone). `extra`: more channels (voice) → group id."""
        async with self._sessions() as s:
            rows = (
                await s.exec(
                    select(
                        LearnerGroup.id, LearnerGroup.channel_id, Course.id, Course.guild_id, Course.timezone
                    )
                    .join(Course, Course.id == LearnerGroup.course_id)
                    .where(LearnerGroup.status == "active")
                )
            ).all()
            courses = (
                await s.exec(
                    select(Course.id, Course.guild_id, Course.timezone, Course.unanswered_hours).order_by(
                        Course.id
                    )
                )
            ).all()
        channels: dict[int, ChannelInfo] = {}
        by_group: dict[int, ChannelInfo] = {}
        for group_id, channel_id, course_id, _guild_id, tz in rows:
            info = ChannelInfo(group_id, course_id, tz)
            by_group[group_id] = info
            if channel_id:
                channels[channel_id] = info
        for channel_id, group_id in (extra or {}).items():
            if group_id in by_group:
                channels[channel_id] = by_group[group_id]
        guild_tz: dict[int, str] = {}
        guild_course: dict[int, int] = {}
        for course_id, guild_id, tz, _hours in courses:
            guild_tz.setdefault(guild_id, tz)
            guild_course.setdefault(guild_id, course_id)
        self.course_hours = {course_id: hours for course_id, _g, _tz, hours in courses}
        self.channels, self.guild_tz, self.guild_course = channels, guild_tz, guild_course

    async def load_open_questions(self) -> None:
        """After a restart: the channels where a question still waits for an answer."""
        async with self._sessions() as s:
            rows = (
                await s.exec(
                    select(OpenQuestion.channel_id, OpenQuestion.author_id).where(
                        col(OpenQuestion.answered_at).is_(None),
                        OpenQuestion.asked_at > self._clock.now() - timedelta(days=7),
                    )
                )
            ).all()
        for channel_id, author_id in rows:
            self.open_questions.setdefault(channel_id, set()).add(author_id)

    # --- writing ------------------------------------------------------------------------------------

    async def flush(self) -> int:
        """Write what was counted since the last flush. Returns the number of counters written."""
        now = self._clock.now()
        for (guild_id, user_id), (channel_id, since) in list(self._voice_sessions.items()):
            credited = self._credit_voice(guild_id, user_id, channel_id, since, now)
            if credited:
                self._voice_sessions[(guild_id, user_id)] = (channel_id, since + timedelta(minutes=credited))
        messages, self._messages = self._messages, {}
        voice, self._voice = self._voice, {}
        questions, self._questions = self._questions, []
        answers, self._answers = self._answers, {}
        if not (messages or voice or questions or answers):
            return 0
        try:
            await self._write(messages, voice, questions, answers)
        except Exception:
            self._restore(messages, voice, questions, answers)
            raise
        return len(messages) + len(voice)

    def _restore(self, messages, voice, questions, answers) -> None:
        """A failed write keeps its counts for the next flush (nothing is lost)."""
        for key, n in messages.items():
            self._messages[key] = self._messages.get(key, 0) + n
        for key, n in voice.items():
            self._voice[key] = self._voice.get(key, 0) + n
        self._questions[:0] = questions
        for key, at in answers.items():
            self._answers.setdefault(key, at)

    async def _write(self, messages, voice, questions, answers) -> None:
        rows: dict[tuple[int, int, int, date], list[int]] = {}
        for key, n in messages.items():
            rows.setdefault(key, [0, 0])[0] += n
        for key, n in voice.items():
            rows.setdefault(key, [0, 0])[1] += n
        last_group: dict[int, date] = {}
        for _guild_id, group_id, _user_id, day in rows:
            if group_id and last_group.get(group_id, date.min) < day:
                last_group[group_id] = day
        if rows:  # read apart: the transaction below starts with a write, as SQLite likes it
            async with self._sessions() as s:
                rows = await _unfollow(s, rows)
        async with self._sessions() as s, s.begin():
            insert = postgresql.insert if s.bind.dialect.name == "postgresql" else sqlite.insert
            last_member: dict[tuple[int, int], date] = {}
            for guild_id, _group_id, user_id, day in rows:
                if user_id != ANONYMOUS and last_member.get((guild_id, user_id), date.min) < day:
                    last_member[(guild_id, user_id)] = day
            if rows:
                await _add_days(s, rows)
            if last_member:
                await _mark_last_active(s, last_member)
            if last_group:
                stmt = insert(GroupWatch)
                stmt = stmt.on_conflict_do_update(
                    index_elements=["group_id"],
                    set_={
                        "last_active_day": case(
                            (
                                or_(
                                    col(GroupWatch.last_active_day).is_(None),
                                    stmt.excluded.last_active_day > GroupWatch.last_active_day,
                                ),
                                stmt.excluded.last_active_day,
                            ),
                            else_=GroupWatch.last_active_day,
                        )
                    },
                )
                await (await s.connection()).execute(
                    stmt,
                    [dict(group_id=g, last_active_day=d, snoozes=0) for g, d in sorted(last_group.items())],
                )
            if questions:
                stmt = insert(OpenQuestion).on_conflict_do_nothing(index_elements=["message_id"])
                await (await s.connection()).execute(
                    stmt,
                    [
                        dict(guild_id=g, course_id=c, channel_id=ch, message_id=m, author_id=a, asked_at=t)
                        for g, c, ch, m, a, t in questions
                    ],
                )
                # The prompt after H hours and the teachers' alert after 2H: rows of the action queue.
                actions = []
                for guild_id, course_id, _ch, message_id, _a, asked in questions:
                    hours = timedelta(hours=self.course_hours.get(course_id, 24))
                    for kind, due in (
                        ("question_prompt", asked + hours),
                        ("question_alert", asked + 2 * hours),
                    ):
                        actions.append(
                            dict(
                                kind=kind,
                                key=f"msg:{message_id}",
                                guild_id=guild_id,
                                due_at=due,
                                payload=json.dumps({"message_id": message_id}),
                                nonce=secrets.token_hex(12),
                                created_at=self._clock.now(),
                                status="pending",
                                attempts=0,
                            )
                        )
                stmt = insert(Action).on_conflict_do_nothing(index_elements=["kind", "key"])
                await (await s.connection()).execute(stmt, actions)
            for (channel_id, author_id), at in answers.items():
                await s.exec(
                    update(OpenQuestion)
                    .where(
                        OpenQuestion.channel_id == channel_id,
                        OpenQuestion.author_id != author_id,
                        col(OpenQuestion.answered_at).is_(None),
                        OpenQuestion.asked_at <= at,
                    )
                    .values(answered_at=at)
                )


async def _unfollow(s, rows: dict[tuple[int, int, int, date], list[int]]) -> dict:
    """The counts of learners who asked not to be followed go to their group under ANONYMOUS (a
    group's figures stay whole); outside any group they are not kept."""
    users = sorted({user_id for _g, _gr, user_id, _d in rows})
    unfollowed = set(
        (
            await s.exec(
                select(WatchOptOut.guild_id, WatchOptOut.user_id).where(col(WatchOptOut.user_id).in_(users))
            )
        ).all()
    )
    if not unfollowed:
        return rows
    kept: dict[tuple[int, int, int, date], list[int]] = {}
    for (guild_id, group_id, user_id, day), (messages, voice) in rows.items():
        if (guild_id, user_id) in unfollowed:
            if not group_id:
                continue
            user_id = ANONYMOUS
        totals = kept.setdefault((guild_id, group_id, user_id, day), [0, 0])
        totals[0] += messages
        totals[1] += voice
    return kept


async def _add_days(s, rows: dict[tuple[int, int, int, date], list[int]]) -> None:
    """Add messages and voice minutes to the (guild, group, user, day) counters, in one statement."""
    insert = postgresql.insert if s.bind.dialect.name == "postgresql" else sqlite.insert
    stmt = insert(ActivityDay)
    stmt = stmt.on_conflict_do_update(
        index_elements=["guild_id", "group_id", "user_id", "day"],
        set_={
            "messages": ActivityDay.messages + stmt.excluded.messages,
            "voice_minutes": ActivityDay.voice_minutes + stmt.excluded.voice_minutes,
        },
    )
    await (await s.connection()).execute(
        stmt,
        [
            dict(guild_id=g, group_id=gr, user_id=u, day=d, messages=m, voice_minutes=v)
            for (g, gr, u, d), (m, v) in sorted(rows.items())
        ],
    )


async def _mark_last_active(s, days: dict[tuple[int, int], date]) -> None:
    """Move each (guild, member)'s last active day forward to the day given (never back)."""
    insert = postgresql.insert if s.bind.dialect.name == "postgresql" else sqlite.insert
    stmt = insert(MemberLastActive)
    stmt = stmt.on_conflict_do_update(
        index_elements=["guild_id", "user_id"],
        set_={
            "day": case(
                (stmt.excluded.day > MemberLastActive.day, stmt.excluded.day),
                else_=MemberLastActive.day,
            )
        },
    )
    await (await s.connection()).execute(
        stmt, [dict(guild_id=g, user_id=u, day=d) for (g, u), d in sorted(days.items())]
    )


def _opted_out(guild_id: int, user_id: int):
    return and_(WatchOptOut.guild_id == guild_id, WatchOptOut.user_id == user_id)


async def _unfollow_past(s, guild_id: int, user_id: int) -> None:
    """A learner who asked not to be followed: their counts so far join their group's anonymous ones
    (those outside a group go), and their last active day goes (no isolation alert names them)."""
    mine = and_(ActivityDay.guild_id == guild_id, ActivityDay.user_id == user_id)
    columns = (ActivityDay.group_id, ActivityDay.day, ActivityDay.messages, ActivityDay.voice_minutes)
    days = (await s.exec(select(*columns).where(mine, ActivityDay.group_id != 0))).all()
    if days:
        await _add_days(s, {(guild_id, g, ANONYMOUS, d): [m, v] for g, d, m, v in days})
    await s.exec(delete(ActivityDay).where(mine))
    await s.exec(
        delete(MemberLastActive).where(
            MemberLastActive.guild_id == guild_id, MemberLastActive.user_id == user_id
        )
    )


def _by_course(courses: Iterable[Course], value: Callable[[Course], object], column) -> object:
    """A CASE on the course id: one query covers courses with different settings and timezones."""
    whens = [(column == c.id, literal(value(c))) for c in courses]
    return case(*whens, else_=None) if whens else literal(None)


class ActivityService:
    """Scans, questions and course settings of the activity watch (reads and writes the database)."""

    def __init__(self, sessions: SessionFactory, clock: Clock) -> None:
        self._sessions = sessions
        self._clock = clock
        self.watch = ActivityWatch(sessions, clock)

    async def _courses(self) -> list[Course]:
        async with self._sessions() as s:
            return list((await s.exec(select(Course).order_by(Course.id))).all())

    def _today(self, course: Course) -> date:
        return local_today(self._clock, course.timezone)

    # --- quiet groups ------------------------------------------------------------------------------

    async def quiet_groups(self, courses: list[Course] | None = None) -> list[QuietGroup]:
        """Active groups with no message and no voice for their course's quiet_days (one query)."""
        courses = courses if courses is not None else await self._courses()
        if not courses:
            return []
        now = self._clock.now()
        today = {c.id: self._today(c) for c in courses}
        cut_day = _by_course(
            courses, lambda c: today[c.id] - timedelta(days=c.quiet_days), LearnerGroup.course_id
        )
        cut_time = _by_course(courses, lambda c: now - timedelta(days=c.quiet_days), LearnerGroup.course_id)
        today_case = _by_course(courses, lambda c: today[c.id], LearnerGroup.course_id)
        members = (
            select(GroupMember.group_id, func.count().label("n")).group_by(GroupMember.group_id).subquery()
        )
        query = (
            select(
                LearnerGroup.id,
                LearnerGroup.course_id,
                LearnerGroup.number,
                LearnerGroup.channel_id,
                GroupWatch.last_active_day,
                func.coalesce(GroupWatch.snoozes, 0),
                func.coalesce(members.c.n, 0),
            )
            .outerjoin(GroupWatch, GroupWatch.group_id == LearnerGroup.id)
            .outerjoin(members, members.c.group_id == LearnerGroup.id)
            .where(
                LearnerGroup.status == "active",
                col(LearnerGroup.course_id).in_([c.id for c in courses]),
                or_(col(GroupWatch.snoozed_until).is_(None), GroupWatch.snoozed_until <= today_case),
                or_(
                    GroupWatch.last_active_day < cut_day,
                    and_(col(GroupWatch.last_active_day).is_(None), LearnerGroup.created_at < cut_time),
                ),
            )
            .order_by(LearnerGroup.course_id, LearnerGroup.number)
        )
        async with self._sessions() as s:
            rows = (await s.exec(query)).all()
        return [QuietGroup(*row) for row in rows]

    async def group_last_active(self, group_id: int) -> date | None:
        async with self._sessions() as s:
            watch = await s.get(GroupWatch, group_id)
        return watch.last_active_day if watch else None

    async def snooze(self, group_id: int, days: int = SNOOZE_DAYS) -> date:
        """Teachers: no quiet alert for this group for `days`; a new alert after that if still quiet."""
        async with self._sessions() as s, s.begin():
            group = await s.get(LearnerGroup, group_id)
            if group is None:
                raise UnknownGroup()
            course = await s.get(Course, group.course_id)
            until = local_today(self._clock, course.timezone) + timedelta(days=days)
            watch = await s.get(GroupWatch, group_id)
            if watch is None:
                s.add(GroupWatch(group_id=group_id, snoozed_until=until, snoozes=1))
            else:
                watch.snoozed_until = until
                watch.snoozes += 1
        return until

    # --- isolation ---------------------------------------------------------------------------------

    async def isolated_members(self, courses: list[Course] | None = None) -> list[IsolatedMember]:
        """Learners silent for isolation_days while their group is active, or silent since joining."""
        courses = courses if courses is not None else await self._courses()
        if not courses:
            return []
        now = self._clock.now()
        today = {c.id: self._today(c) for c in courses}
        group_active = _by_course(
            courses, lambda c: today[c.id] - timedelta(days=c.quiet_days), LearnerGroup.course_id
        )
        iso_cut = _by_course(
            courses, lambda c: today[c.id] - timedelta(days=c.isolation_days), LearnerGroup.course_id
        )
        query = (
            select(
                GroupMember.user_id,
                GroupMember.group_id,
                LearnerGroup.course_id,
                MemberLastActive.day,
                GroupMember.joined_at,
            )
            .join(LearnerGroup, LearnerGroup.id == GroupMember.group_id)
            .join(Course, Course.id == LearnerGroup.course_id)
            .outerjoin(GroupWatch, GroupWatch.group_id == LearnerGroup.id)
            .outerjoin(
                MemberLastActive,
                and_(
                    MemberLastActive.guild_id == Course.guild_id,
                    MemberLastActive.user_id == GroupMember.user_id,
                ),
            )
            .outerjoin(
                WatchOptOut,
                and_(WatchOptOut.guild_id == Course.guild_id, WatchOptOut.user_id == GroupMember.user_id),
            )
            .where(
                col(WatchOptOut.id).is_(None),  # asked not to be followed
                LearnerGroup.status == "active",
                col(LearnerGroup.course_id).in_([c.id for c in courses]),
                or_(
                    and_(
                        col(MemberLastActive.day).is_(None),
                        GroupMember.joined_at < now - timedelta(days=NEWCOMER_SILENT_DAYS),
                    ),
                    and_(MemberLastActive.day < iso_cut, GroupWatch.last_active_day >= group_active),
                ),
            )
            .order_by(LearnerGroup.course_id, GroupMember.user_id)
        )
        async with self._sessions() as s:
            rows = (await s.exec(query)).all()
        return [IsolatedMember(*row) for row in rows]

    async def member_last_active(self, guild_id: int, user_id: int) -> date | None:
        async with self._sessions() as s:
            row = (
                await s.exec(
                    select(MemberLastActive.day).where(
                        MemberLastActive.guild_id == guild_id, MemberLastActive.user_id == user_id
                    )
                )
            ).first()
        return row

    # --- questions ----------------------------------------------------------------------------------

    async def question(self, message_id: int) -> QuestionState | None:
        async with self._sessions() as s:
            row = (await s.exec(select(OpenQuestion).where(OpenQuestion.message_id == message_id))).first()
        return _question(row) if row else None

    async def unanswered(self, course_id: int) -> int:
        """Questions of the course still unanswered after their course's delay (for the digest)."""
        async with self._sessions() as s:
            course = await s.get(Course, course_id)
            if course is None:
                return 0
            cutoff = self._clock.now() - timedelta(hours=course.unanswered_hours)
            return (
                await s.exec(
                    select(func.count()).where(
                        OpenQuestion.course_id == course_id,
                        col(OpenQuestion.answered_at).is_(None),
                        OpenQuestion.asked_at < cutoff,
                        OpenQuestion.asked_at > self._clock.now() - timedelta(days=7),
                    )
                )
            ).one()

    # --- figures ------------------------------------------------------------------------------------

    async def week_figures(self, group_ids: list[int], until: date) -> dict[int, WeekFigures]:
        """Messages, voice minutes and active members of each group over the 7 days before `until`."""
        if not group_ids:
            return {}
        since = until - timedelta(days=7)
        async with self._sessions() as s:
            rows = (
                await s.exec(
                    select(
                        ActivityDay.group_id,
                        func.sum(ActivityDay.messages),
                        func.sum(ActivityDay.voice_minutes),
                        func.count(func.distinct(ActivityDay.user_id)),
                    )
                    .where(
                        col(ActivityDay.group_id).in_(group_ids),
                        ActivityDay.day >= since,
                        ActivityDay.day < until,
                    )
                    .group_by(ActivityDay.group_id)
                )
            ).all()
        return {g: WeekFigures(int(m or 0), int(v or 0), int(n or 0)) for g, m, v, n in rows}

    # --- a learner's choice -----------------------------------------------------------------------------

    async def following(self, guild_id: int, user_id: int) -> bool:
        """Whether the activity watch follows this learner on this server (it does unless they said no)."""
        async with self._sessions() as s:
            return (await s.exec(select(WatchOptOut).where(_opted_out(guild_id, user_id)))).first() is None

    async def set_following(self, guild_id: int, user_id: int, follow: bool) -> bool:
        """`/mydata watch`. Returns whether anything changed; a double click's race is the same wish."""
        if not follow:
            await self.watch.flush()  # what this process counted so far is handled below
        try:
            async with self._sessions() as s, s.begin():
                row = (await s.exec(select(WatchOptOut).where(_opted_out(guild_id, user_id)))).first()
                if follow == (row is None):
                    return False
                if follow:
                    await s.delete(row)
                    await self._follow_again(s, guild_id, user_id)
                else:
                    s.add(WatchOptOut(guild_id=guild_id, user_id=user_id, created_at=self._clock.now()))
                    await _unfollow_past(s, guild_id, user_id)
                return True
        except IntegrityError:
            return False

    async def _follow_again(self, s, guild_id: int, user_id: int) -> None:
        """Counted from now, and active today: not taken for silent since joining their group."""
        query = select(Course.timezone).where(Course.guild_id == guild_id).order_by(Course.id)
        tz = (await s.exec(query)).first() or DEFAULT_TZ
        await _mark_last_active(s, {(guild_id, user_id): local_today(self._clock, tz)})

    # --- course settings ------------------------------------------------------------------------------

    async def update_settings(self, course_id: int, **changes: object) -> Course:
        allowed = {"quiet_days", "isolation_days", "unanswered_hours", "nudge_weekday", "nudge_time"}
        unknown = set(changes) - allowed
        if unknown:
            raise ValueError(f"not editable here: {unknown}")
        if "nudge_time" in changes:
            changes["nudge_time"] = parse_hhmm(str(changes["nudge_time"]))
        for key in ("quiet_days", "isolation_days"):
            if key in changes and not 1 <= int(changes[key]) <= 60:
                raise BadSetting(name=key, value=changes[key])
        if "unanswered_hours" in changes and not 1 <= int(changes["unanswered_hours"]) <= 168:
            raise BadSetting(name="unanswered_hours", value=changes["unanswered_hours"])
        if "nudge_weekday" in changes and not 0 <= int(changes["nudge_weekday"]) <= 6:
            raise BadSetting(name="nudge_weekday", value=changes["nudge_weekday"])
        async with self._sessions() as s, s.begin():
            course = await s.get(Course, course_id)
            for key, value in changes.items():
                setattr(course, key, value)
        return course

    async def pending_alert_keys(self, kind: str, keys: list[str]) -> set[str]:
        """Which of these action keys already exist (so a scan schedules only new alerts)."""
        found: set[str] = set()
        async with self._sessions() as s:
            for start in range(0, len(keys), 500):
                chunk = keys[start : start + 500]
                query = select(Action.key).where(Action.kind == kind, col(Action.key).in_(chunk))
                found.update((await s.exec(query)).all())
        return found


_HHMM = re.compile(r"^\s*(\d{1,2})\s*[:hH]\s*(\d{2})?\s*$")


def parse_hhmm(text: str) -> str:
    """'18:00', '18h', '7h30' → 'HH:MM'."""
    m = _HHMM.match(text or "")
    if not m or int(m.group(1)) > 23 or int(m.group(2) or 0) > 59:
        raise BadSetting(name="nudge_time", value=text)
    return f"{int(m.group(1)):02d}:{int(m.group(2) or 0):02d}"


def _question(q: OpenQuestion) -> QuestionState:
    return QuestionState(
        q.id,
        q.guild_id,
        q.course_id,
        q.channel_id,
        q.message_id,
        q.author_id,
        q.asked_at,
        q.answered_at is not None,
    )
