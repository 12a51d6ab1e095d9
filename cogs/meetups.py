"""/meetup schedule|now|list|cancel, "Schedule it" on a poll result, voice attendance, feedback.

Scheduling creates a voice channel seen only by the group (and the teachers when the course
says so; overwrites inside the create call, in the group channel's category), a guild
scheduled event on it, and an announcement with an `.ics` file; reminders 24 h and 15 min
before, the end (feedback message) and the voice channel's removal are actions in the queue.
"""

from __future__ import annotations

import io
import logging
from datetime import datetime, timedelta

import discord
from discord import app_commands
from discord.ext import commands
from discord.utils import format_dt

from bot import i18n
from bot.errors import NotAllowed
from bot.services.actions import Job, Skip
from bot.services.groups import GroupInfo
from bot.services.ics import meetup_ics
from bot.services.meetups import REMINDERS, VOICE_GRACE, AlreadyScheduled, MeetupNotFound, MeetupView
from bot.services.polls import (
    DATE_EXAMPLE,
    NotAGroupChannel,
    NotAMember,
    PollClosed,
    parse_slots,
    slot_length,
)
from bot.tree import IdButton, L, guarded, jump_url, reply, tr
from cogs._common import bot_target, is_teacher
from cogs.groups import guild_lang
from cogs.profiles import format_lead
from storage.models import Course

log = logging.getLogger(__name__)

REMIND_KINDS = ("meetup_remind", "meetup_end", "meetup_cleanup", "meetup_dm")


MEETUP_MEMBER = discord.PermissionOverwrite(view_channel=True, connect=True, speak=True, stream=True)


def voice_overwrites(
    guild: discord.Guild, client: discord.Client, course: Course, member_ids: tuple[int, ...]
) -> dict[discord.abc.Snowflake, discord.PermissionOverwrite]:
    """@everyone: nothing; the bot: manage; members (and teachers if the course says so): join and talk."""
    member_allow = MEETUP_MEMBER
    overwrites: dict[discord.abc.Snowflake, discord.PermissionOverwrite] = {
        guild.default_role: discord.PermissionOverwrite(view_channel=False, connect=False),
        bot_target(client): discord.PermissionOverwrite(view_channel=True, connect=True),
    }
    if course.teachers_see_groups:
        overwrites[discord.Object(course.teacher_role_id, type=discord.Role)] = member_allow
    for uid in member_ids:
        overwrites[discord.Object(uid, type=discord.Member)] = member_allow
    return overwrites


async def meetup_access(
    client: discord.Client, guild: discord.Guild, user_id: int, group_id: int, *, allow: bool, reason: str
) -> None:
    """A learner placed or moved into the group (`allow`) may join the voice channels of its upcoming
    meetups (and so see their private events); one moved out or gone may not any more. Their own
    reminders follow. Safe to run again."""
    for meetup in await client.services.meetups.upcoming(group_id):
        channel_id = meetup.voice_channel_id
        if not channel_id or guild.get_channel(channel_id) is None:
            continue
        try:
            if allow:
                granted, denied = MEETUP_MEMBER.pair()
                await client.http.edit_channel_permissions(
                    channel_id, user_id, str(granted.value), str(denied.value), 1, reason=reason
                )
            else:
                await client.http.delete_channel_permissions(channel_id, user_id, reason=reason)
        except discord.NotFound:
            pass  # the channel went meanwhile, or they had no overwrite there
    await client.services.reminders.replan(guild.id, user_id)


def live_events(guild: discord.Guild) -> int:
    return sum(
        1
        for e in guild.scheduled_events
        if e.status in (discord.EventStatus.scheduled, discord.EventStatus.active)
    )


async def group_here(interaction: discord.Interaction) -> tuple[GroupInfo, Course]:
    """The group whose channel this is, and its course; members and teachers only."""
    svc = interaction.client.services
    group = await svc.groups.by_channel(interaction.channel_id) if interaction.channel_id else None
    if group is None or group.status != "active":
        raise NotAGroupChannel()
    if interaction.user.id not in group.member_ids and not await is_teacher(interaction):
        raise NotAMember()
    return group, await svc.courses.get(group.course_id)


