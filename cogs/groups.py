"""/groups (teachers) and /mygroup (learners): formation preview → confirm → private channels."""

from __future__ import annotations

import asyncio
import logging

import discord
from discord import app_commands
from discord.ext import commands
from discord.utils import format_dt

from bot import i18n
from bot.errors import DomainError
from bot.services.departures import DEPARTURE_KIND, NotPlaced, size_note
from bot.services.formation import STRATEGIES
from bot.services.groups import (
    CategorySlot,
    GroupInfo,
    NotALearner,
    NotInGroup,
    Preview,
    channel_mark,
    channel_name,
    check_guild_room,
    parse_mark,
    plan_categories,
    plan_for_course,
)
from bot.tree import NO_MENTIONS, IdButton, L, lang_of, reply, tr
from cogs._common import (
    TeacherCog,
    bot_member,
    bot_target,
    course_autocomplete,
    course_for,
    is_teacher,
    members_known,
)
from cogs.profiles import intro_card
from storage.models import Course

log = logging.getLogger(__name__)


class BotLacks(DomainError):
    key = "error.bot_missing_permissions"


async def check_bot_can_build(guild: discord.Guild, client: discord.Client) -> None:
    """Manage Channels and Manage Roles (overwrites) are needed before anything is created."""
    perms = (await bot_member(guild, client)).guild_permissions
    missing = [
        label
        for flag, label in (("manage_channels", "Manage Channels"), ("manage_roles", "Manage Roles"))
        if not getattr(perms, flag)
    ]
    if missing:
        raise BotLacks(permissions=", ".join(missing))


def guild_lang(guild: discord.Guild, client: discord.Client) -> str:
    """The language of what the bot posts on the guild: its courses' (chosen at /course setup), else
    the server's Discord language, else the bot's default."""
    chosen = client.services.courses.guild_language(guild.id)
    default = client.settings.bot.default_locale
    return chosen or i18n.pick_language(guild.preferred_locale.value, default=default)


def course_lang(course: Course, guild: discord.Guild, client: discord.Client) -> str:
    """The language of what the bot posts for this course."""
    return course.language or guild_lang(guild, client)


def group_overwrites(
    guild: discord.Guild, client: discord.Client, course: Course, member_ids: tuple[int, ...]
) -> dict[discord.abc.Snowflake, discord.PermissionOverwrite]:
    """@everyone: no view; each member: view + send; the bot; the teacher role per the course setting."""
    member_allow = discord.PermissionOverwrite(
        view_channel=True, send_messages=True, read_message_history=True
    )
    overwrites: dict[discord.abc.Snowflake, discord.PermissionOverwrite] = {
        guild.default_role: discord.PermissionOverwrite(view_channel=False),
        bot_target(client): discord.PermissionOverwrite(
            view_channel=True,
            send_messages=True,
            embed_links=True,
            attach_files=True,
            read_message_history=True,
        ),
    }
    if course.teachers_see_groups:
        overwrites[discord.Object(course.teacher_role_id, type=discord.Role)] = member_allow
    for uid in member_ids:
        overwrites[discord.Object(uid, type=discord.Member)] = member_allow
    return overwrites


def course_categories(guild: discord.Guild, base: str) -> list[discord.CategoryChannel]:
    return [c for c in guild.categories if c.name == base or c.name.startswith(base + " ")]


async def build_channels(guild: discord.Guild, course: Course, client: discord.Client) -> list[GroupInfo]:
    """Give every group of the course its channel, then its icebreaker; safe to run again.

    A channel created just before a crash carries the group's mark in its topic and is
    adopted instead of duplicated.
    """
    groups_svc = client.services.groups
    pending = await groups_svc.without_channel(course.id)
    pending_ids = {g.id for g in pending}
    adopted = set()
    for ch in guild.text_channels:
        group_id = parse_mark(ch.topic)
        if group_id in pending_ids and group_id not in adopted:
            await groups_svc.attach_channel(group_id, ch.id)
            adopted.add(group_id)
    to_create = [g for g in pending if g.id not in adopted]
    if to_create:
        await check_bot_can_build(guild, client)
        existing = course_categories(guild, course.category_name)
        plan = plan_categories(
            [CategorySlot(c.id, c.name, len(c.channels)) for c in existing],
            course.category_name,
            len(to_create),
        )
        check_guild_room(len(guild.channels), plan)
        categories = {c.id: c for c in existing}
        for slot in plan.new_categories:
            category = await guild.create_category(
                slot.name,
                overwrites={
                    guild.default_role: discord.PermissionOverwrite(view_channel=False),
                    bot_target(client): discord.PermissionOverwrite(view_channel=True),
                },
                reason=f"groups of {course.name}",
            )
            slot.id = category.id
            categories[category.id] = category
        lang = course_lang(course, guild, client)
        for group, slot in zip(to_create, plan.targets, strict=True):
            topic = i18n.t("groups.channel.topic", lang, number=group.number, course=course.name)
            channel = await guild.create_text_channel(
                channel_name(group.number),
                category=categories[slot.id],
                topic=f"{topic} {channel_mark(group.id)}",
                overwrites=group_overwrites(guild, client, course, group.member_ids),
                reason=f"group {group.number} of {course.name}",
            )
            await groups_svc.attach_channel(group.id, channel.id)
        # the channel-create events came before the ids were stored: the activity map reads them now
        client.dispatch("group_channels_built", course.id)
    groups = await groups_svc.groups(course.id)
    for group in groups:
        if not group.icebreaker_sent and group.channel_id:
            await post_icebreaker(guild, course, group, client)
    return groups


