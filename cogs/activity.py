"""Activity watch: counts messages and voice minutes (never content), alerts teachers about quiet
groups, learners drifting into isolation and unanswered questions; /activity settings and
/activity report (the teachers' course report: chart and CSV)."""

from __future__ import annotations

import asyncio
import io
import logging
from datetime import date, datetime, timedelta

import discord
from discord import app_commands
from discord.ext import commands

from bot import i18n
from bot.scheduling import add_tick
from bot.services.actions import Job, Skip
from bot.services.activity import FLUSH_SECONDS, ActivityWatch
from bot.services.faq_engine import is_question
from bot.services.reports import MAX_WEEKS, CourseReport, render_chart, render_csv
from bot.tree import NO_MENTIONS, L, guarded, jump_url, lang_of, reply, tr
from cogs._common import TeacherCog, course_autocomplete, course_for, is_teacher, message_text
from cogs.groups import course_lang, guild_lang
from cogs.polls import poll_start_view

log = logging.getLogger(__name__)

SCAN_EVERY = timedelta(minutes=10)
QUIET_ACTIONS = ("encourage", "poll", "snooze")


def day_text(day: date | None, lang: str) -> str:
    return day.strftime("%d/%m/%Y") if day else i18n.t("activity.never", lang)


class QuietAction(
    discord.ui.DynamicItem[discord.ui.Button],
    template=r"activity:(?P<action>encourage|poll|snooze):(?P<id>\d+)",
):
    """The buttons under a quiet-group alert; they work after a restart (persistent)."""

    def __init__(self, action: str, group_id: int, label: str | None = None) -> None:
        style = discord.ButtonStyle.secondary if action == "snooze" else discord.ButtonStyle.primary
        super().__init__(
            discord.ui.Button(label=label or action, style=style, custom_id=f"activity:{action}:{group_id}")
        )
        self.action = action
        self.group_id = group_id

    @classmethod
    async def from_custom_id(cls, interaction, item, match):
        return cls(match["action"], int(match["id"]), item.label)

    async def callback(self, interaction: discord.Interaction) -> None:
        await guarded(interaction, self.run)

    async def run(self, interaction: discord.Interaction) -> None:
        if not await is_teacher(interaction):
            raise app_commands.CheckFailure()
        svc = interaction.client.services
        group = await svc.groups.get(self.group_id)
        channel = interaction.guild.get_channel(group.channel_id) if group and group.channel_id else None
        if self.action == "snooze":
            until = await svc.activity.snooze(self.group_id)
            await reply(interaction, tr(interaction, "activity.snoozed", date=until.strftime("%d/%m/%Y")))
            return
        if channel is None:
            await reply(interaction, tr(interaction, "activity.error.no_channel"))
            return
        lang = guild_lang(interaction.guild, interaction.client)
        if self.action == "encourage":
            await channel.send(i18n.t("activity.encouragement", lang), allowed_mentions=NO_MENTIONS)
        else:  # our availability poll, started by the group itself
            await channel.send(
                i18n.t("activity.poll.invite", lang),
                view=poll_start_view(self.group_id, lang),
                allowed_mentions=NO_MENTIONS,
            )
        await reply(interaction, tr(interaction, f"activity.done.{self.action}", channel=channel.mention))


def observe(
    watch: ActivityWatch,
    watched: dict[int, bool],
    questions_on: bool,
    message: discord.Message,
    help_ids: frozenset[int] = frozenset(),
) -> None:
    """The on_message hot path: count (O(1)); with the message content intent, spot questions
    in group and help channels (ids and time kept, never the text)."""
    if message.guild is None or message.author.bot:
        return
    channel_id = message.channel.id
    watch.message(message.guild.id, channel_id, message.author.id)
    if questions_on:
        can = watched.get(channel_id)
        if can is None:
            can = watched[channel_id] = can_hold_questions(watch, help_ids, message.channel)
        if can and is_question(message_text(message)):
            watch.question(message.guild.id, channel_id, message.id, message.author.id)


