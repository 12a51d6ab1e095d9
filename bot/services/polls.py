"""Polls to find a time to meet: candidate slots, yes / if need be / no votes, the best slot.

Slots are read in the member's timezone (profile) or the course's, and stored in UTC:
- listed: "mar 20:30, jeu 20:30, sam 10:00" (a weekday means its next occurrence),
  dates "25/11 20h30", "2026-11-25 20:30", "mardi 24 à 20h30", "demain 20h" / "tomorrow 8pm",
  several slots in one ("sam 10h et 15h", "demain 18h ou jeudi 20h");
- generated: days × start times over the next N days ("lun,mer,jeu" × "20:30,21:00" over 7 days).

Ranking (Moodle findatime and Rallly): slots where every member is yes or if-need-be come
first; then most yes + if-need-be; then most yes; then the earliest. The best slot must
reach the course's minimum of attendees, else there is none.

A member who gave their weekly availability (/profile set) can fill their ballot from it: a slot
inside their free hours is a yes, one partly inside an if-need-be, one outside a no; slots they
had already answered are left as they were (`answer_from`, `PollService.fill`).

A poll closes once: a conditional UPDATE on `status = 'open'` tells exactly one caller
(deadline action, early close button, last vote) that it closed the poll.

A weekly poll (`repeat_weekly`) offers slots within the 7 days after it opens; a week after it
opened, the next week's poll opens (`PollService.repeat`, action `poll_repeat`): the same slots a
week later at the same local time in the creator's timezone, the same deadline a week later. The
next poll names the one before (`repeated_from`, unique), so it is opened once however often the
action runs. Anyone who may close the poll may stop the series (`stop_repeat`).

A poll, its deadline, its reminder and its repeat are written in one transaction.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import update
from sqlalchemy.exc import IntegrityError
from sqlmodel import col, select

from bot.clock import Clock
from bot.errors import DomainError, InvalidInput
from bot.services.actions import ActionQueue
from bot.services.availability import MINUTES_PER_WEEK, WeeklyAvailability, intersect, to_utc_week
from bot.services.groups import members_of
from bot.services.timewords import (
    AVAILABILITY_EXAMPLE,
    MONTH_WORDS,
    MONTHS,
    SLOTS_EXAMPLE,
    WEEKDAY_WORDS,
    DayTime,
    TimeWordsError,
    normalize,
    parse_day_times,
    parse_days,
)
from storage.db import SessionFactory
from storage.models import Course, GroupMember, LearnerGroup, Poll, PollSlot, PollVote

MAX_SLOTS = 25
DEFAULT_LENGTH = 60
DEFAULT_DEADLINE = timedelta(hours=48)
DEADLINE_MARGIN = timedelta(hours=1)  # a default deadline never later than 1 h before the first slot
MIN_LEAD = timedelta(minutes=10)  # the shortest time a poll can stay open
WEEK = timedelta(days=7)  # a weekly poll's slots lie within a week of its opening; the next opens a week on
POLL_KINDS = ("poll_close", "poll_remind", "poll_repeat")  # the actions of a poll, keyed "poll:<id>"
ANSWERS = ("yes", "maybe", "no")
DATE_EXAMPLE = "25/11 20h30, 2026-11-25 20:30, demain 20h"
GENERATE_EXAMPLE = "days: lun,mer,jeu · times: 20:30,21:00 · over_days: 7"


# --- errors -----------------------------------------------------------------------------------------


class SlotInPast(InvalidInput):
    key = "poll.error.past"


class TooManySlots(DomainError):
    key = "poll.error.too_many"


class NoSlots(InvalidInput):
    key = "poll.error.no_slots"


class DeadlineAfterFirstSlot(DomainError):
    key = "poll.error.deadline_after_first"


class DeadlineInPast(DomainError):
    key = "poll.error.deadline_past"


class FirstSlotTooSoon(DomainError):
    key = "poll.error.too_soon"


class MixedLengths(DomainError):
    key = "poll.error.mixed_lengths"


class BadLength(DomainError):
    key = "poll.error.length"


class NotAGroupChannel(DomainError):
    key = "poll.error.not_group_channel"


class NotAMember(DomainError):
    key = "poll.error.not_member"


class PollClosed(DomainError):
    key = "poll.error.closed"


class PollNotFound(DomainError):
    key = "poll.error.not_found"


class NotPollOwner(DomainError):
    key = "poll.error.not_owner"


class NotSeriesOwner(DomainError):
    key = "poll.error.not_series_owner"


class NotWeekly(DomainError):
    """A weekly poll's slots must lie within the 7 days after it opens. Params: `last`, `example`."""

    key = "poll.error.not_weekly"


class NoAvailability(DomainError):
    """The member's profile holds no weekly availability to fill a ballot from. Params: `example`."""

    key = "poll.error.no_availability"


# --- reading slots ------------------------------------------------------------------------------------

