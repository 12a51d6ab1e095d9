"""Activity watch, newcomers and weekly nudges through real discord.py (SimCord), with the fake clock."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, timedelta

import discord
import pytest
import pytest_asyncio
from simcord.backend import serializers

from bot.app import create_bot
from bot.scheduling import make_scheduler
from storage.db import make_session_factory
from tests.helpers import final_text, locale, school
from tests.test_groups_flow import AVAIL, setup_course
from tests.test_privacy import export_of

START = datetime(2026, 9, 7, 8, 0, tzinfo=UTC)  # Monday 10:00 in Paris, the course start


@pytest_asyncio.fixture
async def cohort(simcord_env):
    """A course with 12 learners in 2 groups of 6, formed on the start day."""
    world = await school(simcord_env, 12)
    env, guild, general, staff, teacher_role, learner_role, teacher, learners = world
    entraide = guild.create_text_channel("entraide")
    await setup_course(world)
    with locale("fr"):
        marked = await teacher.slash(general, "faqbase helpchannel", channel=entraide)
    assert marked.ephemeral
    for actor, avail in zip(learners, AVAIL, strict=True):
        await actor.slash(general, "profile set", availability=avail, region="Bretagne")
    with locale("fr"):
        preview = await teacher.slash(general, "groups form", strategy="availability")
        await teacher.click(preview.response.message, label="Confirmer et créer les salons")
    groups = await env.bot.services.groups.groups(1)
    channels = {g.number: guild.channels[f"groupe-{g.number}"] for g in groups}
    members = {g.number: [a for a in learners if a.id in g.member_ids] for g in groups}
    return {
        "env": env,
        "guild": guild,
        "staff": staff,
        "entraide": entraide,
        "teacher": teacher,
        "learner_role": learner_role,
        "learners": learners,
        "groups": groups,
        "channels": channels,
        "members": members,
    }


async def run(env, clock, when=None):
    if when is not None:
        clock.set(when)
    await env.bot.services.runner.run_due()
    await env.bot.services.runner.run_due()
    await env.bot.services.runner.run_due()
    await env.settle()


def texts(channel) -> list[str]:
    return [m.content for m in channel.history()]


def quiet_alerts(staff) -> list[discord.Message]:
    return [m for m in staff.history() if m.embeds and "est calme" in (m.embeds[0].title or "")]


async def test_seven_quiet_days_give_one_alert_and_a_nudge(cohort, clock):
    env, staff, channels, members = cohort["env"], cohort["staff"], cohort["channels"], cohort["members"]
    await run(env, clock, START + timedelta(days=3))
    await members[1][0].send(channels[1], "Bonjour tout le monde")  # group 1 is active on day 3
    await run(env, clock, START + timedelta(days=8))
    alerts = quiet_alerts(staff)
    assert len(alerts) == 1
    assert alerts[0].embeds[0].title.startswith("Groupe 2")
    assert "Dernière activité : jamais" in alerts[0].embeds[0].description
    labels = [c.label for row in alerts[0].components for c in row.children]
    assert labels == [
        "Envoyer un encouragement",
        "Proposer un sondage de rencontre",
        "Mettre en veille 7 jours",
    ]
    assert any("Petit coucou" in t for t in texts(channels[2]))
    assert not any("Petit coucou" in t for t in texts(channels[1]))
    # No repeat while the group stays quiet…
    await run(env, clock, START + timedelta(days=9))
    await members[1][1].send(channels[1], "On se voit jeudi ?")
    await run(env, clock, START + timedelta(days=12))
    assert len(quiet_alerts(staff)) == 1
    # …a new alert only after it has been active again, then quiet for 7 days.
    await members[2][0].send(channels[2], "Désolée, grosse semaine !")  # day 12
    await members[1][1].send(channels[1], "Bonne idée")
    await run(env, clock, START + timedelta(days=19))
    assert len(quiet_alerts(staff)) == 1
    await run(env, clock, START + timedelta(days=20))
    group_two = [a for a in quiet_alerts(staff) if a.embeds[0].title.startswith("Groupe 2")]
    assert len(group_two) == 2
    assert (
        "Dernière activité : 19/09/2026"
        in group_two[0].embeds[0].description + group_two[1].embeds[0].description
    )


async def test_snooze_and_encourage_buttons(cohort, clock):
    env, staff, channels, teacher = cohort["env"], cohort["staff"], cohort["channels"], cohort["teacher"]
    await run(env, clock, START + timedelta(days=8))
    alerts = quiet_alerts(staff)
    assert len(alerts) == 2  # nobody wrote anywhere
    with locale("fr"):
        done = await teacher.click(alerts[0], label="Envoyer un encouragement")
    assert "Encouragement envoyé" in done.response.content
    assert any("équipe pédagogique" in t for t in texts(channels[1]))
    with locale("fr"):
        snoozed = await teacher.click(alerts[1], label="Mettre en veille 7 jours")
    assert "en veille jusqu'au" in snoozed.response.content
    await run(env, clock, START + timedelta(days=12))
    assert len(quiet_alerts(staff)) == 2
    await run(env, clock, START + timedelta(days=16))  # snooze over, still quiet: told again
    assert len(quiet_alerts(staff)) == 3


async def test_propose_a_poll_invites_the_group_to_our_availability_poll(cohort, clock):
    env, staff, channels, teacher = cohort["env"], cohort["staff"], cohort["channels"], cohort["teacher"]
    await run(env, clock, START + timedelta(days=8))
    alert = quiet_alerts(staff)[0]
    with locale("fr"):
        done = await teacher.click(alert, label="Proposer un sondage de rencontre")
    assert "Sondage" in done.response.content
    group = next(g for g in cohort["groups"] if str(g.id) in alert.components[0].children[0].custom_id)
    invite = channels[group.number].last_message
    assert "oui / si besoin / non" in invite.content
    member = next(a for a in cohort["members"][group.number])
    with locale("fr"):
        opened = await member.click(invite, label="Trouver un moment pour se voir")
    assert opened.modal is not None  # the same poll form as the icebreaker's button


async def given_the_learner_role(cohort, clock, member) -> int:
    """The member receives the learner role and the due work runs; the number of requests before."""
    env = cohort["env"]
    before = len(env.http_requests)
    env.backend.add_member_role(cohort["guild"].id, member.id, cohort["learner_role"].id)
    await env.settle()
    for _ in range(3):
        await run(env, clock)
    return before


async def test_newcomer_who_got_the_role_while_the_bot_was_away_is_placed_on_start(
    cohort, clock, settings, sqlite_engine
):
    env, guild = cohort["env"], cohort["guild"]
    clock.set(START + timedelta(days=40))
    newcomer = guild.add_member(env.create_user("latecomer"))
    await env.settle()
    await env.bot.close()  # the bot is away…
    env.backend.add_member_role(guild.id, newcomer.id, cohort["learner_role"].id)  # …when the role is given
    again = create_bot(settings, make_session_factory(sqlite_engine), make_scheduler(), clock)
    await env.restart_bot(again)
    for _ in range(3):
        await run(env, clock)
    group = await env.bot.services.groups.group_of(1, newcomer.id)
    assert group is not None
    assert any("latecomer" in m.content or newcomer.mention in m.content for m in cohort["staff"].history())


async def test_newcomer_on_day_40_is_placed_welcomed_and_announced(cohort, clock):
    env, guild, staff = cohort["env"], cohort["guild"], cohort["staff"]
    clock.set(START + timedelta(days=40))
    user = env.create_user("latecomer")
    newcomer = guild.add_member(user)
    await env.settle()
    before = await given_the_learner_role(cohort, clock, newcomer)
    group = await env.bot.services.groups.group_of(1, newcomer.id)
    assert group is not None and len(group.member_ids) == 7  # both groups were full: max + 1
    channel = cohort["channels"][group.number]
    perms = [
        r for r in env.http_requests[before:] if r.method == "PUT" and f"/permissions/{newcomer.id}" in r.path
    ]
    assert len(perms) == 1 and perms[0].path.startswith(f"/channels/{channel.id}/")
    welcome = [m for m in channel.history() if "rattraper le fil" in m.content]
    assert len(welcome) == 1
    assert newcomer.mention in welcome[0].content and len(welcome[0].embeds) == 6
    dm = user.dm_channel.last_message
    assert dm is not None and "/profile set" in dm.content
    announce = [m for m in staff.history() if "en cours de route" in m.content]
    assert len(announce) == 1
    assert f"groupe {group.number}" in announce[0].content
    assert "passe à 7 membres" in announce[0].content  # the rule applied is stated
    assert "Message privé envoyé" in announce[0].content
    # A restart and more runs change nothing.
    again = create_bot(env.bot.settings, env.bot.sessions, make_scheduler(), clock)
    await env.restart_bot(again)
    await run(env, clock, START + timedelta(days=40, hours=1))
    assert len([m for m in channel.history() if "rattraper le fil" in m.content]) == 1
    assert len([m for m in staff.history() if "en cours de route" in m.content]) == 1


async def test_newcomer_placed_in_a_group_may_join_its_planned_meetup(cohort, clock):
    env, guild = cohort["env"], cohort["guild"]
    clock.set(START + timedelta(days=40))  # a Saturday
    for number, channel in cohort["channels"].items():
        with locale("fr"):
            await cohort["members"][number][0].slash(channel, "meetup schedule", when="mar 20h30")
    newcomer = guild.add_member(env.create_user("latecomer"))
    await env.settle()
    with locale("fr"):
        await newcomer.slash(cohort["entraide"], "profile set", reminder="2h")
    before = await given_the_learner_role(cohort, clock, newcomer)
    group = await env.bot.services.groups.group_of(1, newcomer.id)
    meetup = (await env.bot.services.meetups.upcoming(group.id))[0]
    granted = [
        r
        for r in env.http_requests[before:]
        if r.method == "PUT" and r.path == f"/channels/{meetup.voice_channel_id}/permissions/{newcomer.id}"
    ]
    assert len(granted) == 1 and int(granted[0].json["allow"]) & 1 << 20  # connect
    reminder = await env.bot.services.actions.get("meetup_dm", f"meetup:{meetup.id}:dm:{newcomer.id}")
    assert reminder.due_at == meetup.starts_at - timedelta(hours=2)


def member_event(env, guild, user_id: int, kind: str, **fields) -> None:
    """Discord's gateway event for a member as the backend holds them, with `fields` (pending, flags) as
    Discord sends them during rules screening or Onboarding."""
    held = env.backend.get_guild(guild.id)
    payload = {**serializers.member_payload(env.backend, held, held.members[user_id]), **fields}
    env.backend.emit(kind, {**payload, "guild_id": str(guild.id)})


STARTED_ONBOARDING, COMPLETED_ONBOARDING = 1 << 3, 1 << 1


@pytest.mark.parametrize(
    ("joining", "through"),
    [
        ({"pending": True}, {"pending": False}),  # rules screening
        ({"flags": STARTED_ONBOARDING}, {"flags": STARTED_ONBOARDING | COMPLETED_ONBOARDING}),  # Onboarding
    ],
    ids=["screening", "onboarding"],
)
async def test_newcomer_is_placed_once_through_onboarding_not_on_join(cohort, clock, joining, through):
    env, guild, staff = cohort["env"], cohort["guild"], cohort["staff"]
    clock.set(START + timedelta(days=40))
    user = env.create_user("latecomer")
    # Joins with the learner role (given by an onboarding question or an auto-role), not through yet.
    env.backend.add_member(guild.id, user.id, roles=[cohort["learner_role"].id])
    member_event(env, guild, user.id, "GUILD_MEMBER_ADD", **joining)
    await env.settle()
    for _ in range(2):
        await run(env, clock)
    assert await env.bot.services.groups.group_of(1, user.id) is None
    assert user.dm_channel is None or user.dm_channel.last_message is None
    assert not [m for m in staff.history() if "en cours de route" in m.content]
    if "pending" in joining:  # SimCord keeps `pending` (not the flags) for the start's member list
        env.backend.get_member(guild.id, user.id).pending = True
        # A restart while they are still on the screen: the start's catch-up waits for them too.
        again = create_bot(env.bot.settings, env.bot.sessions, make_scheduler(), clock)
        await env.restart_bot(again)
        await run(env, clock)
        assert await env.bot.services.groups.group_of(1, user.id) is None
        env.backend.get_member(guild.id, user.id).pending = False
    member_event(env, guild, user.id, "GUILD_MEMBER_UPDATE", **through)
    await env.settle()
    for _ in range(3):
        await run(env, clock)
    group = await env.bot.services.groups.group_of(1, user.id)
    assert group is not None
    channel = cohort["channels"][group.number]
    assert len([m for m in channel.history() if "rattraper le fil" in m.content]) == 1
    assert "/profile set" in user.dm_channel.last_message.content
    assert len([m for m in staff.history() if "en cours de route" in m.content]) == 1


async def test_no_groups_yet_means_no_placement(simcord_env, clock):
    env = simcord_env
    guild = env.create_guild(name="Licence", preferred_locale="fr")
    general = guild.create_text_channel("general")
    staff = guild.create_text_channel("staff")
    admin_role = guild.create_role("Admin", permissions=discord.Permissions(manage_guild=True))
    learner_role = guild.create_role("Apprenants")
    teacher = guild.add_member(env.create_user("prof"), roles=[admin_role])
    await env.settle()
    await teacher.slash(
        general,
        "course setup",
        learner_role=learner_role,
        teacher_role=admin_role,
        staff_channel=staff,
        start_date="2026-09-07",
    )
    clock.set(START + timedelta(days=40))
    guild.add_member(env.create_user("late"), roles=[learner_role])
    late = guild.add_member(env.create_user("later"))
    env.backend.add_member_role(guild.id, late.id, learner_role.id)
    await env.settle()
    await run(env, clock)
    assert (await env.bot.services.actions.counts()) == {}
    assert staff.last_message is None


NUDGE_MARKS = (
    "sondage de créneaux",
    "Nouvelle semaine",
    "Rappel : votre prochaine",
    "Merci pour cette semaine",
)


def nudges_in(channel) -> list[discord.Message]:
    return [m for m in channel.history() if any(mark in m.content for mark in NUDGE_MARKS)]


async def test_restart_across_monday_18h_sends_exactly_one_nudge_per_group(
    cohort, clock, settings, sqlite_engine
):
    env, channels, members = cohort["env"], cohort["channels"], cohort["members"]
    opted_out = members[1][0]
    with locale("fr"):
        off = await opted_out.slash(cohort["staff"], "nudges off")
    assert "ne vous mentionneront plus" in off.response.content
    await run(env, clock, datetime(2026, 9, 7, 15, 0, tzinfo=UTC))  # Monday 17:00 Paris: not yet
    assert not nudges_in(channels[1]) and not nudges_in(channels[2])
    # The bot goes down before 18:00 and comes back at 19:30 Paris.
    clock.set(datetime(2026, 9, 7, 17, 30, tzinfo=UTC))
    again = create_bot(settings, make_session_factory(sqlite_engine), make_scheduler(), clock)
    await env.restart_bot(again)
    await run(env, clock)
    await run(env, clock, datetime(2026, 9, 8, 9, 0, tzinfo=UTC))
    for number in (1, 2):
        sent = nudges_in(channels[number])
        assert len(sent) == 1, number
    text = nudges_in(channels[1])[0].content
    assert opted_out.mention not in text
    assert all(m.mention in text for m in members[1][1:])
    digests = [
        m for m in cohort["staff"].history() if m.embeds and "Bilan de la semaine" in m.embeds[0].title
    ]
    assert len(digests) == 1
    assert "Sans sondage ni rencontre : 2 groupe(s)" in digests[0].embeds[0].description
    # Down for three weeks: one catch-up nudge for the current week, not three.
    await run(env, clock, datetime(2026, 9, 30, 10, 0, tzinfo=UTC))
    for number in (1, 2):
        assert len(nudges_in(channels[number])) == 2


async def test_late_catch_up_at_night_waits_for_8am(cohort, clock):
    env, channels = cohort["env"], cohort["channels"]
    await run(env, clock, datetime(2026, 9, 7, 21, 30, tzinfo=UTC))  # 23:30 in Paris
    assert not nudges_in(channels[1])
    await run(env, clock, datetime(2026, 9, 8, 5, 59, tzinfo=UTC))  # 07:59
    assert not nudges_in(channels[1])
    await run(env, clock, datetime(2026, 9, 8, 6, 0, tzinfo=UTC))  # 08:00
    assert len(nudges_in(channels[1])) == 1 and len(nudges_in(channels[2])) == 1


async def test_unanswered_question_prompt_then_teacher_alert(cohort, clock):
    env, channels, members, staff = cohort["env"], cohort["channels"], cohort["members"], cohort["staff"]
    asker = members[1][0]
    question = await asker.send(channels[1], "Quelqu'un sait comment rendre le devoir 2 ?")
    answered = await members[2][0].send(channels[2], "Comment on fait la fiche de lecture ?")
    await members[2][1].send(channels[2], "Il faut passer par Moodle, section devoirs")
    await run(env, clock, START + timedelta(hours=23))
    assert not [t for t in texts(channels[1]) if "attend une réponse" in t]
    await run(env, clock, START + timedelta(hours=24, minutes=1))
    prompts = [m for m in channels[1].history() if "attend une réponse" in m.content]
    assert len(prompts) == 1
    assert prompts[0].reference.message_id == question.id
    assert not [t for t in texts(channels[2]) if "attend une réponse" in t]
    await run(env, clock, START + timedelta(hours=48, minutes=1))
    alerts = [m for m in staff.history() if "sans réponse depuis 48 h" in m.content]
    assert len(alerts) == 1
    assert f"/{channels[1].id}/{question.id}" in alerts[0].content
    assert str(answered.id) not in "".join(texts(staff))
    # Only ids and times are kept.
    q = await env.bot.services.activity.question(question.id)
    assert q.author_id == asker.id and not hasattr(q, "content")


async def test_isolated_learner_is_reported_to_teachers_only(cohort, clock):
    env, channels, members, staff = cohort["env"], cohort["channels"], cohort["members"], cohort["staff"]
    talkers, silent = members[1][:-1], members[1][-1]
    await run(env, clock, START + timedelta(days=1))
    await silent.send(channels[1], "Salut !")
    for day in range(2, 14):
        clock.set(START + timedelta(days=day))
        for actor in talkers:
            await actor.send(channels[1], "On avance sur le chapitre")
    await run(env, clock, START + timedelta(days=13))
    alerts = [m for m in staff.history() if "n'a rien écrit ni parlé en vocal depuis" in m.content]
    assert [a for a in alerts if silent.mention in a.content]
    assert not [a for a in alerts if any(t.mention in a.content for t in talkers)]
    assert not [t for t in texts(channels[1]) if "n'a rien écrit" in t]


async def test_a_learner_who_stops_the_watch_is_not_reported_and_can_come_back(cohort, clock):
    env, channels, members, staff = cohort["env"], cohort["channels"], cohort["members"], cohort["staff"]
    talkers, silent = members[1][:-1], members[1][-1]
    await run(env, clock, START + timedelta(days=1))
    await silent.send(channels[1], "Salut !")
    with locale("fr"):
        shown = await silent.slash(channels[1], "mydata watch")
    assert shown.ephemeral and "Le bot suit votre activité" in final_text(shown)
    with locale("fr"):
        stopped = await silent.slash(channels[1], "mydata watch", follow=False)
    assert stopped.ephemeral and "ne suit plus votre activité" in final_text(stopped)
    with locale("en-US"):
        shown = await silent.slash(channels[1], "mydata watch")
    assert "no longer follows your activity" in final_text(shown)
    for day in range(2, 14):
        clock.set(START + timedelta(days=day))
        for actor in talkers:
            await actor.send(channels[1], "On avance sur le chapitre")
    await run(env, clock, START + timedelta(days=13))
    assert not [m for m in staff.history() if silent.mention in m.content]
    data, _ = await export_of(silent, channels[1])
    assert data["activity"] == {"followed": False, "last_active_day": None, "days": []}
    with locale("fr"):
        again = await silent.slash(channels[1], "mydata watch", follow=True)
    assert "suit de nouveau votre activité" in final_text(again)
    await run(env, clock, START + timedelta(days=14))
    assert not [m for m in staff.history() if silent.mention in m.content]  # active the day they came back


async def test_activity_counts_are_flushed_on_close(cohort, clock):
    env, channels, members = cohort["env"], cohort["channels"], cohort["members"]
    for actor in members[1][:3]:
        await actor.send(channels[1], "coucou")
    await members[1][0].send(cohort["entraide"], "merci !")
    watch = env.bot.services.activity.watch
    assert watch.pending() > 0
    await env.bot.close()  # shutdown: the cog's cog_unload writes the counters
    again = create_bot(env.bot.settings, env.bot.sessions, make_scheduler(), clock)
    await env.restart_bot(again)
    group_one = next(g for g in cohort["groups"] if g.number == 1)
    figures = await again.services.activity.week_figures([group_one.id], START.date() + timedelta(days=1))
    assert figures[group_one.id].messages == 3


async def test_without_the_message_content_intent_activity_is_counted_but_no_question_tracked(
    cohort, clock
):
    env, channels, members = cohort["env"], cohort["channels"], cohort["members"]
    bot_settings = env.bot.settings
    without = dataclasses.replace(
        bot_settings, bot=dataclasses.replace(bot_settings.bot, message_content_intent=False)
    )
    again = create_bot(without, env.bot.sessions, make_scheduler(), clock)
    await env.restart_bot(again)
    assert not again.intents.message_content
    await members[1][0].send(channels[1], "Quelqu'un sait comment rendre le devoir 2 ?")
    await run(env, clock, START + timedelta(hours=25))
    assert not [t for t in texts(channels[1]) if "attend une réponse" in t]
    group_one = next(g for g in cohort["groups"] if g.number == 1)
    figures = await again.services.activity.week_figures([group_one.id], START.date() + timedelta(days=1))
    assert figures[group_one.id].messages == 1