def can_hold_questions(watch: ActivityWatch, help_ids: frozenset[int], channel) -> bool:
    """A group channel, or a channel (or forum post) teachers marked with /faqbase helpchannel."""
    return (
        channel.id in watch.channels
        or channel.id in help_ids
        or getattr(channel, "parent_id", None) in help_ids
    )


class Activity(TeacherCog, group_name="activity", group_description=L("cmd.activity")):
    def __init__(self, bot: commands.Bot) -> None:
        super().__init__(bot)
        self.services = bot.services
        self.watch = bot.services.activity.watch
        self.questions_on = bot.intents.message_content
        self._watched: dict[int, bool] = {}  # channel id → can hold questions (group or help channel)
        self._help_ids: frozenset[int] = frozenset()
        self._last_scan: datetime | None = None

    # --- lifecycle ----------------------------------------------------------------------------------

    async def cog_load(self) -> None:
        runner = self.services.runner
        runner.register("quiet_alert", self.send_quiet_alert)
        runner.register("quiet_nudge", self.send_quiet_nudge)
        runner.register("isolation_alert", self.send_isolation_alert)
        runner.register("question_prompt", self.send_question_prompt)
        runner.register("question_alert", self.send_question_alert)
        runner.before_run(self.before_run)
        await self.watch.refresh_map()
        await self.refresh_help_channels()
        await self.watch.load_open_questions()
        add_tick(self.bot.scheduler, "activity_flush", self.flush, FLUSH_SECONDS)
        if not self.questions_on:
            log.info("message content intent off: unanswered-question detection is disabled")

    async def cog_unload(self) -> None:
        if self.bot.scheduler.get_job("activity_flush"):
            self.bot.scheduler.remove_job("activity_flush")
        await self.flush()

    async def flush(self) -> None:
        written = await self.watch.flush()
        if written:
            log.debug("activity: %d counters written", written)

    async def before_run(self) -> None:
        """Before each action run: write the counters, and every 10 minutes refresh the map and scan."""
        await self.flush()
        await self.refresh_help_channels()
        now = self.bot.clock.now()
        if self._last_scan is not None and now - self._last_scan < SCAN_EVERY:
            return
        self._last_scan = now
        await self.refresh_map()
        await self.scan(now)

    async def refresh_help_channels(self) -> None:
        help_ids = await self.services.faq.help_channel_ids()
        if help_ids != self._help_ids:
            self._help_ids = help_ids
            self._watched.clear()

    async def refresh_map(self) -> None:
        """Channel → group, with voice channels named like a group's text channel in its category."""
        await self.watch.refresh_map()
        extra: dict[int, int] = {}
        for channel_id, info in self.watch.channels.items():
            text = self.bot.get_channel(channel_id)
            if not isinstance(text, discord.TextChannel):
                continue
            for voice in text.guild.voice_channels:
                if voice.category_id == text.category_id and voice.name.startswith(text.name):
                    extra[voice.id] = info.group_id
        if extra:
            await self.watch.refresh_map(extra)
        self._watched.clear()

    async def scan(self, now: datetime) -> None:
        svc = self.services
        # a sharded bot: each process scans the courses of the guilds its shards hold
        courses = [c for c in await svc.courses.all() if svc.runner.shards.owns(c.guild_id)]
        if not courses:
            return
        guild_of = {c.id: c.guild_id for c in courses}
        quiet = await svc.activity.quiet_groups(courses)
        known = await svc.activity.pending_alert_keys("quiet_alert", [q.alert_key for q in quiet])
        for q in quiet:
            if q.alert_key not in known:
                payload = {"group_id": q.group_id}
                guild_id = guild_of[q.course_id]
                await svc.actions.schedule("quiet_alert", q.alert_key, now, payload, guild_id=guild_id)
                await svc.actions.schedule("quiet_nudge", q.alert_key, now, payload, guild_id=guild_id)
        isolated = await svc.activity.isolated_members(courses)
        known = await svc.activity.pending_alert_keys("isolation_alert", [m.alert_key for m in isolated])
        for m in isolated:
            if m.alert_key not in known:
                await svc.actions.schedule(
                    "isolation_alert",
                    m.alert_key,
                    now,
                    {"user_id": m.user_id, "group_id": m.group_id, "course_id": m.course_id},
                    guild_id=guild_of[m.course_id],
                )

    # --- the hot path -------------------------------------------------------------------------------

    @commands.Cog.listener()
    async def on_message(self, message: discord.Message) -> None:
        observe(self.watch, self._watched, self.questions_on, message, self._help_ids)

    @commands.Cog.listener()
    async def on_voice_state_update(
        self, member: discord.Member, before: discord.VoiceState, after: discord.VoiceState
    ) -> None:
        if member.bot:
            return
        if after.channel is not None and (before.channel is None or before.channel.id != after.channel.id):
            self.watch.voice_join(member.guild.id, member.id, after.channel.id)
        elif after.channel is None and before.channel is not None:
            self.watch.voice_leave(member.guild.id, member.id)

    @commands.Cog.listener()
    async def on_guild_channel_create(self, channel: discord.abc.GuildChannel) -> None:
        await self.refresh_map()

    @commands.Cog.listener()
    async def on_group_channels_built(self, course_id: int) -> None:
        await self.refresh_map()

    # --- alerts -------------------------------------------------------------------------------------

    async def _course_guild(self, course_id: int | None):
        course = await self.services.courses.get(course_id) if course_id else None
        guild = self.bot.get_guild(course.guild_id) if course else None
        if guild is None:
            raise Skip()
        return course, guild, course_lang(course, guild, self.bot)

    def _staff(self, guild: discord.Guild, course) -> discord.abc.Messageable:
        staff = guild.get_channel(course.staff_channel_id)
        if staff is None:
            log.warning(
                "course %s: staff channel %s missing in guild %s",
                course.id,
                course.staff_channel_id,
                guild.id,
            )
            raise Skip()
        return staff

    async def _group(self, group_id: int):
        group = await self.services.groups.get(group_id)
        if group is None or group.status != "active":
            raise Skip()
        return group

    async def send_quiet_alert(self, job: Job) -> None:
        group = await self._group(job.payload["group_id"])
        course, guild, lang = await self._course_guild(group.course_id)
        last = await self.services.activity.group_last_active(group.id)
        members = ", ".join(f"<@{u}>" for u in group.member_ids) or "—"
        embed = discord.Embed(
            title=i18n.t("activity.quiet.title", lang, number=group.number, course=course.name),
            description=i18n.t(
                "activity.quiet.body",
                lang,
                channel=f"<#{group.channel_id}>" if group.channel_id else "—",
                days=course.quiet_days,
                last=day_text(last, lang),
                members=members,
                count=len(group.member_ids),
            ),
            colour=discord.Colour.orange(),
        )
        view = discord.ui.View(timeout=None)
        for action in QUIET_ACTIONS:
            view.add_item(QuietAction(action, group.id, i18n.t(f"activity.button.{action}", lang)))
        await self._staff(guild, course).send(
            embed=embed, view=view, allowed_mentions=NO_MENTIONS, nonce=job.nonce
        )

    async def send_quiet_nudge(self, job: Job) -> None:
        group = await self._group(job.payload["group_id"])
        course, guild, lang = await self._course_guild(group.course_id)
        channel = guild.get_channel(group.channel_id) if group.channel_id else None
        if channel is None:
            raise Skip()
        await channel.send(
            i18n.t("activity.quiet.nudge", lang),
            allowed_mentions=NO_MENTIONS,
            nonce=job.nonce,
        )

    async def send_isolation_alert(self, job: Job) -> None:
        p = job.payload
        group = await self._group(p["group_id"])
        course, guild, lang = await self._course_guild(p["course_id"])
        if self.bot.intents.members and guild.get_member(p["user_id"]) is None:
            raise Skip()  # left the server
        last = await self.services.activity.member_last_active(guild.id, p["user_id"])
        key = "activity.isolation.silent" if last else "activity.isolation.never"
        text = i18n.t(
            key,
            lang,
            member=f"<@{p['user_id']}>",
            number=group.number,
            last=day_text(last, lang),
            days=course.isolation_days,
        )
        await self._staff(guild, course).send(text, allowed_mentions=NO_MENTIONS, nonce=job.nonce)

    async def _open_question(self, job: Job):
        q = await self.services.activity.question(job.payload["message_id"])
        if q is None or q.answered:
            raise Skip()
        course, guild, lang = await self._course_guild(q.course_id)
        return q, course, guild, lang

    async def send_question_prompt(self, job: Job) -> None:
        q, course, guild, lang = await self._open_question(job)
        channel = guild.get_channel_or_thread(q.channel_id)
        if channel is None:
            raise Skip()
        await channel.send(
            i18n.t(
                "activity.question.prompt", lang, member=f"<@{q.author_id}>", hours=course.unanswered_hours
            ),
            reference=discord.MessageReference(
                message_id=q.message_id, channel_id=q.channel_id, fail_if_not_exists=False
            ),
            mention_author=False,
            allowed_mentions=NO_MENTIONS,
            nonce=job.nonce,
        )

    async def send_question_alert(self, job: Job) -> None:
        q, course, guild, lang = await self._open_question(job)
        await self._staff(guild, course).send(
            i18n.t(
                "activity.question.alert",
                lang,
                member=f"<@{q.author_id}>",
                channel=f"<#{q.channel_id}>",
                hours=2 * course.unanswered_hours,
                link=jump_url(guild.id, q.channel_id, q.message_id),
            ),
            allowed_mentions=NO_MENTIONS,
            nonce=job.nonce,
        )

    # --- teachers: settings -------------------------------------------------------------------------

    @app_commands.command(name="settings", description=L("cmd.activity.settings"))
    @app_commands.describe(
        course=L("opt.course"),
        quiet_days=L("opt.quiet_days"),
        isolation_days=L("opt.isolation_days"),
        unanswered_hours=L("opt.unanswered_hours"),
        nudge_day=L("opt.nudge_day"),
        nudge_time=L("opt.nudge_time"),
    )
    @app_commands.choices(
        nudge_day=[app_commands.Choice(name=L(f"planning.day.{i}"), value=i) for i in range(7)]
    )
    @app_commands.autocomplete(course=course_autocomplete)
    async def settings(
        self,
        interaction: discord.Interaction,
        course: str | None = None,
        quiet_days: app_commands.Range[int, 1, 60] | None = None,
        isolation_days: app_commands.Range[int, 1, 60] | None = None,
        unanswered_hours: app_commands.Range[int, 1, 168] | None = None,
        nudge_day: app_commands.Choice[int] | None = None,
        nudge_time: str | None = None,
    ) -> None:
        the_course = await course_for(interaction, course)
        changes = {
            k: v
            for k, v in dict(
                quiet_days=quiet_days,
                isolation_days=isolation_days,
                unanswered_hours=unanswered_hours,
                nudge_weekday=nudge_day.value if nudge_day else None,
                nudge_time=nudge_time,
            ).items()
            if v is not None
        }
        if changes:
            the_course = await self.services.activity.update_settings(the_course.id, **changes)
            await self.watch.refresh_map()
        lang_day = tr(interaction, f"planning.day.{the_course.nudge_weekday}")
        await reply(
            interaction,
            tr(
                interaction,
                "activity.settings.shown" if not changes else "activity.settings.updated",
                course=the_course.name,
                quiet=the_course.quiet_days,
                isolation=the_course.isolation_days,
                hours=the_course.unanswered_hours,
                day=lang_day,
                time=the_course.nudge_time,
                tz=the_course.timezone,
            ),
        )

    # --- teachers: the course report ------------------------------------------------------------------

    @app_commands.command(name="report", description=L("cmd.activity.report"))
    @app_commands.describe(course=L("opt.course"), weeks=L("opt.weeks"))
    @app_commands.autocomplete(course=course_autocomplete)
    async def report(
        self,
        interaction: discord.Interaction,
        course: str | None = None,
        weeks: app_commands.Range[int, 1, MAX_WEEKS] = 4,
    ) -> None:
        the_course = await course_for(interaction, course)
        await interaction.response.defer(ephemeral=True, thinking=True)
        await self.flush()
        report = await self.services.reports.course_report(the_course, weeks)
        if not report.groups:
            await reply(interaction, tr(interaction, "report.no_groups"))
            return
        lang = lang_of(interaction)
        chart = await asyncio.to_thread(render_chart, report, lang)
        table = render_csv(report, lang).encode("utf-8-sig")  # the BOM: accents right in Excel
        stem = f"report-{the_course.id}-{report.today.isoformat()}"
        embed = report_embed(report, lang)
        embed.set_image(url=f"attachment://{stem}.png")
        files = [
            discord.File(io.BytesIO(chart), filename=f"{stem}.png"),
            discord.File(io.BytesIO(table), filename=f"{stem}.csv"),
        ]
        await reply(interaction, embed=embed, files=files)