_ISO = re.compile(r"^\s*(\d{4})-(\d{1,2})-(\d{1,2})(?:[ t]+(.+))?$", re.IGNORECASE)
# "25/11", "25/11/2026", "25.11 20h", "25-11-26 20h": day first, as in French. With "." or "-", a month
# of 1 to 12 and a time after it ("20.30" alone, "mar 18.45", "20.10 mardi" are times)
_DMY = re.compile(r"^\s*(\d{1,2})/(\d{1,2})(?:/(\d{2,4}))?(?:\s+(.+))?$")
_DMY_DOTTED = re.compile(
    r"^\s*(\d{1,2})([.-])(0?[1-9]|1[0-2])(?:\2(\d{2,4}))?\s+((?:a |at )?(?:\d|midi|noon).*)$"
)
_RELATIVE = {
    "aujourdhui": 0,
    "today": 0,
    "ce soir": 0,
    "tonight": 0,
    "demain": 1,
    "tomorrow": 1,
    "tmrw": 1,
    "tmw": 1,
    "apres-demain": 2,
    "apres demain": 2,
}
_RELATIVE_RE = re.compile(
    r"^\s*(" + "|".join(re.escape(w) for w in sorted(_RELATIVE, key=len, reverse=True)) + r")\b\s*(.*)$"
)
_IN_DAYS = re.compile(r"^\s*(?:dans|in)\s+(\d{1,2})\s+(?:jours?|days?)\b\s*(.*)$")  # "dans 3 jours à 20h"


# "25 novembre 20h30", "1er déc. 2026 à 21h", "november 25th 8pm", "nov 25, 8pm"
_YEAR_AND_REST = r"(?:\s+(\d{4}))?(?:\s+(.+))?$"
_DAY_MONTH = re.compile(rf"^\s*(\d{{1,2}})(?:er|st|nd|rd|th)?\s+({MONTH_WORDS})\.?{_YEAR_AND_REST}")
_MONTH_DAY = re.compile(rf"^\s*({MONTH_WORDS})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?{_YEAR_AND_REST}")
# The article and a weekday written before a date are redundant: "le 12/12 à 20h", "on 3 dec at
# 8pm", "le jeudi 26/11 20h", "thu nov 26 8pm" (only the date is read from what remains)
_LEADING_ARTICLE = re.compile(r"^\s*(?:le|the|on)\s+")
_LEADING_WEEKDAY = re.compile(rf"^\s*{WEEKDAY_WORDS}\.?,?\s+(?=\d|[a-z]+\.?\s+\d)")
# A weekday and the day of the month, no month: "mardi 24 à 20h30", "tuesday 24th at 8:30pm"
_WEEKDAY_DATE = re.compile(
    rf"^\s*({WEEKDAY_WORDS})\.?,?\s+(\d{{1,2}})(?:er|st|nd|rd|th)?\s+((?:a |at )?(?:\d|midi|noon).*)$"
)
# "jeudi de la semaine prochaine 20h", "thursday next week": the week after this one
_WEEK_AFTER = re.compile(r"\b(?:de |of )?(?:la |the )?semaine prochaine\b|\bnext week\b")
_NEXT_WEEK = re.compile(r"\b(prochain|prochaine|next)\b")
_WEEKS_ON = re.compile(r"\ben (huit|quinze)\b")  # "mardi en huit": a week after next Tuesday
# Another slot after "ou" / "et" in a dated one: "demain 18h ou jeudi 20h", "ven 27 nov 20h ou sam 28 nov 15h"
_ANOTHER = re.compile(
    rf"\s+(?:ou|or|et|and|&|\+)\s+(?=(?:le |the |on )?(?:{WEEKDAY_WORDS}\b|"
    + "|".join(re.escape(w) for w in _RELATIVE)
    + r"|dans |in \d|\d{1,2}[/.-]\d|\d{4}-|\d{1,2}(?:er|st|nd|rd|th)?\s+[a-z]))"
)
# "midi et demi", "20h et quart": written out
_HALVES = (
    (re.compile(r"\b(midi|noon)\s+et\s+demie?\b"), "12h30"),
    (re.compile(r"\bminuit\s+et\s+demie?\b"), "0h30"),
    (re.compile(r"\b(\d{1,2})\s*h(?:eures?)?\s+et\s+demie?\b"), r"\1h30"),
    (re.compile(r"\b(\d{1,2})\s*h(?:eures?)?\s+et\s+quart\b"), r"\1h15"),
)


_MONTH_DAY_ALONE = re.compile(
    rf"(?:{WEEKDAY_WORDS}\.?\s+)?(?:{MONTH_WORDS})\.?\s+\d{{1,2}}(?:st|nd|rd|th)?"
)
_TIME_FIRST = re.compile(r"\s*(?:at\s+)?\d")


def _plain(piece: str) -> str:
    """The piece as it is matched: normalized, "midi et demi" written 12h30."""
    plain = normalize(piece)
    for pattern, written in _HALVES:
        plain = pattern.sub(written, plain)
    return plain


