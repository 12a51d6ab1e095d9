"""Polls and meetups through real discord.py (SimCord): icebreaker button → modal → poll, ballots,
live tallies (coalesced edits), close (all answered / deadline / early), best slot, "Schedule it" →
voice channel + scheduled event + .ics, reminders, attendance from voice states, feedback, cleanup,
restarts (persistent views, no vote lost, deadline passed while down closes once, no repeated reminder)."""

from __future__ import annotations

import re
from datetime import timedelta

import discord
import pytest

from bot.app import create_bot
from bot.scheduling import make_scheduler
from storage.db import make_session_factory
from tests.helpers import final_text, locale
from tests.test_groups_flow import form_and_confirm, world  # noqa: F401


@pytest.fixture(autouse=True)
def _edits_not_throttled(simcord_env):
    """SimCord waits for sleeps shorter than its settle timeout in real time: no 2 s cooling here
    (tests/test_coalescer.py and benchmarks/bench_polls.py measure the coalescing itself)."""
    unthrottle(simcord_env.bot)


def unthrottle(bot) -> None:
    bot.get_cog("PollCog").edits.interval = 0.0


async def group_world(world):  # noqa: F811
    env, guild, general, staff, teacher_role, learner_role, teacher, learners = world
    await form_and_confirm(world)
    channel = guild.channels["groupe-1"]
    group = await env.bot.services.groups.by_channel(channel.id)
    members = [a for a in learners if a.id in group.member_ids]
    # someone who can read the group channel without being in the group (an administrator)
    admin = guild.create_role("Modération", permissions=discord.Permissions(administrator=True))
    outsider = guild.add_member(env.create_user("moderatrice"), roles=[admin])
    await env.settle()
    return env, guild, channel, group, members, outsider, teacher


def poll_message(channel):
    return next(m for m in reversed(channel.history()) if m.embeds and m.embeds[0].title.startswith("📅"))


async def open_poll(env, channel, member, slots="mer 20:30, jeu 20:30, sam 10:00", **extra):
    with locale("fr"):
        result = await member.slash(channel, "poll create", title="Révisions", slots=slots, **extra)
    assert result.ephemeral
    assert "Sondage publié" in final_text(result), final_text(result)
    message = poll_message(channel)
    poll_id = int(re.search(r"poll:vote:(\d+)", str(message.components)).group(1))
    return poll_id, message


async def vote_all(env, member, poll_message, answers: dict[int, str] | str):
    """Open the ballot and answer each slot (a dict position → answer, or one answer for all)."""
    with locale("fr"):
        opened = await member.click(poll_message, label="Voter")
    assert opened.ephemeral
    ballot = opened.response.message
    poll = await env.bot.services.polls.get(int(re.search(r"poll:ans:(\d+)", str(ballot.components))[1]))
    last = opened
    for t in poll.tallies:
        answer = answers if isinstance(answers, str) else answers.get(t.position)
        if answer is None:
            continue
        with locale("fr"):
            last = await member.select(ballot, [answer], custom_id=f"poll:ans:{poll.id}:{t.slot_id}")
        ballot = last.response.message if last.response and last.response.message else ballot
    return last


async def test_icebreaker_button_opens_a_modal_that_creates_a_poll(world):  # noqa: F811
    env, guild, channel, group, members, outsider, teacher = await group_world(world)
    icebreaker = channel.history()[0]
    assert f"poll:start:{group.id}" in str(icebreaker.components)
    with locale("fr"):
        shown = await members[0].click(icebreaker, custom_id=f"poll:start:{group.id}")
    assert shown.modal is not None
    with locale("fr"):
        done = await members[0].submit_modal(shown, {"title": "Apéro visio", "slots": "mar 20:30, jeu 20:30"})
    assert "Sondage publié (2 créneaux)" in final_text(done)
    message = poll_message(channel)
    assert message.embeds[0].title == "📅 Apéro visio"
    assert re.search(r"<t:\d+:F>", message.embeds[0].description)


