"""French and English words for days and times of the week, read from what people type.

Shared by learner availability ("lun 20:00-22:00, sam 9h-12h") and poll slots
("mar 20:30, jeu 20:30, sam 10:00"). Everything is accent- and case-insensitive.

Days (Monday is 0): full names and abbreviations in both languages, with or
without a trailing dot or a plural `s` ("lun", "lundi", "lun.", "lundis", "mon",
"monday", "tues", "thu", "jeu", "mer"…), two-letter forms ("lu", "ma", "me",
"je", "ve", "sa", "di", "mo", "tu", "th", "fr", "su"), day ranges ("lun-ven",
"du lundi au vendredi", "mon to fri", "ven-lun" wraps round), lists ("lun, mer",
"lun et mer", "mon & wed", "lun-mer-ven") and groups: "semaine" / "en semaine" / "weekdays" /
"jours ouvrés" (Monday–Friday), "week-end" / "weekend" / "we" / "fin de semaine"
(Saturday–Sunday; "we" is the French abbreviation, never Wednesday), "tous les jours" /
"every day" / "daily" / "7j/7" (all seven). "sauf" / "except" takes days away ("tous les
soirs sauf le mercredi", "weekdays except Wednesday").

Times: "20:00", "20h", "20h30", "20 h 30", "20.30", "8pm", "8:30 pm",
"8.30pm", "8 p.m.", "midi"/"noon", "minuit"/"midnight", a bare hour "20".
"8h du soir" (20:00). Ranges: "20:00-22:00", "20h à 22h", "de 20h à 22h", "entre 20h et 22h",
"8pm to 10pm", "8-10pm", "20h->22h"; a range whose end is not after its start crosses
midnight ("20h-1h" ends at 01:00 the next day, "22h-minuit" at 24:00), for 12 hours at most
("14h-12h" is refused). "avant 8h" / "until 10pm" end a range. Apostrophes separate words
("l'après-midi").

Results are plain data in minutes: a minute of the day is 0–1439, a range end
may go past 1440 when it crosses midnight. Anything unreadable raises a
`TimeWordsError` subclass (an `InvalidInput`) with `value` (the fragment as the
user typed it) and `example` (a correct input) for the catalog message.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from rapidfuzz.distance import OSA

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


class BackwardsRange(TimeWordsError):
    """A range whose end comes long before its start ("14h-12h"): crossing midnight, it would last
    more than MAX_OVERNIGHT."""

    key = "planning.time.backwards_range"


# --- results -------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ScheduleEntry:
    """Some days at one time (`end` is None) or during one range (`end` may exceed 1440)."""

    weekdays: tuple[int, ...]
    start: int
    end: int | None = None
    from_part: bool = field(default=False, compare=False)  # a range a part of the day stands for ("soir")


@dataclass(frozen=True, slots=True)
class DayRange:
    weekday: int
    start: int
    end: int  # exclusive; may exceed 1440 when the range crosses midnight


@dataclass(frozen=True, slots=True)
class DayTime:
    weekday: int
    minute: int
    length: int | None = field(default=None, compare=False)  # minutes, when written as a range


# --- vocabulary ----------------------------------------------------------------------------------

_DAY_WORDS: dict[str, int] = {}
for _day, _words in enumerate(
    (
        "lundi lun lu monday mon mo m",
        "mardi mar ma tuesday tues tue tu",
        "mercredi mer merc me wednesday wed weds w",
        "jeudi jeu je thursday thurs thur thu th",
        "vendredi vend ven ve friday fri fr f",
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
    "mwf": (0, 2, 4),  # US timetables: "MWF", "TTh"
    "tth": (1, 3),
}
# Month names and short forms, French and English (normalized: no accents), for dates in words.
MONTHS = {}
for _number, _names in enumerate(
    (
        "janvier janv jan january",
        "fevrier fevr fev february feb",
        "mars mar march",
        "avril avr april apr",
        "mai may",
        "juin june jun",
        "juillet juil july jul",
        "aout august aug",
        "septembre sept sep september",
        "octobre oct october",
        "novembre nov november",
        "decembre dec december",
    ),
    start=1,
):
    for _name in _names.split():
        MONTHS[_name] = _number
MONTH_WORDS = "|".join(sorted(MONTHS, key=len, reverse=True))
# Weekday names and short forms said before a date ("lundi 7 septembre", "thu nov 26"), a regex group.
WEEKDAY_WORDS = (
    r"(?:lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche|lun|mar|mer|jeu|ven|sam|dim|"
    r"monday|tuesday|wednesday|thursday|friday|saturday|sunday|mon|tue|tues|wed|thu|thurs|fri|sat|sun)"
)

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
    (("apres", "-", "midis"), "apresmidi"),
    (("apres", "midis"), "apresmidi"),
    (("a", "partir", "de"), "from"),
    (("a", "partir", "d"), "from"),
    (("nimporte", "quand"), "anytime"),
    (("n", "importe", "quand"), "anytime"),
    (("any", "time"), "anytime"),
    (("tout", "le", "temps"), "anytime"),
    (("any", "day"), "daily"),
    (("jusqu", "a"), "jusqua"),
    (("jusqu", "au"), "jusqua"),
    (("o", "clock"), "oclock"),
    (("toute", "la", "journee"), "allday"),
    (("all", "day"), "allday"),
    (("whole", "day"), "allday"),
    (("journee", "entiere"), "allday"),
    (("but", "not"), "sauf"),
    (("a", "part"), "sauf"),
    (("apart", "from"), "sauf"),
    (("a", "l", "exception", "du"), "sauf"),
    (("a", "l", "exception", "des"), "sauf"),
    (("a", "l", "exception", "de"), "sauf"),
    (("du", "matin"), "dumatin"),
    (("du", "soir"), "dusoir"),
    (("pause", "dejeuner"), "dejeuner"),
    (("pause", "de", "midi"), "dejeuner"),
    (("pause", "midi"), "dejeuner"),
    (("heure", "du", "dejeuner"), "dejeuner"),
    (("lunch", "time"), "lunch"),
    (("lunch", "break"), "lunch"),
    (("entre", "midi", "et", "deux"), "dejeuner"),
    (("midi", "et", "deux"), "dejeuner"),
    (("fin", "de", "semaine"), "weekend"),  # Québec
    (("fins", "de", "semaine"), "weekend"),
    (("heure", "locale"), "heure"),  # the roster's timezone is the local one
    (("local", "time"), "heure"),
    (("je", "suis"), "suis"),  # not "jeudi": "je suis dispo le soir"
    (("je", "serai"), "suis"),
    (("je", "peux"), "suis"),
    (("i", "m"), "i"),
    (("de", "preference"), "plutot"),
    (("tot", "le", "matin"), "tot"),
    (("le", "matin", "tot"), "tot"),
    (("early", "morning"), "tot"),
    (("early", "mornings"), "tot"),
    (("late", "at", "night"), "nuit"),
    (("late", "night"), "nuit"),
    (("late", "nights"), "nuit"),
    (("fin", "de", "journee"), "finjournee"),
    (("end", "of", "the", "day"), "finjournee"),
    (("du", "mat"), "dumatin"),
    (("ap", "-", "midi"), "apresmidi"),
    (("ap", "midi"), "apresmidi"),
    (("ts", "les", "jours"), "tlj"),
    (("tt", "les", "jours"), "tlj"),
    (("weekday", "evenings"), "weeknights"),
    (("weekday", "evening"), "weeknights"),
    (("weekday", "nights"), "weeknights"),
    # said with a time, and meaning nothing for it
    (("if", "possible"), "ideally"),
    (("si", "possible"), "ideally"),
    (("my", "time"), "heure"),
    (("my", "local", "time"), "heure"),
    # a clause that takes the times of the one before ("lundi 19h-21h, mardi même heure")
    (("meme", "heure"), "same"),
    (("memes", "heures"), "same"),
    (("meme", "horaire"), "same"),
    (("memes", "horaires"), "same"),
    (("same", "time"), "same"),
    (("same", "times"), "same"),
    (("same", "hours"), "same"),
    (("pareil",), "same"),
    (("aussi",), "same"),
    (("too",), "same"),
    (("also",), "same"),
    (("as", "well"), "same"),
)
# Phrases made of phrases, matched after the ones above ("fin d'après-midi" once "après-midi" is one word).
_EARLY_LATE = {"evening": "soiree", "evenings": "soiree", "afternoon": "apresmidi", "afternoons": "apresmidi"}
_COMPOUND_PHRASES: tuple[tuple[tuple[str, ...], str], ...] = (
    (("de", "l", "apresmidi"), "delapresmidi"),
    *((("debut", link, part), "debut" + part) for link in ("de", "d") for part in ("soiree", "apresmidi")),
    *((("fin", link, part), "fin" + part)
      for link in ("de", "d") for part in ("soiree", "apresmidi", "matinee")),
    *((("debut", link, "aprem"), "debutapresmidi") for link in ("de", "d")),
    *((("fin", link, "aprem"), "finapresmidi") for link in ("de", "d")),
    (("fin", "de", "l", "apresmidi"), "finapresmidi"),
    (("debut", "de", "l", "apresmidi"), "debutapresmidi"),
    (("tard", "le", "soir"), "finsoiree"),
    *((("early", word), "debut" + part) for word, part in _EARLY_LATE.items()),
    *((("late", word), "fin" + part) for word, part in {**_EARLY_LATE, "morning": "matinee"}.items()),
    (("late", "mornings"), "finmatinee"),
)
# Parts of the day, for availability written loosely ("lun soir", "le week-end matin", "evenings"):
# the hours each stands for. An explicit time in the same clause wins over them.
_PART_WORDS: dict[str, tuple[int, int]] = {
    **dict.fromkeys(("matin", "matins", "mat", "matinee", "matinees", "morning", "mornings"), (540, 720)),
    **dict.fromkeys(("apresmidi", "aprem", "aprems", "afternoon", "afternoons"), (840, 1080)),
    **dict.fromkeys(("soir", "soirs", "soiree", "soirees", "evening", "evenings"), (1140, 1380)),
    **dict.fromkeys(("nuit", "nuits", "night", "nights"), (1320, 1500)),
    **dict.fromkeys(("journee", "journees", "daytime", "jour"), (540, 1080)),
    **dict.fromkeys(("dejeuner", "lunch", "lunchtime"), (720, 840)),
    # the first or last two hours of a part: "début de soirée", "late afternoon", "fin de matinée"…
    "debutsoiree": (1140, 1260), "finsoiree": (1260, 1380),
    "debutapresmidi": (840, 960), "finapresmidi": (960, 1080), "finmatinee": (600, 720),
    "finjournee": (960, 1080),
    "tot": (420, 540),  # "tôt le matin", "early mornings": the two hours before the morning
    "anytime": (540, 1380),
}
# Words that name days and a part of the day at once.
_DAY_PART_WORDS: dict[str, tuple[tuple[int, ...], str]] = {
    "weeknight": ((0, 1, 2, 3, 4), "soir"), "weeknights": ((0, 1, 2, 3, 4), "soir"),
}
# A time said with "du matin" / "du soir" / "de l'après-midi": "8h du soir" is 20:00.
_MERIDIEM_WORDS = {"dumatin": "a", "dusoir": "p", "delapresmidi": "p"}
BARE_DAY = (540, 1260)  # a day named without hours, in availability: 09:00–21:00
_PART_WORDS["allday"] = BARE_DAY  # "toute la journée", "all day": the same hours
MAX_OVERNIGHT = 720  # a range that crosses midnight may last 12 h at most ("14h-12h" is refused)
POINT_MINUTES = 120  # a single time in availability ("lun 20h", "après 21h"): two hours from then
_TIME_WORDS = {"midi": 720, "noon": 720, "minuit": 0, "midnight": 0}
_RANGE_WORDS = {
    "a", "au", "to", "till", "til", "until", "through", "thru", "jusqua", "jusque", "-", "avant", "before",
}
# Said before a time with no start: "avant 8h", "until 10pm", "le soir jusqu'à minuit". The range ends
# then and starts with the part of the day said before it, else two hours before (POINT_MINUTES).
_UNTIL_WORDS = {"avant", "before", "jusqua", "jusque", "until", "till", "til"}
# "après 20h" / "from 7pm": with a part of the day in the clause, the range runs to the part's end.
_AFTER_WORDS = {"apres", "ap", "after", "from", "since", "depuis", "des"}
_EXCEPT_WORDS = {"sauf", "except", "excepte", "exceptes", "excepted", "hors", "excluding", "but"}
_OPEN_WORDS = {
    "de", "d", "du", "des", "from", "entre", "between", "dalle", "apres", "ap", "after", "since", "depuis",
}
_BETWEEN_WORDS = {"entre", "between"}
_SEGMENT_BREAKS = {",", ";", "/", "|"}
_LIST_WORDS = {"et", "and", "ou", "or", ",", ";", "/", "&", "+", "|"}
_FILLER_WORDS = {
    "le", "les", "l", "la", "the", "on", "every", "chaque", "tous", "toutes", "each", "at", "vers",
    "oclock", "heure", "heures", "hours", "hour", "environ", "about", "around", "in", "en", "dans",
    "dispo", "disponible", "disponibles", "available", "free", "libre", "libres", "je", "suis", "i", "am",
    "toute", "any", "only", "uniquement", "seulement", "just", "plutot", "surtout", "idealement", "ideally",
    "preferably", "generalement", "usually", "normalement", "mostly", "preferred", "prefere", "preferee",
    "ts", "tt", "ttes", "pendant", "during", "general", "generally",
}
# What people put in a cell for "not given": read as an empty availability (unknown), like a blank.
# The bot's own display of an empty availability ("aucune disponibilité") reads back the same way.
_NOT_GIVEN = {
    "-", "--", "---", "/", "na", "n/a", "n.a.", "nc", "n.c.", "aucune", "aucun", "none", "neant", "nil",
    "non renseigne", "pas renseigne", "non communique", "not given", "no availability",
    "aucune disponibilite", "pas de disponibilite",
    "pas dispo", "pas disponible", "non disponible", "indisponible", "not available", "unavailable",
    "aucune dispo", "pas de dispo", "pas de dispos", "none yet", "not yet", "pas encore",
}
# "pas de dispo pour le moment": the same, for now.
_FOR_NOW = (" pour le moment", " pour linstant", " actuellement", " a ce jour", " for now", " at the moment",
            " currently", " for the moment")


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
            char = " "
        elif char in "–—‐‑−":
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
    |(?P<week>(?P<every>7\s*j(?:ours|rs)?\s*(?:/|sur)\s*7)|24\s*h?\s*(?:/|sur)\s*(?:24|7))(?![\dh])
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
    |(?P<punct>->|=>|[-,;/&+|>→])
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
            elif match.group("week") is not None:  # "7j/7" every day, "24/7" any time
                raw.append(_Token("word", "tlj" if match.group("every") else "anytime", start, end))
            elif match.group("punct") is not None:
                punct = match.group("punct")
                raw.append(_Token("word", "-" if punct in ("->", "=>", ">", "→") else punct, start, end))
            elif kind == "other":
                raise self.fail(UnknownWord, start, end)
        tokens = self._classify(self._merge_phrases(self._merge_phrases(raw, _PHRASES), _COMPOUND_PHRASES))
        return _night_between_days(_noon_among_parts(self._apply_meridiem_words(tokens)))

    def _time_token(self, match: re.Match[str]) -> _Token:
        start, end = match.span("time")
        hour = int(match.group("hour"))
        minute_text = match.group("min_h") or match.group("min_c")
        minute = int(minute_text) if minute_text is not None else 0
        meridiem = match.group("mer")
        text = match.group("time")
        if (minute_text is not None and len(minute_text) != 2) or minute > 59 or len(match.group("hour")) > 2:
            raise self.fail(BadTime, start, end)
        if meridiem is not None:
            if not 1 <= hour <= 12:
                raise self.fail(BadTime, start, end)
            hour = hour % 12 + (12 if meridiem == "p" else 0)
        elif hour > 24 or (hour == 24 and minute):
            raise self.fail(BadTime, start, end)
        return _Token("time", text, start, end, minute=hour * 60 + minute, hour=hour, meridiem=meridiem)

    @staticmethod
    def _merge_phrases(
        tokens: list[_Token], phrases: tuple[tuple[tuple[str, ...], str], ...]
    ) -> list[_Token]:
        out: list[_Token] = []
        i = 0
        while i < len(tokens):
            for words, replacement in phrases:
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
            if word in ("am", "pm") and out and out[-1].kind == "day":
                word = "matin" if word == "am" else "apresmidi"  # "sat am", "sun pm": a part of that day
            if word in _PART_WORDS:
                start, end = _PART_WORDS[word]
                out.append(_Token("part", word, tok.start, tok.end, minute=start, until=end))
                continue
            if word in _DAY_PART_WORDS:  # "weeknights": the days, then the part of the day
                days, part = _DAY_PART_WORDS[word]
                start, end = _PART_WORDS[part]
                out.append(_Token("day", word, tok.start, tok.end, days=days))
                out.append(_Token("part", word, tok.start, tok.end, minute=start, until=end))
                continue
            if word in _MERIDIEM_WORDS:
                out.append(_Token("meridiem", word, tok.start, tok.end, meridiem=_MERIDIEM_WORDS[word]))
                continue
            if word in _EXCEPT_WORDS:
                tok.kind = "except"
                out.append(tok)
                continue
            if word == "same":
                tok.kind = "same"
                out.append(tok)
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
            elif (meant := _misspelt(word)) is not None:  # "mecredi", "samdi", "thrusday", "wekend"
                tok.text = meant
                out.extend(self._classify([tok]))
            else:
                raise self.fail(UnknownWord, tok.start, tok.end)
        return out

    def _apply_meridiem_words(self, tokens: list[_Token]) -> list[_Token]:
        """"8h du soir" is 20:00 and "7h-9h du matin" 07:00-09:00; with no time before them, "du matin"
        and "du soir" are the parts of the day."""
        out: list[_Token] = []
        for tok in tokens:
            if tok.kind != "meridiem":
                out.append(tok)
                continue
            before = out[-1] if out else None
            if before is not None and before.kind == "time" and before.meridiem is None and before.hour <= 12:
                if tok.meridiem == "p" and before.hour < 12:
                    before.minute += 720
                    before.hour += 12
                before.meridiem = tok.meridiem
                before.end = tok.end
                continue
            part = "matin" if tok.meridiem == "a" else "soir" if tok.text == "dusoir" else "apresmidi"
            start, end = _PART_WORDS[part]
            out.append(_Token("part", tok.text, tok.start, tok.end, minute=start, until=end))
        return out


def _noon_among_parts(tokens: list[_Token]) -> list[_Token]:
    """"midi ou soir", "le soir et le midi": noon listed with parts of the day is one of them, the
    lunch break (a single time would give way to the part, as a time written with it does)."""
    for i, tok in enumerate(tokens):
        if tok.kind != "time" or tok.meridiem != "word" or tok.minute != 720:
            continue
        before = tokens[i - 2 : i] if i >= 2 else []
        after = tokens[i + 1 : i + 3]
        if any(
            len(pair) == 2 and pair[lead].kind == "list" and pair[1 - lead].kind == "part"
            for pair, lead in ((before, 1), (after, 0))
        ):
            start, end = _PART_WORDS["dejeuner"]
            tokens[i] = _Token("part", tok.text, tok.start, tok.end, minute=start, until=end)
    return tokens


def _night_between_days(tokens: list[_Token]) -> list[_Token]:
    """"la nuit du vendredi au samedi", "night from Friday to Saturday": one night, Friday's."""
    out: list[_Token] = []
    i = 0
    while i < len(tokens):
        tok = tokens[i]
        j = i + 2 if i + 1 < len(tokens) and tokens[i + 1].kind == "open" else i + 1
        first, link, second = (*tokens[j : j + 3], None, None, None)[:3]
        if (
            tok.kind == "part" and (tok.minute, tok.until) == _PART_WORDS["nuit"]
            and first is not None and first.kind == "day" and first.single
            and link is not None and link.kind == "range"
            and second is not None and second.kind == "day" and second.single
            and second.days[0] == (first.days[0] + 1) % DAYS_PER_WEEK
        ):
            out.extend((first, tok))
            i = j + 3
            continue
        out.append(tok)
        i += 1
    return out


