"""/faq ask (learners), /faqbase … (teachers), FAQ auto-suggest in help channels.

The rules live in `bot/services/faq.py`; this module parses interactions and renders.
"""

from __future__ import annotations

import io
import logging
from typing import Literal

import discord
from discord import app_commands
from discord.ext import commands

from bot import i18n
from bot.errors import DomainError
from bot.services.faq import (
    Answer,
    EntryExists,
    FaqImportError,
    NotYourQuestion,
    QuestionGone,
    entry_from_form,
)
from bot.services.faq_base import MAX_ANSWER_CHARS, MAX_QUESTION_CHARS, FaqEntry, parse_base, render_problems
from bot.services.faq_engine import is_question
from bot.tree import NO_MENTIONS, IdButton, L, guarded, jump_url, lang_of, reply, tr
from cogs._common import TeacherCog, course_autocomplete, course_for, is_teacher, message_text, services
from storage.models import Course

log = logging.getLogger(__name__)

MESSAGE_LIMIT = 2000
EMBED_LIMIT = 4096
LIST_PAGE = 20
MAX_FILE_BYTES = 2_000_000


class EmptyBase(DomainError):
    key = "faqbase.error.empty"


class FileTooBig(DomainError):
    key = "faqbase.error.too_big"


class NoStaffChannel(DomainError):
    key = "faq.error.no_staff_channel"


class HelpChannelOption(app_commands.Transformer):
    """A text, announcement or forum channel (not media channels, which the API spec we are
    validated against does not list)."""

    @property
    def type(self) -> discord.AppCommandOptionType:
        return discord.AppCommandOptionType.channel

    @property
    def channel_types(self) -> list[discord.ChannelType]:
        return [discord.ChannelType.text, discord.ChannelType.news, discord.ChannelType.forum]

    async def transform(self, interaction: discord.Interaction, value):
        return value


# --- helpers ------------------------------------------------------------------------------------


async def base_course(interaction: discord.Interaction, name: str | None) -> Course | None:
    """The course whose base a command is about; None (the guild-wide base) on a server without
    courses."""
    if not name and not await services(interaction).courses.list(interaction.guild.id):
        return None
    return await course_for(interaction, name)


def base_label(interaction: discord.Interaction, course: Course | None) -> str:
    return course.name if course else tr(interaction, "faqbase.base.guild")


def guild_language(guild: discord.Guild, client: discord.Client) -> str:
    return i18n.pick_language(guild.preferred_locale.value, default=client.settings.bot.default_locale)


def fit_lines(lines: list[str], limit: int, lang: str) -> str:
    """Join lines within `limit` characters, ending with "… and N more" when some are left out."""
    out: list[str] = []
    used = 0
    for n, line in enumerate(lines):
        more = i18n.t("faqbase.more_problems", lang, count=len(lines) - n)
        if used + len(line) + 1 + len(more) > limit and n < len(lines) - 1 or used + len(line) > limit:
            out.append(more)
            break
        out.append(line)
        used += len(line) + 1
    return "\n".join(out)


def answer_embed(entry: FaqEntry, footer: str | None) -> discord.Embed:
    """The teacher's markdown as typed, in an embed (description ≤ 4096, answers are ≤ 1800)."""
    embed = discord.Embed(
        title=entry.question[:256], description=entry.answer[:EMBED_LIMIT], colour=discord.Colour.teal()
    )
    if footer:
        embed.set_footer(text=footer[:2048])
    return embed


