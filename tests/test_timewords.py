"""Days and times as people type them, in French and English."""

import pytest

from bot.errors import InvalidInput
from bot.i18n import t
from bot.services import timewords as tw
from bot.services.availability import WeeklyAvailability, parse_availability

H = 60


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("lun", 0), ("lundi", 0), ("Lun.", 0), ("LUNDI", 0), ("lundis", 0), ("mon", 0), ("Monday", 0),
        ("mar", 1), ("mardi", 1), ("tue", 1), ("tues", 1), ("Tuesday", 1),
        ("mer", 2), ("mercredi", 2), ("wed", 2), ("wednesday", 2),
        ("jeu", 3), ("jeudi", 3), ("thu", 3), ("thurs", 3),
        ("ven", 4), ("vendredi", 4), ("fri", 4),
        ("sam", 5), ("samedi", 5), ("sat", 5),
        ("dim", 6), ("dimanche", 6), ("sun", 6), ("Dim.", 6),
    ],
)
def test_day_names(text, day):
    assert tw.parse_days(text) == (day,)


@pytest.mark.parametrize(
    ("text", "days"),
    [
        ("lun-ven", (0, 1, 2, 3, 4)),
        ("du lundi au vendredi", (0, 1, 2, 3, 4)),
        ("mon to fri", (0, 1, 2, 3, 4)),
        ("lun, mer", (0, 2)),
        ("lun et mer", (0, 2)),
        ("mon & wed", (0, 2)),
        ("ven-lun", (0, 4, 5, 6)),
        ("weekdays", (0, 1, 2, 3, 4)),
        ("en semaine", (0, 1, 2, 3, 4)),
        ("week-end", (5, 6)),
        ("weekend", (5, 6)),
        ("Week end", (5, 6)),
        ("WE", (5, 6)),
        ("tous les jours", (0, 1, 2, 3, 4, 5, 6)),
        ("every day", (0, 1, 2, 3, 4, 5, 6)),
    ],
)
def test_day_groups_ranges_and_lists(text, days):
    assert tw.parse_days(text) == days


@pytest.mark.parametrize(
    ("text", "minute"),
    [
        ("20:00", 20 * H), ("20h", 20 * H), ("20H", 20 * H), ("20h30", 20 * H + 30), ("20 h 30", 20 * H + 30),
        ("20.30", 20 * H + 30), ("8pm", 20 * H), ("8 pm", 20 * H), ("8:30 pm", 20 * H + 30),
        ("8.30pm", 20 * H + 30), ("8 p.m.", 20 * H), ("12am", 0), ("12pm", 12 * H), ("9am", 9 * H),
        ("midi", 12 * H), ("noon", 12 * H), ("minuit", 0), ("midnight", 0), ("7", 7 * H),
        ("20 heures", 20 * H),
    ],
)
def test_times_of_day(text, minute):
    assert tw.parse_time(text) == minute


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("20:00-22:00", (20 * H, 22 * H)),
        ("20h à 22h", (20 * H, 22 * H)),
        ("de 20h à 22h", (20 * H, 22 * H)),
        ("entre 20h et 22h", (20 * H, 22 * H)),
        ("8pm to 10pm", (20 * H, 22 * H)),
        ("8-10pm", (20 * H, 22 * H)),
        ("11-1pm", (11 * H, 13 * H)),
        ("9pm-1", (21 * H, 25 * H)),
        ("20h-1h", (20 * H, 25 * H)),
        ("22h-minuit", (22 * H, 24 * H)),
        ("20h – 22h30", (20 * H, 22 * H + 30)),
        ("20h jusqu'à 22h", (20 * H, 22 * H)),
        ("0h-24h", (0, 24 * H)),
    ],
)
def test_time_ranges(text, expected):
    assert tw.parse_time_range(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("lun 20:00-22:00, sam 09:00-12:00", [((0,), 1200, 1320), ((5,), 540, 720)]),
        ("mon 8pm-10pm", [((0,), 1200, 1320)]),
        ("lun, mer 20h-22h", [((0, 2), 1200, 1320)]),
        ("lun-ven 20h-22h", [((0, 1, 2, 3, 4), 1200, 1320)]),
        ("Mardi 20h30 – 23h", [((1,), 1230, 1380)]),
        ("LUNDI : 20h-22h", [((0,), 1200, 1320)]),
        ("lun 20h-22h, 23h-1h", [((0,), 1200, 1320), ((0,), 1380, 1500)]),
        ("20h-22h lun", [((0,), 1200, 1320)]),
        ("de 21h à 23h le mardi", [((1,), 1260, 1380)]),
        ("20h-22h lun, mer, sam 9h-12h", [((0,), 1200, 1320), ((2,), 1200, 1320), ((5,), 540, 720)]),
        ("lundis et jeudis soir 21h-23h", [((0, 3), 1260, 1380)]),
        ("sam matin 9h-12h ; sam après-midi 14h-16h", [((5,), 540, 720), ((5,), 840, 960)]),
        ("du lundi au vendredi entre 20h et minuit", [((0, 1, 2, 3, 4), 1200, 1440)]),
        ("we midi-14h", [((5, 6), 720, 840)]),
        ("lun 20h-22h\nmar 19h-21h", [((0,), 1200, 1320), ((1,), 1140, 1260)]),
        ("  ", []),
    ],
)
def test_schedules(text, expected):
    assert [(e.weekdays, e.start, e.end) for e in tw.parse_schedule(text)] == expected


