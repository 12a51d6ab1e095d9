"""Roster CSV from the LMS: real-world quirks accepted, every bad row reported with its line."""

import pytest

from bot.i18n import t
from bot.services.roster import RosterError, parse_roster_csv
from bot.services.synthetic import generate_roster, roster_csv_text

HEADER = "name,city,region,timezone,availability,about\n"


def problems(text, **kw):
    with pytest.raises(RosterError) as info:
        parse_roster_csv(text, **kw)
    return [(line, key) for line, key, _ in info.value.problems], info.value


def test_plain_roster():
    row = 'Alice Martin,Rennes,Bretagne,Europe/Paris,"lun 20:00-22:00, sam 09:00-12:00",Aide-soignante\n'
    text = HEADER + row
    [alice] = parse_roster_csv(text)
    assert (alice.name, alice.city, alice.region, alice.timezone) == (
        "Alice Martin",
        "Rennes",
        "Bretagne",
        "Europe/Paris",
    )
    assert alice.availability.intervals == ((0, 1200, 1320), (5, 540, 720))
    assert alice.background == "health"
    assert alice.availability_text == "lun 20:00-22:00, sam 09:00-12:00"


def test_excel_quirks_bom_semicolons_extra_columns_blank_lines_and_defaults():
    text = (
        "\ufeffNom;Ville;Région;Fuseau horaire;Disponibilités;À propos;Email\r\n"
        "\r\n"
        "Bob;Fort-de-France;Martinique;america/martinique;lun, mer 20h-22h;Vendeur;bob@example.org\r\n"
        ";;;;;;\r\n"
        "Chloé;Lyon;Auvergne-Rhône-Alpes;;;;\r\n"
        "Dan;;;;;;\r\n"
    )
    bob, chloe, dan = parse_roster_csv(text.encode("utf-8"), default_tz="Europe/Brussels")
    assert bob.timezone == "America/Martinique" and bob.availability.total_minutes == 240
    assert chloe.timezone == "Europe/Paris" and not chloe.availability  # her city's zone, not the default
    assert chloe.name == "Chloé"
    assert dan.timezone == "Europe/Brussels"  # no place, no zone: the default


def test_lms_export_with_first_name_and_surname_columns():
    text = (
        "Prénom;Nom;Adresse de courriel;Ville;Région;Fuseau horaire;Disponibilités;À propos\n"
        "Marie;Dupont;m@example.org;Lyon;ARA;Europe/Paris;lun 20h-22h;\n"
        "Ali;Dupont;a@example.org;Nouméa;NC;Pacific/Noumea;sam matin;\n"
    )
    marie, ali = parse_roster_csv(text)
    assert (marie.name, ali.name) == ("Marie Dupont", "Ali Dupont")  # namesakes by surname, told apart
    [ana] = parse_roster_csv("First name,Surname,City,Region,Timezone,Availability,About\nAna,Lopez,,,,,\n")
    assert ana.name == "Ana Lopez"


def test_windows_1252_bytes():
    text = (HEADER.replace(",", ";") + "Zoé;Nîmes;Occitanie;Europe/Paris;sam 9h-12h;\n").encode("cp1252")
    [zoe] = parse_roster_csv(text)
    assert zoe.name == "Zoé" and zoe.city == "Nîmes"


def test_columns_in_any_order_and_quoted_newlines_keep_line_numbers():
    text = (
        "about,availability,name,timezone,region,city\n"
        '"Deux\nlignes",lun 20h-22h,Ana,Europe/Paris,IDF,Paris\n'
        ",xx 20h,Ben,Europe/Paris,IDF,Paris\n"
    )
    found, _ = problems(text)
    assert found == [(4, "planning.time.unknown_word")]


def test_all_bad_rows_are_listed_with_line_numbers():
    text = (
        HEADER
        + "Alice,Paris,IDF,Europe/Paris,lun 20h-22h,\n"
        + ",Paris,IDF,Europe/Paris,lun 20h-22h,\n"  # 3: no name
        + "Bob,Paris,IDF,Europe/Pariss,lun 20h-22h,\n"  # 4: bad timezone
        + "\n"
        + "Carl,Paris,IDF,Europe/Paris,lundi vers le soir peut-être,\n"  # 6: unknown words
        + "alice,Paris,IDF,Europe/Paris,,\n"  # 7: same name as line 2
        + "Dan,Paris\n"  # 8: too few values
        + "Eve,Paris,IDF,Europe/Paris,lun 20h-22h,mar 19h-21h,oops\n"  # 9: unquoted comma
        + "Fay,Paris,IDF,UTC+15,lun 25h-26h,\n"  # 10: two problems
    )
    found, error = problems(text)
    assert found == [
        (3, "planning.roster.missing_name"),
        (4, "planning.timezone.unknown"),
        (6, "planning.time.unknown_word"),
        (7, "planning.roster.duplicate_name"),
        (8, "planning.roster.too_few_fields"),
        (9, "planning.roster.too_many_fields"),
        (10, "planning.timezone.unknown"),
        (10, "planning.time.bad_time"),
    ]
    assert error.params == {"count": 8}
    for _, key, params in error.problems:
        for lang in ("fr", "en"):
            assert "{" not in t(key, lang, **params)


def test_missing_columns_reported_on_the_header_line():
    found, error = problems("name;city;timezone\nA;B;Europe/Paris\n")
    assert found == [(1, "planning.roster.missing_columns")]
    assert error.problems[0][2]["columns"] == "region, availability, about"


@pytest.mark.parametrize("text", ["", "\n\n", "\ufeff", HEADER])
def test_empty_roster(text):
    found, _ = problems(text)
    assert [key for _, key in found] == ["planning.roster.empty"]


@pytest.mark.parametrize("delimiter", [",", ";", "\t"])
def test_synthetic_roster_round_trip(delimiter):
    roster = generate_roster(300, 8)
    back = parse_roster_csv(roster_csv_text(roster, delimiter=delimiter, bom=True))
    assert [(lr.name, lr.timezone, lr.availability, lr.background) for lr in back] == [
        (lr.name, lr.timezone, lr.availability, lr.background) for lr in roster
    ]


def test_an_overseas_learner_without_a_timezone_gets_their_places_zone():
    text = "name,city,region,timezone,availability,about\nLéa,Pointe-à-Pitre,,,lun 20h-22h,\nNoé,,974,,,\n"
    lea, noe = parse_roster_csv(text.encode("utf-8"), default_tz="Europe/Paris")
    assert (lea.timezone, noe.timezone) == ("America/Guadeloupe", "Indian/Reunion")
