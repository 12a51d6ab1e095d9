"""The loopback Discord works with an unmodified discord.py bot, and its validator has teeth."""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import io
from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import discord
import pytest
from discord import app_commands
from discord.ext import commands

from tests.loopback import LoopbackDiscord
from tests.loopback.fixtures import loopback_discord  # noqa: F401

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


class FrenchNames(app_commands.Translator):
    """Translate command and option names the way the project's catalog will."""

    NAMES = {"greet": "saluer", "word": "mot", "Say hello": "Dire bonjour", "The word": "Le mot"}

    async def translate(self, string: app_commands.locale_str, locale: discord.Locale, context) -> str | None:
        return self.NAMES.get(string.message) if locale is discord.Locale.french else None


def make_bot(seen: dict[str, Any]) -> commands.Bot:
    intents = discord.Intents.default()
    intents.members = True
    bot = commands.Bot(command_prefix="!", intents=intents, guild_ready_timeout=0.05)

    @bot.tree.command(name="greet", description="Say hello")
    @app_commands.describe(word="The word")
    async def greet(
        interaction: discord.Interaction, word: str, times: int = 1, who: discord.Member | None = None
    ):
        seen["locale"], seen["guild_locale"], seen["who"] = interaction.locale, interaction.guild_locale, who
        await interaction.response.send_message(f"{word} x{times}", ephemeral=True)

    @bot.tree.command(name="slow", description="Defer, then follow up")
    async def slow(interaction: discord.Interaction):
        await interaction.response.defer(ephemeral=True, thinking=True)
        await interaction.edit_original_response(content="done")
        await interaction.followup.send("and one more thing", ephemeral=True)

    poll = app_commands.Group(name="poll", description="Polls")

    @poll.command(name="create", description="Create a poll")
    async def poll_create(interaction: discord.Interaction, question: str, channel: discord.TextChannel):
        await interaction.response.send_message(f"{question} in #{channel.name}")

    bot.tree.add_command(poll)

    @bot.event
    async def on_message(message: discord.Message):
        seen.setdefault("messages", []).append(message.content)

    return bot


@contextlib.asynccontextmanager
async def running_bot(server: LoopbackDiscord, seen: dict[str, Any]) -> AsyncIterator[commands.Bot]:
    with server.patch_discord_py():
        bot = make_bot(seen)
        await bot.tree.set_translator(FrenchNames())
        await bot.login(server.token)
        task = asyncio.create_task(bot.connect(reconnect=True))
        try:
            await asyncio.wait_for(bot.wait_until_ready(), 5)
            yield bot
        finally:
            await bot.close()
            await asyncio.wait_for(task, 5)


@pytest.fixture
def world(loopback_discord: LoopbackDiscord) -> dict[str, Any]:  # noqa: F811
    server = loopback_discord
    guild = server.add_guild("Cohort", preferred_locale="fr")
    general = server.add_channel(guild["id"], "general")
    mentor = server.add_role(guild["id"], "Mentor", permissions=1 << 3)
    alice = server.add_user("alice")
    server.add_member(guild["id"], alice["id"], roles=[mentor["id"]])
    return {"server": server, "guild": guild, "general": general, "alice": alice, "mentor": mentor}


async def test_login_identify_ready_and_guild_cache(world):
    server, seen = world["server"], {}
    async with running_bot(server, seen) as bot:
        identify = await server.wait_for("IDENTIFY", 1)
        assert identify["token"] == server.token
        assert identify["intents"] == bot.intents.value
        assert "os" in identify["properties"]
        expected = discord.utils._ActiveDecompressionContext.COMPRESSION_TYPE
        assert server.gateway_connects[0] == {"v": "10", "encoding": "json", "compress": expected}
        guild = bot.get_guild(int(world["guild"]["id"]))
        assert guild is not None and guild.preferred_locale is discord.Locale.french
        assert guild.get_channel(int(world["general"]["id"])).name == "general"
        alice = guild.get_member(int(world["alice"]["id"]))
        assert [r.name for r in alice.roles] == ["@everyone", "Mentor"]
        assert bot.user.id == int(server.application_id)
        await server.send_message_create(world["general"]["id"], world["alice"]["id"], "bonjour")
        await server.wait_for_request("GET", "/users/@me", 1)
        for _ in range(50):
            if "bonjour" in seen.get("messages", []):
                break
            await asyncio.sleep(0.02)
        assert "bonjour" in seen["messages"]


