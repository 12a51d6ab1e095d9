"""Helpers shared by the cogs: who is a teacher, which course a command is about, whether a
guild's member list is known."""

from __future__ import annotations

import asyncio
import logging
import weakref

import discord
from discord import app_commands
from discord.ext import commands

from storage.models import Course

log = logging.getLogger(__name__)

CHUNK_WAIT = 10.0  # seconds to wait for a guild's member list (per 5 000 members)
_not_sent: weakref.WeakKeyDictionary[discord.Client, set[int]] = weakref.WeakKeyDictionary()


async def members_known(client: discord.Client, guild: discord.Guild) -> bool:
    """Whether the guild's member list is known: it came whole with the guild, or Discord sent it
    when asked (as many members as the guild counts, when it gives a count). Asked once, never
    waited for long: a Discord that does not answer must not hold the caller (the action run, and
    every scheduled job behind it), and a list that may lack members must not be read as those
    members having left."""
    if guild.chunked:
        return True
    not_sent = _not_sent.setdefault(client, set())
    if not client.intents.members or guild.id in not_sent:
        return False
    try:
        await asyncio.wait_for(guild.chunk(), CHUNK_WAIT * max(1.0, (guild.member_count or 0) / 5000))
    except TimeoutError:
        not_sent.add(guild.id)
        log.warning("guild %s: Discord did not send its member list", guild.id)
        return False
    if guild.member_count is not None and not guild.chunked:
        not_sent.add(guild.id)
        sent, count = len(guild.members), guild.member_count
        log.warning("guild %s: Discord sent %d of %d members", guild.id, sent, count)
        return False
    return True


async def bot_member(guild: discord.Guild, client: discord.Client) -> discord.Member:
    """The bot's own member, with its roles. Discord sends it with the guild; when one does not,
    discord.py puts a stand-in without roles (nor join date) in its place on the first interaction,
    which would read as a bot allowed nothing: ask Discord instead."""
    me = guild.me
    if me is None or me.joined_at is None:
        me = await guild.fetch_member(client.user.id)
    return me


def bot_target(client: discord.Client) -> discord.Object:
    """The bot as a permission overwrite's target, whether or not its member is known."""
    return discord.Object(client.user.id, type=discord.Member)


def services(interaction: discord.Interaction):
    return interaction.client.services


def role_ids(member: discord.abc.User) -> set[int]:
    return {r.id for r in getattr(member, "roles", ())}


def member_permissions(interaction: discord.Interaction) -> discord.Permissions:
    """The member's permissions as the interaction gives them, and as their roles give them: a
    Discord that leaves them out of the interaction must not turn an administrator away."""
    perms = interaction.permissions
    if isinstance(interaction.user, discord.Member):
        perms |= interaction.user.guild_permissions
    return perms


async def is_teacher(interaction: discord.Interaction) -> bool:
    """Manage Server, or the teacher role of one of the guild's courses."""
    if interaction.guild is None:
        raise app_commands.NoPrivateMessage()
    perms = member_permissions(interaction)
    if perms.manage_guild or perms.administrator:
        return True
    courses = await services(interaction).courses.list(interaction.guild.id)
    mine = role_ids(interaction.user)
    return any(c.teacher_role_id in mine for c in courses)


async def course_for(interaction: discord.Interaction, name: str | None = None) -> Course:
    return await services(interaction).courses.resolve(interaction.guild.id, name, role_ids(interaction.user))


async def course_autocomplete(
    interaction: discord.Interaction, current: str
) -> list[app_commands.Choice[str]]:
    if interaction.guild is None:
        return []
    courses = await services(interaction).courses.list(interaction.guild.id)
    needle = current.casefold()
    return [
        app_commands.Choice(name=c.name[:100], value=c.name[:100])
        for c in courses
        if needle in c.name.casefold()
    ][:25]


async def timezone_autocomplete(
    interaction: discord.Interaction, current: str
) -> list[app_commands.Choice[str]]:
    from bot.services.courses import suggest_timezones

    return [app_commands.Choice(name=z, value=z) for z in suggest_timezones(current)]


def message_text(message: discord.Message) -> str:
    """What a message asks: its content, and for the opening message of a forum post (whose id is
    the post's own) the post's title first, which is often the question itself."""
    if isinstance(message.channel, discord.Thread) and message.id == message.channel.id:
        return f"{message.channel.name}\n{message.content}".strip()
    return message.content


@app_commands.guild_only()
@app_commands.default_permissions(manage_guild=True)
class TeacherCog(commands.GroupCog):
    """A teachers' command group: shown by default to members with Manage Server, and checked on
    the server for every command (Manage Server, or a course's teacher role) — never visibility alone.
    Subclasses pass `group_name=` and `group_description=`."""

    def __init__(self, bot: commands.Bot) -> None:
        self.bot = bot

    async def interaction_check(self, interaction: discord.Interaction) -> bool:
        return await is_teacher(interaction)
