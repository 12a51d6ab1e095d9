"""Forming study groups from learner profiles.

`plan_groups` splits learners into groups whose sizes come from
`partition_sizes` (all within [min, max] whenever that is possible, never one
under min, as equal as possible), following one strategy:

- ``alphabetical``: by name, the baseline a teacher would do by hand;
- ``random``: a draw fixed by the seed;
- ``region``: by region (today's French region when what was written names one, from the region
  or else the city: `IDF`, `93`, `Rhône-Alpes`, `Lyon 69003`), then as written, then city, then
  timezone;
- ``availability``: as many groups as possible whose members share an hour a week,
  then the most weekly time shared, computed on the UTC week; same timezone as tie-break;
- ``mixed``: the availability grouping, then members swapped between neighbouring
  groups to spread backgrounds, never making a group lose its shared hour.

A learner who left availability empty has not said they are never free: their
availability is *unknown*. They do not constrain a group's shared time (it is the
time shared by the members who gave theirs), are spread over the groups, and are
listed in `PlannedGroup.unknown`. A group where nobody gave availability shares 0 h.

Everything is deterministic for a given seed (the seed only breaks ties) and does
not depend on the order learners are given in. How the availability strategy
works, and what it costs, is in docs/formation.md.
"""

from __future__ import annotations

import random
import re
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from functools import cache

from bot.errors import InvalidInput
from bot.services import availability as _availability
from bot.services.availability import (
    SLOT_MINUTES,
    SLOTS_PER_WEEK,
    UtcWeek,
    WeeklyAvailability,
    resolve_timezone,
    shared_intervals,
    shared_minutes,
    to_utc_week,
    week_mask,
)
from bot.services.places import region_of
from bot.services.timewords import normalize

STRATEGIES = ("availability", "region", "mixed", "alphabetical", "random")
DEFAULT_SIZE_MIN = 5
DEFAULT_SIZE_MAX = 6
HOUR_SLOTS = 60 // SLOT_MINUTES
OTHER_BACKGROUND = "other"


class BadGroupSize(InvalidInput):
    """Params: `min`, `max`."""

    key = "planning.size.invalid"


class UnknownStrategy(InvalidInput):
    """Params: `value`, `choices`."""

    key = "planning.strategy.unknown"


@dataclass(frozen=True, slots=True)
class Learner:
    """A learner's profile as formation needs it. `key` identifies them (unique within a roster)."""

    key: str
    name: str
    city: str = ""
    region: str = ""
    timezone: str = "Europe/Paris"
    availability: WeeklyAvailability = field(default_factory=WeeklyAvailability)
    about: str = ""
    background: str = ""  # a category; empty: guessed from `about` (see classify_background)
    availability_text: str = ""  # as the learner typed it, kept for display and export

    @property
    def background_category(self) -> str:
        return self.background or classify_background(self.about)

    @property
    def availability_unknown(self) -> bool:
        """An empty availability: not given (a wildcard for shared time), not "never free"."""
        return not self.availability


@dataclass(frozen=True, slots=True)
class PlannedGroup:
    members: tuple[Learner, ...]
    # weekly hours shared by every member who gave availability, exact to the minute (0 when nobody did)
    shared_hours: float
    regions: tuple[str, ...]  # distinct, sorted
    timezones: tuple[str, ...]  # distinct, sorted
    shared_utc: UtcWeek = ()  # the shared time as (start, end) minutes of the UTC week
    unknown: tuple[Learner, ...] = ()  # members who gave no availability (not counted in shared time)

    @property
    def size(self) -> int:
        return len(self.members)


# --- backgrounds -----------------------------------------------------------------------------------

# Word beginnings (accent-free, lower case) that give a rough background from the "about me" text.
_BACKGROUND_STEMS: dict[str, str] = {
    "health": "soignant|infirmi|sante|hopita|ehpad|medic|pharma|nurse|health|care worker|ambulanc|kine",
    "education": "enseign|professeur|animat|atsem|teacher|formateur|ecole|periscolaire|creche|nanny"
    "|petite enfance|teaching",
    "social": "travail social|travailleu social|assistante maternelle|educateur spec|educatrice spec"
    "|mediat|aide a domicile|auxiliaire de vie|social worker",
    "retail": "vendeu|vente|commerc|caiss|magasin|boutique|retail|sales|shop|grande surface",
    "hospitality": "restaura|serveu|cuisin|hotel|barman|waiter|waitress|boulang|cook",
    "tech": "informati|developp|developer|numerique|technicien support|software|it support|web|data",
    "office": "administrati|secreta|comptab|assistante de direction|accueil|banque|assurance|office"
    "|accounting|gestionnaire",
    "industry": "batiment|electric|mecani|usine|ouvrier|soudeu|macon|plomb|chantier|factory|industri|btp"
    "|menuis|construction",
    "logistics": "logisti|cariste|chauffeu|livreu|entrepot|transport|driver|warehouse|manutention",
    "agriculture": "agricol|agricult|viticult|eleveu|maraich|farm|peche|pecheu",
    "public": "fonction publique|mairie|militaire|armee|gendarm|police|pompier",
    "job_seeker": "recherche d emploi|sans emploi|demandeu|chomage|reconversion|conge parental|job seeker"
    "|unemployed|between jobs|au foyer|looking for work",
}
BACKGROUND_KEYWORDS = {category: tuple(stems.split("|")) for category, stems in _BACKGROUND_STEMS.items()}


