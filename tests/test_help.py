"""/help through real discord.py (SimCord): language, visibility, command sync."""

from __future__ import annotations

import discord

from bot.app import create_bot
from bot.scheduling import make_scheduler
from bot.services.courses import CourseInput
from storage.db import make_session_factory
from tests.helpers import locale


def _setup(env):
    guild = env.create_guild(name="Licence Psycho")
    channel = guild.create_text_channel("general")
    member = guild.add_member(env.create_user("lea"))
    return guild, channel, member


async def test_help_in_french_for_a_french_client(simcord_env):
    _, channel, member = _setup(simcord_env)
    with locale("fr"):
        result = await member.slash(channel, "help")
    assert result.ephemeral
    embed = result.response.embeds[0]
    assert embed.title.startswith("Bienvenue")
    assert "`/help` — Ce que fait le bot" in embed.description


async def test_help_in_english_for_an_english_client(simcord_env):
    _, channel, member = _setup(simcord_env)
    with locale("en-US"):
        result = await member.slash(channel, "help")
    embed = result.response.embeds[0]
    assert embed.title.startswith("Welcome")
    assert "`/help` — What the bot does" in embed.description


async def test_unsupported_locale_falls_back_to_guild_then_default(simcord_env):
    _, channel, member = _setup(simcord_env)
    with locale("de", guild_locale="en-GB"):
        result = await member.slash(channel, "help")
    assert result.response.embeds[0].title.startswith("Welcome")
    with locale("de", guild_locale="de"):
        result = await member.slash(channel, "help")
    assert result.response.embeds[0].title.startswith("Bienvenue")  # configured default: fr


async def test_an_unsupported_locale_gets_the_language_of_the_servers_courses_first(simcord_env):
    guild, channel, member = _setup(simcord_env)
    courses = simcord_env.bot.services.courses
    await courses.setup(guild.id, CourseInput(1, 2, 3, "Psycho", language="fr"))
    with locale("de", guild_locale="en-US"):  # Discord's default for a server
        result = await member.slash(channel, "help")
    assert result.response.embeds[0].title.startswith("Bienvenue")
    with locale("en-GB", guild_locale="en-US"):  # the member's own language first
        result = await member.slash(channel, "help")
    assert result.response.embeds[0].title.startswith("Welcome")


async def test_commands_are_synced_once_with_french_descriptions(simcord_env):
    puts = [r for r in simcord_env.http_requests if r.method == "PUT" and r.path.endswith("/commands")]
    assert len(puts) == 1
    help_cmd = next(c for c in puts[0].json if c["name"] == "help")
    assert help_cmd["description"] == "What the bot does and the commands you can use"
    assert help_cmd["description_localizations"]["fr"].startswith("Ce que fait le bot")
    assert simcord_env.bot.last_sync_done


async def test_restart_with_unchanged_commands_does_not_sync_again(
    simcord_env, settings, sqlite_engine, clock
):
    _, channel, member = _setup(simcord_env)
    again = create_bot(settings, make_session_factory(sqlite_engine), make_scheduler(), clock)
    await simcord_env.restart_bot(again)
    puts = [r for r in simcord_env.http_requests if r.method == "PUT" and r.path.endswith("/commands")]
    assert len(puts) == 1
    assert again.last_sync_done is False
    with locale("fr"):
        result = await member.slash(channel, "help")
    assert result.response.embeds[0].title.startswith("Bienvenue")


async def test_restart_syncs_again_when_discord_lost_the_commands(
    simcord_env, settings, sqlite_engine, clock
):
    _setup(simcord_env)
    simcord_env.backend.commands.clear()  # the application's commands removed while our database was kept
    again = create_bot(settings, make_session_factory(sqlite_engine), make_scheduler(), clock)
    await simcord_env.restart_bot(again)
    puts = [r for r in simcord_env.http_requests if r.method == "PUT" and r.path.endswith("/commands")]
    assert len(puts) == 2 and again.last_sync_done
    assert "help" in {c["name"] for c in simcord_env.backend.commands[None].values()}


async def test_help_never_pings(simcord_env):
    _, channel, member = _setup(simcord_env)
    result = await member.slash(channel, "help")
    assert isinstance(result.response.embeds[0], discord.Embed)
    callbacks = [r for r in simcord_env.http_requests if r.path.endswith("/callback")]
    assert callbacks[-1].json["data"]["allowed_mentions"] == {"parse": []}
