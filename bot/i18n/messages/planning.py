"""Messages for learner availability, group formation and the roster CLI (`groups plan`)."""

_DAYS_FR = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")
_DAYS_EN = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_SHORT_FR = ("lun", "mar", "mer", "jeu", "ven", "sam", "dim")
_SHORT_EN = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")

MESSAGES = {
    # --- days and availability display
    **{f"planning.day.{i}": {"fr": _DAYS_FR[i], "en": _DAYS_EN[i]} for i in range(7)},
    **{f"planning.day.short.{i}": {"fr": _SHORT_FR[i], "en": _SHORT_EN[i]} for i in range(7)},
    "planning.availability.none": {
        "fr": "aucune disponibilité",
        "en": "no availability",
    },
    "planning.availability.separator": {
        "fr": " ; ",
        "en": "; ",
    },
    # --- reading days and times
    "planning.time.unreadable": {
        "fr": "Je n'ai pas compris « {value} ». Écrivez des jours et des heures, par exemple : {example}",
        "en": "I could not read “{value}”. Write days and times, for example: {example}",
    },
    "planning.time.unknown_word": {
        "fr": "« {value} » n'est ni un jour ni une heure. Exemple : {example}",
        "en": "“{value}” is neither a day nor a time. Example: {example}",
    },
    "planning.time.bad_time": {
        "fr": "« {value} » n'est pas une heure valable (de 00:00 à 24:00, ou 1–12 am/pm). Exemple : {example}",
        "en": "“{value}” is not a valid time (00:00 to 24:00, or 1–12 am/pm). Example: {example}",
    },
    "planning.time.empty_range": {
        "fr": "La plage « {value} » commence et finit à la même heure. Exemple : {example}",
        "en": "The range “{value}” starts and ends at the same time. Example: {example}",
    },
    "planning.time.missing_day": {
        "fr": "Quel jour pour « {value} » ? Indiquez le jour avant l'heure. Exemple : {example}",
        "en": "Which day for “{value}”? Put the day before the time. Example: {example}",
    },
    "planning.time.missing_time": {
        "fr": "Il manque l'heure pour « {value} ». Exemple : {example}",
        "en": "The time is missing for “{value}”. Example: {example}",
    },
    "planning.time.expected_range": {
        "fr": "« {value} » est une heure seule : donnez une plage (début-fin). Exemple : {example}",
        "en": "“{value}” is a single time: give a range (start-end). Example: {example}",
    },
    "planning.time.expected_point": {
        "fr": "« {value} » est une plage : donnez une heure de début seule. Exemple : {example}",
        "en": "“{value}” is a range: give a single start time. Example: {example}",
    },
    "planning.time.backwards_range": {
        "fr": "La plage « {value} » finit avant de commencer (une plage qui passe minuit dure 12 h au plus). "
        "Exemple : {example}",
        "en": "The range “{value}” ends before it starts (a range past midnight lasts 12 hours at most). "
        "Example: {example}",
    },
    "planning.time.empty": {
        "fr": "Aucun jour ni horaire indiqué. Exemple : {example}",
        "en": "No day or time given. Example: {example}",
    },
    "planning.timezone.unknown": {
        "fr": "Fuseau horaire inconnu : « {value} ». Utilisez un nom IANA, par exemple {example}, "
        "une ville ou un décalage (UTC+1).",
        "en": "Unknown timezone: “{value}”. Use an IANA name, for example {example}, "
        "a city or an offset (UTC+1).",
    },
    # --- formation
    "planning.size.invalid": {
        "fr": "Tailles de groupe impossibles : minimum {min}, maximum {max}. "
        "Il faut 1 ≤ minimum ≤ maximum, par exemple 5-6.",
        "en": "Impossible group sizes: minimum {min}, maximum {max}. "
        "It must be 1 ≤ minimum ≤ maximum, for example 5-6.",
    },
    "planning.size.unreadable": {
        "fr": "Je n'ai pas compris la taille « {value} ». Exemple : {example}",
        "en": "I could not read the size “{value}”. Example: {example}",
    },
    "planning.strategy.unknown": {
        "fr": "Stratégie inconnue : « {value} ». Choix possibles : {choices}.",
        "en": "Unknown strategy: “{value}”. Possible choices: {choices}.",
    },
    "planning.strategy.availability": {
        "fr": "disponibilités communes",
        "en": "shared availability",
    },
    "planning.strategy.region": {"fr": "région puis ville", "en": "region, then city"},
    "planning.strategy.mixed": {
        "fr": "parcours variés avec un créneau commun",
        "en": "mixed backgrounds with a shared slot",
    },
    "planning.strategy.alphabetical": {"fr": "ordre alphabétique", "en": "alphabetical order"},
    "planning.strategy.random": {"fr": "tirage au sort", "en": "random draw"},
    # --- roster CSV
    "planning.roster.invalid": {
        "fr": "La liste des apprenants contient {count} erreur(s) ; aucun groupe n'a été formé.",
        "en": "The learner roster has {count} error(s); no groups were formed.",
    },
    "planning.roster.problem": {
        "fr": "ligne {line} : {reason}",
        "en": "line {line}: {reason}",
    },
    "planning.roster.empty": {
        "fr": "Le fichier ne contient aucun apprenant (il faut une ligne d'en-tête puis une ligne par personne).",
        "en": "The file has no learners (it needs a header line, then one line per person).",
    },
    "planning.roster.missing_columns": {
        "fr": "Colonnes manquantes dans l'en-tête : {columns}. Attendu : {expected}",
        "en": "Missing columns in the header: {columns}. Expected: {expected}",
    },
    "planning.roster.duplicate_column": {
        "fr": "La colonne « {column} » apparaît deux fois dans l'en-tête.",
        "en": "The column “{column}” appears twice in the header.",
    },
    "planning.roster.missing_name": {
        "fr": "le nom est vide.",
        "en": "the name is empty.",
    },
    "planning.roster.duplicate_name": {
        "fr": "« {name} » figure déjà ligne {first_line} ; distinguez les homonymes (initiale, numéro…).",
        "en": "“{name}” is already on line {first_line}; tell namesakes apart (initial, number…).",
    },
    "planning.roster.too_few_fields": {
        "fr": "{found} valeur(s) au lieu de {expected} ; vérifiez le séparateur et les guillemets.",
        "en": "{found} value(s) instead of {expected}; check the separator and quotes.",
    },
    "planning.roster.too_many_fields": {
        "fr": "{found} valeurs au lieu de {expected} ; mettez entre guillemets un champ qui contient "
        "le séparateur (par exemple les disponibilités).",
        "en": "{found} values instead of {expected}; put quotes around a field that contains "
        "the separator (availability, for example).",
    },
    "planning.roster.unreadable_file": {
        "fr": "Fichier CSV illisible : {detail}",
        "en": "Unreadable CSV file: {detail}",
    },
    # --- CLI output
    "planning.cli.file_not_found": {
        "fr": "Fichier introuvable ou illisible : {path}",
        "en": "File not found or unreadable: {path}",
    },
    "planning.cli.bad_date": {
        "fr": "Date invalide : « {value} ». Format attendu : AAAA-MM-JJ, par exemple 2026-10-05.",
        "en": "Invalid date: “{value}”. Expected format: YYYY-MM-DD, for example 2026-10-05.",
    },
    "planning.cli.header": {
        "fr": "{count} apprenants, {groups} groupes de {min} à {max} — stratégie : {strategy} (graine {seed}).",
        "en": "{count} learners, {groups} groups of {min} to {max} — strategy: {strategy} (seed {seed}).",
    },
    "planning.cli.group": {
        "fr": "Groupe {number} — {size} membres — {hours} h communes par semaine — {regions}",
        "en": "Group {number} — {size} members — {hours} shared hours per week — {regions}",
    },
    "planning.cli.shared_times": {
        "fr": "  Créneaux communs ({timezone}) : {times}",
        "en": "  Shared slots ({timezone}): {times}",
    },
    "planning.cli.unknown_members": {
        "fr": "  Disponibilités non renseignées, non prises en compte dans les heures communes : {names}",
        "en": "  No availability given, not counted in the shared hours: {names}",
    },
    "planning.cli.availability_not_given": {
        "fr": "disponibilités non renseignées",
        "en": "availability not given",
    },
    "planning.cli.member": {
        "fr": "  - {name} ({city}, {region}, {timezone}) : {availability}",
        "en": "  - {name} ({city}, {region}, {timezone}): {availability}",
    },
    "planning.cli.summary": {
        "fr": "Résumé : {with_hour} groupe(s) sur {groups} partagent au moins 1 h par semaine ; "
        "en moyenne {average} h communes.",
        "en": "Summary: {with_hour} of {groups} group(s) share at least 1 hour a week; "
        "{average} shared hours on average.",
    },
    "planning.cli.unknown_summary": {
        "fr": "{count} apprenant(s) n'ont pas donné leurs disponibilités (répartis dans {groups} groupe(s)) : "
        "les heures communes d'un groupe sont celles de ses membres qui les ont données.",
        "en": "{count} learner(s) gave no availability (spread over {groups} group(s)): a group's shared "
        "hours are those of its members who gave theirs.",
    },
    "planning.cli.undersized": {
        "fr": "Attention : seulement {count} apprenant(s), moins que le minimum {min} ; "
        "ils forment un seul groupe.",
        "en": "Warning: only {count} learner(s), fewer than the minimum {min}; they form a single group.",
    },
    "planning.cli.oversized": {
        "fr": "Attention : {count} apprenants ne se répartissent pas en groupes de {min} à {max} ; "
        "pour ne laisser personne sous le minimum, certains groupes dépassent {max}.",
        "en": "Warning: {count} learners cannot be split into groups of {min} to {max}; "
        "so that nobody is below the minimum, some groups exceed {max}.",
    },
    "planning.cli.no_learners": {
        "fr": "Aucun apprenant : aucun groupe.",
        "en": "No learners: no groups.",
    },
    "planning.cli.unknown": {
        "fr": "—",
        "en": "—",
    },
}
