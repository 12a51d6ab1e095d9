"""Poll rules without Discord: slot reading (FR/EN, weekdays, dates), deadlines, ranking, votes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot.errors import InvalidInput
from bot.i18n import t
from bot.services.polls import (
    BadLength,
    DeadlineAfterFirstSlot,
    FirstSlotTooSoon,
    MixedLengths,
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
    slot_length,
    tally,
)

NOW = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)  # Monday 09:00 in Paris
PARIS = "Europe/Paris"


def local(text: str, tz: str = PARIS) -> list[str]:
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


@pytest.mark.parametrize("times", ["20h30 et 21h", "20h30 21h", "8:30pm, 9pm", "20:30;21:00"])
def test_generated_slot_times_as_members_type_them(times):
    slots = generate_slots("lun et mer", times, 7, PARIS, NOW)
    shown = {s.starts_at.astimezone(ZoneInfo(PARIS)).strftime("%a %H:%M") for s in slots}
    assert shown == {"Mon 20:30", "Mon 21:00", "Wed 20:30", "Wed 21:00"}


def test_generated_slot_times_must_be_times():
    with pytest.raises(InvalidInput) as info:
        generate_slots("lun", "le soir", 7, PARIS, NOW)
    assert info.value.params["value"] == "le soir"


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


async def _poll(sessions, clock, starts=None, deadline=None, **extra):
    from bot.services.courses import CourseInput, CourseService
    from bot.services.groups import GroupService, PlannedGroupView
    from bot.services.polls import PollService
    from bot.settings import CourseDefaults

    courses = CourseService(sessions, clock, CourseDefaults())
    course, _ = await courses.setup(1, CourseInput(2, 3, 4, "L1"))
    groups = GroupService(sessions, clock)
    preview = await groups.save_preview(course, "random", 0, 9, [PlannedGroupView((10, 11, 12), 0)])
    group = (await groups.confirm(preview.formation_id))[0]
    await groups.attach_channel(group.id, 50)
    polls = PollService(sessions, clock)
    now = clock.now()
    poll = await polls.create(
        group_id=group.id,
        channel_id=50,
        created_by=10,
        title="Révisions",
        starts=starts or [now + timedelta(days=3), now + timedelta(days=4)],
        length_minutes=60,
        deadline=deadline or now + timedelta(days=2),
        timezone=PARIS,
        **extra,
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


def test_an_answer_from_a_weekly_availability():
    from bot.services.availability import parse_availability
    from bot.services.polls import answer_from

    paris = ZoneInfo(PARIS)
    evenings = parse_availability("lun-ven 20:00-23:00, sam 09:00-12:00")
    wed = datetime(2026, 11, 25, 19, 30, tzinfo=UTC)  # Wednesday 20:30 in Paris
    assert answer_from(evenings, paris, wed, 60) == "yes"
    assert answer_from(evenings, paris, wed, 150) == "yes"  # 20:30-23:00, to the minute
    assert answer_from(evenings, paris, wed, 180) == "maybe"  # runs past 23:00
    assert answer_from(evenings, paris, wed - timedelta(hours=1), 60) == "maybe"  # 19:30-20:30
    assert answer_from(evenings, paris, wed - timedelta(hours=2), 60) == "no"
    assert answer_from(evenings, paris, datetime(2026, 11, 29, 9, 0, tzinfo=UTC), 60) == "no"  # Sunday
    # read in the member's timezone: 20:30 in Paris is 15:30 in Guadeloupe, 23:30 at La Réunion;
    # 18:30 in Paris (no) is 21:30 at La Réunion (yes)
    assert answer_from(evenings, ZoneInfo("America/Guadeloupe"), wed, 60) == "no"
    assert answer_from(evenings, ZoneInfo("Indian/Reunion"), wed, 60) == "no"
    assert answer_from(evenings, paris, wed - timedelta(hours=2), 60) == "no"
    assert answer_from(evenings, ZoneInfo("Indian/Reunion"), wed - timedelta(hours=2), 60) == "yes"
    # a slot across midnight counts both days: Friday 23:00-01:00 with "ven 22:00-24:00, sam 00:00-02:00"
    late = parse_availability("ven 22:00-24:00, sam 00:00-02:00")
    friday = datetime(2026, 11, 27, 22, 0, tzinfo=UTC)  # 23:00 in Paris
    assert answer_from(late, paris, friday, 120) == "yes"
    assert answer_from(parse_availability("ven 22:00-24:00"), paris, friday, 120) == "maybe"
    # and across the end of the week: Sunday 23:30-01:30 in Paris runs into Monday in UTC too
    sunday = datetime(2026, 11, 29, 22, 30, tzinfo=UTC)
    assert answer_from(parse_availability("dim 23:00-24:00, lun 00:00-02:00"), paris, sunday, 120) == "yes"
    assert answer_from(parse_availability("lun 00:00-02:00"), paris, sunday, 120) == "maybe"


async def test_a_ballot_is_filled_from_an_availability_without_touching_given_answers(sessions, clock):
    from bot.services.availability import WeeklyAvailability, parse_availability
    from bot.services.polls import NoAvailability, NotAMember

    polls, poll = await _poll(sessions, clock)  # slots in 3 and 4 days, at the clock's hour
    s1, s2 = (s[0] for s in poll.slots)
    first = poll.slots[0][2].astimezone(__import__("zoneinfo").ZoneInfo(PARIS))
    days = ["lun", "mar", "mer", "jeu", "ven", "sam", "dim"]
    around = f"{days[first.weekday()]} {first.hour - 1:02d}:00-{first.hour + 2:02d}:00"
    free = parse_availability(around)  # slot 1 inside, slot 2 (the next day) outside

    with pytest.raises(NoAvailability):
        await polls.fill(poll.id, 10, WeeklyAvailability(), PARIS)
    with pytest.raises(NotAMember):
        await polls.fill(poll.id, 99, free, PARIS)
    await polls.vote(poll.id, 11, s2, "maybe")
    filled = await polls.fill(poll.id, 11, free, PARIS)
    assert (filled.yes, filled.maybe, filled.no, filled.kept) == (1, 0, 0, 1)
    view = await polls.get(poll.id)
    assert view.answers_of(11) == {s1: "yes", s2: "maybe"}
    again = await polls.fill(poll.id, 11, free, PARIS)  # a second click: nothing left to fill
    assert (again.total, again.kept) == (0, 2)
    filled = await polls.fill(poll.id, 10, free, PARIS)
    assert (filled.yes, filled.no) == (1, 1)
    assert (await polls.get(poll.id)).answered == (10, 11)
    await polls.close(poll.id, "early")
    with pytest.raises(PollClosed):
        await polls.fill(poll.id, 12, free, PARIS)


def test_a_week_later_keeps_the_local_time_across_a_clock_change():
    from bot.services.polls import weeks_later

    paris = ZoneInfo(PARIS)
    tuesday = datetime(2026, 10, 20, 18, 30, tzinfo=UTC)  # 20:30 in Paris, summer time
    assert weeks_later(tuesday, paris, 1) == datetime(2026, 10, 27, 19, 30, tzinfo=UTC)  # 20:30, winter
    assert weeks_later(tuesday, paris, 3) == datetime(2026, 11, 10, 19, 30, tzinfo=UTC)
    reunion = ZoneInfo("Indian/Reunion")  # no clock change: the same UTC time
    assert weeks_later(tuesday, reunion, 1) == tuesday + timedelta(days=7)


async def test_a_weekly_poll_opens_next_weeks_poll_once_and_stops_when_asked(sessions, clock):
    import asyncio

    from bot.services.actions import ActionQueue
    from bot.services.polls import NotWeekly

    clock.set(datetime(2026, 10, 19, 8, 0, tzinfo=UTC))  # Monday; Paris leaves summer time on the 25th
    tue = datetime(2026, 10, 20, 18, 30, tzinfo=UTC)  # Tuesday 20:30 in Paris
    starts = [tue, tue + timedelta(days=2)]
    polls, poll = await _poll(
        sessions, clock, starts=starts, deadline=tue - timedelta(hours=2), repeat_weekly=True
    )
    with pytest.raises(NotWeekly):  # a weekly poll offers the coming week only
        await polls.create(
            group_id=poll.group_id,
            channel_id=50,
            created_by=10,
            title="Trop long",
            starts=[tue, tue + timedelta(days=8)],
            length_minutes=60,
            deadline=tue - timedelta(hours=2),
            timezone=PARIS,
            repeat_weekly=True,
        )
    assert await polls.polls_of_group(poll.group_id) == [poll.id]  # nothing half-written
    assert poll.repeat_at == clock.now() + timedelta(days=7)
    actions = ActionQueue(sessions, clock)
    for kind, due in (("poll_close", poll.deadline), ("poll_repeat", poll.repeat_at)):
        row = await actions.get(kind, f"poll:{poll.id}")
        assert row.due_at == due and row.guild_id == 1
    assert (await actions.get("poll_remind", f"poll:{poll.id}")) is not None

    clock.set(poll.repeat_at)
    opened = await asyncio.gather(polls.repeat(poll.id), polls.repeat(poll.id), polls.repeat(poll.id))
    assert len({p.id for p in opened}) == 1  # opened once, whoever asked
    nxt = opened[0]
    assert nxt.id != poll.id and nxt.status == "open" and nxt.title == poll.title
    # the same local times a week later: 20:30 in Paris, now an hour later in UTC
    winter = datetime(2026, 10, 27, 19, 30, tzinfo=UTC)
    assert [s[2] for s in nxt.slots] == [winter, winter + timedelta(days=2)]
    assert nxt.deadline == datetime(2026, 10, 27, 17, 30, tzinfo=UTC)
    assert nxt.repeat_at == poll.repeat_at + timedelta(days=7)
    assert (await actions.get("poll_repeat", f"poll:{nxt.id}")).due_at == nxt.repeat_at
    assert (await actions.get("poll_close", f"poll:{nxt.id}")).due_at == nxt.deadline

    # stopped from the first poll's result: the series ends, the pending repeat is cancelled
    assert await polls.stop_repeat(poll.id) == [poll.id, nxt.id]
    assert await polls.stop_repeat(nxt.id) == []
    assert (await polls.get(nxt.id)).repeat_at is None
    assert (await actions.get("poll_repeat", f"poll:{nxt.id}")).status == "cancelled"
    clock.set(nxt.deadline + timedelta(days=7))
    assert await polls.repeat(nxt.id) is None
    assert (await polls.get(nxt.id)).status == "open"  # the vote under way is not touched


async def test_a_weekly_poll_after_weeks_away_opens_the_coming_week_and_none_for_an_archived_group(
    sessions, clock
):
    from bot.services.groups import GroupService

    now = clock.now()
    polls, poll = await _poll(
        sessions,
        clock,
        starts=[now + timedelta(days=2), now + timedelta(days=3)],
        deadline=now + timedelta(days=1),
        repeat_weekly=True,
    )
    clock.set(now + timedelta(days=22))  # the bot was away three weeks
    nxt = await polls.repeat(poll.id)
    assert nxt.deadline == poll.deadline + timedelta(weeks=4) > clock.now()  # no summer-time change
    assert nxt.repeat_at == now + timedelta(weeks=5) > clock.now()
    assert [s[2] for s in nxt.slots] == [s[2] + timedelta(weeks=4) for s in poll.slots]
    await GroupService(sessions, clock).archive(poll.course_id)
    clock.set(nxt.repeat_at)
    assert await polls.repeat(nxt.id) is None


FRESH_SLOTS = Path(__file__).parent / "data" / "slot_phrases_fresh.tsv"
FRESH_NOW = datetime(2026, 11, 22, 11, 0, tzinfo=UTC)  # Sunday 12:00 in Paris


def _slot_rows() -> list[tuple[str, str]]:
    rows = []
    for line in FRESH_SLOTS.read_text(encoding="utf-8").splitlines():
        if line.startswith("#") or not line.strip():
            continue
        text, expected, *_ = line.split("\t")
        rows.append((text.replace("\\n", "\n"), expected))
    return rows


def test_the_slot_file_is_big_enough():
    rows = _slot_rows()
    assert len(rows) >= 120 and len({text for text, _ in rows}) == len(rows)
    assert sum(expected == "!" for _, expected in rows) >= 20


@pytest.mark.parametrize(("text", "expected"), [r for r in _slot_rows() if r[1] != "?"], ids=repr)
def test_slots_as_members_type_them(text, expected):
    if expected == "!":
        with pytest.raises(InvalidInput) as info:
            check_slots(parse_slots(text, PARIS, FRESH_NOW), FRESH_NOW)
        for lang in ("fr", "en"):  # a clear message with an example, in both languages
            message = t(info.value.key, lang, **info.value.params)
            assert "{" not in message and info.value.params.get("example", "") in message
        return
    starts = check_slots(parse_slots(text, PARIS, FRESH_NOW), FRESH_NOW)
    got = {s.astimezone(ZoneInfo(PARIS)).strftime("%Y-%m-%d %H:%M") for s in starts}
    assert got == set(expected.split(" | "))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("mar 20.30", ["Tue 24/11 20:30"]),  # a time written with a dot is not a date
        ("jeu 18.45", ["Thu 26/11 18:45"]),
        ("20.10 mardi", ["Tue 24/11 20:10"]),
        ("25.11 à 20h", ["Wed 25/11 20:00"]),  # a date with a dot, then its time
        ("01-12-2026 19h", ["Tue 01/12 19:00"]),
    ],
)
def test_dots_and_dashes_in_dates_and_times(text, expected):
    assert local(text) == expected


@pytest.mark.parametrize(
    ("text", "starts", "length"),
    [
        ("mar 20h-21h30, jeu 20h-21h30", ["Tue 24/11 20:00", "Thu 26/11 20:00"], 90),
        ("tue 8pm-9pm", ["Tue 24/11 20:00"], 60),
        ("25/11 18h-20h", ["Wed 25/11 18:00"], 120),
        ("demain 23h-0h30", ["Tue 24/11 23:00"], 90),  # past midnight
        ("sam 10h et 15h", ["Sat 28/11 10:00", "Sat 28/11 15:00"], 60),  # no range: the default
    ],
)
def test_a_slot_written_as_a_range_is_its_start_and_the_polls_length(text, starts, length):
    read = parse_slots(text, PARIS, NOW)
    assert [s.starts_at.astimezone(ZoneInfo(PARIS)).strftime("%a %d/%m %H:%M") for s in read] == starts
    assert slot_length(read, None) == length
    assert slot_length(read, 45) == 45  # a length given wins


def test_ranges_of_different_lengths_need_a_length_and_parts_of_the_day_are_no_slot():
    read = parse_slots("mar 20h-21h, sam 10h-12h", PARIS, NOW)
    with pytest.raises(MixedLengths) as info:
        slot_length(read, None)
    for lang in ("fr", "en"):
        message = t(info.value.key, lang, **info.value.params)
        assert "60, 120" in message and "length:" in message and "{" not in message
    assert slot_length(read, 60) == 60
    with pytest.raises(BadLength):
        slot_length(parse_slots("mar 20h-20h10", PARIS, NOW), None)  # 10 min
    with pytest.raises(InvalidInput):
        parse_slots("mar soir", PARIS, NOW)  # a part of the day says no time
    slots = generate_slots("lun, mer", "20h-21h30", 7, PARIS, NOW)
    assert len(slots) == 2 and slot_length(slots, None) == 90
