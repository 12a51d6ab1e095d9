"""Learners who leave a course (the server, the learner role, while the bot was away) and `/groups
remove`, through real discord.py (SimCord): their place, their channel access, open polls, the
teachers' notice — once, across restarts — and a return later as a new arrival."""

from __future__ import annotations

import asyncio
import csv
import io
from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import select

from bot.app import create_bot
from bot.scheduling import make_scheduler
from storage.db import make_session_factory
from storage.models import Action
from tests.helpers import final_text, locale
from tests.test_activity import START, cohort, run  # noqa: F401
from tests.test_polls_flow import open_poll, unthrottle, vote_all
from tests.test_reports import report_message


def notices(staff) -> list[str]:
    return [m.content for m in staff.history() if m.content.startswith("👋")]


def permission_deletes(env, before: int, user_id: int) -> list[str]:
    return [
        r.path
        for r in env.http_requests[before:]
        if r.method == "DELETE" and r.path.endswith(f"/permissions/{user_id}")
    ]


async def group_of(env, user_id):
    return await env.bot.services.groups.group_of(1, user_id)


async def test_learner_who_leaves_the_server_leaves_the_group_and_teachers_are_told_once(
    cohort,  # noqa: F811
    clock,
):
    env, guild, staff = cohort["env"], cohort["guild"], cohort["staff"]
    clock.set(START + timedelta(days=10))
    leaver = cohort["members"][1][0]
    channel = cohort["channels"][1]
    before = len(env.http_requests)
    guild.remove_member(leaver)
    await env.settle()
    assert await group_of(env, leaver.id) is None
    group = await env.bot.services.groups.by_number(1, 1)
    assert leaver.id not in group.member_ids and len(group.member_ids) == 5
    assert permission_deletes(env, before, leaver.id) == [f"/channels/{channel.id}/permissions/{leaver.id}"]
    [notice] = notices(staff)
    assert "a quitté le serveur" in notice and "groupe 1" in notice and "5 membre(s)" in notice
    assert f"<@{leaver.id}>" in notice and "sous le minimum" not in notice  # 5 is the minimum: still fine
    [sent] = [
        r
        for r in env.http_requests[before:]
        if r.method == "POST" and r.path.endswith(f"/{staff.id}/messages")
    ]
    assert sent.json["allowed_mentions"]["parse"] == [] and not sent.json["allowed_mentions"].get("users")
    # A restart and more runs tell nobody again.
    again = create_bot(env.bot.settings, env.bot.sessions, make_scheduler(), clock)
    await env.restart_bot(again)
    await run(env, clock, START + timedelta(days=10, hours=1))
    assert len(notices(staff)) == 1


async def test_losing_the_learner_role_twice_takes_the_group_below_its_minimum(cohort, clock):  # noqa: F811
    env, guild, staff = cohort["env"], cohort["guild"], cohort["staff"]
    clock.set(START + timedelta(days=10))
    first, second = cohort["members"][2][:2]
    for member in (first, second):
        env.backend.remove_member_role(guild.id, member.id, cohort["learner_role"].id)
        await env.settle()
    group = await env.bot.services.groups.by_number(1, 2)
    assert len(group.member_ids) == 4
    last = notices(staff)
    assert len(last) == 2
    assert all("n'a plus le rôle des apprenants" in n for n in last)
    assert "4 membre(s)" in last[1] and "passe sous le minimum de 5" in last[1]


async def test_a_departure_closes_a_poll_that_everyone_else_has_answered(cohort, clock):  # noqa: F811
    env, guild = cohort["env"], cohort["guild"]
    unthrottle(env.bot)
    clock.set(START + timedelta(days=10))
    channel = cohort["channels"][1]
    members = cohort["members"][1]
    poll_id, message = await open_poll(env, channel, members[0])
    for member in members[:-1]:
        await vote_all(env, member, message, "yes")
    assert (await env.bot.services.polls.get(poll_id)).status == "open"  # waiting for the last one
    guild.remove_member(members[-1])
    await env.settle()
    poll = await env.bot.services.polls.get(poll_id)
    assert poll.status == "closed" and poll.close_reason == "all_answered"
    assert len(poll.members) == 5
    result = channel.last_message.content
    assert "le meilleur moment" in result and "Les 5 peuvent venir : 5 oui" in result


