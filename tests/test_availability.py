"""Weekly availability: parsing, the UTC week (with summer/winter time), shared time, display."""

import random
from datetime import date

import pytest

from bot.services import availability as av
from bot.services.synthetic import _availability_text
from bot.services.timewords import TimeWordsError

WINTER = date(2026, 1, 7)  # Paris UTC+1
SUMMER = date(2026, 7, 1)  # Paris UTC+2


def test_parse_merges_and_splits_at_midnight():
    a = av.parse_availability("lun 20h-22h, lun 21h-23h, dim 23h-1h")
    assert a.intervals == ((0, 0, 60), (0, 1200, 1380), (6, 1380, 1440))
    assert a.total_minutes == 60 + 180 + 60


def test_empty_text_is_no_availability():
    assert not av.parse_availability("")
    assert av.parse_availability("  ").intervals == ()


def test_unreadable_raises_invalid_input():
    with pytest.raises(TimeWordsError):
        av.parse_availability("lundi quand je peux")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("lun soir", ((0, 1140, 1380),)),
        ("le soir en semaine", tuple((d, 1140, 1380) for d in range(5))),
        ("evenings", tuple((d, 1140, 1380) for d in range(7))),
        ("sam matin, dim après-midi", ((5, 540, 720), (6, 840, 1080))),
        ("lundi soir 21h-23h", ((0, 1260, 1380),)),  # the written hours win over "soir"
        ("20h-22h", tuple((d, 1200, 1320) for d in range(7))),  # no day: every day
        ("week-end", ((5, 540, 1260), (6, 540, 1260))),  # no hours: daytime and evening
        ("lundi 20h", ((0, 1200, 1320),)),  # one time: two hours from then
        ("en semaine après 21h", tuple((d, 1260, 1380) for d in range(5))),
        ("à partir de 20h30 le mardi", ((1, 1230, 1350),)),
        ("n'importe quand", tuple((d, 540, 1380) for d in range(7))),
        ("tous les soirs sauf le mercredi", tuple((d, 1140, 1380) for d in (0, 1, 3, 4, 5, 6))),
        ("soirs en semaine + samedi matin", (*((d, 1140, 1380) for d in range(5)), (5, 540, 720))),
        ("evenings and weekends", (*((d, 1140, 1380) for d in range(5)), (5, 540, 1380), (6, 540, 1380))),
        ("le soir après 21h", tuple((d, 1260, 1380) for d in range(7))),  # "après" runs to the part's end
        ("evenings 6-8", tuple((d, 1080, 1200) for d in range(7))),  # bare hours: the part's half of the day
        ("le soir jusqu'à minuit", tuple((d, 1140, 1440) for d in range(7))),
        ("avant 8h en semaine", tuple((d, 360, 480) for d in range(5))),
        ("de 20h à 22h, du lundi au vendredi", tuple((d, 1200, 1320) for d in range(5))),
        ("n/a", ()),
        ("sat am, sun pm", ((5, 540, 720), (6, 840, 1080))),  # am / pm after a day: its morning, afternoon
        ("I am free mon evening", ((0, 1140, 1380),)),  # "am" elsewhere is a filler
    ],
)
def test_loose_descriptions_people_write(text, expected):
    assert av.parse_availability(text).intervals == expected


@pytest.mark.parametrize(
    ("tz", "when", "expected"),
    [
        ("Europe/Paris", WINTER, ((1200, 1320),)),
        ("Europe/Paris", SUMMER, ((1140, 1260),)),
        ("America/Guadeloupe", WINTER, ((1500, 1620),)),  # UTC-4: Monday 21h is Tuesday 01:00 UTC
        ("Pacific/Noumea", WINTER, ((600, 720),)),  # UTC+11
        ("Indian/Reunion", SUMMER, ((1020, 1140),)),  # UTC+4, no DST
    ],
)
def test_to_utc_week(tz, when, expected):
    a = av.parse_availability("lun 21h-23h")
    assert av.to_utc_week(a, tz, when) == expected


def test_utc_week_wraps_round_the_end_of_the_week():
    a = av.parse_availability("dim 23h-1h")  # Sunday 23:00 to Monday 01:00 in Guadeloupe (UTC-4)
    assert av.to_utc_week(a, "America/Guadeloupe", WINTER) == ((180, 300),)
    a = av.parse_availability("lun 0h-2h")  # Monday 00:00 in Paris is Sunday 23:00 UTC in winter
    assert av.to_utc_week(a, "Europe/Paris", WINTER) == ((0, 60), (10020, 10080))


def test_dst_change_inside_the_reference_week_uses_each_days_offset():
    # Summer time starts on Sunday 29 March 2026: Monday is UTC+1, Sunday evening is UTC+2.
    a = av.parse_availability("lun 21h-22h, dim 21h-22h")
    assert av.to_utc_week(a, "Europe/Paris", date(2026, 3, 25)) == ((1200, 1260), (9780, 9840))


def test_from_utc_week_is_the_inverse():
    rng = random.Random(4)
    for _ in range(200):
        a = av.parse_availability(_availability_text(rng))
        for tz in ("Europe/Paris", "America/Cayenne", "Pacific/Noumea", "Asia/Kolkata"):
            week = av.to_utc_week(a, tz, SUMMER)
            assert av.from_utc_week(week, tz, SUMMER) == a


