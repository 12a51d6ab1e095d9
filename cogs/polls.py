"""/poll create, the icebreaker's "Find a time to meet" button, voting, closing, reminders.

Voting UI: the poll message carries three persistent buttons, **Vote**, **Fill from my
availability** and **Close** (and **Stop repeating** on a weekly poll, also under its result).
**Fill** answers the slots the member has not answered from their profile's weekly availability,
then shows the ballot to check. **Vote** opens the member's own ephemeral ballot: one select menu
(yes / if need be / no) per slot, five slots per message, or four plus a row of page buttons when
there are more (25 slots fit in 7 pages). Every component is a DynamicItem whose custom_id names
the poll (and slot), so ballots and the poll message keep working after a restart. The public
message shows live tallies; its edits go through a per-message Coalescer (at most one edit every
2 s, the last state always shown).
"""

from __future__ import annotations

import logging
from datetime import datetime
from zoneinfo import ZoneInfo

import discord
from discord import app_commands
from discord.ext import commands
from discord.utils import format_dt

from bot import i18n
from bot.coalescer import Coalescer
from bot.services.actions import Job, Skip
from bot.services.polls import (
    ANSWERS,
    DEFAULT_LENGTH,
    GENERATE_EXAMPLE,
    SLOTS_EXAMPLE,
    NoSlots,
    NotAGroupChannel,
    NotAMember,
    NotPollOwner,
    NotSeriesOwner,
    PollClosed,
    PollView,
    check_slots,
    choose_deadline,
    explain,
    generate_slots,
    parse_slots,
    slot_length,
)
from bot.tree import IdButton, L, guarded, jump_url, lang_of, reply, tr
from cogs._common import is_teacher
from cogs.groups import guild_lang

log = logging.getLogger(__name__)

EDIT_INTERVAL = 2.0
PER_PAGE = 4  # with more than 5 slots: 4 selects + 1 row of page buttons
ICONS = {"yes": "✅", "maybe": "🟡", "no": "❌"}


def local_label(when: datetime, timezone: str, lang: str) -> str:
    """'mar 24/11 20:30' in the reader's timezone (select placeholders cannot show timestamps)."""
    local = when.astimezone(ZoneInfo(timezone))
    day = i18n.t(f"planning.day.short.{local.weekday()}", lang)
    return f"{day} {local:%d/%m %H:%M}"


def coalescer(client: discord.Client) -> Coalescer:
    return client.get_cog("PollCog").edits


# --- rendering ----------------------------------------------------------------------------------


def poll_embed(poll: PollView, lang: str) -> discord.Embed:
    lines = [
        i18n.t(
            "poll.message.header",
            lang,
            length=poll.length_minutes,
            deadline=format_dt(poll.deadline, "F"),
            relative=format_dt(poll.deadline, "R"),
        ),
        "",
    ]
    best = poll.best_slot_id
    for t in poll.tallies:
        mark = " ⭐" if best == t.slot_id else ""
        lines.append(
            f"`{t.position:>2}.` {format_dt(t.starts_at, 'F')} — "
            f"✅ {len(t.yes)} · 🟡 {len(t.maybe)} · ❌ {len(t.no)}{mark}"
        )
    lines.append("")
    answered = " ".join(f"<@{u}>" for u in poll.answered) or "—"
    lines.append(
        i18n.t("poll.message.answered", lang, count=len(poll.answered), total=len(poll.members), who=answered)
    )
    if poll.status == "open" and poll.waiting:
        lines.append(i18n.t("poll.message.waiting", lang, who=" ".join(f"<@{u}>" for u in poll.waiting)))
    if poll.repeat_at is not None:
        lines.append(i18n.t("poll.message.weekly", lang, when=format_dt(poll.repeat_at, "F")))
    embed = discord.Embed(
        title=f"📅 {poll.title}",
        description="\n".join(lines)[:4000],
        colour=discord.Colour.blurple() if poll.status == "open" else discord.Colour.dark_grey(),
    )
    footer = "poll.message.footer_open" if poll.status == "open" else "poll.message.footer_closed"
    embed.set_footer(text=i18n.t(footer, lang))
    return embed


def poll_view(poll: PollView, lang: str) -> discord.ui.View | None:
    if poll.status != "open":
        return None
    view = discord.ui.View(timeout=None)
    view.add_item(PollVoteButton(poll.id, i18n.t("poll.button.vote", lang)))
    view.add_item(PollFillButton(poll.id, i18n.t("poll.button.fill", lang)))
    view.add_item(PollCloseButton(poll.id, i18n.t("poll.button.close", lang)))
    if poll.repeat_at is not None:
        view.add_item(PollStopRepeat(poll.id, i18n.t("poll.button.stop_repeat", lang)))
    return view


