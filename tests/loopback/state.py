"""In-memory Discord state, stored as Discord-shaped JSON dicts (ids as strings)."""

from __future__ import annotations

import asyncio
import datetime as dt
import itertools
import time
from dataclasses import dataclass, field
from typing import Any

DISCORD_EPOCH_MS = 1_420_070_400_000
ALL_PERMISSIONS = (1 << 51) - 1
# add reactions, view channel, send messages, embed links, attach files, read history, connect, speak,
# use application commands
EVERYONE_PERMISSIONS = sum(1 << bit for bit in (6, 10, 11, 14, 15, 16, 20, 21, 31))


def now_iso() -> str:
    return dt.datetime.now(dt.UTC).isoformat()


def shard_of(guild_id: str | int, shard_count: int) -> int:
    """Discord's rule: a guild's events go to shard (guild_id >> 22) % shard_count."""
    return (int(guild_id) >> 22) % shard_count


class Snowflakes:
    """Increasing snowflakes whose timestamp is the current time."""

    def __init__(self) -> None:
        self._counter = itertools.count()

    def __call__(self) -> str:
        ms = int(time.time() * 1000) - DISCORD_EPOCH_MS
        return str((ms << 22) | (next(self._counter) & 0x3FFFFF))


@dataclass
class InteractionRecord:
    """One interaction sent to the bot, and everything the bot answered to it."""

    id: str
    token: str
    payload: dict[str, Any]
    response: dict[str, Any] | None = None  # the callback body ({"type": 4, "data": {...}})
    original: dict[str, Any] | None = None  # the message object of @original, after edits
    edits: list[dict[str, Any]] = field(default_factory=list)
    followups: list[dict[str, Any]] = field(default_factory=list)
    responded: asyncio.Event = field(default_factory=asyncio.Event)


