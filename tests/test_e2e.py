"""End to end: `python -m bot` as a process against the loopback Discord, whose REST side
checks every request against Discord's OpenAPI spec (the fixture fails on any violation)."""

from __future__ import annotations

import asyncio
import contextlib
from datetime import timedelta

import discord
from sqlmodel import select

from bot.clock import SystemClock
from bot.i18n import t
from bot.services.actions import ActionQueue
from storage.db import make_engine, make_session_factory
from storage.models import Course, DepartureRecord, GroupMember
from tests.e2e import answered_within, cohort, db_env, form_groups, ready, setup_course
from tests.loopback.fixtures import bot_process, loopback_discord  # noqa: F401
from tests.loopback.server import RecordedRequest


async def test_help_end_to_end_in_french_and_english(loopback_discord, tmp_path):  # noqa: F811
    server = loopback_discord
    guild = server.add_guild("Licence", preferred_locale="fr")
    channel = server.add_channel(guild["id"], "general")
    user = server.add_user("lea")
    server.add_member(guild["id"], user["id"])
    async with bot_process(server, env=db_env(tmp_path)):
        identify = server.identifies[0]
        assert identify["token"] == "loopback-token"
        intents = discord.Intents._from_value(identify["intents"])
        assert intents.guilds and intents.members and intents.message_content
        sync = await server.wait_for_request("PUT", "/applications/*/commands", 10)
        assert sync.status == 200 and sync.spec_template
        names = {c["name"] for c in sync.json}
        assert {"help", "course", "profile", "groups", "mygroup"} <= names
        await ready(server)

        fr = await server.send_slash(guild["id"], channel["id"], user["id"], "help", locale="fr")
        body, took = await answered_within(server, fr, 3)
        assert took < 3
        assert body["type"] == 4
        assert body["data"]["flags"] & 64  # ephemeral
        assert body["data"]["embeds"][0]["title"].startswith("Bienvenue")
        assert body["data"]["allowed_mentions"] == {"parse": []}

        en = await server.send_slash(guild["id"], channel["id"], user["id"], "help", locale="en-US")
        body, took = await answered_within(server, en, 3)
        assert took < 3
        assert body["data"]["embeds"][0]["title"].startswith("Welcome")

    # A restart with unchanged commands does not sync again.
    syncs = len(server.find_requests("PUT", "/applications/*/commands"))
    async with bot_process(server, env=db_env(tmp_path)):
        await server.wait_for(lambda kind, _: kind == "IDENTIFY" and len(server.identifies) == 2, 20)
        await asyncio.sleep(2.5)
        assert len(server.find_requests("PUT", "/applications/*/commands")) == syncs
        again = await server.send_slash(guild["id"], channel["id"], user["id"], "help", locale="fr")
        body, _ = await answered_within(server, again, 5)
        assert body["data"]["embeds"][0]["title"].startswith("Bienvenue")


async def test_group_channels_are_one_spec_valid_create_call_each(loopback_discord, tmp_path):  # noqa: F811
    server = loopback_discord
    world = cohort(server, learners=11)
    async with bot_process(server, env=db_env(tmp_path)):
        await ready(server)
        body = await setup_course(server, world)
        assert "créé" in body["data"]["content"]
        confirmed = await form_groups(server, world, "region")
        assert confirmed["type"] == 5  # deferred: channel creation may take longer than 3 s

    creates = server.find_requests("POST", "/guilds/*/channels")
    texts = [r for r in creates if r.json.get("type") == 0]
    assert len(texts) == 2  # 11 learners, groups of 5–6
    for r in texts:
        assert r.spec_template == "/guilds/{guild_id}/channels" and r.status in (200, 201)
        overwrites = {str(o["id"]): o for o in r.json["permission_overwrites"]}
        assert int(overwrites[world.gid]["deny"]) & 1024
        members = [u for u in world.learners if u["id"] in overwrites]
        assert 5 <= len(members) <= 6
    assert not server.find_requests("PUT", "/channels/*/permissions/*")