async def test_sync_then_slash_answered_ephemerally_in_the_user_locale(world):
    server, seen = world["server"], {}
    async with running_bot(server, seen) as bot:
        synced = await bot.tree.sync()
        assert {c.name for c in synced} == {"greet", "slow", "poll"}
        put = await server.wait_for_request("PUT", "/applications/*/commands", 1)
        greet = next(c for c in put.json if c["name"] == "greet")
        assert greet["name_localizations"] == {"fr": "saluer"}
        assert greet["options"][0]["name_localizations"] == {"fr": "mot"}
        interaction = await server.send_slash(
            world["guild"]["id"],
            world["general"]["id"],
            world["alice"]["id"],
            "greet",
            {"word": "salut", "times": 3, "who": world["alice"]["id"]},
            locale="fr",
        )
        response = await server.wait_interaction_response(interaction, timeout=3)
        assert response["type"] == 4
        assert response["data"]["content"] == "salut x3"
        assert response["data"]["flags"] & 64  # ephemeral
        assert seen["locale"] is discord.Locale.french and seen["guild_locale"] is discord.Locale.french
        assert seen["who"].id == int(world["alice"]["id"])


async def test_subcommand_with_a_channel_option(world):
    server = world["server"]
    async with running_bot(server, {}) as bot:
        guild = discord.Object(int(world["guild"]["id"]))
        bot.tree.copy_global_to(guild=guild)
        await bot.tree.sync(guild=guild)  # guild-scoped registration
        assert server.state.guild_commands[world["guild"]["id"]]
        interaction = await server.send_slash(
            world["guild"]["id"],
            world["general"]["id"],
            world["alice"]["id"],
            "poll create",
            {"question": "Quand ?", "channel": world["general"]["id"]},
        )
        response = await server.wait_interaction_response(interaction, timeout=3)
        assert response["data"]["content"] == "Quand ? in #general"
        assert not response["data"].get("flags")
        echoed = await server.wait_for(
            lambda kind, data: kind == "dispatch" and data[0] == "MESSAGE_CREATE", 1
        )
        assert echoed[1]["content"] == "Quand ? in #general"


async def test_defer_edit_and_followup(world):
    server = world["server"]
    async with running_bot(server, {}) as bot:
        await bot.tree.sync()
        interaction = await server.send_slash(
            world["guild"]["id"], world["general"]["id"], world["alice"]["id"], "slow"
        )
        response = await server.wait_interaction_response(interaction, timeout=3)
        assert response == {"type": 5, "data": {"flags": 64}}
        await server.wait_for("interaction_followup", 3)
        assert interaction.edits[0]["content"] == "done"
        assert interaction.original["content"] == "done"
        assert [m["content"] for m in interaction.followups] == ["and one more thing"]


async def test_create_channels_with_overwrites_and_a_scheduled_event(world):
    server = world["server"]
    async with running_bot(server, {}) as bot:
        guild = bot.get_guild(int(world["guild"]["id"]))
        alice = guild.get_member(int(world["alice"]["id"]))
        overwrites = {
            guild.default_role: discord.PermissionOverwrite(view_channel=False),
            alice: discord.PermissionOverwrite(view_channel=True, send_messages=True),
        }
        category = await guild.create_category("Groupes")
        channel = await guild.create_text_channel("groupe-1", overwrites=overwrites, category=category)
        voice = await guild.create_voice_channel("vocal-1", category=category)
        event = await guild.create_scheduled_event(
            name="Session",
            start_time=discord.utils.utcnow() + dt.timedelta(days=1),
            entity_type=discord.EntityType.voice,
            channel=voice,
            privacy_level=discord.PrivacyLevel.guild_only,
        )
    posts = server.find_requests("POST", f"/guilds/{guild.id}/channels")
    assert len(posts) == 3
    sent = {str(o["id"]): o for o in posts[1].json["permission_overwrites"]}
    assert int(sent[str(guild.id)]["deny"]) == discord.Permissions(view_channel=True).value
    assert set(sent) == {str(guild.id), str(alice.id)}
    stored = server.state.channels[str(channel.id)]
    assert stored["parent_id"] == str(category.id)
    assert {o["id"] for o in stored["permission_overwrites"]} == set(sent)
    assert server.state.channels[str(voice.id)]["type"] == 2
    assert server.state.scheduled_events[str(event.id)]["channel_id"] == str(voice.id)


