"""Weekly availability: read from plain words, placed on the UTC week, compared between learners.

A `WeeklyAvailability` holds local intervals `(weekday, start, end)` in minutes
(Monday is 0, `0 <= start < end <= 1440`), merged and sorted; a range that
crosses midnight is split on both days ("dim 23h-1h" is Sunday 23:00–24:00 and
Monday 00:00–01:00).

Comparisons happen on the UTC week: `to_utc_week` turns local intervals into
minutes of the week in UTC (0–10080, Monday 00:00 UTC is 0) using the offset the
timezone has during the week of `reference_date`, so summer and winter time in
France give different answers, as they should. Intervals are wrapped round the
end of the week.

For speed, `week_mask` packs a UTC week into a Python int of 672 bits, one bit
per quarter-hour (a quarter-hour counts only if it is fully available). The AND of
two masks and `int.bit_count()` give the shared time of a group in well under a
microsecond.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from functools import cache, lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from bot.errors import InvalidInput
from bot.i18n import t
from bot.services.timewords import (
    AVAILABILITY_EXAMPLE,
    DAYS_PER_WEEK,
    MAX_OVERNIGHT,
    MINUTES_PER_DAY,
    format_clock,
    parse_day_ranges,
)

MINUTES_PER_WEEK = DAYS_PER_WEEK * MINUTES_PER_DAY
SLOT_MINUTES = 15
SLOTS_PER_WEEK = MINUTES_PER_WEEK // SLOT_MINUTES
Interval = tuple[int, int]
UtcWeek = tuple[Interval, ...]


class UnknownTimezone(InvalidInput):
    """Not an IANA timezone name. Params: `value`, `example`."""

    key = "planning.timezone.unknown"


@dataclass(frozen=True, slots=True)
class WeeklyAvailability:
    """Local weekly intervals `(weekday, start_minute, end_minute)`, merged and sorted."""

    intervals: tuple[tuple[int, int, int], ...] = ()

    def __iter__(self):
        return iter(self.intervals)

    def __len__(self) -> int:
        return len(self.intervals)

    def __bool__(self) -> bool:
        return bool(self.intervals)

    @property
    def total_minutes(self) -> int:
        return sum(end - start for _, start, end in self.intervals)

    @classmethod
    def from_ranges(cls, ranges: Iterable[tuple[int, int, int]]) -> WeeklyAvailability:
        """From `(weekday, start, end)` where end may pass 1440 (spills onto the next days)."""
        per_day: dict[int, list[Interval]] = {}
        for weekday, start, end in ranges:
            if not 0 <= start < end or not 0 <= weekday < DAYS_PER_WEEK:
                raise ValueError(f"bad interval {(weekday, start, end)!r}")
            day = weekday
            while start < end:
                cut = min(end, MINUTES_PER_DAY)
                per_day.setdefault(day % DAYS_PER_WEEK, []).append((start, cut))
                start, end, day = 0, end - MINUTES_PER_DAY, day + 1
        merged: list[tuple[int, int, int]] = []
        for day in sorted(per_day):
            merged.extend((day, s, e) for s, e in _merge(per_day[day]))
        return cls(tuple(merged))


def _merge(intervals: Iterable[Interval]) -> list[Interval]:
    out: list[list[int]] = []
    for start, end in sorted(intervals):
        if out and start <= out[-1][1]:
            out[-1][1] = max(out[-1][1], end)
        else:
            out.append([start, end])
    return [(s, e) for s, e in out]


def parse_availability(text: str, *, example: str = AVAILABILITY_EXAMPLE) -> WeeklyAvailability:
    """`lun 20:00-22:00, sam 09:00-12:00`, `mon 8pm-10pm`, `lun-ven 21h-1h`… Empty text: no availability.

    Raises a `bot.services.timewords.TimeWordsError` (an `InvalidInput`) on anything unreadable.
    """
    ranges = parse_day_ranges(text or "", example=example)
    return WeeklyAvailability.from_ranges((r.weekday, r.start, r.end) for r in ranges)


# --- timezones -----------------------------------------------------------------------------------------


@cache
def _timezone_names() -> dict[str, str]:
    return {name.lower(): name for name in available_timezones()}


def _plain_place(text: str) -> str:
    text = unicodedata.normalize("NFKD", text.lower())
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return re.sub(r"^(?:la|le|les|l|the)[ _'’]+", "", text.strip()).replace(" ", "_").replace("-", "_")


@cache
def _timezone_places() -> dict[str, str]:
    """Last part of each IANA name ('paris', 'reunion', 'noumea') → the zone, when only one has it."""
    found: dict[str, set[str]] = {}
    for name in available_timezones():
        if "/" in name and not name.startswith(("Etc/", "SystemV/", "US/")):
            found.setdefault(name.rsplit("/", 1)[1].lower().replace("-", "_"), set()).add(name)
    return {place: next(iter(names)) for place, names in found.items() if len(names) == 1}


_OFFSET = re.compile(r"^(?:utc|gmt)?\s*(?:([+-])\s*(\d{1,2})(?:\s*[:h]?\s*(00|30|45))?\s*h?)?$")

# Places our learners write that are not the last part of an IANA name: French and English names of
# countries with one timezone, of French overseas territories, and of cities whose zone is named
# after another ('Fort-de-France' is America/Martinique). Keys as `_plain_place` gives them.
_PLACE_ZONES = {
    **dict.fromkeys(
        (
            "france",
            "france_metropolitaine",
            "metropole",
            "hexagone",
            "paris_france",
            "francaise",  # "heure française", once "heure" is dropped
            "french_time",
            "paris_time",
            "cest",
        ),
        "Europe/Paris",
    ),
    # the largest cities of metropolitan France, which learners write as their place
    **dict.fromkeys(
        (
            "lyon",
            "marseille",
            "toulouse",
            "nice",
            "nantes",
            "montpellier",
            "strasbourg",
            "bordeaux",
            "lille",
            "rennes",
            "reims",
            "toulon",
            "grenoble",
            "dijon",
            "angers",
            "nimes",
            "clermont_ferrand",
            "le_havre",
            "havre",
            "tours",
            "limoges",
            "amiens",
            "metz",
            "besancon",
            "perpignan",
            "orleans",
            "rouen",
            "caen",
            "nancy",
            "brest",
            "poitiers",
            "avignon",
            "la_rochelle",
            "rochelle",
            "pau",
            "ajaccio",
            "bastia",
            "corse",
            "corsica",
        ),
        "Europe/Paris",
    ),
    **dict.fromkeys(("belgique", "belgium", "bruxelles", "liege", "namur"), "Europe/Brussels"),
    **dict.fromkeys(
        ("suisse", "switzerland", "geneve", "lausanne", "berne", "bern", "fribourg"), "Europe/Zurich"
    ),
    **dict.fromkeys(("allemagne", "germany"), "Europe/Berlin"),
    **dict.fromkeys(("espagne", "spain"), "Europe/Madrid"),
    **dict.fromkeys(("italie", "italy", "rome"), "Europe/Rome"),
    **dict.fromkeys(
        ("royaume_uni", "united_kingdom", "uk", "angleterre", "england", "londres"), "Europe/London"
    ),
    **dict.fromkeys(("irlande", "ireland"), "Europe/Dublin"),
    **dict.fromkeys(("pays_bas", "netherlands", "hollande"), "Europe/Amsterdam"),
    **dict.fromkeys(("portugal",), "Europe/Lisbon"),
    **dict.fromkeys(("grece", "greece", "athenes"), "Europe/Athens"),
    **dict.fromkeys(("quebec", "quebec_city", "ville_de_quebec", "ottawa", "gatineau"), "America/Toronto"),
    **dict.fromkeys(("martinique", "fort_de_france"), "America/Martinique"),
    **dict.fromkeys(
        (
            "guadeloupe",
            "pointe_a_pitre",
            "basse_terre",
            "saint_martin",
            "saint_barthelemy",
            "st_martin",
            "st_barth",
            "saint_barth",
        ),
        "America/Guadeloupe",
    ),
    **dict.fromkeys(("guyane", "guyane_francaise", "french_guiana", "kourou"), "America/Cayenne"),
    **dict.fromkeys(
        ("saint_pierre_et_miquelon", "st_pierre_et_miquelon", "saint_pierre_and_miquelon"), "America/Miquelon"
    ),
    **dict.fromkeys(("reunion", "ile_de_la_reunion", "saint_denis_de_la_reunion"), "Indian/Reunion"),
    **dict.fromkeys(("mamoudzou",), "Indian/Mayotte"),
    **dict.fromkeys(("nouvelle_caledonie", "new_caledonia", "caledonie"), "Pacific/Noumea"),
    **dict.fromkeys(("polynesie", "polynesie_francaise", "french_polynesia", "papeete"), "Pacific/Tahiti"),
    **dict.fromkeys(("marquises", "iles_marquises", "marquesas"), "Pacific/Marquesas"),
    **dict.fromkeys(("wallis", "wallis_et_futuna", "wallis_and_futuna", "futuna"), "Pacific/Wallis"),
    **dict.fromkeys(("senegal",), "Africa/Dakar"),
    **dict.fromkeys(("maroc", "morocco", "rabat"), "Africa/Casablanca"),
    **dict.fromkeys(("tunisie", "tunisia"), "Africa/Tunis"),
    **dict.fromkeys(("algerie", "algeria", "alger"), "Africa/Algiers"),
    **dict.fromkeys(("cote_d_ivoire", "cote_divoire", "ivory_coast"), "Africa/Abidjan"),
    **dict.fromkeys(("cameroun", "cameroon", "yaounde"), "Africa/Douala"),
    **dict.fromkeys(("madagascar", "antananarivo", "tananarive"), "Indian/Antananarivo"),
    **dict.fromkeys(("maurice", "ile_maurice", "mauritius", "port_louis"), "Indian/Mauritius"),
    **dict.fromkeys(("liban", "lebanon"), "Asia/Beirut"),
    **dict.fromkeys(("gabon",), "Africa/Libreville"),
    **dict.fromkeys(("mali",), "Africa/Bamako"),
    **dict.fromkeys(("burkina_faso", "burkina"), "Africa/Ouagadougou"),
    **dict.fromkeys(("benin",), "Africa/Porto-Novo"),
    **dict.fromkeys(("togo",), "Africa/Lome"),
    **dict.fromkeys(("guinee", "guinea"), "Africa/Conakry"),
    **dict.fromkeys(("niger",), "Africa/Niamey"),
    **dict.fromkeys(("haiti",), "America/Port-au-Prince"),
    **dict.fromkeys(("japon", "japan"), "Asia/Tokyo"),
    **dict.fromkeys(("chine", "china", "pekin", "beijing"), "Asia/Shanghai"),
    **dict.fromkeys(("inde", "india", "new_delhi", "delhi", "mumbai", "bombay"), "Asia/Kolkata"),
    **dict.fromkeys(("vietnam", "viet_nam", "hanoi"), "Asia/Ho_Chi_Minh"),
    **dict.fromkeys(
        ("emirats_arabes_unis", "united_arab_emirates", "uae", "emirats", "abu_dhabi"), "Asia/Dubai"
    ),
}
_DASHES = str.maketrans(dict.fromkeys("−–—‐‑", "-"))
# Offsets with minutes have no fixed Etc/ zone: the zone that keeps them all year.
_HALF_HOUR_ZONES = {
    (1, 5, 30): "Asia/Kolkata",
    (1, 5, 45): "Asia/Kathmandu",
    (1, 3, 30): "Asia/Tehran",
    (1, 4, 30): "Asia/Kabul",
    (1, 6, 30): "Asia/Yangon",
    (1, 9, 30): "Australia/Darwin",
    (-1, 3, 30): "America/St_Johns",
    (-1, 9, 30): "Pacific/Marquesas",
}


def _canonical_zone(name: str) -> str | None:
    """The IANA name for what people write: any case, a place ('Paris', 'La Réunion', 'Nouméa',
    'Guyane', 'heure de Paris': IANA's last parts and `_PLACE_ZONES`), or an offset ('UTC+1', 'GMT-4'
    → the fixed zones Etc/GMT-1, Etc/GMT+4; 'UTC+5:30' → the zone keeping it, Asia/Kolkata)."""
    name = name.translate(_DASHES)  # "UTC−3" typed with a minus sign
    bare = re.sub(r"\(.*?\)", " ", name)  # "UTC+1 (Paris)", "Paris (France)", "Europe/Paris (UTC+1)"
    for written in (name, bare):
        cleaned = re.sub(r"\s*/\s*", "/", written.strip()).replace(" ", "_")  # "Europe / Paris"
        if cleaned.lower() in ("localtime", "factory"):
            return None
        canonical = _timezone_names().get(cleaned.lower())
        if canonical is not None:
            return canonical
    offset = bare.strip().lower()
    if (m := _OFFSET.match(offset)) and (m.group(1) or offset.startswith(("utc", "gmt"))):
        sign, hours, minutes = m.group(1), int(m.group(2) or 0), int(m.group(3) or 0)
        if minutes:
            return _HALF_HOUR_ZONES.get((1 if sign == "+" else -1, hours, minutes))
        if hours == 0:
            return "UTC"
        if hours <= 14:  # Etc/GMT names count the other way round: UTC+1 is Etc/GMT-1
            return f"Etc/GMT{'-' if sign == '+' else '+'}{hours}"
        return None
    return zone_of_place(bare)


def zone_of_place(text: str) -> str | None:
    """The IANA zone of a place people write ('Paris', 'La Réunion', 'Nouméa', 'Dakar', 'heure de
    Paris'), never from a zone's code or an offset ('EST', '+2' name no place); None when unknown."""
    place = re.sub(r"['’]", "_", _plain_place(text))
    # "heure de la Réunion", "fuseau horaire de Paris"
    place = re.sub(r"^(?:heure|fuseau(?:_horaire)?)_(?:de_|d_|du_|des_)?(?:la_|l_)?", "", place) or place
    for candidate in (place, place.split(",")[0].strip("_")):
        found = _PLACE_ZONES.get(candidate) or _timezone_places().get(candidate)
        if found is not None:
            return found
    return None


def resolve_timezone(name: str, *, example: str = "Europe/Paris") -> ZoneInfo:
    """An IANA timezone, matched without regard to case ('europe/paris' works), also from a place
    name ('Paris', 'Martinique', 'Guyane') or a UTC offset ('UTC+1'). Raises UnknownTimezone."""
    zone = _zone(name or "")
    if zone is None:
        raise UnknownTimezone(value=name.strip() if name else "", example=example)
    return zone


@lru_cache(maxsize=1024)
def _zone(name: str) -> ZoneInfo | None:
    canonical = _canonical_zone(name)
    if canonical is None:
        return None
    try:
        return ZoneInfo(canonical)
    except (ZoneInfoNotFoundError, ValueError):  # pragma: no cover - tzdata mismatch
        return None


def _week_start(reference_date: date) -> date:
    return reference_date - timedelta(days=reference_date.weekday())


# --- the UTC week ---------------------------------------------------------------------------------------


def to_utc_week(avail: WeeklyAvailability, tz: str | ZoneInfo, reference_date: date) -> UtcWeek:
    """Local intervals as sorted, merged `(start, end)` minutes of the UTC week (0–10080).

    The offsets are those of the week (Monday–Sunday) containing `reference_date`.
    """
    zone = tz if isinstance(tz, ZoneInfo) else resolve_timezone(tz)
    return _to_utc_week(avail.intervals, zone, _week_start(reference_date))


@lru_cache(maxsize=65536)
def _to_utc_week(intervals: tuple[tuple[int, int, int], ...], zone: ZoneInfo, monday: date) -> UtcWeek:
    pieces: list[Interval] = []
    for weekday, start, end in intervals:
        first = _utc_minute(zone, monday, weekday, start)
        last = first + (end - start)
        first_wrapped = first % MINUTES_PER_WEEK
        last_wrapped = first_wrapped + (last - first)
        if last_wrapped > MINUTES_PER_WEEK:
            pieces.append((first_wrapped, MINUTES_PER_WEEK))
            pieces.append((0, last_wrapped - MINUTES_PER_WEEK))
        else:
            pieces.append((first_wrapped, last_wrapped))
    return tuple(_merge(pieces))


@lru_cache(maxsize=65536)
def _utc_minute(zone: ZoneInfo, monday: date, weekday: int, minute: int) -> int:
    """Minute of the UTC week (may fall outside 0–10080) of a local weekday and minute."""
    day = monday + timedelta(days=weekday)
    local = datetime(day.year, day.month, day.day, minute // 60, minute % 60, tzinfo=zone)
    origin = datetime(monday.year, monday.month, monday.day, tzinfo=UTC)
    return int((local - origin).total_seconds() // 60)


def from_utc_week(week: Sequence[Interval], tz: str | ZoneInfo, reference_date: date) -> WeeklyAvailability:
    """The inverse of `to_utc_week`: UTC minutes of the week shown as local weekly intervals."""
    zone = tz if isinstance(tz, ZoneInfo) else resolve_timezone(tz)
    monday = _week_start(reference_date)
    origin = datetime(monday.year, monday.month, monday.day, tzinfo=UTC)
    ranges: list[tuple[int, int, int]] = []
    for start, end in week:
        local = (origin + timedelta(minutes=start)).astimezone(zone)
        days = (local.date() - monday).days % DAYS_PER_WEEK
        ranges.append((days, local.hour * 60 + local.minute, local.hour * 60 + local.minute + end - start))
    return WeeklyAvailability.from_ranges(ranges)


def intersect(a: Sequence[Interval], b: Sequence[Interval]) -> UtcWeek:
    """Intervals present in both sorted, merged lists."""
    out: list[Interval] = []
    i = j = 0
    while i < len(a) and j < len(b):
        start = max(a[i][0], b[j][0])
        end = min(a[i][1], b[j][1])
        if start < end:
            out.append((start, end))
        if a[i][1] < b[j][1]:
            i += 1
        else:
            j += 1
    return tuple(out)


def shared_intervals(weeks: Iterable[Sequence[Interval]]) -> UtcWeek:
    """The UTC intervals every week has (nothing for no weeks)."""
    result: UtcWeek | None = None
    for week in weeks:
        result = tuple(week) if result is None else intersect(result, week)
        if not result:
            return ()
    return result or ()


def shared_minutes(weeks: Iterable[Sequence[Interval]]) -> int:
    """Minutes per week every one of the UTC weeks has available (exact, to the minute)."""
    return sum(end - start for start, end in shared_intervals(weeks))


def week_mask(week: Sequence[Interval]) -> int:
    """One bit per fully available quarter-hour of the UTC week (bit 0 is Monday 00:00–00:15 UTC)."""
    mask = 0
    for start, end in week:
        first = -(-start // SLOT_MINUTES)
        last = end // SLOT_MINUTES
        if last > first:
            mask |= ((1 << (last - first)) - 1) << first
    return mask


def mask_minutes(mask: int) -> int:
    return mask.bit_count() * SLOT_MINUTES


# --- display ----------------------------------------------------------------------------------------


def _display_ranges(avail: WeeklyAvailability) -> dict[int, list[Interval]]:
    per_day: dict[int, list[Interval]] = {d: [] for d in range(DAYS_PER_WEEK)}
    for weekday, start, end in avail.intervals:
        per_day[weekday].append((start, end))
    # Join "23:00-24:00" with the next day's "00:00-01:00" into "23:00-01:00" (when that reads back:
    # a range past midnight lasts MAX_OVERNIGHT at most).
    for day in range(DAYS_PER_WEEK):
        today, tomorrow = per_day[day], per_day[(day + 1) % DAYS_PER_WEEK]
        if not today or not tomorrow or today[-1][1] != MINUTES_PER_DAY or today[-1][0] == 0:
            continue
        overnight = MINUTES_PER_DAY - today[-1][0] + tomorrow[0][1]
        if tomorrow[0][0] == 0 and tomorrow[0][1] <= today[-1][0] and overnight <= MAX_OVERNIGHT:
            today[-1] = (today[-1][0], MINUTES_PER_DAY + tomorrow[0][1])
            tomorrow.pop(0)
    return per_day


def _day_list(days: list[int], lang: str) -> str:
    names = [t(f"planning.day.short.{d}", lang) for d in range(DAYS_PER_WEEK)]
    runs: list[list[int]] = []
    for day in days:
        if runs and day == runs[-1][-1] + 1:
            runs[-1].append(day)
        else:
            runs.append([day])
    parts = []
    for run in runs:
        if len(run) >= 3:
            parts.append(f"{names[run[0]]}-{names[run[-1]]}")
        else:
            parts.extend(names[d] for d in run)
    return ", ".join(parts)


def format_availability(avail: WeeklyAvailability, lang: str) -> str:
    """`lun-ven 21:00–23:00 ; sam 09:00–12:00` (fr) / `Mon-Fri 21:00–23:00; Sat 09:00–12:00` (en).

    The text reads back with `parse_availability` to the same availability.
    """
    if not avail:
        return t("planning.availability.none", lang)
    per_day = _display_ranges(avail)
    by_ranges: dict[tuple[Interval, ...], list[int]] = {}
    for day in range(DAYS_PER_WEEK):
        if per_day[day]:
            by_ranges.setdefault(tuple(per_day[day]), []).append(day)
    parts = []
    for ranges, days in sorted(by_ranges.items(), key=lambda item: (item[1][0], item[0])):
        times = ", ".join(f"{format_clock(s)}–{format_clock(e % MINUTES_PER_DAY or e)}" for s, e in ranges)
        parts.append(f"{_day_list(days, lang)} {times}")
    return t("planning.availability.separator", lang).join(parts)
