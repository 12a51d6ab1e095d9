"""Synthetic rosters for benchmarks and tests: adult learners of a French distance-learning course.

Realistic on the points that matter for forming groups:

- where people live: mainland regions weighted by population, an over-represented
  overseas share (Guadeloupe, Martinique, Guyane, La Réunion, Mayotte,
  Nouvelle-Calédonie, Polynésie) and French speakers abroad, each with its IANA
  timezone;
- when they study: mostly weekday evenings after work (starting 20:00–22:00,
  often until midnight or 01:00), some weekend mornings or afternoons, a few
  night owls and weekend-only learners, and some who left the field empty;
- how they write it: French or English, in the many forms people use
  ("lun, jeu 21h-23h", "Mon-Thu 9pm-11pm", "de 21h à minuit en semaine"…);
- who they are: a short "about me" naming a background (care worker, shop
  assistant, job seeker…), the strategy ``mixed`` spreads those.

Everything is drawn from `random.Random(seed)`: same seed, same roster.
"""

from __future__ import annotations

import csv
import io
import random
from collections.abc import Iterable, Sequence
from typing import TextIO

from bot.services.availability import format_availability, parse_availability
from bot.services.formation import Learner, classify_background

ROSTER_COLUMNS = ("name", "city", "region", "timezone", "availability", "about")

# (region, timezone, weight, cities)
MAINLAND = (
    ("Île-de-France", 12.3, ("Paris", "Saint-Denis", "Créteil", "Versailles", "Argenteuil")),
    ("Auvergne-Rhône-Alpes", 8.1, ("Lyon", "Grenoble", "Clermont-Ferrand", "Saint-Étienne")),
    ("Hauts-de-France", 6.0, ("Lille", "Amiens", "Roubaix", "Calais")),
    ("Nouvelle-Aquitaine", 6.0, ("Bordeaux", "Limoges", "Poitiers", "Pau")),
    ("Occitanie", 6.0, ("Toulouse", "Montpellier", "Nîmes", "Perpignan")),
    ("Grand Est", 5.6, ("Strasbourg", "Reims", "Metz", "Mulhouse")),
    ("Provence-Alpes-Côte d'Azur", 5.1, ("Marseille", "Nice", "Toulon", "Avignon")),
    ("Pays de la Loire", 3.8, ("Nantes", "Angers", "Le Mans")),
    ("Bretagne", 3.4, ("Rennes", "Brest", "Quimper", "Lorient")),
    ("Normandie", 3.3, ("Rouen", "Caen", "Le Havre")),
    ("Bourgogne-Franche-Comté", 2.8, ("Dijon", "Besançon", "Auxerre")),
    ("Centre-Val de Loire", 2.6, ("Tours", "Orléans", "Bourges")),
    ("Corse", 0.35, ("Ajaccio", "Bastia")),
)
OVERSEAS = (
    ("Guadeloupe", "America/Guadeloupe", 3.0, ("Pointe-à-Pitre", "Les Abymes", "Basse-Terre")),
    ("Martinique", "America/Martinique", 2.8, ("Fort-de-France", "Le Lamentin")),
    ("Guyane", "America/Cayenne", 1.8, ("Cayenne", "Kourou", "Saint-Laurent-du-Maroni")),
    ("La Réunion", "Indian/Reunion", 4.5, ("Saint-Denis", "Saint-Pierre", "Le Tampon")),
    ("Mayotte", "Indian/Mayotte", 1.0, ("Mamoudzou", "Koungou")),
    ("Nouvelle-Calédonie", "Pacific/Noumea", 1.0, ("Nouméa", "Dumbéa")),
    ("Polynésie française", "Pacific/Tahiti", 0.7, ("Papeete", "Faaa")),
)
ABROAD = (
    ("Belgique", "Europe/Brussels", 1.5, ("Bruxelles", "Liège")),
    ("Suisse", "Europe/Zurich", 1.0, ("Genève", "Lausanne")),
    ("Luxembourg", "Europe/Luxembourg", 0.4, ("Luxembourg",)),
    ("Québec", "America/Toronto", 1.0, ("Montréal", "Québec")),
    ("Maroc", "Africa/Casablanca", 0.8, ("Casablanca", "Rabat")),
    ("Sénégal", "Africa/Dakar", 0.5, ("Dakar",)),
    ("Côte d'Ivoire", "Africa/Abidjan", 0.4, ("Abidjan",)),
    ("Royaume-Uni", "Europe/London", 0.4, ("Londres",)),
)
SHARE_MAINLAND, SHARE_OVERSEAS, SHARE_ABROAD = 0.80, 0.14, 0.06