class DiscordState:
    def __init__(self) -> None:
        self.next_id = Snowflakes()
        self.application_id = self.next_id()
        self.bot_user = self.user_payload(self.application_id, "LoopbackBot", bot=True)
        self.users: dict[str, dict[str, Any]] = {self.application_id: self.bot_user}
        self.owner = self.add_user("owner")
        self.guilds: dict[str, dict[str, Any]] = {}
        self.roles: dict[str, dict[str, dict[str, Any]]] = {}  # guild -> role id -> role
        self.members: dict[str, dict[str, dict[str, Any]]] = {}  # guild -> user id -> member
        self.channels: dict[str, dict[str, Any]] = {}
        self.messages: dict[str, dict[str, Any]] = {}
        self.global_commands: dict[str, dict[str, Any]] = {}
        self.guild_commands: dict[str, dict[str, dict[str, Any]]] = {}
        self.scheduled_events: dict[str, dict[str, Any]] = {}
        self.interactions: dict[str, InteractionRecord] = {}

    # -- builders ---------------------------------------------------------------------------------
    @staticmethod
    def user_payload(user_id: str, name: str, *, bot: bool = False) -> dict[str, Any]:
        return {
            "id": user_id,
            "username": name,
            "global_name": name,
            "discriminator": "0",
            "avatar": None,
            "bot": bot,
            "system": False,
            "public_flags": 0,
            "flags": 0,
        }

    def add_user(self, name: str, *, bot: bool = False) -> dict[str, Any]:
        user = self.user_payload(self.next_id(), name, bot=bot)
        self.users[user["id"]] = user
        return user

    def add_guild(
        self,
        name: str,
        *,
        preferred_locale: str = "fr",
        owner_id: str | None = None,
        shard: tuple[int, int] | None = None,
    ) -> dict[str, Any]:
        """A guild; ``shard=(k, n)`` picks an id that falls on shard k of n, as Discord computes it."""
        guild_id = self.next_id()
        if shard is not None:
            k, n = shard
            ms = int(guild_id) >> 22
            guild_id = str((((ms - ms % n) + k) << 22) | (int(guild_id) & 0x3FFFFF))
        guild = {
            "id": guild_id,
            "name": name,
            "icon": None,
            "splash": None,
            "discovery_splash": None,
            "owner_id": owner_id or self.owner["id"],
            "afk_channel_id": None,
            "afk_timeout": 300,
            "verification_level": 0,
            "default_message_notifications": 0,
            "explicit_content_filter": 0,
            "features": [],
            "mfa_level": 0,
            "system_channel_id": None,
            "system_channel_flags": 0,
            "rules_channel_id": None,
            "public_updates_channel_id": None,
            "safety_alerts_channel_id": None,
            "vanity_url_code": None,
            "description": None,
            "banner": None,
            "premium_tier": 0,
            "premium_subscription_count": 0,
            "preferred_locale": preferred_locale,
            "nsfw_level": 0,
            "premium_progress_bar_enabled": False,
            "emojis": [],
            "stickers": [],
            "application_id": None,
        }
        self.guilds[guild_id] = guild
        self.roles[guild_id] = {}
        self.members[guild_id] = {}
        self.guild_commands[guild_id] = {}
        self.add_role(guild_id, "@everyone", permissions=EVERYONE_PERMISSIONS, role_id=guild_id)
        bot_role = self.add_role(guild_id, "LoopbackBot", permissions=ALL_PERMISSIONS, managed=True)
        self.add_member(guild_id, self.application_id, roles=[bot_role["id"]])
        self.add_member(guild_id, guild["owner_id"])
        return guild

    def add_role(
        self, guild_id: str, name: str, *, permissions: int = 0, role_id: str | None = None, **extra: Any
    ) -> dict[str, Any]:
        role = {
            "id": role_id or self.next_id(),
            "name": name,
            "color": 0,
            "colors": {"primary_color": 0},
            "hoist": False,
            "icon": None,
            "unicode_emoji": None,
            "position": len(self.roles[str(guild_id)]),
            "permissions": str(permissions),
            "managed": False,
            "mentionable": False,
            "flags": 0,
        }
        role.update(extra)
        self.roles[str(guild_id)][role["id"]] = role
        return role

    def add_member(
        self, guild_id: str, user_id: str, *, roles: list[str] | None = None, nick: str | None = None
    ):
        member = {
            "user": self.users[str(user_id)],
            "nick": nick,
            "avatar": None,
            "banner": None,
            "roles": [str(r) for r in roles or []],
            "joined_at": now_iso(),
            "premium_since": None,
            "deaf": False,
            "mute": False,
            "flags": 0,
            "pending": False,
            "communication_disabled_until": None,
        }
        self.members[str(guild_id)][str(user_id)] = member
        return member

    def add_channel(
        self, guild_id: str | None, name: str | None, type: int = 0, **fields: Any
    ) -> dict[str, Any]:
        channel: dict[str, Any] = {"id": self.next_id(), "type": type, "name": name, "flags": 0}
        if guild_id is not None:
            siblings = [c for c in self.channels.values() if c.get("guild_id") == str(guild_id)]
            channel.update(
                guild_id=str(guild_id),
                position=len(siblings),
                permission_overwrites=[],
                parent_id=None,
                nsfw=False,
            )
            if type in (0, 5):
                channel.update(topic=None, rate_limit_per_user=0, last_message_id=None)
            if type in (2, 13):
                channel.update(bitrate=64000, user_limit=0, rtc_region=None, rate_limit_per_user=0)
        for key, value in fields.items():
            if value is not None:
                channel[key] = value
        if channel.get("parent_id") is not None:
            channel["parent_id"] = str(channel["parent_id"])
        channel["permission_overwrites"] = [
            normalize_overwrite(o) for o in channel.get("permission_overwrites", [])
        ]
        self.channels[channel["id"]] = channel
        return channel

    # -- views ------------------------------------------------------------------------------------
    def member_with_permissions(self, guild_id: str, user_id: str) -> dict[str, Any]:
        member = dict(self.members[str(guild_id)][str(user_id)])
        perms = 0
        for role_id in [str(guild_id), *member["roles"]]:
            role = self.roles[str(guild_id)].get(role_id)
            perms |= int(role["permissions"]) if role else 0
        member["permissions"] = str(ALL_PERMISSIONS if perms & 0x8 else perms)
        return member

    def guild_create_payload(self, guild_id: str) -> dict[str, Any]:
        guild = dict(self.guilds[guild_id])
        members = list(self.members[guild_id].values())
        guild.update(
            roles=list(self.roles[guild_id].values()),
            channels=[c for c in self.channels.values() if c.get("guild_id") == guild_id],
            members=members,
            member_count=len(members),
            large=False,
            unavailable=False,
            joined_at=now_iso(),
            voice_states=[],
            presences=[],
            threads=[],
            stage_instances=[],
            guild_scheduled_events=[e for e in self.scheduled_events.values() if e["guild_id"] == guild_id],
            soundboard_sounds=[],
        )
        return guild

    def guild_of_channel(self, channel_id: str) -> str | None:
        channel = self.channels.get(str(channel_id))
        return channel.get("guild_id") if channel else None


def normalize_overwrite(overwrite: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": str(overwrite["id"]),
        "type": int(overwrite.get("type") or 0),
        "allow": str(overwrite.get("allow") or 0),
        "deny": str(overwrite.get("deny") or 0),
    }
