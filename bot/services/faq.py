"""FAQ bases in the database, one live matcher per base, questions put to it, votes and gaps.

A *base* is `(guild_id, course_id)`: a course's entries, or the guild's (course_id None) on a
server without courses. Each base gets one `FaqMatcher`, built lazily from the database in a
worker thread, and kept current without a restart: add / edit / remove / import change the
database first, then bring the live matcher up to date (`upsert` / `remove`, in a thread too).
Before each question the base's signature (entry count, sums of row ids and of revisions: one
aggregate row) is read, so a change made elsewhere — `python -m bot faq import` while the bot
runs, another bot process — reaches the matcher too: the rows are compared entry by entry
(row id and revision) and only what changed is embedded. One asyncio lock per base serialises builds,
updates and matches (the matcher is not thread-safe), so an update racing a build is never lost.

Questions: `/faq ask` keeps the learner's text (it is their question *to the bot*, not a channel
message) only as long as it may be needed: 7 days when it was answered and not voted "not
helpful", 90 days when it is a gap (not answered with confidence, or voted "not helpful").
Auto-suggestions keep ids only, never the message's text.
"""

from __future__ import annotations

import asyncio
import json
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from dataclasses import replace as with_changes
from datetime import datetime, timedelta
from functools import partial
from typing import Any

from sqlalchemy import and_, delete, false, func, or_, true, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import col, select

from bot.clock import Clock
from bot.errors import DomainError, NotConfigured
from bot.services.faq_base import (
    MAX_QUESTION_CHARS,
    FaqEntry,
    FaqImportError,
    dump_csv,
    dump_toml,
    validate,
)
from bot.services.faq_engine import ENGINES, FaqMatcher, MatchResult, default_embedder
from storage.db import SessionFactory
from storage.models import FaqCourseSetting, FaqEntryRow, FaqHelpChannel, FaqQuestion, FaqVector, FaqVote

Scope = tuple[int, int | None]  # (guild_id, course_id or None for the guild-wide base)

SURE_SCORE = 0.5  # a confident match at least this good is "sure", else "fairly sure"
SUGGEST_INTERVAL = timedelta(minutes=1)  # at most one auto-suggestion per channel per minute
KEEP_ANSWERED = timedelta(days=7)
KEEP_GAPS = timedelta(days=90)
PURGE_EVERY = timedelta(hours=1)


class EntryExists(DomainError):
    key = "faqbase.error.exists"


class EntryNotFound(DomainError):
    key = "faqbase.error.unknown"


class QuestionGone(DomainError):
    key = "faq.error.gone"


class VariantsFull(DomainError):
    key = "faqbase.error.variants_full"


class GapGone(DomainError):
    key = "faqbase.error.gap_gone"


class NotYourQuestion(DomainError):
    key = "faq.error.not_yours"


class AlreadyEscalated(DomainError):
    key = "faq.error.already_asked"


class CsvCannotCarry(DomainError):
    key = "faqbase.error.csv_pipe"


# ---------------------------------------------------------------- plain results


@dataclass(frozen=True)
class Answer:
    """What `/faq ask` shows. `sureness`: sure | fairly | unsure (entry shown, not certain) | none."""

    question_id: int
    sureness: str
    entry: FaqEntry | None
    others: list[tuple[str, str]]  # (entry id, question) of close entries


@dataclass(frozen=True)
class Suggestion:
    question_id: int
    entry: FaqEntry


@dataclass(frozen=True)
class QuestionInfo:
    id: int
    guild_id: int
    course_id: int | None
    kind: str
    user_id: int
    channel_id: int
    message_id: int | None
    text: str | None
    entry_id: str | None
    confident: bool


@dataclass(frozen=True)
class ImportReport:
    added: int
    updated: int
    removed: int
    total: int


@dataclass
class GapGroup:
    count: int
    example: str
    entry_id: str | None  # the entry the asker opened among the close ones, else the matcher's nearest
    others: list[str] = field(default_factory=list)
    tokens: frozenset[str] = frozenset()
    ids: list[int] = field(default_factory=list)  # the questions' ids, when given; the example's first