async def test_slots_written_as_ranges_give_the_polls_length(world):  # noqa: F811
    env, guild, channel, group, members, outsider, teacher = await group_world(world)
    poll_id, _ = await open_poll(env, channel, members[0], slots="mar 20h-21h30, jeu 20h-21h30")
    poll = await env.bot.services.polls.get(poll_id)
    assert poll.length_minutes == 90 and len(poll.tallies) == 2
    icebreaker = channel.history()[0]
    with locale("fr"):
        shown = await members[1].click(icebreaker, custom_id=f"poll:start:{group.id}")
        done = await members[1].submit_modal(shown, {"title": "Visio", "slots": "sam 10h-12h"})
    assert "Sondage publié (1 créneau)" in final_text(done), final_text(done)
    latest = int(re.search(r"poll:vote:(\d+)", str(poll_message(channel).components)).group(1))
    assert (await env.bot.services.polls.get(latest)).length_minutes == 120
    with locale("fr"):
        mixed = await members[0].slash(channel, "poll create", title="x", slots="mar 20h-21h, sam 10h-12h")
    assert mixed.ephemeral and "(60, 120 min)" in final_text(mixed) and "length:" in final_text(mixed)
    with locale("en-US"):
        given = await members[0].slash(
            channel, "poll create", title="x", slots="mar 20h-21h, sam 10h-12h", length=75
        )
    assert "Poll posted" in final_text(given), final_text(given)


async def test_vote_tally_close_when_all_answered_schedule_attend_feedback(world, clock):  # noqa: F811
    env, guild, channel, group, members, outsider, teacher = await group_world(world)
    poll_id, message = await open_poll(env, channel, members[0])
    # Everyone: slot 2 yes (one "if need be"), slot 1 mixed, slot 3 no.
    for n, member in enumerate(members):
        answers = {1: "yes" if n < 2 else "no", 2: "maybe" if n == 0 else "yes", 3: "no"}
        if member is members[-1]:
            await env.advance_time(5)  # let the coalesced edit run before the last vote
            live = poll_message(channel).embeds[0].description
            assert f"Ont répondu : {len(members) - 1}/{len(members)}" in live
        await vote_all(env, member, message, answers)
    result = channel.last_message
    n = len(members)
    assert f"Les {n} peuvent venir : {n - 1} oui, 1 si besoin." in result.content
    poll = await env.bot.services.polls.get(poll_id)
    assert poll.status == "closed" and poll.close_reason == "all_answered"
    assert poll.best.position == 2
    # the poll message shows the final tallies and no more buttons
    assert not poll_message(channel).components

    before = len(env.http_requests)
    with locale("fr"):
        scheduled = await members[1].click(result, label="Planifier")
    assert "Rencontre planifiée" in final_text(scheduled)
    requests = env.http_requests[before:]
    voice = [r for r in requests if r.method == "POST" and r.path.endswith("/channels")]
    assert len(voice) == 1 and voice[0].json["type"] == 2
    overwrites = {int(o["id"]): o for o in voice[0].json["permission_overwrites"]}
    assert int(overwrites[guild.id]["deny"]) & 1024
    assert {m.id for m in members} <= set(overwrites)
    assert int(voice[0].json["parent_id"]) == channel._channel.parent_id
    events = [r for r in requests if r.method == "POST" and r.path.endswith("/scheduled-events")]
    assert len(events) == 1 and events[0].json["entity_type"] == 2 and events[0].json["privacy_level"] == 2
    announce = channel.last_message
    assert announce.attachments and announce.attachments[0].filename.endswith(".ics")
    # a second click schedules nothing more
    with locale("fr"):
        again = await members[2].click(result, label="Planifier")
    assert "déjà planifié" in final_text(again)

    meetup = (await env.bot.services.meetups.upcoming(group.id))[0]
    with locale("fr"):
        mine = await members[0].slash(guild.channels["general"], "mygroup")
    assert f"Prochaine rencontre :** {meetup.title}, <t:{int(meetup.starts_at.timestamp())}:F>" in (
        mine.response.embeds[0].description
    )
    # Reminders: 24 h and 15 min before, mentioning the group only
    clock.set(meetup.starts_at - timedelta(hours=24))
    await env.bot.services.runner.run_due()
    assert "demain" in channel.last_message.content
    clock.set(meetup.starts_at - timedelta(minutes=15))
    await env.bot.services.runner.run_due()
    assert "commence" in channel.last_message.content

    # Attendance: 3 stay 40 min, one leaves after 5 min and comes back 3 min (8 min: absent)
    voice_channel = next(c for c in guild.channels.values() if c.id == meetup.voice_channel_id)
    clock.set(meetup.starts_at)
    for m in members[:4]:
        await m.join_voice(voice_channel)
    clock.advance(minutes=5)
    await members[3].leave_voice()
    clock.advance(minutes=10)
    await members[3].join_voice(voice_channel)
    clock.advance(minutes=3)
    await members[3].leave_voice()
    clock.advance(minutes=22)
    for m in members[:3]:
        await m.leave_voice()
    assert await env.bot.services.meetups.present(meetup.id) == sorted(m.id for m in members[:3])

    clock.set(meetup.ends_at)
    await env.bot.services.runner.run_due()
    feedback = channel.last_message
    assert "Comment c'était" in feedback.content and "3 présents" in feedback.content
    with locale("fr"):
        await members[0].select(feedback, ["5"], custom_id=f"meetup:rate:{meetup.id}")
        await members[0].select(feedback, ["4"], custom_id=f"meetup:rate:{meetup.id}")  # changed
        await members[1].select(feedback, ["5"], custom_id=f"meetup:rate:{meetup.id}")
        await members[0].click(feedback, label="On se revoit !")
        refused = await outsider.click(feedback, label="On se revoit !")
    assert refused.ephemeral
    summary = await env.bot.services.meetups.feedback_summary(meetup.id)
    assert summary.answers == 2 and summary.average == 4.5 and summary.again_yes == 1

    # The voice channel goes once the meetup is over and it has been empty for 30 min
    clock.advance(minutes=31)
    await env.bot.services.runner.run_due()
    assert meetup.voice_channel_id not in {c.id for c in guild.channels.values()}


