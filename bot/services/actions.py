"""Nothing lost, nothing twice: every scheduled or alerting action is a row.

- `schedule(kind, key, due_at)` inserts the row once; `(kind, key)` is unique, so
  a restart, a missed run caught up, or a second process scheduling the same
  action adds nothing.
- `claim_due` takes due rows with a conditional UPDATE (pending, or running with
  an expired lease) whose row count tells exactly one worker it won; on
  PostgreSQL the candidates are also read with `FOR UPDATE SKIP LOCKED`.
- A handler that fails is retried later with backoff, never lost; after
  MAX_ATTEMPTS it is marked failed and logged.
- Each action has a stable `nonce` (≤ 25 characters) to send with
  `enforce_nonce`, so a retried Discord message is dropped by Discord itself if
  the first attempt did reach it.
- Sharding: an action names its guild, and a process claims only the actions
  of the guilds its gateway shards hold (`Shards`), since only that process
  sees the guild. A row without a guild (written before the column existed)
  may be claimed by any process: the runner finds its guild from the payload
  first, and gives it back, now with its guild, when another shard holds it.

APScheduler only wakes `ActionRunner.run_due` up; schedules live here.
"""

from __future__ import annotations

import json
import logging
import os
import secrets
import socket
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import BigInteger, literal_column, or_, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import col, select

from bot.clock import Clock
from storage.db import SessionFactory
from storage.models import Action, Course, LearnerGroup, Meetup, OpenQuestion, Poll

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 8
LEASE = timedelta(minutes=5)
SNOWFLAKE_TIME_SHIFT = 22  # a guild's shard is (guild_id >> 22) % shard_count


@dataclass(frozen=True)
class Shards:
    """The gateway shards this process holds, out of `count`; the default is the whole bot."""

    count: int = 1
    ids: tuple[int, ...] = (0,)

    @property
    def everything(self) -> bool:
        return set(range(self.count)) <= set(self.ids)

    def shard_of(self, guild_id: int) -> int:
        return (guild_id >> SNOWFLAKE_TIME_SHIFT) % self.count

    def owns(self, guild_id: int) -> bool:
        return self.everything or self.shard_of(guild_id) in self.ids

    def where(self) -> Any:
        """The SQL condition for actions this process may claim."""
        # a constant, not a parameter: PostgreSQL has bigint >> integer only
        shift = literal_column(str(SNOWFLAKE_TIME_SHIFT))
        shard = col(Action.guild_id).op(">>", return_type=BigInteger)(shift) % self.count
        return or_(col(Action.guild_id).is_(None), shard.in_(self.ids))


ALL_SHARDS = Shards()


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{secrets.token_hex(3)}"


def backoff(attempts: int) -> timedelta:
    """1 min, 2, 4, … capped at 1 hour."""
    return timedelta(minutes=min(60, 2 ** max(0, attempts - 1)))


@dataclass(frozen=True)
class Job:
    """A claimed action, as handlers see it."""

    id: int
    kind: str
    key: str
    due_at: datetime
    payload: dict[str, Any]
    attempts: int
    nonce: str
    guild_id: int | None = None


def _job(row: Action) -> Job:
    return Job(
        row.id,
        row.kind,
        row.key,
        row.due_at,
        json.loads(row.payload or "{}"),
        row.attempts,
        row.nonce,
        row.guild_id,
    )


