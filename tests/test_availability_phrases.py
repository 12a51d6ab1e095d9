"""Availability as adult learners type it: every phrase of tests/data/availability_phrases.tsv and
availability_phrases_fresh.tsv (a third step, written without reading the parser) is read to the
weekly intervals written next to it, or refused ('!'); '?' phrases are skipped."""

from pathlib import Path

import pytest

from bot.errors import InvalidInput
from bot.i18n import t
from bot.services import availability as av
from bot.services.timewords import TimeWordsError

PHRASES = Path(__file__).parent / "data" / "availability_phrases.tsv"
FRESH = Path(__file__).parent / "data" / "availability_phrases_fresh.tsv"


def _minute(clock: str) -> int:
    hours, minutes = clock.split(":")
    return int(hours) * 60 + int(minutes)


def _expected(spec: str) -> av.WeeklyAvailability:
    """'4:22:00-25:00 5:09:00-12:00' as a WeeklyAvailability (past-midnight ends spill to the next day)."""
    ranges = []
    for item in spec.split():
        day, _, span = item.partition(":")
        start, end = span.split("-")
        ranges.append((int(day), _minute(start), _minute(end)))
    return av.WeeklyAvailability.from_ranges(ranges)


def _rows(path: Path = PHRASES) -> list[tuple[str, str]]:
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("#") or not line.strip():
            continue
        text, expected = line.split("\t")
        rows.append((text.replace("\\n", "\n"), expected.strip()))
    return rows


ROWS = _rows()
FRESH_ROWS = _rows(FRESH)


def test_the_phrase_file_is_big_enough():
    assert len(ROWS) >= 120
    assert sum(expected == "!" for _, expected in ROWS) >= 10
    assert len({text for text, _ in ROWS}) == len(ROWS)  # no phrase twice
    assert len(FRESH_ROWS) >= 150 and len({text for text, _ in FRESH_ROWS}) == len(FRESH_ROWS)


@pytest.mark.parametrize(("text", "expected"), [row for row in ROWS + FRESH_ROWS if row[1] != "?"], ids=repr)
def test_phrase(text, expected):
    if expected == "!":
        with pytest.raises(TimeWordsError) as info:
            av.parse_availability(text)
        error = info.value
        assert isinstance(error, InvalidInput)
        for lang in ("fr", "en"):  # a clear message with an example, in both languages
            message = t(error.key, lang, **error.params)
            assert "{" not in message and error.params["example"] in message
        return
    got = av.parse_availability(text)
    want = av.WeeklyAvailability() if expected == "-" else _expected(expected)
    assert av.format_availability(got, "en") == av.format_availability(want, "en")
    assert got == want
