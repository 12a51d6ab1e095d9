"""Discord glue shared by every cog: the command tree, its one error path,
the catalog-backed translator and the reply helper."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any

import discord
from discord import app_commands

from bot import i18n
from bot.errors import DomainError

log = logging.getLogger(__name__)

NO_MENTIONS = discord.AllowedMentions.none()


def jump_url(guild_id: int, channel_id: int, message_id: int | None = None) -> str:
    """A link to a channel, or to a message in it, from ids alone."""
    tail = f"/{message_id}" if message_id else ""
    return f"https://discord.com/channels/{guild_id}/{channel_id}{tail}"


def L(key: str) -> app_commands.locale_str:
    """A command/option description: English as the base text, French through the translator."""
    return app_commands.locale_str(i18n.t(key, "en"), key=key)


def lang_of(interaction: discord.Interaction) -> str:
    """The member's language: interaction locale, then the language of the guild's courses, then the
    guild's, then the configured default."""
    default = getattr(getattr(interaction.client, "settings", None), "bot", None)
    guild_locale = interaction.guild_locale.value if interaction.guild_locale else None
    services = getattr(interaction.client, "services", None)
    courses = None
    if services is not None and interaction.guild_id is not None:
        courses = services.courses.guild_language(interaction.guild_id)
    return i18n.pick_language(
        interaction.locale.value if interaction.locale else None,
        courses,
        guild_locale,
        default=default.default_locale if default else i18n.DEFAULT_LANGUAGE,
    )


def tr(interaction: discord.Interaction, key: str, /, **params: Any) -> str:
    return i18n.t(key, lang_of(interaction), **params)


async def reply(
    interaction: discord.Interaction,
    content: str | None = None,
    *,
    ephemeral: bool = True,
    **kwargs: Any,
) -> None:
    """Answer the interaction, first response or follow-up, never pinging anyone."""
    kwargs.setdefault("allowed_mentions", NO_MENTIONS)
    if interaction.response.is_done():
        await interaction.followup.send(content, ephemeral=ephemeral, **kwargs)
    else:
        await interaction.response.send_message(content, ephemeral=ephemeral, **kwargs)


class CatalogTranslator(app_commands.Translator):
    """Localizes command and option descriptions (and choice names) from our catalog."""

    async def translate(
        self,
        string: app_commands.locale_str,
        locale: discord.Locale,
        context: app_commands.TranslationContextTypes,
    ) -> str | None:
        key = string.extras.get("key")
        lang = i18n.language_of(locale.value)
        if key is None or lang is None:
            return None
        return i18n.t(key, lang)


def error_message(error: BaseException, lang: str) -> str | None:
    """The user-facing text for a known failure, or None when it is unexpected."""
    if isinstance(error, app_commands.CommandInvokeError):
        error = error.original
    if isinstance(error, app_commands.TransformerError) and isinstance(error.__cause__, DomainError):
        error = error.__cause__
    if isinstance(error, DomainError):
        return i18n.t(error.key, lang, **error.params)
    if isinstance(error, app_commands.NoPrivateMessage):
        return i18n.t("error.guild_only", lang)
    if isinstance(error, app_commands.MissingPermissions):
        return i18n.t("error.missing_permissions", lang, permissions=", ".join(error.missing_permissions))
    if isinstance(error, app_commands.BotMissingPermissions):
        return i18n.t("error.bot_missing_permissions", lang, permissions=", ".join(error.missing_permissions))
    if isinstance(error, app_commands.CommandOnCooldown):
        return i18n.t("error.cooldown", lang, seconds=round(error.retry_after))
    if isinstance(error, app_commands.TransformerError):
        return i18n.t("error.invalid_input", lang, value=error.value, example="—")
    if isinstance(error, app_commands.CheckFailure):
        return i18n.t("error.not_allowed", lang)
    if isinstance(error, discord.Forbidden):  # a channel or role setting the invite link did not cover
        return i18n.t("error.discord_forbidden", lang)
    if isinstance(error, discord.HTTPException) and error.status >= 500:  # after discord.py's retries
        return i18n.t("error.discord_unavailable", lang)
    return None


async def report_error(interaction: discord.Interaction, error: BaseException) -> None:
    """The one error path for commands and components: a clear ephemeral answer, a log line."""
    lang = lang_of(interaction)
    text = error_message(error, lang)
    original = getattr(error, "original", error)
    if isinstance(original, discord.HTTPException) and text is not None:
        # the user is told; whoever runs the bot needs to know which call Discord refused
        log.warning(
            "Discord answered a call in interaction %s with an error (guild=%s channel=%s): %s %s",
            interaction.id,
            interaction.guild_id,
            interaction.channel_id,
            original.status,
            original.text,
        )
    if text is None:
        log.error(
            "unexpected error in interaction %s (guild=%s channel=%s user=%s command=%s)",
            interaction.id,
            interaction.guild_id,
            interaction.channel_id,
            interaction.user.id,
            interaction.command.qualified_name if interaction.command else None,
            exc_info=original,
        )
        text = i18n.t("error.unexpected", lang)
    try:
        await reply(interaction, text, ephemeral=True)
    except discord.HTTPException:
        log.warning("could not report an error to interaction %s", interaction.id)


async def guarded(
    interaction: discord.Interaction, handler: Callable[[discord.Interaction], Awaitable[None]]
) -> None:
    """Run a component callback through the one error path (discord.py only logs their errors)."""
    try:
        await handler(interaction)
    except Exception as exc:  # every failure gets an answer in the user's language
        await report_error(interaction, exc)


class IdButton:
    r"""A persistent button whose custom_id is `<prefix>:<entity id>`.

    Subclass together with `discord.ui.DynamicItem[discord.ui.Button]`, passing
    `template=r"<prefix>:(?P<id>\d+)"`; set `prefix` and `style`; implement `run`.
    Errors in `run` take the one error path.
    """

    prefix: str
    style = discord.ButtonStyle.secondary
    emoji: str | None = None

    def __init__(self, entity_id: int, label: str = "…") -> None:
        button = discord.ui.Button(
            label=label, style=self.style, emoji=self.emoji, custom_id=f"{self.prefix}:{entity_id}"
        )
        super().__init__(button)  # DynamicItem.__init__
        self.entity_id = entity_id

    @classmethod
    async def from_custom_id(cls, interaction: discord.Interaction, item: discord.ui.Button, match):
        return cls(int(match["id"]), item.label or "…")

    async def callback(self, interaction: discord.Interaction) -> None:
        await guarded(interaction, self.run)

    async def run(self, interaction: discord.Interaction) -> None:
        raise NotImplementedError


class CohortTree(app_commands.CommandTree):
    async def on_error(self, interaction: discord.Interaction, error: app_commands.AppCommandError) -> None:
        await report_error(interaction, error)


class CohortView(discord.ui.View):
    """Views and persistent views route their errors to the same path as commands."""

    async def on_error(self, interaction: discord.Interaction, error: Exception, item: Any, /) -> None:
        await report_error(interaction, error)
