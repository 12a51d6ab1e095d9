"""French regions as learners write them, for the `region` strategy of group formation.

A learner types `IDF`, `Île-de-France`, `région parisienne`, `93`, `Seine-Saint-Denis` or
`Rhône-Alpes` (a region merged in 2016): all name one region of today. `region_of` gives that
region's name, from what was written as the region (a region, its abbreviation, a former region, a
department's name or number, a postal code), else from the city (the main cities, a postal code
written with it). Anything else (a country, a place we do not know) is None: the caller keeps what
was written.

`timezone_of` guesses the timezone of a learner who gave a place but no timezone: a learner in
Pointe-à-Pitre is not on Paris time.
"""

from __future__ import annotations

import re
from functools import lru_cache

from bot.services.availability import zone_of_place
from bot.services.timewords import normalize

# region → departments (numbers), then the other names it goes by: its departments' names, former
# regions, abbreviations, English names, its main cities (none that two regions share: Saint-Denis,
# Saint-Pierre, Saint-Louis are left out)
_REGIONS: dict[str, tuple[str, str]] = {
    "Auvergne-Rhône-Alpes": (
        "01 03 07 15 26 38 42 43 63 69 73 74",
        "ARA, AURA, Auvergne, Rhône-Alpes, Ain, Allier, Ardèche, Cantal, Drôme, Isère, Loire, "
        "Haute-Loire, Puy-de-Dôme, Rhône, Savoie, Haute-Savoie, Lyon, Villeurbanne, Grenoble, "
        "Saint-Étienne, Clermont-Ferrand, Annecy, Chambéry, Valence, Vénissieux, Vichy, Montluçon, "
        "Moulins, Aurillac, Le Puy-en-Velay, Bourg-en-Bresse, Roanne, Privas, Thonon-les-Bains, Annemasse",
    ),
    "Bourgogne-Franche-Comté": (
        "21 25 39 58 70 71 89 90",
        "BFC, Bourgogne, Burgundy, Franche-Comté, Côte-d'Or, Doubs, Jura, Nièvre, Haute-Saône, "
        "Saône-et-Loire, Yonne, Territoire de Belfort, Dijon, Besançon, Belfort, Montbéliard, "
        "Chalon-sur-Saône, Mâcon, Auxerre, Nevers, Sens, Dole, Lons-le-Saunier, Vesoul, Le Creusot",
    ),
    "Bretagne": (
        "22 29 35 56",
        "BZH, Brittany, Breizh, Côtes-d'Armor, Finistère, Ille-et-Vilaine, Morbihan, Rennes, Brest, "
        "Quimper, Lorient, Vannes, Saint-Malo, Saint-Brieuc, Lannion, Morlaix, Fougères, Vitré, "
        "Concarneau",
    ),
    "Centre-Val de Loire": (
        "18 28 36 37 41 45",
        "CVL, Centre, Val de Loire, Cher, Eure-et-Loir, Indre, Indre-et-Loire, Loir-et-Cher, Loiret, "
        "Tours, Orléans, Bourges, Blois, Chartres, Châteauroux, Dreux, Vierzon, Montargis",
    ),
    "Corse": (
        "2A 2B 20",
        "Corsica, Corse-du-Sud, Haute-Corse, Ajaccio, Bastia, Porto-Vecchio, Calvi, Corte",
    ),
    "Grand Est": (
        "08 10 51 52 54 55 57 67 68 88",
        "Alsace, Lorraine, Champagne-Ardenne, Champagne, Ardennes, Aube, Marne, Haute-Marne, "
        "Meurthe-et-Moselle, Meuse, Moselle, Bas-Rhin, Haut-Rhin, Vosges, Strasbourg, Reims, Metz, "
        "Mulhouse, Nancy, Colmar, Troyes, Charleville-Mézières, Châlons-en-Champagne, Épinal, Thionville, "
        "Haguenau, Saint-Dizier, Chaumont, Verdun, Épernay, Forbach, Sarreguemines",
    ),
    "Hauts-de-France": (
        "02 59 60 62 80",
        "HDF, Nord-Pas-de-Calais, Picardie, Picardy, Aisne, Nord, Oise, Pas-de-Calais, Somme, Lille, "
        "Amiens, Roubaix, Tourcoing, Dunkerque, Calais, Villeneuve-d'Ascq, Valenciennes, "
        "Boulogne-sur-Mer, Arras, Douai, Lens, Béthune, Beauvais, Compiègne, Saint-Quentin, Laon, "
        "Soissons, Maubeuge, Cambrai",
    ),
    "Île-de-France": (
        "75 77 78 91 92 93 94 95",
        "IDF, Ile de France, Région parisienne, Paris region, Paris area, Greater Paris, Grand Paris, "
        "Paris, Seine-et-Marne, Yvelines, Essonne, Hauts-de-Seine, Seine-Saint-Denis, Val-de-Marne, "
        "Val-d'Oise, Boulogne-Billancourt, Montreuil, Argenteuil, Nanterre, Créteil, Versailles, "
        "Vitry-sur-Seine, Colombes, Asnières-sur-Seine, Aulnay-sous-Bois, Courbevoie, Rueil-Malmaison, "
        "Champigny-sur-Marne, Saint-Maur-des-Fossés, Aubervilliers, Drancy, Noisy-le-Grand, Cergy, "
        "Pontoise, Évry, Évry-Courcouronnes, Melun, Meaux, Massy, Ivry-sur-Seine, Issy-les-Moulineaux, "
        "Levallois-Perret, Neuilly-sur-Seine, Clichy, Pantin, Bobigny, Saint-Germain-en-Laye, "
        "Marne-la-Vallée, Vincennes, Sarcelles, Chelles",
    ),
    "Normandie": (
        "14 27 50 61 76",
        "Normandy, Haute-Normandie, Basse-Normandie, Calvados, Eure, Manche, Orne, Seine-Maritime, Rouen, "
        "Le Havre, Caen, Cherbourg, Cherbourg-en-Cotentin, Évreux, Dieppe, Alençon, Lisieux, Saint-Lô, "
        "Vernon, Fécamp, Bayeux, Granville",
    ),
    "Nouvelle-Aquitaine": (
        "16 17 19 23 24 33 40 47 64 79 86 87",
        "NAQ, Aquitaine, Limousin, Poitou-Charentes, Poitou, Charente, Charente-Maritime, Corrèze, "
        "Creuse, Dordogne, Gironde, Landes, Lot-et-Garonne, Pyrénées-Atlantiques, Deux-Sèvres, Vienne, "
        "Haute-Vienne, Pays basque, Bordeaux, Limoges, Poitiers, Pau, La Rochelle, Mérignac, Pessac, "
        "Niort, Bayonne, Angoulême, Biarritz, Brive, Brive-la-Gaillarde, Périgueux, Agen, Mont-de-Marsan, "
        "Dax, Tulle, Guéret, Rochefort, Saintes, Châtellerault, Royan, Arcachon, Bergerac, Anglet",
    ),
    "Occitanie": (
        "09 11 12 30 31 32 34 46 48 65 66 81 82",
        "OCC, Languedoc-Roussillon, Languedoc, Midi-Pyrénées, Ariège, Aude, Aveyron, Gard, Haute-Garonne, "
        "Gers, Hérault, Lot, Lozère, Hautes-Pyrénées, Pyrénées-Orientales, Tarn, Tarn-et-Garonne, "
        "Toulouse, Montpellier, Nîmes, Perpignan, Béziers, Narbonne, Carcassonne, Albi, Montauban, "
        "Tarbes, Rodez, Sète, Castres, Alès, Cahors, Auch, Foix, Mende, Lourdes, Colomiers, Millau, Agde, "
        "Lunel",
    ),
    "Pays de la Loire": (
        "44 49 53 72 85",
        "PDL, PDLL, Loire-Atlantique, Maine-et-Loire, Mayenne, Sarthe, Vendée, Nantes, Angers, Le Mans, "
        "Saint-Nazaire, La Roche-sur-Yon, Cholet, Laval, Saumur, Rezé, Les Sables-d'Olonne, "
        "Saint-Herblain",
    ),
    "Provence-Alpes-Côte d'Azur": (
        "04 05 06 13 83 84",
        "PACA, Provence, Côte d'Azur, French Riviera, Alpes-de-Haute-Provence, Hautes-Alpes, "
        "Alpes-Maritimes, Bouches-du-Rhône, Var, Vaucluse, Marseille, Nice, Toulon, Aix-en-Provence, "
        "Avignon, Antibes, Cannes, La Seyne-sur-Mer, Hyères, Fréjus, Arles, Grasse, Martigues, Aubagne, "
        "Gap, Digne, Digne-les-Bains, Salon-de-Provence, Istres, Cagnes-sur-Mer, Menton, Draguignan, "
        "Carpentras, Orange, Manosque, Briançon, Saint-Raphaël, Vitrolles",
    ),
    "Guadeloupe": (
        "971",
        "Gwada, Pointe-à-Pitre, Basse-Terre, Les Abymes, Baie-Mahault, Le Gosier, Sainte-Anne",
    ),
    "Martinique": (
        "972",
        "Madinina, Fort-de-France, Le Lamentin, Schœlcher, Le Robert, Ducos",
    ),
    "Guyane": (
        "973",
        "Guyane française, French Guiana, Cayenne, Kourou, Saint-Laurent-du-Maroni, Matoury",
    ),
    "La Réunion": (
        "974",
        "Réunion, Île de la Réunion, Reunion Island, Le Tampon, Saint-Paul, Le Port",
    ),
    "Mayotte": (
        "976",
        "Mamoudzou, Dzaoudzi",
    ),
    "Saint-Pierre-et-Miquelon": (
        "975",
        "SPM, Miquelon",
    ),
    "Saint-Barthélemy": (
        "977",
        "Saint-Barth, St Barth, St Barts",
    ),
    "Saint-Martin": (
        "978",
        "Marigot",
    ),
    "Wallis-et-Futuna": (
        "986",
        "Wallis, Futuna, Mata-Utu",
    ),
    "Polynésie française": (
        "987",
        "Polynésie, French Polynesia, Tahiti, Papeete, Moorea",
    ),
    "Nouvelle-Calédonie": (
        "988",
        "New Caledonia, Calédonie, Nouméa, Caillou",
    ),
}

