"""French and English words for days and times of the week, read from what people type.

Shared by learner availability ("lun 20:00-22:00, sam 9h-12h") and poll slots
("mar 20:30, jeu 20:30, sam 10:00"). Everything is accent- and case-insensitive.

Days (Monday is 0): full names and abbreviations in both languages, with or
without a trailing dot or a plural `s` ("lun", "lundi", "lun.", "lundis", "mon",
"monday", "tues", "thu", "jeu", "mer"…), two-letter forms ("lu", "ma", "me",
"je", "ve", "sa", "di", "mo", "tu", "th", "fr", "su"), day ranges ("lun-ven",
"du lundi au vendredi", "mon to fri", "ven-lun" wraps round), lists ("lun, mer",
"lun et mer", "mon & wed") and groups: "semaine" / "en semaine" / "weekdays" /
"jours ouvrés" (Monday–Friday), "week-end" / "weekend" / "we" (Saturday–Sunday;
"we" is the French abbreviation, never Wednesday), "tous les jours" / "every day"
/ "daily" (all seven).

Times: "20:00", "20h", "20h30", "20 h 30", "20.30", "8pm", "8:30 pm",
"8.30pm", "8 p.m.", "midi"/"noon", "minuit"/"midnight", a bare hour "20".
Ranges: "20:00-22:00", "20h à 22h", "de 20h à 22h", "entre 20h et 22h",
"8pm to 10pm", "8-10pm"; a range whose end is not after its start crosses
midnight ("20h-1h" ends at 01:00 the next day, "22h-minuit" at 24:00).

Results are plain data in minutes: a minute of the day is 0–1439, a range end
may go past 1440 when it crosses midnight. Anything unreadable raises a
`TimeWordsError` subclass (an `InvalidInput`) with `value` (the fragment as the
user typed it) and `example` (a correct input) for the catalog message.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from bot.errors import InvalidInput

MINUTES_PER_DAY = 1440
DAYS_PER_WEEK = 7
AVAILABILITY_EXAMPLE = "lun 20:00-22:00, sam 09:00-12:00"
SLOTS_EXAMPLE = "mar 20:30, jeu 20:30, sam 10:00"


# --- errors -----------------------------------------------------------------------------------------


class TimeWordsError(InvalidInput):
    """Days or times we could not read. Params: `value` (the fragment), `example`."""

    key = "planning.time.unreadable"


class UnknownWord(TimeWordsError):
    key = "planning.time.unknown_word"


class BadTime(TimeWordsError):
    key = "planning.time.bad_time"


class EmptyRange(TimeWordsError):
    key = "planning.time.empty_range"


class MissingDay(TimeWordsError):
    key = "planning.time.missing_day"


class MissingTime(TimeWordsError):
    key = "planning.time.missing_time"


class ExpectedRange(TimeWordsError):
    key = "planning.time.expected_range"


class ExpectedPoint(TimeWordsError):
    key = "planning.time.expected_point"


class NothingGiven(TimeWordsError):
    key = "planning.time.empty"


# --- results -------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ScheduleEntry:
    """Some days at one time (`end` is None) or during one range (`end` may exceed 1440)."""

    weekdays: tuple[int, ...]
    start: int
    end: int | None = None


@dataclass(frozen=True, slots=True)
class DayRange:
    weekday: int
    start: int
    end: int  # exclusive; may exceed 1440 when the range crosses midnight


@dataclass(frozen=True, slots=True)
class DayTime:
    weekday: int
    minute: int


# --- vocabulary ----------------------------------------------------------------------------------

_DAY_WORDS: dict[str, int] = {}
for _day, _words in enumerate(
    (
        "lundi lun lu monday mon mo",
        "mardi mar ma tuesday tues tue tu",
        "mercredi mer merc me wednesday wed weds",
        "jeudi jeu je thursday thurs thur thu th",
        "vendredi vend ven ve friday fri fr",
        "samedi sam sa saturday sat",
        "dimanche dim di sunday sun su",
    )
):
    for _word in _words.split():
        _DAY_WORDS[_word] = _day

WEEKDAYS = (0, 1, 2, 3, 4)
WEEKEND = (5, 6)
ALL_DAYS = (0, 1, 2, 3, 4, 5, 6)
_DAY_GROUPS: dict[str, tuple[int, ...]] = {
    "semaine": WEEKDAYS,
    "weekdays": WEEKDAYS,
    "weekday": WEEKDAYS,
    "ouvres": WEEKDAYS,
    "ouvrables": WEEKDAYS,
    "weekend": WEEKEND,
    "weekends": WEEKEND,
    "we": WEEKEND,
    "daily": ALL_DAYS,
    "everyday": ALL_DAYS,
    "quotidien": ALL_DAYS,
    "tlj": ALL_DAYS,
}
# Several words that name one thing; matched on normalized words (punctuation "-" kept as a word).
_PHRASES: tuple[tuple[tuple[str, ...], str], ...] = (
    (("tous", "les", "jours"), "tlj"),
    (("jours", "de", "semaine"), "semaine"),
    (("jours", "de", "la", "semaine"), "semaine"),
    (("jour", "de", "semaine"), "semaine"),
    (("jours", "ouvres"), "ouvres"),
    (("jours", "ouvrables"), "ouvrables"),
    (("en", "semaine"), "semaine"),
    (("week", "-", "end"), "weekend"),
    (("week", "-", "ends"), "weekend"),
    (("week", "end"), "weekend"),
    (("week", "ends"), "weekend"),
    (("w", "-", "e"), "weekend"),
    (("week", "days"), "weekdays"),
    (("week", "-", "days"), "weekdays"),
    (("every", "day"), "daily"),
    (("chaque", "jour"), "daily"),
    (("apres", "-", "midi"), "apresmidi"),
    (("apres", "midi"), "apresmidi"),
    (("a", "partir", "de"), "from"),
    (("a", "partir", "d"), "from"),
    (("nimporte", "quand"), "anytime"),
    (("any", "time"), "anytime"),
    (("tout", "le", "temps"), "anytime"),
)
# Parts of the day, for availability written loosely ("lun soir", "le week-end matin", "evenings"):
# the hours each stands for. An explicit time in the same clause wins over them.
_PART_WORDS: dict[str, tuple[int, int]] = {
    **dict.fromkeys(("matin", "matins", "matinee", "matinees", "morning", "mornings"), (540, 720)),
    **dict.fromkeys(("apresmidi", "aprem", "aprems", "afternoon", "afternoons"), (840, 1080)),
    **dict.fromkeys(("soir", "soirs", "soiree", "soirees", "evening", "evenings"), (1140, 1380)),
    **dict.fromkeys(("nuit", "nuits", "night", "nights"), (1320, 1500)),
    **dict.fromkeys(("journee", "journees", "daytime"), (540, 1080)),
    "anytime": (540, 1380),
}
BARE_DAY = (540, 1260)  # a day named without hours, in availability: 09:00–21:00
POINT_MINUTES = 120  # a single time in availability ("lun 20h", "après 21h"): two hours from then
_TIME_WORDS = {"midi": 720, "noon": 720, "minuit": 0, "midnight": 0}
_RANGE_WORDS = {"a", "au", "to", "till", "til", "until", "through", "thru", "jusqua", "jusque", "-"}
_OPEN_WORDS = {"de", "du", "des", "from", "entre", "between", "dalle", "apres", "after", "since", "depuis"}
_BETWEEN_WORDS = {"entre", "between"}
_SEGMENT_BREAKS = {",", ";", "/", "|"}
_LIST_WORDS = {"et", "and", "ou", "or", ",", ";", "/", "&", "+", "|"}
_FILLER_WORDS = {
    "le", "les", "l", "la", "the", "on", "every", "chaque", "tous", "toutes", "each", "at", "vers",
    "oclock", "heure", "heures", "hours", "hour", "environ", "about", "around", "in", "en", "dans",
    "dispo", "disponible", "disponibles", "available", "free", "libre", "libres", "je", "suis", "i", "am",
}


_TABLE = str.maketrans(
    {
        **dict.fromkeys("'’`´"),
        **dict.fromkeys("–—‐‑−", "-"),
        **dict.fromkeys("\u00a0\u202f\t", " "),
        **dict.fromkeys("\r\n", ","),
    }
)


def normalize(text: str) -> str:
    """Lower case, accents removed, apostrophes dropped, dashes unified: the form words are matched in."""
    text = text.translate(_TABLE)
    if not text.isascii():
        text = unicodedata.normalize("NFKD", text)
        if not text.isascii():
            text = "".join(c for c in text if not unicodedata.combining(c))
    return text.lower()


def _normalize_with_origins(text: str) -> tuple[str, list[int]]:
    out: list[str] = []
    origins: list[int] = []
    for index, char in enumerate(text):
        if char in "'’`´":
            continue
        if char in "–—‐‑−":
            char = "-"
        elif char in "\u00a0\u202f\t\r\n":
            char = " " if char not in "\r\n" else ","
        for part in unicodedata.normalize("NFKD", char):
            if unicodedata.combining(part):
                continue
            for low in part.lower():
                out.append(low)
                origins.append(index)
    return "".join(out), origins


# --- tokens --------------------------------------------------------------------------------------

_TOKEN_RE = re.compile(
    r"""
    (?P<ws>\s+)
    |(?P<time>
        (?P<hour>\d+)
        (?:
            \s*h(?:eures?|rs?)?
            (?:\s*(?P<min_h>\d+)(?!\d)(?!\s*(?:h|[:.]\d)))?
          |[:.](?P<min_c>\d+)
        )?
        (?:\s*(?P<mer>[ap])\.?m\.?(?![a-z]))?
     )
    |(?P<word>[a-z]+)
    |(?P<punct>[-,;/&+|])
    |(?P<dot>[.()!:="?*])
    |(?P<other>.)
    """,
    re.VERBOSE,
)


@dataclass(slots=True)
class _Token:
    kind: str  # "day", "time", "range", "open", "list", "word"
    text: str
    start: int
    end: int
    days: tuple[int, ...] = ()
    single: bool = False
    minute: int = 0
    hour: int = 0
    meridiem: str | None = None
    bare: bool = False
    until: int = 0  # a part of the day: its end minute (its start is `minute`)


class _Reader:
    def __init__(self, text: str, example: str) -> None:
        self.original = text
        self.norm, self.origins = _normalize_with_origins(text)
        self.example = example

    def fragment(self, start: int, end: int) -> str:
        if not self.origins or start >= end:
            return self.original.strip()
        first = self.origins[min(start, len(self.origins) - 1)]
        last = self.origins[min(end, len(self.origins)) - 1]
        return self.original[first : last + 1].strip()

    def fail(self, error: type[TimeWordsError], start: int, end: int) -> TimeWordsError:
        return error(value=self.fragment(start, end), example=self.example)

    def tokens(self) -> list[_Token]:
        raw: list[_Token] = []
        for match in _TOKEN_RE.finditer(self.norm):
            kind = match.lastgroup
            start, end = match.span()
            if match.group("time") is not None:
                raw.append(self._time_token(match))
            elif match.group("word") is not None:
                raw.append(_Token("word", match.group("word"), start, end))
            elif match.group("punct") is not None:
                raw.append(_Token("word", match.group("punct"), start, end))
            elif kind == "other":
                raise self.fail(UnknownWord, start, end)
        return self._classify(self._merge_phrases(raw))

    def _time_token(self, match: re.Match[str]) -> _Token:
        start, end = match.span("time")
        hour = int(match.group("hour"))
        minute_text = match.group("min_h") or match.group("min_c")
        minute = int(minute_text) if minute_text is not None else 0
        meridiem = match.group("mer")
        text = match.group("time")
        bare = minute_text is None and "h" not in text and meridiem is None
        if (minute_text is not None and len(minute_text) != 2) or minute > 59 or len(match.group("hour")) > 2:
            raise self.fail(BadTime, start, end)
        if meridiem is not None:
            if not 1 <= hour <= 12:
                raise self.fail(BadTime, start, end)
            hour = hour % 12 + (12 if meridiem == "p" else 0)
        elif hour > 24 or (hour == 24 and minute):
            raise self.fail(BadTime, start, end)
        return _Token("time", text, start, end, minute=hour * 60 + minute, hour=hour,
                      meridiem=meridiem, bare=bare)

    @staticmethod
    def _merge_phrases(tokens: list[_Token]) -> list[_Token]:
        out: list[_Token] = []
        i = 0
        while i < len(tokens):
            for words, replacement in _PHRASES:
                size = len(words)
                window = tokens[i : i + size]
                if len(window) == size and all(
                    t.kind == "word" and t.text == w for t, w in zip(window, words, strict=True)
                ):
                    out.append(_Token("word", replacement, window[0].start, window[-1].end))
                    i += size
                    break
            else:
                out.append(tokens[i])
                i += 1
        return out

    def _classify(self, tokens: list[_Token]) -> list[_Token]:
        out: list[_Token] = []
        for tok in tokens:
            if tok.kind == "time":
                out.append(tok)
                continue
            word = tok.text
            if word in _TIME_WORDS:
                out.append(_Token("time", word, tok.start, tok.end, minute=_TIME_WORDS[word],
                                  hour=_TIME_WORDS[word] // 60, meridiem="word"))
                continue
            if word in _PART_WORDS:
                start, end = _PART_WORDS[word]
                out.append(_Token("part", word, tok.start, tok.end, minute=start, until=end))
                continue
            days = _lookup_days(word)
            if days is not None:
                tok.kind, tok.days, tok.single = "day", days, len(days) == 1 and word not in _DAY_GROUPS
                out.append(tok)
            elif word in _RANGE_WORDS:
                tok.kind = "range"
                out.append(tok)
            elif word in _LIST_WORDS:
                tok.kind = "list"
                out.append(tok)
            elif word in _OPEN_WORDS:
                tok.kind = "open"
                out.append(tok)
            elif word in _FILLER_WORDS:
                continue
            else:
                raise self.fail(UnknownWord, tok.start, tok.end)
        return out


def _lookup_days(word: str) -> tuple[int, ...] | None:
    for candidate in (word, word[:-1] if word.endswith("s") and len(word) > 3 else None):
        if candidate is None:
            continue
        if candidate in _DAY_WORDS:
            return (_DAY_WORDS[candidate],)
        if candidate in _DAY_GROUPS:
            return _DAY_GROUPS[candidate]
    return None


def _day_span(first: int, last: int) -> tuple[int, ...]:
    return tuple((first + step) % DAYS_PER_WEEK for step in range((last - first) % DAYS_PER_WEEK + 1))


def _pair_range(start: _Token, end: _Token) -> tuple[int, int] | None:
    """Minutes (start, end) of a range, None when empty; fills a missing am/pm from the other end.

    An end that is not after the start is on the next day (the range crosses midnight).
    """
    first, last = start.minute, end.minute
    if start.meridiem is None and end.meridiem in ("a", "p") and start.hour <= 12:
        base = start.minute % 720
        first = min((base, base + 720), key=lambda m: ((last - m) % MINUTES_PER_DAY) or MINUTES_PER_DAY)
    elif end.meridiem is None and start.meridiem in ("a", "p") and end.hour <= 12:
        base = end.minute % 720
        last = min((base, base + 720), key=lambda m: ((m - first) % MINUTES_PER_DAY) or MINUTES_PER_DAY)
    if first >= MINUTES_PER_DAY:
        first -= MINUTES_PER_DAY
    if first == last:
        return None
    if last < first:
        last += MINUTES_PER_DAY
    return first, last


@dataclass(slots=True)
class _Clause:
    days: list[int]
    items: list[tuple[int, int | None]]
    start: int
    end: int
    segment: int = 0  # parts of the text between top-level separators (",", ";", "/", new line)
    time_first: bool = False
    parts: list[tuple[int, int]] = field(default_factory=list)  # "soir", "matin"… (used without times)


def _parse_clauses(reader: _Reader) -> list[_Clause]:
    tokens = reader.tokens()
    clauses: list[_Clause] = []
    current: _Clause | None = None
    between = False
    segment = 0
    i = 0
    while i < len(tokens):
        tok = tokens[i]
        nxt = tokens[i + 1] if i + 1 < len(tokens) else None
        after = tokens[i + 2] if i + 2 < len(tokens) else None
        if tok.kind == "day":
            if current is None or current.items or current.segment != segment:
                current = _Clause([], [], tok.start, tok.end, segment)
                clauses.append(current)
            days = tok.days
            consumed = 1
            if tok.single and nxt is not None and nxt.kind == "range" and after is not None:
                if after.kind == "day":
                    if not after.single:
                        raise reader.fail(TimeWordsError, tok.start, after.end)
                    days = _day_span(tok.days[0], after.days[0])
                    consumed = 3
                else:  # "lundi - 20h-22h", "sam à 10h": the word only introduces the time
                    consumed = 2
            current.days.extend(d for d in days if d not in current.days)
            current.end = tokens[i + consumed - 1].end
            i += consumed
            between = False
            continue
        if tok.kind == "time":
            if current is None or current.segment != segment:
                current = _Clause([], [], tok.start, tok.end, segment)
                clauses.append(current)
            joins = nxt is not None and (nxt.kind == "range" or (between and nxt.text in ("et", "and")))
            if joins and after is not None and after.kind == "time":
                pair = _pair_range(tok, after)
                if pair is None:
                    raise reader.fail(EmptyRange, tok.start, after.end)
                current.items.append(pair)
                current.end = after.end
                i += 3
            elif joins:
                raise reader.fail(TimeWordsError, tok.start, (after or nxt).end)
            else:
                if tok.minute >= MINUTES_PER_DAY:
                    raise reader.fail(BadTime, tok.start, tok.end)
                current.items.append((tok.minute, None))
                current.end = tok.end
                i += 1
            between = False
            continue
        if tok.kind == "part":
            if current is None or current.segment != segment:
                current = _Clause([], [], tok.start, tok.end, segment)
                clauses.append(current)
            current.parts.append((tok.minute, tok.until))
            current.end = max(current.end, tok.end)
            i += 1
            continue
        if tok.kind == "open":
            between = tok.text in _BETWEEN_WORDS
            if nxt is None or nxt.kind not in ("time", "day"):
                raise reader.fail(TimeWordsError, tok.start, (nxt or tok).end)
            i += 1
            continue
        if tok.kind == "list":
            if tok.text in _SEGMENT_BREAKS:
                segment += 1
                if current is not None and current.items:
                    current = None
            i += 1
            continue
        if tok.kind == "range" and nxt is not None and nxt.kind == "time":
            i += 1  # "à 20h", "- 20h": introduces a time
            continue
        # a range word with nothing sensible on both sides
        raise reader.fail(TimeWordsError, tok.start, (nxt or tok).end)
    return clauses


def parse_schedule(
    text: str,
    *,
    example: str = AVAILABILITY_EXAMPLE,
    default_days: tuple[int, ...] | None = None,
    bare_day: tuple[int, int] | None = None,
) -> list[ScheduleEntry]:
    """Every (days, time or range) the text names, in order. Empty text gives an empty list.

    Time written before the days ("20h-22h lun") and times that reuse the days
    before them ("lun 20h-22h, 23h-1h") are both understood. A part of the day ("soir",
    "matin", "evenings") stands for its hours when no time is written with it.
    `default_days`: the days of a time written with none (else MissingDay);
    `bare_day`: the hours of days written with no time (else MissingTime).
    """
    reader = _Reader(text, example)
    segments: dict[int, list[_Clause]] = {}
    for clause in _parse_clauses(reader):
        if not clause.items and clause.parts:
            clause.items = list(clause.parts)
        segments.setdefault(clause.segment, []).append(clause)
    resolved: list[_Clause] = []
    for clauses in segments.values():
        merged: list[_Clause] = []
        for clause in clauses:
            last = merged[-1] if merged else None
            if last is not None and not last.days and last.items and clause.days and not clause.items:
                last.days, last.end, last.time_first = clause.days, clause.end, True  # "20h-22h lun"
            elif last is not None and clause.days and not clause.items and len(last.items) >= 2:
                # "lun 20h-22h et 14h-17h dim": the last range belongs to the days written after it
                clause.items.append(last.items.pop())
                clause.time_first = True
                merged.append(clause)
            else:
                merged.append(clause)
        resolved.extend(merged)
    entries: list[ScheduleEntry] = []
    previous: _Clause | None = None
    pending: list[int] = []
    pending_clause: _Clause | None = None
    for clause in resolved:
        if clause.days and not clause.items:
            if previous is not None and previous.time_first and not pending:
                # "20h-22h lun, mer": days listed after a time-first clause share its times
                for start, end in previous.items:
                    entries.append(ScheduleEntry(tuple(clause.days), start, end))
                continue
            pending.extend(d for d in clause.days if d not in pending)
            pending_clause = pending_clause or clause
            continue
        days = [*pending, *(d for d in clause.days if d not in pending)]
        if not days:
            if previous is not None:
                days = list(previous.days)
            elif default_days is not None:
                days = list(default_days)
            else:
                raise reader.fail(MissingDay, clause.start, clause.end)
        clause.days = days
        for start, end in clause.items:
            entries.append(ScheduleEntry(tuple(days), start, end))
        previous, pending, pending_clause = clause, [], None
    if pending_clause is not None:
        if bare_day is None:
            raise reader.fail(MissingTime, pending_clause.start, pending_clause.end)
        entries.append(ScheduleEntry(tuple(pending), *bare_day))
    return entries


def parse_day_ranges(text: str, *, example: str = AVAILABILITY_EXAMPLE) -> list[DayRange]:
    """Ranges per day ("lun-ven 20h-22h" gives five), read the way people describe when they are
    free: hours with no day are every day ("20h-22h", "le soir"), a day with no hours is its
    daytime and evening (BARE_DAY), a single time is two hours from then ("lun 20h", "après 21h")."""
    out: list[DayRange] = []
    for entry in parse_schedule(text, example=example, default_days=ALL_DAYS, bare_day=BARE_DAY):
        end = entry.end if entry.end is not None else entry.start + POINT_MINUTES
        out.extend(DayRange(day, entry.start, end) for day in entry.weekdays)
    return out


def parse_day_times(text: str, *, example: str = SLOTS_EXAMPLE) -> list[DayTime]:
    """Single times per day, in the order given, without repeats ("mar 20:30, jeu 20:30")."""
    out: list[DayTime] = []
    entries = parse_schedule(text, example=example)
    if not entries:
        raise NothingGiven(value=text.strip(), example=example)
    for entry in entries:
        if entry.end is not None:
            raise ExpectedPoint(value=f"{_clock(entry.start)}-{_clock(entry.end)}", example=example)
        for day in entry.weekdays:
            slot = DayTime(day, entry.start)
            if slot not in out:
                out.append(slot)
    return out


def parse_days(text: str, *, example: str = "lun-ven") -> tuple[int, ...]:
    """Weekdays named by the text ("lun-ven", "sam, dim", "weekend"), sorted, without times."""
    reader = _Reader(text, example)
    clauses = _parse_clauses(reader)
    if not clauses:
        raise NothingGiven(value=text.strip(), example=example)
    days: set[int] = set()
    for clause in clauses:
        if clause.items:
            raise reader.fail(UnknownWord, clause.start, clause.end)
        days.update(clause.days)
    return tuple(sorted(days))


def parse_time(text: str, *, example: str = "20:30") -> int:
    """One time of day, in minutes after midnight (0–1439)."""
    reader = _Reader(text, example)
    tokens = reader.tokens()
    if len(tokens) != 1 or tokens[0].kind != "time":
        raise reader.fail(BadTime if tokens else NothingGiven, 0, len(reader.norm))
    if tokens[0].minute >= MINUTES_PER_DAY:
        raise reader.fail(BadTime, 0, len(reader.norm))
    return tokens[0].minute


def parse_time_range(text: str, *, example: str = "20:00-22:00") -> tuple[int, int]:
    """One range: (start, end) in minutes; end is after start and may pass 1440 (crosses midnight)."""
    reader = _Reader(text, example)
    clauses = _parse_clauses(reader)
    if len(clauses) != 1 or clauses[0].days or len(clauses[0].items) != 1:
        raise reader.fail(TimeWordsError if clauses else NothingGiven, 0, len(reader.norm))
    start, end = clauses[0].items[0]
    if end is None:
        raise reader.fail(ExpectedRange, 0, len(reader.norm))
    return start, end


def _clock(minute: int) -> str:
    minute %= MINUTES_PER_DAY
    return f"{minute // 60:02d}:{minute % 60:02d}"


def format_clock(minute: int) -> str:
    """'20:30' for 1230; 1440 (end of day) is written '24:00'."""
    if minute == MINUTES_PER_DAY:
        return "24:00"
    return _clock(minute)