@dataclass(frozen=True)
class Gaps:
    groups: list[GapGroup]
    disliked: list[tuple[str, int]]  # entries voted "not helpful" / "not this", with counts


# ---------------------------------------------------------------- entries <-> rows


def _to_entry(row: FaqEntryRow) -> FaqEntry:
    return FaqEntry(
        id=row.entry_id,
        question=row.question,
        variants=list(json.loads(row.variants or "[]")),
        answer=row.answer,
        tags=list(json.loads(row.tags or "[]")),
        lang=row.lang,
    )


def _fill(row: FaqEntryRow, entry: FaqEntry, now: datetime) -> None:
    row.question = entry.question
    row.variants = json.dumps(entry.variants, ensure_ascii=False)
    row.answer = entry.answer
    row.tags = json.dumps(entry.tags, ensure_ascii=False)
    row.lang = entry.lang
    row.updated_at = now
    row.revision = (row.revision or 0) + 1


def _in_scope(model: Any, guild_id: int, course_id: int | None) -> Any:
    course = col(model.course_id)
    return and_(
        col(model.guild_id) == guild_id, course.is_(None) if course_id is None else course == course_id
    )


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in text if not unicodedata.combining(ch))


def _words(text: str) -> str:
    """Folded words only: "C'est quand ??" and "c est quand" are the same wording."""
    return " ".join(re.findall(r"\w+", _fold(text)))


def slug(text: str) -> str:
    """An entry id from a question: `Quand sont les examens ?` → `quand-sont-les-examens`."""
    return re.sub(r"[^a-z0-9]+", "-", _fold(text)).strip("-")[:40].strip("-") or "q"


def _lines(text: str | None) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def entry_from_form(
    entry_id: str, question: str, variants: str | None, answer: str, tags: str | None, lang: str | None
) -> FaqEntry:
    """An entry from the modal's fields (variants one per line; tags by `,` or `|`).

    Raises `FaqImportError` (row 0: no row numbers) with every problem."""
    raw = {
        "id": entry_id,
        "question": question,
        "variants": _lines(variants),
        "answer": answer,
        "tags": [t.strip() for t in re.split(r"[,|\n]", tags or "") if t.strip()],
        "lang": lang or "",  # validate() reads "FR", "fr-FR", "Français"…
    }
    return validate([(0, raw)]).entries[0]


# ---------------------------------------------------------------- gaps: grouping similar questions

_STOP = frozenset(
    """le la les un une des du de d l a au aux et ou en est c ce ca cela je j tu il elle on nous vous ils
    me m mon ma mes ton ta tes son sa ses qui que qu quoi quand comment pourquoi ou est-ce pour par sur
    dans avec pas ne plus y t s n se the an of to in on for is are do does i my me you how what when
    where why can it be at and or with svp stp please merci thanks bonjour salut hello hi""".split()
)


def question_tokens(text: str) -> frozenset[str]:
    """Content words, folded, with a crude plural strip: enough to group near-identical questions."""
    words = re.findall(r"[a-z0-9]+", _fold(text))
    return frozenset(
        w[:-1] if len(w) > 4 and w[-1] in "sx" else w for w in words if w not in _STOP and len(w) > 1
    )


def _similar(a: frozenset[str], b: frozenset[str]) -> float:
    if not a or not b:
        return 1.0 if a == b else 0.0
    return len(a & b) / len(a | b)


def group_questions(
    items: Iterable[tuple[str, str | None] | tuple[str, str | None, int]],
    same_entry: float = 0.34,
    any_entry: float = 0.6,
) -> list[GapGroup]:
    """Group `(text, nearest entry id[, question id])`: the same nearest entry and some shared
    words (Jaccard of content words ≥ `same_entry`), or mostly the same words (≥ `any_entry`)
    whatever the entry — for unanswered questions the nearest entry is a weak hint.

    Most asked first; ties keep the order of first appearance."""
    groups: list[GapGroup] = []
    for text, entry_id, *question_id in items:
        tokens = question_tokens(text)
        for group in groups:
            score = _similar(tokens, group.tokens)
            if score >= any_entry or (group.entry_id == entry_id and score >= same_entry):
                group.count += 1
                if text not in group.others and text != group.example and len(group.others) < 2:
                    group.others.append(text)
                break
        else:
            group = GapGroup(1, text, entry_id, tokens=tokens)
            groups.append(group)
        group.ids += question_id
    return sorted(groups, key=lambda g: -g.count)