def pages_of(poll: PollView) -> list[list]:
    tallies = list(poll.tallies)
    if len(tallies) <= 5:
        return [tallies]
    return [tallies[i : i + PER_PAGE] for i in range(0, len(tallies), PER_PAGE)]


async def reader_timezone(client: discord.Client, guild_id: int, user_id: int, course_id: int) -> str:
    profile = await client.services.profiles.get(guild_id, user_id)
    if profile.timezone:
        return profile.timezone
    course = await client.services.courses.get(course_id)
    return course.timezone


async def ballot(interaction: discord.Interaction, poll: PollView, page: int) -> tuple[str, discord.ui.View]:
    """The member's own ballot page: one select per slot, their current answers preselected."""
    lang = lang_of(interaction)
    pages = pages_of(poll)
    page = max(0, min(page, len(pages) - 1))
    zone = await reader_timezone(interaction.client, poll.guild_id, interaction.user.id, poll.course_id)
    mine = poll.answers_of(interaction.user.id)
    lines = [tr(interaction, "poll.ballot.header", title=poll.title, page=page + 1, pages=len(pages))]
    view = discord.ui.View(timeout=None)
    for t in pages[page]:
        lines.append(f"`{t.position:>2}.` {format_dt(t.starts_at, 'F')} ({format_dt(t.starts_at, 'R')})")
        current = mine.get(t.slot_id)
        options = [
            discord.SelectOption(
                label=f"{t.position} · {i18n.t(f'poll.answer.{a}', lang)}",
                value=a,
                emoji=ICONS[a],
                default=current == a,
            )
            for a in ANSWERS
        ]
        placeholder = f"{t.position}. {local_label(t.starts_at, zone, lang)}"
        view.add_item(PollAnswer(poll.id, t.slot_id, placeholder=placeholder, options=options))
    if len(pages) > 1:
        if page > 0:
            view.add_item(PollPage(poll.id, page - 1, tr(interaction, "poll.button.previous")))
        if page < len(pages) - 1:
            view.add_item(PollPage(poll.id, page + 1, tr(interaction, "poll.button.next")))
    answered = sum(1 for t in poll.tallies if t.slot_id in mine)
    lines.append(tr(interaction, "poll.ballot.progress", done=answered, total=len(poll.tallies)))
    return "\n".join(lines), view


def result_text(poll: PollView, lang: str) -> str:
    facts = explain(poll)
    weekly = ""
    if poll.repeat_at is not None:
        weekly = "\n" + i18n.t("poll.result.weekly", lang, when=format_dt(poll.repeat_at, "F"))
    if not facts["found"]:
        none = i18n.t("poll.result.none", lang, title=poll.title, min=facts["min"], best=facts["best_count"])
        return none + weekly
    best = poll.best
    key = "poll.result.everyone" if facts["everyone"] else "poll.result.some"
    why = i18n.t(
        key, lang, count=facts["count"], members=facts["members"], yes=facts["yes"], maybe=facts["maybe"]
    )
    return (
        i18n.t(
            "poll.result.found",
            lang,
            title=poll.title,
            when=format_dt(best.starts_at, "F"),
            relative=format_dt(best.starts_at, "R"),
            why=why,
            length=poll.length_minutes,
        )
        + weekly
    )


# --- the flow -----------------------------------------------------------------------------------


async def refresh(client: discord.Client, poll_id: int) -> None:
    """Edit the poll message to its current state (called through the coalescer)."""
    poll = await client.services.polls.get(poll_id)
    channel = client.get_channel(poll.channel_id)
    if channel is None or poll.message_id is None:
        return
    lang = guild_lang(channel.guild, client)
    await channel.get_partial_message(poll.message_id).edit(
        embed=poll_embed(poll, lang), view=poll_view(poll, lang)
    )


def request_refresh(client: discord.Client, poll_id: int) -> None:
    coalescer(client).request(("poll", poll_id), lambda: refresh(client, poll_id))


async def settle(client: discord.Client, poll: PollView) -> None:
    """After a vote or a change of the group's members: close the poll once every member has answered,
    else show the new tallies (coalesced edits)."""
    if poll.members and not poll.waiting:
        await close_poll(client, poll.id, "all_answered")
    else:
        request_refresh(client, poll.id)