STAGE_EMOJI = {"isolation": "🔴", "mutual_aid": "🟡", "community": "🟢"}


def report_embed(report: CourseReport, lang: str) -> discord.Embed:
    """The report's summary: the period, the stages, then one line per group (as many as fit)."""
    head = [
        i18n.t(
            "report.period",
            lang,
            first=report.first_day.strftime("%d/%m/%Y"),
            today=report.today.strftime("%d/%m/%Y"),
            weeks=len(report.week_starts),
            groups=len(report.groups),
            learners=report.learners,
        ),
        i18n.t("report.stages", lang, **report.stage_counts()),
        i18n.t("report.stages.help", lang),
        "",
    ]
    if report.left:
        elsewhere = report.left_elsewhere
        note = i18n.t("report.left.elsewhere", lang, count=elsewhere) if elsewhere else ""
        head.insert(1, i18n.t("report.left", lang, count=report.left, elsewhere=note))
    lines: list[str] = []
    budget = 4000 - sum(len(h) + 1 for h in head)
    for n, g in enumerate(report.groups):
        if g.meetups:
            rating = i18n.t("report.rating", lang, rating=g.rating_average) if g.ratings else ""
            meetups = i18n.t(
                "report.meetups", lang, count=g.meetups, present=g.present_average, rating=rating
            )
        else:
            meetups = i18n.t("report.meetups.none", lang)
        line = i18n.t(
            "report.group",
            lang,
            emoji=STAGE_EMOJI[g.stage],
            n=g.number,
            members=g.members,
            messages=g.messages,
            voice=g.voice_minutes,
            meetups=meetups,
        )
        if g.left:
            line += i18n.t("report.group.left", lang, count=g.left)
        line += i18n.t("report.last_active", lang, day=day_text(g.last_active, lang))
        more = i18n.t("report.more", lang, count=len(report.groups) - n)
        if len(line) + 1 + len(more) + 1 > budget:
            lines.append(more)
            break
        budget -= len(line) + 1
        lines.append(line)
    embed = discord.Embed(
        title=i18n.t("report.title", lang, course=report.course),
        description="\n".join(head + lines),
        colour=discord.Colour.blurple(),
    )
    embed.set_footer(text=i18n.t("report.footer", lang))
    return embed


async def setup(bot: commands.Bot) -> None:
    bot.add_dynamic_items(QuietAction)
    await bot.add_cog(Activity(bot))
