"""/profile set and /profile show (learners): the intro card."""

from __future__ import annotations

import discord
from discord import app_commands
from discord.ext import commands

from bot import i18n
from bot.services.availability import format_availability
from bot.services.profiles import ProfileView
from bot.services.reminders import lead_parts
from bot.tree import L, lang_of, reply, tr
from cogs._common import services, timezone_autocomplete


def intro_card(name: str, profile: ProfileView, lang: str, avatar_url: str | None = None) -> discord.Embed:
    """A member's intro card, as shown by /profile show and in a group's icebreaker."""
    embed = discord.Embed(title=i18n.t("profile.card.title", lang, name=name), colour=discord.Colour.teal())
    if avatar_url:
        embed.set_thumbnail(url=avatar_url)
    unknown = i18n.t("profile.card.unknown", lang)
    if not any((profile.city, profile.region, profile.timezone, profile.availability_text, profile.about)):
        embed.description = i18n.t("profile.card.empty", lang)
        return embed
    where = ", ".join(x for x in (profile.city, profile.region) if x) or unknown
    embed.add_field(name=i18n.t("profile.card.where", lang), value=where[:1024], inline=True)
    zone = profile.timezone or unknown
    if profile.timezone_guessed:  # "America/Guadeloupe (from the place given)": set it if wrong
        zone = i18n.t("profile.card.timezone_guessed", lang, zone=profile.timezone)
    embed.add_field(name=i18n.t("profile.card.timezone", lang), value=zone, inline=True)
    when = format_availability(profile.availability, lang) if profile.availability else unknown
    embed.add_field(name=i18n.t("profile.card.availability", lang), value=when[:1024], inline=False)
    if profile.about:
        embed.add_field(name=i18n.t("profile.card.about", lang), value=profile.about[:1024], inline=False)
    return embed


def format_lead(minutes: int, lang: str) -> str:
    """ "1 h 30", "45 min", "1 jour", "2 days 3 h" — a reminder time in the reader's language."""
    days, hours, mins = lead_parts(minutes)
    parts = []
    if days:
        unit = i18n.t("reminder.unit.day", lang)
        parts.append(f"{days} {unit}{'s' if days > 1 else ''}")
    if hours:
        parts.append(f"{hours} h" + (f" {mins:02d}" if mins else ""))
    elif mins:
        parts.append(f"{mins} min")
    return " ".join(parts)


@app_commands.guild_only()
class Profiles(commands.GroupCog, group_name="profile", group_description=L("cmd.profile")):
    def __init__(self, bot: commands.Bot) -> None:
        self.bot = bot

    @app_commands.command(name="set", description=L("cmd.profile.set"))
    @app_commands.describe(
        city=L("opt.city"),
        region=L("opt.region"),
        timezone=L("opt.timezone"),
        availability=L("opt.availability"),
        about=L("opt.about"),
        reminder=L("opt.reminder"),
    )
    @app_commands.autocomplete(timezone=timezone_autocomplete)
    async def set_(
        self,
        interaction: discord.Interaction,
        city: str | None = None,
        region: str | None = None,
        timezone: str | None = None,
        availability: str | None = None,
        about: str | None = None,
        reminder: str | None = None,
    ) -> None:
        svc = services(interaction)
        lang = lang_of(interaction)
        profile = await svc.profiles.set(
            interaction.guild.id,
            interaction.user.id,
            city=city,
            region=region,
            timezone=timezone,
            availability=availability,
            about=about,
            reminder=reminder,
            lang=lang,
        )
        card = intro_card(interaction.user.display_name, profile, lang, interaction.user.display_avatar.url)
        lines = [tr(interaction, "profile.saved")]
        if reminder is not None:
            await svc.reminders.replan(interaction.guild.id, interaction.user.id)
            lead = profile.reminder_minutes
            lines.append(
                tr(interaction, "reminder.set", lead=format_lead(lead, lang))
                if lead
                else tr(interaction, "reminder.off")
            )
        await reply(interaction, "\n".join(lines), embed=card)

    @app_commands.command(name="show", description=L("cmd.profile.show"))
    @app_commands.describe(member=L("opt.member"))
    async def show(self, interaction: discord.Interaction, member: discord.Member | None = None) -> None:
        who = member or interaction.user
        profile = await services(interaction).profiles.get(interaction.guild.id, who.id)
        await reply(
            interaction,
            embed=intro_card(who.display_name, profile, lang_of(interaction), who.display_avatar.url),
        )


async def setup(bot: commands.Bot) -> None:
    await bot.add_cog(Profiles(bot))