async def test_teacher_removes_a_learner_who_keeps_the_role_and_is_not_placed_again(
    cohort,  # noqa: F811
    clock,
    settings,
    sqlite_engine,
):
    env, guild, staff, teacher = cohort["env"], cohort["guild"], cohort["staff"], cohort["teacher"]
    general = guild.channels["general"]
    clock.set(START + timedelta(days=12))
    learner = cohort["members"][1][2]
    channel = cohort["channels"][1]
    before = len(env.http_requests)
    with locale("fr"):
        removed = await teacher.slash(general, "groups remove", member=learner)
    assert removed.ephemeral
    text = final_text(removed)
    assert "n'est plus dans le groupe 1" in text and "5 membre(s)" in text
    assert "ne sera pas replacé automatiquement" in text and "`/groups move`" in text
    assert permission_deletes(env, before, learner.id) == [f"/channels/{channel.id}/permissions/{learner.id}"]
    assert notices(staff) == []  # the teacher's reply says it
    with locale("fr"):
        listed = await teacher.slash(general, "groups list")
    assert "Retirés de leur groupe par un enseignant (pas replacés automatiquement) : 1" in (
        listed.response.embeds[0].description
    )
    assert "Apprenants sans groupe : 0" in listed.response.embeds[0].description
    # Removing again says so, with an example of where to look.
    with locale("en-US"):
        again = await teacher.slash(general, "groups remove", member=learner)
    assert again.ephemeral and "is in no group of this course" in final_text(again)
    # A restart does not place them again as a newcomer (they still have the learner role)…
    restarted = create_bot(settings, make_session_factory(sqlite_engine), make_scheduler(), clock)
    await env.restart_bot(restarted)
    for _ in range(3):
        await run(env, clock)
    assert await group_of(env, learner.id) is None
    # …and /groups move puts them back.
    with locale("fr"):
        moved = await teacher.slash(general, "groups move", member=learner, group=2)
    assert "est maintenant dans le groupe 2" in final_text(moved)
    assert (await group_of(env, learner.id)).number == 2


async def test_learner_who_left_while_the_bot_was_away_is_noticed_on_start(
    cohort,  # noqa: F811
    clock,
    settings,
    sqlite_engine,
):
    env, guild, staff = cohort["env"], cohort["guild"], cohort["staff"]
    clock.set(START + timedelta(days=20))
    leaver = cohort["members"][2][3]
    await env.bot.close()
    env.backend.remove_member(guild.id, leaver.id)
    again = create_bot(settings, make_session_factory(sqlite_engine), make_scheduler(), clock)
    await env.restart_bot(again)
    for _ in range(2):
        await run(env, clock)
    assert await group_of(env, leaver.id) is None
    [notice] = notices(staff)
    assert "pendant que le bot était arrêté" in notice and "groupe 2" in notice


async def test_a_newcomer_who_leaves_and_comes_back_is_placed_and_welcomed_again(cohort, clock):  # noqa: F811
    env, guild, staff = cohort["env"], cohort["guild"], cohort["staff"]
    clock.set(START + timedelta(days=40))
    user = env.create_user("latecomer")
    newcomer = guild.add_member(user, roles=[cohort["learner_role"]])
    await env.settle()
    await run(env, clock)
    first = await group_of(env, newcomer.id)
    assert first is not None
    guild.remove_member(newcomer)
    await env.settle()
    assert await group_of(env, newcomer.id) is None
    clock.set(START + timedelta(days=45))
    back = guild.add_member(user, roles=[cohort["learner_role"]])
    await env.settle()
    await run(env, clock)
    assert await group_of(env, back.id) is not None
    welcomes = [
        m
        for channel in cohort["channels"].values()
        for m in channel.history()
        if "rattraper le fil" in m.content and back.mention in m.content
    ]
    assert len(welcomes) == 2  # welcomed on arrival, and again on return
    assert len([m for m in staff.history() if "en cours de route" in m.content]) == 2


