"""A member's own data on a server: everything the bot keeps about them, to read (export) or erase.

- `export(guild_id, user_id)`: one JSON-ready dict, every table that holds the member's id on that
  server (README, "Data we store"), in their words and ours: profile, groups, activity counts,
  poll answers, meetup attendance and feedback, FAQ questions and votes, preferences.
- `erase(guild_id, user_id)`: deletes, in one transaction, what is about the member and not needed
  for the group they are still in. Kept, and said so: their place in a group (their channel access
  follows it; `erase(left=True)` takes it once they have left the server), the last day they were
  active (without it the isolation watch would report them as silent since they joined), the
  `/nudges off` and `/mydata watch follow:False` choices (they protect them), a teacher's decision
  to keep them out of groups (`/groups remove`), and their id as the creator of a poll or meetup of
  their group (who may close or cancel it). Their answers to a poll still open are removed: the
  caller refreshes those polls.

Activity is counted in memory and written every few seconds: the caller flushes it first (the
service takes a `flush` callable) so what is exported or erased is up to date.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import delete, or_
from sqlmodel import col, select

from bot.clock import Clock
from bot.i18n import t
from storage.db import SessionFactory
from storage.models import (
    ActivityDay,
    Course,
    DepartureRecord,
    FaqQuestion,
    FaqVote,
    Formation,
    GroupMember,
    LearnerGroup,
    Meetup,
    MeetupAttendance,
    MeetupFeedback,
    MemberLastActive,
    Newcomer,
    NudgeOptOut,
    OpenQuestion,
    Poll,
    PollSlot,
    PollVote,
    Profile,
    WatchOptOut,
)

EXPORT_VERSION = 1
ANSWERS = {"yes": "yes", "maybe": "if need be", "no": "no"}


def _iso(value: datetime | date | None) -> str | None:
    return value.isoformat() if value is not None else None


@dataclass
class Erased:
    """How many rows of each kind were deleted, and the open polls whose tallies changed."""

    counts: dict[str, int] = field(default_factory=dict)
    open_polls: list[int] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def export_counts(data: dict[str, Any]) -> dict[str, int]:
    """How many items of each kind an export holds (its summary for the member)."""
    return {
        "profile": int(data["profile"] is not None),
        "groups": len(data["groups"]),
        "activity_days": len(data["activity"]["days"]),
        "questions_in_channels": len(data["questions_in_channels"]),
        "arrivals_mid_course": len(data["arrivals_mid_course"]),
        "departures": len(data["departures"]),
        "poll_answers": len(data["poll_answers"]),
        "meetups": len(data["meetups"]),
        "faq_questions": len(data["faq_questions"]),
        "faq_votes": len(data["faq_votes"]),
    }


def describe_counts(counts: dict[str, int], lang: str) -> str:
    """ "profile: 1, poll answers: 3, …" — the kinds with something in them, in the reader's language."""
    return ", ".join(t(f"mydata.kind.{kind}", lang, count=n) for kind, n in counts.items() if n)