FIRST_NAMES = (
    "Camille Léa Manon Chloé Emma Inès Sarah Julie Laura Marie Océane Nadia Fatou Aïcha Sandrine Nathalie "
    "Isabelle Céline Sophie Karine Mélissa Yasmine Coralie Maëva Léonie Hinano Moana Anaïs Audrey Élodie "
    "Thomas Lucas Hugo Nicolas Julien Maxime Kevin Mehdi Karim Mamadou Yannick Stéphane Olivier Sébastien "
    "David Jérôme Loïc Teva Jean-Marc Dylan Rayan Bilal Antoine Romain Cédric Fabrice Grégory Ludovic "
    "Matthieu Alexandre"
).split()
LAST_NAMES = (
    "Martin Bernard Thomas Petit Robert Richard Durand Dubois Moreau Laurent Simon Michel Lefèbvre Leroy "
    "Roux David Bertrand Morel Fournier Girard Bonnet Dupont Lambert Fontaine Rousseau Vincent Muller "
    "Lefèvre Faure André Mercier Blanc Guérin Boyer Garnier Chevalier François Legrand Gauthier Garcia "
    "Perrin Robin Clément Morin Nicolas Henry Roussel Mathieu Gautier Masson Marchand Duval Denis Dumont "
    "Marie Lemaire Noël Meyer Dufour Meunier Brun Blanchard Giraud Joly Rivière Lucas Brunet Gaillard "
    "Barbier Arnaud Martinez Gérard Roche Renard Schmitt Roy Leroux Colin Vidal Caron Picard Roger Fabre "
    "Aubert Lemoine Renaud Dumas Lacroix Olivier Philippe Bourgeois Pierre Benoît Rey Leclerc Payet "
    "Hoarau Grondin Fontaine Jean-Baptiste Alexis Tehei Nguyen Diallo Traoré Benali Haddad"
).split()

ABOUT = {
    "health": (
        "Aide-soignante en EHPAD depuis {years} ans, je prépare le concours d'infirmière.",
        "Infirmier de nuit, je reprends des études pour évoluer.",
        "Ambulancier, je veux passer un diplôme de cadre.",
        "Care worker in a nursing home, I want to become a nurse.",
    ),
    "education": (
        "Animatrice périscolaire, je vise le concours de professeur des écoles.",
        "ATSEM depuis {years} ans, j'aimerais enseigner.",
        "Formateur en entreprise, je veux valider un master.",
    ),
    "social": (
        "Auxiliaire de vie, je souhaite devenir éducatrice spécialisée.",
        "Aide à domicile, je veux me former au travail social.",
        "Médiatrice dans un quartier, je prépare un diplôme d'État.",
    ),
    "retail": (
        "Vendeuse en prêt-à-porter depuis {years} ans, je veux passer manager.",
        "Caissier en grande surface, je reprends mes études.",
        "Shop assistant, I would like to move into management.",
    ),
    "hospitality": (
        "Serveur en restauration, les horaires sont durs mais je m'accroche.",
        "Cuisinière dans un hôtel, je veux ouvrir mon restaurant.",
        "Boulanger, je me lève tôt et j'étudie le soir.",
    ),
    "tech": (
        "Technicien support informatique, je vise un poste de développeur.",
        "Web developer, self-taught, I need a diploma.",
        "Je travaille dans le numérique et je veux un titre reconnu.",
    ),
    "office": (
        "Assistante administrative dans une PME, je vise la comptabilité.",
        "Secrétaire médicale, je veux évoluer.",
        "Gestionnaire en assurance depuis {years} ans.",
    ),
    "industry": (
        "Électricien dans le bâtiment, je veux devenir chef de chantier.",
        "Ouvrier en usine, je prépare une reconversion.",
        "Mécanicien automobile, je reprends des études après {years} ans.",
    ),
    "logistics": (
        "Cariste en entrepôt, je travaille en horaires décalés.",
        "Chauffeur livreur, j'étudie le soir quand je peux.",
        "Warehouse team leader, studying for a logistics degree.",
    ),
    "agriculture": (
        "Ouvrier agricole, je veux reprendre l'exploitation familiale.",
        "Viticultrice, je me forme à la gestion.",
    ),
    "public": (
        "Agent de mairie, je prépare un concours de la fonction publique.",
        "Militaire en reconversion, je vise un diplôme en gestion.",
    ),
    "job_seeker": (
        "En recherche d'emploi après un congé parental, je veux me reconvertir.",
        "Sans emploi depuis un an, je reprends confiance avec ce cours.",
        "Looking for work after moving to France, I want a French diploma.",
    ),
}
BACKGROUND_WEIGHTS = {
    "health": 16, "education": 8, "social": 9, "retail": 12, "hospitality": 7, "tech": 7, "office": 12,
    "industry": 8, "logistics": 6, "agriculture": 2, "public": 4, "job_seeker": 9,
}