async def test_a_newcomer_waiting_for_a_group_who_leaves_stops_waiting(cohort, clock):  # noqa: F811
    env, guild, staff = cohort["env"], cohort["guild"], cohort["staff"]
    clock.set(START + timedelta(days=40))
    late = [guild.add_member(env.create_user(f"late{i}"), roles=[cohort["learner_role"]]) for i in range(3)]
    await env.settle()
    await run(env, clock)
    [waiting] = await env.bot.services.newcomers.waiting_ids(1)  # two placed: both groups are at 7
    guild.remove_member(next(m for m in late if m.id == waiting))
    await env.settle()
    assert await env.bot.services.newcomers.waiting_ids(1) == set()
    [notice] = notices(staff)
    assert "qui attendait un groupe" in notice and "En attente : 0" in notice


@pytest.mark.parametrize("reason", ["server", "teacher"])
async def test_two_processes_seeing_the_same_departure_take_the_place_once(cohort, reason):  # noqa: F811
    env = cohort["env"]
    course = await env.bot.services.courses.get(1)
    learner = cohort["members"][1][1]
    svc = env.bot.services.departures
    results = await asyncio.gather(*(svc.leave(course, learner.id, reason) for _ in range(4)))
    assert sum(r is not None for r in results) == 1
    async with env.bot.sessions() as s:
        kinds = (await s.exec(select(Action.kind).where(Action.kind == "departure"))).all()
    assert len(kinds) == 1


async def test_departures_are_told_in_the_weekly_digest_and_counted_in_the_course_report(cohort, clock):  # noqa: F811
    env, guild, staff, teacher = cohort["env"], cohort["guild"], cohort["staff"], cohort["teacher"]
    general = guild.channels["general"]
    clock.set(datetime(2026, 9, 15, 8, 0, tzinfo=UTC))  # Tuesday of the second week
    gone, lost_role = cohort["members"][1][0], cohort["members"][2][0]
    removed = cohort["members"][2][1]
    guild.remove_member(gone)
    env.backend.remove_member_role(guild.id, lost_role.id, cohort["learner_role"].id)
    await env.settle()
    with locale("fr"):
        await teacher.slash(general, "groups remove", member=removed)
    await run(env, clock, datetime(2026, 9, 21, 16, 30, tzinfo=UTC))  # Monday 18:30 in Paris
    [digest] = [m for m in staff.history() if m.embeds and "Bilan de la semaine" in m.embeds[0].title]
    text = digest.embeds[0].description
    assert "Départs : 3 (" in text
    assert f"<@{gone.id}> (groupe 1, a quitté le serveur)" in text
    assert f"<@{lost_role.id}> (groupe 2, n'a plus le rôle des apprenants)" in text
    assert f"<@{removed.id}> (groupe 2, retiré(e) par un enseignant)" in text
    # The next week's digest has nobody left to tell about.
    await run(env, clock, datetime(2026, 9, 28, 16, 30, tzinfo=UTC))
    digests = [m for m in staff.history() if m.embeds and "Bilan de la semaine" in m.embeds[0].title]
    assert len(digests) == 2 and "Départs" not in digests[-1].embeds[0].description
    with locale("en-US"):
        result = await teacher.slash(general, "activity report", weeks=4)
    sent = await report_message(result)
    description = sent.embeds[0].description
    assert "🚪 Learners who left the course in the period: 3." in description
    assert "**Group 1** · 5 members" in description and "· 1 left" in description
    assert "**Group 2** · 4 members" in description and "· 2 left" in description
    rows = list(csv.DictReader(io.StringIO((await sent.attachments[1].read()).decode("utf-8-sig"))))
    left = {(r["group"], r["week_start"]): int(r["left"]) for r in rows if int(r["left"])}
    assert left == {("1", "2026-09-15"): 1, ("2", "2026-09-15"): 2}  # windows from 01/09, 7 days each
