"""A learner's own meetup reminder: the time they type, read in French and English, shown back."""

from __future__ import annotations

import pytest

from bot.services.reminders import BadReminder, parse_lead
from cogs.profiles import format_lead


@pytest.mark.parametrize(
    ("text", "minutes"),
    [
        ("1h", 60),
        ("1 H", 60),
        ("1h30", 90),
        ("1 h 30", 90),
        ("1h 30 min", 90),
        ("90", 90),
        ("90 mn", 90),
        ("2 heures avant", 120),
        ("2,5 h", 150),
        ("1 hour before", 60),
        ("45 minutes", 45),
        ("1 h et 15 min", 75),
        ("1 jour", 1440),
        ("la veille", 1440),
        ("2 days", 2880),
        ("1 semaine", 10080),
        ("aucun", None),
        ("None", None),
        ("off", None),
        ("pas de rappel", None),
        # in words
        ("une heure", 60),
        ("une demi-heure", 30),
        ("un quart d'heure", 15),
        ("trois quarts d'heure", 45),
        ("1h et demie", 90),
        ("une heure et demie", 90),
        ("deux heures avant", 120),
        ("half an hour", 30),
        ("an hour", 60),
        ("two hours and a half", 150),
        ("the day before", 1440),
        ("une semaine", 10080),
    ],
)
def test_reminder_times_as_learners_type_them(text, minutes):
    assert parse_lead(text) == minutes


@pytest.mark.parametrize(
    "text", ["demain", "3 semaines", "4", "8 jours", "1 h 30 min 20", "tôt", "1 mois", "une", "a"]
)
def test_unreadable_or_out_of_range_times_are_refused_with_an_example(text):
    with pytest.raises(BadReminder) as refused:
        parse_lead(text)
    assert refused.value.params["value"] == text and "1h" in refused.value.params["example"]


def test_a_reminder_time_is_shown_in_the_readers_language():
    assert format_lead(60, "fr") == "1 h"
    assert format_lead(150, "en") == "2 h 30"
    assert format_lead(45, "fr") == "45 min"
    assert format_lead(1440, "fr") == "1 jour"
    assert format_lead(2880 + 120, "en") == "2 days 2 h"


async def test_own_reminders_are_planned_moved_and_checked_on_both_databases(sessions, clock):
    from datetime import timedelta

    from bot.services.actions import ActionQueue
    from bot.services.courses import CourseInput, CourseService
    from bot.services.groups import GroupService, PlannedGroupView
    from bot.services.meetups import MeetupService
    from bot.services.profiles import ProfileService
    from bot.services.reminders import ReminderService
    from bot.settings import CourseDefaults

    course, _ = await CourseService(sessions, clock, CourseDefaults()).setup(1, CourseInput(2, 3, 4, "L1"))
    groups = GroupService(sessions, clock)
    preview = await groups.save_preview(course, "random", 0, 9, [PlannedGroupView((10, 11, 12), 0)])
    group = (await groups.confirm(preview.formation_id))[0]
    await groups.attach_channel(group.id, 50)
    profiles, actions = ProfileService(sessions, clock), ActionQueue(sessions, clock)
    reminders = ReminderService(sessions, clock, actions)
    await profiles.set(1, 10, reminder="1h", lang="fr")
    await profiles.set(1, 11, reminder="1 day", lang="en")
    await profiles.set(2, 12, reminder="30 min")  # another server's profile: not this group's
    await profiles.set(1, 99, reminder="2h")  # not in the group
    meetups = MeetupService(sessions, clock)
    start = clock.now() + timedelta(hours=20)
    meetup = await meetups.create(
        group_id=group.id, guild_id=1, title="TD", starts_at=start, length_minutes=60, created_by=10
    )

    assert await reminders.plan_meetup(meetup.id) == 1  # a day before is already past for 11
    assert await reminders.plan_meetup(meetup.id) == 0  # once
    assert (await actions.get("meetup_dm", f"meetup:{meetup.id}:dm:10")).due_at == start - timedelta(hours=1)
    await profiles.set(1, 10, reminder="2h")
    assert await reminders.replan(1, 10) == 1
    assert (await actions.get("meetup_dm", f"meetup:{meetup.id}:dm:10")).due_at == start - timedelta(hours=2)
    due = await reminders.due(meetup.id, 10)
    assert (due.title, due.starts_at, due.channel_id, due.lang) == ("TD", start, 50, "fr")
    assert await reminders.due(meetup.id, 99) is None  # not a member
    await profiles.set(1, 10, reminder="aucun")
    assert await reminders.replan(1, 10) == 0
    assert await actions.get("meetup_dm", f"meetup:{meetup.id}:dm:10") is None
    assert await reminders.due(meetup.id, 10) is None  # no longer asked for
    await meetups.cancel(meetup.id)
    assert await reminders.due(meetup.id, 11) is None