# Long words a typo away from which is still clear (one letter left out, added, changed or two swapped).
_SPELLED_OUT = (
    "lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche",
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "weekend", "weekdays",
    "matinee", "soiree", "apresmidi", "morning", "afternoon", "evening",
)


def _misspelt(word: str) -> str | None:
    """The day or part of the day a word of four letters or more misspells, if only one is that close."""
    if len(word) < 4:
        return None
    stem = word[:-1] if word.endswith("s") else word
    close = {w for w in _SPELLED_OUT for form in {word, stem} if OSA.distance(form, w, score_cutoff=1) <= 1}
    return close.pop() if len(close) == 1 else None


def _lookup_days(word: str) -> tuple[int, ...] | None:
    for candidate in (word, word[:-1] if word.endswith("s") and len(word) > 3 else None):
        if candidate is None:
            continue
        if candidate in _DAY_WORDS:
            return (_DAY_WORDS[candidate],)
        if candidate in _DAY_GROUPS:
            return _DAY_GROUPS[candidate]
    return None


def _day_chain(tokens: list[_Token], i: int) -> list[int]:
    """The single days from `tokens[i]` joined by dashes ("lun-mer-ven" gives three)."""
    days: list[int] = []
    while i < len(tokens) and tokens[i].kind == "day" and tokens[i].single:
        days.append(tokens[i].days[0])
        if i + 2 < len(tokens) and tokens[i + 1].text == "-" and tokens[i + 2].kind == "day":
            i += 2
        else:
            break
    return days


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
    if start.hour == 12 and end.meridiem is None and end.hour < 12 and last < first:
        last += 720  # "noon to 1:30", "lunch 12-2": the afternoon
    if first == last:
        return None
    if last < first:
        last += MINUTES_PER_DAY
    return first, last


