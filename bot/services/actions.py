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

from sqlalchemy import or_, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import col, select

from bot.clock import Clock
from storage.db import SessionFactory
from storage.models import Action

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 8
LEASE = timedelta(minutes=5)


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


def _job(row: Action) -> Job:
    return Job(
        row.id, row.kind, row.key, row.due_at, json.loads(row.payload or "{}"), row.attempts, row.nonce
    )


class ActionQueue:
    def __init__(self, sessions: SessionFactory, clock: Clock) -> None:
        self._sessions = sessions
        self._clock = clock

    def row(self, kind: str, key: str, due_at: datetime, payload: dict[str, Any] | None = None) -> Action:
        """A new pending action, for a service that adds it inside its own transaction (the change
        that calls for the action and the action then land together, or neither)."""
        return Action(
            kind=kind,
            key=key,
            due_at=due_at,
            payload=json.dumps(payload or {}, sort_keys=True),
            nonce=secrets.token_hex(12),
            created_at=self._clock.now(),
        )

    async def schedule(
        self, kind: str, key: str, due_at: datetime, payload: dict[str, Any] | None = None
    ) -> bool:
        """Add the action unless it exists. True when this call created it."""
        row = self.row(kind, key, due_at, payload)
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

    async def cancel(self, kind: str, key: str) -> bool:
        async with self._sessions() as s, s.begin():
            result = await s.exec(
                update(Action)
                .where(Action.kind == kind, Action.key == key, Action.status == "pending")
                .values(status="cancelled", done_at=self._clock.now())
            )
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
        self, worker: str, limit: int = 50, kinds: tuple[str, ...] | None = None
    ) -> list[Job]:
        """Claim up to `limit` due actions for `worker`; each row is won by exactly one caller."""
        now = self._clock.now()
        claimable = or_(
            Action.status == "pending",
            (Action.status == "running") & (Action.lease_until < now),
        )
        async with self._sessions() as s, s.begin():
            query = select(Action.id).where(claimable, Action.due_at <= now)
            if kinds:
                query = query.where(col(Action.kind).in_(kinds))
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

    def __init__(self, queue: ActionQueue, worker: str | None = None) -> None:
        self.queue = queue
        self.worker = worker or worker_name()
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
        return await self._run(await self.queue.claim_due(self.worker, limit, tuple(self._handlers)))

    async def run_now(self, *kinds: str, limit: int = 10) -> int:
        """Claim and run the due actions of these kinds at once (a change a member is waiting to
        see), without waiting for the next tick; claimed as on a tick, so never twice."""
        kinds = tuple(k for k in kinds if k in self._handlers)
        if not kinds:
            return 0
        return await self._run(await self.queue.claim_due(self.worker, limit, kinds))

    async def _run(self, jobs: list[Job]) -> int:
        for job in jobs:
            try:
                await self._handlers[job.kind](job)
            except Skip:
                await self.queue.done(job)
            except Exception as exc:  # retried later, never lost
                log.warning("action %s %s failed (attempt %d): %r", job.kind, job.key, job.attempts, exc)
                await self.queue.retry(job, repr(exc))
            else:
                await self.queue.done(job)
        return len(jobs)