async def schedule_meetup(
    client: discord.Client,
    guild: discord.Guild,
    group: GroupInfo,
    course: Course,
    *,
    title: str,
    starts_at: datetime,
    length: int,
    created_by: int,
    poll_id: int | None = None,
    now: bool = False,
) -> MeetupView:
    svc = client.services.meetups
    svc.check_room(live_events(guild), await svc.live_count(guild.id))
    meetup = await svc.create(
        group_id=group.id,
        guild_id=guild.id,
        title=title,
        starts_at=starts_at,
        length_minutes=length,
        created_by=created_by,
        poll_id=poll_id,
        now_ok=now,
    )
    lang = guild_lang(guild, client)
    group_channel = guild.get_channel(group.channel_id) if group.channel_id else None
    clock_now = svc.now()
    try:
        voice = await guild.create_voice_channel(
            i18n.t("meetup.voice_name", lang, number=group.number)[:100],
            category=getattr(group_channel, "category", None),
            overwrites=voice_overwrites(guild, client, course, group.member_ids),
            reason=f"meetup {meetup.id} of group {group.number}",
        )
    except discord.HTTPException:
        await svc.delete_unstarted(meetup.id)
        raise
    await svc.attach(meetup.id, voice_channel_id=voice.id)
    event_start = max(meetup.starts_at, clock_now + timedelta(minutes=1))
    try:
        event = await guild.create_scheduled_event(
            name=meetup.title,
            start_time=event_start,
            end_time=max(meetup.ends_at, event_start + timedelta(minutes=15)),
            channel=voice,
            entity_type=discord.EntityType.voice,
            privacy_level=discord.PrivacyLevel.guild_only,
            description=i18n.t("meetup.event_description", lang, number=group.number)[:1000],
            reason=f"meetup {meetup.id}",
        )
    except discord.HTTPException:
        await voice.delete(reason="meetup event refused")
        await svc.delete_unstarted(meetup.id)
        raise
    await svc.attach(meetup.id, event_id=event.id)
    actions = client.services.actions
    key = f"meetup:{meetup.id}"
    for label, before in REMINDERS:
        at = meetup.starts_at - before
        if at > clock_now:
            await actions.schedule(
                "meetup_remind",
                f"{key}:{label}",
                at,
                {"meetup_id": meetup.id, "when": label},
                guild_id=guild.id,
            )
    await client.services.reminders.plan_meetup(meetup.id)  # each member's own reminder, if they chose one
    await actions.schedule(
        "meetup_end", f"{key}:end", meetup.ends_at, {"meetup_id": meetup.id}, guild_id=guild.id
    )
    await actions.schedule(
        "meetup_cleanup",
        f"{key}:cleanup:0",
        meetup.ends_at + VOICE_GRACE,
        {"meetup_id": meetup.id, "n": 0},
        guild_id=guild.id,
    )
    if group_channel is not None:
        ics = meetup_ics(
            uid=f"meetup-{meetup.id}-{guild.id}@cohort",
            title=meetup.title,
            starts_at=meetup.starts_at,
            ends_at=meetup.ends_at,
            stamp=clock_now,
            description=i18n.t("meetup.event_description", lang, number=group.number),
        )
        text = i18n.t(
            "meetup.announce",
            lang,
            title=meetup.title,
            when=format_dt(meetup.starts_at, "F"),
            relative=format_dt(meetup.starts_at, "R"),
            length=length,
            voice=voice.mention,
            event=f"https://discord.com/events/{guild.id}/{event.id}",
        )
        await group_channel.send(
            text,
            file=discord.File(io.BytesIO(ics), filename=f"meetup-{meetup.id}.ics"),
            allowed_mentions=discord.AllowedMentions.none(),
        )
    return await svc.get(meetup.id)


