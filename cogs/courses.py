"""/course setup and /course settings (teachers)."""

from __future__ import annotations

import discord
from discord import app_commands
from discord.ext import commands

from bot import i18n
from bot.services.courses import CourseInput
from bot.tree import L, reply, tr
from cogs._common import (
    TeacherCog,
    course_autocomplete,
    course_for,
    services,
    timezone_autocomplete,
)
from storage.models import Course


def settings_embed(course: Course, interaction: discord.Interaction) -> discord.Embed:
    yes_no = tr(interaction, "common.yes" if course.teachers_see_groups else "common.no")
    return discord.Embed(
        title=tr(interaction, "course.settings.title", name=course.name),
        description=tr(
            interaction,
            "course.settings.body",
            learner_role=f"<@&{course.learner_role_id}>",
            teacher_role=f"<@&{course.teacher_role_id}>",
            staff_channel=f"<#{course.staff_channel_id}>",
            timezone=course.timezone,
            start_date=course.start_date.isoformat(),
            min=course.group_size_min,
            max=course.group_size_max,
            teachers_see=yes_no,
            category=course.category_name,
            min_attendees=course.meetup_min_attendees,
            keep_voice=tr(interaction, "common.yes" if course.keep_voice_channels else "common.no"),
            language=tr(interaction, f"course.language.{course.language or 'server'}"),
        ),
        colour=discord.Colour.green(),
    )


# The options /course setup and /course settings share.
SETTING_DESCRIPTIONS = {
    "teacher_role": L("opt.teacher_role"),
    "staff_channel": L("opt.staff_channel"),
    "timezone": L("opt.timezone"),
    "start_date": L("opt.start_date"),
    "group_min": L("opt.group_min"),
    "group_max": L("opt.group_max"),
    "teachers_see_groups": L("opt.teachers_see_groups"),
    "category_name": L("opt.category_name"),
    "name": L("opt.course_name"),
    "language": L("opt.course_language"),
}
# Each language in its own name: a teacher finds theirs whatever their Discord's language.
LANGUAGE_CHOICES = [
    app_commands.Choice(name="Français", value="fr"),
    app_commands.Choice(name="English", value="en"),
]


def setup_language(interaction: discord.Interaction) -> str:
    """A new course's language when the teacher chooses none: French when the server says so (set on
    purpose: Discord's default is en-US), else the teacher's own Discord language, else the server's,
    else the bot's default."""
    server = interaction.guild.preferred_locale.value if interaction.guild else None
    if i18n.language_of(server) == "fr":
        return "fr"
    default = interaction.client.settings.bot.default_locale
    return i18n.pick_language(interaction.locale.value, server, default=default)


class Courses(TeacherCog, group_name="course", group_description=L("cmd.course")):
    @app_commands.command(name="setup", description=L("cmd.course.setup"))
    @app_commands.describe(learner_role=L("opt.learner_role"), **SETTING_DESCRIPTIONS)
    @app_commands.autocomplete(timezone=timezone_autocomplete)
    @app_commands.choices(language=LANGUAGE_CHOICES)
    async def setup(
        self,
        interaction: discord.Interaction,
        learner_role: discord.Role,
        teacher_role: discord.Role,
        staff_channel: discord.TextChannel,
        timezone: str | None = None,
        start_date: str | None = None,
        group_min: app_commands.Range[int, 2, 25] | None = None,
        group_max: app_commands.Range[int, 2, 25] | None = None,
        teachers_see_groups: bool | None = None,
        category_name: app_commands.Range[str, 1, 100] | None = None,
        name: app_commands.Range[str, 1, 100] | None = None,
        language: str | None = None,
    ) -> None:
        course, created = await services(interaction).courses.setup(
            interaction.guild.id,
            CourseInput(
                learner_role_id=learner_role.id,
                teacher_role_id=teacher_role.id,
                staff_channel_id=staff_channel.id,
                name=name or learner_role.name,
                timezone=timezone,
                start_date=start_date,
                group_size_min=group_min,
                group_size_max=group_max,
                teachers_see_groups=teachers_see_groups,
                category_name=category_name,
                language=language,
                default_language=setup_language(interaction),
            ),
        )
        text = tr(interaction, "course.created" if created else "course.updated", name=course.name)
        await reply(interaction, text, embed=settings_embed(course, interaction))

    @app_commands.command(name="settings", description=L("cmd.course.settings"))
    @app_commands.describe(
        course=L("opt.course"),
        meetup_min_attendees=L("opt.meetup_min_attendees"),
        keep_voice_channels=L("opt.keep_voice_channels"),
        **SETTING_DESCRIPTIONS,
    )
    @app_commands.autocomplete(course=course_autocomplete, timezone=timezone_autocomplete)
    @app_commands.choices(language=LANGUAGE_CHOICES)
    async def settings(
        self,
        interaction: discord.Interaction,
        course: str | None = None,
        teacher_role: discord.Role | None = None,
        staff_channel: discord.TextChannel | None = None,
        timezone: str | None = None,
        start_date: str | None = None,
        group_min: app_commands.Range[int, 2, 25] | None = None,
        group_max: app_commands.Range[int, 2, 25] | None = None,
        teachers_see_groups: bool | None = None,
        category_name: app_commands.Range[str, 1, 100] | None = None,
        name: app_commands.Range[str, 1, 100] | None = None,
        meetup_min_attendees: app_commands.Range[int, 2, 25] | None = None,
        keep_voice_channels: bool | None = None,
        language: str | None = None,
    ) -> None:
        current = await course_for(interaction, course)
        changes = {
            "teacher_role_id": teacher_role.id if teacher_role else None,
            "staff_channel_id": staff_channel.id if staff_channel else None,
            "timezone": timezone,
            "start_date": start_date,
            "group_size_min": group_min,
            "group_size_max": group_max,
            "teachers_see_groups": teachers_see_groups,
            "category_name": category_name,
            "name": name,
            "meetup_min_attendees": meetup_min_attendees,
            "keep_voice_channels": keep_voice_channels,
            "language": language,
        }
        changes = {k: v for k, v in changes.items() if v is not None}
        if changes:
            current = await services(interaction).courses.update(current.id, **changes)
            await reply(
                interaction,
                tr(interaction, "course.updated", name=current.name),
                embed=settings_embed(current, interaction),
            )
        else:
            await reply(interaction, embed=settings_embed(current, interaction))


async def setup(bot: commands.Bot) -> None:
    await bot.add_cog(Courses(bot))