async def post_icebreaker(
    guild: discord.Guild, course: Course, group: GroupInfo, client: discord.Client
) -> None:
    channel = guild.get_channel(group.channel_id)
    if channel is None or not await client.services.groups.claim_icebreaker(group.id):
        return
    lang = course_lang(course, guild, client)
    profiles = await client.services.profiles.many(guild.id, list(group.member_ids))
    cards = []
    for uid in group.member_ids:
        member = guild.get_member(uid)
        name = member.display_name if member else str(uid)
        cards.append(intro_card(name, profiles[uid], lang, member.display_avatar.url if member else None))
    mentions = ", ".join(f"<@{uid}>" for uid in group.member_ids)
    text = i18n.t("groups.icebreaker", lang, number=group.number, course=course.name, mentions=mentions)
    pings = discord.AllowedMentions(
        users=[discord.Object(uid) for uid in group.member_ids], roles=False, everyone=False
    )
    try:
        from cogs.polls import poll_start_view  # the "Find a time to meet" button (poll:start:<group_id>)

        await channel.send(
            text, embeds=cards[:10], allowed_mentions=pings, view=poll_start_view(group.id, lang)
        )
        for start in range(10, len(cards), 10):
            await channel.send(embeds=cards[start : start + 10], allowed_mentions=NO_MENTIONS)
    except discord.HTTPException:
        await client.services.groups.release_icebreaker(group.id)
        raise


def preview_embed(preview: Preview, names: dict[int, str], interaction: discord.Interaction) -> discord.Embed:
    lang = lang_of(interaction)
    groups = preview.groups
    learners = sum(len(g.member_ids) for g in groups)
    shared = sum(1 for g in groups if g.shared_hours >= 1)
    lines = [
        tr(
            interaction,
            "groups.preview.summary",
            strategy=i18n.t(f"planning.strategy.{preview.strategy}", lang),
            min=preview.size_min,
            max=preview.size_max,
            shared=shared,
            groups=len(groups),
        )
    ]
    if learners < preview.size_min:
        lines.append(tr(interaction, "groups.preview.small", learners=learners, min=preview.size_min))
    unknown = sum(len(g.unknown_ids) for g in groups)
    if unknown:
        lines.append(tr(interaction, "groups.preview.unknown_note", count=unknown))
    lines.append("")
    budget = 3900 - sum(len(x) for x in lines)
    for n, g in enumerate(groups, 1):
        regions = f" · {', '.join(g.regions)}" if g.regions else ""
        if g.unknown_ids:
            not_given = ", ".join(names.get(u, str(u)) for u in g.unknown_ids)
            regions = tr(interaction, "groups.preview.unknown", names=not_given) + regions
        line = tr(
            interaction,
            "groups.preview.line",
            n=n,
            names=", ".join(names.get(u, str(u)) for u in g.member_ids),
            hours=f"{g.shared_hours:g}",
            regions=regions,
        )
        if len(line) + 1 > budget:
            lines.append(tr(interaction, "groups.preview.more", count=len(groups) - n + 1))
            break
        budget -= len(line) + 1
        lines.append(line)
    embed = discord.Embed(
        title=tr(interaction, "groups.preview.title", groups=len(groups), learners=learners),
        description="\n".join(lines),
        colour=discord.Colour.blurple(),
    )
    embed.set_footer(text=tr(interaction, "groups.preview.footer"))
    return embed