async def end_event(guild: discord.Guild, event_id: int | None) -> None:
    """End a started event, cancel one never started: either way it no longer counts in the 100."""
    event = guild.get_scheduled_event(event_id) if event_id else None
    if event is None:
        return
    try:
        if event.status == discord.EventStatus.active:
            await event.end()
        elif event.status == discord.EventStatus.scheduled:
            await event.cancel()
    except discord.HTTPException:
        log.warning("could not end event %s in guild %s", event_id, guild.id)


# --- persistent components ----------------------------------------------------------------------


class ScheduleFromPoll(
    IdButton, discord.ui.DynamicItem[discord.ui.Button], template=r"meetup:poll:(?P<id>\d+)"
):
    prefix = "meetup:poll"
    style = discord.ButtonStyle.success
    emoji = "🎙️"

    async def run(self, interaction: discord.Interaction) -> None:
        client = interaction.client
        poll = await client.services.polls.get(self.entity_id)
        if poll.best is None or poll.status != "closed":
            raise PollClosed()
        group = await client.services.groups.get(poll.group_id)
        if interaction.user.id not in group.member_ids and not await is_teacher(interaction):
            raise NotAMember()
        existing = await client.services.meetups.for_poll(poll.id)
        if existing is not None:
            raise AlreadyScheduled(when=format_dt(existing.starts_at, "F"))
        course = await client.services.courses.get(group.course_id)
        await interaction.response.defer(ephemeral=True, thinking=True)
        meetup = await schedule_meetup(
            client,
            interaction.guild,
            group,
            course,
            title=poll.title,
            starts_at=poll.best.starts_at,
            length=poll.length_minutes,
            created_by=interaction.user.id,
            poll_id=poll.id,
        )
        await reply(interaction, tr(interaction, "meetup.scheduled", when=format_dt(meetup.starts_at, "F")))


class MeetupRate(discord.ui.DynamicItem[discord.ui.Select], template=r"meetup:rate:(?P<id>\d+)"):
    def __init__(self, meetup_id: int, placeholder: str | None = None) -> None:
        super().__init__(
            discord.ui.Select(
                custom_id=f"meetup:rate:{meetup_id}",
                placeholder=placeholder,
                options=[discord.SelectOption(label="★" * n, value=str(n)) for n in range(1, 6)],
            )
        )
        self.meetup_id = meetup_id

    @classmethod
    async def from_custom_id(cls, interaction, item, match):
        return cls(int(match["id"]))

    async def callback(self, interaction: discord.Interaction) -> None:
        await guarded(interaction, self.run)

    async def run(self, interaction: discord.Interaction) -> None:
        rating = int(self.item.values[0])
        await interaction.client.services.meetups.feedback(self.meetup_id, interaction.user.id, rating=rating)
        await reply(interaction, tr(interaction, "meetup.feedback.rated", rating=rating))


class MeetupAgain(
    discord.ui.DynamicItem[discord.ui.Button], template=r"meetup:again:(?P<id>\d+):(?P<v>yes|no)"
):
    def __init__(self, meetup_id: int, value: str, label: str = "…") -> None:
        super().__init__(
            discord.ui.Button(
                label=label,
                style=discord.ButtonStyle.success if value == "yes" else discord.ButtonStyle.secondary,
                custom_id=f"meetup:again:{meetup_id}:{value}",
            )
        )
        self.meetup_id = meetup_id
        self.value = value

    @classmethod
    async def from_custom_id(cls, interaction, item, match):
        return cls(int(match["id"]), match["v"], item.label)

    async def callback(self, interaction: discord.Interaction) -> None:
        await guarded(interaction, self.run)

    async def run(self, interaction: discord.Interaction) -> None:
        again = self.value == "yes"
        await interaction.client.services.meetups.feedback(self.meetup_id, interaction.user.id, again=again)
        await reply(interaction, tr(interaction, f"meetup.feedback.again_{self.value}"))