async def members_changed(client: discord.Client, group_id: int) -> None:
    """The group's members changed (a move, a departure): its open polls count those it has now."""
    for poll_id in await client.services.polls.open_polls(group_id):
        await settle(client, await client.services.polls.get(poll_id))


async def create_poll(
    interaction: discord.Interaction,
    *,
    title: str,
    slots: str | None = None,
    days: str | None = None,
    times: str | None = None,
    over_days: int = 7,
    length: int | None = None,
    deadline: str | None = None,
    repeat: bool = False,
) -> PollView:
    client = interaction.client
    svc = client.services
    group = await svc.groups.by_channel(interaction.channel_id) if interaction.channel_id else None
    if group is None or group.status != "active":
        raise NotAGroupChannel()
    if interaction.user.id not in group.member_ids and not await is_teacher(interaction):
        raise NotAMember()
    course = await svc.courses.get(group.course_id)
    profile = await svc.profiles.get(interaction.guild.id, interaction.user.id)
    zone = profile.timezone or course.timezone
    now = svc.polls.now()
    if slots and slots.strip():
        read = parse_slots(slots, zone, now)
    elif days and times:
        read = generate_slots(days, times, over_days, zone, now)
    else:
        raise NoSlots(value=(slots or days or times or "").strip() or "—", example=SLOTS_EXAMPLE)
    starts = check_slots(read, now)
    length = slot_length(read, length)
    given = None
    if deadline and deadline.strip():
        given = min(s.starts_at for s in parse_slots(deadline, zone, now))
    when = choose_deadline(now, starts[0], given)
    poll = await svc.polls.create(
        group_id=group.id,
        channel_id=interaction.channel_id,
        created_by=interaction.user.id,
        title=title,
        starts=starts,
        length_minutes=length,
        deadline=when,
        timezone=zone,
        repeat_weekly=repeat,
    )
    message = await post_poll(client, interaction.channel, poll)
    await reply(
        interaction,
        tr(
            interaction,
            "poll.created.one" if len(starts) == 1 else "poll.created",
            count=len(starts),
            link=message.jump_url,
            deadline=format_dt(when, "F"),
            relative=format_dt(when, "R"),
        ),
    )
    return poll


async def post_poll(
    client: discord.Client, channel: discord.abc.Messageable, poll: PollView, nonce: str | None = None
) -> discord.Message:
    """Post the poll message; a poll whose message cannot be posted is withdrawn (no deadline,
    reminder or repeat left behind)."""
    lang = guild_lang(channel.guild, client)
    kwargs = {"nonce": nonce} if nonce else {}
    try:
        message = await channel.send(
            embed=poll_embed(poll, lang),
            view=poll_view(poll, lang),
            allowed_mentions=discord.AllowedMentions.none(),
            **kwargs,
        )
    except discord.HTTPException as error:
        # Asked by someone, or the channel is gone or closed to the bot: withdrawn. A scheduled post
        # that met a passing error is retried instead.
        if nonce is None or isinstance(error, discord.Forbidden | discord.NotFound):
            await client.services.polls.cancel(poll.id)
        raise
    await client.services.polls.set_message(poll.id, message.id)
    return message


async def close_poll(
    client: discord.Client, poll_id: int, reason: str, nonce: str | None = None
) -> PollView | None:
    """Close once, show the final tallies and post the result. None when someone else closed it."""
    svc = client.services
    poll = await svc.polls.close(poll_id, reason)
    if poll is None:
        return None
    await svc.actions.cancel("poll_close", f"poll:{poll_id}")
    await svc.actions.cancel("poll_remind", f"poll:{poll_id}")
    channel = client.get_channel(poll.channel_id)
    if channel is None:
        return poll
    lang = guild_lang(channel.guild, client)
    if poll.message_id is not None:
        try:
            await channel.get_partial_message(poll.message_id).edit(embed=poll_embed(poll, lang), view=None)
        except discord.NotFound:
            log.info("poll %s message %s gone", poll.id, poll.message_id)
    kwargs = {"nonce": nonce} if nonce else {}
    await channel.send(
        result_text(poll, lang),
        view=result_view(poll, lang),
        allowed_mentions=discord.AllowedMentions.none(),
        **kwargs,
    )
    return poll


