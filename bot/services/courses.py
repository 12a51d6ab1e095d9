"""Courses: a guild may host several, each with its learner role, teacher role,
staff channel, timezone, start date and group sizes."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo, available_timezones

from sqlmodel import select

from bot import i18n
from bot.clock import Clock
from bot.errors import DomainError, InvalidInput, NotConfigured
from bot.services.availability import resolve_timezone
from bot.services.timewords import MONTH_WORDS, MONTHS, WEEKDAY_WORDS, normalize
from bot.settings import CourseDefaults
from storage.db import SessionFactory
from storage.models import Course

# Offered first by the timezone autocomplete: where our learners live.
COMMON_TIMEZONES = (
    "Europe/Paris",
    "America/Guadeloupe",
    "America/Martinique",
    "America/Cayenne",
    "Indian/Reunion",
    "Indian/Mayotte",
    "Pacific/Noumea",
    "Pacific/Tahiti",
    "America/Miquelon",
    "Europe/Brussels",
    "Europe/Zurich",
    "America/Montreal",
    "Africa/Casablanca",
    "Africa/Dakar",
    "Africa/Abidjan",
    "Europe/London",
    "UTC",
)


class BadDate(InvalidInput):
    key = "course.error.date"


class BadSizes(DomainError):
    key = "course.error.sizes"


class CourseNotFound(DomainError):
    key = "course.error.unknown"


class SeveralCourses(DomainError):
    key = "course.error.several"


class BadLanguage(InvalidInput):
    key = "course.error.language"


def check_language(value: str) -> str:
    """"fr" or "en" (a Discord locale such as "en-GB" is its language)."""
    lang = i18n.language_of(value.strip())
    if lang is None:
        raise BadLanguage(value=value, example="fr")
    return lang


def check_timezone(name: str) -> str:
    """The canonical IANA name ('europe/paris' → 'Europe/Paris'); raises UnknownTimezone."""
    return resolve_timezone(name, example="Europe/Paris, America/Guadeloupe").key


def suggest_timezones(text: str, limit: int = 25) -> list[str]:
    """Autocomplete: the zone the text names when it names one ("La Réunion", "Nouméa", "UTC+4"),
    then our learners' zones, then any IANA zone containing the text (accents ignored)."""
    needle = normalize((text or "").strip()).replace(" ", "_")
    named = []
    if needle:
        try:
            named = [check_timezone(text)]
        except InvalidInput:
            pass
    common = [z for z in COMMON_TIMEZONES if needle in z.lower() and z not in named]
    others = sorted(
        z for z in available_timezones() if needle in z.lower() and z not in common and z not in named
    )
    return (named + common + others)[:limit]