def _until_range(clause: _Clause, end_token: _Token) -> tuple[int, int]:
    """The range ending at `end_token`: from the start of the clause's last part of the day when that
    part comes before the end ("le soir jusqu'à minuit" is 19:00–24:00, "le matin avant 10h"
    09:00–10:00), else from POINT_MINUTES before it ("avant 8h" is 06:00–08:00)."""
    end = end_token.minute
    if clause.parts:
        start = clause.parts[-1][0]
        twelve = end_token.meridiem is None and end_token.hour < 12  # "evenings until 10" is 22:00
        for last in (end, end + 720) if twelve else (end,):
            while last <= start:
                last += MINUTES_PER_DAY
            if last - start <= MAX_OVERNIGHT:
                clause.parts.pop()
                return start, last
    if end == 0:
        end = MINUTES_PER_DAY
    start = end - POINT_MINUTES
    if start < 0:
        start, end = start + MINUTES_PER_DAY, end + MINUTES_PER_DAY
    return start, end


@dataclass(slots=True)
class _Clause:
    days: list[int]
    items: list[tuple[int, int | None]]
    start: int
    end: int
    segment: int = 0  # parts of the text between top-level separators (",", ";", "/", new line)
    time_first: bool = False
    parts: list[tuple[int, int]] = field(default_factory=list)  # "soir", "matin"… (used without times)
    excluded: list[int] = field(default_factory=list)  # "sauf le mercredi", "except Fridays"
    joined: str = ""  # the list word it starts after ("et", "and", ",", "+"…)
    from_parts: bool = False  # its items are its parts of the day ("le soir"), no time was written
    same: bool = False  # "mardi même heure", "Thursdays too": the times of the clause before
    own_days: bool = False  # "weeknights": days said with their part, not shared with days before
    named_days: bool = False  # its days were said (not every day, for want of any)
    open_items: set[int] = field(default_factory=set)  # items said after "après" / "from"…
    bare_items: set[int] = field(default_factory=set)  # hours up to 12 with am or pm unsaid ("7-9", "3h")