def result_view(poll: PollView, lang: str) -> discord.ui.View:
    """Under the result: "Schedule it" (or "New poll" when no slot won), and "Stop repeating" while
    the poll is weekly."""
    view = discord.ui.View(timeout=None)
    if poll.best is not None:
        from cogs.meetups import ScheduleFromPoll

        view.add_item(ScheduleFromPoll(poll.id, i18n.t("meetup.button.schedule", lang)))
    else:
        view.add_item(PollStart(poll.group_id, i18n.t("poll.button.new", lang)))
    if poll.repeat_at is not None:
        view.add_item(PollStopRepeat(poll.id, i18n.t("poll.button.stop_repeat", lang)))
    return view


# --- persistent components ----------------------------------------------------------------------


async def may_manage(interaction: discord.Interaction, poll: PollView) -> bool:
    """Whoever started the poll, or a teacher: may close it early or stop its weekly series."""
    return poll.created_by == interaction.user.id or await is_teacher(interaction)


class PollVoteButton(IdButton, discord.ui.DynamicItem[discord.ui.Button], template=r"poll:vote:(?P<id>\d+)"):
    prefix = "poll:vote"
    style = discord.ButtonStyle.primary
    emoji = "🗳️"

    async def run(self, interaction: discord.Interaction) -> None:
        poll = await interaction.client.services.polls.check_member(self.entity_id, interaction.user.id)
        content, view = await ballot(interaction, poll, 0)
        await reply(interaction, content, view=view)


class PollFillButton(IdButton, discord.ui.DynamicItem[discord.ui.Button], template=r"poll:fill:(?P<id>\d+)"):
    """Answers the member's unanswered slots from their profile's weekly availability, then shows
    their ballot so they can check and change it."""

    prefix = "poll:fill"
    style = discord.ButtonStyle.secondary
    emoji = "🗓️"

    async def run(self, interaction: discord.Interaction) -> None:
        client = interaction.client
        svc = client.services.polls
        poll = await svc.check_member(self.entity_id, interaction.user.id)
        profile = await client.services.profiles.get(poll.guild_id, interaction.user.id)
        zone = await reader_timezone(client, poll.guild_id, interaction.user.id, poll.course_id)
        filled = await svc.fill(self.entity_id, interaction.user.id, profile.availability, zone)
        poll = await svc.get(self.entity_id)
        content, view = await ballot(interaction, poll, 0)
        lines = [tr(interaction, "poll.filled", yes=filled.yes, maybe=filled.maybe, no=filled.no)]
        if filled.kept:
            lines.append(tr(interaction, "poll.filled.kept", count=filled.kept))
        await reply(interaction, "\n".join([*lines, "", content]), view=view)
        if filled.total:
            await settle(client, poll)


class PollCloseButton(
    IdButton, discord.ui.DynamicItem[discord.ui.Button], template=r"poll:close:(?P<id>\d+)"
):
    prefix = "poll:close"
    style = discord.ButtonStyle.secondary

    async def run(self, interaction: discord.Interaction) -> None:
        poll = await interaction.client.services.polls.get(self.entity_id)
        if not await may_manage(interaction, poll):
            raise NotPollOwner()
        if poll.status != "open":
            raise PollClosed()
        await interaction.response.defer(ephemeral=True, thinking=True)
        closed = await close_poll(interaction.client, self.entity_id, "early")
        if closed is None:
            raise PollClosed()
        await reply(interaction, tr(interaction, "poll.closed_early"))


class PollStopRepeat(
    IdButton, discord.ui.DynamicItem[discord.ui.Button], template=r"poll:norepeat:(?P<id>\d+)"
):
    """Ends a weekly series (from the open poll or from a result): no poll opens next week."""

    prefix = "poll:norepeat"
    style = discord.ButtonStyle.secondary
    emoji = "⏹️"

    async def run(self, interaction: discord.Interaction) -> None:
        client = interaction.client
        svc = client.services.polls
        poll = await svc.get(self.entity_id)
        if not await may_manage(interaction, poll):
            raise NotSeriesOwner()
        stopped = await svc.stop_repeat(self.entity_id)
        await reply(interaction, tr(interaction, "poll.repeat_stopped" if stopped else "poll.not_repeating"))
        for poll_id in stopped:  # their messages no longer announce a next poll
            request_refresh(client, poll_id)
        message = interaction.message
        if message is not None and message.id != poll.message_id:  # a result: its buttons, without this one
            poll = await svc.get(self.entity_id)
            lang = guild_lang(interaction.guild, client)
            await message.edit(content=result_text(poll, lang), view=result_view(poll, lang))