class ConfirmFormation(
    IdButton, discord.ui.DynamicItem[discord.ui.Button], template=r"groups:confirm:(?P<id>\d+)"
):
    prefix = "groups:confirm"
    style = discord.ButtonStyle.success

    async def run(self, interaction: discord.Interaction) -> None:
        if not await is_teacher(interaction):
            raise app_commands.CheckFailure()
        groups_svc = interaction.client.services.groups
        formation, preview = await groups_svc.load_preview(self.entity_id)
        course = await interaction.client.services.courses.get(formation.course_id)
        guild = interaction.guild
        await check_bot_can_build(guild, interaction.client)
        plan = plan_categories(
            [
                CategorySlot(c.id, c.name, len(c.channels))
                for c in course_categories(guild, course.category_name)
            ],
            course.category_name,
            len(preview.groups),
        )
        check_guild_room(len(guild.channels), plan)
        await interaction.response.defer(ephemeral=True, thinking=True)
        created = await groups_svc.confirm(self.entity_id)
        await build_channels(guild, course, interaction.client)
        fresh = [await groups_svc.get(g.id) for g in created]
        channels = " ".join(f"<#{g.channel_id}>" for g in fresh if g and g.channel_id)
        await reply(interaction, tr(interaction, "groups.created", count=len(created), channels=channels))


class CancelFormation(
    IdButton, discord.ui.DynamicItem[discord.ui.Button], template=r"groups:cancel:(?P<id>\d+)"
):
    prefix = "groups:cancel"

    async def run(self, interaction: discord.Interaction) -> None:
        if not await is_teacher(interaction):
            raise app_commands.CheckFailure()
        await interaction.client.services.groups.cancel(self.entity_id)
        await interaction.response.edit_message(
            content=tr(interaction, "groups.cancelled"), embed=None, view=None
        )


def _names(guild: discord.Guild, ids) -> dict[int, str]:
    out = {}
    for uid in ids:
        m = guild.get_member(uid)
        out[uid] = m.display_name if m else str(uid)
    return out


