"""A learner's own meetup reminder ("a default reminder time per user", PRODUCT's list of what
users of event bots ask for).

A learner sets, once, how long before a meetup they want a private message (`/profile set
reminder:1h`); every meetup of their group then gets one for them, on top of the group channel's
24 h and 15 min reminders. One action per meetup and learner (`meetup_dm`, key
`meetup:<id>:dm:<user>`), so a learner is reminded once per meetup:
- planned when the meetup is scheduled, for the members who chose a time (`plan_meetup`);
- planned again for their upcoming meetups when a learner sets, changes or removes their time
  (`replan`): reminders not yet sent move, one already sent stays sent;
- checked when due (`due`): the meetup still ahead and not cancelled, the learner still in the
  group, still asking for that reminder (a profile erased by /mydata delete asks for none).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete
from sqlmodel import col, select

from bot.clock import Clock
from bot.errors import InvalidInput
from bot.services.actions import ActionQueue
from bot.services.timewords import normalize
from storage.db import SessionFactory
from storage.models import Action, GroupMember, LearnerGroup, Meetup, Profile

KIND = "meetup_dm"
MIN_LEAD, MAX_LEAD = 5, 7 * 24 * 60  # minutes
LEAD_EXAMPLE = "1h, 30 min, 2h30, 1 jour / 1 day, aucun / none"
_OFF = {"aucun", "aucune", "non", "off", "none", "no", "jamais", "never", "0", "pas de rappel", "sans"}
_UNITS = {
    "semaine": 10080, "semaines": 10080, "week": 10080, "weeks": 10080, "sem": 10080,
    "j": 1440, "jour": 1440, "jours": 1440, "d": 1440, "day": 1440, "days": 1440,
    "h": 60, "heure": 60, "heures": 60, "hour": 60, "hours": 60, "hr": 60, "hrs": 60,
    "min": 1, "mins": 1, "minute": 1, "minutes": 1, "mn": 1, "m": 1,
}  # fmt: skip
_PART = re.compile(r"(\d+(?:[.,]\d+)?)\s*([a-z]+)?")
_FILLER = re.compile(r"\b(avant|before|earlier|plus tot|a l avance|in advance|environ|about)\b")
_JOIN = re.compile(r"^[\s,]*(?:et|and|\+|&)?[\s,]*$")
_DAY_BEFORE = {
    "la veille", "veille", "the day before", "the evening before", "la veille au soir", "the night before",
}  # fmt: skip
# Said in words: "une demi-heure", "half an hour", "un quart d'heure", "une heure", "two hours"
_SPOKEN = (
    (
        re.compile(r"\b(?:(?:une|a|one)\s+)?(?:demi\s*-?\s*heure|half\s+(?:an\s+)?hour)\b|\b1\s*/\s*2\s*h\b"),
        "30 min",
    ),
    (re.compile(r"\btrois\s+quarts?\s+d\s*heure\b|\bthree\s+quarters\s+of\s+an\s+hour\b"), "45 min"),
    (
        re.compile(r"\b(?:(?:un|a|one)\s+)?quart\s+d\s*heure\b|\ba\s+quarter\s+(?:of\s+an\s+)?hour\b"),
        "15 min",
    ),
    (re.compile(r"\bet\s+demie?\b|\band\s+a\s+half\b"), "et 30 min"),  # "1h et demie"
    (re.compile(r"\bet\s+quart\b"), "et 15 min"),
)
_NUMBER_WORDS = {
    "un": 1, "une": 1, "a": 1, "an": 1, "one": 1, "deux": 2, "two": 2, "trois": 3, "three": 3,
    "quatre": 4, "four": 4, "cinq": 5, "five": 5, "six": 6, "dix": 10, "ten": 10, "quinze": 15,
    "fifteen": 15, "vingt": 20, "twenty": 20, "trente": 30, "thirty": 30, "quarante": 40, "forty": 40,
}  # fmt: skip
_NUMBER_WORD = re.compile(r"\b(" + "|".join(_NUMBER_WORDS) + r")\s+(?=[a-z])")


class BadReminder(InvalidInput):
    """A reminder time we cannot read, or out of range. Params: `value`, `example`."""

    key = "reminder.error.bad"


def key_of(meetup_id: int, user_id: int) -> str:
    return f"meetup:{meetup_id}:dm:{user_id}"


def parse_lead(text: str) -> int | None:
    """Minutes before a meetup from "1h", "1 h 30", "90 min", "2 heures avant", "1 jour", "45"
    (minutes); None for "aucun" / "none" / "off". Between 5 minutes and 7 days."""
    raw = " ".join(text.split())
    plain = " ".join(normalize(raw).replace("'", " ").split()).strip(" .!")
    if plain in _DAY_BEFORE:
        return 1440
    for pattern, minutes in _SPOKEN:
        plain = pattern.sub(minutes, plain)
    plain = _NUMBER_WORD.sub(lambda m: f"{_NUMBER_WORDS[m[1]]} ", plain)
    words = " ".join(_FILLER.sub(" ", plain).strip(" .!").split())
    if not words or words in _OFF:
        return None
    if words in _DAY_BEFORE:
        return 1440
    total, pos, unit_before = 0.0, 0, None
    for match in _PART.finditer(words):
        if not _JOIN.match(words[pos : match.start()]):
            raise BadReminder(value=raw, example=LEAD_EXAMPLE)
        number, unit = float(match[1].replace(",", ".")), match[2]
        if unit is None:  # "1h30": minutes after hours; a bare number: minutes
            factor = 1
        elif unit in _UNITS:
            factor = _UNITS[unit]
        else:
            raise BadReminder(value=raw, example=LEAD_EXAMPLE)
        if unit_before == 1 and unit is None:
            raise BadReminder(value=raw, example=LEAD_EXAMPLE)
        total += number * factor
        unit_before, pos = factor, match.end()
    if pos == 0 or words[pos:].strip():
        raise BadReminder(value=raw, example=LEAD_EXAMPLE)
    minutes = round(total)
    if not MIN_LEAD <= minutes <= MAX_LEAD:
        raise BadReminder(value=raw, example=LEAD_EXAMPLE)
    return minutes


def lead_parts(minutes: int) -> tuple[int, int, int]:
    """(days, hours, minutes) of a reminder time, for display."""
    days, rest = divmod(minutes, 1440)
    hours, mins = divmod(rest, 60)
    return days, hours, mins


@dataclass(frozen=True)
class Due:
    """A reminder to send now: the meetup, in the learner's language."""

    meetup_id: int
    group_id: int
    guild_id: int
    channel_id: int | None
    voice_channel_id: int | None
    title: str
    starts_at: datetime
    lang: str | None