def _parse_clauses(reader: _Reader, *, slash_ranges: bool = False) -> list[_Clause]:
    """`slash_ranges`: "18h/20h" between two single times is a range (availability), not two times."""
    tokens = reader.tokens()
    clauses: list[_Clause] = []
    current: _Clause | None = None
    between = False
    opened = ""  # the open word ("après", "from"…) just before a time
    excluding = False  # after "sauf" / "except": the days named are taken away
    segment = 0
    i = 0
    while i < len(tokens):
        tok = tokens[i]
        nxt = tokens[i + 1] if i + 1 < len(tokens) else None
        after = tokens[i + 2] if i + 2 < len(tokens) else None
        if tok.kind == "day":
            if excluding and current is not None:
                target = current.excluded
            else:
                # a clause that has its times, or its days and a part of the day ("mardi matin"), is
                # complete: the next days start another one ("mardi matin et jeudi soir")
                follows = tokens[i - 1].text if i > 0 and tokens[i - 1].kind in ("list", "same") else ""
                if current is None or current.items or current.segment != segment or (
                    current.parts and (current.days or follows)  # "evenings and weekends"
                ) or (tok.text in _DAY_PART_WORDS and current.days):  # "weekends and weeknights"
                    current = _Clause([], [], tok.start, tok.end, segment, joined=follows)
                    clauses.append(current)
                current.own_days = tok.text in _DAY_PART_WORDS
                current.same = current.same or follows == "same"  # "le soir, aussi le week-end"
                target = current.days
            days = tok.days
            consumed = 1
            chain = _day_chain(tokens, i)
            if len(chain) >= 3:  # "lun-mer-ven": three days or more joined by dashes are a list
                days = tuple(chain)
                consumed = 2 * len(chain) - 1
            elif tok.single and nxt is not None and nxt.kind == "range" and after is not None:
                if after.kind == "day":
                    if not after.single:
                        raise reader.fail(TimeWordsError, tok.start, after.end)
                    days = _day_span(tok.days[0], after.days[0])
                    consumed = 3
                elif nxt.text not in _UNTIL_WORDS:  # "lundi - 20h-22h", "sam à 10h": introduces the time
                    consumed = 2
            target.extend(d for d in days if d not in target)
            current.end = tokens[i + consumed - 1].end
            i += consumed
            between = False
            continue
        if tok.kind == "same":
            if current is not None and (nxt is None or nxt.kind != "day"):  # "jeudi aussi", not "aussi jeudi"
                current.same = True
            i += 1
            continue
        if tok.kind == "except":
            if current is None or current.segment != segment:
                current = _Clause([], [], tok.start, tok.end, segment)
                clauses.append(current)
            if nxt is None or nxt.kind != "day":
                raise reader.fail(TimeWordsError, tok.start, (nxt or tok).end)
            excluding = True
            i += 1
            continue
        if tok.kind != "list":
            excluding = False
        if tok.kind == "time":
            if current is None or current.segment != segment:
                current = _Clause([], [], tok.start, tok.end, segment)
                clauses.append(current)
            joins = nxt is not None and (
                nxt.kind == "range"
                or (between and nxt.text in ("et", "and"))
                or (  # "samedi 10h/12h"
                    slash_ranges and nxt.text == "/" and after is not None and after.kind == "time"
                    and (i + 3 >= len(tokens) or tokens[i + 3].kind != "range")
                )
            )
            if nxt is not None and nxt.text == "-" and after is not None and after.kind == "day":
                joins = False  # "lundi 20h - mercredi 18h": the dash separates two entries
            if joins and after is not None and after.kind == "time":
                pair = _pair_range(tok, after)
                if pair is None:
                    raise reader.fail(EmptyRange, tok.start, after.end)
                if pair[1] > MINUTES_PER_DAY and pair[1] - pair[0] > MAX_OVERNIGHT:
                    raise reader.fail(BackwardsRange, tok.start, after.end)
                if tok.meridiem is None and after.meridiem is None and max(tok.hour, after.hour) <= 12:
                    current.bare_items.add(len(current.items))
                current.items.append(pair)
                current.end = after.end
                i += 3
            elif joins:
                raise reader.fail(TimeWordsError, tok.start, (after or nxt).end)
            else:
                if tok.minute >= MINUTES_PER_DAY:
                    raise reader.fail(BadTime, tok.start, tok.end)
                if tok.meridiem is None and tok.hour <= 12:
                    current.bare_items.add(len(current.items))
                if opened in _AFTER_WORDS:
                    current.open_items.add(len(current.items))
                current.items.append((tok.minute, None))
                current.end = tok.end
                i += 1
            between = False
            opened = ""
            continue
        if tok.kind == "part":
            if current is None or current.segment != segment:
                current = _Clause([], [], tok.start, tok.end, segment)
                clauses.append(current)
            if current.items and i > 0 and tokens[i - 1].kind == "list":
                current.items.append((tok.minute, tok.until))  # "midi-14h et le soir": one more range
            else:
                current.parts.append((tok.minute, tok.until))
            current.end = max(current.end, tok.end)
            i += 1
            continue
        if tok.kind == "open" and nxt is not None and nxt.kind == "part":
            i += 1  # "de soir", "dès le matin": the part of the day alone
            continue
        if tok.kind == "open":
            between = tok.text in _BETWEEN_WORDS
            if nxt is None or nxt.kind not in ("time", "day"):
                raise reader.fail(TimeWordsError, tok.start, (nxt or tok).end)
            opened = tok.text
            i += 1
            continue
        opened = ""
        if tok.kind == "list":
            if tok.text in _SEGMENT_BREAKS:
                segment += 1
                if current is not None and current.items:
                    current = None
                if tok.text != "/":  # "sauf mardi, jeudi 20h": the comma ends the days taken away
                    excluding = False
            i += 1
            continue
        if tok.text == "-" and nxt is not None and nxt.kind == "day" and i > 0 and tokens[i - 1].kind in (
            "time", "part"
        ):  # "lundi 19h-21h - mercredi 19h-21h", "lundi soir - mercredi soir": a separator
            segment += 1
            current = None
            i += 1
            continue
        if tok.kind == "range" and nxt is not None and nxt.kind == "time" and tok.text in _UNTIL_WORDS:
            # "avant 8h", "until 10pm", "le soir jusqu'à minuit": a range that ends then
            if current is None or current.segment != segment:
                current = _Clause([], [], tok.start, tok.end, segment)
                clauses.append(current)
            current.items.append(_until_range(current, nxt))
            current.end = nxt.end
            i += 2
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
    slash_ranges: bool = False,
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
    everywhere_but: list[_Clause] = []  # "…, sauf le mercredi": days taken away from everything said
    for clause in _parse_clauses(reader, slash_ranges=slash_ranges):
        if not clause.items and clause.parts:
            clause.items, clause.from_parts = list(clause.parts), True
        elif clause.parts:
            _fit_to_parts(clause)
        if clause.excluded and not clause.items and not clause.days:
            everywhere_but.append(clause)
            continue
        segments.setdefault(clause.segment, []).append(clause)
    resolved: list[_Clause] = []
    for clauses in segments.values():
        merged: list[_Clause] = []
        for clause in clauses:
            last = merged[-1] if merged else None
            if last is not None and not last.days and last.items and clause.days and not clause.items and (
                not clause.joined
            ):
                last.days, last.end, last.time_first = clause.days, clause.end, True  # "20h-22h lun"
            elif last is not None and clause.days and not clause.items and len(last.items) >= 2:
                # "lun 20h-22h et 14h-17h dim": the last range belongs to the days written after it
                clause.items.append(last.items.pop())
                clause.time_first = True
                merged.append(clause)
            else:
                merged.append(clause)
        resolved.extend(merged)
    if (
        len(resolved) >= 2 and not resolved[0].days and resolved[0].items and resolved[1].days
        and not resolved[1].items
        and (not resolved[1].joined or (resolved[1].joined in _SEGMENT_BREAKS and not resolved[0].from_parts))
    ):  # "de 20h à 22h, du lundi au vendredi", "20h-22h, sam": the days of the times said first (but
        # "evenings, weekends" is both)
        first = resolved.pop(1)
        resolved[0].days, resolved[0].end, resolved[0].time_first = first.days, first.end, True
        resolved[0].excluded.extend(first.excluded)
    entries: list[ScheduleEntry] = []
    previous: _Clause | None = None
    pending: list[int] = []
    pending_clause: _Clause | None = None

    def days_alone(days: list[int], clause: _Clause) -> ScheduleEntry:
        """Days said with no time: their daytime and evening (`bare_day`)."""
        if bare_day is None:
            raise reader.fail(MissingTime, clause.start, clause.end)
        return ScheduleEntry(tuple(days), *bare_day, from_part=True)

    for clause in resolved:
        if clause.days and not clause.items:
            clause.days = _without(reader, clause, clause.days)
            if previous is not None and not pending and (
                previous.time_first or (clause.same and previous.named_days)
            ):
                # "20h-22h lun, mer": days listed after a time-first clause share its times; so do
                # days said with "même heure", "too" after days with their times
                for start, end in previous.items:
                    entries.append(ScheduleEntry(tuple(clause.days), start, end, previous.from_parts))
                continue
            pending.extend(d for d in clause.days if d not in pending)
            pending_clause = pending_clause or clause
            continue
        if (clause.own_days or clause.same) and pending_clause is not None:
            # "weekends and weeknights", "le week-end, le soir aussi": two things
            entries.append(days_alone(pending, pending_clause))
            pending, pending_clause = [], None
        days = [*pending, *(d for d in clause.days if d not in pending)]
        clause.named_days = bool(days)
        if not days:
            if previous is not None and not clause.excluded:
                days = list(previous.days)
            elif default_days is not None:
                days = list(default_days)
            else:
                raise reader.fail(MissingDay, clause.start, clause.end)
        clause.days = days = _without(reader, clause, days)
        for start, end in clause.items:
            entries.append(ScheduleEntry(tuple(days), start, end, clause.from_parts))
        previous, pending, pending_clause = clause, [], None
    if everywhere_but and not entries and pending_clause is None and default_days is not None:
        pending_clause, pending = everywhere_but[0], list(default_days)  # "sauf le mercredi" alone
    if pending_clause is not None:
        entries.append(days_alone(pending, pending_clause))
    for clause in everywhere_but:
        kept = [
            ScheduleEntry(days, e.start, e.end, e.from_part)
            for e in entries
            if (days := tuple(d for d in e.weekdays if d not in clause.excluded))
        ]
        if not kept:
            raise reader.fail(MissingDay if not entries else TimeWordsError, clause.start, clause.end)
        entries = kept
    if not entries and text.strip():
        raise NothingGiven(value=text.strip(), example=example)  # "??", "-": nothing we can read
    return entries