async def test_bad_input_is_explained(world):  # noqa: F811
    env, guild, channel, group, members, outsider, teacher = await group_world(world)
    general = guild.channels["general"]
    cases = [
        (channel, {"slots": "2026-09-01 20:00"}, "déjà passé"),
        (channel, {"days": "tous les jours", "times": "9h, 10h, 11h, 12h"}, "25 au maximum"),
        (channel, {"slots": "quand vous voulez"}, "Je n'ai pas compris « quand vous voulez »"),
        (channel, {"slots": "jeu 20:30", "deadline": "ven 20h"}, "tombe après le premier créneau"),
        (general, {"slots": "jeu 20:30"}, "salon de votre groupe"),
    ]
    for where, options, needle in cases:
        with locale("fr"):
            result = await members[0].slash(where, "poll create", title="x", **options)
        assert result.ephemeral
        assert needle in final_text(result), (options, final_text(result))
    with locale("en-US"):
        result = await members[0].slash(channel, "poll create", title="x", slots="whenever")
    assert "I could not read “whenever”" in final_text(result) and "E.g." in final_text(result)
    # a vote from someone outside the group (who can read the channel) is refused, privately
    poll_id, message = await open_poll(env, channel, members[0])
    with locale("en-US"):
        refused = await outsider.click(message, label="Voter")
    assert refused.ephemeral and "members only" in refused.response.content