def _split(text: str) -> list[str]:
    """The slots of a text, split at "," ";" and new lines; "nov 25, 8pm" stays one."""
    pieces = [p.strip() for p in re.split(r"[,;\n]+", text or "") if p.strip()]
    out: list[str] = []
    for piece in pieces:
        if out and _MONTH_DAY_ALONE.fullmatch(normalize(out[-1])) and _TIME_FIRST.match(normalize(piece)):
            out[-1] = f"{out[-1]} {piece}"
        else:
            out.append(piece)
    return out


def _local(day: date, minute: int, zone: ZoneInfo) -> datetime:
    naive = datetime(day.year, day.month, day.day) + timedelta(minutes=minute)
    return naive.replace(tzinfo=zone).astimezone(UTC)


def _times_of(rest: str | None, piece: str) -> list[DayTime]:
    """The start times written after a date: "20h", "à 20h30", "10h et 15h", "soir 9h" (21:00),
    "20h-21h30" (with its length)."""
    if not rest or not rest.strip():
        raise InvalidInput("poll.error.missing_time", value=piece, example=DATE_EXAMPLE)
    try:
        return parse_day_times(f"lun {rest}", example=DATE_EXAMPLE, spans=True)
    except TimeWordsError as exc:
        raise InvalidInput("poll.error.unreadable", value=piece, example=DATE_EXAMPLE) from exc


def _on_day(today: date, day_of_month: int, weekday: int, piece: str) -> date:
    """The next date (today or after) that is that day of the month, which must be that weekday."""
    for offset in range(62):
        when = today + timedelta(days=offset)
        if when.day == day_of_month:
            if when.weekday() != weekday:
                break
            return when
    raise InvalidInput("poll.error.bad_date", value=piece, example=DATE_EXAMPLE)


def _date_and_rest(plain: str, today: date, piece: str) -> tuple[date, str | None] | None:
    """The date a piece starts with, and what follows it (its times); None when it has none."""
    if m := _WEEKDAY_DATE.match(plain):  # "mardi 24 à 20h30": the weekday is checked
        return _on_day(today, int(m[2]), parse_days(m[1])[0], piece), m[3]
    plain = _LEADING_WEEKDAY.sub("", plain, count=1)  # "jeudi 26/11 20h": the date says it all
    if m := _ISO.match(plain):
        return _date_or_fail(int(m[1]), int(m[2]), int(m[3]), piece), m[4]
    if m := _RELATIVE_RE.match(plain):
        rest = f"soir {m[2]}" if m[1] in ("ce soir", "tonight") else m[2]  # "ce soir 9h" is 21:00
        return today + timedelta(days=_RELATIVE[m[1]]), rest
    if m := _IN_DAYS.match(plain):
        return today + timedelta(days=int(m[1])), m[2]
    if m := _DMY.match(plain):
        day, month, year_text, rest = int(m[1]), int(m[2]), m[3], m[4]
    elif m := _DMY_DOTTED.match(plain):
        day, month, year_text, rest = int(m[1]), int(m[3]), m[4], m[5]
    elif m := _DAY_MONTH.match(plain):
        day, month, year_text, rest = int(m[1]), MONTHS[m[2]], m[3], m[4]
    elif m := _MONTH_DAY.match(plain):
        day, month, year_text, rest = int(m[2]), MONTHS[m[1]], m[3], m[4]
    else:
        return None
    if year_text:
        year = int(year_text) + (2000 if len(year_text) == 2 else 0)
    else:
        year = today.year
        try:
            if date(year, month, day) < today - timedelta(days=31):
                year += 1  # "15/01" written in December means next January
        except ValueError:
            pass
    return _date_or_fail(year, month, day, piece), rest


def _dated(piece: str, zone: ZoneInfo, today: date) -> tuple[list[ReadSlot], str | None] | None:
    """The slots of a piece written with a date ("25/11 20h30", "2026-11-25 20:30", "25 novembre
    20h30", "mardi 24 à 20h", "demain 20h", "dans 3 jours 18h"), and what follows another slot in it
    ("… ou jeudi 20h"); None when it has no date."""
    found = _date_and_rest(_LEADING_ARTICLE.sub("", _plain(piece), count=1), today, piece)
    if found is None:
        return None
    when, rest = found
    tail = None
    if rest and (split := _ANOTHER.search(rest)):
        rest, tail = rest[: split.start()], rest[split.end() :]
    rest = re.sub(r"^\s*(?:a|at)\s+", "", rest or "")
    return [ReadSlot(_local(when, t.minute, zone), piece, t.length) for t in _times_of(rest, piece)], tail


def _date_or_fail(year: int, month: int, day: int, piece: str) -> date:
    try:
        return date(year, month, day)
    except ValueError:
        raise InvalidInput("poll.error.bad_date", value=piece, example=DATE_EXAMPLE) from None


def _next_weekday(weekday: int, minute: int, zone: ZoneInfo, now: datetime) -> datetime:
    today = now.astimezone(zone).date()
    for offset in range(8):
        day = today + timedelta(days=offset)
        if day.weekday() == weekday:
            when = _local(day, minute, zone)
            if when > now:
                return when
    raise AssertionError("unreachable")  # pragma: no cover


