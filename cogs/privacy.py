"""/mydata export and /mydata delete: a member reads or erases what the bot keeps about them."""

from __future__ import annotations

import io
import json
import logging

import discord
from discord import app_commands
from discord.ext import commands

from bot.services.privacy import describe_counts, export_counts
from bot.tree import IdButton, L, lang_of, reply, tr
from cogs._common import services
from cogs.polls import request_refresh

log = logging.getLogger(__name__)


class EraseButton(IdButton, discord.ui.DynamicItem[discord.ui.Button], template=r"mydata:erase:(?P<id>\d+)"):
    prefix = "mydata:erase"
    style = discord.ButtonStyle.danger

    async def run(self, interaction: discord.Interaction) -> None:
        if interaction.user.id != self.entity_id:  # the message is ephemeral: a forged click only
            raise app_commands.CheckFailure()
        await interaction.response.defer()
        erased = await services(interaction).privacy.erase(interaction.guild.id, self.entity_id)
        log.info(
            "member data erased (guild=%s user=%s): %s", interaction.guild.id, self.entity_id, erased.counts
        )
        for poll_id in erased.open_polls:
            request_refresh(interaction.client, poll_id)
        if erased.total:
            text = tr(
                interaction,
                "mydata.erased",
                total=erased.total,
                details=describe_counts(erased.counts, lang_of(interaction)),
            )
        else:
            text = tr(interaction, "mydata.erased.none")
        await interaction.edit_original_response(content=text, embed=None, view=None)


class KeepButton(IdButton, discord.ui.DynamicItem[discord.ui.Button], template=r"mydata:keep:(?P<id>\d+)"):
    prefix = "mydata:keep"

    async def run(self, interaction: discord.Interaction) -> None:
        if interaction.user.id != self.entity_id:  # the message is ephemeral: a forged click only
            raise app_commands.CheckFailure()
        await interaction.response.edit_message(content=tr(interaction, "mydata.kept"), embed=None, view=None)


@app_commands.guild_only()
class MyData(commands.GroupCog, group_name="mydata", group_description=L("cmd.mydata")):
    def __init__(self, bot: commands.Bot) -> None:
        self.bot = bot

    @app_commands.command(name="export", description=L("cmd.mydata.export"))
    async def export(self, interaction: discord.Interaction) -> None:
        await interaction.response.defer(ephemeral=True, thinking=True)
        data = await services(interaction).privacy.export(interaction.guild.id, interaction.user.id)
        body = json.dumps(data, ensure_ascii=False, indent=2).encode("utf-8")
        file = discord.File(
            io.BytesIO(body), filename=f"mydata-{interaction.guild.id}-{interaction.user.id}.json"
        )
        summary = describe_counts(export_counts(data), lang_of(interaction)) or tr(
            interaction, "mydata.nothing"
        )
        await reply(interaction, tr(interaction, "mydata.exported", summary=summary), file=file)

    @app_commands.command(name="delete", description=L("cmd.mydata.delete"))
    async def delete(self, interaction: discord.Interaction) -> None:
        embed = discord.Embed(
            title=tr(interaction, "mydata.confirm.title"),
            description="\n\n".join(
                tr(interaction, key)
                for key in ("mydata.confirm.erased", "mydata.confirm.kept", "mydata.confirm.after")
            ),
            colour=discord.Colour.red(),
        )
        view = discord.ui.View(timeout=None)
        view.add_item(EraseButton(interaction.user.id, tr(interaction, "mydata.button.erase")))
        view.add_item(KeepButton(interaction.user.id, tr(interaction, "mydata.button.keep")))
        await reply(interaction, embed=embed, view=view)

    @app_commands.command(name="watch", description=L("cmd.mydata.watch"))
    @app_commands.describe(follow=L("opt.mydata.follow"))
    async def watch(self, interaction: discord.Interaction, follow: bool | None = None) -> None:
        activity = services(interaction).activity
        guild_id, user_id = interaction.guild.id, interaction.user.id
        if follow is None:
            key = "mydata.watch.on" if await activity.following(guild_id, user_id) else "mydata.watch.off"
        elif follow:
            changed = await activity.set_following(guild_id, user_id, True)
            key = "mydata.watch.again" if changed else "mydata.watch.on"
        else:
            await activity.set_following(guild_id, user_id, False)
            key = "mydata.watch.off"
        await reply(interaction, tr(interaction, key))


async def setup(bot: commands.Bot) -> None:
    await bot.add_cog(MyData(bot))
    bot.add_dynamic_items(EraseButton, KeepButton)