def answer_message(interaction: discord.Interaction, answer: Answer) -> dict:
    lang = lang_of(interaction)
    lines = []
    if answer.sureness == "unsure":
        lines.append(i18n.t("faq.ask.unsure", lang))
    elif answer.sureness == "none":
        lines.append(i18n.t("faq.ask.none", lang))
    if answer.others:
        lines.append(i18n.t("faq.ask.others", lang))
        lines += [i18n.t("faq.ask.other", lang, question=q[:200], id=eid) for eid, q in answer.others]
    view = discord.ui.View(timeout=None)
    for entry_id, question in answer.others:  # open a close entry's answer without asking again
        label = i18n.t("faq.button.show", lang, question=question)
        view.add_item(ShowEntry(answer.question_id, entry_id, label))
    if answer.entry is not None:
        view.add_item(Helpful(answer.question_id, i18n.t("faq.button.helpful", lang)))
        view.add_item(Unhelpful(answer.question_id, i18n.t("faq.button.unhelpful", lang)))
        if answer.sureness in ("sure", "fairly"):
            view.add_item(Share(answer.question_id, i18n.t("faq.button.share", lang)))
    view.add_item(AskTeacher(answer.question_id, i18n.t("faq.button.teacher", lang)))
    message: dict = {"view": view}
    if lines:
        message["content"] = fit_lines(lines, MESSAGE_LIMIT, lang)
    if answer.entry is not None:
        message["embed"] = answer_embed(answer.entry, i18n.t(f"faq.sure.{answer.sureness}", lang))
    return message


def teacher_view(question_id: int, lang: str) -> discord.ui.View:
    view = discord.ui.View(timeout=None)
    view.add_item(AskTeacher(question_id, i18n.t("faq.button.teacher", lang)))
    return view


# --- persistent buttons (faq:<action>:<question id>) --------------------------------------------


class Helpful(IdButton, discord.ui.DynamicItem[discord.ui.Button], template=r"faq:helpful:(?P<id>\d+)"):
    prefix = "faq:helpful"
    style = discord.ButtonStyle.success

    async def run(self, interaction: discord.Interaction) -> None:
        await services(interaction).faq.vote(self.entity_id, interaction.user.id, True)
        await reply(interaction, tr(interaction, "faq.vote.thanks"))


class Unhelpful(IdButton, discord.ui.DynamicItem[discord.ui.Button], template=r"faq:unhelpful:(?P<id>\d+)"):
    prefix = "faq:unhelpful"

    async def run(self, interaction: discord.Interaction) -> None:
        info = await services(interaction).faq.vote(self.entity_id, interaction.user.id, False)
        if info.kind == "ask":
            view = teacher_view(info.id, lang_of(interaction))
            await reply(interaction, tr(interaction, "faq.vote.unhelpful"), view=view)
        else:
            await reply(interaction, tr(interaction, "faq.vote.thanks"))


class Share(IdButton, discord.ui.DynamicItem[discord.ui.Button], template=r"faq:share:(?P<id>\d+)"):
    """Post the answer in the channel, for everyone, pinging no one."""

    prefix = "faq:share"
    style = discord.ButtonStyle.primary

    async def run(self, interaction: discord.Interaction) -> None:
        faq = services(interaction).faq
        info = await faq.question(self.entity_id)
        if info.user_id != interaction.user.id:
            raise NotYourQuestion()
        if info.entry_id is None:
            raise QuestionGone()
        entry = await faq.entry(info.guild_id, info.course_id, info.entry_id)
        footer = tr(interaction, "faq.shared", name=interaction.user.display_name)
        await interaction.response.send_message(
            embed=answer_embed(entry, footer), ephemeral=False, allowed_mentions=NO_MENTIONS
        )


ENTRY_ID = r"(?P<entry>[\w.\-]{1,64})"  # entry ids: see faq_base
SHOW_TEMPLATE = rf"faq:show:(?P<id>\d+):{ENTRY_ID}"
TEACH_TEMPLATE = rf"faq:teach:(?P<id>\d+):{ENTRY_ID}"


