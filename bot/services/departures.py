"""Learners who leave a course, and learners a teacher takes out of their group.

A learner leaves when they leave the server, lose the course's learner role, are found gone when
the bot starts (they left while it was away), or when a teacher runs `/groups remove`. Then, in one
transaction:
- their place in their (active) group is deleted — the deletion is the claim: when two processes
  see the same departure, one deletes the row and goes on, the other stops;
- a newcomer still waiting for a group stops waiting (`status = left`);
- the finished steps of an earlier arrival (`NEWCOMER_KINDS`) are forgotten, so coming back later is
  a new arrival, placed and welcomed again;
- a `departure` record is kept (who, which group, why, when), for the weekly digest and the course
  report;
- a `departure` action is added: the Discord side (channel access taken back, open polls of the
  group refreshed or closed, teachers told in the staff channel) runs from the action queue,
  exactly once, retried if Discord fails.

A learner removed by a teacher keeps the learner role but is set aside (`status = removed`): not
placed again as a newcomer, not in the next `/groups form`, until `/groups move` puts them back.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, update
from sqlmodel import col, select

from bot.clock import Clock
from bot.errors import DomainError
from bot.services.actions import ActionQueue
from bot.services.groups import GroupInfo, GroupService
from bot.services.newcomers import NEWCOMER_KINDS, newcomer_key
from storage.db import SessionFactory
from storage.models import Action, Course, DepartureRecord, GroupMember, LearnerGroup, Newcomer

REASONS = ("server", "role", "away", "teacher")
DEPARTURE_KIND = "departure"


class NotPlaced(DomainError):
    key = "groups.error.not_placed"


@dataclass(frozen=True)
class Departure:
    course_id: int
    user_id: int
    reason: str  # one of REASONS
    group: GroupInfo | None  # the group they left, as it is now; None: they were waiting for one


class DepartureService:
    def __init__(self, sessions: SessionFactory, clock: Clock, actions: ActionQueue, groups: GroupService):
        self._sessions = sessions
        self._clock = clock
        self._actions = actions
        self._groups = groups

    async def leave(self, course: Course, user_id: int, reason: str, name: str = "") -> Departure | None:
        """Take the learner out of the course's groups (see the module). None when there was nothing
        to do: not in an active group nor waiting for one, or another process did it."""
        if reason not in REASONS:
            raise ValueError(reason)
        now = self._clock.now()
        async with self._sessions() as s, s.begin():
            place = (
                await s.exec(
                    select(GroupMember)
                    .join(LearnerGroup, LearnerGroup.id == GroupMember.group_id)
                    .where(
                        GroupMember.course_id == course.id,
                        GroupMember.user_id == user_id,
                        LearnerGroup.status == "active",
                    )
                )
            ).first()
            newcomer = (
                await s.exec(
                    select(Newcomer).where(Newcomer.course_id == course.id, Newcomer.user_id == user_id)
                )
            ).first()
            if place is not None:
                taken = await s.exec(delete(GroupMember).where(GroupMember.id == place.id))
                if taken.rowcount != 1:
                    return None
            status = "removed" if reason == "teacher" else "left"
            if newcomer is not None:
                was = newcomer.status  # the UPDATE below changes the loaded row too
                changed = await s.exec(
                    update(Newcomer)
                    .where(Newcomer.id == newcomer.id, Newcomer.status == was)
                    .values(status=status)
                )
                if place is None and (was != "waiting" or changed.rowcount != 1):
                    return None  # nothing to announce (a learner set aside who leaves is now `left`)
            elif place is None:
                return None
            elif reason == "teacher":
                s.add(Newcomer(course_id=course.id, user_id=user_id, arrived_at=now, status=status))
            await s.exec(
                delete(Action).where(
                    col(Action.kind).in_(NEWCOMER_KINDS),
                    Action.key == newcomer_key(course.id, user_id),
                    Action.status != "running",
                )
            )
            s.add(
                DepartureRecord(
                    course_id=course.id,
                    user_id=user_id,
                    group_id=place.group_id if place else None,
                    reason=reason,
                    left_at=now,
                )
            )
            s.add(
                self._actions.row(
                    DEPARTURE_KIND,
                    f"{newcomer_key(course.id, user_id)}:left:{now.isoformat()}",
                    now,
                    {
                        "course_id": course.id,
                        "user_id": user_id,
                        "reason": reason,
                        "name": name[:100],
                        "group_id": place.group_id if place else None,
                    },
                    guild_id=course.guild_id,
                )
            )
        group = await self._groups.get(place.group_id) if place is not None else None
        return Departure(course.id, user_id, reason, group)

    async def since(self, course_id: int, since: datetime) -> list[tuple[int, int | None, str]]:
        """(user, group number or None when they were waiting, reason) of the learners who left the
        course since `since`, oldest first (for the digest)."""
        async with self._sessions() as s:
            rows = await s.exec(
                select(DepartureRecord.user_id, LearnerGroup.number, DepartureRecord.reason)
                .join(LearnerGroup, LearnerGroup.id == DepartureRecord.group_id, isouter=True)
                .where(DepartureRecord.course_id == course_id, DepartureRecord.left_at >= since)
                .order_by(DepartureRecord.left_at, DepartureRecord.id)
            )
            return [(user_id, number, reason) for user_id, number, reason in rows.all()]

    async def set_aside(self, course_id: int) -> set[int]:
        """Learners a teacher took out of their group and who are in none now (not to be placed)."""
        async with self._sessions() as s:
            query = select(Newcomer.user_id).where(
                Newcomer.course_id == course_id, Newcomer.status == "removed"
            )
            removed = set((await s.exec(query)).all())
        return removed - await self._groups.placed_user_ids(course_id)


def size_note(count: int, number: int, group_min: int) -> tuple[str, dict[str, int]] | None:
    """What the teachers should know about a group that lost a member (a catalog key and its values)."""
    if count == 0:
        return "departure.empty", {"number": number}
    if count == 1:
        return "departure.alone", {"number": number}
    if count < group_min:
        return "departure.below_min", {"number": number, "min": group_min}
    return None