async def test_restart_between_votes_keeps_views_and_votes(world, settings, sqlite_engine, clock):  # noqa: F811
    env, guild, channel, group, members, outsider, teacher = await group_world(world)
    poll_id, message = await open_poll(env, channel, members[0])
    await vote_all(env, members[0], message, "yes")
    again = create_bot(settings, make_session_factory(sqlite_engine), make_scheduler(), clock)
    await env.restart_bot(again)
    unthrottle(again)
    await vote_all(env, members[1], poll_message(channel), "maybe")
    poll = await again.services.polls.get(poll_id)
    assert set(poll.answered) == {members[0].id, members[1].id}
    assert all(len(t.yes) == 1 and len(t.maybe) == 1 for t in poll.tallies)


async def test_down_across_the_deadline_closes_once_and_reminds_once(world, settings, sqlite_engine, clock):  # noqa: F811
    env, guild, channel, group, members, outsider, teacher = await group_world(world)
    poll_id, message = await open_poll(env, channel, members[0], slots="ven 20:30, sam 10:00")
    await vote_all(env, members[0], message, "yes")
    await vote_all(env, members[1], message, "yes")
    await vote_all(env, members[2], message, {1: "maybe"})
    poll = await env.bot.services.polls.get(poll_id)
    # the reminder mentions only those who have not answered
    remind = await env.bot.services.actions.get("poll_remind", f"poll:{poll_id}")
    clock.set(remind.due_at)
    await env.bot.services.runner.run_due()
    reminder = channel.last_message
    assert "il vous reste à répondre" in reminder.content
    mentioned = {int(x) for x in re.findall(r"<@(\d+)>", reminder.content)}
    assert mentioned == set(poll.waiting) and members[0].id not in mentioned
    # restart: the reminder is not repeated
    bot2 = create_bot(settings, make_session_factory(sqlite_engine), make_scheduler(), clock)
    await env.restart_bot(bot2)
    unthrottle(bot2)
    clock.advance(minutes=5)
    await bot2.services.runner.run_due()
    assert channel.last_message.id == reminder.id
    # the bot is down across the deadline; on start the poll closes exactly once
    clock.set(poll.deadline + timedelta(hours=3))
    bot3 = create_bot(settings, make_session_factory(sqlite_engine), make_scheduler(), clock)
    await env.restart_bot(bot3)
    unthrottle(bot3)
    await bot3.services.runner.run_due()
    await bot3.services.runner.run_due()
    results = [m for m in channel.history() if "meilleur moment" in m.content]
    assert len(results) == 1
    assert "3 sur" in results[0].content or "Les 3" in results[0].content
    closed = await bot3.services.polls.get(poll_id)
    assert closed.status == "closed" and closed.close_reason == "deadline"


async def test_early_close_by_creator_and_no_slot_offers_a_new_poll(world):  # noqa: F811
    env, guild, channel, group, members, outsider, teacher = await group_world(world)
    poll_id, message = await open_poll(env, channel, members[0])
    await vote_all(env, members[1], message, "yes")
    with locale("fr"):
        refused = await members[1].click(message, label="Clore maintenant")
    assert "Seul·e la personne" in refused.response.content
    with locale("fr"):
        closed = await members[0].click(message, label="Clore maintenant")
    assert "Sondage clos" in final_text(closed)
    assert not poll_message(channel).components  # nothing left to click twice
    result = channel.last_message
    assert "aucun créneau ne réunit au moins 3 personnes" in result.content
    assert f"poll:start:{group.id}" in str(result.components)