async def test_course_report_is_one_spec_valid_follow_up_with_its_chart_and_csv(loopback_discord, tmp_path):  # noqa: F811
    server = loopback_discord
    world = cohort(server, learners=6)
    async with bot_process(server, env=db_env(tmp_path)):
        await ready(server)
        await setup_course(server, world)
        await form_groups(server, world, "alphabetical")
        asked = await server.send_slash(
            world.gid, world.general["id"], world.prof["id"], "activity report", {"weeks": 3}
        )
        body, took = await answered_within(server, asked, 3)
        assert took < 3 and body["type"] == 5 and body["data"]["flags"] & 64
        await server.wait_for(lambda kind, data: kind == "interaction_followup" and data is asked, 20)
    report = asked.followups[-1]
    assert report["flags"] & 64
    names = [a["filename"] for a in report["attachments"]]
    assert [n.rsplit(".", 1)[1] for n in names] == ["png", "csv"]
    assert all(a["size"] > 0 for a in report["attachments"])
    assert report["embeds"][0]["image"]["url"] == f"attachment://{names[0]}"
    assert report["embeds"][0]["title"] == "Rapport — Apprenants"


async def test_departures_are_spec_valid_permission_deletes_and_one_staff_notice(
    loopback_discord,  # noqa: F811
    tmp_path,
):
    server = loopback_discord
    world = cohort(server, learners=12)
    async with bot_process(server, env=db_env(tmp_path)):
        await ready(server)
        await setup_course(server, world)
        await form_groups(server, world, "alphabetical")
        groups = [c for c in server.state.channels.values() if (c.get("name") or "").startswith("groupe-")]
        channel_of = {str(o["id"]): c["id"] for c in groups for o in c["permission_overwrites"]}
        removed, leaver = world.learners[0], world.learners[7]
        asked = await server.send_slash(
            world.gid, world.general["id"], world.prof["id"], "groups remove", {"member": removed["id"]}
        )
        body, took = await answered_within(server, asked, 3)
        assert body["type"] == 5 and body["data"]["flags"] & 64
        await server.wait_for(lambda kind, data: kind == "interaction_followup" and data is asked, 10)
        assert "n'est plus dans le groupe" in asked.followups[-1]["content"]
        await server.dispatch("GUILD_MEMBER_REMOVE", {"guild_id": world.gid, "user": leaver})
        await server.wait_for_request("POST", f"/channels/{world.staff['id']}/messages", 10)
    deletes = server.find_requests("DELETE", "/channels/*/permissions/*")
    assert sorted(r.path for r in deletes) == sorted(
        f"/channels/{channel_of[u['id']]}/permissions/{u['id']}" for u in (removed, leaver)
    )
    assert all(r.spec_template == "/channels/{channel_id}/permissions/{overwrite_id}" for r in deletes)
    still = {str(o["id"]) for c in groups for o in server.state.channels[c["id"]]["permission_overwrites"]}
    assert removed["id"] not in still and leaver["id"] not in still
    [notice] = server.find_requests("POST", f"/channels/{world.staff['id']}/messages")
    assert "a quitté le serveur" in notice.json["content"] and notice.json["allowed_mentions"]["parse"] == []
    server.assert_no_violations()


async def a_digest_is_posted(server, env: dict[str, str], world) -> RecordedRequest:
    """Write a weekly digest due now into the running bot's database; the action run posts it."""
    engine = make_engine(env["DATABASE_URL"])
    sessions = make_session_factory(engine)
    async with sessions() as s:
        course = (await s.exec(select(Course))).one()
    queue = ActionQueue(sessions, SystemClock())
    due = SystemClock().now() - timedelta(seconds=1)
    await queue.schedule("digest", "test:digest", due, {"course_id": course.id}, guild_id=int(world.gid))
    nonce = (await queue.get("digest", "test:digest")).nonce
    await engine.dispose()

    def digest(request) -> bool:
        sent = request.json if isinstance(request, RecordedRequest) else None
        return isinstance(sent, dict) and sent.get("nonce") == nonce

    return await server.wait_for(lambda kind, data: digest(data), 30)


def ticking(tmp_path) -> tuple[str, str]:
    config = tmp_path / "config.toml"
    config.write_text("[scheduler]\ntick_seconds = 1\n", encoding="utf-8")
    return "--config", str(config)


@contextlib.asynccontextmanager
async def a_course_with_groups(server, tmp_path):
    """`python -m bot`, looking for due work every second, with a course of six learners in groups."""
    world = cohort(server, learners=6)
    env = db_env(tmp_path)
    async with bot_process(server, *ticking(tmp_path), env=env):
        await ready(server)
        await setup_course(server, world)
        await form_groups(server, world, "alphabetical")
        yield world, env


