"""Learners who leave a course: seen when they leave the server, lose the learner role, or are found
gone on start; their place in the group is taken back and teachers are told (see
bot/services/departures.py). `/groups remove` (cogs/groups.py) goes through the same action."""

from __future__ import annotations

import discord
from discord.ext import commands

from bot import i18n
from bot.services.actions import Job, Skip
from bot.services.departures import DEPARTURE_KIND, size_note
from bot.services.groups import GroupInfo
from bot.tree import NO_MENTIONS
from cogs._common import members_known
from cogs.groups import course_lang
from cogs.meetups import meetup_access
from cogs.polls import members_changed
from storage.models import Course


class Departures(commands.Cog):
    def __init__(self, bot: commands.Bot) -> None:
        self.bot = bot
        self.services = bot.services
        self._checked: set[int] = set()

    async def cog_load(self) -> None:
        self.services.runner.register(DEPARTURE_KIND, self.handle)
        self.services.runner.before_run(self.catch_up)

    async def _leave(self, guild_id: int, course_ids: set[int] | None, user: discord.abc.User, reason: str):
        if user.bot:
            return
        left = False
        for course in await self.services.courses.list(guild_id):
            if course_ids is not None and course.id not in course_ids:
                continue
            departure = await self.services.departures.leave(course, user.id, reason, name=user.display_name)
            left = left or departure is not None
        if left:
            await self.services.runner.run_now(DEPARTURE_KIND)

    # --- detection ----------------------------------------------------------------------------------

    @commands.Cog.listener()
    async def on_raw_member_remove(self, payload: discord.RawMemberRemoveEvent) -> None:
        await self._leave(payload.guild_id, None, payload.user, "server")

    @commands.Cog.listener()
    async def on_member_update(self, before: discord.Member, after: discord.Member) -> None:
        removed = {r.id for r in before.roles} - {r.id for r in after.roles}
        if not removed:
            return
        courses = await self.services.courses.list(after.guild.id)
        lost = {c.id for c in courses if c.learner_role_id in removed}
        if lost:
            await self._leave(after.guild.id, lost, after, "role")

    async def catch_up(self) -> None:
        """Learners who left while the bot was away: once per start and guild, as soon as its members
        are known (runs before each action run). Needs the members intent; a course whose learner
        role is gone is left alone (its members did not all leave)."""
        for guild in self.bot.guilds:
            if guild.id in self._checked or not (guild.chunked or self.bot.intents.members):
                continue
            self._checked.add(guild.id)
            if not await members_known(self.bot, guild):
                continue  # a list Discord did not complete: those missing from it may still be here
            for course in await self.services.courses.list(guild.id):
                role = guild.get_role(course.learner_role_id)
                if role is None:
                    continue
                learners = {m.id for m in role.members}
                expected = await self.services.groups.placed_user_ids(course.id)
                expected |= await self.services.newcomers.waiting_ids(course.id)
                for user_id in sorted(expected - learners):
                    member = guild.get_member(user_id)
                    name = member.display_name if member else ""
                    await self.services.departures.leave(course, user_id, "away", name=name)

    # --- the action ---------------------------------------------------------------------------------

    async def handle(self, job: Job) -> None:
        """Take channel access back, refresh the group's polls, tell the teachers (not when a teacher
        did it: their reply says it). Every step may run again after a failure."""
        p = job.payload
        course = await self.services.courses.get(p["course_id"])
        guild = self.bot.get_guild(course.guild_id) if course else None
        if guild is None:
            raise Skip()
        user_id = p["user_id"]
        group = await self.services.groups.get(p["group_id"]) if p.get("group_id") else None
        if group is not None:
            if group.channel_id and guild.get_channel(group.channel_id) is not None:
                try:
                    await self.bot.http.delete_channel_permissions(
                        group.channel_id, user_id, reason="left the group"
                    )
                except discord.NotFound:
                    pass  # no overwrite for them there
            await meetup_access(self.bot, guild, user_id, group.id, allow=False, reason="left the group")
            await members_changed(self.bot, group.id)
        if p["reason"] == "teacher":
            return
        staff = guild.get_channel(course.staff_channel_id)
        if staff is None:
            raise Skip()
        waiting = await self.services.newcomers.waiting_count(course.id) if group is None else 0
        await staff.send(
            departure_text(course, group, p, course_lang(course, guild, self.bot), waiting),
            allowed_mentions=NO_MENTIONS,
            nonce=job.nonce,
        )


def departure_text(course: Course, group: GroupInfo | None, payload: dict, lang: str, waiting: int) -> str:
    """The staff channel's notice of a departure, with what it means for the group's size."""
    user_id = payload["user_id"]
    name = discord.utils.escape_markdown(payload.get("name") or str(user_id))
    member = f"<@{user_id}>"
    if group is None:
        return i18n.t(
            "departure.staff.waiting", lang, name=name, member=member, course=course.name, waiting=waiting
        )
    channel = f"<#{group.channel_id}>" if group.channel_id else ""
    count = len(group.member_ids)
    lines = [
        i18n.t(
            f"departure.staff.{payload['reason']}",
            lang,
            name=name,
            member=member,
            number=group.number,
            channel=channel,
            course=course.name,
            count=count,
        )
    ]
    note = size_note(count, group.number, course.group_size_min)
    if note is not None:
        lines.append(i18n.t(note[0], lang, **note[1]))
    return "\n".join(lines)


async def setup(bot: commands.Bot) -> None:
    await bot.add_cog(Departures(bot))