async def test_meetup_commands_now_list_cancel_and_event_limit(world):  # noqa: F811
    env, guild, channel, group, members, outsider, teacher = await group_world(world)
    with locale("fr"):
        now = await members[0].slash(channel, "meetup now", title="Devoir 2")
    assert "C'est parti" in final_text(now)
    with locale("fr"):
        planned = await members[1].slash(channel, "meetup schedule", when="jeu 20h30", length=90)
        bad = await members[1].slash(channel, "meetup schedule", when="hier soir")
    assert "Rencontre planifiée" in final_text(planned)
    assert bad.ephemeral and "hier soir" in final_text(bad)
    with locale("fr"):
        listing = await members[2].slash(channel, "meetup list")
    assert "Devoir 2" in final_text(listing) and "Rencontre du groupe" in final_text(listing)
    meetups = await env.bot.services.meetups.upcoming(group.id)
    planned_id = next(m.id for m in meetups if m.title != "Devoir 2")
    with locale("fr"):
        refused = await members[2].slash(channel, "meetup cancel", meetup=planned_id)
        cancelled = await members[1].slash(channel, "meetup cancel", meetup=planned_id)
    assert "Seul·e" in final_text(refused)
    assert "Rencontre annulée" in final_text(cancelled)
    assert len(await env.bot.services.meetups.upcoming(group.id)) == 1
    with locale("fr"):  # a range says its length
        ranged = await members[1].slash(channel, "meetup schedule", when="ven 18h-19h30", title="Plage")
    assert "Rencontre planifiée" in final_text(ranged), final_text(ranged)
    meetup = next(m for m in await env.bot.services.meetups.upcoming(group.id) if m.title == "Plage")
    assert meetup.ends_at - meetup.starts_at == timedelta(minutes=90)


@pytest.mark.parametrize("count", [100])
async def test_hundred_events_limit_is_refused_clearly(world, count):  # noqa: F811
    from bot.services.meetups import EVENTS_PER_GUILD, TooManyEvents

    env, guild, channel, group, members, outsider, teacher = await group_world(world)
    svc = env.bot.services.meetups
    with pytest.raises(TooManyEvents):
        svc.check_room(count, 0)
    svc.check_room(EVENTS_PER_GUILD - 1, 3)


async def test_voice_moves_while_the_bot_was_away_are_reconciled_on_start(
    world, settings, sqlite_engine, clock  # noqa: F811
):
    env, guild, channel, group, members, outsider, teacher = await group_world(world)
    with locale("fr"):
        await members[0].slash(channel, "meetup now", title="Devoir 2")
    meetup = (await env.bot.services.meetups.upcoming(group.id))[0]
    voice = next(c for c in guild.channels.values() if c.id == meetup.voice_channel_id)
    clock.set(meetup.starts_at)
    await members[0].join_voice(voice)
    await members[1].join_voice(voice)
    await env.bot.close()  # the bot is away while…
    clock.advance(minutes=1)
    await members[1].leave_voice()  # …one member leaves
    await members[2].join_voice(voice)  # …and another joins
    again = create_bot(settings, make_session_factory(sqlite_engine), make_scheduler(), clock)
    await env.restart_bot(again)
    unthrottle(again)
    clock.advance(minutes=12)
    present = await env.bot.services.meetups.present(meetup.id)
    assert members[0].id in present and members[2].id in present
    assert members[1].id not in present  # 1 min seen, then counted as gone at the restart