class QuestionEntryButton:
    r"""A persistent button about a question and an entry: custom_id `<prefix>:<question id>:<entry id>`.

    Subclass together with `discord.ui.DynamicItem[discord.ui.Button]`, passing
    `template=rf"<prefix>:(?P<id>\d+):{ENTRY_ID}"`; set `prefix` and `style`; implement `run`."""

    prefix: str
    style = discord.ButtonStyle.secondary

    def __init__(self, question_id: int, entry_id: str, label: str = "…") -> None:
        custom_id = f"{self.prefix}:{question_id}:{entry_id}"
        super().__init__(discord.ui.Button(label=label[:80], style=self.style, custom_id=custom_id))
        self.question_id, self.entry_id = question_id, entry_id

    @classmethod
    async def from_custom_id(cls, interaction: discord.Interaction, item: discord.ui.Button, match):
        return cls(int(match["id"]), match["entry"], item.label or "…")

    async def callback(self, interaction: discord.Interaction) -> None:
        await guarded(interaction, self.run)


class ShowEntry(QuestionEntryButton, discord.ui.DynamicItem[discord.ui.Button], template=SHOW_TEMPLATE):
    """The answer of one of the close entries listed under an answer (or under "I don't know")."""

    prefix = "faq:show"

    async def run(self, interaction: discord.Interaction) -> None:
        faq = services(interaction).faq
        entry = await faq.open_close_entry(self.question_id, interaction.user.id, self.entry_id)
        await reply(interaction, embed=answer_embed(entry, tr(interaction, "faq.show.footer")))


TEACH_BUTTONS = 5  # one row under /faqbase gaps, for the first groups (always shown in full)


class TeachVariant(QuestionEntryButton, discord.ui.DynamicItem[discord.ui.Button], template=TEACH_TEMPLATE):
    """Under /faqbase gaps: a gap's question becomes a variant of its close entry (teachers)."""

    prefix = "faq:teach"
    style = discord.ButtonStyle.primary

    async def run(self, interaction: discord.Interaction) -> None:
        if not await is_teacher(interaction):
            raise app_commands.CheckFailure()
        taught = await services(interaction).faq.teach(self.question_id, self.entry_id)
        key = "faqbase.taught" if taught.added else "faqbase.taught_already"
        text = tr(interaction, key, question=taught.variant[:300], id=taught.entry.id, count=taught.resolved)
        await reply(interaction, text)


class AskTeacher(IdButton, discord.ui.DynamicItem[discord.ui.Button], template=r"faq:teacher:(?P<id>\d+)"):
    """The question and a link to where it was asked, in the course's staff channel (once)."""

    prefix = "faq:teacher"

    async def run(self, interaction: discord.Interaction) -> None:
        svc = services(interaction)
        info = await svc.faq.claim_escalation(self.entity_id, interaction.user.id)
        course = await svc.courses.get(info.course_id)
        staff = interaction.guild.get_channel(course.staff_channel_id) if course else None
        if staff is None:
            await svc.faq.release_escalation(info.id)
            raise NoStaffChannel()
        link = jump_url(info.guild_id, info.channel_id)
        if info.message_id:
            link += f"/{info.message_id}"
        lang = guild_language(interaction.guild, interaction.client)
        text = i18n.t(
            "faq.teacher.post", lang, user=f"<@{info.user_id}>", question=info.text or "—", link=link
        )
        try:
            await staff.send(text[:MESSAGE_LIMIT], allowed_mentions=NO_MENTIONS)
        except discord.HTTPException:
            await svc.faq.release_escalation(info.id)
            raise
        await reply(interaction, tr(interaction, "faq.teacher.sent"))


# --- the entry modal (add / edit) ---------------------------------------------------------------


