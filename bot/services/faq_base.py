"""A course's FAQ base: entries curated by teachers, read from and written to TOML or CSV.

Import is all-or-nothing: every row is checked, and if any is wrong nothing is
returned; `FaqImportError.problems` lists `(row, reason_key)` pairs, where
`reason_key` is a catalog key (`faq.problem.*`) and `FaqImportError.details`
holds the values its message needs, in the same order. Rows are numbered as a
teacher sees them: the line of a CSV record in a spreadsheet (the header is
row 1), the position of a `[[faq]]` table in a TOML file (the first is 1).
Row 0 stands for the whole file (unreadable, empty, missing column…).

TOML::

    [[faq]]
    id = "exam-dates"
    question = "Quand ont lieu les examens ?"
    variants = ["C'est quand les partiels ?"]
    answer = "Les examens ont lieu la semaine du 12 juin."
    tags = ["examens"]
    lang = "fr"

CSV: the same columns (`id,question,variants,answer,tags,lang`), with variants
and tags separated by `|`; the delimiter may be `,`, `;` or a tab.

Field names are read as teachers write them: any case, singular or plural, in
French or English (`Variantes`, `tag`, `langue`, `réponse`). A field the bot
has no use for (`category`, `author`, an LMS export's extra column) is ignored
and named in `FaqFile.ignored`; one that looks like a misspelt field name
(`varaints`) is a problem, since the teacher meant something by it.
"""

from __future__ import annotations

import csv
import difflib
import io
import re
import tomllib
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from bot.errors import DomainError

MAX_ANSWER_CHARS = 1800
MAX_QUESTION_CHARS = 300
LANGS = ("fr", "en")
DEFAULT_LANG = "fr"
FIELDS = ("id", "question", "variants", "answer", "tags", "lang")
REQUIRED = ("id", "question", "answer")
KNOWN_FIELDS = ", ".join(FIELDS)  # shown to teachers in problems and notices
# Other names for the fields, folded (lowercase, no accent, no space, `-` or `_`)
FIELD_ALIASES = {
    "identifiant": "id",
    "questions": "question",
    "variant": "variants",
    "variante": "variants",
    "variantes": "variants",
    "answers": "answer",
    "reponse": "answer",
    "reponses": "answer",
    "tag": "tags",
    "language": "lang",
    "langue": "lang",
}
LIST_SEPARATOR = "|"
# Ids end up in custom_ids (`faq:<action>:<id>`, 100 characters at most) and in commands:
# letters (accented ones too), digits, `_`, `.` and `-`, starting with a letter or a digit.
ID_PATTERN = re.compile(r"[^\W_][\w.\-]{0,63}")
# How teachers write a language besides "fr" / "en": "FR", "fr-FR", "en_GB", "français", "English"…
LANG_NAMES = {"francais": "fr", "french": "fr", "anglais": "en", "english": "en"}


@dataclass(slots=True)
class FaqEntry:
    id: str
    question: str
    variants: list[str] = field(default_factory=list)
    answer: str = ""
    tags: list[str] = field(default_factory=list)
    lang: str = DEFAULT_LANG

    def phrasings(self) -> list[str]:
        """The question followed by its variants: every way this entry may be asked."""
        return [self.question, *self.variants]


@dataclass(frozen=True)
class FaqFile:
    """What a FAQ file holds: its entries, and the names of the fields that were ignored (in the
    order first met)."""

    entries: list[FaqEntry]
    ignored: tuple[str, ...] = ()

    @property
    def notice(self) -> tuple[str, dict[str, str]] | None:
        """The catalog key and values telling the teacher which fields were ignored, if any."""
        if not self.ignored:
            return None
        return "faq.ignored_fields", {"fields": ", ".join(self.ignored), "known": KNOWN_FIELDS}


class FaqImportError(DomainError):
    """A FAQ file was rejected; nothing from it was imported."""

    key = "faq.import_failed"

    def __init__(self, problems: list[tuple[int, str]], details: list[dict[str, Any]] | None = None) -> None:
        self.problems = list(problems)
        self.details = list(details) if details is not None else [{} for _ in self.problems]
        super().__init__(count=len(self.problems))


