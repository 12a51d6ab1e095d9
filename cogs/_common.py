"""Helpers shared by the cogs: who is a teacher, which course a command is about."""

from __future__ import annotations

import discord
from discord import app_commands
from discord.ext import commands

from storage.models import Course


def services(interaction: discord.Interaction):
    return interaction.client.services


def role_ids(member: discord.abc.User) -> set[int]:
    return {r.id for r in getattr(member, "roles", ())}


async def is_teacher(interaction: discord.Interaction) -> bool:
    """Manage Server, or the teacher role of one of the guild's courses."""
    if interaction.guild is None:
        raise app_commands.NoPrivateMessage()
    perms = interaction.permissions
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