def test_poll_slots_are_single_times():
    slots = tw.parse_day_times("mar 20:30, jeu 20:30, sam à 10:00")
    assert slots == [tw.DayTime(1, 1230), tw.DayTime(3, 1230), tw.DayTime(5, 600)]
    with pytest.raises(tw.ExpectedPoint):
        tw.parse_day_times("mar 20h-22h")
    with pytest.raises(tw.NothingGiven):
        tw.parse_day_times("")


@pytest.mark.parametrize(
    ("text", "error", "value"),
    [
        ("lun 25h-26h", tw.BadTime, "25h"),
        ("lun 20:75-22h", tw.BadTime, "20:75"),
        ("lun 13pm-14pm", tw.BadTime, "13pm"),
        ("lun 20h-20h", tw.EmptyRange, "20h-20h"),
        ("blabla 20h-22h", tw.UnknownWord, "blabla"),
        ("Lindy 20h-22h", tw.UnknownWord, "Lindy"),  # two letters off: not read as a guess
        ("eight 20h-22h", tw.UnknownWord, "eight"),  # one off "night", but a word of its own
        ("Lündi 20h-22h", None, None),
        ("Lundy 20h-22h", None, None),  # one letter off a day's full name: that day
        ("lun 20h - - 22h", tw.TimeWordsError, "20h - -"),
    ],
)
def test_errors_name_the_fragment_and_give_an_example(text, error, value):
    if error is None:  # accents do not matter: "Lündi" reads as "lundi"
        assert tw.parse_day_ranges(text) == [tw.DayRange(0, 1200, 1320)]
        return
    with pytest.raises(error) as info:
        tw.parse_day_ranges(text)
    assert isinstance(info.value, InvalidInput)
    assert info.value.params["value"] == value
    assert info.value.params["example"] == tw.AVAILABILITY_EXAMPLE
    for lang in ("fr", "en"):
        message = t(info.value.key, lang, **info.value.params)
        assert value in message and tw.AVAILABILITY_EXAMPLE in message


def test_normalize_drops_accents_case_and_apostrophes():
    assert tw.normalize("Jusqu’à MIDI – Été") == "jusqua midi - ete"
    assert tw.format_clock(1440) == "24:00" and tw.format_clock(75) == "01:15"


@pytest.mark.parametrize(
    ("text", "error", "value"),
    [
        ("20h-22h", tw.MissingDay, "20h-22h"),
        ("lun", tw.MissingTime, "lun"),
        ("lun 20h-22h, mer", tw.MissingTime, "mer"),
    ],
)
def test_schedules_without_defaults_still_ask_for_days_and_times(text, error, value):
    """Poll slots and other strict readers: no day, or no time, is an error naming the fragment."""
    with pytest.raises(error) as info:
        tw.parse_schedule(text)
    assert info.value.params["value"] == value


def test_parts_of_the_day_are_not_poll_slots():
    with pytest.raises(tw.ExpectedPoint):
        tw.parse_day_times("mar soir")


@pytest.mark.parametrize(
    ("text", "days"),
    [
        ("lun-ven sauf mer", (0, 1, 3, 4)),
        ("tous les jours sauf le week-end", (0, 1, 2, 3, 4)),
        ("sauf le dimanche", (0, 1, 2, 3, 4, 5)),
        ("lun-mer-ven", (0, 2, 4)),  # three days joined by dashes: a list, not a range
        ("fins de semaine", (5, 6)),
    ],
)
def test_days_taken_away_and_dashed_lists(text, days):
    assert tw.parse_days(text) == days


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("8h-10h du soir", (20 * H, 22 * H)),
        ("20h->22h", (20 * H, 22 * H)),
        ("9pm-5am", (21 * H, 29 * H)),  # past midnight, 8 hours: fine
    ],
)
def test_more_time_ranges(text, expected):
    assert tw.parse_time_range(text) == expected