_FR_DAYS = ("lun", "mar", "mer", "jeu", "ven", "sam", "dim")
_FR_LONG = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")
_EN_DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


def _fr_time(minute: int, rng: random.Random) -> str:
    minute %= 1440
    hours, mins = divmod(minute, 60)
    if minute == 0 and rng.random() < 0.5:
        return "minuit"
    style = rng.random()
    if style < 0.55:
        return f"{hours}h{mins:02d}" if mins else f"{hours}h"
    if style < 0.9:
        return f"{hours:02d}:{mins:02d}"
    return f"{hours} h {mins:02d}" if mins else f"{hours} h"


def _en_time(minute: int, rng: random.Random) -> str:
    minute %= 1440
    if minute == 0 and rng.random() < 0.3:
        return "midnight"
    if rng.random() < 0.3:
        return f"{minute // 60:02d}:{minute % 60:02d}"
    hours, mins = divmod(minute, 60)
    suffix = "am" if hours < 12 else "pm"
    hours = hours % 12 or 12
    space = " " if rng.random() < 0.3 else ""
    return f"{hours}:{mins:02d}{space}{suffix}" if mins else f"{hours}{space}{suffix}"


def _day_text(days: Sequence[int], english: bool, rng: random.Random) -> str:
    names = _EN_DAYS if english else (_FR_LONG if rng.random() < 0.25 else _FR_DAYS)
    days = sorted(days)
    if len(days) >= 3 and days == list(range(days[0], days[-1] + 1)):
        if days == [0, 1, 2, 3, 4] and rng.random() < 0.4:
            return "weekdays" if english else rng.choice(("en semaine", "semaine"))
        return f"{names[days[0]]}-{names[days[-1]]}"
    joiner = rng.choice((", ", " & ")) if english else rng.choice((", ", " et ", ", "))
    return joiner.join(names[d] for d in days)


def _range_text(start: int, end: int, english: bool, rng: random.Random) -> str:
    if english:
        sep = rng.choice(("-", " - ", " to "))
        return f"{_en_time(start, rng)}{sep}{_en_time(end, rng)}"
    first, last = _fr_time(start, rng), _fr_time(end, rng)
    if rng.random() < 0.2:
        return f"de {first} à {last}"
    return f"{first}{rng.choice(('-', ' - ', '–'))}{last}"


