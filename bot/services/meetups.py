"""Meetups: a group meeting by voice, its life cycle, attendance from voice states, feedback.

- `create` stores the meetup first (the Discord voice channel and scheduled event are
  attached afterwards by the cog); a poll gives at most one meetup (unique `poll_id`).
- Attendance: each join opens an interval, each leave adds its part inside the meetup's
  window (15 min before the start to 15 min after the end) to the member's seconds; a
  member is present after PRESENT_AFTER of accumulated time. Times come from the Clock.
- The voice channel is removed once the meetup is over and the channel has been empty
  for VOICE_GRACE (unless the course keeps voice channels).
- Feedback: one row per member (a 1–5 rating, "meet again?"), changeable, queryable.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import col, select

from bot.clock import Clock
from bot.errors import DomainError
from bot.services.groups import members_of
from storage.db import SessionFactory
from storage.models import Course, LearnerGroup, Meetup, MeetupAttendance, MeetupFeedback

EVENTS_PER_GUILD = 100
PRESENT_AFTER = timedelta(minutes=10)
WINDOW_BEFORE = timedelta(minutes=15)
WINDOW_AFTER = timedelta(minutes=15)
VOICE_GRACE = timedelta(minutes=30)
REMINDERS = (("24h", timedelta(hours=24)), ("15m", timedelta(minutes=15)))
LIVE = ("scheduled", "active")


class TooManyEvents(DomainError):
    key = "meetup.error.too_many_events"


class MeetupInPast(DomainError):
    key = "meetup.error.past"


class MeetupNotFound(DomainError):
    key = "meetup.error.not_found"


class AlreadyScheduled(DomainError):
    key = "meetup.error.already_scheduled"


class NotMeetupMember(DomainError):
    key = "meetup.error.not_member"


class BadRating(DomainError):
    key = "meetup.error.rating"


@dataclass(frozen=True)
class MeetupView:
    id: int
    group_id: int
    course_id: int
    guild_id: int
    group_channel_id: int | None
    poll_id: int | None
    title: str
    starts_at: datetime
    ends_at: datetime
    voice_channel_id: int | None
    event_id: int | None
    status: str
    created_by: int
    members: tuple[int, ...]
    voice_empty_since: datetime | None = None
    voice_removed: bool = False
    keep_voice_channels: bool = False

    @property
    def window(self) -> tuple[datetime, datetime]:
        return self.starts_at - WINDOW_BEFORE, self.ends_at + WINDOW_AFTER


@dataclass(frozen=True)
class FeedbackSummary:
    answers: int
    average: float | None
    ratings: dict[int, int]
    again_yes: int
    again_no: int


def _clip(start: datetime, end: datetime, window: tuple[datetime, datetime]) -> int:
    lo, hi = max(start, window[0]), min(end, window[1])
    return max(0, int((hi - lo).total_seconds()))


class MeetupService:
    def __init__(self, sessions: SessionFactory, clock: Clock) -> None:
        self._sessions = sessions
        self._clock = clock

    def now(self) -> datetime:
        return self._clock.now()

    # --- reading --------------------------------------------------------------------------------------

    async def get(self, meetup_id: int) -> MeetupView:
        async with self._sessions() as s:
            m = await s.get(Meetup, meetup_id)
            if m is None:
                raise MeetupNotFound()
            return await self._view(s, m)

    async def _view(self, s, m: Meetup) -> MeetupView:
        group = await s.get(LearnerGroup, m.group_id)
        course = await s.get(Course, group.course_id)
        members = tuple((await members_of(s, [m.group_id])).get(m.group_id, ()))
        return MeetupView(
            id=m.id,
            group_id=m.group_id,
            course_id=course.id,
            guild_id=course.guild_id,
            group_channel_id=group.channel_id,
            poll_id=m.poll_id,
            title=m.title,
            starts_at=m.starts_at,
            ends_at=m.ends_at,
            voice_channel_id=m.voice_channel_id,
            event_id=m.event_id,
            status=m.status,
            created_by=m.created_by,
            members=members,
            voice_empty_since=m.voice_empty_since,
            voice_removed=m.voice_removed,
            keep_voice_channels=course.keep_voice_channels,
        )

    async def upcoming(self, group_id: int) -> list[MeetupView]:
        """Scheduled or running meetups of the group, soonest first."""
        async with self._sessions() as s:
            rows = (
                await s.exec(
                    select(Meetup)
                    .where(Meetup.group_id == group_id, col(Meetup.status).in_(LIVE))
                    .order_by(Meetup.starts_at)
                )
            ).all()
            return [await self._view(s, m) for m in rows]

    async def live_count(self, guild_id: int) -> int:
        async with self._sessions() as s:
            query = select(func.count()).where(Meetup.guild_id == guild_id, col(Meetup.status).in_(LIVE))
            return (await s.exec(query)).one()

    async def by_voice_channel(self, channel_id: int) -> MeetupView | None:
        async with self._sessions() as s:
            m = (
                await s.exec(
                    select(Meetup)
                    .where(Meetup.voice_channel_id == channel_id, Meetup.voice_removed.is_(False))
                    .order_by(col(Meetup.id).desc())
                )
            ).first()
            return await self._view(s, m) if m else None

    # --- creating --------------------------------------------------------------------------------------

    def check_room(self, guild_events: int, stored_live: int) -> None:
        """Discord allows 100 scheduled or active events per guild."""
        used = max(guild_events, stored_live)
        if used >= EVENTS_PER_GUILD:
            raise TooManyEvents(count=used, limit=EVENTS_PER_GUILD)

    async def create(
        self,
        *,
        group_id: int,
        guild_id: int,
        title: str,
        starts_at: datetime,
        length_minutes: int,
        created_by: int,
        poll_id: int | None = None,
        now_ok: bool = False,
    ) -> MeetupView:
        now = self._clock.now()
        if not now_ok and starts_at <= now:
            raise MeetupInPast(when=int(starts_at.timestamp()))
        row = Meetup(
            group_id=group_id,
            guild_id=guild_id,
            poll_id=poll_id,
            title=(title.strip() or "…")[:100],
            starts_at=starts_at,
            ends_at=starts_at + timedelta(minutes=length_minutes),
            status="active" if now_ok and starts_at <= now + timedelta(minutes=2) else "scheduled",
            created_by=created_by,
            created_at=now,
        )
        try:
            async with self._sessions() as s, s.begin():
                s.add(row)
                await s.flush()
                meetup_id = row.id
        except IntegrityError:
            raise AlreadyScheduled() from None
        return await self.get(meetup_id)

    async def for_poll(self, poll_id: int) -> MeetupView | None:
        async with self._sessions() as s:
            m = (await s.exec(select(Meetup).where(Meetup.poll_id == poll_id))).first()
            return await self._view(s, m) if m else None

    async def attach(
        self, meetup_id: int, *, voice_channel_id: int | None = None, event_id: int | None = None
    ):
        values = {}
        if voice_channel_id is not None:
            values["voice_channel_id"] = voice_channel_id
            values["voice_empty_since"] = self._clock.now()
        if event_id is not None:
            values["event_id"] = event_id
        if values:
            async with self._sessions() as s, s.begin():
                await s.exec(update(Meetup).where(Meetup.id == meetup_id).values(**values))

    async def delete_unstarted(self, meetup_id: int) -> None:
        """Discord refused the channel or event: forget the meetup (it was never announced)."""
        async with self._sessions() as s, s.begin():
            await s.exec(
                update(Meetup).where(Meetup.id == meetup_id).values(status="cancelled", poll_id=None)
            )

    # --- life cycle ------------------------------------------------------------------------------------

    async def _move(self, meetup_id: int, from_statuses: Sequence[str], to: str) -> bool:
        """Change the status if it is one of `from_statuses`: True for exactly one caller."""
        async with self._sessions() as s, s.begin():
            result = await s.exec(
                update(Meetup)
                .where(Meetup.id == meetup_id, col(Meetup.status).in_(from_statuses))
                .values(status=to)
            )
            return result.rowcount == 1

    async def cancel(self, meetup_id: int) -> MeetupView | None:
        """Cancel a scheduled or running meetup; the view for exactly one caller."""
        return await self.get(meetup_id) if await self._move(meetup_id, LIVE, "cancelled") else None

    async def start(self, meetup_id: int) -> bool:
        return await self._move(meetup_id, ("scheduled",), "active")

    async def finish(self, meetup_id: int) -> MeetupView | None:
        """Mark the meetup done and settle attendance, once. Returns the view for that one caller."""
        if not await self._move(meetup_id, LIVE, "done"):
            return None
        view = await self.get(meetup_id)
        await self._settle(view, self._clock.now())
        return view

    async def set_feedback_message(self, meetup_id: int, message_id: int) -> None:
        async with self._sessions() as s, s.begin():
            await s.exec(update(Meetup).where(Meetup.id == meetup_id).values(feedback_message_id=message_id))

    async def voice_removed(self, meetup_id: int) -> None:
        async with self._sessions() as s, s.begin():
            await s.exec(update(Meetup).where(Meetup.id == meetup_id).values(voice_removed=True))

    def voice_removable_at(self, meetup: MeetupView) -> datetime | None:
        """When the voice channel may go (None: keep it, or still in use)."""
        if meetup.keep_voice_channels or meetup.voice_removed or meetup.voice_channel_id is None:
            return None
        if meetup.voice_empty_since is None:
            return None
        return max(meetup.ends_at, meetup.voice_empty_since + VOICE_GRACE)

    # --- attendance ------------------------------------------------------------------------------------

    async def voice_join(self, channel_id: int, user_id: int) -> MeetupView | None:
        meetup = await self.by_voice_channel(channel_id)
        if meetup is None:
            return None
        now = self._clock.now()
        async with self._sessions() as s, s.begin():
            await s.exec(update(Meetup).where(Meetup.id == meetup.id).values(voice_empty_since=None))
            row = await self._attendance(s, meetup.id, user_id)
            if row.joined_at is None:
                row.joined_at = now
        return meetup

    async def voice_leave(self, channel_id: int, user_id: int, *, channel_empty: bool) -> MeetupView | None:
        meetup = await self.by_voice_channel(channel_id)
        if meetup is None:
            return None
        now = self._clock.now()
        async with self._sessions() as s, s.begin():
            if channel_empty:
                await s.exec(update(Meetup).where(Meetup.id == meetup.id).values(voice_empty_since=now))
            row = await self._attendance(s, meetup.id, user_id)
            if row.joined_at is not None:
                row.seconds += _clip(row.joined_at, now, meetup.window)
                row.joined_at = None
                row.present = row.seconds >= PRESENT_AFTER.total_seconds()
        return await self.get(meetup.id)

    async def voice_channels(self, guild_id: int) -> dict[int, set[int]]:
        """Voice channel id → members with an open stay, for the guild's meetups whose channel exists."""
        async with self._sessions() as s:
            meetups = (
                await s.exec(
                    select(Meetup.id, Meetup.voice_channel_id).where(
                        Meetup.guild_id == guild_id,
                        col(Meetup.voice_channel_id).is_not(None),
                        Meetup.voice_removed.is_(False),
                    )
                )
            ).all()
            out: dict[int, set[int]] = {channel_id: set() for _, channel_id in meetups}
            by_meetup = {meetup_id: channel_id for meetup_id, channel_id in meetups}
            if by_meetup:
                open_stays = (
                    await s.exec(
                        select(MeetupAttendance.meetup_id, MeetupAttendance.user_id).where(
                            col(MeetupAttendance.meetup_id).in_(by_meetup),
                            col(MeetupAttendance.joined_at).is_not(None),
                        )
                    )
                ).all()
                for meetup_id, user_id in open_stays:
                    out[by_meetup[meetup_id]].add(user_id)
        return out

    async def _attendance(self, s, meetup_id: int, user_id: int) -> MeetupAttendance:
        row = (
            await s.exec(
                select(MeetupAttendance).where(
                    MeetupAttendance.meetup_id == meetup_id, MeetupAttendance.user_id == user_id
                )
            )
        ).first()
        if row is None:
            row = MeetupAttendance(meetup_id=meetup_id, user_id=user_id)
            s.add(row)
        return row

    async def _settle(self, meetup: MeetupView, now: datetime) -> None:
        """Count the time of members still in the channel up to now (clipped to the window)."""
        async with self._sessions() as s, s.begin():
            rows = (
                await s.exec(select(MeetupAttendance).where(MeetupAttendance.meetup_id == meetup.id))
            ).all()
            for row in rows:
                if row.joined_at is not None:
                    row.seconds += _clip(row.joined_at, now, meetup.window)
                    row.joined_at = now
                row.present = row.seconds >= PRESENT_AFTER.total_seconds()

    async def attendance(self, meetup_id: int) -> dict[int, int]:
        """Seconds per member, including a stay still open (up to now, clipped to the window)."""
        meetup = await self.get(meetup_id)
        now = self._clock.now()
        async with self._sessions() as s:
            rows = (
                await s.exec(select(MeetupAttendance).where(MeetupAttendance.meetup_id == meetup_id))
            ).all()
        return {
            r.user_id: r.seconds + (_clip(r.joined_at, now, meetup.window) if r.joined_at else 0)
            for r in rows
        }

    async def present(self, meetup_id: int) -> list[int]:
        seconds = await self.attendance(meetup_id)
        return sorted(u for u, sec in seconds.items() if sec >= PRESENT_AFTER.total_seconds())

    # --- feedback ----------------------------------------------------------------------------------------

    async def feedback(
        self, meetup_id: int, user_id: int, *, rating: int | None = None, again: bool | None = None
    ) -> bool:
        """Record a member's rating and/or "meet again?". True when something changed."""
        if rating is not None and not 1 <= rating <= 5:
            raise BadRating(value=rating)
        meetup = await self.get(meetup_id)
        if user_id not in meetup.members:
            raise NotMeetupMember()
        now = self._clock.now()
        for _ in range(2):
            try:
                async with self._sessions() as s, s.begin():
                    row = (
                        await s.exec(
                            select(MeetupFeedback).where(
                                MeetupFeedback.meetup_id == meetup_id, MeetupFeedback.user_id == user_id
                            )
                        )
                    ).first()
                    if row is None:
                        row = MeetupFeedback(meetup_id=meetup_id, user_id=user_id, updated_at=now)
                        s.add(row)
                    changed = False
                    if rating is not None and row.rating != rating:
                        row.rating, changed = rating, True
                    if again is not None and row.again is not again:
                        row.again, changed = again, True
                    if changed:
                        row.updated_at = now
                    return changed
            except IntegrityError:  # two clicks at once created the row twice: read it again
                continue
        return False

    async def feedback_summary(self, meetup_id: int) -> FeedbackSummary:
        async with self._sessions() as s:
            rows = (await s.exec(select(MeetupFeedback).where(MeetupFeedback.meetup_id == meetup_id))).all()
        ratings = [r.rating for r in rows if r.rating is not None]
        counts = {n: ratings.count(n) for n in range(1, 6)}
        return FeedbackSummary(
            answers=len(rows),
            average=round(sum(ratings) / len(ratings), 2) if ratings else None,
            ratings=counts,
            again_yes=sum(1 for r in rows if r.again is True),
            again_no=sum(1 for r in rows if r.again is False),
        )

    async def course_feedback(self, course_id: int) -> list[tuple[int, int, int | None, bool | None]]:
        """(meetup_id, user_id, rating, again) for every answer in a course: for the teacher report."""
        async with self._sessions() as s:
            query = (
                select(
                    MeetupFeedback.meetup_id,
                    MeetupFeedback.user_id,
                    MeetupFeedback.rating,
                    MeetupFeedback.again,
                )
                .join(Meetup, Meetup.id == MeetupFeedback.meetup_id)
                .join(LearnerGroup, LearnerGroup.id == Meetup.group_id)
                .where(LearnerGroup.course_id == course_id)
                .order_by(MeetupFeedback.meetup_id, MeetupFeedback.user_id)
            )
            return [tuple(r) for r in (await s.exec(query)).all()]