async def test_scheduled_work_runs_when_discord_never_sends_the_member_list(
    loopback_discord,  # noqa: F811
    tmp_path,
):
    """A Discord that leaves `member_count` out of GUILD_CREATE and never answers a member request:
    the bot cannot know it has every member. Due work still runs (the catch-ups waited for the list
    without end, and every scheduled job waited behind them)."""
    server = loopback_discord
    server.answer_member_requests = False
    server.send_member_count = False
    async with a_course_with_groups(server, tmp_path) as (world, env):
        posted = await a_digest_is_posted(server, env, world)
    assert posted.path == f"/channels/{world.staff['id']}/messages"
    assert posted.json["embeds"][0]["title"].startswith("Bilan de la semaine")
    server.assert_no_violations()


async def test_a_member_list_sent_short_is_not_read_as_learners_leaving(
    loopback_discord,  # noqa: F811
    tmp_path,
):
    """After a restart, a Discord that sends the guild with only the bot's member (as for a large
    guild) and answers the member request with nobody: the learners missing from that list did not
    leave while the bot was away. Nobody is taken out of a group, no teacher is told so."""
    server = loopback_discord
    async with a_course_with_groups(server, tmp_path) as (world, env):
        pass
    server.members_in_guild_create = False
    server.members_in_chunks = False
    async with bot_process(server, *ticking(tmp_path), env=env):
        await server.wait_for(lambda kind, data: kind == "REQUEST_GUILD_MEMBERS", 20)
        await a_digest_is_posted(server, env, world)  # a whole action run after the catch-ups
    engine = make_engine(env["DATABASE_URL"])
    async with make_session_factory(engine)() as s:
        placed = (await s.exec(select(GroupMember.user_id))).all()
        departed = (await s.exec(select(DepartureRecord))).all()
    await engine.dispose()
    assert sorted(placed) == sorted(int(u["id"]) for u in world.learners)
    assert departed == []
    staff = server.find_requests("POST", f"/channels/{world.staff['id']}/messages")
    assert not any("a quitté" in (r.json.get("content") or "") for r in staff)
    server.assert_no_violations()


async def test_groups_formed_while_the_member_list_is_on_its_way_count_every_learner(
    loopback_discord,  # noqa: F811
    tmp_path,
):
    """Just after a restart, the guild comes with only the bot's member (as a large guild does) and
    the member list a few seconds later: `/groups form` asked then waits for it instead of seeing
    no learner."""
    server = loopback_discord
    world = cohort(server, learners=6)
    env = db_env(tmp_path)
    async with bot_process(server, env=env):
        await ready(server)
        await setup_course(server, world)
    server.members_in_guild_create = False
    server.member_request_delay = 4.0
    async with bot_process(server, env=env):
        await server.wait_for(lambda kind, data: kind == "REQUEST_GUILD_MEMBERS", 20)
        await form_groups(server, world, "alphabetical")
    groups = [c for c in server.state.channels.values() if (c.get("name") or "").startswith("groupe-")]
    placed = {str(o["id"]) for c in groups for o in c["permission_overwrites"]}
    assert {u["id"] for u in world.learners} <= placed
    server.assert_no_violations()


async def test_groups_are_built_when_discord_never_sends_the_bots_own_member(
    loopback_discord,  # noqa: F811
    tmp_path,
):
    """A Discord that never sends the bot's own member over the gateway (only over REST): the bot
    still checks its permissions and builds the group channels, keeping itself in each one."""
    server = loopback_discord
    server.bot_member_in_gateway = False
    world = cohort(server, learners=6)
    async with bot_process(server, env=db_env(tmp_path)):
        await ready(server)
        await setup_course(server, world)
        body = await form_groups(server, world, "alphabetical")
    assert body["type"] == 5
    groups = [c for c in server.state.channels.values() if (c.get("name") or "").startswith("groupe-")]
    assert groups
    for channel in groups:
        allowed = {str(o["id"]) for o in channel["permission_overwrites"] if int(o["allow"]) & 1 << 10}
        assert server.state.application_id in allowed  # the bot sees its own channels
    placed = {str(o["id"]) for c in groups for o in c["permission_overwrites"]}
    assert {u["id"] for u in world.learners} <= placed
    assert server.find_requests("GET", f"/guilds/{world.gid}/members/{server.state.application_id}")
    server.assert_no_violations()