class PrivacyService:
    def __init__(
        self, sessions: SessionFactory, clock: Clock, flush: Callable[[], Awaitable[Any]] | None = None
    ) -> None:
        self._sessions = sessions
        self._clock = clock
        self._flush = flush

    async def _up_to_date(self) -> None:
        if self._flush is not None:
            await self._flush()

    # --- what the member's rows are ------------------------------------------------------------------

    @staticmethod
    def _courses(guild_id: int):
        return select(Course.id).where(Course.guild_id == guild_id)

    @classmethod
    def _groups(cls, guild_id: int):
        return select(LearnerGroup.id).where(col(LearnerGroup.course_id).in_(cls._courses(guild_id)))

    @classmethod
    def _polls(cls, guild_id: int):
        return select(Poll.id).where(col(Poll.group_id).in_(cls._groups(guild_id)))

    @classmethod
    def _meetups(cls, guild_id: int):
        return select(Meetup.id).where(col(Meetup.group_id).in_(cls._groups(guild_id)))

    @staticmethod
    def _questions(guild_id: int, user_id: int):
        return select(FaqQuestion.id).where(FaqQuestion.guild_id == guild_id, FaqQuestion.user_id == user_id)

    # --- export --------------------------------------------------------------------------------------

    async def export(self, guild_id: int, user_id: int) -> dict[str, Any]:
        """Everything stored about the member on this server, as plain JSON-ready data."""
        await self._up_to_date()
        async with self._sessions() as s:
            profile = (
                await s.exec(select(Profile).where(Profile.guild_id == guild_id, Profile.user_id == user_id))
            ).first()
            courses = {
                c.id: c.name for c in (await s.exec(select(Course).where(Course.guild_id == guild_id))).all()
            }
            groups = {
                g.id: (g.course_id, g.number)
                for g in (
                    await s.exec(select(LearnerGroup).where(col(LearnerGroup.course_id).in_(list(courses))))
                ).all()
            }

            def group_of(group_id: int | None) -> dict[str, Any] | None:
                if group_id not in groups:
                    return None
                course_id, number = groups[group_id]
                return {"course": courses.get(course_id), "group": number}

            members = (
                await s.exec(
                    select(GroupMember).where(
                        GroupMember.user_id == user_id, col(GroupMember.course_id).in_(list(courses))
                    )
                )
            ).all()
            newcomers = (
                await s.exec(
                    select(Newcomer).where(
                        Newcomer.user_id == user_id, col(Newcomer.course_id).in_(list(courses))
                    )
                )
            ).all()
            departures = (
                await s.exec(
                    select(DepartureRecord)
                    .where(
                        DepartureRecord.user_id == user_id, col(DepartureRecord.course_id).in_(list(courses))
                    )
                    .order_by(DepartureRecord.left_at)
                )
            ).all()
            formations = (
                await s.exec(select(Formation).where(col(Formation.course_id).in_(list(courses))))
            ).all()
            days = (
                await s.exec(
                    select(ActivityDay)
                    .where(ActivityDay.guild_id == guild_id, ActivityDay.user_id == user_id)
                    .order_by(ActivityDay.day, ActivityDay.group_id)
                )
            ).all()
            last_active = (
                await s.exec(
                    select(MemberLastActive.day).where(
                        MemberLastActive.guild_id == guild_id, MemberLastActive.user_id == user_id
                    )
                )
            ).first()
            open_questions = (
                await s.exec(
                    select(OpenQuestion)
                    .where(OpenQuestion.guild_id == guild_id, OpenQuestion.author_id == user_id)
                    .order_by(OpenQuestion.asked_at)
                )
            ).all()
            nudges_off = (
                await s.exec(
                    select(NudgeOptOut.id).where(
                        NudgeOptOut.guild_id == guild_id, NudgeOptOut.user_id == user_id
                    )
                )
            ).first() is not None
            watch_off = (
                await s.exec(
                    select(WatchOptOut.id).where(
                        WatchOptOut.guild_id == guild_id, WatchOptOut.user_id == user_id
                    )
                )
            ).first() is not None
            votes = (
                await s.exec(
                    select(PollVote, PollSlot, Poll)
                    .join(PollSlot, PollSlot.id == PollVote.slot_id)
                    .join(Poll, Poll.id == PollVote.poll_id)
                    .where(PollVote.user_id == user_id, col(PollVote.poll_id).in_(self._polls(guild_id)))
                    .order_by(Poll.id, PollSlot.position)
                )
            ).all()
            polls_created = (
                await s.exec(
                    select(Poll)
                    .where(Poll.created_by == user_id, col(Poll.group_id).in_(list(groups)))
                    .order_by(Poll.created_at)
                )
            ).all()
            # Subqueries, not lists of ids: a server's meetups can outnumber a query's arguments.
            theirs = or_(
                Meetup.created_by == user_id,
                col(Meetup.id).in_(
                    select(MeetupAttendance.meetup_id).where(MeetupAttendance.user_id == user_id)
                ),
                col(Meetup.id).in_(select(MeetupFeedback.meetup_id).where(MeetupFeedback.user_id == user_id)),
            )
            meetups = {
                m.id: m
                for m in (
                    await s.exec(select(Meetup).where(col(Meetup.group_id).in_(list(groups)), theirs))
                ).all()
            }
            attendance = {
                a.meetup_id: a
                for a in (
                    await s.exec(
                        select(MeetupAttendance).where(
                            MeetupAttendance.user_id == user_id,
                            col(MeetupAttendance.meetup_id).in_(self._meetups(guild_id)),
                        )
                    )
                ).all()
            }
            feedback = {
                f.meetup_id: f
                for f in (
                    await s.exec(
                        select(MeetupFeedback).where(
                            MeetupFeedback.user_id == user_id,
                            col(MeetupFeedback.meetup_id).in_(self._meetups(guild_id)),
                        )
                    )
                ).all()
            }
            questions = (
                await s.exec(
                    select(FaqQuestion)
                    .where(FaqQuestion.guild_id == guild_id, FaqQuestion.user_id == user_id)
                    .order_by(FaqQuestion.created_at)
                )
            ).all()
            faq_votes = (
                await s.exec(
                    select(FaqVote, FaqQuestion)
                    .join(FaqQuestion, FaqQuestion.id == FaqVote.question_id)
                    .where(FaqVote.user_id == user_id, FaqQuestion.guild_id == guild_id)
                    .order_by(FaqVote.updated_at)
                )
            ).all()

        def meetup_row(m: Meetup) -> dict[str, Any]:
            a, f = attendance.get(m.id), feedback.get(m.id)
            return {
                "title": m.title,
                **(group_of(m.group_id) or {}),
                "starts_at": _iso(m.starts_at),
                "ends_at": _iso(m.ends_at),
                "status": m.status,
                "created_by_you": m.created_by == user_id,
                "seconds_in_voice": a.seconds if a else None,
                "present": a.present if a else None,
                "rating": f.rating if f else None,
                "meet_again": f.again if f else None,
            }

        return {
            "format": EXPORT_VERSION,
            "exported_at": _iso(self._clock.now()),
            "guild_id": str(guild_id),
            "user_id": str(user_id),
            "profile": None
            if profile is None
            else {
                "city": profile.city,
                "region": profile.region,
                "timezone": profile.timezone,
                "availability": profile.availability,
                "about": profile.about,
                "meetup_reminder_minutes": profile.reminder_minutes,
                "updated_at": _iso(profile.updated_at),
            },
            "groups": [{**(group_of(m.group_id) or {}), "joined_at": _iso(m.joined_at)} for m in members],
            "arrivals_mid_course": [
                {
                    "course": courses.get(n.course_id),
                    "arrived_at": _iso(n.arrived_at),
                    "status": n.status,
                    "group": (group_of(n.group_id) or {}).get("group"),
                    "rule": n.rule,
                    "placed_at": _iso(n.placed_at),
                }
                for n in newcomers
            ],
            "departures": [
                {
                    "course": courses.get(d.course_id),
                    "group": (group_of(d.group_id) or {}).get("group"),
                    "reason": d.reason,
                    "left_at": _iso(d.left_at),
                }
                for d in departures
            ],
            "group_formation_previews": [
                {
                    "course": courses.get(f.course_id),
                    "strategy": f.strategy,
                    "status": f.status,
                    "created_at": _iso(f.created_at),
                }
                for f in formations
                if any(user_id in planned for planned in json.loads(f.plan))
            ],
            "activity": {
                "followed": not watch_off,
                "last_active_day": _iso(last_active),
                "days": [
                    {
                        "day": _iso(d.day),
                        "group": (group_of(d.group_id) or {}).get("group"),
                        "messages": d.messages,
                        "voice_minutes": d.voice_minutes,
                    }
                    for d in days
                ],
            },
            "questions_in_channels": [
                {
                    "channel_id": str(q.channel_id),
                    "message_id": str(q.message_id),
                    "asked_at": _iso(q.asked_at),
                    "answered_at": _iso(q.answered_at),
                }
                for q in open_questions
            ],
            "nudges_off": nudges_off,
            "poll_answers": [
                {
                    "poll": poll.title,
                    **(group_of(poll.group_id) or {}),
                    "slot": _iso(slot.starts_at),
                    "answer": ANSWERS.get(vote.answer, vote.answer),
                    "updated_at": _iso(vote.updated_at),
                }
                for vote, slot, poll in votes
            ],
            "polls_created": [
                {
                    "title": p.title,
                    **(group_of(p.group_id) or {}),
                    "created_at": _iso(p.created_at),
                    "status": p.status,
                }
                for p in polls_created
            ],
            "meetups": [
                meetup_row(m)
                for m in sorted(meetups.values(), key=lambda m: m.starts_at)
                if m.id in attendance or m.id in feedback or m.created_by == user_id
            ],
            "faq_questions": [
                {
                    "kind": q.kind,
                    "text": q.text,
                    "asked_at": _iso(q.created_at),
                    "entry": q.entry_id,
                    "score": q.score,
                    "confident": q.confident,
                    "opened_entry": q.picked_entry_id,
                    "asked_a_teacher_at": _iso(q.escalated_at),
                }
                for q in questions
            ],
            "faq_votes": [
                {"entry": q.entry_id, "helpful": v.helpful, "updated_at": _iso(v.updated_at)}
                for v, q in faq_votes
            ],
        }

    # --- erase ---------------------------------------------------------------------------------------

    async def erase(self, guild_id: int, user_id: int, *, left: bool = False) -> Erased:
        """Delete the member's data on this server (see the module's docstring for what stays).
        `left`: the member has left the server (the operator's `data erase --left`): their places in
        groups, last active day and nudges choice go too."""
        await self._up_to_date()
        erased = Erased()
        async with self._sessions() as s, s.begin():
            erased.open_polls = list(
                (
                    await s.exec(
                        select(PollVote.poll_id)
                        .join(Poll, Poll.id == PollVote.poll_id)
                        .where(
                            PollVote.user_id == user_id,
                            Poll.status == "open",
                            col(PollVote.poll_id).in_(self._polls(guild_id)),
                        )
                        .distinct()
                    )
                ).all()
            )
            mine = self._questions(guild_id, user_id)
            arrivals = delete(Newcomer).where(
                Newcomer.user_id == user_id, col(Newcomer.course_id).in_(self._courses(guild_id))
            )
            if not left:  # a teacher's /groups remove keeps them out of groups while they are here
                arrivals = arrivals.where(Newcomer.status != "removed")
            steps = {
                "profile": delete(Profile).where(Profile.guild_id == guild_id, Profile.user_id == user_id),
                "activity_days": delete(ActivityDay).where(
                    ActivityDay.guild_id == guild_id, ActivityDay.user_id == user_id
                ),
                "questions_in_channels": delete(OpenQuestion).where(
                    OpenQuestion.guild_id == guild_id, OpenQuestion.author_id == user_id
                ),
                "arrivals_mid_course": arrivals,
                "departures": delete(DepartureRecord).where(
                    DepartureRecord.user_id == user_id,
                    col(DepartureRecord.course_id).in_(self._courses(guild_id)),
                ),
                "poll_answers": delete(PollVote).where(
                    PollVote.user_id == user_id, col(PollVote.poll_id).in_(self._polls(guild_id))
                ),
                "meetup_attendance": delete(MeetupAttendance).where(
                    MeetupAttendance.user_id == user_id,
                    col(MeetupAttendance.meetup_id).in_(self._meetups(guild_id)),
                ),
                "meetup_feedback": delete(MeetupFeedback).where(
                    MeetupFeedback.user_id == user_id,
                    col(MeetupFeedback.meetup_id).in_(self._meetups(guild_id)),
                ),
                "faq_votes": delete(FaqVote).where(
                    FaqVote.user_id == user_id,
                    col(FaqVote.question_id).in_(
                        select(FaqQuestion.id).where(FaqQuestion.guild_id == guild_id)
                    ),
                ),
                # others' votes on the member's questions go with them (the vote belongs to the question)
                "votes_on_your_questions": delete(FaqVote).where(col(FaqVote.question_id).in_(mine)),
                "faq_questions": delete(FaqQuestion).where(
                    FaqQuestion.guild_id == guild_id, FaqQuestion.user_id == user_id
                ),
            }
            if left:
                steps |= {
                    "group_places": delete(GroupMember).where(
                        GroupMember.user_id == user_id,
                        col(GroupMember.course_id).in_(self._courses(guild_id)),
                    ),
                    "last_active": delete(MemberLastActive).where(
                        MemberLastActive.guild_id == guild_id, MemberLastActive.user_id == user_id
                    ),
                    "nudges_off": delete(NudgeOptOut).where(
                        NudgeOptOut.guild_id == guild_id, NudgeOptOut.user_id == user_id
                    ),
                    "watch_off": delete(WatchOptOut).where(
                        WatchOptOut.guild_id == guild_id, WatchOptOut.user_id == user_id
                    ),
                }
            for name, statement in steps.items():
                result = await s.exec(statement)
                erased.counts[name] = result.rowcount or 0
        erased.counts["faq_votes"] += erased.counts.pop("votes_on_your_questions")
        return erased