class EntryModal(discord.ui.Modal):
    def __init__(
        self, lang: str, guild_id: int, course_id: int | None, entry_id: str | None, entry: FaqEntry | None
    ) -> None:
        title = (
            i18n.t("faqbase.modal.edit", lang, id=entry_id) if entry else i18n.t("faqbase.modal.add", lang)
        )
        super().__init__(title=title[:45], custom_id=f"faq:modal:{course_id or 0}")
        self.guild_id, self.course_id, self.entry_id, self.editing = (
            guild_id,
            course_id,
            entry_id,
            entry is not None,
        )

        def field(key: str, custom_id: str, **kwargs) -> discord.ui.TextInput:
            item = discord.ui.TextInput(label=i18n.t(key, lang)[:45], custom_id=custom_id, **kwargs)
            self.add_item(item)
            return item

        self.question = field(
            "faqbase.field.question",
            "question",
            max_length=MAX_QUESTION_CHARS,
            default=entry.question if entry else None,
        )
        self.variants = field(
            "faqbase.field.variants",
            "variants",
            style=discord.TextStyle.paragraph,
            required=False,
            max_length=4000,
            default="\n".join(entry.variants) if entry else None,
        )
        self.answer = field(
            "faqbase.field.answer",
            "answer",
            style=discord.TextStyle.paragraph,
            max_length=MAX_ANSWER_CHARS,
            default=entry.answer if entry else None,
        )
        self.tags = field(
            "faqbase.field.tags",
            "tags",
            required=False,
            max_length=300,
            default=", ".join(entry.tags) if entry else None,
        )
        self.lang = field(
            "faqbase.field.lang", "lang", required=False, max_length=2, default=entry.lang if entry else lang
        )

    async def on_submit(self, interaction: discord.Interaction) -> None:
        await guarded(interaction, self.run)

    async def run(self, interaction: discord.Interaction) -> None:
        await interaction.response.defer(ephemeral=True, thinking=True)
        faq = services(interaction).faq
        entry_id = self.entry_id or await faq.free_id(self.guild_id, self.course_id, self.question.value)
        try:
            entry = entry_from_form(
                entry_id,
                self.question.value,
                self.variants.value,
                self.answer.value,
                self.tags.value,
                self.lang.value,
            )
        except FaqImportError as exc:
            lang = lang_of(interaction)
            problems = [i18n.t("faqbase.invalid", lang), *(f"• {p}" for p in render_problems(exc, lang))]
            await reply(interaction, fit_lines(problems, MESSAGE_LIMIT, lang))
            return
        if self.editing:
            await faq.edit(self.guild_id, self.course_id, entry)
            await reply(interaction, tr(interaction, "faqbase.edited", id=entry.id))
        else:
            await faq.add(self.guild_id, self.course_id, entry)
            await reply(interaction, tr(interaction, "faqbase.added", id=entry.id))


# --- the cogs -----------------------------------------------------------------------------------


@app_commands.guild_only()
class FaqCog(commands.GroupCog, group_name="faq", group_description=L("cmd.faq")):
    def __init__(self, bot: commands.Bot) -> None:
        self.bot = bot

    @app_commands.command(name="ask", description=L("cmd.faq.ask"))
    @app_commands.describe(question=L("opt.faq.question"), course=L("opt.course"))
    @app_commands.autocomplete(course=course_autocomplete)
    async def ask(
        self,
        interaction: discord.Interaction,
        question: app_commands.Range[str, 1, MAX_QUESTION_CHARS],
        course: str | None = None,
    ) -> None:
        found = await base_course(interaction, course)
        faq = services(interaction).faq
        course_id = found.id if found else None
        if not faq.is_ready(interaction.guild.id, course_id):
            await interaction.response.defer(ephemeral=True, thinking=True)  # building may take a while
        answer = await faq.ask(
            interaction.guild.id, course_id, interaction.user.id, interaction.channel_id, question
        )
        await reply(interaction, **answer_message(interaction, answer))

    # --- auto-suggest ---------------------------------------------------------------------------

    @commands.Cog.listener()
    async def on_message(self, message: discord.Message) -> None:
        if not self.bot.settings.bot.message_content_intent:
            return
        if message.guild is None or message.author.bot:
            return
        text = message_text(message)
        if not text or not is_question(text):
            return
        found, course_id = await self._suggest_scope(message.channel)
        if not found:
            return
        faq = self.bot.services.faq
        suggestion = await faq.suggest(
            message.guild.id, course_id, message.channel.id, message.id, message.author.id, text
        )
        if suggestion is None:
            return
        lang = guild_language(message.guild, self.bot)
        view = discord.ui.View(timeout=None)
        view.add_item(Helpful(suggestion.question_id, i18n.t("faq.button.answered", lang)))
        view.add_item(Unhelpful(suggestion.question_id, i18n.t("faq.button.not_this", lang)))
        await message.reply(
            i18n.t("faq.suggest.intro", lang),
            embed=answer_embed(suggestion.entry, None),
            view=view,
            allowed_mentions=NO_MENTIONS,
            mention_author=False,
        )
        log.info(
            "faq suggestion %s in guild=%s channel=%s",
            suggestion.entry.id,
            message.guild.id,
            message.channel.id,
        )

    async def _suggest_scope(self, channel: discord.abc.MessageableChannel) -> tuple[bool, int | None]:
        """Help channels (and posts/threads under them); group channels only when the course allows."""
        faq = self.bot.services.faq
        found, course_id = await faq.help_channel(channel.id)
        parent_id = getattr(channel, "parent_id", None)
        if not found and isinstance(channel, discord.Thread) and parent_id:
            found, course_id = await faq.help_channel(parent_id)
        if found:
            return True, course_id
        allowed = await faq.courses_suggesting_in_groups()
        if not allowed:
            return False, None
        group = await self.bot.services.groups.by_channel(channel.id)
        if group is not None and group.status == "active" and group.course_id in allowed:
            return True, group.course_id
        return False, None


