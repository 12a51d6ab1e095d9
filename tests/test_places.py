"""French regions as learners write them (bot/services/places.py) and the region strategy using them."""

from __future__ import annotations

from datetime import date

import pytest

from bot.services.formation import Learner, plan_groups
from bot.services.places import region_of, timezone_of


@pytest.mark.parametrize(
    ("region", "city", "expected"),
    [
        ("IDF", "", "Île-de-France"),
        ("ile de france", "", "Île-de-France"),
        ("Région parisienne", "", "Île-de-France"),
        ("93", "", "Île-de-France"),
        ("Seine-Saint-Denis", "", "Île-de-France"),
        ("", "Paris 15", "Île-de-France"),
        ("", "75011", "Île-de-France"),
        ("Rhône-Alpes", "", "Auvergne-Rhône-Alpes"),  # a region merged in 2016
        ("AURA", "", "Auvergne-Rhône-Alpes"),
        ("dpt 69", "", "Auvergne-Rhône-Alpes"),
        ("01", "", "Auvergne-Rhône-Alpes"),
        ("", "Lyon 69003", "Auvergne-Rhône-Alpes"),
        ("", "St Étienne", "Auvergne-Rhône-Alpes"),
        ("Nord-Pas-de-Calais", "", "Hauts-de-France"),
        ("Midi-Pyrénées", "", "Occitanie"),
        ("PACA", "", "Provence-Alpes-Côte d'Azur"),
        ("Côte d'Or", "", "Bourgogne-Franche-Comté"),
        ("Normandy", "", "Normandie"),
        ("2A", "", "Corse"),
        ("", "20000 Ajaccio", "Corse"),
        ("Guadeloupe (971)", "", "Guadeloupe"),
        ("", "Pointe-à-Pitre", "Guadeloupe"),
        ("", "Schœlcher", "Martinique"),
        ("Reunion", "", "La Réunion"),
        ("", "97430 Le Tampon", "La Réunion"),
        ("Tahiti", "", "Polynésie française"),
        ("", "Nouméa", "Nouvelle-Calédonie"),
        ("Bretagne", "Lyon", "Bretagne"),  # the region written wins over the city
    ],
)
def test_a_region_as_learners_write_it(region, city, expected):
    assert region_of(region, city) == expected


@pytest.mark.parametrize(
    ("region", "city"),
    [("Belgique", "Bruxelles"), ("Québec", "Montréal"), ("", "Saint-Denis"), ("Sud", ""), ("", "")],
)
def test_what_names_no_french_region_is_none(region, city):
    assert region_of(region, city) is None  # Saint-Denis is in two regions; "Sud" in several


def test_the_region_strategy_groups_the_ways_of_writing_one_region():
    written = [
        ("IDF", ""),
        ("Île-de-France", ""),
        ("93", ""),
        ("", "Paris 15"),
        ("Rhône-Alpes", ""),
        ("69", ""),
        ("", "Lyon"),
        ("AURA", ""),
        ("Belgique", "Liège"),
        ("belgique", "Namur"),
        ("Belgique", "Liège"),
        ("Belgique", "Mons"),
    ]
    people = [
        Learner(key=f"l{i}", name=f"Learner {i:02}", region=region, city=city)
        for i, (region, city) in enumerate(written)
    ]
    groups = plan_groups(people, "region", 4, 4, reference_date=date(2026, 11, 23))
    assert sorted(g.regions for g in groups) == [
        ("Auvergne-Rhône-Alpes",),
        ("Belgique",),  # as written: no French region
        ("Île-de-France",),
    ]


@pytest.mark.parametrize(
    ("city", "region", "zone"),
    [
        ("Pointe-à-Pitre", "", "America/Guadeloupe"),
        ("", "Guadeloupe (971)", "America/Guadeloupe"),
        ("", "974", "Indian/Reunion"),
        ("Kourou", "", "America/Cayenne"),
        ("Papeete", "", "Pacific/Tahiti"),
        ("Lyon 69003", "", "Europe/Paris"),
        ("", "IDF", "Europe/Paris"),
        ("Dakar", "Sénégal", "Africa/Dakar"),
        ("Montréal", "Québec", "America/Montreal"),
        ("", "Est", None),  # a French word, not the zone EST
        ("Saint-Denis", "", None),  # in Île-de-France and in La Réunion
        ("", "", None),
    ],
)
def test_the_timezone_of_a_place_given_without_one(city, region, zone):
    assert timezone_of(city, region) == zone
