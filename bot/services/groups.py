"""Learner groups: previews of a formation, confirmation, channels, moves, archive.

Discord calls stay in the cog; here are the rules: who goes where, which category a
new channel goes into, whether the guild can take more channels, and the atomic
claims that make a re-run never duplicate anything.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import func, update
from sqlmodel import col, select

from bot.clock import Clock
from bot.errors import DomainError
from bot.services.availability import WeeklyAvailability
from bot.services.formation import Learner, plan_groups
from bot.services.profiles import ProfileView
from storage.db import SessionFactory
from storage.models import Course, Formation, GroupMember, LearnerGroup

CHANNELS_PER_CATEGORY = 50
CHANNELS_PER_GUILD = 500
CHANNEL_MARK = "[cohort:g{id}]"
_MARK_RE = re.compile(r"\[cohort:g(\d+)\]")


class EmptyCohort(DomainError):
    key = "groups.error.empty"


class FormationGone(DomainError):
    key = "groups.error.formation_gone"


class TooManyChannels(DomainError):
    key = "groups.error.too_many_channels"


class NoSuchGroup(DomainError):
    key = "groups.error.no_such_group"


class NotInGroup(DomainError):
    key = "groups.error.not_in_group"


class NotALearner(DomainError):
    key = "groups.error.not_learner"


@dataclass(frozen=True)
class GroupInfo:
    id: int
    course_id: int
    number: int
    channel_id: int | None
    status: str
    member_ids: tuple[int, ...]
    icebreaker_sent: bool = False


@dataclass(frozen=True)
class PlannedGroupView:
    member_ids: tuple[int, ...]
    shared_hours: float  # shared by the members who gave availability
    regions: tuple[str, ...] = ()
    unknown_ids: tuple[int, ...] = ()  # members who gave no availability


@dataclass(frozen=True)
class Preview:
    formation_id: int
    strategy: str
    groups: tuple[PlannedGroupView, ...]
    size_min: int
    size_max: int


@dataclass
class CategorySlot:
    id: int | None  # None: a category still to create
    name: str
    used: int


@dataclass
class CategoryPlan:
    """Where each new channel goes: an existing category id or the index of a new one."""

    targets: list[CategorySlot] = field(default_factory=list)
    new_categories: list[CategorySlot] = field(default_factory=list)


def channel_name(number: int) -> str:
    return f"groupe-{number}"


def channel_mark(group_id: int) -> str:
    return CHANNEL_MARK.format(id=group_id)


def parse_mark(topic: str | None) -> int | None:
    """The group id hidden in a channel topic by channel_mark, if any."""
    match = _MARK_RE.search(topic or "")
    return int(match.group(1)) if match else None


def plan_categories(existing: Sequence[CategorySlot], base_name: str, needed: int) -> CategoryPlan:
    """Fill the course's categories up to 50 channels each, opening new ones as needed."""
    slots = [CategorySlot(c.id, c.name, c.used) for c in existing]
    plan = CategoryPlan()
    for _ in range(needed):
        slot = next((s for s in slots if s.used < CHANNELS_PER_CATEGORY), None)
        if slot is None:
            n = len(slots) + 1
            slot = CategorySlot(None, base_name if n == 1 else f"{base_name} {n}", 0)
            slots.append(slot)
            plan.new_categories.append(slot)
        slot.used += 1
        plan.targets.append(slot)
    return plan


def check_guild_room(guild_channel_count: int, plan: CategoryPlan) -> None:
    needed = len(plan.targets) + len(plan.new_categories)
    if guild_channel_count + needed > CHANNELS_PER_GUILD:
        raise TooManyChannels(current=guild_channel_count, needed=needed, limit=CHANNELS_PER_GUILD)


async def members_of(s, group_ids: Sequence[int]) -> dict[int, list[int]]:
    """Member ids of each group, in the order they joined (within an open session `s`)."""
    out: dict[int, list[int]] = {}
    if not group_ids:
        return out
    query = (
        select(GroupMember)
        .where(col(GroupMember.group_id).in_(group_ids))
        .order_by(GroupMember.joined_at, GroupMember.id)
    )
    for m in (await s.exec(query)).all():
        out.setdefault(m.group_id, []).append(m.user_id)
    return out


def _info(group: LearnerGroup, members: Sequence[int]) -> GroupInfo:
    return GroupInfo(
        id=group.id,
        course_id=group.course_id,
        number=group.number,
        channel_id=group.channel_id,
        status=group.status,
        member_ids=tuple(members),
        icebreaker_sent=group.icebreaker_sent,
    )


