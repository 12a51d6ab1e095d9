"""Learners arriving mid-course: placed in a group, given access, welcomed with a catch-up, sent a DM
on filling in their profile, announced to teachers — each step exactly once (action queue)."""

from __future__ import annotations

import logging

import discord
from discord.ext import commands
from discord.utils import format_dt

from bot import i18n
from bot.services.actions import Job, Skip
from bot.services.newcomers import newcomer_key
from bot.tree import NO_MENTIONS
from cogs._common import members_known
from cogs.groups import build_channels, course_lang
from cogs.meetups import meetup_access
from cogs.profiles import intro_card

log = logging.getLogger(__name__)

MEMBER_ALLOW = discord.PermissionOverwrite(view_channel=True, send_messages=True, read_message_history=True)


def onboarding(member: discord.Member) -> bool:
    """Whether the member is still going through the server's rules screening or Onboarding: they are
    placed and welcomed once they are through (PRODUCT: welcome people after onboarding, not on join)."""
    flags = member.flags
    return member.pending or (flags.started_onboarding and not flags.completed_onboarding)


class Newcomers(commands.Cog):
    def __init__(self, bot: commands.Bot) -> None:
        self.bot = bot
        self.services = bot.services
        self._caught_up: set[int] = set()

    async def cog_load(self) -> None:
        runner = self.services.runner
        runner.register("newcomer", self.place)
        runner.register("newcomer_welcome", self.welcome)
        runner.register("newcomer_dm", self.direct_message)
        runner.register("newcomer_staff", self.announce)
        runner.before_run(self.catch_up)

    # --- detection ----------------------------------------------------------------------------------

    async def _arrived(self, member: discord.Member, role_ids: set[int]) -> None:
        if member.bot or onboarding(member):
            return
        for role_id in role_ids:
            course = await self.services.courses.by_learner_role(member.guild.id, role_id)
            if course is None or not await self.services.newcomers.arrived(course, member.id):
                continue
            payload = {"course_id": course.id, "user_id": member.id}
            await self.services.actions.schedule(
                "newcomer",
                newcomer_key(course.id, member.id),
                self.bot.clock.now(),
                payload,
                guild_id=member.guild.id,
            )

    @commands.Cog.listener()
    async def on_member_update(self, before: discord.Member, after: discord.Member) -> None:
        if onboarding(before) and not onboarding(after):  # through: roles given meanwhile count now
            await self._arrived(after, {r.id for r in after.roles})
            return
        added = {r.id for r in after.roles} - {r.id for r in before.roles}
        if added:
            await self._arrived(after, added)

    @commands.Cog.listener()
    async def on_member_join(self, member: discord.Member) -> None:
        await self._arrived(member, {r.id for r in member.roles})

    async def catch_up(self) -> None:
        """Learners who received the role while the bot was away are placed too: once per start
        and guild, as soon as the guild's members are known (runs before each action run)."""
        for guild in self.bot.guilds:
            if guild.id in self._caught_up or not (guild.chunked or self.bot.intents.members):
                continue  # without the members intent, nobody can be caught up
            self._caught_up.add(guild.id)
            await members_known(self.bot, guild)  # when Discord does not send the list: those it sent
            for course in await self.services.courses.list(guild.id):
                role = guild.get_role(course.learner_role_id)
                learners = [m for m in (role.members if role else []) if not m.bot]
                if not learners:
                    continue
                placed = await self.services.groups.placed_user_ids(course.id)
                for member in learners:
                    if member.id not in placed:
                        await self._arrived(member, {course.learner_role_id})

    # --- steps --------------------------------------------------------------------------------------

    async def _context(self, job: Job):
        course = await self.services.courses.get(job.payload["course_id"])
        guild = self.bot.get_guild(course.guild_id) if course else None
        if guild is None:
            raise Skip()
        return course, guild, course_lang(course, guild, self.bot)

    async def _later(self, kind: str, job: Job, **extra) -> None:
        await self.services.actions.schedule(
            kind, job.key, self.bot.clock.now(), {**job.payload, **extra}, guild_id=job.guild_id
        )

    async def place(self, job: Job) -> None:
        course, guild, _ = await self._context(job)
        placement = await self.services.newcomers.place(course.id, job.payload["user_id"])
        if placement is None:
            raise Skip()
        extra = {"rule": placement.rule, "group_id": placement.group_id, "with": list(placement.placed_with)}
        if placement.rule == "waiting":
            await self._later("newcomer_staff", job, **extra)
            return
        group = await self.services.groups.get(placement.group_id)
        if placement.new_group:
            await build_channels(guild, course, self.bot)  # channel with overwrites + icebreaker
            for other in placement.placed_with:
                await self.services.actions.schedule(
                    "newcomer_dm",
                    newcomer_key(course.id, other),
                    self.bot.clock.now(),
                    {"course_id": course.id, "user_id": other, "group_id": group.id, "rule": "new_group"},
                    guild_id=guild.id,
                )
        else:
            channel = guild.get_channel(group.channel_id) if group.channel_id else None
            member = guild.get_member(job.payload["user_id"])
            if channel is not None and member is not None:
                await channel.set_permissions(member, overwrite=MEMBER_ALLOW, reason="newcomer placed")
            user_id = job.payload["user_id"]
            await meetup_access(self.bot, guild, user_id, group.id, allow=True, reason="newcomer placed")
            await self._later("newcomer_welcome", job, **extra)
        await self._later("newcomer_dm", job, **extra)
        await self.services.activity.watch.refresh_map()

    async def welcome(self, job: Job) -> None:
        course, guild, lang = await self._context(job)
        group = await self.services.groups.get(job.payload["group_id"])
        channel = guild.get_channel(group.channel_id) if group and group.channel_id else None
        if channel is None:
            raise Skip()
        user_id = job.payload["user_id"]
        others = [u for u in group.member_ids if u != user_id]
        profiles = await self.services.profiles.many(guild.id, others)
        cards = []
        for uid in others[:10]:
            member = guild.get_member(uid)
            name = member.display_name if member else str(uid)
            cards.append(intro_card(name, profiles[uid], lang, member.display_avatar.url if member else None))
        lines = [i18n.t("newcomer.welcome", lang, member=f"<@{user_id}>", number=group.number)]
        meetups = await self.services.nudges.recent_meetups(group.id)
        if meetups:
            when = ", ".join(format_dt(m, "f") for m in meetups)
            lines.append(i18n.t("newcomer.meetups", lang, list=when))
        pins = []
        try:
            pins = [m async for m in channel.pins(limit=5)]
        except discord.HTTPException:
            log.info("could not read the pins of channel %s", channel.id)
        if pins:
            lines.append(i18n.t("newcomer.pins", lang, list="\n".join(f"• {m.jump_url}" for m in pins[:5])))
        lines.append(i18n.t("newcomer.cards", lang) if cards else i18n.t("newcomer.no_cards", lang))
        await channel.send(
            "\n".join(lines),
            embeds=cards,
            allowed_mentions=discord.AllowedMentions(
                users=[discord.Object(user_id)], roles=False, everyone=False
            ),
            nonce=job.nonce,
        )

    async def direct_message(self, job: Job) -> None:
        course, guild, lang = await self._context(job)
        user_id = job.payload["user_id"]
        member = guild.get_member(user_id)
        group = await self.services.groups.get(job.payload["group_id"])
        delivered = False
        if member is not None and group is not None:
            try:
                await member.send(
                    i18n.t("newcomer.dm", lang, course=course.name, number=group.number, guild=guild.name),
                    nonce=job.nonce,
                )
                delivered = True
            except discord.Forbidden:  # closed DMs: fine, the teachers are told
                log.info("newcomer %s in guild %s: DMs closed", user_id, guild.id)
        if job.payload.get("rule") == "new_group" and job.payload.get("with") is None:
            return  # another member of a new group: the first newcomer's announcement lists them
        await self._later("newcomer_staff", job, dm=delivered)

    async def announce(self, job: Job) -> None:
        course, guild, lang = await self._context(job)
        staff = guild.get_channel(course.staff_channel_id)
        if staff is None:
            raise Skip()
        p = job.payload
        group = await self.services.groups.get(p["group_id"]) if p.get("group_id") else None
        waiting = await self.services.newcomers.waiting_count(course.id)
        rule = i18n.t(
            f"newcomer.rule.{p['rule']}",
            lang,
            min=course.group_size_min,
            max=course.group_size_max,
            over=course.group_size_max + 1,
            waiting=waiting,
            others=", ".join(f"<@{u}>" for u in p.get("with") or []) or "—",
        )
        lines = [
            i18n.t(
                "newcomer.staff",
                lang,
                member=f"<@{p['user_id']}>",
                course=course.name,
                number=group.number if group else "—",
                channel=f"<#{group.channel_id}>" if group and group.channel_id else "—",
            ),
            rule,
        ]
        if "dm" in p:
            lines.append(i18n.t("newcomer.dm_sent" if p["dm"] else "newcomer.dm_closed", lang))
        await staff.send("\n".join(lines), allowed_mentions=NO_MENTIONS, nonce=job.nonce)


async def setup(bot: commands.Bot) -> None:
    await bot.add_cog(Newcomers(bot))
