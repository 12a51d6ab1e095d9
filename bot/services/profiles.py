"""Learner profiles: city, region, timezone, weekly availability, a short "about me"."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import select

from bot.clock import Clock
from bot.errors import DomainError
from bot.services.availability import WeeklyAvailability, parse_availability, resolve_timezone
from bot.services.places import timezone_of
from bot.services.reminders import parse_lead
from storage.db import SessionFactory
from storage.models import Profile

LIMITS = {"city": 100, "region": 100, "availability": 300, "about": 400}


class NothingToSet(DomainError):
    key = "profile.error.nothing"


class TooLong(DomainError):
    key = "profile.error.too_long"


@dataclass(frozen=True)
class ProfileView:
    user_id: int
    city: str | None
    region: str | None
    timezone: str | None
    availability_text: str | None
    availability: WeeklyAvailability
    about: str | None
    reminder_minutes: int | None = None  # their own meetup reminder (private, not on the card)
    timezone_guessed: bool = False  # not given: the zone of their city or region (places.timezone_of)


def view(profile: Profile | None, user_id: int) -> ProfileView:
    if profile is None:
        return ProfileView(user_id, None, None, None, None, WeeklyAvailability(), None)
    try:
        avail = parse_availability(profile.availability or "")
    except DomainError:  # stored text that an older parser accepted
        avail = WeeklyAvailability()
    zone = profile.timezone
    guessed = zone is None and (zone := timezone_of(profile.city or "", profile.region or "")) is not None
    return ProfileView(
        user_id,
        profile.city,
        profile.region,
        zone,
        profile.availability,
        avail,
        profile.about,
        profile.reminder_minutes,
        guessed,
    )


class ProfileService:
    def __init__(self, sessions: SessionFactory, clock: Clock) -> None:
        self._sessions = sessions
        self._clock = clock

    async def set(
        self,
        guild_id: int,
        user_id: int,
        *,
        city: str | None = None,
        region: str | None = None,
        timezone: str | None = None,
        availability: str | None = None,
        about: str | None = None,
        reminder: str | None = None,
        lang: str | None = None,
    ) -> ProfileView:
        """Update the given fields (an empty string clears one). Validates everything first.
        `reminder`: how long before each meetup they want a private reminder ("1h"; "aucun" for
        none), kept with `lang`, the language to write it in."""
        changes: dict[str, str | int | None] = {}
        given = {"city": city, "region": region, "availability": availability, "about": about}
        for name, value in given.items():
            if value is None:
                continue
            value = " ".join(value.split()) if name != "about" else value.strip()
            if len(value) > LIMITS[name]:
                raise TooLong(field=name, max=LIMITS[name])
            changes[name] = value or None
        if "availability" in changes and changes["availability"]:
            parse_availability(changes["availability"])
        if timezone is not None:
            changes["timezone"] = resolve_timezone(timezone).key if timezone.strip() else None
        if reminder is not None:
            changes["reminder_minutes"] = parse_lead(reminder)
            if lang:
                changes["reminder_lang"] = lang
        if not changes:
            raise NothingToSet()
        async with self._sessions() as s, s.begin():
            query = select(Profile).where(Profile.guild_id == guild_id, Profile.user_id == user_id)
            profile = (await s.exec(query)).first()
            if profile is None:
                profile = Profile(guild_id=guild_id, user_id=user_id, updated_at=self._clock.now())
                s.add(profile)
            for key, value in changes.items():
                setattr(profile, key, value)
            profile.updated_at = self._clock.now()
        return view(profile, user_id)

    async def get(self, guild_id: int, user_id: int) -> ProfileView:
        async with self._sessions() as s:
            query = select(Profile).where(Profile.guild_id == guild_id, Profile.user_id == user_id)
            return view((await s.exec(query)).first(), user_id)

    async def many(self, guild_id: int, user_ids: list[int]) -> dict[int, ProfileView]:
        """Profiles of these members (an empty one for those who wrote none)."""
        found: dict[int, Profile] = {}
        async with self._sessions() as s:
            for start in range(0, len(user_ids), 500):
                chunk = user_ids[start : start + 500]
                query = select(Profile).where(Profile.guild_id == guild_id, Profile.user_id.in_(chunk))
                for p in (await s.exec(query)).all():
                    found[p.user_id] = p
        return {uid: view(found.get(uid), uid) for uid in user_ids}