def _fit_to_parts(clause: _Clause) -> None:
    """Times written with a part of the day: bare hours take the part's half of the day ("evenings
    7-9" is 19:00–21:00), and a time after "après" / "from" runs to the part's end ("le soir après
    21h" is 21:00–23:00)."""

    def part_of(minute: int) -> tuple[int, int] | None:
        return next(((s, e) for s, e in clause.parts if s <= minute < e), None)

    def overlap(start: int, end: int | None) -> int:
        last = start + POINT_MINUTES if end is None else end
        return sum(max(0, min(last, e) - max(start, s)) for s, e in clause.parts)

    for index, (start, end) in enumerate(clause.items):
        later = None if end is None else end + 720
        if index in clause.bare_items and overlap(start + 720, later) > overlap(start, end):
            start, end = start + 720, later
        if index in clause.open_items and end is None and (part := part_of(start)) is not None:
            end = part[1]
        clause.items[index] = (start, end)


def _without(reader: _Reader, clause: _Clause, days: list[int]) -> list[int]:
    """The days but those the clause takes away ("en semaine sauf le mercredi"); none left is an error."""
    if not clause.excluded:
        return days
    left = [d for d in days if d not in clause.excluded]
    if not left:
        raise reader.fail(TimeWordsError, clause.start, clause.end)
    return left