@dataclass(frozen=True)
class ReadSlot:
    starts_at: datetime
    text: str  # as the member typed it (to echo it in errors)
    length: int | None = None  # minutes, when written as a range ("mar 20h-21h30")


def _weekday_times(text: str, piece: str) -> list[DayTime]:
    try:
        return parse_day_times(text, example=SLOTS_EXAMPLE, spans=True)
    except TimeWordsError as exc:
        raise InvalidInput("poll.error.unreadable", value=piece, example=SLOTS_EXAMPLE) from exc


def parse_slots(text: str, timezone: str, now: datetime) -> list[ReadSlot]:
    """Every slot the text lists, in UTC, in the order given (duplicates dropped).

    A weekday means its next occurrence after `now` ("lundi prochain": never today; "jeudi de la
    semaine prochaine": in the week after this one; "mardi en huit": a week after next Tuesday);
    a date may be in the past (checked later).
    """
    zone = ZoneInfo(timezone)
    today = now.astimezone(zone).date()
    tomorrow = datetime.combine(today + timedelta(days=1), datetime.min.time(), zone)
    found: list[ReadSlot] = []
    weekday_parts: list[str] = []
    pieces = _split(text)
    while pieces:
        piece = pieces.pop(0)
        plain = _plain(piece)
        if (dated := _dated(piece, zone, today)) is not None:
            slots, tail = dated
            found.extend(slots)
            if tail:
                pieces.insert(0, tail)
        elif _WEEK_AFTER.search(plain):
            monday = today + timedelta(days=7 - today.weekday())
            for dt in _weekday_times(_WEEK_AFTER.sub(" ", plain), piece):
                when = _local(monday + timedelta(days=dt.weekday), dt.minute, zone)
                found.append(ReadSlot(when, piece, dt.length))
        elif _NEXT_WEEK.search(plain) or _WEEKS_ON.search(plain):
            # "lundi prochain 20h" / "next monday 8pm": never today, even later today; "mardi en
            # huit" (en quinze): a week (two) after that
            weeks_on = _WEEKS_ON.search(plain)
            later = 0 if weeks_on is None else 7 if weeks_on[1] == "huit" else 14
            cleaned = _WEEKS_ON.sub(" ", _NEXT_WEEK.sub(" ", plain))
            for dt in _weekday_times(cleaned, piece):
                first = _next_weekday(dt.weekday, dt.minute, zone, max(now, tomorrow))
                found.append(ReadSlot(first + timedelta(days=later), piece, dt.length))
        else:
            weekday_parts.append(piece)
    if weekday_parts:
        joined = ", ".join(weekday_parts)
        for dt in _weekday_times(", ".join(map(_plain, weekday_parts)), joined):
            found.append(ReadSlot(_next_weekday(dt.weekday, dt.minute, zone, now), joined, dt.length))
    if not found:
        raise NoSlots(value=(text or "").strip(), example=SLOTS_EXAMPLE)
    unique: list[ReadSlot] = []
    seen: set[datetime] = set()
    for slot in found:
        if slot.starts_at not in seen:
            seen.add(slot.starts_at)
            unique.append(slot)
    return unique


def generate_slots(days: str, times: str, over_days: int, timezone: str, now: datetime) -> list[ReadSlot]:
    """Days × start times over the next `over_days` days (from today), future ones only."""
    zone = ZoneInfo(timezone)
    try:
        weekdays = set(parse_days(days, example="lun,mer,jeu"))
    except TimeWordsError as exc:
        raise InvalidInput("poll.error.unreadable", value=days, example=GENERATE_EXAMPLE) from exc
    if not (times or "").strip(" ,;"):
        raise NoSlots(value=times, example=GENERATE_EXAMPLE)
    try:  # "20:30, 21:00", "20h30 et 21h", "8pm 9pm", "20h-21h": the times of one day
        starts = parse_day_times(f"lun {_plain(times)}", example=GENERATE_EXAMPLE, spans=True)
    except TimeWordsError as exc:
        raise InvalidInput("poll.error.unreadable", value=times, example=GENERATE_EXAMPLE) from exc
    if not 1 <= over_days <= 60:
        raise InvalidInput("poll.error.over_days", value=str(over_days), example="7")
    today = now.astimezone(zone).date()
    out: list[ReadSlot] = []
    for offset in range(over_days):
        day = today + timedelta(days=offset)
        if day.weekday() not in weekdays:
            continue
        for start in sorted(starts, key=lambda t: t.minute):
            when = _local(day, start.minute, zone)
            if when > now:
                out.append(ReadSlot(when, f"{days} {times}", start.length))
    if not out:
        raise NoSlots(value=f"{days} · {times}", example=GENERATE_EXAMPLE)
    return out


def check_slots(slots: Sequence[ReadSlot], now: datetime) -> list[datetime]:
    """Sorted UTC starts; refuses past slots and more than MAX_SLOTS."""
    for slot in slots:
        if slot.starts_at <= now:
            raise SlotInPast(value=slot.text, when=int(slot.starts_at.timestamp()), example=SLOTS_EXAMPLE)
    if len(slots) > MAX_SLOTS:
        raise TooManySlots(count=len(slots), limit=MAX_SLOTS)
    return sorted(s.starts_at for s in slots)