@pytest.mark.parametrize("text", ["14h-12h", "9-5"])
def test_a_range_past_midnight_of_more_than_12_hours_is_refused(text):
    with pytest.raises(tw.BackwardsRange) as info:
        tw.parse_time_range(text, example=tw.AVAILABILITY_EXAMPLE)
    for lang in ("fr", "en"):
        message = t(info.value.key, lang, **info.value.params)
        assert text in message and tw.AVAILABILITY_EXAMPLE in message


def test_poll_slots_keep_the_slash_as_a_separator():
    """Only availability reads "18h/20h" as a range; a poll's "mar 20h/21h" is two slots."""
    assert tw.parse_day_times("mar 20h/21h") == [tw.DayTime(1, 1200), tw.DayTime(1, 1260)]


def test_je_suis_is_not_thursday():
    assert [(e.weekdays, e.start) for e in tw.parse_schedule("je suis dispo le soir", default_days=(0,))] == [
        ((0,), 19 * H)
    ]


def test_text_with_nothing_to_read_is_refused():
    with pytest.raises(tw.NothingGiven):
        tw.parse_day_ranges("??")
    assert tw.parse_day_ranges("n/a") == [] and tw.parse_day_ranges(" - ") == []
    for text in ("pas dispo.", "Non disponible", "not available"):  # "aucune disponibilité" said otherwise
        assert tw.parse_day_ranges(text) == []


@pytest.mark.parametrize(
    ("text", "days"),
    [
        ("mecredi soir", (2,)),
        ("samdi soir", (5,)),
        ("thrusday evening", (3,)),
        ("tuesdy evening", (1,)),
        ("le wekend en soiree", (5, 6)),
        ("weekned evenings", (5, 6)),
        ("dimache soiree", (6,)),
        ("lundi et jeudi soiré", (0, 3)),
    ],
)
def test_a_day_or_part_of_the_day_misspelt_by_one_letter_is_read(text, days):
    assert tw.parse_day_ranges(text) == [tw.DayRange(d, 1140, 1380) for d in days]


EVERY_DAY = tuple(range(7))
EVENINGS = {(d, 1140, 1380) for d in EVERY_DAY}


@pytest.mark.parametrize(
    ("text", "ranges"),
    [
        # a part of the day listed after a time is one more range, not a word about that time
        ("midi-14h et le soir", {(d, 720, 840) for d in EVERY_DAY} | {(d, 1140, 1380) for d in EVERY_DAY}),
        ("le soir et le midi", {(d, 720, 840) for d in EVERY_DAY} | {(d, 1140, 1380) for d in EVERY_DAY}),
        ("lundi midi et soir", {(0, 720, 840), (0, 1140, 1380)}),
        ("de midi à 14h", {(d, 720, 840) for d in EVERY_DAY}),
        # days said alone, then days with their part: each keeps its own
        ("weekends and weeknights", {(5, 540, 1260), (6, 540, 1260)} | {(d, 1140, 1380) for d in range(5)}),
        ("weeknights and weekends", {(5, 540, 1260), (6, 540, 1260)} | {(d, 1140, 1380) for d in range(5)}),
        # "même heure", "too": the times of the days before; without days before, nothing to take
        ("Mondays 7pm-9pm, Thursdays too", {(0, 1140, 1260), (3, 1140, 1260)}),
        ("lundi 20h-22h, mercredi aussi", {(0, 1200, 1320), (2, 1200, 1320)}),
        ("lundi 20h-22h, mercredi", {(0, 1200, 1320), (2, 540, 1260)}),
        ("le soir, le week-end aussi", EVENINGS | {(5, 540, 1260), (6, 540, 1260)}),
        ("le week-end, le soir aussi", EVENINGS | {(5, 540, 1260), (6, 540, 1260)}),
        ("le week-end, le soir", {(5, 1140, 1380), (6, 1140, 1380)}),
        # one night between two days is the first day's
        ("la nuit de samedi à dimanche", {(5, 1320, 1440), (6, 0, 60)}),
        ("nuit du lundi au mercredi", {(d, 1320, 1440) for d in range(3)} | {(d, 0, 60) for d in (1, 2, 3)}),
        # an hour of the 12-hour clock with its part of the day, noon as a start
        ("l'aprem vers 3h", {(d, 900, 1020) for d in EVERY_DAY}),
        ("le matin 8h-10h", {(d, 480, 600) for d in EVERY_DAY}),
        ("evenings until 10", {(d, 1140, 1320) for d in EVERY_DAY}),
        ("lunch 12-2", {(d, 720, 840) for d in EVERY_DAY}),
    ],
)
def test_lists_of_parts_days_and_times(text, ranges):
    assert parse_availability(text) == WeeklyAvailability.from_ranges(ranges)