def parse_day_ranges(text: str, *, example: str = AVAILABILITY_EXAMPLE) -> list[DayRange]:
    """Ranges per day ("lun-ven 20h-22h" gives five), read the way people describe when they are
    free: hours with no day are every day ("20h-22h", "le soir"), a day with no hours is its
    daytime and evening (BARE_DAY), a single time is two hours from then ("lun 20h", "après 21h").
    What people put in a cell for "not given" ("n/a", "-", "aucune") is no availability, like a blank."""
    key = " ".join(normalize(text).split())
    short = key.rstrip(".! ")
    for suffix in _FOR_NOW:
        short = short.removesuffix(suffix)
    if key in _NOT_GIVEN or short in _NOT_GIVEN:
        return []
    out: list[DayRange] = []
    schedule = parse_schedule(
        text, example=example, default_days=ALL_DAYS, bare_day=BARE_DAY, slash_ranges=True
    )
    for entry in schedule:
        end = entry.end if entry.end is not None else entry.start + POINT_MINUTES
        out.extend(DayRange(day, entry.start, end) for day in entry.weekdays)
    return out


def parse_day_times(text: str, *, example: str = SLOTS_EXAMPLE, spans: bool = False) -> list[DayTime]:
    """Single times per day, in the order given, without repeats ("mar 20:30, jeu 20:30").
    `spans`: a range written with its hours ("mar 20h-21h30") is its start, with its length; a part
    of the day ("mar soir") is still not a time."""
    out: list[DayTime] = []
    entries = parse_schedule(text, example=example)
    if not entries:
        raise NothingGiven(value=text.strip(), example=example)
    for entry in entries:
        length = None
        if entry.end is not None:
            if not spans or entry.from_part:
                raise ExpectedPoint(value=f"{_clock(entry.start)}-{_clock(entry.end)}", example=example)
            length = entry.end - entry.start
        for day in entry.weekdays:
            slot = DayTime(day, entry.start, length)
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
    everywhere_but: set[int] = set()  # "lun-ven, sauf mer", "sauf le dimanche"
    for clause in clauses:
        if clause.items:
            raise reader.fail(UnknownWord, clause.start, clause.end)
        if clause.days:
            days.update(d for d in clause.days if d not in clause.excluded)
        else:
            everywhere_but.update(clause.excluded)
    if everywhere_but:
        days = (days or set(ALL_DAYS)) - everywhere_but
        if not days:
            raise reader.fail(TimeWordsError, 0, len(reader.norm))
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