class ActionQueue:
    def __init__(self, sessions: SessionFactory, clock: Clock) -> None:
        self._sessions = sessions
        self._clock = clock

    def row(
        self,
        kind: str,
        key: str,
        due_at: datetime,
        payload: dict[str, Any] | None = None,
        *,
        guild_id: int | None = None,
    ) -> Action:
        """A new pending action, for a service that adds it inside its own transaction (the change
        that calls for the action and the action then land together, or neither). `guild_id`: the
        guild it acts in, so that only the process holding that guild's shard claims it."""
        return Action(
            kind=kind,
            key=key,
            guild_id=guild_id,
            due_at=due_at,
            payload=json.dumps(payload or {}, sort_keys=True),
            nonce=secrets.token_hex(12),
            created_at=self._clock.now(),
        )

    async def schedule(
        self,
        kind: str,
        key: str,
        due_at: datetime,
        payload: dict[str, Any] | None = None,
        *,
        guild_id: int | None = None,
    ) -> bool:
        """Add the action unless it exists. True when this call created it."""
        row = self.row(kind, key, due_at, payload, guild_id=guild_id)
        try:
            async with self._sessions() as s, s.begin():
                s.add(row)
        except IntegrityError:
            return False
        return True

    async def reschedule(self, kind: str, key: str, due_at: datetime) -> bool:
        """Move a pending action (e.g. a poll deadline changed)."""
        async with self._sessions() as s, s.begin():
            result = await s.exec(
                update(Action)
                .where(Action.kind == kind, Action.key == key, Action.status == "pending")
                .values(due_at=due_at)
            )
            return result.rowcount == 1

    def cancelling(self, kinds: tuple[str, ...], keys: list[str]) -> Any:
        """The UPDATE that cancels these pending actions, for a service that runs it inside its own
        transaction (with the change that makes them pointless), as `row` adds one."""
        return (
            update(Action)
            .where(col(Action.kind).in_(kinds), col(Action.key).in_(keys), Action.status == "pending")
            .values(status="cancelled", done_at=self._clock.now())
        )

    async def cancel(self, kind: str, key: str) -> bool:
        async with self._sessions() as s, s.begin():
            result = await s.exec(self.cancelling((kind,), [key]))
            return result.rowcount == 1

    async def cancel_prefix(self, kind: str, key_prefix: str) -> int:
        async with self._sessions() as s, s.begin():
            result = await s.exec(
                update(Action)
                .where(
                    Action.kind == kind,
                    col(Action.key).startswith(key_prefix),
                    Action.status == "pending",
                )
                .values(status="cancelled", done_at=self._clock.now())
            )
            return result.rowcount

    async def get(self, kind: str, key: str) -> Action | None:
        async with self._sessions() as s:
            return (await s.exec(select(Action).where(Action.kind == kind, Action.key == key))).first()

    async def claim_due(
        self,
        worker: str,
        limit: int = 50,
        kinds: tuple[str, ...] | None = None,
        shards: Shards = ALL_SHARDS,
    ) -> list[Job]:
        """Claim up to `limit` due actions for `worker` among those of the guilds `shards` holds;
        each row is won by exactly one caller."""
        now = self._clock.now()
        claimable = or_(
            Action.status == "pending",
            (Action.status == "running") & (Action.lease_until < now),
        )
        async with self._sessions() as s, s.begin():
            query = select(Action.id).where(claimable, Action.due_at <= now)
            if kinds:
                query = query.where(col(Action.kind).in_(kinds))
            if not shards.everything:
                query = query.where(shards.where())
            query = query.order_by(Action.due_at, Action.id).limit(limit)
            if s.bind.dialect.name == "postgresql":
                query = query.with_for_update(skip_locked=True)
            ids = list((await s.exec(query)).all())
            won = []
            for action_id in ids:
                result = await s.exec(
                    update(Action)
                    .where(Action.id == action_id, claimable)
                    .values(
                        status="running",
                        claimed_by=worker,
                        lease_until=now + LEASE,
                        attempts=Action.attempts + 1,
                    )
                )
                if result.rowcount == 1:
                    won.append(action_id)
        if not won:
            return []
        async with self._sessions() as s:
            rows = (await s.exec(select(Action).where(col(Action.id).in_(won)).order_by(Action.due_at))).all()
        return [_job(r) for r in rows]

    async def done(self, job: Job) -> None:
        async with self._sessions() as s, s.begin():
            await s.exec(
                update(Action)
                .where(Action.id == job.id)
                .values(status="done", done_at=self._clock.now(), lease_until=None)
            )

    async def reroute(self, job: Job, guild_id: int) -> None:
        """Give a claimed action back, marked with its guild, for the process holding that guild's
        shard; this claim does not count as an attempt."""
        async with self._sessions() as s, s.begin():
            await s.exec(
                update(Action)
                .where(Action.id == job.id)
                .values(
                    status="pending",
                    guild_id=guild_id,
                    claimed_by=None,
                    lease_until=None,
                    attempts=Action.attempts - 1,
                )
            )

    async def guild_of(self, payload: dict[str, Any]) -> int | None:
        """The guild an action without a guild column acts in, read from what its payload names."""
        async with self._sessions() as s:
            if payload.get("meetup_id") is not None:
                meetup = await s.get(Meetup, payload["meetup_id"])
                return meetup.guild_id if meetup else None
            if payload.get("message_id") is not None:
                query = select(OpenQuestion.guild_id).where(OpenQuestion.message_id == payload["message_id"])
                return (await s.exec(query)).first()
            course_id = payload.get("course_id")
            group_id = payload.get("group_id")
            if course_id is None and payload.get("poll_id") is not None:
                poll = await s.get(Poll, payload["poll_id"])
                group_id = poll.group_id if poll else None
            if course_id is None and group_id is not None:
                group = await s.get(LearnerGroup, group_id)
                course_id = group.course_id if group else None
            course = await s.get(Course, course_id) if course_id is not None else None
            return course.guild_id if course else None

    async def retry(self, job: Job, error: str) -> None:
        """Back to pending for a later attempt, or failed after MAX_ATTEMPTS."""
        now = self._clock.now()
        give_up = job.attempts >= MAX_ATTEMPTS
        values: dict[str, Any] = {"last_error": error[:500], "lease_until": None}
        if give_up:
            values.update(status="failed", done_at=now)
        else:
            values.update(status="pending", due_at=now + backoff(job.attempts))
        async with self._sessions() as s, s.begin():
            await s.exec(update(Action).where(Action.id == job.id).values(**values))
        if give_up:
            log.error("action %s %s failed %d times, giving up: %s", job.kind, job.key, job.attempts, error)

    async def counts(self) -> dict[str, int]:
        async with self._sessions() as s:
            rows = (await s.exec(select(Action.status))).all()
        out: dict[str, int] = {}
        for status in rows:
            out[status] = out.get(status, 0) + 1
        return out


