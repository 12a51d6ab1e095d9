"""Learners who arrive after the course start: which group they join, and by which rule.

1. ``room``: the best group with fewer than size_max members (`best_group_for`: shared weekly
   time with the members who gave availability, then same timezone, then the smallest group; a
   newcomer who gave no availability goes where the fewest members gave none).
2. ``new_group``: no group has room and at least size_min newcomers wait → a new group of them.
3. ``overflow``: no group has room, fewer than size_min wait → the best group goes to size_max + 1.
4. ``waiting``: every group is already at size_max + 1 → the newcomer waits for the next ones.

`place` is idempotent: a retried action finds the placement already made.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import col, select

from bot.clock import Clock
from bot.services.availability import WeeklyAvailability
from bot.services.formation import Learner, best_group_for
from bot.services.profiles import ProfileService, ProfileView
from storage.db import SessionFactory
from storage.models import Course, GroupMember, LearnerGroup, Newcomer

# The steps of a newcomer's arrival, each an action keyed by `newcomer_key` (cogs/newcomers.py).
NEWCOMER_KINDS = ("newcomer", "newcomer_welcome", "newcomer_dm", "newcomer_staff")


def newcomer_key(course_id: int, user_id: int) -> str:
    return f"course:{course_id}:user:{user_id}"


@dataclass(frozen=True)
class Placement:
    course_id: int
    user_id: int
    rule: str  # room | overflow | new_group | waiting
    group_id: int | None
    group_number: int | None
    new_group: bool = False
    placed_with: tuple[int, ...] = ()  # the other newcomers of a new group


def _learner(user_id: int, profile: ProfileView | None, course_tz: str) -> Learner:
    return Learner(
        key=str(user_id),
        name=str(user_id),
        timezone=(profile.timezone if profile else None) or course_tz,
        availability=profile.availability if profile else WeeklyAvailability(),
    )


class NewcomerService:
    def __init__(self, sessions: SessionFactory, clock: Clock, profiles: ProfileService) -> None:
        self._sessions = sessions
        self._clock = clock
        self._profiles = profiles

    async def arrived(self, course: Course, user_id: int) -> bool:
        """Whether this learner is a newcomer to place: the course started, has groups, they have none,
        and no teacher took them out of their group (`/groups remove`)."""
        today = self._clock.now().astimezone(ZoneInfo(course.timezone)).date()
        if today < course.start_date:
            return False
        async with self._sessions() as s:
            groups = (
                await s.exec(
                    select(func.count()).where(
                        LearnerGroup.course_id == course.id, LearnerGroup.status == "active"
                    )
                )
            ).one()
            placed = (
                await s.exec(
                    select(GroupMember.id).where(
                        GroupMember.course_id == course.id, GroupMember.user_id == user_id
                    )
                )
            ).first()
            removed = (
                await s.exec(
                    select(Newcomer.id).where(
                        Newcomer.course_id == course.id,
                        Newcomer.user_id == user_id,
                        Newcomer.status == "removed",
                    )
                )
            ).first()
        return bool(groups) and placed is None and removed is None

    async def place(self, course_id: int, user_id: int) -> Placement | None:
        """Place the newcomer (once). None: nothing to do (no course, no groups, already in a group)."""
        async with self._sessions() as s:
            course = await s.get(Course, course_id)
            if course is None:
                return None
            row = (
                await s.exec(
                    select(Newcomer).where(Newcomer.course_id == course_id, Newcomer.user_id == user_id)
                )
            ).first()
            member = (
                await s.exec(
                    select(GroupMember).where(
                        GroupMember.course_id == course_id, GroupMember.user_id == user_id
                    )
                )
            ).first()
        if row is not None and row.status == "placed":
            group = await self._group(row.group_id)
            return Placement(course_id, user_id, row.rule, row.group_id, group.number if group else None)
        if member is not None:
            return None  # placed by a teacher meanwhile
        if row is not None and row.status == "removed":
            return None  # a teacher took them out of their group: not placed again automatically
        if row is None:
            try:
                async with self._sessions() as s, s.begin():
                    s.add(Newcomer(course_id=course_id, user_id=user_id, arrived_at=self._clock.now()))
            except IntegrityError:
                pass
        elif row.status == "left":  # back after leaving the course: a new arrival
            async with self._sessions() as s, s.begin():
                await s.exec(
                    update(Newcomer)
                    .where(Newcomer.id == row.id, Newcomer.status == "left")
                    .values(
                        status="waiting",
                        arrived_at=self._clock.now(),
                        group_id=None,
                        rule=None,
                        placed_at=None,
                    )
                )
        groups = await self._groups(course)
        if not groups:
            return None
        people = [uid for members in groups.values() for uid in members] + [user_id]
        profiles = await self._profiles.many(course.guild_id, people)
        learners = {
            gid: [_learner(u, profiles.get(u), course.timezone) for u in m] for gid, m in groups.items()
        }
        me = _learner(user_id, profiles.get(user_id), course.timezone)
        today = self._clock.now().astimezone(ZoneInfo(course.timezone)).date()
        target = best_group_for(me, learners, course.group_size_max, reference_date=today)
        if target is not None:
            return await self._join(course, user_id, target, "room")
        waiting = await self._waiting(course_id)
        if len(waiting) >= course.group_size_min:
            return await self._new_group(course, user_id, waiting)
        target = best_group_for(me, learners, course.group_size_max + 1, reference_date=today)
        if target is not None:
            return await self._join(course, user_id, target, "overflow")
        return Placement(course_id, user_id, "waiting", None, None)

    async def _groups(self, course: Course) -> dict[int, list[int]]:
        async with self._sessions() as s:
            groups = (
                await s.exec(
                    select(LearnerGroup.id)
                    .where(LearnerGroup.course_id == course.id, LearnerGroup.status == "active")
                    .order_by(LearnerGroup.number)
                )
            ).all()
            out: dict[int, list[int]] = {g: [] for g in groups}
            rows = (
                await s.exec(
                    select(GroupMember.group_id, GroupMember.user_id).where(
                        col(GroupMember.group_id).in_(list(groups))
                    )
                )
            ).all()
        for group_id, uid in rows:
            out[group_id].append(uid)
        return out

    async def _group(self, group_id: int | None) -> LearnerGroup | None:
        if group_id is None:
            return None
        async with self._sessions() as s:
            return await s.get(LearnerGroup, group_id)

    async def _waiting(self, course_id: int) -> list[int]:
        async with self._sessions() as s:
            rows = (
                await s.exec(
                    select(Newcomer.user_id)
                    .where(Newcomer.course_id == course_id, Newcomer.status == "waiting")
                    .order_by(Newcomer.arrived_at, Newcomer.id)
                )
            ).all()
        return list(rows)

    async def _join(self, course: Course, user_id: int, group_id: int, rule: str) -> Placement:
        now = self._clock.now()
        async with self._sessions() as s, s.begin():
            s.add(GroupMember(group_id=group_id, course_id=course.id, user_id=user_id, joined_at=now))
            await s.exec(
                update(Newcomer)
                .where(Newcomer.course_id == course.id, Newcomer.user_id == user_id)
                .values(status="placed", group_id=group_id, rule=rule, placed_at=now)
            )
            group = await s.get(LearnerGroup, group_id)
        return Placement(course.id, user_id, rule, group_id, group.number)

    async def _new_group(self, course: Course, user_id: int, waiting: list[int]) -> Placement:
        now = self._clock.now()
        members = list(dict.fromkeys([*waiting, user_id]))
        async with self._sessions() as s, s.begin():
            number = (
                await s.exec(
                    select(func.coalesce(func.max(LearnerGroup.number), 0)).where(
                        LearnerGroup.course_id == course.id
                    )
                )
            ).one() + 1
            group = LearnerGroup(course_id=course.id, number=number, created_at=now)
            s.add(group)
            await s.flush()
            for uid in members:
                s.add(GroupMember(group_id=group.id, course_id=course.id, user_id=uid, joined_at=now))
            await s.exec(
                update(Newcomer)
                .where(Newcomer.course_id == course.id, col(Newcomer.user_id).in_(members))
                .values(status="placed", group_id=group.id, rule="new_group", placed_at=now)
            )
            group_id = group.id
        others = tuple(u for u in members if u != user_id)
        return Placement(course.id, user_id, "new_group", group_id, number, True, others)

    async def placed_since(self, course_id: int, since: datetime) -> list[tuple[int, int | None, str]]:
        """(user, group number, rule) of the newcomers placed since `since` (for the digest)."""
        async with self._sessions() as s:
            rows = (
                await s.exec(
                    select(Newcomer.user_id, LearnerGroup.number, Newcomer.rule)
                    .outerjoin(LearnerGroup, LearnerGroup.id == Newcomer.group_id)
                    .where(
                        Newcomer.course_id == course_id,
                        Newcomer.status == "placed",
                        col(Newcomer.placed_at) >= since,
                    )
                    .order_by(Newcomer.placed_at)
                )
            ).all()
        return [(u, n, r or "") for u, n, r in rows]

    async def waiting_ids(self, course_id: int) -> set[int]:
        return set(await self._waiting(course_id))

    async def waiting_count(self, course_id: int) -> int:
        return len(await self._waiting(course_id))

    def week_ago(self) -> datetime:
        return self._clock.now() - timedelta(days=7)