_WEEKDAY = rf"(?:{WEEKDAY_WORDS}\.?,?\s+)?"  # "lundi 7 septembre 2026": the weekday is not read
_DATE_FORMATS = (
    (re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$"), ("y", "m", "d")),
    (re.compile(r"^(\d{1,2})[/.-](\d{1,2})(?:[/.-](\d{4}|\d{2}))?$"), ("d", "m", "y")),
    (
        re.compile(rf"^{_WEEKDAY}(?:le\s+)?(\d{{1,2}})(?:er|st|nd|rd|th)?\s+({MONTH_WORDS})\.?(?:,?\s+(\d{{4}}))?$"),
        ("d", "M", "y"),
    ),
    (
        re.compile(rf"^{_WEEKDAY}({MONTH_WORDS})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?(?:,?\s+(\d{{4}}))?$"),
        ("M", "d", "y"),
    ),
)


def parse_date(text: str, today: date | None = None) -> date:
    """A date as teachers write it: 2026-09-07, 07/09/2026, 07/09/26, 7 septembre 2026, lundi 7
    sept., September 7, 2026 (day first when in figures, as in France). Without a year, the one
    that puts the date nearest `today` (`07/09` in November is the last September)."""
    raw = (text or "").strip()
    plain = " ".join(normalize(raw).split())
    for pattern, order in _DATE_FORMATS:
        m = pattern.match(plain)
        if m is None:
            continue
        parts = dict(zip(order, m.groups(), strict=True))
        day = int(parts["d"])
        month = MONTHS[parts["M"]] if "M" in parts else int(parts["m"])
        try:
            if parts["y"]:
                year = int(parts["y"])
                return date(year + 2000 if year < 100 else year, month, day)
            if today is not None:
                near = [date(today.year + k, month, day) for k in (-1, 0, 1)]
                return min(near, key=lambda d: abs(d - today))
        except ValueError:
            pass
        break
    raise BadDate(value=raw, example="2026-09-07 / 07/09/2026 / 7 septembre 2026")


def check_sizes(size_min: int, size_max: int) -> None:
    if size_min < 2 or size_max > 25 or size_min > size_max:
        raise BadSizes(min=size_min, max=size_max)


@dataclass(frozen=True)
class CourseInput:
    learner_role_id: int
    teacher_role_id: int
    staff_channel_id: int
    name: str
    timezone: str | None = None
    start_date: str | None = None
    group_size_min: int | None = None
    group_size_max: int | None = None
    teachers_see_groups: bool | None = None
    category_name: str | None = None
    language: str | None = None  # chosen by the teacher ("fr" / "en")
    default_language: str = i18n.DEFAULT_LANGUAGE  # a new course's when none is chosen


EDITABLE = (
    "name",
    "teacher_role_id",
    "staff_channel_id",
    "timezone",
    "start_date",
    "group_size_min",
    "group_size_max",
    "teachers_see_groups",
    "category_name",
    "meetup_min_attendees",
    "keep_voice_channels",
    "language",
)


class CourseService:
    def __init__(self, sessions: SessionFactory, clock: Clock, defaults: CourseDefaults) -> None:
        self._sessions = sessions
        self._clock = clock
        self._defaults = defaults
        self._languages: dict[int, dict[int, str]] = {}  # guild → course → language, for guild_language

    async def load_languages(self) -> None:
        """Read every course's language (on start); setup and update keep the map current."""
        self._languages = {}
        for course in await self.all():
            self._remember(course)

    def _remember(self, course: Course) -> None:
        if course.language:
            self._languages.setdefault(course.guild_id, {})[course.id] = course.language

    def guild_language(self, guild_id: int) -> str | None:
        """The language of the guild's courses, for what the bot posts there without a course at
        hand (that of its first course when they differ); None when no course has one."""
        languages = self._languages.get(guild_id)
        return languages[min(languages)] if languages else None

    def today(self, timezone: str) -> date:
        return self._clock.now().astimezone(ZoneInfo(timezone)).date()

    async def setup(self, guild_id: int, data: CourseInput) -> tuple[Course, bool]:
        """Create the course of this learner role, or update it. Returns (course, created)."""
        d = self._defaults
        timezone = check_timezone(data.timezone) if data.timezone else d.timezone
        today = self.today(timezone)
        start = parse_date(data.start_date, today) if data.start_date else today
        size_min = data.group_size_min if data.group_size_min is not None else d.group_size_min
        size_max = data.group_size_max if data.group_size_max is not None else d.group_size_max
        check_sizes(size_min, size_max)
        name = data.name.strip()[:100]
        language = check_language(data.language or data.default_language)
        values = dict(
            name=name,
            teacher_role_id=data.teacher_role_id,
            staff_channel_id=data.staff_channel_id,
            timezone=timezone,
            start_date=start,
            group_size_min=size_min,
            group_size_max=size_max,
            teachers_see_groups=(
                data.teachers_see_groups if data.teachers_see_groups is not None else d.teachers_see_groups
            ),
            category_name=(data.category_name or i18n.t("course.category_default", language, name=name))
            .strip()[:100],
            language=language,
        )
        async with self._sessions() as s, s.begin():
            course = (
                await s.exec(
                    select(Course).where(
                        Course.guild_id == guild_id, Course.learner_role_id == data.learner_role_id
                    )
                )
            ).first()
            created = course is None
            if created:
                course = Course(
                    guild_id=guild_id,
                    learner_role_id=data.learner_role_id,
                    created_at=self._clock.now(),
                    **values,
                )
                s.add(course)
            else:
                for key, value in values.items():
                    setattr(course, key, value)
        self._remember(course)
        return course, created

    async def update(self, course_id: int, **changes) -> Course:
        unknown = set(changes) - set(EDITABLE)
        if unknown:
            raise ValueError(f"not editable: {unknown}")
        async with self._sessions() as s, s.begin():
            course = await s.get(Course, course_id)
            if course is None:
                raise CourseNotFound(name=str(course_id))
            if "timezone" in changes:
                changes["timezone"] = check_timezone(changes["timezone"])
            if "language" in changes:
                changes["language"] = check_language(changes["language"])
            if "start_date" in changes and isinstance(changes["start_date"], str):
                zone = changes.get("timezone", course.timezone)
                changes["start_date"] = parse_date(changes["start_date"], self.today(zone))
            size_min = changes.get("group_size_min", course.group_size_min)
            size_max = changes.get("group_size_max", course.group_size_max)
            check_sizes(size_min, size_max)
            for key, value in changes.items():
                setattr(course, key, value)
        self._remember(course)
        return course

    async def list(self, guild_id: int) -> list[Course]:
        async with self._sessions() as s:
            query = select(Course).where(Course.guild_id == guild_id).order_by(Course.id)
            return list((await s.exec(query)).all())

    async def all(self) -> list[Course]:
        async with self._sessions() as s:
            return list((await s.exec(select(Course).order_by(Course.id))).all())

    async def get(self, course_id: int) -> Course | None:
        async with self._sessions() as s:
            return await s.get(Course, course_id)

    async def by_learner_role(self, guild_id: int, role_id: int) -> Course | None:
        async with self._sessions() as s:
            query = select(Course).where(Course.guild_id == guild_id, Course.learner_role_id == role_id)
            return (await s.exec(query)).first()

    async def resolve(
        self, guild_id: int, name: str | None = None, role_ids: set[int] | None = None
    ) -> Course:
        """The course a command is about: named, else the only one, else the caller's (by role)."""
        courses = await self.list(guild_id)
        if not courses:
            raise NotConfigured()
        if name:
            wanted = name.strip().casefold()
            for course in courses:
                if course.name.casefold() == wanted or str(course.id) == wanted:
                    return course
            raise CourseNotFound(name=name)
        if len(courses) == 1:
            return courses[0]
        if role_ids:
            mine = [c for c in courses if c.learner_role_id in role_ids or c.teacher_role_id in role_ids]
            if len(mine) == 1:
                return mine[0]
        raise SeveralCourses(names=", ".join(c.name for c in courses))

    def is_started(self, course: Course, when: datetime) -> bool:
        return when.astimezone(ZoneInfo(course.timezone)).date() >= course.start_date