Handler = Callable[[Job], Awaitable[None]]


class Skip(Exception):
    """Raised by a handler: nothing to do any more (the group is gone…); the action is done."""


class ActionRunner:
    """Runs claimed actions through the handler registered for their kind."""

    def __init__(self, queue: ActionQueue, worker: str | None = None, shards: Shards = ALL_SHARDS) -> None:
        self.queue = queue
        self.worker = worker or worker_name()
        self.shards = shards
        self._handlers: dict[str, Handler] = {}
        self._before: list[Callable[[], Awaitable[None]]] = []

    def register(self, kind: str, handler: Handler) -> None:
        self._handlers[kind] = handler

    def before_run(self, planner: Callable[[], Awaitable[None]]) -> None:
        """A planner that schedules periodic actions (e.g. this week's nudges) before each run."""
        self._before.append(planner)

    async def run_due(self, limit: int = 50) -> int:
        """Plan, then claim and run due actions of known kinds. Returns how many ran."""
        for planner in self._before:
            try:
                await planner()
            except Exception:  # a planner bug must not stop due actions
                log.exception("planner %r failed", planner)
        if not self._handlers:
            return 0
        return await self._run(
            await self.queue.claim_due(self.worker, limit, tuple(self._handlers), self.shards)
        )

    async def run_now(self, *kinds: str, limit: int = 10) -> int:
        """Claim and run the due actions of these kinds at once (a change a member is waiting to
        see), without waiting for the next tick; claimed as on a tick, so never twice."""
        kinds = tuple(k for k in kinds if k in self._handlers)
        if not kinds:
            return 0
        return await self._run(await self.queue.claim_due(self.worker, limit, kinds, self.shards))

    async def _run(self, jobs: list[Job]) -> int:
        ran = 0
        for job in jobs:
            if job.guild_id is None and not self.shards.everything:
                guild_id = await self.queue.guild_of(job.payload)
                if guild_id is not None and not self.shards.owns(guild_id):
                    await self.queue.reroute(job, guild_id)  # another process's shard holds it
                    continue
            ran += 1
            try:
                await self._handlers[job.kind](job)
            except Skip:
                await self.queue.done(job)
            except Exception as exc:  # retried later, never lost
                log.warning("action %s %s failed (attempt %d): %r", job.kind, job.key, job.attempts, exc)
                await self.queue.retry(job, repr(exc))
            else:
                await self.queue.done(job)
        return ran