class _Collector:
    """`entry_of`: a CSV row's place among the file's entries, named with its row ("Ligne 4 (entrée 3)")."""

    def __init__(self, entry_of: Mapping[int, int] | None = None) -> None:
        self.problems: list[tuple[int, str]] = []
        self.details: list[dict[str, Any]] = []
        self.entry_of = entry_of or {}

    def add(self, row: int, reason: str, **params: Any) -> None:
        self.problems.append((row, reason))
        if row in self.entry_of:
            params["entry"] = self.entry_of[row]
        self.details.append(params)

    def raise_if_any(self) -> None:
        if self.problems:
            raise FaqImportError(self.problems, self.details)


def render_problems(error: FaqImportError, lang: str) -> list[str]:
    """One line per problem, in `lang`, e.g. "Ligne 3 : l'identifiant « x » est en double."."""
    from bot.i18n import t

    lines = []
    for (row, reason), params in zip(error.problems, error.details, strict=True):
        text = t(reason, lang, known=KNOWN_FIELDS, **params)  # `known`: for the messages that list the fields
        if not row:
            lines.append(text)
        elif "entry" in params:
            lines.append(t("faq.problem.at_row_entry", lang, row=row, entry=params["entry"], reason=text))
        else:
            lines.append(t("faq.problem.at_row", lang, row=row, reason=text))
    return lines


# ---------------------------------------------------------------- validation


def _as_text(value: Any, numbers: bool = False) -> str | None:
    """The stripped string; "" when absent; None when of another type (with `numbers`, an
    integer is read as its digits: TOML's `id = 7` is the id "7")."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value.strip()
    if numbers and isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return None


def normalise_lang(value: str) -> str:
    """The language code, "fr" or "en", from the ways it is written ("FR", "fr-CA", "Français", "english");
    anything else comes back lowercased, for the caller to refuse."""
    lang = value.strip().lower()
    if len(lang) > 2 and lang[:2] in LANGS and lang[2] in "-_":
        return lang[:2]
    plain = lang.replace("ç", "c")
    return LANG_NAMES.get(plain, lang)


def _as_list(value: Any) -> list[str] | None:
    """A list of non-empty strings, from a TOML array or a `|`-separated string."""
    if value is None:
        return []
    if isinstance(value, str):
        parts = value.split(LIST_SEPARATOR)
    elif isinstance(value, list) and all(isinstance(v, str) for v in value):
        parts = value
    else:
        return None
    return [p.strip() for p in parts if p.strip()]


def _fold_name(name: str) -> str:
    plain = unicodedata.normalize("NFKD", name.strip().lower())
    return "".join(c for c in plain if c.isalnum() and not unicodedata.combining(c))


def field_of(name: str) -> str | None:
    """The field a column or key names ("Variantes" → "variants"), or None when it names none."""
    folded = _fold_name(name)
    return folded if folded in FIELDS else FIELD_ALIASES.get(folded)


def misspelt_field(name: str) -> str | None:
    """The field an unknown name is probably a typo of ("varaints" → "variants"), if any."""
    close = difflib.get_close_matches(_fold_name(name), [*FIELDS, *FIELD_ALIASES], n=1, cutoff=0.8)
    return field_of(close[0]) if close else None


def _fields(names: Iterable[str], row: int, out: _Collector, ignored: dict[str, None]) -> dict[str, str]:
    """{name as written: field} for the names that are fields; a misspelt one or a field named
    twice is a problem; the others go to `ignored`."""
    mapped: dict[str, str] = {}
    for name in names:
        field_name = field_of(name)
        if field_name is None:
            if (guess := misspelt_field(name)) is not None:
                out.add(row, "faq.problem.unknown_field", field=name, guess=guess)
            else:
                ignored.setdefault(name.strip())
        elif field_name in mapped.values():
            out.add(row, "faq.problem.duplicate_field", field=field_name)
        else:
            mapped[name] = field_name
    return mapped


def _check_entry(
    given: Mapping[str, Any], row: int, seen: dict[str, int], out: _Collector, ignored: dict[str, None]
) -> FaqEntry | None:
    before = len(out.problems)
    raw = {field_name: given[name] for name, field_name in _fields(given, row, out, ignored).items()}
    badly_typed: set[str] = set()
    texts: dict[str, str] = {}
    for name in ("id", "question", "answer", "lang"):
        value = _as_text(raw.get(name), numbers=name == "id")
        if value is None:
            out.add(row, "faq.problem.bad_type", field=name)
        texts[name] = value if value is not None else ""
        if value is None:
            badly_typed.add(name)
    lists: dict[str, list[str]] = {}
    for name in ("variants", "tags"):
        value = _as_list(raw.get(name))
        if value is None:
            out.add(row, "faq.problem.bad_type", field=name)
            value = []
        lists[name] = value
    for name in REQUIRED:
        if not texts[name] and name not in badly_typed:
            out.add(row, f"faq.problem.missing_{name}")
    entry_id = texts["id"]
    if entry_id and not ID_PATTERN.fullmatch(entry_id):
        out.add(row, "faq.problem.bad_id", id=entry_id)
    elif entry_id:
        if entry_id in seen:
            out.add(row, "faq.problem.duplicate_id", id=entry_id, first=seen[entry_id])
        else:
            seen[entry_id] = row
    if len(texts["question"]) > MAX_QUESTION_CHARS:
        out.add(row, "faq.problem.question_too_long", length=len(texts["question"]), limit=MAX_QUESTION_CHARS)
    if len(texts["answer"]) > MAX_ANSWER_CHARS:
        out.add(row, "faq.problem.answer_too_long", length=len(texts["answer"]), limit=MAX_ANSWER_CHARS)
    lang = normalise_lang(texts["lang"]) or DEFAULT_LANG
    if lang not in LANGS:
        out.add(row, "faq.problem.bad_lang", lang=texts["lang"], allowed=", ".join(LANGS))
    if len(out.problems) > before:
        return None
    return FaqEntry(
        id=entry_id,
        question=texts["question"],
        variants=lists["variants"],
        answer=texts["answer"],
        tags=lists["tags"],
        lang=lang,
    )


def validate(
    rows: Iterable[tuple[int, Mapping[str, Any]]], entry_of: Mapping[int, int] | None = None
) -> FaqFile:
    """Check every `(row_number, mapping)`; all entries, or `FaqImportError` with every problem."""
    out = _Collector(entry_of)
    seen: dict[str, int] = {}
    ignored: dict[str, None] = {}
    entries = []
    for row, raw in rows:
        entry = _check_entry(raw, row, seen, out, ignored)
        if entry is not None:
            entries.append(entry)
    if not entries and not out.problems:
        out.add(0, "faq.problem.empty")
    out.raise_if_any()
    return FaqFile(entries, tuple(ignored))


# ---------------------------------------------------------------- reading


def decode_text(data: bytes, errors: str = "strict") -> str:
    """UTF-8 (with or without BOM), else the code page that spreadsheets on Windows still export
    in; `errors` as for `bytes.decode` (strict: UnicodeDecodeError when neither fits)."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors)