class GroupService:
    def __init__(self, sessions: SessionFactory, clock: Clock) -> None:
        self._sessions = sessions
        self._clock = clock

    # --- reading ---------------------------------------------------------------------------------

    async def groups(self, course_id: int, *, include_archived: bool = False) -> list[GroupInfo]:
        async with self._sessions() as s:
            query = select(LearnerGroup).where(LearnerGroup.course_id == course_id)
            if not include_archived:
                query = query.where(LearnerGroup.status == "active")
            groups = list((await s.exec(query.order_by(LearnerGroup.number))).all())
            members = await self._members(s, [g.id for g in groups])
        return [_info(g, members.get(g.id, ())) for g in groups]

    async def _members(self, s, group_ids: list[int]) -> dict[int, list[int]]:
        return await members_of(s, group_ids)

    async def get(self, group_id: int) -> GroupInfo | None:
        async with self._sessions() as s:
            group = await s.get(LearnerGroup, group_id)
            if group is None:
                return None
            members = await self._members(s, [group.id])
        return _info(group, members.get(group.id, ()))

    async def by_number(self, course_id: int, number: int) -> GroupInfo:
        async with self._sessions() as s:
            query = select(LearnerGroup).where(
                LearnerGroup.course_id == course_id, LearnerGroup.number == number
            )
            group = (await s.exec(query)).first()
            if group is None or group.status != "active":
                raise NoSuchGroup(number=number)
            members = await self._members(s, [group.id])
        return _info(group, members.get(group.id, ()))

    async def group_of(self, course_id: int, user_id: int) -> GroupInfo | None:
        async with self._sessions() as s:
            query = select(GroupMember).where(
                GroupMember.course_id == course_id, GroupMember.user_id == user_id
            )
            member = (await s.exec(query)).first()
        return await self.get(member.group_id) if member else None

    async def by_channel(self, channel_id: int) -> GroupInfo | None:
        async with self._sessions() as s:
            group = (await s.exec(select(LearnerGroup).where(LearnerGroup.channel_id == channel_id))).first()
        return await self.get(group.id) if group else None

    async def placed_user_ids(self, course_id: int) -> set[int]:
        async with self._sessions() as s:
            query = select(GroupMember.user_id).where(GroupMember.course_id == course_id)
            return set((await s.exec(query)).all())

    # --- formation ----------------------------------------------------------------------------------

    async def save_preview(
        self,
        course: Course,
        strategy: str,
        seed: int,
        created_by: int,
        groups: Sequence[PlannedGroupView],
    ) -> Preview:
        if not groups:
            raise EmptyCohort()
        plan = [
            {
                "members": list(g.member_ids),
                "shared_hours": g.shared_hours,
                "regions": list(g.regions),
                "unknown": list(g.unknown_ids),
            }
            for g in groups
        ]
        async with self._sessions() as s, s.begin():
            row = Formation(
                course_id=course.id,
                strategy=strategy,
                seed=seed,
                plan=json.dumps(plan),
                created_by=created_by,
                created_at=self._clock.now(),
            )
            s.add(row)
            await s.flush()
            formation_id = row.id
        return Preview(formation_id, strategy, tuple(groups), course.group_size_min, course.group_size_max)

    async def load_preview(self, formation_id: int) -> tuple[Formation, Preview]:
        async with self._sessions() as s:
            row = await s.get(Formation, formation_id)
            if row is None:
                raise FormationGone()
            course = await s.get(Course, row.course_id)
        groups = tuple(
            PlannedGroupView(
                tuple(g["members"]),
                g["shared_hours"],
                tuple(g.get("regions", ())),
                tuple(g.get("unknown", ())),  # absent from previews saved before it existed
            )
            for g in json.loads(row.plan)
        )
        return row, Preview(row.id, row.strategy, groups, course.group_size_min, course.group_size_max)

    @staticmethod
    async def _take_preview(s, formation_id: int, status: str) -> None:
        """Move a preview to `status`; only one caller ever succeeds."""
        result = await s.exec(
            update(Formation)
            .where(Formation.id == formation_id, Formation.status == "preview")
            .values(status=status)
        )
        if result.rowcount != 1:
            raise FormationGone()

    async def cancel(self, formation_id: int) -> None:
        async with self._sessions() as s, s.begin():
            await self._take_preview(s, formation_id, "cancelled")

    async def confirm(self, formation_id: int) -> list[GroupInfo]:
        """Turn a preview into groups, exactly once (a second click finds it already taken).

        Learners placed meanwhile (another formation, a newcomer) are left where they are.
        """
        async with self._sessions() as s, s.begin():
            await self._take_preview(s, formation_id, "confirmed")
            formation = await s.get(Formation, formation_id)
            course_id = formation.course_id
            placed = set(
                (await s.exec(select(GroupMember.user_id).where(GroupMember.course_id == course_id))).all()
            )
            number = (
                await s.exec(
                    select(func.coalesce(func.max(LearnerGroup.number), 0)).where(
                        LearnerGroup.course_id == course_id
                    )
                )
            ).one()
            now = self._clock.now()
            created: list[tuple[LearnerGroup, list[int]]] = []
            for planned in json.loads(formation.plan):
                members = [uid for uid in planned["members"] if uid not in placed]
                if not members:
                    continue
                number += 1
                group = LearnerGroup(course_id=course_id, number=number, created_at=now)
                s.add(group)
                await s.flush()
                for uid in members:
                    s.add(GroupMember(group_id=group.id, course_id=course_id, user_id=uid, joined_at=now))
                created.append((group, members))
        return [_info(g, m) for g, m in created]

    # --- channels -----------------------------------------------------------------------------------

    async def without_channel(self, course_id: int) -> list[GroupInfo]:
        return [g for g in await self.groups(course_id) if g.channel_id is None]

    async def attach_channel(self, group_id: int, channel_id: int) -> None:
        async with self._sessions() as s, s.begin():
            await s.exec(
                update(LearnerGroup)
                .where(LearnerGroup.id == group_id)
                .values(channel_id=channel_id, channel_missing_reported=False)
            )

    async def claim_icebreaker(self, group_id: int) -> bool:
        """True for exactly one caller: the one that must post the icebreaker."""
        async with self._sessions() as s, s.begin():
            result = await s.exec(
                update(LearnerGroup)
                .where(LearnerGroup.id == group_id, LearnerGroup.icebreaker_sent.is_(False))
                .values(icebreaker_sent=True)
            )
            return result.rowcount == 1

    async def release_icebreaker(self, group_id: int) -> None:
        """The post failed: let a later run try again."""
        async with self._sessions() as s, s.begin():
            await s.exec(
                update(LearnerGroup).where(LearnerGroup.id == group_id).values(icebreaker_sent=False)
            )

    async def channel_gone(self, channel_id: int) -> GroupInfo | None:
        """A group channel was deleted by hand: forget it, and return the group once to report it."""
        async with self._sessions() as s, s.begin():
            group = (await s.exec(select(LearnerGroup).where(LearnerGroup.channel_id == channel_id))).first()
            if group is None:
                return None
            result = await s.exec(
                update(LearnerGroup)
                .where(LearnerGroup.id == group.id, LearnerGroup.channel_missing_reported.is_(False))
                .values(channel_missing_reported=True, channel_id=None, icebreaker_sent=False)
            )
            first = result.rowcount == 1
        return await self.get(group.id) if first else None

    # --- changes ------------------------------------------------------------------------------------

    async def move(self, course: Course, user_id: int, number: int) -> tuple[GroupInfo | None, GroupInfo]:
        target = await self.by_number(course.id, number)
        async with self._sessions() as s, s.begin():
            query = select(GroupMember).where(
                GroupMember.course_id == course.id, GroupMember.user_id == user_id
            )
            member = (await s.exec(query)).first()
            old_id = member.group_id if member else None
            if old_id == target.id:
                return await self.get(old_id), target
            if member is None:
                s.add(
                    GroupMember(
                        group_id=target.id, course_id=course.id, user_id=user_id, joined_at=self._clock.now()
                    )
                )
            else:
                member.group_id = target.id
        old = await self.get(old_id) if old_id else None
        return old, await self.get(target.id)

    async def add_member(self, course_id: int, group_id: int, user_id: int) -> GroupInfo:
        async with self._sessions() as s, s.begin():
            s.add(
                GroupMember(
                    group_id=group_id, course_id=course_id, user_id=user_id, joined_at=self._clock.now()
                )
            )
        return await self.get(group_id)

    async def archive(self, course_id: int) -> list[GroupInfo]:
        groups = await self.groups(course_id)
        async with self._sessions() as s, s.begin():
            await s.exec(
                update(LearnerGroup)
                .where(LearnerGroup.course_id == course_id, LearnerGroup.status == "active")
                .values(status="archived")
            )
        return groups

    async def archived(self, course_id: int) -> list[GroupInfo]:
        return [g for g in await self.groups(course_id, include_archived=True) if g.status == "archived"]

    async def forget_channel(self, group_id: int) -> None:
        async with self._sessions() as s, s.begin():
            await s.exec(update(LearnerGroup).where(LearnerGroup.id == group_id).values(channel_id=None))


def plan_for_course(
    course: Course,
    people: Sequence[tuple[int, str]],
    profiles: Mapping[int, ProfileView],
    strategy: str,
    seed: int,
    today: date,
) -> list[PlannedGroupView]:
    """Run the formation algorithm on a course's learners (user id, display name) and their profiles."""
    if not people:
        raise EmptyCohort()
    learners = []
    for user_id, name in people:
        p = profiles.get(user_id)
        learners.append(
            Learner(
                key=str(user_id),
                name=name,
                city=(p.city if p else None) or "",
                region=(p.region if p else None) or "",
                timezone=(p.timezone if p else None) or course.timezone,
                availability=p.availability if p else WeeklyAvailability(),
                about=(p.about if p else None) or "",
            )
        )
    planned = plan_groups(
        learners, strategy, course.group_size_min, course.group_size_max, seed, reference_date=today
    )
    return [
        PlannedGroupView(
            member_ids=tuple(int(m.key) for m in g.members),
            shared_hours=g.shared_hours,
            regions=g.regions,
            unknown_ids=tuple(int(m.key) for m in g.unknown),
        )
        for g in planned
    ]