class FaqBaseCog(TeacherCog, group_name="faqbase", group_description=L("cmd.faqbase")):
    @app_commands.command(name="add", description=L("cmd.faqbase.add"))
    @app_commands.describe(id=L("opt.faq.new_id"), course=L("opt.course"))
    @app_commands.autocomplete(course=course_autocomplete)
    async def add(
        self,
        interaction: discord.Interaction,
        id: app_commands.Range[str, 1, 64] | None = None,
        course: str | None = None,
    ) -> None:
        found = await base_course(interaction, course)
        course_id = found.id if found else None
        if id is not None:
            entries = await services(interaction).faq.entries(interaction.guild.id, course_id)
            if any(e.id == id for e in entries):
                raise EntryExists(id=id)
        modal = EntryModal(lang_of(interaction), interaction.guild.id, course_id, id, None)
        await interaction.response.send_modal(modal)

    @app_commands.command(name="edit", description=L("cmd.faqbase.edit"))
    @app_commands.describe(id=L("opt.faq.entry_id"), course=L("opt.course"))
    @app_commands.autocomplete(course=course_autocomplete)
    async def edit(
        self,
        interaction: discord.Interaction,
        id: app_commands.Range[str, 1, 64],
        course: str | None = None,
    ) -> None:
        found = await base_course(interaction, course)
        course_id = found.id if found else None
        entry = await services(interaction).faq.entry(interaction.guild.id, course_id, id)
        modal = EntryModal(lang_of(interaction), interaction.guild.id, course_id, entry.id, entry)
        await interaction.response.send_modal(modal)

    @app_commands.command(name="remove", description=L("cmd.faqbase.remove"))
    @app_commands.describe(id=L("opt.faq.entry_id"), course=L("opt.course"))
    @app_commands.autocomplete(course=course_autocomplete)
    async def remove(
        self,
        interaction: discord.Interaction,
        id: app_commands.Range[str, 1, 64],
        course: str | None = None,
    ) -> None:
        found = await base_course(interaction, course)
        await interaction.response.defer(ephemeral=True, thinking=True)
        await services(interaction).faq.remove(interaction.guild.id, found.id if found else None, id)
        await reply(interaction, tr(interaction, "faqbase.removed", id=id))

    @app_commands.command(name="list", description=L("cmd.faqbase.list"))
    @app_commands.describe(course=L("opt.course"), page=L("opt.faq.page"))
    @app_commands.autocomplete(course=course_autocomplete)
    async def list_(
        self,
        interaction: discord.Interaction,
        course: str | None = None,
        page: app_commands.Range[int, 1, 1000] = 1,
    ) -> None:
        found = await base_course(interaction, course)
        entries = await services(interaction).faq.entries(interaction.guild.id, found.id if found else None)
        if not entries:
            raise EmptyBase()
        pages = (len(entries) + LIST_PAGE - 1) // LIST_PAGE
        page = min(page, pages)
        lines = []
        for e in entries[(page - 1) * LIST_PAGE : page * LIST_PAGE]:
            tags = f" · {', '.join(e.tags)}" if e.tags else ""
            lines.append(f"`{e.id}` [{e.lang}] {e.question}{tags}"[:180])
        embed = discord.Embed(
            title=tr(
                interaction, "faqbase.list.title", base=base_label(interaction, found), count=len(entries)
            )[:256],
            description="\n".join(lines)[:EMBED_LIMIT],
            colour=discord.Colour.teal(),
        )
        embed.set_footer(text=tr(interaction, "faqbase.list.footer", page=page, pages=pages))
        await reply(interaction, embed=embed)

    @app_commands.command(name="import", description=L("cmd.faqbase.import"))
    @app_commands.describe(file=L("opt.faq.file"), replace=L("opt.faq.replace"), course=L("opt.course"))
    @app_commands.autocomplete(course=course_autocomplete)
    async def import_(
        self,
        interaction: discord.Interaction,
        file: discord.Attachment,
        replace: bool = False,
        course: str | None = None,
    ) -> None:
        found = await base_course(interaction, course)
        if file.size > MAX_FILE_BYTES:
            raise FileTooBig(size=file.size, limit=MAX_FILE_BYTES)
        await interaction.response.defer(ephemeral=True, thinking=True)
        lang = lang_of(interaction)
        data = await file.read()
        try:
            parsed = parse_base(file.filename, data)
        except FaqImportError as exc:
            lines = [i18n.t(exc.key, lang, **exc.params), *(f"• {p}" for p in render_problems(exc, lang))]
            await reply(interaction, fit_lines(lines, MESSAGE_LIMIT, lang))
            return
        report = await services(interaction).faq.import_entries(
            interaction.guild.id, found.id if found else None, parsed.entries, replace=replace
        )
        lines = [
            tr(
                interaction,
                "faqbase.imported",
                added=report.added,
                updated=report.updated,
                removed=report.removed,
                total=report.total,
            )
        ]
        if parsed.notice:
            key, values = parsed.notice
            lines.append(i18n.t(key, lang, **values))
        await reply(interaction, fit_lines(lines, MESSAGE_LIMIT, lang))

    @app_commands.command(name="export", description=L("cmd.faqbase.export"))
    @app_commands.describe(format=L("opt.faq.format"), course=L("opt.course"))
    @app_commands.autocomplete(course=course_autocomplete)
    async def export(
        self,
        interaction: discord.Interaction,
        format: Literal["toml", "csv"] = "toml",
        course: str | None = None,
    ) -> None:
        found = await base_course(interaction, course)
        faq = services(interaction).faq
        course_id = found.id if found else None
        count = len(await faq.entries(interaction.guild.id, course_id))
        if not count:
            raise EmptyBase()
        text = await faq.export(interaction.guild.id, course_id, format)
        name = f"faq-{found.id if found else 'server'}.{format}"
        file = discord.File(io.BytesIO(text.encode("utf-8")), filename=name)
        await reply(interaction, tr(interaction, "faqbase.exported", count=count), file=file)

    @app_commands.command(name="gaps", description=L("cmd.faqbase.gaps"))
    @app_commands.describe(course=L("opt.course"), clear=L("opt.faq.clear"))
    @app_commands.autocomplete(course=course_autocomplete)
    async def gaps(
        self, interaction: discord.Interaction, course: str | None = None, clear: bool = False
    ) -> None:
        found = await base_course(interaction, course)
        faq = services(interaction).faq
        course_id = found.id if found else None
        if clear:
            count = await faq.clear_gaps(interaction.guild.id, course_id)
            await reply(interaction, tr(interaction, "faqbase.gaps.cleared", count=count))
            return
        gaps = await faq.gaps(interaction.guild.id, course_id)
        if not gaps.groups and not gaps.disliked:
            await reply(interaction, tr(interaction, "faqbase.gaps.none"))
            return
        lang = lang_of(interaction)
        lines = []
        view = discord.ui.View(timeout=None)
        for n, g in enumerate(gaps.groups, 1):
            near = i18n.t("faqbase.gaps.near", lang, id=g.entry_id) if g.entry_id else ""
            line = i18n.t("faqbase.gaps.line", lang, count=g.count, question=g.example[:300])
            lines.append(f"`{n}` {line}{near}")
            lines += [i18n.t("faqbase.gaps.other", lang, question=o[:200]) for o in g.others]
            if g.entry_id and g.ids and n <= TEACH_BUTTONS:
                label = i18n.t("faqbase.button.teach", lang, n=n, id=g.entry_id)
                view.add_item(TeachVariant(g.ids[0], g.entry_id, label))
        if gaps.disliked:
            entries = ", ".join(f"`{eid}` ×{n}" for eid, n in gaps.disliked)
            lines.append("")
            lines.append(i18n.t("faqbase.gaps.disliked", lang, entries=entries))
        embed = discord.Embed(
            title=tr(interaction, "faqbase.gaps.title", base=base_label(interaction, found))[:256],
            description=fit_lines(lines, EMBED_LIMIT - 100, lang),
            colour=discord.Colour.orange(),
        )
        if view.children:
            embed.set_footer(text=tr(interaction, "faqbase.gaps.teach_hint"))
            await reply(interaction, embed=embed, view=view)
        else:
            await reply(interaction, embed=embed)

    @app_commands.command(name="helpchannel", description=L("cmd.faqbase.helpchannel"))
    @app_commands.describe(channel=L("opt.faq.channel"), enabled=L("opt.faq.enabled"), course=L("opt.course"))
    @app_commands.autocomplete(course=course_autocomplete)
    async def helpchannel(
        self,
        interaction: discord.Interaction,
        channel: app_commands.Transform[discord.abc.Snowflake, HelpChannelOption],
        enabled: bool = True,
        course: str | None = None,
    ) -> None:
        found = await base_course(interaction, course)
        await services(interaction).faq.set_help_channel(
            interaction.guild.id, channel.id, found.id if found else None, enabled
        )
        if enabled:
            text = tr(
                interaction,
                "faqbase.helpchannel.on",
                channel=channel.mention,
                base=base_label(interaction, found),
            )
            if not self.bot.settings.bot.message_content_intent:
                text += "\n" + tr(interaction, "faqbase.helpchannel.no_intent")
        else:
            text = tr(interaction, "faqbase.helpchannel.off", channel=channel.mention)
        await reply(interaction, text)

    @app_commands.command(name="groupchannels", description=L("cmd.faqbase.groupchannels"))
    @app_commands.describe(enabled=L("opt.faq.enabled"), course=L("opt.course"))
    @app_commands.autocomplete(course=course_autocomplete)
    async def groupchannels(
        self, interaction: discord.Interaction, enabled: bool, course: str | None = None
    ) -> None:
        found = await course_for(interaction, course)
        await services(interaction).faq.set_group_suggest(found.id, enabled)
        key = "faqbase.groups.on" if enabled else "faqbase.groups.off"
        await reply(interaction, tr(interaction, key, course=found.name))


async def setup(bot: commands.Bot) -> None:
    bot.add_dynamic_items(Helpful, Unhelpful, Share, AskTeacher, ShowEntry, TeachVariant)
    await bot.add_cog(FaqCog(bot))
    await bot.add_cog(FaqBaseCog(bot))
