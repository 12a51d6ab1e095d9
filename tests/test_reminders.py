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
    ],
)
def test_reminder_times_as_learners_type_them(text, minutes):
    assert parse_lead(text) == minutes


@pytest.mark.parametrize("text", ["demain", "3 semaines", "4", "8 jours", "1 h 30 min 20", "tôt", "1 mois"])
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