MAX_VARIANTS_CHARS = 4000  # all variants of an entry, one per line: what the edit modal can show


def as_variant(text: str) -> str:
    """A learner's question made fit to be a variant: one line, no `|` (the CSV list separator),
    at most MAX_QUESTION_CHARS characters."""
    return " ".join(text.replace("|", "/").split())[:MAX_QUESTION_CHARS]


@dataclass(frozen=True)
class Taught:
    entry: FaqEntry
    variant: str
    added: bool  # False: the entry already had that phrasing
    resolved: int  # gap questions taken off the list


# ---------------------------------------------------------------- the service


class _Base:
    """One base in memory: its matcher (None until built), its entries by id, when each was last
    changed, and the signature of the rows it was built from."""

    def __init__(self) -> None:
        self.lock = asyncio.Lock()
        self.matcher: FaqMatcher | None = None
        self.entries: dict[str, FaqEntry] = {}
        self.stamps: dict[str, tuple[int, int]] = {}  # entry id -> (row id, revision)
        self.signature: tuple[Any, ...] | None = None


def _info(q: FaqQuestion) -> QuestionInfo:
    return QuestionInfo(
        q.id,
        q.guild_id,
        q.course_id,
        q.kind,
        q.user_id,
        q.channel_id,
        q.message_id,
        q.text,
        q.entry_id,
        q.confident,
    )


