"""Course settings as teachers type them, without Discord."""

from datetime import date

import pytest

from bot.i18n import t
from bot.services.courses import (
    BadDate,
    BadLanguage,
    CourseInput,
    CourseService,
    parse_date,
    suggest_timezones,
)
from bot.settings import CourseDefaults

TODAY = date(2026, 11, 22)


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("2026-09-07", date(2026, 9, 7)),
        ("2026/09/07", date(2026, 9, 7)),
        ("07/09/2026", date(2026, 9, 7)),
        ("7/9/2026", date(2026, 9, 7)),
        ("07.09.2026", date(2026, 9, 7)),
        ("07/09/26", date(2026, 9, 7)),
        ("7 septembre 2026", date(2026, 9, 7)),
        ("lundi 7 septembre 2026", date(2026, 9, 7)),
        ("1er sept. 2026", date(2026, 9, 1)),
        ("September 7, 2026", date(2026, 9, 7)),
        ("sept 7 2026", date(2026, 9, 7)),
        # no year: the nearest such date, before or after today
        ("07/09", date(2026, 9, 7)),
        ("1er septembre", date(2026, 9, 1)),
        ("05/01", date(2027, 1, 5)),
    ],
)
def test_start_date_as_teachers_write_it(written, expected):
    assert parse_date(written, TODAY) == expected


@pytest.mark.parametrize(
    "written", ["31/02/2026", "septembre", "demain", "2026-13-01", "07/09", "vers 7 septembre 2026"]
)
def test_unreadable_dates_are_refused_with_an_example(written):
    today = None if written == "07/09" else TODAY  # no year and no today to place it
    with pytest.raises(BadDate) as info:
        parse_date(written, today)
    for lang in ("fr", "en"):
        message = t(info.value.key, lang, **info.value.params)
        assert written in message and "2026-09-07" in message


@pytest.mark.parametrize(
    ("typed", "first"),
    [
        ("La Réunion", "Indian/Reunion"),  # a place: its zone first
        ("Nouméa", "Pacific/Noumea"),  # accents ignored
        ("UTC+4", "Etc/GMT-4"),
        ("paris", "Europe/Paris"),
        ("", "Europe/Paris"),  # nothing typed: our learners' zones
    ],
)
def test_timezone_suggestions_start_with_the_zone_typed(typed, first):
    assert suggest_timezones(typed)[0] == first
    assert len(suggest_timezones(typed)) <= 25


async def test_a_course_has_a_language_that_names_its_category_and_speaks_for_its_guild(sessions, clock):
    courses = CourseService(sessions, clock, CourseDefaults())
    assert courses.guild_language(1) is None  # no course: the server's language decides
    chem, _ = await courses.setup(1, CourseInput(2, 3, 4, "Chemistry", default_language="en"))
    assert (chem.language, chem.category_name) == ("en", "Groups Chemistry")
    assert courses.guild_language(1) == "en"
    bio, _ = await courses.setup(1, CourseInput(5, 3, 4, "Biologie", language="fr", default_language="en"))
    assert (bio.language, bio.category_name) == ("fr", "Groupes Biologie")  # chosen beats inferred
    assert courses.guild_language(1) == "en"  # courses that differ: the first one's
    await courses.update(chem.id, language="fr-FR")
    assert (await courses.get(chem.id)).language == "fr" and courses.guild_language(1) == "fr"
    with pytest.raises(BadLanguage) as info:
        await courses.update(chem.id, language="de")
    assert "fr" in t(info.value.key, "en", **info.value.params)
    restarted = CourseService(sessions, clock, CourseDefaults())  # another process, or after a restart
    assert restarted.guild_language(1) is None
    await restarted.load_languages()
    assert restarted.guild_language(1) == "fr" and restarted.guild_language(9) is None