async def test_a_refused_command_sync_does_not_stop_the_bot(loopback_discord, tmp_path):  # noqa: F811
    """Discord refuses the slash commands once: the bot still connects (scheduled work and buttons
    need no command), and the next start registers them."""
    server = loopback_discord
    guild = server.add_guild("Licence", preferred_locale="fr")
    channel = server.add_channel(guild["id"], "general")
    user = server.add_user("lea")
    server.add_member(guild["id"], user["id"])
    refused = server.inject("PUT", "/applications/*/commands", status=403, times=1)
    env = db_env(tmp_path)
    async with bot_process(server, env=env):  # it raises when the process exits before identifying
        await ready(server)
    assert [r.status for r in refused.hits] == [403]
    async with bot_process(server, env=env):
        await server.wait_for(lambda kind, _: kind == "IDENTIFY" and len(server.identifies) == 2, 20)
        await ready(server)
        asked = await server.send_slash(guild["id"], channel["id"], user["id"], "help", locale="fr")
        body, _ = await answered_within(server, asked, 5)
    assert body["data"]["embeds"][0]["title"].startswith("Bienvenue")
    server.assert_no_violations()


async def test_an_administrator_is_a_teacher_when_the_interaction_leaves_out_permissions(
    loopback_discord,  # noqa: F811
    tmp_path,
):
    """A Discord whose interactions carry no `member.permissions`: the server admin (Manage Server
    through a role) still sets up the course and sees the teachers' commands in /help; a learner
    is still turned away."""
    server = loopback_discord
    server.permissions_in_interactions = False
    world = cohort(server, learners=2)
    async with bot_process(server, env=db_env(tmp_path)):
        await ready(server)
        body = await setup_course(server, world)
        assert body["type"] == 4 and "créé" in body["data"]["content"]
        helped = await server.send_slash(world.gid, world.general["id"], world.prof["id"], "help")
        shown, _ = await answered_within(server, helped, 3)
        assert "/groups form" in shown["data"]["embeds"][0]["description"]
        learner = world.learners[0]["id"]
        refused = await server.send_slash(
            world.gid, world.general["id"], learner, "groups form", {"strategy": "alphabetical"}
        )
        body, _ = await answered_within(server, refused, 3)
        assert body["data"]["flags"] & 64 and body["data"]["content"] == t("error.not_allowed", "fr")
    server.assert_no_violations()


async def test_a_course_speaks_its_teachers_language_on_a_server_left_in_english(
    loopback_discord,  # noqa: F811
    tmp_path,
):
    """Discord gives a server en-US unless it is a Community server set otherwise: what the bot posts
    for a course is in the language of the teacher who set it up, until changed in its settings."""
    server = loopback_discord
    world = cohort(server, learners=6, locale="en-US")
    env = db_env(tmp_path)
    async with bot_process(server, env=env):
        await ready(server)
        body = await setup_course(server, world, locale="fr")
        assert "créé" in body["data"]["content"] and "français" in body["data"]["embeds"][0]["description"]
        await form_groups(server, world, "alphabetical")
        group = next(c for c in server.state.channels.values() if (c.get("name") or "").startswith("groupe-"))
        category = server.state.channels[group["parent_id"]]
        assert category["name"] == "Groupes Apprenants"
        [icebreaker] = server.find_requests("POST", f"/channels/{group['id']}/messages")
        assert "Bienvenue dans le **groupe 1**" in icebreaker.json["content"]

        # an English-speaking colleague's reply is in English; the course turns English when asked
        asked = await server.send_slash(
            world.gid,
            world.general["id"],
            world.prof["id"],
            "course settings",
            {"language": "en"},
            locale="en-US",
        )
        changed, _ = await answered_within(server, asked, 3)
        assert "updated" in changed["data"]["content"]
        assert "English" in changed["data"]["embeds"][0]["description"]
        await server.dispatch("GUILD_MEMBER_REMOVE", {"guild_id": world.gid, "user": world.learners[0]})
        notice = await server.wait_for_request("POST", f"/channels/{world.staff['id']}/messages", 10)
        assert "left the server" in notice.json["content"], notice.json["content"]
    # after a restart, the language is read back: an English digest
    async with bot_process(server, *ticking(tmp_path), env=env):
        await ready(server)
        digest = await a_digest_is_posted(server, env, world)
        assert digest.json["embeds"][0]["title"].startswith("Weekly"), digest.json["embeds"][0]["title"]
    server.assert_no_violations()
