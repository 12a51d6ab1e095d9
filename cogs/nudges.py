"""Weekly nudges to each group and the teachers' weekly digest; /nudges on|off for learners."""

from __future__ import annotations

import logging

import discord
from discord import app_commands
from discord.ext import commands
from discord.utils import format_dt

from bot import i18n
from bot.services.actions import Job, Skip
from bot.services.nudges import deferred_until
from bot.tree import NO_MENTIONS, L, reply, tr
from cogs.groups import course_lang

log = logging.getLogger(__name__)


def mention_list(user_ids) -> str:
    return ", ".join(f"<@{u}>" for u in user_ids)


@app_commands.guild_only()
class Nudges(commands.GroupCog, group_name="nudges", group_description=L("cmd.nudges")):
    def __init__(self, bot: commands.Bot) -> None:
        self.bot = bot
        self.services = bot.services

    async def cog_load(self) -> None:
        runner = self.services.runner
        runner.register("nudge", self.send_nudge)
        runner.register("digest", self.send_digest)
        runner.before_run(self.services.nudges.plan)

    # --- learners -----------------------------------------------------------------------------------

    @app_commands.command(name="on", description=L("cmd.nudges.on"))
    async def on(self, interaction: discord.Interaction) -> None:
        await self.services.nudges.set_pings_safely(interaction.guild.id, interaction.user.id, True)
        await reply(interaction, tr(interaction, "nudges.on"))

    @app_commands.command(name="off", description=L("cmd.nudges.off"))
    async def off(self, interaction: discord.Interaction) -> None:
        await self.services.nudges.set_pings_safely(interaction.guild.id, interaction.user.id, False)
        await reply(interaction, tr(interaction, "nudges.off"))

    # --- scheduled ----------------------------------------------------------------------------------

    async def send_nudge(self, job: Job) -> None:
        svc = self.services
        group = await svc.groups.get(job.payload["group_id"])
        if group is None or group.status != "active" or not group.channel_id:
            raise Skip()
        course = await svc.courses.get(group.course_id)
        guild = self.bot.get_guild(course.guild_id) if course else None
        channel = guild.get_channel(group.channel_id) if guild else None
        if channel is None:
            raise Skip()
        if not job.payload.get("deferred"):
            until = deferred_until(course, self.bot.clock.now())
            if until is not None:  # a late catch-up at night: tomorrow 08:00 instead
                await svc.nudges.defer(job.key, until, job.payload, guild.id)
                return
        lang = course_lang(course, guild, self.bot)
        state = await svc.nudges.group_state(course, group.id)
        quiet = await svc.nudges.opted_out(guild.id, list(group.member_ids))
        pinged = [u for u in group.member_ids if u not in quiet]
        text = i18n.t(
            f"nudge.{state.state}",
            lang,
            mentions=mention_list(pinged),
            messages=state.figures.messages,
            voice=state.figures.voice_minutes,
            members=state.figures.active_members,
            when=format_dt(state.meetup_at, "F") if state.meetup_at else "",
        ).strip()
        pings = discord.AllowedMentions(
            users=[discord.Object(u) for u in pinged], roles=False, everyone=False
        )
        await channel.send(text, allowed_mentions=pings, nonce=job.nonce)

    async def send_digest(self, job: Job) -> None:
        svc = self.services
        course = await svc.courses.get(job.payload["course_id"])
        guild = self.bot.get_guild(course.guild_id) if course else None
        staff = guild.get_channel(course.staff_channel_id) if guild else None
        if staff is None:
            raise Skip()
        lang = course_lang(course, guild, self.bot)
        d = await svc.nudges.digest(course)

        def numbers(values) -> str:
            return ", ".join(str(n) for n in values) or "—"

        lines = [
            i18n.t(f"digest.state.{state}", lang, count=len(groups), groups=numbers(groups))
            for state, groups in d.by_state.items()
        ]
        lines.append("")
        lines.append(
            i18n.t(
                "digest.totals",
                lang,
                messages=d.totals.messages,
                voice=d.totals.voice_minutes,
                members=d.totals.active_members,
            )
        )
        placed = ", ".join(f"<@{u}> → {n}" for u, n, _ in d.newcomers) or "—"
        lines.append(i18n.t("digest.newcomers", lang, count=len(d.newcomers), list=placed, waiting=d.waiting))
        gone = []
        for user_id, number, reason in d.left[:20]:
            where = "digest.left.waiting" if number is None else "digest.left.group"
            why = i18n.t(f"digest.left.{reason}", lang)
            gone.append(f"<@{user_id}> ({i18n.t(where, lang, number=number)}, {why})")
        if d.left:
            more = ["…"] if len(d.left) > len(gone) else []
            lines.append(i18n.t("digest.left", lang, count=len(d.left), list=", ".join(gone + more)))
        lines.append(
            i18n.t(
                "digest.alerts",
                lang,
                quiet=len(d.quiet_groups),
                quiet_groups=numbers(d.quiet_groups),
                isolated=len(d.isolated),
                isolated_list=mention_list(d.isolated[:20]) or "—",
                unanswered=d.unanswered,
            )
        )
        embed = discord.Embed(
            title=i18n.t("digest.title", lang, course=course.name, week=d.week),
            description="\n".join(lines)[:4000],
            colour=discord.Colour.blurple(),
        )
        await staff.send(embed=embed, allowed_mentions=NO_MENTIONS, nonce=job.nonce)


async def setup(bot: commands.Bot) -> None:
    await bot.add_cog(Nudges(bot))