def _decode(data: bytes | str) -> str:
    if isinstance(data, str):
        return data.removeprefix("\ufeff")
    try:
        return decode_text(data)
    except UnicodeDecodeError:
        raise FaqImportError([(0, "faq.problem.unreadable")], [{"detail": "encoding"}]) from None


def parse_toml(text: str | bytes) -> FaqFile:
    """Entries from `[[faq]]` tables."""
    text = _decode(text)
    try:
        doc = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise FaqImportError([(0, "faq.problem.unreadable")], [{"detail": str(exc)}]) from None
    tables = doc.get("faq")
    # other top-level keys (a title, a version, a [meta] table) say nothing about the entries
    if not isinstance(tables, list) or not tables or not all(isinstance(t, dict) for t in tables):
        raise FaqImportError([(0, "faq.problem.no_faq_table")], [{}])
    return validate((n, table) for n, table in enumerate(tables, start=1))


def _sniff_delimiter(first_line: str) -> str:
    counts = {d: first_line.count(d) for d in (",", ";", "\t")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def parse_csv(text: str | bytes) -> FaqFile:
    """Entries from a CSV with a header row naming the columns."""
    text = _decode(text)
    if not text.strip():
        raise FaqImportError([(0, "faq.problem.empty")], [{}])
    delimiter = _sniff_delimiter(text.lstrip("\r\n").split("\n", 1)[0])
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    records = []
    try:  # numbered as a spreadsheet shows them: a record is one row, whatever lines its cells span
        for row, rec in enumerate(reader, start=1):
            records.append((row, rec))
    except csv.Error as exc:
        raise FaqImportError([(len(records) + 1, "faq.problem.unreadable")], [{"detail": str(exc)}]) from None
    records = [(line, rec) for line, rec in records if any(cell.strip() for cell in rec)]
    header_line, header = records[0]
    entry_of = {line: n for n, (line, _) in enumerate(records[1:], start=1)}
    out = _Collector(entry_of)
    ignored: dict[str, None] = {}
    mapped = _fields([c for c in header if c.strip()], header_line, out, ignored)
    # each cell under its field's name; "" for the columns that are ignored
    columns = [mapped.get(c, "") if c.strip() else "" for c in header]
    for name in REQUIRED:
        if name not in columns:
            out.add(header_line, "faq.problem.missing_column", column=name)
    out.raise_if_any()
    rows: list[tuple[int, dict[str, Any]]] = []
    for line, rec in records[1:]:
        if len(rec) > len(columns):
            out.add(line, "faq.problem.too_many_cells", count=len(rec), expected=len(columns))
            continue
        rows.append((line, {name: cell for name, cell in zip(columns, rec, strict=False) if name}))
    try:
        parsed = validate(rows, entry_of)
    except FaqImportError as exc:
        out.problems += exc.problems
        out.details += exc.details
        order = sorted(range(len(out.problems)), key=lambda i: out.problems[i][0])
        raise FaqImportError([out.problems[i] for i in order], [out.details[i] for i in order]) from None
    out.raise_if_any()
    return FaqFile(parsed.entries, tuple(ignored))  # the rows hold only field names: validate ignores none


def parse_base(filename: str, data: bytes | str) -> FaqFile:
    """Entries from a file, TOML or CSV chosen by the extension, else by the content."""
    name = filename.lower()
    if name.endswith(".toml"):
        return parse_toml(data)
    if name.endswith((".csv", ".tsv", ".txt")):
        return parse_csv(data)
    text = _decode(data)
    if re.search(r"^\s*\[\[\s*faq\s*\]\]", text, re.MULTILINE):
        return parse_toml(text)
    return parse_csv(text)


# ---------------------------------------------------------------- writing


def _toml_string(value: str) -> str:
    out = []
    for ch in value:
        if ch == "\\":
            out.append("\\\\")
        elif ch == '"':
            out.append('\\"')
        elif ch == "\n":
            out.append("\\n")
        elif ch == "\t":
            out.append("\\t")
        elif ch == "\r":
            out.append("\\r")
        elif ord(ch) < 0x20 or ord(ch) == 0x7F:
            out.append(f"\\u{ord(ch):04X}")
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


def _toml_array(values: list[str]) -> str:
    return "[" + ", ".join(_toml_string(v) for v in values) + "]"


def dump_toml(entries: Iterable[FaqEntry]) -> str:
    """A TOML document `parse_toml` reads back to the same entries."""
    blocks = []
    for e in entries:
        blocks.append(
            "\n".join(
                [
                    "[[faq]]",
                    f"id = {_toml_string(e.id)}",
                    f"lang = {_toml_string(e.lang)}",
                    f"question = {_toml_string(e.question)}",
                    f"variants = {_toml_array(e.variants)}",
                    f"answer = {_toml_string(e.answer)}",
                    f"tags = {_toml_array(e.tags)}",
                ]
            )
        )
    return "\n\n".join(blocks) + "\n"


def dump_csv(entries: Iterable[FaqEntry]) -> str:
    """A CSV document `parse_csv` reads back to the same entries.

    Raises ValueError if a variant or tag contains `|`, which CSV cannot carry.
    """
    buf = io.StringIO(newline="")
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(FIELDS)
    for e in entries:
        for item in (*e.variants, *e.tags):
            if LIST_SEPARATOR in item:
                raise ValueError(f"entry {e.id!r}: {item!r} contains {LIST_SEPARATOR!r}")
        writer.writerow(
            [e.id, e.question, LIST_SEPARATOR.join(e.variants), e.answer, LIST_SEPARATOR.join(e.tags), e.lang]
        )
    return buf.getvalue()