class FaqService:
    def __init__(self, sessions: SessionFactory, clock: Clock, engine: str = "auto") -> None:
        if engine not in ENGINES:
            raise ValueError(f"engine must be one of {ENGINES}")
        self._sessions = sessions
        self._clock = clock
        self._engine = engine
        self._embedder: Any = None
        self._embedder_loaded = engine == "lexical"
        self._embedder_lock = asyncio.Lock()
        self._bases: dict[Scope, _Base] = {}
        self._last_suggest: dict[int, datetime] = {}
        self._help: dict[int, int | None] | None = None  # channel id -> course id
        self._group_suggest: set[int] | None = None
        self._last_purge: datetime | None = None

    # --- the base in the database ---------------------------------------------------------------

    async def entries(self, guild_id: int, course_id: int | None) -> list[FaqEntry]:
        async with self._sessions() as s:
            query = select(FaqEntryRow).where(_in_scope(FaqEntryRow, guild_id, course_id))
            rows = (await s.exec(query.order_by(FaqEntryRow.entry_id))).all()
        return [_to_entry(r) for r in rows]

    async def entry(self, guild_id: int, course_id: int | None, entry_id: str) -> FaqEntry:
        async with self._sessions() as s:
            row = await self._row(s, guild_id, course_id, entry_id)
        if row is None:
            raise EntryNotFound(id=entry_id)
        return _to_entry(row)

    @staticmethod
    async def _row(s, guild_id: int, course_id: int | None, entry_id: str) -> FaqEntryRow | None:
        query = select(FaqEntryRow).where(
            _in_scope(FaqEntryRow, guild_id, course_id), FaqEntryRow.entry_id == entry_id
        )
        return (await s.exec(query)).first()

    async def free_id(self, guild_id: int, course_id: int | None, question: str) -> str:
        """An unused id made from the question (for entries added without one)."""
        base = slug(question)
        taken = {e.id for e in await self.entries(guild_id, course_id)}
        candidate, n = base, 2
        while candidate in taken:
            candidate, n = f"{base}-{n}", n + 1
        return candidate

    async def add(self, guild_id: int, course_id: int | None, entry: FaqEntry) -> None:
        try:
            async with self._sessions() as s, s.begin():
                if await self._row(s, guild_id, course_id, entry.id) is not None:
                    raise EntryExists(id=entry.id)
                row = FaqEntryRow(
                    guild_id=guild_id,
                    course_id=course_id,
                    entry_id=entry.id,
                    answer="",
                    question="",
                    updated_at=self._clock.now(),
                )
                _fill(row, entry, self._clock.now())
                s.add(row)
        except IntegrityError:
            raise EntryExists(id=entry.id) from None
        await self._changed((guild_id, course_id))

    async def edit(self, guild_id: int, course_id: int | None, entry: FaqEntry) -> None:
        async with self._sessions() as s, s.begin():
            row = await self._row(s, guild_id, course_id, entry.id)
            if row is None:
                raise EntryNotFound(id=entry.id)
            _fill(row, entry, self._clock.now())
        await self._changed((guild_id, course_id))

    async def remove(self, guild_id: int, course_id: int | None, entry_id: str) -> None:
        async with self._sessions() as s, s.begin():
            row = await self._row(s, guild_id, course_id, entry_id)
            if row is None:
                raise EntryNotFound(id=entry_id)
            await s.delete(row)
        await self._changed((guild_id, course_id))

    async def import_entries(
        self, guild_id: int, course_id: int | None, entries: list[FaqEntry], *, replace: bool = False
    ) -> ImportReport:
        """Merge (default: entries with the same id are updated, others kept) or replace the base.

        One transaction: the file was already checked whole (`parse_base`), so either every entry
        lands or none does."""
        now = self._clock.now()
        added = updated = 0
        async with self._sessions() as s, s.begin():
            query = select(FaqEntryRow).where(_in_scope(FaqEntryRow, guild_id, course_id))
            existing = {r.entry_id: r for r in (await s.exec(query)).all()}
            for entry in entries:
                row = existing.get(entry.id)
                if row is None:
                    row = FaqEntryRow(
                        guild_id=guild_id,
                        course_id=course_id,
                        entry_id=entry.id,
                        question="",
                        answer="",
                        updated_at=now,
                    )
                    s.add(row)
                    added += 1
                else:
                    updated += 1
                _fill(row, entry, now)
            incoming = {e.id for e in entries}
            removed = [eid for eid in existing if eid not in incoming] if replace else []
            for eid in removed:
                await s.delete(existing[eid])
        await self._changed((guild_id, course_id))
        return ImportReport(added, updated, len(removed), len(existing) + added - len(removed))

    async def export(self, guild_id: int, course_id: int | None, fmt: str) -> str:
        entries = await self.entries(guild_id, course_id)
        if fmt == "csv":
            try:
                return dump_csv(entries)
            except ValueError:
                raise CsvCannotCarry() from None
        return dump_toml(entries)

    # --- live matchers --------------------------------------------------------------------------

    @property
    def engine(self) -> str:
        return self._engine

    def is_ready(self, guild_id: int, course_id: int | None) -> bool:
        """True when a question can be matched at once (built, nothing else holding the base)."""
        base = self._bases.get((guild_id, course_id))
        return base is not None and base.matcher is not None and not base.lock.locked()

    async def _shared_embedder(self) -> Any:
        """One embedding model for every base (loaded once, in a thread), or None for lexical."""
        if not self._embedder_loaded:
            async with self._embedder_lock:
                if not self._embedder_loaded:
                    self._embedder = await asyncio.to_thread(default_embedder, self._engine)
                    self._embedder_loaded = True
        return self._embedder

    async def _signature(self, scope: Scope) -> tuple[Any, ...]:
        """What changes whenever an entry of the base is added, edited or removed, in one row."""
        async with self._sessions() as s:
            row = (
                await s.exec(
                    select(func.count(), func.sum(FaqEntryRow.id), func.sum(FaqEntryRow.revision)).where(
                        _in_scope(FaqEntryRow, *scope)
                    )
                )
            ).one()
        return tuple(int(value or 0) for value in row)

    async def _base(self, scope: Scope) -> _Base:
        """The base's live matcher, up to date with the database."""
        base = self._bases.setdefault(scope, _Base())
        if base.matcher is None or base.signature != await self._signature(scope):
            async with base.lock:
                await self._sync(scope, base)
        return base

    async def _sync(self, scope: Scope, base: _Base) -> None:
        """Build the matcher, or bring it up to the database's rows: entries gone are removed, new or
        changed ones (row id or revision) embedded again. Called with the base's lock held."""
        signature = await self._signature(scope)
        if base.matcher is not None and base.signature == signature:
            return
        async with self._sessions() as s:
            rows = (await s.exec(select(FaqEntryRow).where(_in_scope(FaqEntryRow, *scope)))).all()
        entries = {r.entry_id: _to_entry(r) for r in sorted(rows, key=lambda r: r.entry_id)}
        stamps = {r.entry_id: (r.id, r.revision) for r in rows}
        matcher = base.matcher
        if matcher is None:
            embedder = await self._shared_embedder()
            saved = await self._saved_vectors(scope) if embedder is not None else None
            base.matcher = await asyncio.to_thread(
                partial(FaqMatcher.from_entries, list(entries.values()), embedder, vectors=saved)
            )
        else:
            gone = [entry_id for entry_id in base.entries if entry_id not in entries]
            changed = [e for entry_id, e in entries.items() if base.stamps.get(entry_id) != stamps[entry_id]]
            if not gone and not changed:
                base.signature = signature
                return

            def work() -> None:
                for entry_id in gone:
                    matcher.remove(entry_id)
                for entry in changed:
                    matcher.upsert(entry)

            await asyncio.to_thread(work)
        base.entries, base.stamps, base.signature = entries, stamps, signature
        await self._save_vectors(scope, base.matcher)

    @staticmethod
    def _vector_scope(scope: Scope) -> str:
        guild_id, course_id = scope
        return f"{guild_id}:{course_id if course_id is not None else '-'}"

    async def _saved_vectors(self, scope: Scope) -> dict[str, bytes]:
        async with self._sessions() as s:
            rows = await s.exec(
                select(FaqVector.key, FaqVector.vector).where(FaqVector.scope == self._vector_scope(scope))
            )
            return dict(rows.all())

    async def _save_vectors(self, scope: Scope, matcher: FaqMatcher) -> None:
        """Keep exactly the base's current embeddings, so the next start embeds nothing again."""
        current = matcher.export_vectors()
        name = self._vector_scope(scope)
        async with self._sessions() as s, s.begin():
            stored = set((await s.exec(select(FaqVector.key).where(FaqVector.scope == name))).all())
            stale = stored - set(current)
            if stale:
                await s.exec(delete(FaqVector).where(FaqVector.scope == name, col(FaqVector.key).in_(stale)))
            for key in set(current) - stored:
                s.add(FaqVector(scope=name, key=key, vector=current[key]))

    async def warm(self, guild_id: int, course_id: int | None) -> None:
        await self._base((guild_id, course_id))

    async def _changed(self, scope: Scope) -> None:
        """A change this process just wrote: the live matcher learns it now, so the next question
        pays for no embedding."""
        base = self._bases.get(scope)
        if base is None or base.matcher is None:
            return  # never built: the next question builds it from the database
        async with base.lock:
            await self._sync(scope, base)

    async def _match(self, scope: Scope, text: str) -> tuple[_Base, MatchResult]:
        base = await self._base(scope)
        async with base.lock:
            result = await asyncio.to_thread(base.matcher.match, text)
        return base, result

    # --- questions ------------------------------------------------------------------------------

    async def ask(
        self, guild_id: int, course_id: int | None, user_id: int, channel_id: int, text: str
    ) -> Answer:
        text = " ".join(text.split())[:MAX_QUESTION_CHARS]
        base, result = await self._match((guild_id, course_id), text)
        best = result.match
        if best is not None and result.confident:
            sureness = "sure" if best.score >= SURE_SCORE else "fairly"
            others = result.alternatives if sureness == "fairly" else []
        else:  # a tentative answer, or none: close entries are listed either way
            sureness = "unsure" if best is not None else "none"
            others = result.alternatives
        async with self._sessions() as s, s.begin():
            row = FaqQuestion(
                guild_id=guild_id,
                course_id=course_id,
                kind="ask",
                user_id=user_id,
                channel_id=channel_id,
                text=text,
                entry_id=best.id if best else None,
                score=best.score if best else 0.0,
                confident=result.confident,
                created_at=self._clock.now(),
            )
            s.add(row)
            await s.flush()
            question_id = row.id
        await self.purge()
        entry = base.entries.get(best.id) if best else None
        return Answer(
            question_id=question_id,
            sureness=sureness if entry is not None or best is None else "none",
            entry=entry,
            others=[(h.id, h.question) for h in others[:2]],
        )

    async def suggest(
        self, guild_id: int, course_id: int | None, channel_id: int, message_id: int, user_id: int, text: str
    ) -> Suggestion | None:
        """The entry to offer under a help-channel message, or None: only when confident, once per
        message, at most once per channel per SUGGEST_INTERVAL. The message's text is not stored."""
        if self._recently_suggested(channel_id):
            return None
        base, result = await self._match((guild_id, course_id), text[:2000])
        if result.match is None or not result.confident or result.match.id not in base.entries:
            return None
        if self._recently_suggested(channel_id):
            return None
        now = self._clock.now()
        self._last_suggest[channel_id] = now
        try:
            async with self._sessions() as s, s.begin():
                last = (
                    await s.exec(
                        select(func.max(FaqQuestion.created_at)).where(
                            FaqQuestion.channel_id == channel_id, FaqQuestion.kind == "suggest"
                        )
                    )
                ).first()
                if last is not None and now - last < SUGGEST_INTERVAL:
                    return None
                row = FaqQuestion(
                    guild_id=guild_id,
                    course_id=course_id,
                    kind="suggest",
                    user_id=user_id,
                    channel_id=channel_id,
                    message_id=message_id,
                    entry_id=result.match.id,
                    score=result.match.score,
                    confident=True,
                    created_at=now,
                )
                s.add(row)
                await s.flush()
                question_id = row.id
        except IntegrityError:
            return None  # this message already got its suggestion
        return Suggestion(question_id, base.entries[result.match.id])

    def _recently_suggested(self, channel_id: int) -> bool:
        last = self._last_suggest.get(channel_id)
        return last is not None and self._clock.now() - last < SUGGEST_INTERVAL

    async def question(self, question_id: int) -> QuestionInfo:
        async with self._sessions() as s:
            q = await s.get(FaqQuestion, question_id)
        if q is None:
            raise QuestionGone()
        return _info(q)

    async def open_close_entry(self, question_id: int, user_id: int, entry_id: str) -> FaqEntry:
        """A close entry listed under an answer, opened by its button. When the asker opens one
        under their own `/faq ask`, it is kept as the hint for `/faqbase gaps`: a learner who
        looked further knows better than the matcher which entry their question was about."""
        info = await self.question(question_id)
        entry = await self.entry(info.guild_id, info.course_id, entry_id)
        if info.kind == "ask" and info.user_id == user_id:
            async with self._sessions() as s, s.begin():
                picked = update(FaqQuestion).where(col(FaqQuestion.id) == question_id)
                await s.exec(picked.values(picked_entry_id=entry_id))
        return entry

    async def vote(self, question_id: int, user_id: int, helpful: bool) -> QuestionInfo:
        """Record (or change) this member's vote. On `/faq ask` answers only the asker votes."""
        now = self._clock.now()
        async with self._sessions() as s, s.begin():
            q = await s.get(FaqQuestion, question_id)
            if q is None:
                raise QuestionGone()
            if q.kind == "ask" and q.user_id != user_id:
                raise NotYourQuestion()
            query = select(FaqVote).where(FaqVote.question_id == question_id, FaqVote.user_id == user_id)
            vote = (await s.exec(query)).first()
            if vote is None:
                s.add(FaqVote(question_id=question_id, user_id=user_id, helpful=helpful, updated_at=now))
            else:
                vote.helpful = helpful
                vote.updated_at = now
            info = _info(q)
        return info

    async def claim_escalation(self, question_id: int, user_id: int) -> QuestionInfo:
        """The asker's "Ask a teacher", once per question (a conditional UPDATE decides)."""
        async with self._sessions() as s, s.begin():
            q = await s.get(FaqQuestion, question_id)
            if q is None:
                raise QuestionGone()
            if q.user_id != user_id:
                raise NotYourQuestion()
            if q.course_id is None:
                raise NotConfigured()
            info = _info(q)
            claimed = await s.exec(
                update(FaqQuestion)
                .where(col(FaqQuestion.id) == question_id, col(FaqQuestion.escalated_at).is_(None))
                .values(escalated_at=self._clock.now())
            )
            if claimed.rowcount != 1:
                raise AlreadyEscalated()
        return info

    async def release_escalation(self, question_id: int) -> None:
        async with self._sessions() as s, s.begin():
            await s.exec(
                update(FaqQuestion).where(col(FaqQuestion.id) == question_id).values(escalated_at=None)
            )

    async def purge(self, force: bool = False) -> int:
        """Forget questions no longer needed: answered ones after 7 days, gaps after 90."""
        now = self._clock.now()
        if not force and self._last_purge is not None and now - self._last_purge < PURGE_EVERY:
            return 0
        self._last_purge = now
        disliked = select(FaqVote.question_id).where(col(FaqVote.helpful).is_(false()))
        old = select(FaqQuestion.id).where(
            or_(
                col(FaqQuestion.created_at) < now - KEEP_GAPS,
                and_(
                    col(FaqQuestion.created_at) < now - KEEP_ANSWERED,
                    col(FaqQuestion.confident).is_(true()),
                    col(FaqQuestion.id).not_in(disliked),
                ),
            )
        )
        async with self._sessions() as s, s.begin():
            ids = list((await s.exec(old)).all())
            if ids:
                await s.exec(delete(FaqVote).where(col(FaqVote.question_id).in_(ids)))
                await s.exec(delete(FaqQuestion).where(col(FaqQuestion.id).in_(ids)))
        return len(ids)

    # --- gaps -----------------------------------------------------------------------------------

    def _gap_filter(self, guild_id: int, course_id: int | None) -> Any:
        disliked = select(FaqVote.question_id).where(col(FaqVote.helpful).is_(false()))
        return and_(
            _in_scope(FaqQuestion, guild_id, course_id),
            FaqQuestion.kind == "ask",
            col(FaqQuestion.text).is_not(None),
            or_(col(FaqQuestion.confident).is_(false()), col(FaqQuestion.id).in_(disliked)),
        )

    async def gaps(self, guild_id: int, course_id: int | None, limit: int = 10) -> Gaps:
        """Questions the base did not answer (or answered unhelpfully), similar ones grouped."""
        groups = await self._gap_groups(guild_id, course_id)
        async with self._sessions() as s:
            votes = (
                await s.exec(
                    select(FaqQuestion.entry_id)
                    .join(FaqVote, col(FaqVote.question_id) == col(FaqQuestion.id))
                    .where(_in_scope(FaqQuestion, guild_id, course_id), col(FaqVote.helpful).is_(false()))
                )
            ).all()
        disliked = Counter(eid for eid in votes if eid)
        return Gaps(groups[:limit], disliked.most_common(5))

    async def _gap_groups(self, guild_id: int, course_id: int | None) -> list[GapGroup]:
        """Every gap of a base, grouped; each question's hint is the close entry its asker opened,
        else the matcher's nearest."""
        await self.purge()
        hint = func.coalesce(FaqQuestion.picked_entry_id, FaqQuestion.entry_id)
        query = select(FaqQuestion.text, hint, FaqQuestion.id).where(self._gap_filter(guild_id, course_id))
        async with self._sessions() as s:
            rows = (await s.exec(query.order_by(FaqQuestion.created_at))).all()
        return group_questions(rows)

    async def teach(self, question_id: int, entry_id: str) -> Taught:
        """A gap's question becomes a variant of an entry of the same base (the teacher's one-click
        answer to `/faqbase gaps`), the live index learns it, and the questions grouped with it
        leave the gaps list."""
        async with self._sessions() as s:
            q = await s.get(FaqQuestion, question_id)
        if q is None or q.text is None or q.kind != "ask":
            raise GapGone()
        guild_id, course_id = q.guild_id, q.course_id
        variant = as_variant(q.text)
        group = next((g for g in await self._gap_groups(guild_id, course_id) if question_id in g.ids), None)
        ids = group.ids if group else [question_id]
        async with self._sessions() as s, s.begin():
            row = await self._row(s, guild_id, course_id, entry_id)
            if row is None:
                raise EntryNotFound(id=entry_id)
            entry = _to_entry(row)
            known = {_words(p) for p in entry.phrasings()}
            added = _words(variant) not in known
            if added:
                variants = [*entry.variants, variant]
                if len("\n".join(variants)) > MAX_VARIANTS_CHARS:
                    raise VariantsFull(id=entry_id)
                entry = with_changes(entry, variants=variants)
                _fill(row, entry, self._clock.now())
            await s.exec(delete(FaqVote).where(col(FaqVote.question_id).in_(ids)))
            await s.exec(delete(FaqQuestion).where(col(FaqQuestion.id).in_(ids)))
        if added:
            await self._changed((guild_id, course_id))
        return Taught(entry, variant, added, len(ids))

    async def clear_gaps(self, guild_id: int, course_id: int | None) -> int:
        async with self._sessions() as s, s.begin():
            ids = list(
                (await s.exec(select(FaqQuestion.id).where(self._gap_filter(guild_id, course_id)))).all()
            )
            if ids:
                await s.exec(delete(FaqVote).where(col(FaqVote.question_id).in_(ids)))
                await s.exec(delete(FaqQuestion).where(col(FaqQuestion.id).in_(ids)))
        return len(ids)

    # --- where auto-suggest answers -------------------------------------------------------------

    async def set_help_channel(
        self, guild_id: int, channel_id: int, course_id: int | None, enabled: bool
    ) -> None:
        async with self._sessions() as s, s.begin():
            row = (
                await s.exec(select(FaqHelpChannel).where(FaqHelpChannel.channel_id == channel_id))
            ).first()
            if enabled and row is None:
                s.add(
                    FaqHelpChannel(
                        guild_id=guild_id,
                        channel_id=channel_id,
                        course_id=course_id,
                        created_at=self._clock.now(),
                    )
                )
            elif enabled:
                row.course_id = course_id
            elif row is not None:
                await s.delete(row)
        self._help = None

    async def help_channels(self, guild_id: int) -> dict[int, int | None]:
        async with self._sessions() as s:
            rows = (await s.exec(select(FaqHelpChannel).where(FaqHelpChannel.guild_id == guild_id))).all()
        return {r.channel_id: r.course_id for r in rows}

    async def help_channel_ids(self) -> frozenset[int]:
        """Every channel marked as a help channel (cached; the cache is dropped on change)."""
        await self.help_channel(0)
        return frozenset(self._help)

    async def help_channel(self, channel_id: int) -> tuple[bool, int | None]:
        """(is a help channel, the course whose base answers there). Cached; refreshed on change."""
        if self._help is None:
            async with self._sessions() as s:
                rows = (await s.exec(select(FaqHelpChannel))).all()
            self._help = {r.channel_id: r.course_id for r in rows}
        if channel_id in self._help:
            return True, self._help[channel_id]
        return False, None

    async def set_group_suggest(self, course_id: int, enabled: bool) -> None:
        async with self._sessions() as s, s.begin():
            row = await s.get(FaqCourseSetting, course_id)
            if row is None:
                s.add(FaqCourseSetting(course_id=course_id, suggest_in_groups=enabled))
            else:
                row.suggest_in_groups = enabled
        self._group_suggest = None

    async def courses_suggesting_in_groups(self) -> set[int]:
        """Courses whose group channels get auto-suggestions too (cached; refreshed on change)."""
        if self._group_suggest is None:
            async with self._sessions() as s:
                query = select(FaqCourseSetting.course_id).where(col(FaqCourseSetting.suggest_in_groups))
                self._group_suggest = set((await s.exec(query)).all())
        return self._group_suggest


__all__ = [
    "Answer",
    "FaqImportError",
    "FaqService",
    "GapGone",
    "Gaps",
    "ImportReport",
    "QuestionInfo",
    "Suggestion",
    "Taught",
    "VariantsFull",
    "entry_from_form",
    "group_questions",
]