# words that may stand before a place and say nothing more ("région Bretagne", "dpt 69", "la Réunion")
_LEAD = re.compile(
    r"^(?:(?:region|departement|dept|dpt|dep|province|ville de|ville|city of|the|la|le|les|l|en|a)\s+)+"
)
_POSTAL = re.compile(r"^\d{5}$")


def _key(text: str) -> str:
    text = normalize(text).replace("œ", "oe")
    text = re.sub(r"[-'’_/.,]+", " ", text)
    text = re.sub(r"\bst\b", "saint", text)
    text = re.sub(r"\bste\b", "sainte", text)
    return _LEAD.sub("", " ".join(text.split()))


def _table() -> dict[str, str]:
    table: dict[str, str] = {}
    for region, (numbers, names) in _REGIONS.items():
        for number in numbers.split():
            table[number.lower()] = region
            if number.startswith("0"):
                table[number[1:]] = region  # "1" as well as "01"
        for name in (region, *names.split(", ")):
            table[_key(name)] = region
    return table


_TABLE = _table()


def _department_of_postal(code: str) -> str:
    """The department a French postal code is in: 69003 → 69, 97411 → 974, 20000 → 20 (Corse)."""
    return code[:3] if code.startswith(("97", "98")) else code[:2]


def _lookup(text: str) -> str | None:
    """The region a piece of text names, trying it whole, then without its brackets, then inside them
    ("Guadeloupe (971)"), then without its numbers ("Paris 15"), then each of its numbers ("69003")."""
    if not text or not text.strip():
        return None
    inside = re.findall(r"\(([^)]*)\)", text)
    outside = re.sub(r"\([^)]*\)", " ", text)
    words = re.sub(r"\d+", " ", outside)  # "Paris 15", "Lyon 69003": the city first
    for candidate in (text, outside, *inside, words):
        if (found := _TABLE.get(_key(candidate))) is not None:
            return found
    for number in re.findall(r"\b\d{2,5}\b|\b2[ab]\b", text.lower()):
        code = _department_of_postal(number) if _POSTAL.match(number) else number
        if (found := _TABLE.get(code)) is not None:
            return found
    return None


@lru_cache(maxsize=4096)
def region_of(region: str, city: str = "") -> str | None:
    """Today's French region named by what the learner wrote as their region, else by their city;
    None when neither names one."""
    return _lookup(region) or _lookup(city)


# today's regions in mainland France and Corsica (their departments are not numbered 97x, 98x): Paris time
_MAINLAND = frozenset(region for region, (numbers, _) in _REGIONS.items() if not numbers.startswith("9"))


@lru_cache(maxsize=4096)
def timezone_of(city: str, region: str) -> str | None:
    """The timezone of the place a learner wrote (their city first, then their region, then the
    French region either names); None when it names none."""
    for place in (city, region):
        if place and place.strip() and (zone := zone_of_place(place)) is not None:
            return zone
    found = region_of(region, city)
    if found is None:
        return None
    return "Europe/Paris" if found in _MAINLAND else zone_of_place(found)