def feedback_view(meetup_id: int, lang: str) -> discord.ui.View:
    view = discord.ui.View(timeout=None)
    view.add_item(MeetupRate(meetup_id, i18n.t("meetup.feedback.rate_placeholder", lang)))
    view.add_item(MeetupAgain(meetup_id, "yes", i18n.t("meetup.feedback.again_yes_button", lang)))
    view.add_item(MeetupAgain(meetup_id, "no", i18n.t("meetup.feedback.again_no_button", lang)))
    return view


# --- the cog ------------------------------------------------------------------------------------


@app_commands.guild_only()
class MeetupCog(commands.GroupCog, group_name="meetup", group_description=L("cmd.meetup")):
    def __init__(self, bot: commands.Bot) -> None:
        self.bot = bot

    async def cog_load(self) -> None:
        runner = self.bot.services.runner
        runner.register("meetup_remind", self.on_remind)
        runner.register("meetup_end", self.on_end)
        runner.register("meetup_cleanup", self.on_cleanup)
        runner.register("meetup_dm", self.on_own_reminder)

    @app_commands.command(name="schedule", description=L("cmd.meetup.schedule"))
    @app_commands.describe(
        when=L("opt.meetup.when"), length=L("opt.meetup.length"), title=L("opt.meetup.title")
    )
    async def schedule(
        self,
        interaction: discord.Interaction,
        when: app_commands.Range[str, 1, 100],
        length: app_commands.Range[int, 15, 480] | None = None,
        title: app_commands.Range[str, 1, 100] | None = None,
    ) -> None:
        group, course = await group_here(interaction)
        profile = await self.bot.services.profiles.get(interaction.guild.id, interaction.user.id)
        zone = profile.timezone or course.timezone
        read = parse_slots(when, zone, self.bot.services.meetups.now())
        if len(read) != 1:
            raise NotAllowed("meetup.error.one_time", value=when, example=DATE_EXAMPLE)
        length = slot_length(read, length)  # "jeu 20h-21h30": 90 min
        await interaction.response.defer(ephemeral=True, thinking=True)
        meetup = await schedule_meetup(
            self.bot,
            interaction.guild,
            group,
            course,
            title=title or tr(interaction, "meetup.default_title"),
            starts_at=read[0].starts_at,
            length=length,
            created_by=interaction.user.id,
        )
        await reply(interaction, tr(interaction, "meetup.scheduled", when=format_dt(meetup.starts_at, "F")))

    @app_commands.command(name="now", description=L("cmd.meetup.now"))
    @app_commands.describe(title=L("opt.meetup.title"), length=L("opt.meetup.length"))
    async def now(
        self,
        interaction: discord.Interaction,
        title: app_commands.Range[str, 1, 100] | None = None,
        length: app_commands.Range[int, 15, 480] = 60,
    ) -> None:
        group, course = await group_here(interaction)
        await interaction.response.defer(ephemeral=True, thinking=True)
        meetup = await schedule_meetup(
            self.bot,
            interaction.guild,
            group,
            course,
            title=title or tr(interaction, "meetup.now_title"),
            starts_at=self.bot.services.meetups.now(),
            length=length,
            created_by=interaction.user.id,
            now=True,
        )
        await reply(interaction, tr(interaction, "meetup.started", voice=f"<#{meetup.voice_channel_id}>"))

    @app_commands.command(name="list", description=L("cmd.meetup.list"))
    async def list_(self, interaction: discord.Interaction) -> None:
        group = await self.bot.services.groups.by_channel(interaction.channel_id)
        if group is None:
            course_svc = self.bot.services.courses
            courses = await course_svc.list(interaction.guild.id)
            for course in courses:
                group = await self.bot.services.groups.group_of(course.id, interaction.user.id)
                if group:
                    break
        if group is None:
            raise NotAGroupChannel()
        meetups = await self.bot.services.meetups.upcoming(group.id)
        if not meetups:
            await reply(interaction, tr(interaction, "meetup.list.empty"))
            return
        lines = [
            tr(
                interaction,
                "meetup.list.line",
                id=m.id,
                title=m.title,
                when=format_dt(m.starts_at, "F"),
                relative=format_dt(m.starts_at, "R"),
                voice=f"<#{m.voice_channel_id}>" if m.voice_channel_id else "—",
            )
            for m in meetups
        ]
        await reply(interaction, "\n".join([tr(interaction, "meetup.list.title"), *lines]))

    @app_commands.command(name="cancel", description=L("cmd.meetup.cancel"))
    @app_commands.describe(meetup=L("opt.meetup.id"))
    async def cancel(
        self, interaction: discord.Interaction, meetup: app_commands.Range[int, 1] | None = None
    ) -> None:
        group, course = await group_here(interaction)
        svc = self.bot.services.meetups
        upcoming = await svc.upcoming(group.id)
        target = next((m for m in upcoming if meetup is None or m.id == meetup), None)
        if target is None:
            raise MeetupNotFound()
        if target.created_by != interaction.user.id and not await is_teacher(interaction):
            raise NotAllowed("meetup.error.not_owner")
        cancelled = await svc.cancel(target.id)
        if cancelled is None:
            raise MeetupNotFound()
        await interaction.response.defer(ephemeral=True, thinking=True)
        for kind in REMIND_KINDS:
            await self.bot.services.actions.cancel_prefix(kind, f"meetup:{target.id}:")
        guild = interaction.guild
        await end_event(guild, target.event_id)
        voice = guild.get_channel(target.voice_channel_id) if target.voice_channel_id else None
        if voice is not None:
            await voice.delete(reason=f"meetup {target.id} cancelled")
            await svc.voice_removed(target.id)
        channel = guild.get_channel(group.channel_id) if group.channel_id else None
        if channel is not None:
            lang = guild_lang(guild, self.bot)
            await channel.send(
                i18n.t(
                    "meetup.cancelled_notice", lang, title=target.title, when=format_dt(target.starts_at, "F")
                ),
                allowed_mentions=discord.AllowedMentions.none(),
            )
        await reply(interaction, tr(interaction, "meetup.cancelled"))

    # --- voice attendance ------------------------------------------------------------------------

    @commands.Cog.listener()
    async def on_voice_state_update(
        self, member: discord.Member, before: discord.VoiceState, after: discord.VoiceState
    ) -> None:
        if member.bot or before.channel == after.channel:
            return
        svc = self.bot.services.meetups
        if before.channel is not None:
            empty = not [m for m in before.channel.members if not m.bot]
            await svc.voice_leave(before.channel.id, member.id, channel_empty=empty)
        if after.channel is not None:
            await svc.voice_join(after.channel.id, member.id)

    @commands.Cog.listener()
    async def on_ready(self) -> None:
        """Voice moves missed while the bot was away: reconcile open stays with who is there now."""
        svc = self.bot.services.meetups
        for guild in self.bot.guilds:
            for channel_id, staying in (await svc.voice_channels(guild.id)).items():
                channel = guild.get_channel(channel_id)
                if channel is None:
                    continue
                # voice states need no member cache (members may not be chunked yet)
                present = set(channel.voice_states) - {self.bot.user.id}
                for user_id in staying - present:
                    await svc.voice_leave(channel_id, user_id, channel_empty=not present)
                for user_id in present - staying:
                    await svc.voice_join(channel_id, user_id)

    # --- actions ---------------------------------------------------------------------------------

    def _channel(self, meetup: MeetupView) -> discord.abc.Messageable | None:
        return self.bot.get_channel(meetup.group_channel_id) if meetup.group_channel_id else None

    async def on_remind(self, job: Job) -> None:
        meetup = await self.bot.services.meetups.get(job.payload["meetup_id"])
        channel = self._channel(meetup)
        if meetup.status not in ("scheduled", "active") or channel is None:
            raise Skip()
        lang = guild_lang(channel.guild, self.bot)
        await channel.send(
            i18n.t(
                f"meetup.remind.{job.payload['when']}",
                lang,
                who=" ".join(f"<@{u}>" for u in meetup.members),
                title=meetup.title,
                when=format_dt(meetup.starts_at, "F"),
                relative=format_dt(meetup.starts_at, "R"),
                voice=f"<#{meetup.voice_channel_id}>" if meetup.voice_channel_id else "—",
            ),
            allowed_mentions=discord.AllowedMentions(
                users=[discord.Object(u) for u in meetup.members], roles=False, everyone=False
            ),
            nonce=job.nonce,
        )

    async def on_own_reminder(self, job: Job) -> None:
        """A learner's own reminder, privately, at the time they chose; closed DMs: nothing to do."""
        user_id = job.payload["user_id"]
        due = await self.bot.services.reminders.due(job.payload["meetup_id"], user_id)
        guild = self.bot.get_guild(due.guild_id) if due else None
        if due is None or guild is None:
            raise Skip()
        lang = due.lang or guild_lang(guild, self.bot)
        try:
            user = guild.get_member(user_id) or await self.bot.fetch_user(user_id)
        except discord.NotFound:
            raise Skip() from None
        text = i18n.t(
            "reminder.dm",
            lang,
            title=due.title,
            when=format_dt(due.starts_at, "F"),
            relative=format_dt(due.starts_at, "R"),
            voice=f"<#{due.voice_channel_id}>" if due.voice_channel_id else "—",
            link=jump_url(guild.id, due.channel_id) if due.channel_id else guild.name,
            lead=format_lead(round((due.starts_at - job.due_at).total_seconds() / 60), lang),
        )
        try:
            await user.send(text, allowed_mentions=discord.AllowedMentions.none(), nonce=job.nonce)
        except discord.Forbidden:
            log.info("own reminder of meetup %s for %s: DMs closed", due.meetup_id, user.id)

    async def on_end(self, job: Job) -> None:
        svc = self.bot.services.meetups
        meetup = await svc.finish(job.payload["meetup_id"])
        if meetup is None:
            raise Skip()
        channel = self._channel(meetup)
        if channel is None:
            raise Skip()
        await end_event(channel.guild, meetup.event_id)
        lang = guild_lang(channel.guild, self.bot)
        present = await svc.present(meetup.id)
        text = i18n.t(
            "meetup.feedback.ask",
            lang,
            title=meetup.title,
            present=" ".join(f"<@{u}>" for u in present) or "—",
            count=len(present),
        )
        message = await channel.send(
            text,
            view=feedback_view(meetup.id, lang),
            allowed_mentions=discord.AllowedMentions.none(),
            nonce=job.nonce,
        )
        await svc.set_feedback_message(meetup.id, message.id)

    async def on_cleanup(self, job: Job) -> None:
        svc = self.bot.services.meetups
        meetup = await svc.get(job.payload["meetup_id"])
        if meetup.voice_removed or meetup.keep_voice_channels or meetup.voice_channel_id is None:
            raise Skip()
        guild = self.bot.get_guild(meetup.guild_id)
        voice = guild.get_channel(meetup.voice_channel_id) if guild else None
        if voice is None:
            await svc.voice_removed(meetup.id)
            raise Skip()
        now = svc.now()
        occupied = [m for m in voice.members if not m.bot]
        removable = svc.voice_removable_at(meetup)
        if occupied or removable is None or removable > now:
            n = int(job.payload.get("n", 0)) + 1
            later = removable if (removable and removable > now and not occupied) else now + VOICE_GRACE
            await self.bot.services.actions.schedule(
                "meetup_cleanup",
                f"meetup:{meetup.id}:cleanup:{n}",
                later,
                {"meetup_id": meetup.id, "n": n},
                guild_id=meetup.guild_id,
            )
            return
        await voice.delete(reason=f"meetup {meetup.id} over, channel empty")
        await svc.voice_removed(meetup.id)


async def setup(bot: commands.Bot) -> None:
    bot.add_dynamic_items(ScheduleFromPoll, MeetupRate, MeetupAgain)
    await bot.add_cog(MeetupCog(bot))
