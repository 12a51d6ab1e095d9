"""Messages of the FAQ feature: import problems, answers and the `faq` CLI."""

MESSAGES = {
    # --- import of a FAQ base (bot/services/faq_base.py)
    "faq.import_failed": {
        "fr": "Le fichier FAQ a été refusé ({count} problème(s)) ; rien n'a été importé.",
        "en": "The FAQ file was rejected ({count} problem(s)); nothing was imported.",
    },
    "faq.problem.at_row": {
        "fr": "Ligne {row} : {reason}",
        "en": "Row {row}: {reason}",
    },
    "faq.problem.at_row_entry": {
        "fr": "Ligne {row} (entrée {entry}) : {reason}",
        "en": "Row {row} (entry {entry}): {reason}",
    },
    "faq.problem.unreadable": {
        "fr": "fichier illisible ({detail}).",
        "en": "unreadable file ({detail}).",
    },
    "faq.problem.empty": {
        "fr": "le fichier ne contient aucune entrée.",
        "en": "the file contains no entry.",
    },
    "faq.problem.no_faq_table": {
        "fr": "le fichier TOML ne contient aucune table `[[faq]]` (une par entrée : id, question, answer…).",
        "en": "the TOML file holds no `[[faq]]` table (one per entry: id, question, answer…).",
    },
    "faq.problem.missing_column": {
        "fr": "la colonne obligatoire « {column} » manque dans l'en-tête.",
        "en": "the required column “{column}” is missing from the header.",
    },
    "faq.problem.duplicate_field": {
        "fr": "le champ « {field} » apparaît deux fois (sous ce nom ou un autre : variante/variants…).",
        "en": "the field “{field}” appears twice (under this name or another: variant/variants…).",
    },
    "faq.problem.too_many_cells": {
        "fr": "{count} cellules pour {expected} colonnes.",
        "en": "{count} cells for {expected} columns.",
    },
    "faq.problem.unknown_field": {
        "fr": ("champ inconnu « {field} » : vouliez-vous dire « {guess} » ? (champs lus : {known})"),
        "en": "unknown field “{field}”: did you mean “{guess}”? (fields read: {known})",
    },
    "faq.ignored_fields": {
        "fr": "Champ(s) ignoré(s), non conservé(s) : {fields} (champs lus : {known}).",
        "en": "Field(s) ignored, not kept: {fields} (fields read: {known}).",
    },
    "faq.problem.bad_type": {
        "fr": "le champ « {field} » n'a pas le bon type (texte, ou liste de textes pour variants et tags).",
        "en": "the field “{field}” has the wrong type (text, or a list of texts for variants and tags).",
    },
    "faq.problem.missing_id": {
        "fr": "identifiant (id) manquant.",
        "en": "missing id.",
    },
    "faq.problem.missing_question": {
        "fr": "question manquante.",
        "en": "missing question.",
    },
    "faq.problem.missing_answer": {
        "fr": "réponse (answer) manquante.",
        "en": "missing answer.",
    },
    "faq.problem.bad_id": {
        "fr": (
            "identifiant « {id} » invalide : lettres, chiffres, « - », « _ » ou « . », sans espace, "
            "64 au plus (exemple : dates-examens)."
        ),
        "en": "invalid id “{id}”: letters, digits, “-”, “_” or “.”, no spaces, 64 at most (e.g. exam-dates).",
    },
    "faq.problem.duplicate_id": {
        "fr": "l'identifiant « {id} » est déjà utilisé ligne {first}.",
        "en": "the id “{id}” is already used on row {first}.",
    },
    "faq.problem.question_too_long": {
        "fr": "question trop longue ({length} caractères, {limit} au plus).",
        "en": "question too long ({length} characters, {limit} at most).",
    },
    "faq.problem.answer_too_long": {
        "fr": "réponse trop longue ({length} caractères, {limit} au plus).",
        "en": "answer too long ({length} characters, {limit} at most).",
    },
    "faq.problem.bad_lang": {
        "fr": "langue « {lang} » inconnue (valeurs possibles : {allowed}).",
        "en": "unknown language “{lang}” (allowed values: {allowed}).",
    },
    # --- answers (used by the CLI now, by the cog later)
    "faq.answer.confident": {
        "fr": "**{question}** (confiance : {score} %)\n{answer}",
        "en": "**{question}** (confidence: {score}%)\n{answer}",
    },
    "faq.answer.see_also": {
        "fr": "Voir aussi :",
        "en": "See also:",
    },
    "faq.answer.alternative": {
        "fr": "• {question} (`{id}`, {score} %)",
        "en": "• {question} (`{id}`, {score}%)",
    },
    "faq.answer.tentative": {
        "fr": "Je ne suis pas sûr que ce soit la bonne réponse (confiance : {score} %).\n**{question}**\n{answer}",
        "en": "I am not sure this is the right answer (confidence: {score}%).\n**{question}**\n{answer}",
    },
    "faq.answer.maybe": {
        "fr": "Ou peut-être :",
        "en": "Or maybe:",
    },
    "faq.answer.related": {
        "fr": "Questions voisines dans la FAQ :",
        "en": "Related questions in the FAQ:",
    },
    "faq.answer.none": {
        "fr": (
            "Je n'ai pas de réponse fiable à cette question dans la FAQ. "
            "Demandez à votre tuteur ou sur le salon d'entraide."
        ),
        "en": "I have no reliable answer to this question in the FAQ. Ask your tutor or in the help channel.",
    },
    # --- the `faq` command line (bot/cli/faq.py)
    "faq.cli.help": {
        "fr": "Interroger une base FAQ.",
        "en": "Query a FAQ base.",
    },
    "faq.cli.ask_help": {
        "fr": "Poser une question (ou une par ligne sur l'entrée standard).",
        "en": "Ask a question (or one per line on standard input).",
    },
    "faq.cli.file_not_found": {
        "fr": "Fichier FAQ introuvable : {path}",
        "en": "FAQ file not found: {path}",
    },
    "faq.cli.file_unreadable": {
        "fr": "Impossible de lire le fichier FAQ {path} : {detail}",
        "en": "Cannot read the FAQ file {path}: {detail}",
    },
    "faq.cli.bad_base": {
        "fr": "Base FAQ refusée ({path}) :",
        "en": "FAQ base rejected ({path}):",
    },
    "faq.cli.question": {
        "fr": "Question : {question}",
        "en": "Question: {question}",
    },
}