def check_length(minutes: int) -> int:
    if not 15 <= minutes <= 480:
        raise BadLength(value=minutes, min=15, max=480)
    return minutes


def slot_length(slots: Sequence[ReadSlot], given: int | None) -> int:
    """The poll's one length: the one given, else that of the slots written as ranges ("mar
    20h-21h30": 90 min), else DEFAULT_LENGTH. Ranges of different lengths without one given are
    refused."""
    if given is not None:
        return check_length(given)
    lengths = sorted({s.length for s in slots if s.length is not None})
    if len(lengths) > 1:
        raise MixedLengths(lengths=", ".join(map(str, lengths)), example=SLOTS_EXAMPLE)
    return check_length(lengths[0] if lengths else DEFAULT_LENGTH)


def choose_deadline(now: datetime, first_slot: datetime, given: datetime | None = None) -> datetime:
    """The given deadline (never after the first slot), else 48 h, else 1 h before the first slot."""
    if given is not None:
        if given <= now:
            raise DeadlineInPast(when=int(given.timestamp()))
        if given > first_slot:
            raise DeadlineAfterFirstSlot(deadline=int(given.timestamp()), first=int(first_slot.timestamp()))
        return given
    deadline = min(now + DEFAULT_DEADLINE, first_slot - DEADLINE_MARGIN)
    if deadline < now + MIN_LEAD:
        raise FirstSlotTooSoon(first=int(first_slot.timestamp()))
    return deadline


def check_weekly(starts: Sequence[datetime], now: datetime) -> None:
    """A weekly poll offers the coming week's slots: the next one, a week on, offers the week after."""
    if starts and starts[-1] > now + WEEK:
        raise NotWeekly(last=int(starts[-1].timestamp()), example=SLOTS_EXAMPLE)


def weeks_later(when: datetime, zone: ZoneInfo, weeks: int) -> datetime:
    """The same local time in `zone`, `weeks` weeks later (20:30 in Paris stays 20:30 when the
    clocks change in between), in UTC."""
    local = when.astimezone(zone).replace(tzinfo=None) + timedelta(weeks=weeks)
    return local.replace(tzinfo=zone).astimezone(UTC)


def poll_key(poll_id: int) -> str:
    return f"poll:{poll_id}"


def remind_at(now: datetime, deadline: datetime) -> datetime | None:
    """One reminder: 24 h before the deadline, or half-way when the poll is shorter; none if < 2 h."""
    if deadline - now < timedelta(hours=2):
        return None
    if deadline - now > timedelta(hours=36):
        return deadline - timedelta(hours=24)
    return now + (deadline - now) / 2


# --- answers from a weekly availability -----------------------------------------------------------------