class PollAnswer(discord.ui.DynamicItem[discord.ui.Select], template=r"poll:ans:(?P<poll>\d+):(?P<slot>\d+)"):
    def __init__(self, poll_id: int, slot_id: int, *, placeholder: str | None = None, options=None) -> None:
        super().__init__(
            discord.ui.Select(
                custom_id=f"poll:ans:{poll_id}:{slot_id}",
                placeholder=placeholder,
                options=options or [discord.SelectOption(label=a, value=a) for a in ANSWERS],
                min_values=1,
                max_values=1,
            )
        )
        self.poll_id = poll_id
        self.slot_id = slot_id

    @classmethod
    async def from_custom_id(cls, interaction, item, match):
        return cls(int(match["poll"]), int(match["slot"]))

    async def callback(self, interaction: discord.Interaction) -> None:
        await guarded(interaction, self.run)

    async def run(self, interaction: discord.Interaction) -> None:
        client = interaction.client
        svc = client.services.polls
        answer = self.item.values[0]
        changed = await svc.vote(self.poll_id, interaction.user.id, self.slot_id, answer)
        poll = await svc.get(self.poll_id)
        page = next(
            (n for n, page in enumerate(pages_of(poll)) if any(t.slot_id == self.slot_id for t in page)), 0
        )
        content, view = await ballot(interaction, poll, page)
        await interaction.response.edit_message(content=content, view=view)
        if changed:
            await settle(client, poll)


class PollPage(discord.ui.DynamicItem[discord.ui.Button], template=r"poll:page:(?P<poll>\d+):(?P<page>\d+)"):
    def __init__(self, poll_id: int, page: int, label: str = "…") -> None:
        super().__init__(
            discord.ui.Button(
                label=label, style=discord.ButtonStyle.secondary, custom_id=f"poll:page:{poll_id}:{page}"
            )
        )
        self.poll_id = poll_id
        self.page = page

    @classmethod
    async def from_custom_id(cls, interaction, item, match):
        return cls(int(match["poll"]), int(match["page"]), item.label)

    async def callback(self, interaction: discord.Interaction) -> None:
        await guarded(interaction, self.run)

    async def run(self, interaction: discord.Interaction) -> None:
        poll = await interaction.client.services.polls.check_member(self.poll_id, interaction.user.id)
        content, view = await ballot(interaction, poll, self.page)
        await interaction.response.edit_message(content=content, view=view)


class PollModal(discord.ui.Modal):
    """Opened by the icebreaker's "Find a time to meet" button: title, slots, length."""

    def __init__(self, group_id: int, lang: str) -> None:
        super().__init__(title=i18n.t("poll.modal.title", lang)[:45], custom_id=f"poll:modal:{group_id}")
        self.group_id = group_id
        self.poll_title = discord.ui.TextInput(
            label=i18n.t("poll.modal.field_title", lang)[:45],
            custom_id="title",
            default=i18n.t("poll.modal.default_title", lang),
            max_length=100,
        )
        self.slots = discord.ui.TextInput(
            label=i18n.t("poll.modal.field_slots", lang)[:45],
            custom_id="slots",
            placeholder=SLOTS_EXAMPLE,
            style=discord.TextStyle.paragraph,
            max_length=1000,
        )
        self.length = discord.ui.TextInput(
            label=i18n.t("poll.modal.field_length", lang)[:45],
            custom_id="length",
            placeholder=i18n.t("poll.modal.length_placeholder", lang, default=DEFAULT_LENGTH)[:100],
            required=False,
            max_length=3,
        )
        for item in (self.poll_title, self.slots, self.length):
            self.add_item(item)

    async def on_submit(self, interaction: discord.Interaction) -> None:
        await guarded(interaction, self.run)

    async def run(self, interaction: discord.Interaction) -> None:
        raw = (self.length.value or "").strip()
        if raw and not raw.isdigit():
            raise NoSlots(value=raw, example="60")
        length = int(raw) if raw else None  # the slots' ranges, else the default
        await create_poll(interaction, title=self.poll_title.value, slots=self.slots.value, length=length)


class PollStart(IdButton, discord.ui.DynamicItem[discord.ui.Button], template=r"poll:start:(?P<id>\d+)"):
    """ "Find a time to meet" (icebreaker) and "New poll" (result without a slot)."""

    prefix = "poll:start"
    style = discord.ButtonStyle.success
    emoji = "📅"

    async def run(self, interaction: discord.Interaction) -> None:
        group = await interaction.client.services.groups.get(self.entity_id)
        if group is None or group.status != "active":
            raise NotAGroupChannel()
        if interaction.user.id not in group.member_ids and not await is_teacher(interaction):
            raise NotAMember()
        await interaction.response.send_modal(PollModal(self.entity_id, lang_of(interaction)))


