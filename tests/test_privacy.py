"""A member's own data: /mydata export and /mydata delete through real discord.py (SimCord), and the
service on SQLite and PostgreSQL (only that member's rows, only on that server; what stays)."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import select

from bot.clock import FakeClock
from bot.services.privacy import PrivacyService
from storage.models import (
    ActivityDay,
    DepartureRecord,
    FaqQuestion,
    FaqVote,
    GroupMember,
    LearnerGroup,
    Meetup,
    MeetupAttendance,
    MeetupFeedback,
    MemberLastActive,
    Newcomer,
    NudgeOptOut,
    OpenQuestion,
    Poll,
    PollSlot,
    PollVote,
    Profile,
)
from tests.helpers import final_text, locale
from tests.test_groups_flow import world  # noqa: F401
from tests.test_nudges_service import course_row
from tests.test_polls_flow import group_world, open_poll, poll_message, unthrottle, vote_all

NOW = datetime(2026, 10, 5, 18, 0, tzinfo=UTC)
ME, OTHER = 501, 502


@pytest.fixture(autouse=True)
def _edits_not_throttled(request):
    if "simcord_env" in request.fixturenames:
        unthrottle(request.getfixturevalue("simcord_env").bot)


async def export_of(member, channel) -> tuple[dict, str]:
    with locale("fr"):
        result = await member.slash(channel, "mydata export")
    assert result.ephemeral
    attachment = result.followups[-1].attachments[0] if result.followups else result.response.attachments[0]
    assert attachment.filename.endswith(f"-{member.id}.json")
    return json.loads(await attachment.read()), final_text(result)


async def test_export_then_erase_through_discord(world):  # noqa: F811
    env, guild, channel, group, members, outsider, teacher = await group_world(world)
    me, other = members[0], members[1]
    with locale("fr"):
        await me.slash(channel, "profile set", city="Lyon", about="Reprise d'études, 2 enfants")
    poll_id, message = await open_poll(env, channel, me)
    await vote_all(env, me, message, "yes")
    await vote_all(env, other, message, "no")
    await me.send(channel, "Bonsoir, quelqu'un a fini le TD 3 ?")
    await env.settle()

    data, text = await export_of(me, channel)
    assert data["user_id"] == str(me.id)
    assert data["profile"]["city"] == "Lyon"
    assert data["profile"]["about"] == "Reprise d'études, 2 enfants"
    assert data["groups"] == [
        {"course": "Apprenants L1", "group": group.number, "joined_at": data["groups"][0]["joined_at"]}
    ]
    assert [a["answer"] for a in data["poll_answers"]] == ["yes", "yes", "yes"]
    assert [p["title"] for p in data["polls_created"]] == ["Révisions"]
    assert sum(d["messages"] for d in data["activity"]["days"]) == 1  # counted in memory, flushed first
    assert len(data["questions_in_channels"]) == 1  # ids and times only
    assert "Bonsoir" not in json.dumps(data)  # never a message's content
    assert "profil : 1" in text and "réponses aux sondages : 3" in text and "groupes : 1" in text

    with locale("fr"):
        asked = await me.slash(channel, "mydata delete")
    assert asked.ephemeral
    assert asked.response.embeds[0].title == "Effacer vos données sur ce serveur ?"
    assert "Gardé" in asked.response.embeds[0].description
    assert (await env.bot.services.profiles.get(guild.id, me.id)).city == "Lyon"

    with locale("fr"):
        done = await me.click(asked.response.message, label="Effacer mes données")
    assert done.response.message.content.startswith("C'est fait : ")
    assert "profil : 1" in done.response.message.content
    assert not done.response.message.components
    await env.advance_time(5)  # the coalesced edit of the poll
    assert f"Ont répondu : 1/{len(members)}" in poll_message(channel).embeds[0].description
    poll = await env.bot.services.polls.get(poll_id)
    assert all(t.yes == () and me.id not in t.no for t in poll.tallies)

    after, text = await export_of(me, channel)
    assert after["profile"] is None and after["poll_answers"] == [] and after["activity"]["days"] == []
    assert after["questions_in_channels"] == []
    assert len(after["groups"]) == 1 and after["activity"]["last_active_day"] is not None  # kept, as said
    assert [p["title"] for p in after["polls_created"]] == ["Révisions"]
    other_data, _ = await export_of(other, channel)
    assert [a["answer"] for a in other_data["poll_answers"]] == ["no", "no", "no"]

    with locale("en-US"):
        again = await me.slash(channel, "mydata delete")
        kept = await me.click(again.response.message, label="Cancel")
    assert kept.response.message.content == "Nothing was erased."


async def test_erasing_with_nothing_stored_says_so(world):  # noqa: F811
    env, guild, general, staff, teacher_role, learner_role, teacher, learners = world
    with locale("en-US"):
        asked = await learners[0].slash(general, "mydata delete")
        done = await learners[0].click(asked.response.message, label="Erase my data")
    assert "nothing to erase" in done.response.message.content
    data, text = await export_of(learners[0], general)
    assert data["profile"] is None and "rien pour l'instant" in text


# --- the service, on each database -----------------------------------------------------------------


async def seed(sessions) -> dict[str, int]:
    """Two servers; on server 1 ME and OTHER share a group, a poll, a meetup and FAQ questions; ME is
    also on server 2."""
    ids: dict[str, int] = {}
    async with sessions() as s, s.begin():
        for guild in (1, 2):
            course = course_row(guild_id=guild, name=f"Cours {guild}", learner_role_id=10 + guild)
            s.add(course)
            await s.flush()
            group = LearnerGroup(course_id=course.id, number=1, channel_id=100 + guild, created_at=NOW)
            s.add(group)
            await s.flush()
            poll = Poll(
                group_id=group.id,
                channel_id=100 + guild,
                created_by=OTHER,
                title="Révisions",
                deadline=NOW + timedelta(days=2),
                created_at=NOW,
            )
            meetup = Meetup(
                group_id=group.id,
                guild_id=guild,
                title="Visio",
                starts_at=NOW,
                ends_at=NOW + timedelta(hours=1),
                created_by=ME,
                created_at=NOW,
                status="done",
            )
            s.add_all([poll, meetup])
            await s.flush()
            slot = PollSlot(poll_id=poll.id, position=1, starts_at=NOW + timedelta(days=3))
            s.add(slot)
            await s.flush()
            for user in (ME, OTHER):
                s.add_all(
                    [
                        Profile(guild_id=guild, user_id=user, city="Lyon", updated_at=NOW),
                        GroupMember(group_id=group.id, course_id=course.id, user_id=user, joined_at=NOW),
                        ActivityDay(
                            guild_id=guild, group_id=group.id, user_id=user, day=NOW.date(), messages=4
                        ),
                        MemberLastActive(guild_id=guild, user_id=user, day=NOW.date()),
                        NudgeOptOut(guild_id=guild, user_id=user, created_at=NOW),
                        Newcomer(course_id=course.id, user_id=user, arrived_at=NOW),
                        DepartureRecord(
                            course_id=course.id, user_id=user, group_id=group.id, reason="role", left_at=NOW
                        ),
                        OpenQuestion(
                            guild_id=guild,
                            course_id=course.id,
                            channel_id=100 + guild,
                            message_id=guild * 1000 + user,
                            author_id=user,
                            asked_at=NOW,
                        ),
                        PollVote(
                            poll_id=poll.id, slot_id=slot.id, user_id=user, answer="yes", updated_at=NOW
                        ),
                        MeetupAttendance(meetup_id=meetup.id, user_id=user, seconds=1800, present=True),
                        MeetupFeedback(
                            meetup_id=meetup.id, user_id=user, rating=5, again=True, updated_at=NOW
                        ),
                    ]
                )
                question = FaqQuestion(
                    guild_id=guild,
                    kind="ask",
                    user_id=user,
                    channel_id=100 + guild,
                    text=f"c quand les partiels ? ({user})",
                    entry_id="exam-dates",
                    score=0.4,
                    created_at=NOW,
                )
                s.add(question)
                await s.flush()
                ids[f"question:{guild}:{user}"] = question.id
            # each votes on the other's question and their own
            for voter in (ME, OTHER):
                for asker in (ME, OTHER):
                    s.add(
                        FaqVote(
                            question_id=ids[f"question:{guild}:{asker}"],
                            user_id=voter,
                            helpful=False,
                            updated_at=NOW,
                        )
                    )
            ids[f"poll:{guild}"] = poll.id
    return ids


async def rows(sessions, model, **where) -> list:
    async with sessions() as s:
        query = select(model)
        for name, value in where.items():
            query = query.where(getattr(model, name) == value)
        return list((await s.exec(query)).all())


async def test_erase_deletes_only_this_member_on_this_server(sessions):
    ids = await seed(sessions)
    flushed = []

    async def flush():
        flushed.append(True)

    svc = PrivacyService(sessions, FakeClock(NOW), flush)
    before = await svc.export(1, ME)
    assert before["profile"]["city"] == "Lyon" and len(before["faq_questions"]) == 1
    assert before["faq_questions"][0]["text"] == f"c quand les partiels ? ({ME})"
    assert before["meetups"][0]["created_by_you"] and before["meetups"][0]["rating"] == 5
    assert len(before["faq_votes"]) == 2 and before["nudges_off"] is True
    assert before["departures"] == [
        {"course": before["groups"][0]["course"], "group": 1, "reason": "role", "left_at": NOW.isoformat()}
    ]

    erased = await svc.erase(1, ME)
    assert len(flushed) == 2  # counts in memory are written before reading and before erasing
    assert erased.open_polls == [ids["poll:1"]]
    assert erased.counts == {
        "profile": 1,
        "activity_days": 1,
        "questions_in_channels": 1,
        "arrivals_mid_course": 1,
        "departures": 1,
        "poll_answers": 1,
        "meetup_attendance": 1,
        "meetup_feedback": 1,
        "faq_votes": 3,  # ME's two votes, and OTHER's vote on ME's question
        "faq_questions": 1,
    }
    for model in (
        Profile,
        ActivityDay,
        Newcomer,
        DepartureRecord,
        PollVote,
        MeetupAttendance,
        MeetupFeedback,
    ):
        left = await rows(sessions, model)
        assert sum(1 for r in left if r.user_id == ME) == 1, model  # server 2's only
        assert sum(1 for r in left if r.user_id == OTHER) == 2, model
    assert {q.guild_id for q in await rows(sessions, FaqQuestion, user_id=ME)} == {2}
    assert {q.guild_id for q in await rows(sessions, OpenQuestion, author_id=ME)} == {2}
    assert len(await rows(sessions, FaqVote, question_id=ids[f"question:1:{OTHER}"])) == 1  # OTHER's own
    # kept: the place in the group, the last active day, the nudges choice, the creator's id
    assert len(await rows(sessions, GroupMember, user_id=ME)) == 2
    assert len(await rows(sessions, MemberLastActive, user_id=ME)) == 2
    assert len(await rows(sessions, NudgeOptOut, user_id=ME)) == 2
    assert len(await rows(sessions, Meetup, created_by=ME)) == 2

    again = await svc.erase(1, ME)
    assert again.total == 0 and again.open_polls == []
    assert (await svc.export(2, ME))["profile"] is not None


async def test_erase_keeps_a_teachers_removal_until_the_member_has_left(sessions):
    """`/groups remove` keeps a learner out of the groups: erasing their data must not undo it."""
    await seed(sessions)
    async with sessions() as s, s.begin():
        for row in (await s.exec(select(Newcomer).where(Newcomer.user_id == ME))).all():
            row.status = "removed"
    svc = PrivacyService(sessions, FakeClock(NOW))
    assert (await svc.erase(1, ME)).counts["arrivals_mid_course"] == 0
    assert [n.status for n in await rows(sessions, Newcomer, user_id=ME)] == ["removed", "removed"]
    assert (await svc.erase(1, ME, left=True)).counts["arrivals_mid_course"] == 1
    assert len(await rows(sessions, Newcomer, user_id=ME)) == 1  # server 2's


def test_operator_cli_exports_then_erases_a_member_who_left(tmp_path, monkeypatch, capsys):
    import asyncio

    from bot.__main__ import main
    from storage.db import make_engine, make_session_factory, upgrade

    url = f"sqlite+aiosqlite:///{tmp_path}/cli.db"

    async def prepare():
        engine = make_engine(url)
        await upgrade(engine)
        await seed(make_session_factory(engine))
        await engine.dispose()

    asyncio.run(prepare())
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.chdir(tmp_path)
    assert main(["data", "export", "--guild", "1", "--user", str(ME)]) == 0
    exported = json.loads(capsys.readouterr().out)
    assert exported["profile"]["city"] == "Lyon" and exported["nudges_off"] is True

    assert main(["data", "erase", "--guild", "1", "--user", str(ME), "--left", "--lang", "en"]) == 0
    said = capsys.readouterr().out
    assert said.startswith(f"Server 1, member {ME}: 15 item(s) erased — profile: 1")
    assert "courses left: 1" in said
    assert "places in a group: 1" in said and "last active day: 1" in said and "nudges-off choice: 1" in said
    assert main(["data", "export", "--guild", "1", "--user", str(ME)]) == 0
    after = json.loads(capsys.readouterr().out)
    assert after["groups"] == [] and after["activity"]["last_active_day"] is None and not after["nudges_off"]
    assert main(["data", "erase", "--guild", "1", "--user", str(ME)]) == 0
    assert capsys.readouterr().out.strip() == f"Serveur 1, membre {ME} : rien à effacer."