def test_shared_minutes_exact_and_mask_agree():
    weeks = [
        av.to_utc_week(av.parse_availability(text), tz, WINTER)
        for text, tz in [
            ("lun-ven 20h-23h", "Europe/Paris"),
            ("lun, mer 21h-22h30", "Europe/Brussels"),
            ("lun 15h-17h30, mer 16h-18h", "America/Guadeloupe"),  # 19:00-21:30 / 20:00-22:00 UTC
        ]
    ]
    assert av.shared_minutes(weeks) == 90 + 90  # Monday and Wednesday 20:00-21:30 UTC
    mask = weeks[0] and av.week_mask(weeks[0]) & av.week_mask(weeks[1]) & av.week_mask(weeks[2])
    assert av.mask_minutes(mask) == 180
    assert av.shared_minutes([]) == 0
    assert av.shared_minutes([weeks[0]]) == 5 * 180


def test_mask_counts_only_full_quarter_hours():
    assert av.mask_minutes(av.week_mask(((10, 50),))) == 30  # 00:15-00:45
    assert av.week_mask(((0, 15),)) == 1


def test_timezone_lookup():
    assert av.resolve_timezone("europe/paris").key == "Europe/Paris"
    with pytest.raises(av.UnknownTimezone) as info:
        av.resolve_timezone("Europe/Pariss")
    assert info.value.params["value"] == "Europe/Pariss"


@pytest.mark.parametrize(
    ("written", "zone"),
    [
        ("Paris", "Europe/Paris"),
        ("La Réunion", "Indian/Reunion"),
        ("Nouméa", "Pacific/Noumea"),
        ("martinique", "America/Martinique"),
        ("UTC", "UTC"),
        ("UTC+1", "Etc/GMT-1"),  # fixed offset; IANA's Etc names count the other way round
        ("GMT-4", "Etc/GMT+4"),
        ("utc +02:00", "Etc/GMT-2"),
        # places our learners write that are not the last part of an IANA name
        ("heure de Paris", "Europe/Paris"),
        ("Lyon", "Europe/Paris"),
        ("Guyane", "America/Cayenne"),
        ("Nouvelle-Calédonie", "Pacific/Noumea"),
        ("Polynésie française", "Pacific/Tahiti"),
        ("Fort-de-France", "America/Martinique"),
        ("heure de la Réunion", "Indian/Reunion"),
        ("Québec", "America/Toronto"),
        ("Bruxelles", "Europe/Brussels"),
        ("Côte d'Ivoire", "Africa/Abidjan"),
        ("Paris (France)", "Europe/Paris"),
        ("UTC+5:30", "Asia/Kolkata"),  # no fixed Etc/ zone has minutes: the zone keeping that offset
        ("-3:30", "America/St_Johns"),
        # as LMS exports and forms give them
        ("UTC−3", "Etc/GMT+3"),  # a minus sign, not a hyphen
        ("Europe/Paris (UTC+1)", "Europe/Paris"),
        ("Europe / Paris", "Europe/Paris"),
        ("fuseau horaire de la Réunion", "Indian/Reunion"),
    ],
)
def test_timezone_as_people_write_it(written, zone):
    assert av.resolve_timezone(written).key == zone


@pytest.mark.parametrize(
    "written", ["Canada", "Saint-Denis", "UTC+5:20", "UTC+15", "Europe/Lyon", "localtime"]
)
def test_timezone_refused_when_it_names_no_single_zone(written):
    with pytest.raises(av.UnknownTimezone):
        av.resolve_timezone(written)


@pytest.mark.parametrize(
    ("text", "fr", "en"),
    [
        (
            "lun-ven 21h-1h, sam 9h-12h",
            "lun-ven 21:00–01:00 ; sam 09:00–12:00",
            "Mon-Fri 21:00–01:00; Sat 09:00–12:00",
        ),
        ("lun 20h-22h, mer 20h-22h, ven 20h-22h", "lun, mer, ven 20:00–22:00", "Mon, Wed, Fri 20:00–22:00"),
        ("", "aucune disponibilité", "no availability"),
    ],
)
def test_format_availability(text, fr, en):
    a = av.parse_availability(text)
    assert av.format_availability(a, "fr") == fr
    assert av.format_availability(a, "en") == en


def test_format_reads_back_a_long_span_over_midnight():
    a = av.parse_availability("lun 10h-24h, mar 0h-5h")  # 19 h: shown on two days, not "10:00–05:00"
    assert av.format_availability(a, "fr") == "lun 10:00–24:00 ; mar 00:00–05:00"
    assert av.parse_availability(av.format_availability(a, "fr")) == a
    for lang in ("fr", "en"):  # "aucune disponibilité" / "no availability" read back as empty
        assert not av.parse_availability(av.format_availability(av.WeeklyAvailability(), lang))


def test_format_reads_back_to_the_same_availability():
    rng = random.Random(7)
    for _ in range(500):
        a = av.parse_availability(_availability_text(rng))
        for lang in ("fr", "en"):
            assert av.parse_availability(av.format_availability(a, lang) if a else "") == a