def poll_start_view(group_id: int, lang: str) -> discord.ui.View:
    """The icebreaker's persistent "Find a time to meet" button."""
    view = discord.ui.View(timeout=None)
    view.add_item(PollStart(group_id, i18n.t("poll.button.start", lang)))
    return view


# --- the cog ------------------------------------------------------------------------------------


@app_commands.guild_only()
class PollCog(commands.GroupCog, group_name="poll", group_description=L("cmd.poll")):
    def __init__(self, bot: commands.Bot) -> None:
        self.bot = bot
        self.edits = Coalescer(EDIT_INTERVAL)

    async def cog_load(self) -> None:
        self.bot.services.runner.register("poll_close", self.on_deadline)
        self.bot.services.runner.register("poll_remind", self.on_remind)
        self.bot.services.runner.register("poll_repeat", self.on_repeat)

    @app_commands.command(name="create", description=L("cmd.poll.create"))
    @app_commands.describe(
        title=L("opt.poll.title"),
        slots=L("opt.poll.slots"),
        days=L("opt.poll.days"),
        times=L("opt.poll.times"),
        over_days=L("opt.poll.over_days"),
        length=L("opt.poll.length"),
        deadline=L("opt.poll.deadline"),
        repeat=L("opt.poll.repeat"),
    )
    async def create(
        self,
        interaction: discord.Interaction,
        title: app_commands.Range[str, 1, 100],
        slots: app_commands.Range[str, 1, 1000] | None = None,
        days: app_commands.Range[str, 1, 100] | None = None,
        times: app_commands.Range[str, 1, 100] | None = None,
        over_days: app_commands.Range[int, 1, 60] = 7,
        length: app_commands.Range[int, 15, 480] | None = None,
        deadline: app_commands.Range[str, 1, 100] | None = None,
        repeat: bool = False,
    ) -> None:
        await create_poll(
            interaction,
            title=title,
            slots=slots,
            days=days,
            times=times,
            over_days=over_days,
            length=length,
            deadline=deadline,
            repeat=repeat,
        )

    # --- actions ---------------------------------------------------------------------------------

    async def on_deadline(self, job: Job) -> None:
        if await close_poll(self.bot, job.payload["poll_id"], "deadline", nonce=job.nonce) is None:
            raise Skip()

    async def on_repeat(self, job: Job) -> None:
        """A week after a weekly poll opened: the next week's poll, posted once (a retry after the
        poll was written but before its message was posted posts it; Discord drops a repeated send
        by its nonce)."""
        poll = await self.bot.services.polls.repeat(job.payload["poll_id"])
        if poll is None or poll.message_id is not None or poll.status != "open":
            raise Skip()
        channel = self.bot.get_channel(poll.channel_id)
        if channel is None:
            await self.bot.services.polls.cancel(poll.id)
            raise Skip()
        await post_poll(self.bot, channel, poll, nonce=job.nonce)

    async def on_remind(self, job: Job) -> None:
        poll = await self.bot.services.polls.get(job.payload["poll_id"])
        channel = self.bot.get_channel(poll.channel_id)
        if poll.status != "open" or not poll.waiting or channel is None:
            raise Skip()
        lang = guild_lang(channel.guild, self.bot)
        text = i18n.t(
            "poll.remind",
            lang,
            who=" ".join(f"<@{u}>" for u in poll.waiting),
            title=poll.title,
            deadline=format_dt(poll.deadline, "F"),
            relative=format_dt(poll.deadline, "R"),
            link=jump_url(poll.guild_id, poll.channel_id, poll.message_id),
        )
        await channel.send(
            text,
            allowed_mentions=discord.AllowedMentions(
                users=[discord.Object(u) for u in poll.waiting], roles=False, everyone=False
            ),
            nonce=job.nonce,
        )


async def setup(bot: commands.Bot) -> None:
    bot.add_dynamic_items(
        PollVoteButton, PollFillButton, PollCloseButton, PollStopRepeat, PollAnswer, PollPage, PollStart
    )
    await bot.add_cog(PollCog(bot))


__all__ = ["GENERATE_EXAMPLE", "PollCog", "close_poll", "create_poll", "poll_start_view"]
