"""/help: what the bot does and the commands this member may use, in their language."""

from __future__ import annotations

import discord
from discord import app_commands
from discord.ext import commands

from bot import i18n
from bot.tree import L, lang_of, reply
from cogs._common import member_permissions


def command_key(command: app_commands.Command | app_commands.Group) -> str:
    return "cmd." + command.qualified_name.replace(" ", ".")


def _may_use(command: app_commands.Command | app_commands.Group, interaction: discord.Interaction) -> bool:
    root = command.root_parent or command
    if interaction.guild is None and root.guild_only:
        return False
    needed = root.default_permissions
    if needed is None or interaction.guild is None:
        return True
    return needed.is_subset(member_permissions(interaction))


def usable_commands(
    tree: app_commands.CommandTree, interaction: discord.Interaction
) -> list[app_commands.Command]:
    leaves = [c for c in tree.walk_commands() if isinstance(c, app_commands.Command)]
    return sorted((c for c in leaves if _may_use(c, interaction)), key=lambda c: c.qualified_name)


def render_help(commands_: list[app_commands.Command], lang: str) -> discord.Embed:
    lines = [f"`/{c.qualified_name}` — {i18n.t(command_key(c), lang)}" for c in commands_]
    embed = discord.Embed(
        title=i18n.t("help.title", lang),
        description=i18n.t("help.intro", lang) + "\n\n" + "\n".join(lines),
        colour=discord.Colour.blurple(),
    )
    embed.set_footer(text=i18n.t("help.footer", lang))
    return embed


class Help(commands.Cog):
    def __init__(self, bot: commands.Bot) -> None:
        self.bot = bot

    @app_commands.command(name="help", description=L("cmd.help"))
    async def help(self, interaction: discord.Interaction) -> None:
        lang = lang_of(interaction)
        embed = render_help(usable_commands(self.bot.tree, interaction), lang)
        await reply(interaction, embed=embed, ephemeral=True)


async def setup(bot: commands.Bot) -> None:
    await bot.add_cog(Help(bot))