class Groups(TeacherCog, group_name="groups", group_description=L("cmd.groups")):
    @app_commands.command(name="form", description=L("cmd.groups.form"))
    @app_commands.describe(strategy=L("opt.strategy"), course=L("opt.course"), seed=L("opt.seed"))
    @app_commands.choices(
        strategy=[app_commands.Choice(name=L(f"planning.strategy.{s}"), value=s) for s in STRATEGIES]
    )
    @app_commands.autocomplete(course=course_autocomplete)
    async def form(
        self,
        interaction: discord.Interaction,
        strategy: app_commands.Choice[str],
        course: str | None = None,
        seed: app_commands.Range[int, 0, 1_000_000] = 0,
    ) -> None:
        the_course = await course_for(interaction, course)
        guild = interaction.guild
        await check_bot_can_build(guild, self.bot)
        # Planning a large course takes up to a second: answer Discord first, plan off the event loop.
        await interaction.response.defer(ephemeral=True, thinking=True)
        await members_known(self.bot, guild)  # just started: the member list may still be on its way
        svc = self.bot.services
        role = guild.get_role(the_course.learner_role_id)
        placed = await svc.groups.placed_user_ids(the_course.id)
        placed |= await svc.departures.set_aside(the_course.id)  # taken out by a teacher: not placed again
        learners = [m for m in (role.members if role else []) if not m.bot and m.id not in placed]
        people = [(m.id, m.display_name) for m in learners]
        profiles = await svc.profiles.many(guild.id, [m.id for m in learners])
        planned = await asyncio.to_thread(
            plan_for_course,
            the_course,
            people,
            profiles,
            strategy.value,
            seed,
            svc.courses.today(the_course.timezone),
        )
        preview = await svc.groups.save_preview(
            the_course, strategy.value, seed, interaction.user.id, planned
        )
        view = discord.ui.View(timeout=None)
        view.add_item(ConfirmFormation(preview.formation_id, tr(interaction, "groups.button.confirm")))
        view.add_item(CancelFormation(preview.formation_id, tr(interaction, "groups.button.cancel")))
        await reply(interaction, embed=preview_embed(preview, dict(people), interaction), view=view)

    @app_commands.command(name="list", description=L("cmd.groups.list"))
    @app_commands.describe(course=L("opt.course"))
    @app_commands.autocomplete(course=course_autocomplete)
    async def list_(self, interaction: discord.Interaction, course: str | None = None) -> None:
        the_course = await course_for(interaction, course)
        groups = await self.bot.services.groups.groups(the_course.id)
        guild = interaction.guild
        if not groups:
            text = tr(interaction, "groups.list.empty")
        else:
            lines = []
            for g in groups:
                channel = (
                    f"<#{g.channel_id}>"
                    if g.channel_id and guild.get_channel(g.channel_id)
                    else tr(interaction, "groups.list.missing_channel")
                )
                members = ", ".join(f"<@{u}>" for u in g.member_ids)
                lines.append(
                    tr(interaction, "groups.list.line", number=g.number, channel=channel, members=members)
                )
            role = guild.get_role(the_course.learner_role_id)
            placed = {u for g in groups for u in g.member_ids}
            aside = await self.bot.services.departures.set_aside(the_course.id)
            learners = [m for m in (role.members if role else []) if not m.bot and m.id not in placed]
            lines.append("")
            lines.append(
                tr(interaction, "groups.list.unplaced", count=sum(1 for m in learners if m.id not in aside))
            )
            if aside:
                lines.append(tr(interaction, "groups.list.set_aside", count=len(aside)))
            text = "\n".join(lines)
            if len(text) > 4000:
                text = text[:3990] + "\n…"
        embed = discord.Embed(
            title=tr(interaction, "groups.list.title", course=the_course.name), description=text
        )
        await reply(interaction, embed=embed)

    @app_commands.command(name="move", description=L("cmd.groups.move"))
    @app_commands.describe(member=L("opt.learner"), group=L("opt.group_number"), course=L("opt.course"))
    @app_commands.autocomplete(course=course_autocomplete)
    async def move(
        self,
        interaction: discord.Interaction,
        member: discord.Member,
        group: app_commands.Range[int, 1, 500],
        course: str | None = None,
    ) -> None:
        the_course = await course_for(interaction, course)
        if the_course.learner_role_id not in {r.id for r in member.roles}:
            raise NotALearner(member=member.display_name)
        old, new = await self.bot.services.groups.move(the_course, member.id, group)
        guild = interaction.guild
        if old and old.id != new.id and old.channel_id and (ch := guild.get_channel(old.channel_id)):
            await ch.set_permissions(member, overwrite=None, reason="group move")
        if new.channel_id and (ch := guild.get_channel(new.channel_id)):
            await ch.set_permissions(
                member,
                overwrite=discord.PermissionOverwrite(
                    view_channel=True, send_messages=True, read_message_history=True
                ),
                reason="group move",
            )
        from cogs.meetups import meetup_access  # cogs.meetups and cogs.polls import this module
        from cogs.polls import members_changed

        if old and old.id != new.id:
            await meetup_access(self.bot, guild, member.id, old.id, allow=False, reason="group move")
        await meetup_access(self.bot, guild, member.id, new.id, allow=True, reason="group move")
        for changed in {g.id for g in (old, new) if g is not None}:
            await members_changed(self.bot, changed)
        await reply(
            interaction, tr(interaction, "groups.moved", member=member.display_name, number=new.number)
        )

    @app_commands.command(name="remove", description=L("cmd.groups.remove"))
    @app_commands.describe(member=L("opt.learner"), course=L("opt.course"))
    @app_commands.autocomplete(course=course_autocomplete)
    async def remove(
        self, interaction: discord.Interaction, member: discord.User, course: str | None = None
    ) -> None:
        the_course = await course_for(interaction, course)
        svc = self.bot.services
        departure = await svc.departures.leave(the_course, member.id, "teacher", name=member.display_name)
        if departure is None:
            raise NotPlaced(member=member.display_name)
        await interaction.response.defer(ephemeral=True, thinking=True)
        await svc.runner.run_now(DEPARTURE_KIND)  # channel access and polls, before the reply
        name = member.display_name
        group = departure.group
        if group is None:
            lines = [tr(interaction, "groups.removed_waiting", member=name)]
        else:
            count = len(group.member_ids)
            lines = [tr(interaction, "groups.removed", member=name, number=group.number, count=count)]
            note = size_note(count, group.number, the_course.group_size_min)
            if note is not None:
                lines.append(tr(interaction, note[0], **note[1]))
        lines.append(tr(interaction, "groups.removed.kept", member=name))
        await reply(interaction, "\n".join(lines))

    @app_commands.command(name="archive", description=L("cmd.groups.archive"))
    @app_commands.describe(course=L("opt.course"), delete_channels=L("opt.delete_channels"))
    @app_commands.autocomplete(course=course_autocomplete)
    async def archive(
        self, interaction: discord.Interaction, course: str | None = None, delete_channels: bool = False
    ) -> None:
        the_course = await course_for(interaction, course)
        await interaction.response.defer(ephemeral=True, thinking=True)
        svc = self.bot.services.groups
        guild = interaction.guild
        archived = await svc.archive(the_course.id)
        for g in archived:
            channel = guild.get_channel(g.channel_id) if g.channel_id else None
            if channel is None:
                continue
            overwrites = dict(channel.overwrites)
            for target, overwrite in overwrites.items():
                if target.id not in (self.bot.user.id, guild.id):  # not the bot, not @everyone
                    overwrite.update(send_messages=False)
            await channel.edit(overwrites=overwrites, reason="course archived")
        lines = [tr(interaction, "groups.archived", count=len(archived))]
        if delete_channels:
            deleted = 0
            for g in await svc.archived(the_course.id):
                channel = guild.get_channel(g.channel_id) if g.channel_id else None
                if channel is not None:
                    await channel.delete(reason="archived group deleted")
                    deleted += 1
                await svc.forget_channel(g.id)
            lines.append(tr(interaction, "groups.deleted", count=deleted))
        await reply(interaction, "\n".join(lines))

    @app_commands.command(name="repair", description=L("cmd.groups.repair"))
    @app_commands.describe(course=L("opt.course"))
    @app_commands.autocomplete(course=course_autocomplete)
    async def repair(self, interaction: discord.Interaction, course: str | None = None) -> None:
        the_course = await course_for(interaction, course)
        missing = await self.bot.services.groups.without_channel(the_course.id)
        if not missing:
            await reply(interaction, tr(interaction, "groups.nothing_to_repair"))
            return
        await interaction.response.defer(ephemeral=True, thinking=True)
        await build_channels(interaction.guild, the_course, self.bot)
        fresh = [await self.bot.services.groups.get(g.id) for g in missing]
        await reply(
            interaction,
            tr(
                interaction,
                "groups.repaired",
                channels=" ".join(f"<#{g.channel_id}>" for g in fresh if g.channel_id),
            ),
        )

    # --- self-repair -------------------------------------------------------------------------------

    async def report_missing(self, guild: discord.Guild, group: GroupInfo) -> None:
        course = await self.bot.services.courses.get(group.course_id)
        staff = guild.get_channel(course.staff_channel_id) if course else None
        if staff is None:
            log.warning("group %s channel deleted in guild %s; no staff channel", group.id, guild.id)
            return
        await staff.send(
            i18n.t(
                "groups.staff.channel_deleted",
                course_lang(course, guild, self.bot),
                number=group.number,
                course=course.name,
            ),
            allowed_mentions=NO_MENTIONS,
        )

    @commands.Cog.listener()
    async def on_guild_channel_delete(self, channel: discord.abc.GuildChannel) -> None:
        group = await self.bot.services.groups.channel_gone(channel.id)
        if group is not None:
            await self.report_missing(channel.guild, group)

    @commands.Cog.listener()
    async def on_ready(self) -> None:
        """Channels deleted while the bot was away are noticed on start."""
        for guild in self.bot.guilds:
            for course in await self.bot.services.courses.list(guild.id):
                for group in await self.bot.services.groups.groups(course.id):
                    if group.channel_id and guild.get_channel(group.channel_id) is None:
                        gone = await self.bot.services.groups.channel_gone(group.channel_id)
                        if gone is not None:
                            await self.report_missing(guild, gone)