async def test_a_ballot_filled_from_the_profile_availability(world):  # noqa: F811
    """Availability given once in /profile set answers a poll: a slot inside it is yes, one partly
    inside if need be, one outside no, read in each member's own timezone; answers already given
    stay; no availability is a clear private message with an example; the last fill closes the poll."""
    env, guild, channel, group, members, outsider, teacher = await group_world(world)
    poll_id, message = await open_poll(env, channel, members[0])  # mer 20:30, jeu 20:30, sam 10:00 (Paris)
    slots = {t.position: t.slot_id for t in (await env.bot.services.polls.get(poll_id)).tallies}
    fill = "Remplir avec mes dispos"

    with locale("fr"):
        await members[2].slash(channel, "profile set", availability="aucune")  # no availability given
        refused = await members[2].click(message, label=fill)
    assert refused.ephemeral
    assert "/profile set availability:lun 20:00-22:00, sam 09:00-12:00" in final_text(refused)
    with locale("en-US"):
        stranger = await outsider.click(message, label=fill)
    assert stranger.ephemeral and "for the group's members only" in final_text(stranger)
    assert not (await env.bot.services.polls.get(poll_id)).answers_of(members[2].id)

    async def fill_with(member, availability, timezone=None, lang="fr"):
        with locale(lang):
            saved = await member.slash(
                channel,
                "profile set",
                availability=availability,
                **({"timezone": timezone} if timezone else {}),
            )
        assert saved.ephemeral
        with locale(lang):
            done = await member.click(message, label=fill)
        assert done.ephemeral
        return final_text(done), (await env.bot.services.polls.get(poll_id)).answers_of(member.id)

    text, mine = await fill_with(members[0], "mer 20:00-22:00, sam 09:00-12:00")
    assert "Rempli d'après vos disponibilités : 2 oui, 0 si besoin, 1 non." in text
    assert "Vous avez répondu pour 3/3 créneaux" in text  # the ballot follows, to check and change
    assert mine == {slots[1]: "yes", slots[2]: "no", slots[3]: "yes"}

    await vote_all(env, members[1], message, {2: "yes"})
    text, mine = await fill_with(members[1], "wednesday 9pm-11pm", lang="en-US")
    assert "Filled from your availability: 0 yes, 1 if need be, 1 no." in text
    assert "Answers you had already given, unchanged: 1." in text
    assert mine == {slots[1]: "maybe", slots[2]: "yes", slots[3]: "no"}

    # La Réunion is 2 h ahead of Paris in September: Wednesday 20:30 in Paris is 22:30 there
    text, mine = await fill_with(members[2], "mer 22:00-23:59", timezone="Indian/Reunion")
    assert mine == {slots[1]: "yes", slots[2]: "no", slots[3]: "no"}

    for member in members[3:]:
        assert (await env.bot.services.polls.get(poll_id)).status == "open"
        await fill_with(member, "sam 09:00-12:00")
    poll = await env.bot.services.polls.get(poll_id)
    assert poll.status == "closed" and poll.close_reason == "all_answered"
    assert poll.best.position == 3  # Saturday: the most yes


def polls_titled(channel, title):
    return [m for m in channel.history() if m.embeds and m.embeds[0].title == f"📅 {title}"]


async def test_a_weekly_poll_opens_next_weeks_poll_once_until_stopped(world, settings, sqlite_engine, clock):  # noqa: F811
    env, guild, channel, group, members, outsider, teacher = await group_world(world)
    # slots beyond the coming week are refused, privately, with an example; nothing is posted
    with locale("fr"):
        refused = await members[0].slash(
            channel, "poll create", title="Révisions", slots="mer 20:30, 20/09 20:30", repeat=True
        )
    assert refused.ephemeral and "propose les créneaux des 7 jours" in final_text(refused)
    assert "ex. :" in final_text(refused) and not polls_titled(channel, "Révisions")
    poll_id, message = await open_poll(env, channel, members[0], repeat=True)
    assert "🔁 Sondage hebdomadaire" in message.embeds[0].description
    assert f"poll:norepeat:{poll_id}" in str(message.components)
    with locale("fr"):
        refused = await members[1].click(message, label="Ne plus répéter")
    assert refused.ephemeral and "ce sondage hebdomadaire" in refused.response.content
    poll = await env.bot.services.polls.get(poll_id)
    assert poll.repeat_at is not None

    clock.set(poll.deadline)
    await env.bot.services.runner.run_due()
    result = channel.last_message
    assert "meilleur moment" in result.content or "aucun créneau" in result.content
    assert "🔁 Le sondage de la semaine suivante s'ouvrira le <t:" in result.content
    assert f"poll:norepeat:{poll_id}" in str(result.components)

    # a week after it opened: next week's poll, the same slots a week later; not twice, even
    # after a restart
    clock.set(poll.repeat_at)
    await env.bot.services.runner.run_due()
    second = poll_message(channel)
    assert second.id != message.id and "🔁" in second.embeds[0].description
    next_id = int(re.search(r"poll:vote:(\d+)", str(second.components)).group(1))
    following = await env.bot.services.polls.get(next_id)
    assert [s[2] for s in following.slots] == [s[2] + timedelta(days=7) for s in poll.slots]
    assert following.status == "open" and following.members == poll.members
    bot2 = create_bot(settings, make_session_factory(sqlite_engine), make_scheduler(), clock)
    await env.restart_bot(bot2)
    unthrottle(bot2)
    clock.advance(minutes=5)
    await bot2.services.runner.run_due()
    assert len(polls_titled(channel, "Révisions")) == 2
    await vote_all(env, members[1], second, "yes")  # the new poll's buttons work after the restart

    # the creator stops the series from last week's result: its button goes, the open poll says so
    with locale("fr"):
        stopped = await members[0].click(result, label="Ne plus répéter")
    assert stopped.ephemeral and "plus de sondage chaque semaine" in final_text(stopped)
    await env.advance_time(5)
    shown = next(m for m in channel.history() if m.id == result.id)
    assert "poll:norepeat" not in str(shown.components) and "🔁" not in shown.content
    assert "poll:norepeat" not in str(poll_message(channel).components)
    assert "🔁" not in poll_message(channel).embeds[0].description
    clock.set(following.repeat_at + timedelta(hours=1))
    await bot2.services.runner.run_due()
    assert len(polls_titled(channel, "Révisions")) == 2