def _availability_text(rng: random.Random) -> str:
    """One learner's weekly availability, as they would type it."""
    english = rng.random() < 0.2
    kind = rng.random()
    pieces: list[tuple[Sequence[int], int, int]] = []
    if kind < 0.05:
        return ""
    if kind < 0.13:  # weekend only
        for day in rng.sample((5, 6), rng.choice((1, 2))):
            start = rng.choice((540, 600, 840, 900))
            pieces.append(((day,), start, start + rng.choice((120, 180))))
    elif kind < 0.23:  # night owls
        days = sorted(rng.sample(range(5), rng.choice((3, 4, 5))))
        pieces.append((days, rng.choice((1320, 1350, 1380)), 1440 + rng.choice((0, 60, 90))))
    else:  # after work, on weekday evenings
        count = rng.choices((1, 2, 3, 4, 5), weights=(8, 22, 30, 20, 20))[0]
        days = sorted(rng.sample(range(5), count))
        start = rng.choices((1200, 1230, 1260, 1290, 1320), weights=(15, 15, 35, 20, 15))[0]
        end = min(start + rng.choices((60, 90, 120, 150, 180, 240), weights=(8, 14, 30, 18, 20, 10))[0], 1500)
        if count >= 3 and rng.random() < 0.25:  # one evening is different
            other = days.pop(rng.randrange(len(days)))
            pieces.append(((other,), start - 60, start + 60))
        pieces.append((days, start, end))
        if rng.random() < 0.45:
            day = rng.choice((5, 6))
            start = rng.choice((540, 570, 600, 840, 900, 1260))
            pieces.append(((day,), start, start + rng.choice((120, 150, 180))))
    texts = []
    for days, start, end in pieces:
        day_text, range_text = _day_text(days, english, rng), _range_text(start, end, english, rng)
        if not english and rng.random() < 0.1:
            texts.append(f"{range_text} {day_text}")
        else:
            texts.append(f"{day_text} {range_text}")
    return rng.choice((", ", "; ", ", ")).join(texts)


def _place(rng: random.Random) -> tuple[str, str, str]:
    """(city, region, timezone)."""
    draw = rng.random()
    if draw < SHARE_MAINLAND:
        region, _, cities = rng.choices(MAINLAND, weights=[w for _, w, _ in MAINLAND])[0]
        return rng.choice(cities), region, "Europe/Paris"
    table = OVERSEAS if draw < SHARE_MAINLAND + SHARE_OVERSEAS else ABROAD
    region, tz, _, cities = rng.choices(table, weights=[w for _, _, w, _ in table])[0]
    return rng.choice(cities), region, tz


def generate_roster(n: int, seed: int = 0) -> list[Learner]:
    """n learners with unique names, drawn from `random.Random(seed)`."""
    rng = random.Random(seed)
    learners: list[Learner] = []
    seen: dict[str, int] = {}
    categories = list(BACKGROUND_WEIGHTS)
    weights = [BACKGROUND_WEIGHTS[c] for c in categories]
    for index in range(n):
        name = f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
        seen[name] = seen.get(name, 0) + 1
        if seen[name] > 1:
            name = f"{name} {seen[name]}"
        city, region, tz = _place(rng)
        text = _availability_text(rng)
        category = rng.choices(categories, weights=weights)[0]
        about = rng.choice(ABOUT[category]).format(years=rng.randint(2, 15))
        learners.append(
            Learner(
                key=f"L{index + 1:05d}",
                name=name,
                city=city,
                region=region,
                timezone=tz,
                availability=parse_availability(text),
                about=about,
                background=classify_background(about),
                availability_text=text,
            )
        )
    return learners


def roster_csv_text(learners: Iterable[Learner], *, delimiter: str = ",", bom: bool = False) -> str:
    """A roster in the LMS export format (`name,city,region,timezone,availability,about`)."""
    buffer = io.StringIO()
    write_roster_csv(learners, buffer, delimiter=delimiter)
    return ("\ufeff" if bom else "") + buffer.getvalue()


def write_roster_csv(learners: Iterable[Learner], out: TextIO, *, delimiter: str = ",") -> None:
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\n")
    writer.writerow(ROSTER_COLUMNS)
    for learner in learners:
        text = learner.availability_text or (
            format_availability(learner.availability, "fr") if learner.availability else ""
        )
        writer.writerow((learner.name, learner.city, learner.region, learner.timezone, text, learner.about))