async def next_meetup_line(bot: commands.Bot, group_id: int, interaction: discord.Interaction) -> str:
    upcoming = await bot.services.meetups.upcoming(group_id)
    if not upcoming:
        return tr(interaction, "groups.mygroup.no_meetup")
    when = format_dt(upcoming[0].starts_at, "F")
    return tr(interaction, "groups.mygroup.next", title=upcoming[0].title, when=when)


class MyGroup(commands.Cog):
    def __init__(self, bot: commands.Bot) -> None:
        self.bot = bot

    @app_commands.command(name="mygroup", description=L("cmd.mygroup"))
    @app_commands.guild_only()
    async def mygroup(self, interaction: discord.Interaction) -> None:
        course = await course_for(interaction)
        group = await self.bot.services.groups.group_of(course.id, interaction.user.id)
        if group is None:
            raise NotInGroup()
        channel = (
            f"<#{group.channel_id}>" if group.channel_id else tr(interaction, "groups.list.missing_channel")
        )
        embed = discord.Embed(
            title=tr(interaction, "groups.mygroup.title", number=group.number, course=course.name),
            description=tr(
                interaction,
                "groups.mygroup.body",
                channel=channel,
                members=", ".join(f"<@{u}>" for u in group.member_ids),
            )
            + "\n"
            + await next_meetup_line(self.bot, group.id, interaction),
            colour=discord.Colour.teal(),
        )
        await reply(interaction, embed=embed)


async def setup(bot: commands.Bot) -> None:
    bot.add_dynamic_items(ConfirmFormation, CancelFormation)
    await bot.add_cog(Groups(bot))
    await bot.add_cog(MyGroup(bot))