async def test_an_own_reminder_comes_privately_once_at_the_chosen_time(world, settings, sqlite_engine, clock):  # noqa: F811
    env, guild, channel, group, members, outsider, teacher = await group_world(world)
    keen, late, other = members[0], members[1], members[2]
    # unreadable: refused privately with an example, and nothing else of the command is written
    with locale("fr"):
        bad = await keen.slash(channel, "profile set", city="Brest", reminder="demain matin")
    assert bad.ephemeral and "demain matin" in final_text(bad) and "1h, 30 min" in final_text(bad)
    assert (await env.bot.services.profiles.get(guild.id, keen.id)).city is None
    with locale("fr"):
        saved = await keen.slash(channel, "profile set", reminder="1h")
    assert "un message privé 1 h avant chaque rencontre" in final_text(saved)
    with locale("en-US"):
        saved = await other.slash(channel, "profile set", reminder="1 day")
    assert "a private message 1 day before each of your group's meetups" in final_text(saved)

    with locale("fr"):
        planned = await late.slash(channel, "meetup schedule", when="jeu 20h30", title="Révision TD3")
    assert "Rencontre planifiée" in final_text(planned)
    meetup = (await env.bot.services.meetups.upcoming(group.id))[0]
    actions = env.bot.services.actions
    mine = await actions.get("meetup_dm", f"meetup:{meetup.id}:dm:{keen.id}")
    assert mine.due_at == meetup.starts_at - timedelta(hours=1)
    assert await actions.get("meetup_dm", f"meetup:{meetup.id}:dm:{late.id}") is None  # chose none
    # chosen after the meetup was planned: planned too; changed: moved; "aucun": gone
    with locale("fr"):
        await late.slash(channel, "profile set", reminder="2h30")
    assert (await actions.get("meetup_dm", f"meetup:{meetup.id}:dm:{late.id}")).due_at == (
        meetup.starts_at - timedelta(minutes=150)
    )
    with locale("fr"):
        off = await other.slash(channel, "profile set", reminder="aucun")
    assert "Pas de rappel personnel" in final_text(off)
    assert await actions.get("meetup_dm", f"meetup:{meetup.id}:dm:{other.id}") is None

    clock.set(meetup.starts_at - timedelta(minutes=150))
    await env.bot.services.runner.run_due()
    dm = late.user.dm_channel.last_message
    assert dm is not None and "Rappel : **Révision TD3**" in dm.content and "2 h 30 avant" in dm.content
    assert f"/channels/{guild.id}/{channel.id}" in dm.content
    assert keen.user.dm_channel.last_message is None  # not yet: an hour before
    # a restart, then the hour: once each, nothing twice
    bot2 = create_bot(settings, make_session_factory(sqlite_engine), make_scheduler(), clock)
    await env.restart_bot(bot2)
    unthrottle(bot2)
    clock.set(meetup.starts_at - timedelta(minutes=59))
    await bot2.services.runner.run_due()
    await bot2.services.runner.run_due()
    assert len(keen.user.dm_channel.history()) == 1 and len(late.user.dm_channel.history()) == 1
    assert "1 h avant" in keen.user.dm_channel.last_message.content
    assert other.user.dm_channel.last_message is None
    # re-choosing after it was sent does not send it again
    with locale("fr"):
        await keen.slash(channel, "profile set", reminder="30 min")
    clock.set(meetup.starts_at - timedelta(minutes=29))
    await bot2.services.runner.run_due()
    assert len(keen.user.dm_channel.history()) == 1