class ReminderService:
    def __init__(self, sessions: SessionFactory, clock: Clock, actions: ActionQueue) -> None:
        self._sessions = sessions
        self._clock = clock
        self._actions = actions

    async def plan_meetup(self, meetup_id: int) -> int:
        """A reminder for each member of the meetup's group who chose a time, when still ahead."""
        async with self._sessions() as s:
            meetup = await s.get(Meetup, meetup_id)
            if meetup is None:
                return 0
            rows = (
                await s.exec(
                    select(GroupMember.user_id, Profile.reminder_minutes)
                    .join(LearnerGroup, LearnerGroup.id == GroupMember.group_id)
                    .join(Profile, Profile.user_id == GroupMember.user_id)
                    .where(
                        GroupMember.group_id == meetup.group_id,
                        Profile.guild_id == meetup.guild_id,
                        col(Profile.reminder_minutes).is_not(None),
                    )
                )
            ).all()
        planned = 0
        for user_id, lead in rows:
            planned += await self._plan(meetup, user_id, lead)
        return planned

    async def _plan(self, meetup: Meetup, user_id: int, lead: int) -> int:
        due = meetup.starts_at - timedelta(minutes=lead)
        if due <= self._clock.now() or meetup.status != "scheduled":
            return 0
        payload = {"meetup_id": meetup.id, "user_id": user_id}
        return int(
            await self._actions.schedule(
                KIND, key_of(meetup.id, user_id), due, payload, guild_id=meetup.guild_id
            )
        )

    async def replan(self, guild_id: int, user_id: int) -> int:
        """After the learner set, changed or removed their time: their reminders not yet sent for
        upcoming meetups of their groups on this server are planned again (none when removed)."""
        now = self._clock.now()
        async with self._sessions() as s, s.begin():
            lead = (
                await s.exec(
                    select(Profile.reminder_minutes).where(
                        Profile.guild_id == guild_id, Profile.user_id == user_id
                    )
                )
            ).first()
            meetups = (
                await s.exec(
                    select(Meetup)
                    .join(GroupMember, GroupMember.group_id == Meetup.group_id)
                    .where(
                        GroupMember.user_id == user_id,
                        Meetup.guild_id == guild_id,
                        Meetup.status == "scheduled",
                        Meetup.starts_at > now,
                    )
                )
            ).all()
            if meetups:
                await s.exec(
                    delete(Action).where(
                        Action.kind == KIND,
                        col(Action.key).in_([key_of(m.id, user_id) for m in meetups]),
                        Action.status == "pending",
                    )
                )
        if lead is None:
            return 0
        planned = 0
        for meetup in meetups:
            planned += await self._plan(meetup, user_id, lead)
        return planned

    async def due(self, meetup_id: int, user_id: int) -> Due | None:
        """The reminder to send, or None when it no longer applies."""
        async with self._sessions() as s:
            meetup = await s.get(Meetup, meetup_id)
            if meetup is None or meetup.status != "scheduled" or meetup.starts_at <= self._clock.now():
                return None
            member = (
                await s.exec(
                    select(GroupMember.id).where(
                        GroupMember.group_id == meetup.group_id, GroupMember.user_id == user_id
                    )
                )
            ).first()
            profile = (
                await s.exec(
                    select(Profile).where(Profile.guild_id == meetup.guild_id, Profile.user_id == user_id)
                )
            ).first()
            if member is None or profile is None or profile.reminder_minutes is None:
                return None
            group = await s.get(LearnerGroup, meetup.group_id)
        return Due(
            meetup.id,
            meetup.group_id,
            meetup.guild_id,
            group.channel_id if group else None,
            meetup.voice_channel_id,
            meetup.title,
            meetup.starts_at,
            profile.reminder_lang,
        )
