"""FAQ base files: parsing, all-or-nothing validation, round trips, messages."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.i18n import catalog, t
from bot.i18n.messages.faq import MESSAGES
from bot.services.faq_base import (
    MAX_ANSWER_CHARS,
    FaqEntry,
    FaqImportError,
    dump_csv,
    dump_toml,
    parse_base,
    parse_csv,
    parse_toml,
    render_problems,
)

GOOD_TOML = """
[[faq]]
id = "exam-dates"
question = "Quand ont lieu les examens ?"
variants = ["C'est quand les partiels ?"]
answer = "Du **13 au 17 janvier**."
tags = ["examens"]
lang = "fr"

[[faq]]
id = "video-link"
question = "Where is the Zoom link?"
answer = "In the *Virtual classroom* block."
lang = "en"
"""

GOOD_CSV = (
    "id,question,variants,answer,tags,lang\r\n"
    "exam-dates,Quand ont lieu les examens ?,C'est quand les partiels ?|Dates des épreuves,"
    '"Du 13 au 17 janvier, en ligne.",examens|calendrier,fr\r\n'
    "video-link,Where is the Zoom link?,,In the block.,,en\r\n"
)


def problems(exc: pytest.ExceptionInfo[FaqImportError]) -> list[tuple[int, str]]:
    return exc.value.problems


def test_parse_toml_good():
    entries = parse_toml(GOOD_TOML).entries
    assert entries == [
        FaqEntry(
            "exam-dates",
            "Quand ont lieu les examens ?",
            ["C'est quand les partiels ?"],
            "Du **13 au 17 janvier**.",
            ["examens"],
            "fr",
        ),
        FaqEntry("video-link", "Where is the Zoom link?", [], "In the *Virtual classroom* block.", [], "en"),
    ]


def test_parse_csv_good():
    entries = parse_csv(GOOD_CSV).entries
    assert entries[0].variants == ["C'est quand les partiels ?", "Dates des épreuves"]
    assert entries[0].tags == ["examens", "calendrier"]
    assert entries[0].answer == "Du 13 au 17 janvier, en ligne."
    assert entries[1] == FaqEntry("video-link", "Where is the Zoom link?", [], "In the block.", [], "en")


def test_csv_semicolon_bom_and_windows_encoding():
    text = "id;question;answer\r\nfrais;Combien coûte la formation ?;Voir l'échéancier.\r\n"
    for data in (("\ufeff" + text).encode("utf-8"), text.encode("cp1252")):
        [entry] = parse_csv(data).entries
        assert entry.question == "Combien coûte la formation ?"
        assert entry.lang == "fr"  # default language


def test_parse_base_chooses_by_extension_then_content():
    assert len(parse_base("faq.toml", GOOD_TOML.encode()).entries) == 2
    assert len(parse_base("FAQ.CSV", GOOD_CSV).entries) == 2
    assert len(parse_base("upload", GOOD_TOML).entries) == 2
    assert len(parse_base("upload", GOOD_CSV.encode()).entries) == 2


def test_repository_base_is_valid():
    root = Path(__file__).resolve().parent.parent
    entries = parse_base("base.toml", (root / "data" / "faq" / "base.toml").read_bytes()).entries
    assert len(entries) >= 25
    assert {e.lang for e in entries} == {"fr", "en"}


@pytest.mark.parametrize(
    ("row", "reason"),
    [
        ("a,,answer,fr", "faq.problem.missing_question"),
        (",question,answer,fr", "faq.problem.missing_id"),
        ("a,question,,fr", "faq.problem.missing_answer"),
        ("a,question,answer,de", "faq.problem.bad_lang"),
        ("a b,question,answer,fr", "faq.problem.bad_id"),
        (f"a,question,{'x' * (MAX_ANSWER_CHARS + 1)},fr", "faq.problem.answer_too_long"),
        ("a,question,answer,fr,extra", "faq.problem.too_many_cells"),
    ],
)
def test_csv_each_bad_row_reason(row, reason):
    with pytest.raises(FaqImportError) as exc:
        parse_csv(f"id,question,answer,lang\nok,Fine?,Yes.,en\n{row}\n")
    assert problems(exc) == [(3, reason)]


@pytest.mark.parametrize(
    ("written", "lang"),
    [("FR", "fr"), ("fr-FR", "fr"), ("en_GB", "en"), ("Français", "fr"), ("english", "en"), ("", "fr")],
)
def test_language_as_teachers_write_it(written, lang):
    [entry] = parse_csv(f"id,question,answer,lang\na,q,r,{written}\n").entries
    assert entry.lang == lang


def test_toml_integer_ids_and_accented_ids_are_read():
    entries = parse_toml(
        '[[faq]]\nid = 7\nquestion = "q"\nanswer = "r"\n'
        '[[faq]]\nid = "dates-été"\nquestion = "q2"\nanswer = "r2"\n'
    ).entries
    assert [e.id for e in entries] == ["7", "dates-été"]
    with pytest.raises(FaqImportError) as exc:
        parse_toml('[[faq]]\nid = true\nquestion = "q"\nanswer = "r"\n')
    assert problems(exc) == [(1, "faq.problem.bad_type")]


def test_answer_of_exactly_the_limit_is_accepted():
    [entry] = parse_csv(f"id,question,answer\na,q,{'x' * MAX_ANSWER_CHARS}\n").entries
    assert len(entry.answer) == MAX_ANSWER_CHARS


def test_duplicate_id_names_first_row():
    with pytest.raises(FaqImportError) as exc:
        parse_csv("id,question,answer\na,q1,r1\nb,q2,r2\na,q3,r3\n")
    assert problems(exc) == [(4, "faq.problem.duplicate_id")]
    assert exc.value.details == [{"id": "a", "first": 2, "entry": 3}]


def test_all_or_nothing_collects_every_problem():
    text = "id,question,answer,lang\ngood,Q?,A.,fr\n,Q?,A.,fr\nx,,,xx\n"
    with pytest.raises(FaqImportError) as exc:
        parse_csv(text)
    assert problems(exc) == [
        (3, "faq.problem.missing_id"),
        (4, "faq.problem.missing_question"),
        (4, "faq.problem.missing_answer"),
        (4, "faq.problem.bad_lang"),
    ]
    assert exc.value.key == "faq.import_failed"
    assert exc.value.params == {"count": 4}


def test_csv_rows_are_numbered_as_a_spreadsheet_shows_them():
    """An answer over several lines is one row: the row after it is the next one, not the line
    after it in the file; blank rows count, as they do in the spreadsheet."""
    text = 'id,question,answer\na,q,"un\n\n- deux\n- trois"\n\nb,,r\n'
    with pytest.raises(FaqImportError) as exc:
        parse_csv(text)
    assert problems(exc) == [(4, "faq.problem.missing_question")]
    assert render_problems(exc.value, "en") == ["Row 4 (entry 2): missing question."]


def test_csv_header_problems():
    with pytest.raises(FaqImportError) as exc:
        parse_csv("id,question,anwser\na,q,r\n")
    assert problems(exc) == [(1, "faq.problem.unknown_field"), (1, "faq.problem.missing_column")]


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("[[faq]\nid = 1", "faq.problem.unreadable"),
        ("title = 'no faq'", "faq.problem.no_faq_table"),
        ("", "faq.problem.no_faq_table"),
    ],
)
def test_toml_file_level_problems(text, reason):
    with pytest.raises(FaqImportError) as exc:
        parse_toml(text)
    assert problems(exc) == [(0, reason)]


def test_toml_entry_problems_are_numbered_by_table():
    text = GOOD_TOML + '\n[[faq]]\nid = "exam-dates"\nquestion = 3\nanswer = "a"\nanwser = "typo"\n'
    with pytest.raises(FaqImportError) as exc:
        parse_toml(text)
    assert problems(exc) == [
        (3, "faq.problem.unknown_field"),
        (3, "faq.problem.bad_type"),
        (3, "faq.problem.duplicate_id"),
    ]


def test_unreadable_bytes_and_empty_files():
    with pytest.raises(FaqImportError) as exc:
        parse_csv(b"id,question,answer\na,\x81\x8d\x8f\x90\x9d,b\n")
    assert problems(exc) == [(0, "faq.problem.unreadable")]
    with pytest.raises(FaqImportError) as exc:
        parse_csv("id,question,answer\n")
    assert problems(exc) == [(0, "faq.problem.empty")]


def test_round_trip_toml_and_csv():
    entries = [
        FaqEntry(
            "a-1",
            'Il a dit "bonjour" ?',
            ["back\\slash", "tab\there"],
            "Ligne 1\nLigne 2 **gras**",
            ["x", "y"],
            "fr",
        ),
        FaqEntry("b.2", "Where, exactly?", [], 'Ünïcödé, commas; and "quotes".', [], "en"),
    ]
    assert parse_toml(dump_toml(entries)).entries == entries
    assert parse_csv(dump_csv(entries)).entries == entries


def test_dump_csv_refuses_separator_inside_a_variant():
    with pytest.raises(ValueError):
        dump_csv([FaqEntry("a", "q", ["x|y"], "r")])


def test_problems_render_in_both_languages():
    with pytest.raises(FaqImportError) as exc:
        parse_csv("id,question,answer,lang\na,q,r,de\na,q,r,fr\n")
    fr = render_problems(exc.value, "fr")
    en = render_problems(exc.value, "en")
    assert fr == [
        "Ligne 2 (entrée 1) : langue « de » inconnue (valeurs possibles : fr, en).",
        "Ligne 3 (entrée 2) : l'identifiant « a » est déjà utilisé ligne 2.",
    ]
    assert en[1] == "Row 3 (entry 2): the id “a” is already used on row 2."
    assert "{" not in t(exc.value.key, "en", **exc.value.params)


def test_catalog_keys_have_both_languages_and_prefix():
    merged = catalog()
    for key, texts in MESSAGES.items():
        assert key.startswith("faq.")
        assert set(texts) == {"fr", "en"} and all(texts.values())
        assert merged[key] is texts


def test_toml_other_top_level_keys_are_ignored():
    text = 'title = "FAQ Licence 1"\nversion = 2\n[meta]\nauthor = "prof"\n\n' + GOOD_TOML
    assert [e.id for e in parse_toml(text).entries] == [e.id for e in parse_toml(GOOD_TOML).entries]


def test_field_names_as_teachers_write_them():
    """Any case, singular or plural, French names: read as the fields they name."""
    text = (
        "ID;Question;Variantes;Réponse;Tag;Langue\n"
        "exam-dates;Quand ?;c quand|date exam;En juin.;exam;Français\n"
    )
    [entry] = parse_csv(text).entries
    assert entry == FaqEntry("exam-dates", "Quand ?", ["c quand", "date exam"], "En juin.", ["exam"], "fr")
    toml = '[[faq]]\nid = "a"\nquestion = "q"\nvariant = ["v"]\nAnswer = "r"\nlanguage = "en"\n'
    assert parse_toml(toml).entries == [FaqEntry("a", "q", ["v"], "r", [], "en")]


def test_fields_the_bot_does_not_read_are_ignored_and_named():
    text = "id,question,answer,category,author\nexam-dates,Quand ?,En juin.,exams,prof\nb,q,r,,\n"
    parsed = parse_csv(text)
    assert [e.id for e in parsed.entries] == ["exam-dates", "b"]
    assert parsed.ignored == ("category", "author")
    toml = (
        '[[faq]]\nid = "a"\nquestion = "q"\nanswer = "r"\ncategory = "x"\n'
        '[[faq]]\nid = "b"\nquestion = "q"\nanswer = "r"\nkeywords = ["k"]\ncategory = "y"\n'
    )
    assert parse_toml(toml).ignored == ("category", "keywords")
    assert parse_toml(GOOD_TOML).ignored == ()


def test_misspelt_or_repeated_field_refuses_the_file():
    with pytest.raises(FaqImportError) as exc:
        parse_toml('[[faq]]\nid = "a"\nquestion = "q"\nanswer = "r"\nvaraints = ["v"]\n')
    assert problems(exc) == [(1, "faq.problem.unknown_field")]
    assert exc.value.details[0] == {"field": "varaints", "guess": "variants"}
    assert "variants" in render_problems(exc.value, "en")[0]
    with pytest.raises(FaqImportError) as exc:
        parse_csv("id,question,answer,variants,variantes\na,q,r,v,w\n")
    assert problems(exc) == [(1, "faq.problem.duplicate_field")]
