"""Poll rules without Discord: slot reading (FR/EN, weekdays, dates), deadlines, ranking, votes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.errors import InvalidInput
from bot.services.polls import (
    DeadlineAfterFirstSlot,
    FirstSlotTooSoon,
    PollClosed,
    SlotInPast,
    TooManySlots,
    best_slot,
    check_slots,
    choose_deadline,
    generate_slots,
    parse_slots,
    rank,
    remind_at,
    tally,
)

NOW = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)  # Monday 09:00 in Paris
PARIS = "Europe/Paris"


def local(text: str, tz: str = PARIS) -> list[str]:
    from zoneinfo import ZoneInfo

    return [
        s.starts_at.astimezone(ZoneInfo(tz)).strftime("%a %d/%m %H:%M") for s in parse_slots(text, tz, NOW)
    ]


def test_weekdays_mean_their_next_occurrence_in_french_and_english():
    assert local("mar 20:30, jeu 20:30, sam 10:00") == [
        "Tue 24/11 20:30",
        "Thu 26/11 20:30",
        "Sat 28/11 10:00",
    ]
    assert local("tue 8:30pm, thursday 8.30pm") == ["Tue 24/11 20:30", "Thu 26/11 20:30"]
    # Monday 07:00 has passed today (it is 09:00): next Monday
    assert local("lundi 7h, lundi 20h") == ["Mon 30/11 07:00", "Mon 23/11 20:00"]


def test_dates_and_relative_days():
    assert local("25/11 20h30, 2026-11-26 20:30") == ["Wed 25/11 20:30", "Thu 26/11 20:30"]
    assert local("demain 20h, après-demain 9h") == ["Tue 24/11 20:00", "Wed 25/11 09:00"]
    assert local("tomorrow 8pm") == ["Tue 24/11 20:00"]


def test_month_names_weekday_before_a_date_and_next_week():
    assert local("mercredi 25 novembre 20h30, le jeudi 26/11 à 20h") == ["Wed 25/11 20:30", "Thu 26/11 20:00"]
    assert local("1er décembre 21h, november 27 8pm, nov 28th 10am") == [
        "Tue 01/12 21:00",
        "Fri 27/11 20:00",
        "Sat 28/11 10:00",
    ]
    assert local("le 25/11 à 20h30, le 1er décembre à 21h, on nov 27 at 8pm") == [
        "Wed 25/11 20:30",
        "Tue 01/12 21:00",
        "Fri 27/11 20:00",
    ]
    # "lundi prochain" said on a Monday is next week's, even for a time later today
    assert local("lundi prochain 20h, next tuesday 8pm") == ["Mon 30/11 20:00", "Tue 24/11 20:00"]


def test_slots_are_read_in_the_members_timezone():
    slot = parse_slots("mar 20:30", "America/Guadeloupe", NOW)[0]
    assert slot.starts_at == datetime(2026, 11, 25, 0, 30, tzinfo=UTC)


@pytest.mark.parametrize("text", ["whenever", "25/13 20h", "demain", "mar 25:00"])
def test_unreadable_text_is_echoed_with_an_example(text):
    with pytest.raises(InvalidInput) as caught:
        parse_slots(text, PARIS, NOW)
    assert caught.value.params["example"]
    assert caught.value.params["value"]


def test_past_slots_and_too_many_slots_are_refused():
    with pytest.raises(SlotInPast):
        check_slots(parse_slots("2026-11-20 20:00", PARIS, NOW), NOW)
    many = generate_slots("tous les jours", "9h, 10h, 11h, 12h", 7, PARIS, NOW)
    with pytest.raises(TooManySlots) as caught:
        check_slots(many, NOW)
    assert caught.value.params["limit"] == 25


def test_generated_slots_days_times_over_days():
    slots = generate_slots("lun,mer,jeu", "20:30,21:00", 7, PARIS, NOW)
    assert len(slots) == 6  # Mon 23 (both still ahead), Wed 25, Thu 26
    assert all(s.starts_at > NOW for s in slots)


def test_deadline_defaults_and_limits():
    first = NOW + timedelta(days=5)
    assert choose_deadline(NOW, first) == NOW + timedelta(hours=48)
    soon = NOW + timedelta(hours=10)
    assert choose_deadline(NOW, soon) == soon - timedelta(hours=1)
    with pytest.raises(DeadlineAfterFirstSlot):
        choose_deadline(NOW, soon, NOW + timedelta(hours=11))
    with pytest.raises(FirstSlotTooSoon):
        choose_deadline(NOW, NOW + timedelta(minutes=30))
    assert remind_at(NOW, NOW + timedelta(hours=48)) == NOW + timedelta(hours=24)
    assert remind_at(NOW, NOW + timedelta(hours=1)) is None


def test_ranking_everyone_first_then_yes_plus_maybe_then_yes_then_earliest():
    t0 = NOW + timedelta(days=1)
    slots = [(1, 1, t0), (2, 2, t0 + timedelta(hours=1)), (3, 3, t0 + timedelta(hours=2)), (4, 4, t0)]
    members = [10, 11, 12, 13, 14]
    votes = []
    # slot 1: 4 yes, 1 no; slot 2: 3 yes, 2 maybe (everyone); slot 3: 4 yes 1 maybe (everyone)
    votes += [(1, m, "yes") for m in members[:4]] + [(1, 14, "no")]
    votes += [(2, m, "yes") for m in members[:3]] + [(2, m, "maybe") for m in members[3:]]
    votes += [(3, m, "yes") for m in members[:4]] + [(3, 14, "maybe")]
    votes += [(4, m, "maybe") for m in members[:4]]
    votes += [(4, 999, "yes")]  # not a member: ignored
    ranked = rank(tally(slots, votes, members))
    assert [t.slot_id for t in ranked] == [3, 2, 1, 4]
    best = best_slot(ranked, 3)
    assert best.slot_id == 3 and best.everyone and len(best.yes) == 4 and len(best.maybe) == 1


def test_no_slot_with_enough_people():
    slots = [(1, 1, NOW + timedelta(days=1))]
    assert best_slot(tally(slots, [(1, 10, "yes"), (1, 11, "maybe")], [10, 11, 12, 13]), 3) is None


async def _poll(sessions, clock):
    from bot.services.courses import CourseInput, CourseService
    from bot.services.groups import GroupService, PlannedGroupView
    from bot.services.polls import PollService
    from bot.settings import CourseDefaults

    courses = CourseService(sessions, clock, CourseDefaults())
    course, _ = await courses.setup(1, CourseInput(2, 3, 4, "L1"))
    groups = GroupService(sessions, clock)
    preview = await groups.save_preview(course, "random", 0, 9, [PlannedGroupView((10, 11, 12), 0)])
    group = (await groups.confirm(preview.formation_id))[0]
    polls = PollService(sessions, clock)
    now = clock.now()
    poll = await polls.create(
        group_id=group.id,
        channel_id=50,
        created_by=10,
        title="Révisions",
        starts=[now + timedelta(days=3), now + timedelta(days=4)],
        length_minutes=60,
        deadline=now + timedelta(days=2),
        timezone=PARIS,
    )
    return polls, poll


async def test_votes_are_idempotent_changeable_members_only_and_close_happens_once(sessions, clock):
    from bot.services.polls import NotAMember

    polls, poll = await _poll(sessions, clock)
    s1, s2 = (s[0] for s in poll.slots)
    assert await polls.vote(poll.id, 10, s1, "yes") is True
    assert await polls.vote(poll.id, 10, s1, "yes") is False  # double click
    assert await polls.vote(poll.id, 10, s1, "maybe") is True
    with pytest.raises(NotAMember):
        await polls.vote(poll.id, 99, s1, "yes")
    for uid in (11, 12):
        await polls.vote(poll.id, uid, s1, "yes")
    view = await polls.get(poll.id)
    assert view.waiting == (10, 11, 12)  # nobody answered slot 2 yet
    first = await polls.close(poll.id, "deadline")
    second = await polls.close(poll.id, "early")
    assert first is not None and second is None
    assert first.best_slot_id == s1 and first.status == "closed"
    with pytest.raises(PollClosed):
        await polls.vote(poll.id, 10, s2, "yes")