def answer_from(availability: WeeklyAvailability, zone: ZoneInfo, starts_at: datetime, minutes: int) -> str:
    """Yes when the whole slot lies in the member's weekly free hours (their local time), if need
    be ("maybe") when part of it does, no when none of it does. Read on the UTC week, as group
    formation reads shared hours (`availability.to_utc_week`)."""
    utc = starts_at.astimezone(UTC)
    monday = utc.date() - timedelta(days=utc.weekday())
    start = int((utc - datetime(monday.year, monday.month, monday.day, tzinfo=UTC)).total_seconds() // 60)
    end = start + minutes
    slot = [(start, min(end, MINUTES_PER_WEEK))]
    if end > MINUTES_PER_WEEK:  # past Sunday midnight UTC: the rest is at the start of the week
        slot.insert(0, (0, end - MINUTES_PER_WEEK))
    covered = sum(e - s for s, e in intersect(to_utc_week(availability, zone, utc.date()), slot))
    if covered >= minutes:
        return "yes"
    return "maybe" if covered > 0 else "no"


@dataclass(frozen=True)
class Filled:
    """Answers a ballot filled from a weekly availability got, per kind; `kept`: slots already answered."""

    yes: int = 0
    maybe: int = 0
    no: int = 0
    kept: int = 0

    @property
    def total(self) -> int:
        return self.yes + self.maybe + self.no


# --- tallies and ranking -------------------------------------------------------------------------------


@dataclass(frozen=True)
class SlotTally:
    slot_id: int
    position: int
    starts_at: datetime
    yes: tuple[int, ...]
    maybe: tuple[int, ...]
    no: tuple[int, ...]
    members: int

    @property
    def can_come(self) -> int:
        return len(self.yes) + len(self.maybe)

    @property
    def everyone(self) -> bool:
        return self.members > 0 and self.can_come >= self.members

    def rank_key(self) -> tuple:
        return (not self.everyone, -self.can_come, -len(self.yes), self.starts_at, self.position)


def tally(
    slots: Sequence[tuple[int, int, datetime]],
    votes: Iterable[tuple[int, int, str]],
    members: Iterable[int],
) -> list[SlotTally]:
    """Counts per slot, members only.

    `slots`: (id, position, starts_at); `votes`: (slot_id, user_id, answer).
    """
    member_set = set(members)
    per: dict[int, dict[str, list[int]]] = {sid: {"yes": [], "maybe": [], "no": []} for sid, _, _ in slots}
    for slot_id, user_id, answer in votes:
        bucket = per.get(slot_id)
        if bucket is not None and user_id in member_set and answer in bucket:
            bucket[answer].append(user_id)
    return [
        SlotTally(
            sid,
            pos,
            starts,
            tuple(per[sid]["yes"]),
            tuple(per[sid]["maybe"]),
            tuple(per[sid]["no"]),
            len(member_set),
        )
        for sid, pos, starts in slots
    ]


def rank(tallies: Iterable[SlotTally]) -> list[SlotTally]:
    return sorted(tallies, key=SlotTally.rank_key)


def best_slot(tallies: Iterable[SlotTally], min_attendees: int) -> SlotTally | None:
    """The top-ranked slot if enough people can come (min_attendees, at most the group size)."""
    ranked = rank(tallies)
    if not ranked:
        return None
    top = ranked[0]
    needed = min(min_attendees, top.members) if top.members else min_attendees
    return top if top.can_come >= max(1, needed) else None


# --- the service ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PollView:
    id: int
    group_id: int
    course_id: int
    guild_id: int
    channel_id: int
    message_id: int | None
    created_by: int
    title: str
    length_minutes: int
    deadline: datetime
    status: str
    timezone: str
    best_slot_id: int | None
    close_reason: str | None
    members: tuple[int, ...]
    tallies: tuple[SlotTally, ...]
    answered: tuple[int, ...]  # members who answered every slot
    min_attendees: int = 3
    slots: tuple[tuple[int, int, datetime], ...] = field(default=())
    repeat_at: datetime | None = None  # a weekly poll: when the next week's poll opens

    @property
    def waiting(self) -> tuple[int, ...]:
        done = set(self.answered)
        return tuple(m for m in self.members if m not in done)

    @property
    def best(self) -> SlotTally | None:
        return next((t for t in self.tallies if t.slot_id == self.best_slot_id), None)

    def answers_of(self, user_id: int) -> dict[int, str]:
        out = {}
        for t in self.tallies:
            for answer in ANSWERS:
                if user_id in getattr(t, answer):
                    out[t.slot_id] = answer
        return out


class PollService:
    def __init__(self, sessions: SessionFactory, clock: Clock, actions: ActionQueue | None = None) -> None:
        self._sessions = sessions
        self._clock = clock
        self._actions = actions or ActionQueue(sessions, clock)

    def now(self) -> datetime:
        return self._clock.now()

    async def create(
        self,
        *,
        group_id: int,
        channel_id: int,
        created_by: int,
        title: str,
        starts: Sequence[datetime],
        length_minutes: int,
        deadline: datetime,
        timezone: str,
        repeat_weekly: bool = False,
    ) -> PollView:
        """A new poll with its deadline, its reminder and, weekly, its repeat (one transaction)."""
        now = self._clock.now()
        if repeat_weekly:
            check_weekly(sorted(starts), now)
        async with self._sessions() as s, s.begin():
            poll = Poll(
                group_id=group_id,
                channel_id=channel_id,
                created_by=created_by,
                title=(title.strip() or "…")[:100],
                length_minutes=length_minutes,
                deadline=deadline,
                created_at=now,
                timezone=timezone,
                repeat_weekly=repeat_weekly,
                repeat_at=now + WEEK if repeat_weekly else None,
            )
            await self._add(s, poll, sorted(starts))
            poll_id = poll.id
        return await self.get(poll_id)

    async def _add(self, s, poll: Poll, starts: Sequence[datetime]) -> None:
        """The poll, its slots and its actions, inside the caller's transaction."""
        s.add(poll)
        await s.flush()
        for position, when in enumerate(starts, 1):
            s.add(PollSlot(poll_id=poll.id, position=position, starts_at=when))
        group = await s.get(LearnerGroup, poll.group_id)
        course = await s.get(Course, group.course_id) if group else None
        guild_id = course.guild_id if course else None
        key, payload = poll_key(poll.id), {"poll_id": poll.id}
        s.add(self._actions.row("poll_close", key, poll.deadline, payload, guild_id=guild_id))
        remind = remind_at(poll.created_at, poll.deadline)
        if remind is not None:
            s.add(self._actions.row("poll_remind", key, remind, payload, guild_id=guild_id))
        if poll.repeat_at is not None:
            s.add(self._actions.row("poll_repeat", key, poll.repeat_at, payload, guild_id=guild_id))

    async def repeat(self, poll_id: int, *, retry: bool = True) -> PollView | None:
        """Open the next week's poll of a weekly poll: its slots and deadline a week later (local
        time in the creator's timezone), or as many weeks as it takes for the vote to be still open
        when the bot was away longer. Once: a second call returns the poll the first one opened.
        None when the series was stopped or the group is no longer active."""
        now = self._clock.now()
        async with self._sessions() as s:
            poll = await s.get(Poll, poll_id)
            if poll is None or not poll.repeat_weekly:
                return None
            known = (await s.exec(select(Poll.id).where(Poll.repeated_from == poll_id))).first()
            if known is not None:
                return await self.get(known)
            group = await s.get(LearnerGroup, poll.group_id)
            if group is None or group.status != "active" or not group.channel_id:
                return None
            starts = (
                await s.exec(
                    select(PollSlot.starts_at).where(PollSlot.poll_id == poll_id).order_by(PollSlot.position)
                )
            ).all()
        zone = ZoneInfo(poll.timezone)
        opens_at = poll.repeat_at or poll.created_at + WEEK
        weeks = 1
        while weeks_later(poll.deadline, zone, weeks) < now + MIN_LEAD or opens_at + WEEK * weeks <= now:
            weeks += 1
        following = Poll(
            group_id=poll.group_id,
            channel_id=group.channel_id,
            created_by=poll.created_by,
            title=poll.title,
            length_minutes=poll.length_minutes,
            deadline=weeks_later(poll.deadline, zone, weeks),
            created_at=now,
            timezone=poll.timezone,
            repeat_weekly=True,
            repeat_at=opens_at + WEEK * weeks,
            repeated_from=poll_id,
        )
        try:
            async with self._sessions() as s, s.begin():
                await self._add(s, following, [weeks_later(when, zone, weeks) for when in starts])
                following_id = following.id
        except IntegrityError:  # another process opened it at the same moment
            if not retry:
                raise
            return await self.repeat(poll_id, retry=False)
        return await self.get(following_id)

    async def stop_repeat(self, poll_id: int) -> list[int]:
        """End a weekly series from any of its polls: this one and those opened after it stop
        repeating, and the pending repeat is cancelled. The polls that were repeating."""
        async with self._sessions() as s, s.begin():
            chain, current = [], poll_id
            while current is not None and len(chain) < 1000:
                chain.append(current)
                current = (await s.exec(select(Poll.id).where(Poll.repeated_from == current))).first()
            repeating = (
                await s.exec(select(Poll.id).where(col(Poll.id).in_(chain), Poll.repeat_weekly == True))  # noqa: E712
            ).all()
            await s.exec(
                update(Poll).where(col(Poll.id).in_(repeating)).values(repeat_weekly=False, repeat_at=None)
            )
            await s.exec(self._actions.cancelling(("poll_repeat",), [poll_key(p) for p in chain]))
        return list(repeating)

    async def set_message(self, poll_id: int, message_id: int) -> None:
        async with self._sessions() as s, s.begin():
            await s.exec(update(Poll).where(Poll.id == poll_id).values(message_id=message_id))

    async def get(self, poll_id: int) -> PollView:
        async with self._sessions() as s:
            poll = await s.get(Poll, poll_id)
            if poll is None:
                raise PollNotFound()
            group = await s.get(LearnerGroup, poll.group_id)
            course = await s.get(Course, group.course_id)
            members = tuple((await members_of(s, [poll.group_id])).get(poll.group_id, ()))
            slot_rows = (
                await s.exec(select(PollSlot).where(PollSlot.poll_id == poll_id).order_by(PollSlot.position))
            ).all()
            vote_rows = (
                await s.exec(
                    select(PollVote.slot_id, PollVote.user_id, PollVote.answer)
                    .where(PollVote.poll_id == poll_id)
                    .order_by(PollVote.updated_at, PollVote.id)
                )
            ).all()
        slots = tuple((r.id, r.position, r.starts_at) for r in slot_rows)
        tallies = tally(slots, vote_rows, members)
        counts: dict[int, int] = {}
        member_set = set(members)
        for _, user_id, _ in vote_rows:
            if user_id in member_set:
                counts[user_id] = counts.get(user_id, 0) + 1
        answered = tuple(m for m in members if counts.get(m, 0) >= len(slots))
        return PollView(
            id=poll.id,
            group_id=poll.group_id,
            course_id=course.id,
            guild_id=course.guild_id,
            channel_id=poll.channel_id,
            message_id=poll.message_id,
            created_by=poll.created_by,
            title=poll.title,
            length_minutes=poll.length_minutes,
            deadline=poll.deadline,
            status=poll.status,
            timezone=poll.timezone,
            best_slot_id=poll.best_slot_id,
            close_reason=poll.close_reason,
            members=members,
            tallies=tuple(tallies),
            answered=answered,
            min_attendees=course.meetup_min_attendees,
            slots=slots,
            repeat_at=poll.repeat_at if poll.repeat_weekly else None,
        )

    async def vote(self, poll_id: int, user_id: int, slot_id: int, answer: str) -> bool:
        """Record (or change) one answer. True when something changed (a double click changes nothing)."""
        if answer not in ANSWERS:
            raise InvalidInput(value=answer, example="yes / maybe / no")
        now = self._clock.now()
        async with self._sessions() as s, s.begin():
            poll = await s.get(Poll, poll_id)
            if poll is None:
                raise PollNotFound()
            if poll.status != "open" or poll.deadline <= now:
                raise PollClosed()
            member = (
                await s.exec(
                    select(GroupMember.id).where(
                        GroupMember.group_id == poll.group_id, GroupMember.user_id == user_id
                    )
                )
            ).first()
            if member is None:
                raise NotAMember()
            slot = await s.get(PollSlot, slot_id)
            if slot is None or slot.poll_id != poll_id:
                raise PollNotFound()
            row = (
                await s.exec(
                    select(PollVote).where(
                        PollVote.poll_id == poll_id, PollVote.slot_id == slot_id, PollVote.user_id == user_id
                    )
                )
            ).first()
            if row is not None:
                if row.answer == answer:
                    return False
                row.answer = answer
                row.updated_at = now
                return True
        try:
            async with self._sessions() as s, s.begin():
                s.add(
                    PollVote(poll_id=poll_id, slot_id=slot_id, user_id=user_id, answer=answer, updated_at=now)
                )
        except IntegrityError:  # the same click twice at once: the first one won
            return False
        return True

    async def fill(
        self,
        poll_id: int,
        user_id: int,
        availability: WeeklyAvailability,
        timezone: str,
        *,
        retry: bool = True,
    ) -> Filled:
        """Answer, from the member's weekly availability (read in `timezone`), every slot of the poll
        they have not answered yet, in one transaction; the answers they gave stay."""
        poll = await self.check_member(poll_id, user_id)
        if not availability:
            raise NoAvailability(example=AVAILABILITY_EXAMPLE)
        if poll.deadline <= self._clock.now():
            raise PollClosed()
        zone = ZoneInfo(timezone)
        mine = poll.answers_of(user_id)
        answers = {
            slot_id: answer_from(availability, zone, starts_at, poll.length_minutes)
            for slot_id, _, starts_at in poll.slots
            if slot_id not in mine
        }
        now = self._clock.now()
        try:
            async with self._sessions() as s, s.begin():
                s.add_all(
                    PollVote(poll_id=poll_id, slot_id=slot_id, user_id=user_id, answer=answer, updated_at=now)
                    for slot_id, answer in answers.items()
                )
        except IntegrityError:  # the member answered a slot at the same moment: fill what is left
            if not retry:
                raise
            return await self.fill(poll_id, user_id, availability, timezone, retry=False)
        counts = {a: sum(1 for answer in answers.values() if answer == a) for a in ANSWERS}
        return Filled(counts["yes"], counts["maybe"], counts["no"], kept=len(mine))

    async def check_member(self, poll_id: int, user_id: int) -> PollView:
        poll = await self.get(poll_id)
        if user_id not in poll.members:
            raise NotAMember()
        if poll.status != "open":
            raise PollClosed()
        return poll

    async def close(self, poll_id: int, reason: str) -> PollView | None:
        """Close the poll and pick its best slot. Returns the result for exactly one caller."""
        poll = await self.get(poll_id)
        best = best_slot(poll.tallies, poll.min_attendees)
        async with self._sessions() as s, s.begin():
            result = await s.exec(
                update(Poll)
                .where(Poll.id == poll_id, Poll.status == "open")
                .values(
                    status="closed",
                    closed_at=self._clock.now(),
                    best_slot_id=best.slot_id if best else None,
                    close_reason=reason,
                )
            )
            if result.rowcount != 1:
                return None
        return await self.get(poll_id)

    async def cancel(self, poll_id: int) -> bool:
        """Withdraw an open poll (its message could not be posted): no deadline, reminder or repeat."""
        now = self._clock.now()
        async with self._sessions() as s, s.begin():
            result = await s.exec(
                update(Poll)
                .where(Poll.id == poll_id, Poll.status == "open")
                .values(status="cancelled", closed_at=now, close_reason="cancelled", repeat_weekly=False)
            )
            await s.exec(self._actions.cancelling(POLL_KINDS, [poll_key(poll_id)]))
            return result.rowcount == 1

    async def open_polls(self, group_id: int | None = None) -> list[int]:
        async with self._sessions() as s:
            query = select(Poll.id).where(Poll.status == "open")
            if group_id is not None:
                query = query.where(Poll.group_id == group_id)
            return list((await s.exec(query.order_by(Poll.id))).all())

    async def slot_start(self, slot_id: int) -> datetime | None:
        async with self._sessions() as s:
            slot = await s.get(PollSlot, slot_id)
            return slot.starts_at if slot else None

    async def polls_of_group(self, group_id: int) -> list[int]:
        async with self._sessions() as s:
            query = select(Poll.id).where(Poll.group_id == group_id).order_by(col(Poll.id))
            return list((await s.exec(query)).all())


def explain(poll: PollView) -> dict[str, int | bool]:
    """The numbers the result message states ("all 5 can come; 4 yes, 1 if need be")."""
    best = poll.best
    if best is None:
        top = rank(poll.tallies)[0] if poll.tallies else None
        return {"found": False, "best_count": top.can_come if top else 0, "min": poll.min_attendees}
    return {
        "found": True,
        "everyone": best.everyone,
        "count": best.can_come,
        "members": len(poll.members),
        "yes": len(best.yes),
        "maybe": len(best.maybe),
    }