@cache
def classify_background(about: str) -> str:
    """A background category from free text ("Aide-soignante en EHPAD…" → "health"); "other" if unsure."""
    text = " " + re.sub(r"[^a-z0-9]+", " ", normalize(about or "")) + " "
    best, best_pos = OTHER_BACKGROUND, len(text) + 1
    for category, stems in BACKGROUND_KEYWORDS.items():
        for stem in stems:
            pos = text.find(" " + stem)
            if 0 <= pos < best_pos:  # the first thing people say about themselves wins
                best, best_pos = category, pos
    return best


# --- sizes -----------------------------------------------------------------------------------------


def check_sizes(size_min: int, size_max: int) -> None:
    if not 1 <= size_min <= size_max:
        raise BadGroupSize(min=size_min, max=size_max)


def partition_sizes(n: int, size_min: int = DEFAULT_SIZE_MIN, size_max: int = DEFAULT_SIZE_MAX) -> list[int]:
    """Group sizes for n learners, largest first, as equal as possible.

    - as few groups as the bounds allow, every size within [size_min, size_max];
    - n < size_min: one group with everybody (the caller may warn);
    - when no split fits the bounds (7 learners in groups of 5–6), nobody is left
      under the minimum: there are n // size_min groups and some exceed size_max
      by as little as possible.
    """
    check_sizes(size_min, size_max)
    if n <= 0:
        return []
    if n < size_min:
        return [n]
    groups = -(-n // size_max)
    if groups * size_min > n:
        groups = n // size_min
    base, extra = divmod(n, groups)
    return [base + 1] * extra + [base] * (groups - extra)


def sizes_fit(n: int, size_min: int, size_max: int) -> bool:
    """True when n learners can be split with every group within [size_min, size_max]."""
    return n >= size_min and -(-n // size_max) * size_min <= n


# --- preparation -----------------------------------------------------------------------------------


@dataclass(slots=True)
class _Prepared:
    learners: list[Learner]
    masks: list[int]  # _WILDCARD for a learner whose availability is unknown
    offsets: list[int]
    weeks: list[UtcWeek]
    sort_names: list[str]
    unknown: list[bool]


def _prepare(learners: Sequence[Learner], reference_date: date) -> _Prepared:
    masks: list[int] = []
    offsets: list[int] = []
    weeks: list[UtcWeek] = []
    names: list[str] = []
    unknown: list[bool] = []
    noon = datetime(reference_date.year, reference_date.month, reference_date.day, 12, tzinfo=UTC)
    for learner in learners:
        zone = resolve_timezone(learner.timezone)
        week = to_utc_week(learner.availability, zone, reference_date)
        weeks.append(week)
        unknown.append(learner.availability_unknown)
        masks.append(_WILDCARD if learner.availability_unknown else _mask_of(week))
        offsets.append(_offset_minutes(zone.key, noon))
        names.append(_name_key(learner.name))
    return _Prepared(list(learners), masks, offsets, weeks, names, unknown)


@cache
def _mask_of(week: UtcWeek) -> int:
    return week_mask(week)


@cache
def _offset_minutes(zone_key: str, moment: datetime) -> int:
    offset = moment.astimezone(resolve_timezone(zone_key)).utcoffset() or timedelta(0)
    return int(offset.total_seconds() // 60)


@cache
def _name_key(name: str) -> str:
    return " ".join(normalize(name).split())


def _distinct_regions(members: Iterable[Learner]) -> tuple[str, ...]:
    """The regions of a group as shown, once each whatever the case or accents they were typed in."""
    shown: dict[str, str] = {}
    for member in members:
        if region := region_shown(member):
            shown.setdefault(_name_key(region), region)
    return tuple(sorted(shown.values()))


def region_shown(learner: Learner) -> str:
    """The learner's region as a teacher reads it: today's French region when what they wrote names
    one (`IDF` → Île-de-France, or their city's), else what they wrote."""
    return region_of(learner.region, learner.city) or learner.region.strip()


def clear_caches() -> None:
    """Forget memoised conversions (for benchmarks measuring a cold start)."""
    for cached in (_mask_of, _offset_minutes, _name_key, classify_background, _availability._to_utc_week,
                   _availability._utc_minute, region_of):
        cached.cache_clear()


def _hour_windows(mask: int) -> int:
    """Bit w set when the hour starting at quarter-hour w of the UTC week is fully available."""
    return mask & (mask >> 1) & (mask >> 2) & (mask >> 3)


_FULL_WEEK = (1 << SLOTS_PER_WEEK) - 1
# The mask of a learner whose availability is unknown: every quarter-hour (they constrain nobody) plus a
# sentinel bit that survives an AND only when no member gave availability; see _slots.
_WILDCARD = _FULL_WEEK | (1 << SLOTS_PER_WEEK)


def _slots(mask: int) -> int:
    """Quarter-hours of a group's AND-ed mask; 0 when every member's availability is unknown."""
    count = mask.bit_count()
    return count if count <= SLOTS_PER_WEEK else 0


# --- the main entry point ----------------------------------------------------------------------------


def plan_groups(
    learners: Iterable[Learner],
    strategy: str = "availability",
    size_min: int = DEFAULT_SIZE_MIN,
    size_max: int = DEFAULT_SIZE_MAX,
    seed: int = 0,
    *,
    reference_date: date,
) -> list[PlannedGroup]:
    """Split learners into groups (see the module docstring). Every learner is placed exactly once.

    `reference_date` fixes the week whose UTC offsets are used (summer or winter time).
    Raises BadGroupSize, UnknownStrategy, or UnknownTimezone for a learner's bad timezone.
    """
    check_sizes(size_min, size_max)
    if strategy not in STRATEGIES:
        raise UnknownStrategy(value=strategy, choices=", ".join(STRATEGIES))
    people = sorted(learners, key=lambda lr: (_name_key(lr.name), lr.key))
    if not people:
        return []
    prepared = _prepare(people, reference_date)
    sizes = partition_sizes(len(people), size_min, size_max)
    rng = random.Random(seed)
    tiebreak = list(range(len(people)))
    rng.shuffle(tiebreak)  # rank used wherever two learners are otherwise equal
    if strategy == "alphabetical":
        order = list(range(len(people)))
        groups = _chunk(order, sizes)
    elif strategy == "random":
        groups = _chunk(tiebreak, sizes)
    elif strategy == "region":
        order = sorted(
            range(len(people)),
            key=lambda i: (
                _name_key(region_shown(people[i])), _name_key(people[i].region), _name_key(people[i].city),
                prepared.offsets[i], tiebreak[i],
            ),
        )
        groups = _chunk(order, sizes)
    else:
        planner = _AvailabilityPlanner(prepared, sizes, tiebreak, rng)
        groups = planner.run()
        if strategy == "mixed":
            backgrounds = [p.background_category for p in people]
            _spread_backgrounds(groups, prepared.masks, backgrounds, prepared.unknown, planner.unknown_cap)
    return [_describe(prepared, group) for group in groups]


def _chunk(order: Sequence[int], sizes: Sequence[int]) -> list[list[int]]:
    out, start = [], 0
    for size in sizes:
        out.append(list(order[start : start + size]))
        start += size
    return out


def _describe(prepared: _Prepared, group: Sequence[int]) -> PlannedGroup:
    members = tuple(prepared.learners[i] for i in group)
    shared = shared_intervals(prepared.weeks[i] for i in group if not prepared.unknown[i])
    minutes = sum(end - start for start, end in shared)
    return PlannedGroup(
        members=members,
        shared_hours=round(minutes / 60, 2),
        regions=_distinct_regions(members),
        timezones=tuple(sorted({m.timezone for m in members})),
        shared_utc=shared,
        unknown=tuple(prepared.learners[i] for i in group if prepared.unknown[i]),
    )


# --- availability ----------------------------------------------------------------------------------


_HOUR_BONUS = 48
# A group without a shared hour scores, besides its shared quarter-hours, _NEAR per member in the largest
# set of members who do share an hour: a swap that brings it closer to a shared hour is an improvement.
_NEAR = 6


def _levels(windows: Iterable[int]) -> list[int]:
    """levels[j]: the hour windows that at least j + 1 of these masks have (nested, a few ops per mask)."""
    levels: list[int] = []
    for w in windows:
        levels.append(0)
        for j in range(len(levels) - 1, 0, -1):
            levels[j] |= levels[j - 1] & w
        levels[0] |= w
    return levels


def _top(levels: Sequence[int]) -> int:
    """How many of the masks, at most, have one hour window in common."""
    top = len(levels)
    while top and not levels[top - 1]:
        top -= 1
    return top


def _top_with(levels: Sequence[int], top: int, window: int) -> int:
    """`_top` once one more mask, whose hour windows are `window`, joins."""
    if top:
        return top + 1 if levels[top - 1] & window else top
    return 1 if window else 0


def _and_all(masks: Sequence[int], members: Iterable[int]) -> int:
    """The AND of the members' masks (_WILDCARD for nobody): count it with _slots."""
    result = _WILDCARD
    for i in members:
        result &= masks[i]
    return result


def _bit_popularity(masks: Iterable[int], width: int = 7 * 24 * HOUR_SLOTS) -> list[int]:
    """For each bit position, how many masks have it set (bit-sliced counters: a few big-int ops per mask)."""
    planes: list[int] = []  # planes[k] holds bit k of every position's count
    for mask in masks:
        carry, k = mask, 0
        while carry:
            if k == len(planes):
                planes.append(0)
            planes[k], carry = planes[k] ^ carry, planes[k] & carry
            k += 1
    counts = [0] * width
    for k, plane in enumerate(planes):
        weight = 1 << k
        while plane:
            low = plane & -plane
            counts[low.bit_length() - 1] += weight
            plane ^= low
    return counts


def _unknown_quotas(sizes: Sequence[int], unknown: int) -> list[int]:
    """How many learners with unknown availability each group takes: as even as possible.

    The extra ones go to the last groups (smallest, and last in the planner's order), and a
    group never takes more than its size.
    """
    quotas = [0] * len(sizes)
    while unknown:
        placed = False
        for gi in range(len(sizes) - 1, -1, -1):
            if unknown and quotas[gi] < sizes[gi]:
                quotas[gi] += 1
                unknown -= 1
                placed = True
        if not placed:  # pragma: no cover - sizes always add up to the number of learners
            break
    return quotas


class _AvailabilityPlanner:
    """Anchor-hour bucketing, best-fit greedy in a sliding window, bounded swaps, then hour packing.

    0. Learners whose availability is unknown are left out of steps 1–2: each group
       gets its quota of them (as even as possible, `_unknown_quotas`), and they
       count as free all week in every comparison (`_WILDCARD`).
    1. Each learner is anchored on the hour of the UTC week (starting on any
       quarter-hour), among those they are fully free, that most learners share:
       learners with the same anchor all share that hour. Learners whose best hour
       is shared by fewer than size_min people cannot be in a group with a shared
       hour; they go last, so that they spoil as few groups as possible.
    2. Learners are ordered by anchor (in time order), hardest to place first
       (least free time). Groups are filled one by one: the first unplaced learner
       seeds the group, then the candidate among the next WINDOW unplaced learners
       that keeps the most shared time joins (ties: closest UTC offset), until full.
    3. Groups without a shared hour try every swap with groups near them in that
       order, then every group tries swaps with its direct neighbours to gain
       shared time. A swap is kept when it raises the two groups' score: shared
       quarter-hours, plus a bonus for a shared hour, or, for a group without one,
       a little for each member of its largest subset that shares an hour (so that
       a swap bringing it closer counts). A swap may move a learner with unknown
       availability to another group only if that group stays within the quota cap
       (the largest quota). The number of tries is bounded (never the wall clock,
       so the result stays deterministic).
    4. Up to PACK_LIMIT learners (class sizes, where steps 0–3 leave more groups
       without an hour): `_HourPacker` packs learners around target hours with
       ejection chains, the groups it could not give an hour are refilled from
       what is left as in steps 2–3, and the plan with more groups sharing an
       hour (then more shared time) is kept.
    """

    WINDOW = 32
    SWAP_BUDGET = 400_000  # pairs of members tried, at most, in the improvement passes
    MAX_PASSES = 3
    PACK_LIMIT = 1_000  # learners, at most, for step 4 (larger rosters: steps 0-3 already do well)

    def __init__(
        self, prepared: _Prepared, sizes: list[int], tiebreak: list[int], rng: random.Random
    ) -> None:
        self.rng = rng
        self.masks = prepared.masks
        self.unknown = prepared.unknown
        self.offsets = prepared.offsets
        self.sizes = sizes
        self.tiebreak = tiebreak
        self.n = len(prepared.masks)
        self.size_min = min(sizes) if sizes else 1
        # a group with a shared hour always scores more than one without (whose score grows with its size)
        self.hour_bonus = max(_HOUR_BONUS, _NEAR * max(sizes, default=0))
        self.windows: list[int] = []  # per learner, their hour windows (unknown availability: unused)
        self.unknown_cap = 0  # the most learners with unknown availability a group may have
        self.unknown_in: list[int] = []  # per group, how many it has

    def run(self) -> list[list[int]]:
        known = [i for i in range(self.n) if not self.unknown[i]]
        unknown = sorted((i for i in range(self.n) if self.unknown[i]), key=lambda i: self.tiebreak[i])
        quotas = _unknown_quotas(self.sizes, len(unknown))
        self.unknown_cap = max(quotas, default=0)
        self.windows = [0 if self.unknown[i] else _hour_windows(self.masks[i]) for i in range(self.n)]
        known_sizes = [size - quota for size, quota in zip(self.sizes, quotas, strict=True)]
        groups = self._greedy(self._order(known), known_sizes)
        start = 0
        for group, quota in zip(groups, quotas, strict=True):
            group.extend(unknown[start : start + quota])
            start += quota
        self.unknown_in = list(quotas)
        self._improve(groups)
        if self.n <= self.PACK_LIMIT:
            groups = self._pack(groups) or groups
        return groups

    def _pack(self, groups: list[list[int]]) -> list[list[int]] | None:
        """Step 4: `_HourPacker`, then the pool split by the greedy fill and swaps as in steps 0–3; None
        unless that gives more groups with a shared hour (or as many, with more shared time)."""
        packed = _HourPacker(self, self.rng).run(groups)
        if packed is None:
            return None
        good, pool, pool_sizes = packed
        pool_sizes.sort(reverse=True)
        unknown = sorted((i for i in pool if self.unknown[i]), key=lambda i: self.tiebreak[i])
        quotas = _unknown_quotas(pool_sizes, len(unknown))
        rest = self._greedy(self._order([i for i in pool if not self.unknown[i]]),
                            [size - quota for size, quota in zip(pool_sizes, quotas, strict=True)])
        start = 0
        for group, quota in zip(rest, quotas, strict=True):
            group.extend(unknown[start : start + quota])
            start += quota
        candidate = good + rest
        kept_unknown_in = self.unknown_in
        self.unknown_in = [sum(self.unknown[i] for i in g) for g in candidate]
        self._improve(candidate)
        if _hour_rank(self.masks, candidate) > _hour_rank(self.masks, groups):
            return candidate
        self.unknown_in = kept_unknown_in
        return None

    def _order(self, learners: list[int]) -> list[int]:
        windows = {i: self.windows[i] for i in learners}
        popularity = _bit_popularity(windows.values())
        by_popularity = sorted(range(len(popularity)), key=lambda bit: (-popularity[bit], bit))
        # prefixes[j]: the j+1 most popular hours; a learner's anchor is their first hour in that order
        prefixes: list[int] = []
        acc = 0
        for bit in by_popularity:
            acc |= 1 << bit
            prefixes.append(acc)
        anchors: dict[int, int] = {}
        reach: dict[int, int] = {}
        for i, w in windows.items():
            if not w:
                anchors[i] = len(prefixes)
                reach[i] = 0
                continue
            lo, hi = 0, len(prefixes) - 1
            while lo < hi:
                mid = (lo + hi) // 2
                if w & prefixes[mid]:
                    hi = mid
                else:
                    lo = mid + 1
            anchors[i] = by_popularity[lo]
            reach[i] = popularity[by_popularity[lo]]
        counts = {i: self.masks[i].bit_count() for i in learners}
        size_min = self.size_min

        def rank(i: int) -> tuple[int, int, int, int, int]:
            if counts[i] == 0:
                group = 2
            elif reach[i] < size_min:
                group = 1
            else:
                group = 0
            return (group, anchors[i], counts[i], self.offsets[i], self.tiebreak[i])

        return sorted(learners, key=rank)

    def _greedy(self, order: list[int], sizes: list[int]) -> list[list[int]]:
        masks, offsets = self.masks, self.offsets
        window = self.WINDOW
        groups: list[list[int]] = []
        pool: list[int] = []
        next_index = 0
        for size in sizes:
            if size <= 0:  # a group made only of learners with unknown availability
                groups.append([])
                continue
            want = window + size
            if len(pool) < want and next_index < len(order):
                take = want - len(pool)
                pool.extend(order[next_index : next_index + take])
                next_index += take
            seed = pool.pop(0)
            group = [seed]
            current = masks[seed]
            seed_offset = offsets[seed]
            for _ in range(size - 1):
                best_pos, best_count, best_gap = 0, -1, 0
                for pos in range(min(window, len(pool))):
                    cand = pool[pos]
                    count = (current & masks[cand]).bit_count()
                    if count > best_count:
                        best_pos, best_count = pos, count
                        best_gap = abs(offsets[cand] - seed_offset)
                    elif count == best_count:
                        gap = abs(offsets[cand] - seed_offset)
                        if gap < best_gap:  # equal gaps: the earliest in the order stays
                            best_pos, best_gap = pos, gap
                chosen = pool.pop(best_pos)
                group.append(chosen)
                current &= masks[chosen]
            groups.append(group)
        return groups

    def _improve(self, groups: list[list[int]]) -> None:
        masks = self.masks
        shared = [_and_all(masks, g) for g in groups]
        count = len(groups)
        budget = [self.SWAP_BUDGET]
        for round_number in range(self.MAX_PASSES):
            changed = False
            bad = [gi for gi in range(count) if _slots(shared[gi]) < HOUR_SLOTS]
            # bad groups look further, within what is left of the budget
            reach = max(2, min(count, budget[0] // (max(1, len(bad)) * 2 * 36 * self.MAX_PASSES)))
            for gi in bad:
                for hi in range(max(0, gi - reach), min(count, gi + reach + 1)):
                    if budget[0] <= 0:
                        return
                    if hi != gi and self._try_swap(groups, shared, gi, hi, budget):
                        changed = True
                    if _slots(shared[gi]) >= HOUR_SLOTS:
                        break
            if round_number == 0:  # one pass where every group tries its neighbours, for more shared time
                for gi in range(count - 1):
                    if budget[0] <= 0:
                        return
                    if self._try_swap(groups, shared, gi, gi + 1, budget):
                        changed = True
            if not changed:
                break

    def _group_score(self, group: Sequence[int], mask: int) -> int:
        slots = _slots(mask)
        if slots >= HOUR_SLOTS:
            return slots + self.hour_bonus
        known = [self.windows[i] for i in group if not self.unknown[i]]
        return slots + _NEAR * (_top(_levels(known)) + len(group) - len(known))

    def _levels_without(self, group: Sequence[int]) -> list[tuple[list[int], int, int]]:
        """For each position: the levels of the other members who gave availability, their top, and
        how many others have unknown availability."""
        out = []
        for k in range(len(group)):
            others = [i for pos, i in enumerate(group) if pos != k]
            levels = _levels([self.windows[i] for i in others if not self.unknown[i]])
            out.append((levels, _top(levels), sum(self.unknown[i] for i in others)))
        return out

    def _near_with(self, without: tuple[list[int], int, int], joiner: int) -> int:
        levels, top, unknown = without
        if self.unknown[joiner]:
            return top + unknown + 1
        return _top_with(levels, top, self.windows[joiner]) + unknown

    def _try_swap(
        self, groups: list[list[int]], shared: list[int], gi: int, hi: int, budget: list[int]
    ) -> bool:
        masks, unknown, unknown_in = self.masks, self.unknown, self.unknown_in
        g, h = groups[gi], groups[hi]
        if not g or not h:
            return False
        bonus = self.hour_bonus
        before = self._group_score(g, shared[gi]) + self._group_score(h, shared[hi])
        g_without = _all_but_one(masks, g)
        h_without = _all_but_one(masks, h)
        h_masks = [masks[b] for b in h]
        budget[0] -= len(g) * len(h)
        # with a learner of unknown availability in either group, a swap must keep both within the cap
        check = unknown_in[gi] or unknown_in[hi]
        g_room, h_room = unknown_in[gi] < self.unknown_cap, unknown_in[hi] < self.unknown_cap
        # without a shared hour, at most all members but one share an hour: the most such a group scores
        g_near, h_near = _NEAR * (len(g) - 1), _NEAR * (len(h) - 1)
        g_levels = h_levels = None
        week = SLOTS_PER_WEEK
        best_gain, best = 0, None
        for a_pos, a in enumerate(g):
            ga = g_without[a_pos]
            mask_a = masks[a]
            a_unknown = check and unknown[a]
            for b_pos in range(len(h)):
                if check:
                    b_unknown = unknown[h[b_pos]]
                    if a_unknown == b_unknown:
                        if a_unknown:
                            continue  # two unknowns: nothing changes
                    elif (a_unknown and not h_room) or (b_unknown and not g_room):
                        continue
                count_g = (ga & h_masks[b_pos]).bit_count()
                if count_g > week:
                    count_g = 0
                count_h = (h_without[b_pos] & mask_a).bit_count()
                if count_h > week:
                    count_h = 0
                score_g = count_g + (bonus if count_g >= HOUR_SLOTS else g_near)
                score_h = count_h + (bonus if count_h >= HOUR_SLOTS else h_near)
                if score_g + score_h - before <= best_gain:
                    continue  # even at best, no better than what we have
                if count_g < HOUR_SLOTS:
                    if g_levels is None:
                        g_levels = self._levels_without(g)
                    score_g = count_g + _NEAR * self._near_with(g_levels[a_pos], h[b_pos])
                if count_h < HOUR_SLOTS:
                    if h_levels is None:
                        h_levels = self._levels_without(h)
                    score_h = count_h + _NEAR * self._near_with(h_levels[b_pos], a)
                gain = score_g + score_h - before
                if gain > best_gain:
                    best_gain, best = gain, (a_pos, b_pos)
        if best is None:
            return False
        a_pos, b_pos = best
        a, b = g[a_pos], h[b_pos]
        g[a_pos], h[b_pos] = b, a
        shared[gi], shared[hi] = g_without[a_pos] & masks[b], h_without[b_pos] & masks[a]
        moved = unknown[a] - unknown[b]
        unknown_in[gi] -= moved
        unknown_in[hi] += moved
        return True


def _hour_rank(masks: Sequence[int], groups: Iterable[Sequence[int]]) -> tuple[int, int]:
    """(groups with a shared hour, shared quarter-hours in all): the plan with more is better."""
    shared = [_slots(_and_all(masks, g)) for g in groups]
    return sum(s >= HOUR_SLOTS for s in shared), sum(shared)


def _all_but_one(masks: Sequence[int], group: Sequence[int]) -> list[int]:
    """For each position, the AND of every other member's mask (prefix and suffix products)."""
    size = len(group)
    prefix = [_WILDCARD] * (size + 1)
    for k in range(size):
        prefix[k + 1] = prefix[k] & masks[group[k]]
    out = [0] * size
    suffix = _WILDCARD
    for k in range(size - 1, -1, -1):
        out[k] = prefix[k] & suffix
        suffix &= masks[group[k]]
    return out


def _lowest(value: int) -> int:
    """The position of the lowest set bit."""
    return (value & -value).bit_length() - 1


def _bits(value: int) -> Iterable[int]:
    """The positions of the set bits, lowest first."""
    while value:
        bit = _lowest(value)
        yield bit
        value ^= 1 << bit


class _HourPacker:
    """More groups with a shared hour, by packing learners around target hours (class sizes).

    The state is the groups that have a shared hour, each with a *target* that all its members who
    gave availability are free for (an hour of the UTC week, or the quarter-hours it shares), and a
    pool holding everyone else (the groups without one, merged; their sizes are kept aside).

    - **Adding a group** for a target T takes its seats one at a time through an ejection chain (an
      augmenting path): the new group takes a learner free at T from group C, C takes a replacement
      free at its own target from group D, …, and the last one comes from the pool. A breadth-first
      search over the groups finds the shortest chain; when there is none, no assignment of learners
      gives every group its target (max-flow), and the addition is undone. A learner of unknown
      availability fits any target, into a group under the cap; from the pool they are taken first.
    - **Greedy**: candidate targets are the hours whose set of free learners is not contained in
      another hour's, with at least `min` − cap of them; scarcest first, each added while it fits.
    - **Perturbation rounds** (ROUNDS, drawn from the seeded `rng`): dissolve 1–DISSOLVE groups into
      the pool, add candidates in a shuffled order, keep the result unless it has fewer groups with an
      hour (so the search walks across equal states), and remember the best state seen.
    - **Budget**: WORK_BUDGET counts the groups examined by the searches, never the clock, so the result
      is the same on any machine; it stops early when the pool holds only learners no candidate fits.

    `run` returns None when it finds nothing better than the groups it was given; otherwise the new
    groups with an hour and the pool, which the planner splits into the remaining groups.
    """

    ROUNDS = 600
    DISSOLVE = 4
    WORK_BUDGET = 6_000_000

    def __init__(self, planner: _AvailabilityPlanner, rng: random.Random) -> None:
        self.masks, self.unknown, self.windows = planner.masks, planner.unknown, planner.windows
        self.cap = planner.unknown_cap
        self.rng = rng
        self.unknown_bits = sum(1 << i for i in range(planner.n) if self.unknown[i])
        self.work = 0
        # a group with an hour: [target, learners free at it (a bitset), members (a bitset), size,
        # how many members have unknown availability]
        self.good: list[list[int]] = []
        self.pool = 0
        self.pool_sizes: list[int] = []

    def run(self, groups: Sequence[Sequence[int]]) -> tuple[list[list[int]], list[int], list[int]] | None:
        free_at = self._free_learners()
        for group in groups:
            members = sum(1 << i for i in group)
            shared = _and_all(self.masks, group)
            if _slots(shared) < HOUR_SLOTS:
                self.pool |= members
                self.pool_sizes.append(len(group))
                continue
            hours = _hour_windows(shared)
            if hours:  # the hour most learners are free for: the most room for chains
                target = 0b1111 << max(_bits(hours), key=lambda b: (free_at[b].bit_count(), -b))
                free = free_at[target.bit_length() - 4]
            else:  # quarter-hours that are not a whole hour
                target = shared & _FULL_WEEK
                free = sum(1 << i for i, m in enumerate(self.masks)
                           if not self.unknown[i] and m & target == target)
            self.good.append([target, free, members, len(group), sum(self.unknown[i] for i in group)])
        start = len(self.good)
        candidates = self._candidates(free_at, min(len(g) for g in groups))
        covered = 0
        for _, free in candidates:
            covered |= free
        hopeless = [i for i in range(len(self.masks)) if not self.unknown[i] and not covered >> i & 1]
        self._fill(candidates)
        best = self._snapshot()
        for _ in range(self.ROUNDS):
            if not self.good or self.work >= self.WORK_BUDGET or self._at_bound(hopeless):
                break  # (with no group to dissolve, a round would retry the greedy's additions)
            before = self._snapshot()
            count = len(self.good)
            for gi in sorted(self.rng.sample(range(count), min(count, self.rng.randint(1, self.DISSOLVE))),
                             reverse=True):
                _, _, members, size, _ = self.good.pop(gi)
                self.pool |= members
                self.pool_sizes.append(size)
            order = list(candidates)
            self.rng.shuffle(order)
            self._fill(order)
            if len(self.good) < count:
                self._restore(before)
            elif len(self.good) > len(best[0]):
                best = self._snapshot()
        if len(best[0]) <= start:
            return None
        good, pool, pool_sizes = best
        good.sort(key=lambda g: (g[0] & -g[0], g[2] & -g[2]))  # by target in week order, as the greedy
        return [list(_bits(g[2])) for g in good], list(_bits(pool)), pool_sizes

    def _free_learners(self) -> dict[int, int]:
        """For each hour window (by its first quarter-hour), the learners who gave availability free then."""
        free_at: dict[int, int] = {}
        for i, windows in enumerate(self.windows):
            if self.unknown[i]:
                continue
            bit = 1 << i
            for b in _bits(windows):
                free_at[b] = free_at.get(b, 0) | bit
        return free_at

    def _candidates(self, free_at: Mapping[int, int], size_min: int) -> list[tuple[int, int]]:
        """(target, free learners) for hours not dominated by another hour, scarcest first."""
        need = size_min - min(self.cap, self.unknown_bits.bit_count())
        by_set: dict[int, int] = {}
        for b in sorted(free_at):
            free = free_at[b]
            if free.bit_count() >= need:
                by_set.setdefault(free, 0b1111 << b)
        kept: list[int] = []
        for free in sorted(by_set, key=lambda f: -f.bit_count()):
            if not any(free & other == free for other in kept):
                kept.append(free)
        return [(by_set[free], free) for free in reversed(kept)]

    def _at_bound(self, hopeless: Sequence[int]) -> bool:
        """True when every group left in the pool is needed for learners that no candidate fits."""
        if not self.pool_sizes:
            return True
        stuck = sum(self.pool >> i & 1 for i in hopeless)
        return len(self.pool_sizes) <= -(-stuck // max(self.pool_sizes))

    def _snapshot(self) -> tuple[list[list[int]], int, list[int]]:
        return [g[:] for g in self.good], self.pool, self.pool_sizes[:]

    def _restore(self, state: tuple[list[list[int]], int, list[int]]) -> None:
        good, self.pool, pool_sizes = state
        self.good, self.pool_sizes = [g[:] for g in good], pool_sizes[:]

    def _fill(self, candidates: Sequence[tuple[int, int]]) -> None:
        for target, free in candidates:
            while self.pool_sizes and self.work < self.WORK_BUDGET and self._add(target, free):
                pass

    def _add(self, target: int, free: int) -> bool:
        """Give a group of the smallest size left in the pool the target, or change nothing."""
        size = min(self.pool_sizes)
        before = self._snapshot()
        self.good.append([target, free, 0, size, 0])
        for _ in range(size):
            if not self._augment(len(self.good) - 1):
                self._restore(before)
                return False
        self.pool_sizes.remove(size)
        # the groups left in the pool must be able to take its learners of unknown availability
        if (self.pool & self.unknown_bits).bit_count() > self.cap * len(self.pool_sizes):
            self._restore(before)
            return False
        return True

    def _augment(self, new: int) -> bool:
        """One more member for group `new`, through the shortest ejection chain ending in the pool."""
        good, unknown_bits, cap = self.good, self.unknown_bits, self.cap
        count = len(good)
        came_from: dict[int, tuple[int, int] | None] = {new: None}
        frontier = [new]
        while frontier:
            following = []
            for gi in frontier:
                group = good[gi]
                fits = group[1] | unknown_bits if group[4] < cap else group[1]
                from_pool = self.pool & fits
                if from_pool:
                    self._move(_lowest(from_pool & unknown_bits or from_pool), None, gi)
                    while (step := came_from[gi]) is not None:  # back along the chain
                        taker, learner = step
                        self._move(learner, gi, taker)
                        gi = taker
                    return True
                self.work += count
                for hi in range(count):
                    if hi not in came_from:
                        there = good[hi][2] & fits
                        if there:
                            came_from[hi] = (gi, _lowest(there))
                            following.append(hi)
            frontier = following
        return False

    def _move(self, learner: int, source: int | None, gi: int) -> None:
        bit, unknown = 1 << learner, self.unknown[learner]
        if source is None:
            self.pool &= ~bit
        else:
            self.good[source][2] &= ~bit
            self.good[source][4] -= unknown
        self.good[gi][2] |= bit
        self.good[gi][4] += unknown


# --- mixed -----------------------------------------------------------------------------------------


def _spread_backgrounds(
    groups: list[list[int]],
    masks: Sequence[int],
    backgrounds: Sequence[str],
    unknown: Sequence[bool],
    unknown_cap: int,
) -> None:
    """Swap members between nearby groups so each has more distinct backgrounds.

    A swap is made only if it raises the number of distinct backgrounds of the two
    groups together, neither group drops under the shared time it must keep (one
    hour when it had at least one hour, otherwise what it had), and neither ends up
    with more than `unknown_cap` learners of unknown availability.
    """
    reach = 6
    shared = [_and_all(masks, g) for g in groups]
    tallies = [_tally(backgrounds, g) for g in groups]
    unknown_in = [sum(unknown[i] for i in g) for g in groups]
    count = len(groups)
    for _ in range(3):
        changed = False
        for gi in range(count):
            if len(tallies[gi]) == len(groups[gi]):
                continue  # already all different
            for hi in range(max(0, gi - reach), min(count, gi + reach + 1)):
                if hi != gi and _diversity_swap(
                    groups, shared, tallies, masks, backgrounds, (unknown, unknown_in, unknown_cap), gi, hi
                ):
                    changed = True
        if not changed:
            break


def _tally(backgrounds: Sequence[str], group: Sequence[int]) -> dict[str, int]:
    tally: dict[str, int] = {}
    for i in group:
        tally[backgrounds[i]] = tally.get(backgrounds[i], 0) + 1
    return tally


def _diversity_swap(
    groups: list[list[int]],
    shared: list[int],
    tallies: list[dict[str, int]],
    masks: Sequence[int],
    backgrounds: Sequence[str],
    unknowns: tuple[Sequence[bool], list[int], int],
    gi: int,
    hi: int,
) -> bool:
    unknown, unknown_in, unknown_cap = unknowns
    g, h = groups[gi], groups[hi]
    tg, th = tallies[gi], tallies[hi]
    keep_g = min(_slots(shared[gi]), HOUR_SLOTS)
    keep_h = min(_slots(shared[hi]), HOUR_SLOTS)
    g_without = h_without = None
    best = None
    for a_pos, a in enumerate(g):
        bg_a = backgrounds[a]
        if tg[bg_a] < 2:
            continue  # moving a unique background out of g gains nothing there
        for b_pos, b in enumerate(h):
            bg_b = backgrounds[b]
            if bg_b == bg_a or bg_b in tg:
                continue
            if unknown[a] != unknown[b] and unknown_in[hi if unknown[a] else gi] >= unknown_cap:
                continue  # would put one learner of unknown availability too many in a group
            # g: loses nothing (a's background stays), gains b's; h: loses b's if unique, gains a's if new
            gain = 1 - (th[bg_b] == 1) + (bg_a not in th)
            if gain <= 0 or (best is not None and gain <= best[0]):
                continue
            if g_without is None:
                g_without, h_without = _all_but_one(masks, g), _all_but_one(masks, h)
            new_g = g_without[a_pos] & masks[b]
            new_h = h_without[b_pos] & masks[a]
            if _slots(new_g) < keep_g or _slots(new_h) < keep_h:
                continue
            best = (gain, a_pos, b_pos, new_g, new_h)
    if best is None:
        return False
    _, a_pos, b_pos, new_g, new_h = best
    a, b = g[a_pos], h[b_pos]
    g[a_pos], h[b_pos] = b, a
    shared[gi], shared[hi] = new_g, new_h
    moved = unknown[a] - unknown[b]
    unknown_in[gi] -= moved
    unknown_in[hi] += moved
    for tally, out, into in ((tg, a, b), (th, b, a)):
        tally[backgrounds[out]] -= 1
        if not tally[backgrounds[out]]:
            del tally[backgrounds[out]]
        tally[backgrounds[into]] = tally.get(backgrounds[into], 0) + 1
    return True


# --- one newcomer ----------------------------------------------------------------------------------


def best_group_for(
    newcomer: Learner,
    groups_with_members: Mapping[Hashable, Sequence[Learner]] | Sequence[Sequence[Learner]],
    size_max: int,
    *,
    reference_date: date,
) -> Hashable | None:
    """The group (its key, or index for a sequence) a newcomer should join, or None if all are full.

    Among groups with fewer than size_max members, as at formation, members whose availability
    is unknown constrain nobody:

    - a newcomer who gave availability: the most weekly time shared with the group's members
      who gave theirs (a group where nobody did counts as sharing nothing), then the most members
      in the newcomer's timezone, then the fewest members of unknown availability, then the
      smallest group, then the first given;
    - a newcomer whose availability is unknown: the fewest members of unknown availability
      (they are spread), then the most time the group's members share, then the same timezone,
      then the smallest, then the first.
    """
    items = groups_with_members.items() if isinstance(groups_with_members, Mapping) else enumerate(
        groups_with_members
    )
    newcomer_unknown = newcomer.availability_unknown
    newcomer_week = () if newcomer_unknown else to_utc_week(
        newcomer.availability, newcomer.timezone, reference_date
    )
    best_key: Hashable | None = None
    best_rank: tuple[int, int, int, int] | None = None
    for key, members in items:
        if len(members) >= size_max:
            continue
        known = [to_utc_week(m.availability, m.timezone, reference_date)
                 for m in members if not m.availability_unknown]
        unknown = len(members) - len(known)
        minutes = shared_minutes(known if newcomer_unknown else [newcomer_week, *known]) if known else 0
        same_tz = sum(1 for m in members if m.timezone == newcomer.timezone)
        if newcomer_unknown:
            rank = (-unknown, minutes, same_tz, -len(members))
        else:
            rank = (minutes, same_tz, -unknown, -len(members))
        if best_rank is None or rank > best_rank:
            best_key, best_rank = key, rank
    return best_key