async def test_an_own_reminder_is_not_sent_for_a_cancelled_meetup(world, clock):  # noqa: F811
    env, guild, channel, group, members, outsider, teacher = await group_world(world)
    with locale("fr"):
        await members[0].slash(channel, "profile set", reminder="la veille")
        await members[0].slash(channel, "meetup schedule", when="ven 20h30")
    meetup = (await env.bot.services.meetups.upcoming(group.id))[0]
    planned = await env.bot.services.actions.get("meetup_dm", f"meetup:{meetup.id}:dm:{members[0].id}")
    assert planned.due_at == meetup.starts_at - timedelta(days=1)
    with locale("fr"):
        cancelled = await members[0].slash(channel, "meetup cancel")
    assert "Rencontre annulée" in final_text(cancelled)
    clock.set(meetup.starts_at - timedelta(hours=2))
    await env.bot.services.runner.run_due()
    assert members[0].user.dm_channel.last_message is None


async def test_a_learner_moved_between_groups_follows_their_meetups_and_own_reminder(world, clock):  # noqa: F811
    env, guild, channel, group, members, outsider, teacher = await group_world(world)
    general = guild.channels["general"]
    other_channel = guild.channels["groupe-2"]
    other_group = await env.bot.services.groups.by_channel(other_channel.id)
    mover, host = members[0], next(a for a in world[7] if a.id in other_group.member_ids)
    with locale("fr"):
        await mover.slash(channel, "profile set", reminder="1h")
        await mover.slash(channel, "meetup schedule", when="jeu 20h30", title="Groupe un")
        await host.slash(other_channel, "meetup schedule", when="ven 20h30", title="Groupe deux")
    left = (await env.bot.services.meetups.upcoming(group.id))[0]
    joined = (await env.bot.services.meetups.upcoming(other_group.id))[0]
    before = len(env.http_requests)
    with locale("fr"):
        moved = await teacher.slash(general, "groups move", member=mover, group=2)
    assert "est maintenant dans le groupe 2" in final_text(moved)
    requests = env.http_requests[before:]
    path = "/channels/{}/permissions/" + str(mover.id)
    granted = [r for r in requests if r.method == "PUT" and r.path == path.format(joined.voice_channel_id)]
    assert len(granted) == 1 and int(granted[0].json["allow"]) & 1 << 20  # connect
    assert [r for r in requests if r.method == "DELETE" and r.path == path.format(left.voice_channel_id)]
    actions = env.bot.services.actions
    assert (await actions.get("meetup_dm", f"meetup:{joined.id}:dm:{mover.id}")).due_at == (
        joined.starts_at - timedelta(hours=1)
    )
    # the old group's meetup comes and goes without them; the new one's reminder comes once
    clock.set(left.starts_at - timedelta(minutes=59))
    await env.bot.services.runner.run_due()
    assert mover.user.dm_channel is None or mover.user.dm_channel.last_message is None
    clock.set(joined.starts_at - timedelta(minutes=59))
    await env.bot.services.runner.run_due()
    dms = mover.user.dm_channel.history()
    assert len(dms) == 1 and "Groupe deux" in dms[0].content