async def test_message_with_a_file_is_sent_as_validated_multipart(world):
    server = world["server"]
    async with running_bot(server, {}) as bot:
        channel = bot.get_channel(int(world["general"]["id"]))
        message = await channel.send(
            "notes",
            file=discord.File(io.BytesIO(b"hello"), "notes.txt"),
            allowed_mentions=discord.AllowedMentions.none(),
        )
    request = server.find_requests("POST", "/channels/*/messages")[0]
    assert request.files == {"files[0]": "notes.txt"}
    stored = server.state.messages[str(message.id)]
    assert [a["filename"] for a in stored["attachments"]] == ["notes.txt"]
    assert stored["attachments"][0]["size"] == 5
    assert stored["allowed_mentions"] == {"parse": []}
    assert message.attachments[0].filename == "notes.txt"


async def test_discord_py_retries_after_an_injected_429(world):
    server = world["server"]
    injection = server.inject("POST", "/channels/*/messages", status=429, retry_after=0.2)
    async with running_bot(server, {}) as bot:
        channel = bot.get_channel(int(world["general"]["id"]))
        started = asyncio.get_running_loop().time()
        message = await channel.send("after the storm")
        assert asyncio.get_running_loop().time() - started >= 0.2
    assert message.content == "after the storm"
    assert len(injection.hits) == 1
    assert [r.status for r in server.find_requests("POST", "/channels/*/messages")] == [429, 200]


async def test_gateway_drop_is_resumed_and_missed_events_replayed(world):
    server, seen = world["server"], {}
    async with running_bot(server, seen) as bot:
        await server.drop_gateway()
        await server.send_message_create(world["general"]["id"], world["alice"]["id"], "while away")
        resume = await server.wait_for("RESUME", 5)
        assert resume["session_id"] in server.sessions
        for _ in range(100):
            if "while away" in seen.get("messages", []):
                break
            await asyncio.sleep(0.02)
        assert "while away" in seen["messages"]
        assert len(server.identifies) == 1  # resumed, not re-identified
        assert bot.is_ready()


async def test_validator_rejects_bad_bodies_and_unknown_routes():
    async with LoopbackDiscord() as server, aiohttp.ClientSession() as http:
        guild = server.add_guild("G")
        headers = {"Authorization": f"Bot {server.token}"}
        bad = {"name": "", "type": 99, "permission_overwrites": [{"id": "not-a-snowflake"}]}
        async with http.post(
            f"{server.api_base}/guilds/{guild['id']}/channels", json=bad, headers=headers
        ) as r:
            assert r.status == 400
            assert r.headers["Content-Type"] == "application/json"
            assert (await r.json())["code"] == 50035
        async with http.get(f"{server.api_base}/guilds/{guild['id']}/nonsense", headers=headers) as r:
            assert r.status == 404
        async with http.put(f"{server.api_base}/users/@me", json={}, headers=headers) as r:
            assert r.status == 404  # method not in the spec
        async with http.get(f"{server.api_base}/channels/12/messages?limit=abc", headers=headers) as r:
            assert r.status == 400
        reasons = [(v.method, v.path, v.reason) for v in server.violations]
        assert reasons[0][:2] == ("POST", f"/guilds/{guild['id']}/channels")
        assert any("unknown route" in reason for _, _, reason in reasons)
        assert any("method not allowed" in reason for _, _, reason in reasons)
        assert any("limit" in reason for _, _, reason in reasons)
        with pytest.raises(AssertionError, match="spec violation"):
            server.assert_no_violations()


def test_relaxed_quirks_are_precise():
    spec = LoopbackDiscord().spec
    op = spec.match("POST", "/guilds/1/channels").operation
    ok = {"name": "a", "permission_overwrites": [{"id": 123, "type": 0, "allow": "1024", "deny": 0}]}
    assert spec.check_body(op, "application/json", ok, True) == []
    assert spec.check_body(op, "application/json", {"name": "a", "position": "-1"}, True)  # minimum on "-1"
    assert spec.check_body(op, "application/json", {"name": "a", "topic": 5}, True)  # no int for a string
    assert spec.check_body(op, "application/json", {"name": "a", "parent_id": -5}, True)  # negative snowflake
    assert spec.check_body(op, "application/json", {"name": "a", "bitrate": "fast"}, True)
