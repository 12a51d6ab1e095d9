"""A learner roster exported from the LMS, as CSV: `name,city,region,timezone,availability,about`.

All or nothing: every row is checked, and if anything is wrong no learner is
returned; `RosterError.problems` lists `(line_number, reason_key, params)` for
all of them, `reason_key` being a catalog key (`planning.roster.*`, or the
`planning.time.*` / `planning.timezone.*` key of what could not be read). Line 1
is the header; line numbers are those a spreadsheet or text editor shows.

What real exports look like is accepted: UTF-8 with or without a BOM (bytes in
Windows-1252 are decoded too), `,` or `;` or tab as delimiter, columns in any
order, extra columns ignored, header names in any case or in French (`nom`,
`ville`, `région`, `fuseau`, `disponibilités`, `à propos`), blank lines skipped.
A first-name column (`prénom`, `first name`) next to the name (`nom`, `surname`) is put before it,
as LMS exports split them.
An empty availability is allowed (no shared time); an empty timezone is the
zone of the row's city or region when it names one (`Pointe-à-Pitre`, `974`),
else `default_tz`. An optional `background` column sets the background category.
"""

from __future__ import annotations

import csv
import io
from typing import Any

from bot.errors import DomainError
from bot.services.availability import parse_availability, resolve_timezone
from bot.services.formation import Learner, classify_background
from bot.services.places import timezone_of
from bot.services.timewords import TimeWordsError, normalize

COLUMNS = ("name", "city", "region", "timezone", "availability", "about")
_ALIASES = {
    "name": (
        "name",
        "nom",
        "full name",
        "nom complet",
        "learner",
        "apprenant",
        "prenom nom",
        "last name",
        "lastname",
        "surname",
        "family name",
        "nom de famille",
    ),
    # an LMS export's separate first-name column (Moodle: "Prénom" / "First name") goes before the name
    "first_name": ("prenom", "first name", "firstname", "given name"),
    "city": ("city", "ville", "town", "commune"),
    "region": ("region", "departement", "pays", "country", "territoire"),
    "timezone": ("timezone", "time zone", "tz", "fuseau", "fuseau horaire"),
    "availability": ("availability", "availabilities", "disponibilites", "disponibilite", "dispos", "dispo"),
    "about": ("about", "about me", "a propos", "a propos de moi", "presentation", "bio"),
    "background": ("background", "parcours", "profil", "metier"),
}
_HEADER_NAMES = {alias: column for column, aliases in _ALIASES.items() for alias in aliases}

Problem = tuple[int, str, dict[str, Any]]


class RosterError(DomainError):
    """A roster was rejected; `problems` holds every `(line, reason_key, params)`, in line order."""

    key = "planning.roster.invalid"

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = sorted(problems, key=lambda p: p[0])
        super().__init__(count=len(self.problems))


def decode(data: bytes | str) -> str:
    """Text of a file: UTF-8 (BOM dropped), else Windows-1252 as French Excel writes it."""
    if isinstance(data, str):
        return data.removeprefix("\ufeff")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def _sniff_delimiter(header: str) -> str:
    counts = {d: header.count(d) for d in (";", ",", "\t")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def _header_key(cell: str) -> str:
    return " ".join(normalize(cell).replace("_", " ").replace("-", " ").split())


def parse_roster_csv(text: str | bytes, default_tz: str = "Europe/Paris") -> list[Learner]:
    """Learners of a roster in file order, or RosterError listing every problem found."""
    text = decode(text)
    resolve_timezone(default_tz)  # a bad default is the caller's error, raised as UnknownTimezone
    lines = text.splitlines()
    header_index = next((i for i, line in enumerate(lines) if line.strip(" \t;,")), None)
    if header_index is None:
        raise RosterError([(1, "planning.roster.empty", {})])
    delimiter = _sniff_delimiter(lines[header_index])
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    problems: list[Problem] = []
    try:
        rows = _numbered_rows(reader)
    except csv.Error as exc:
        problem = (reader.line_num, "planning.roster.unreadable_file", {"detail": str(exc)})
        raise RosterError([problem]) from exc
    if not rows:
        raise RosterError([(1, "planning.roster.empty", {})])
    header_line, header = rows[0]
    positions: dict[str, int] = {}
    for pos, cell in enumerate(header):
        column = _HEADER_NAMES.get(_header_key(cell))
        if column is None:
            continue  # an extra column
        if column in positions:
            problems.append((header_line, "planning.roster.duplicate_column", {"column": cell.strip()}))
        positions[column] = pos
    missing = [c for c in COLUMNS if c not in positions]
    if missing:
        problems.append(
            (
                header_line,
                "planning.roster.missing_columns",
                {"columns": ", ".join(missing), "expected": ",".join(COLUMNS)},
            )
        )
    if problems:
        raise RosterError(problems)
    if len(rows) == 1:
        raise RosterError([(header_line, "planning.roster.empty", {})])

    needed = max(positions[c] for c in COLUMNS) + 1
    learners: list[Learner] = []
    first_seen: dict[str, int] = {}
    for line, row in rows[1:]:
        if len(row) < needed:
            problems.append((line, "planning.roster.too_few_fields", {"found": len(row), "expected": needed}))
            continue
        if len(row) > len(header) and any(field.strip() for field in row[len(header) :]):
            # most often a field holding the delimiter without quotes: the columns after it are shifted
            problems.append(
                (line, "planning.roster.too_many_fields", {"found": len(row), "expected": len(header)})
            )
            continue

        def cell(column: str, row: list[str] = row) -> str:
            pos = positions.get(column)
            return row[pos].strip() if pos is not None and pos < len(row) else ""

        name = " ".join(f"{cell('first_name')} {cell('name')}".split())
        row_problems: list[Problem] = []
        if not name:
            row_problems.append((line, "planning.roster.missing_name", {}))
        else:
            folded = normalize(name)
            if folded in first_seen:
                row_problems.append(
                    (line, "planning.roster.duplicate_name", {"name": name, "first_line": first_seen[folded]})
                )
            else:
                first_seen[folded] = line
        tz_text = cell("timezone") or timezone_of(cell("city"), cell("region")) or default_tz
        try:
            tz = resolve_timezone(tz_text).key
        except DomainError as exc:
            row_problems.append((line, exc.key, dict(exc.params)))
            tz = default_tz
        availability_text = cell("availability")
        try:
            availability = parse_availability(availability_text)
        except TimeWordsError as exc:
            row_problems.append((line, exc.key, dict(exc.params)))
            availability = None
        if row_problems:
            problems.extend(row_problems)
            continue
        about = cell("about")
        learners.append(
            Learner(
                key=name,
                name=name,
                city=cell("city"),
                region=cell("region"),
                timezone=tz,
                availability=availability,
                about=about,
                background=_background(cell("background")) or classify_background(about),
                availability_text=availability_text,
            )
        )
    if problems:
        raise RosterError(problems)
    return learners


def _background(value: str) -> str:
    return "_".join(normalize(value).split())


def _numbered_rows(reader: Any) -> list[tuple[int, list[str]]]:
    """Non-blank records with the line each starts on (a quoted field may span several lines)."""
    rows: list[tuple[int, list[str]]] = []
    previous_end = 0
    for record in reader:
        start = previous_end + 1
        previous_end = reader.line_num
        if not any(field.strip() for field in record):
            continue
        rows.append((start, record))
    return rows
