"""Messages of /faq (learners), /faqbase (teachers), FAQ auto-suggest and `faq import`."""

MESSAGES = {
    # --- command and option descriptions
    "cmd.faq": {"fr": "Questions fréquentes du cours", "en": "The course's frequently asked questions"},
    "cmd.faq.ask": {"fr": "Poser une question à la FAQ du cours", "en": "Ask the course's FAQ a question"},
    "cmd.faqbase": {"fr": "Gérer la base FAQ (enseignants)", "en": "Manage the FAQ base (teachers)"},
    "cmd.faqbase.add": {"fr": "Ajouter une entrée à la FAQ", "en": "Add an entry to the FAQ"},
    "cmd.faqbase.edit": {"fr": "Modifier une entrée de la FAQ", "en": "Edit a FAQ entry"},
    "cmd.faqbase.remove": {"fr": "Supprimer une entrée de la FAQ", "en": "Remove a FAQ entry"},
    "cmd.faqbase.list": {"fr": "Lister les entrées de la FAQ", "en": "List the FAQ entries"},
    "cmd.faqbase.import": {
        "fr": "Importer une base FAQ (fichier TOML ou CSV)",
        "en": "Import a FAQ base (TOML or CSV file)",
    },
    "cmd.faqbase.export": {"fr": "Exporter la base FAQ en fichier", "en": "Export the FAQ base as a file"},
    "cmd.faqbase.gaps": {
        "fr": "Les questions sans bonne réponse, les plus posées d'abord",
        "en": "Questions without a good answer, most asked first",
    },
    "cmd.faqbase.helpchannel": {
        "fr": "Activer ou couper les suggestions FAQ dans un salon d'entraide",
        "en": "Turn FAQ suggestions on or off in a help channel",
    },
    "cmd.faqbase.groupchannels": {
        "fr": "Suggestions FAQ aussi dans les salons de groupe du cours (non par défaut)",
        "en": "FAQ suggestions in the course's group channels too (off by default)",
    },
    "opt.faq.question": {
        "fr": "Votre question, ex. c'est quand les partiels ?",
        "en": "Your question, e.g. when are the exams?",
    },
    "opt.faq.entry_id": {
        "fr": "Identifiant de l'entrée, ex. exam-dates",
        "en": "The entry's id, e.g. exam-dates",
    },
    "opt.faq.new_id": {
        "fr": "Identifiant (facultatif, tiré de la question sinon)",
        "en": "Id (optional, made from the question otherwise)",
    },
    "opt.faq.file": {"fr": "Fichier .toml ([[faq]]) ou .csv", "en": "A .toml ([[faq]]) or .csv file"},
    "opt.faq.replace": {
        "fr": "Remplacer toute la base (sinon : fusion par identifiant)",
        "en": "Replace the whole base (otherwise: merge by id)",
    },
    "opt.faq.format": {"fr": "Format du fichier (TOML par défaut)", "en": "File format (TOML by default)"},
    "opt.faq.page": {"fr": "Numéro de page", "en": "Page number"},
    "opt.faq.clear": {
        "fr": "Effacer ces questions une fois traitées",
        "en": "Clear these questions once dealt with",
    },
    "opt.faq.channel": {
        "fr": "Le salon d'entraide (texte ou forum)",
        "en": "The help channel (text or forum)",
    },
    "opt.faq.enabled": {"fr": "Activer (oui) ou couper (non)", "en": "Turn on (true) or off (false)"},
    # --- /faq ask
    "faq.sure.sure": {"fr": "Je suis sûr de cette réponse.", "en": "I am sure of this answer."},
    "faq.sure.fairly": {
        "fr": "Je suis assez sûr de cette réponse.",
        "en": "I am fairly sure of this answer.",
    },
    "faq.sure.unsure": {
        "fr": "Je ne suis pas sûr que ce soit la bonne réponse.",
        "en": "I am not sure this is the right answer.",
    },
    "faq.ask.unsure": {
        "fr": "Je ne suis pas sûr : voici ce qui s'en rapproche le plus.",
        "en": "I am not sure: here is the closest thing I have.",
    },
    "faq.ask.none": {
        "fr": (
            "Je ne sais pas : la FAQ n'a pas de réponse fiable à cette question. "
            "Vous pouvez la transmettre à l'équipe enseignante."
        ),
        "en": "I don't know: the FAQ has no reliable answer to this question. You can pass it on to the teachers.",
    },
    "faq.ask.others": {"fr": "Questions proches :", "en": "Close questions:"},
    "faq.ask.other": {"fr": "• {question} (`{id}`)", "en": "• {question} (`{id}`)"},
    "faq.button.show": {"fr": "📖 {question}", "en": "📖 {question}"},
    "faq.show.footer": {
        "fr": "Une entrée proche de votre question, dans la FAQ.",
        "en": "An entry close to your question, from the FAQ.",
    },
    "faq.button.helpful": {"fr": "Utile", "en": "Helpful"},
    "faq.button.unhelpful": {"fr": "Pas utile", "en": "Not helpful"},
    "faq.button.share": {"fr": "Partager dans le salon", "en": "Share in channel"},
    "faq.button.teacher": {"fr": "Demander à un enseignant", "en": "Ask a teacher"},
    "faq.button.answered": {"fr": "Ça m'a répondu", "en": "This answered me"},
    "faq.button.not_this": {"fr": "Pas ça", "en": "Not this"},
    "faq.vote.thanks": {"fr": "Merci, c'est noté.", "en": "Thanks, noted."},
    "faq.vote.unhelpful": {
        "fr": "Noté : l'équipe enseignante verra que cette question manque à la FAQ.",
        "en": "Noted: the teachers will see that this question is missing from the FAQ.",
    },
    "faq.shared": {"fr": "Réponse de la FAQ partagée par {name}", "en": "FAQ answer shared by {name}"},
    "faq.teacher.post": {
        "fr": "❓ Question de {user} que la FAQ n'a pas résolue : « {question} »\nPosée ici : {link}",
        "en": "❓ Question from {user} the FAQ did not solve: “{question}”\nAsked here: {link}",
    },
    "faq.teacher.sent": {
        "fr": "Votre question a été transmise à l'équipe enseignante.",
        "en": "Your question was passed on to the teachers.",
    },
    "faq.error.gone": {
        "fr": "Cette question n'est plus enregistrée ; reposez-la avec /faq ask.",
        "en": "This question is no longer stored; ask it again with /faq ask.",
    },
    "faq.error.not_yours": {
        "fr": "Ce bouton est réservé à la personne qui a posé la question.",
        "en": "This button is for the person who asked the question.",
    },
    "faq.error.already_asked": {
        "fr": "Cette question a déjà été transmise à l'équipe enseignante.",
        "en": "This question was already passed on to the teachers.",
    },
    "faq.error.no_staff_channel": {
        "fr": "Le salon de l'équipe enseignante est introuvable ; prévenez un enseignant.",
        "en": "The teachers' channel cannot be found; please tell a teacher.",
    },
    # --- auto-suggest
    "faq.suggest.intro": {
        "fr": "Cette entrée de la FAQ répond peut-être à votre question :",
        "en": "This FAQ entry may answer your question:",
    },
    # --- /faqbase
    "faqbase.modal.add": {"fr": "Nouvelle entrée FAQ", "en": "New FAQ entry"},
    "faqbase.modal.edit": {"fr": "Modifier {id}", "en": "Edit {id}"},
    "faqbase.field.question": {"fr": "Question", "en": "Question"},
    "faqbase.field.variants": {
        "fr": "Autres formulations (une par ligne)",
        "en": "Other phrasings (one per line)",
    },
    "faqbase.field.answer": {
        "fr": "Réponse (markdown, 1 800 caractères)",
        "en": "Answer (markdown, 1,800 characters)",
    },
    "faqbase.field.tags": {
        "fr": "Étiquettes (séparées par des virgules)",
        "en": "Tags (separated by commas)",
    },
    "faqbase.field.lang": {"fr": "Langue (fr ou en)", "en": "Language (fr or en)"},
    "faqbase.invalid": {"fr": "L'entrée n'a pas été enregistrée :", "en": "The entry was not saved:"},
    "faqbase.added": {"fr": "Entrée `{id}` ajoutée.", "en": "Entry `{id}` added."},
    "faqbase.edited": {"fr": "Entrée `{id}` modifiée.", "en": "Entry `{id}` updated."},
    "faqbase.removed": {"fr": "Entrée `{id}` supprimée.", "en": "Entry `{id}` removed."},
    "faqbase.error.exists": {
        "fr": "L'identifiant `{id}` existe déjà ; utilisez /faqbase edit.",
        "en": "The id `{id}` already exists; use /faqbase edit.",
    },
    "faqbase.error.unknown": {
        "fr": "Aucune entrée `{id}` dans cette base (voir /faqbase list).",
        "en": "No entry `{id}` in this base (see /faqbase list).",
    },
    "faqbase.error.csv_pipe": {
        "fr": "Une formulation ou une étiquette contient « | », que le CSV ne peut pas porter : exportez en TOML.",
        "en": "A phrasing or tag contains “|”, which CSV cannot carry: export as TOML.",
    },
    "faqbase.error.gap_gone": {
        "fr": "Cette question n'est plus dans la liste (déjà traitée ou effacée) : relancez /faqbase gaps.",
        "en": "This question is no longer on the list (already handled or cleared): run /faqbase gaps again.",
    },
    "faqbase.error.variants_full": {
        "fr": "Les variantes de `{id}` atteignent la limite de 4 000 caractères : faites de la place avec /faqbase edit {id}.",
        "en": "The variants of `{id}` reach the 4,000-character limit: make room with /faqbase edit {id}.",
    },
    "faqbase.error.empty": {"fr": "Cette base FAQ est vide.", "en": "This FAQ base is empty."},
    "faqbase.error.too_big": {
        "fr": "Fichier trop gros ({size} octets, {limit} au plus).",
        "en": "File too large ({size} bytes, {limit} at most).",
    },
    "faqbase.list.title": {"fr": "FAQ — {base} ({count} entrées)", "en": "FAQ — {base} ({count} entries)"},
    "faqbase.list.footer": {"fr": "Page {page}/{pages}", "en": "Page {page}/{pages}"},
    "faqbase.base.guild": {"fr": "tout le serveur", "en": "whole server"},
    "faqbase.imported": {
        "fr": "Import terminé : {added} ajoutée(s), {updated} mise(s) à jour, {removed} supprimée(s) ; {total} entrées dans la base.",
        "en": "Import done: {added} added, {updated} updated, {removed} removed; {total} entries in the base.",
    },
    "faqbase.more_problems": {"fr": "… et {count} autre(s).", "en": "… and {count} more."},
    "faqbase.exported": {"fr": "Base FAQ ({count} entrées).", "en": "FAQ base ({count} entries)."},
    "faqbase.gaps.title": {
        "fr": "Questions sans bonne réponse — {base}",
        "en": "Questions without a good answer — {base}",
    },
    "faqbase.gaps.none": {
        "fr": "Aucune question en attente : la FAQ a répondu à tout ce qu'on lui a demandé.",
        "en": "No pending question: the FAQ answered everything it was asked.",
    },
    "faqbase.gaps.line": {"fr": "**×{count}** « {question} »", "en": "**×{count}** “{question}”"},
    "faqbase.gaps.near": {"fr": " (proche de `{id}`)", "en": " (close to `{id}`)"},
    "faqbase.gaps.other": {"fr": "  ↳ « {question} »", "en": "  ↳ “{question}”"},
    "faqbase.gaps.disliked": {
        "fr": "Réponses jugées pas utiles : {entries}",
        "en": "Answers voted not helpful: {entries}",
    },
    "faqbase.gaps.cleared": {"fr": "{count} question(s) effacée(s).", "en": "{count} question(s) cleared."},
    "faqbase.gaps.teach_hint": {
        "fr": "Un bouton n° N ajoute la question N comme variante de l'entrée proche ; pour une autre entrée : /faqbase edit.",
        "en": "Button No. N adds question N as a variant of its close entry; for another entry: /faqbase edit.",
    },
    "faqbase.button.teach": {"fr": "N° {n} → variante de {id}", "en": "No. {n} → variant of {id}"},
    "faqbase.taught": {
        "fr": "« {question} » est maintenant une variante de `{id}` : la FAQ la reconnaît dès maintenant. {count} question(s) retirée(s) de la liste.",
        "en": "“{question}” is now a variant of `{id}`: the FAQ recognises it from now on. {count} question(s) taken off the list.",
    },
    "faqbase.taught_already": {
        "fr": "`{id}` avait déjà cette formulation. {count} question(s) retirée(s) de la liste.",
        "en": "`{id}` already had that wording. {count} question(s) taken off the list.",
    },
    "faqbase.helpchannel.on": {
        "fr": "{channel} est un salon d'entraide : les questions y reçoivent une suggestion de la FAQ ({base}) quand la réponse est sûre.",
        "en": "{channel} is a help channel: questions there get a FAQ suggestion ({base}) when the answer is certain.",
    },
    "faqbase.helpchannel.off": {
        "fr": "{channel} ne reçoit plus de suggestions de la FAQ.",
        "en": "{channel} no longer gets FAQ suggestions.",
    },
    "faqbase.helpchannel.no_intent": {
        "fr": "Attention : l'intent Message Content est coupé (config.toml), les suggestions automatiques ne fonctionneront pas.",
        "en": "Warning: the Message Content intent is off (config.toml), automatic suggestions will not work.",
    },
    "faqbase.groups.on": {
        "fr": "Les salons de groupe de {course} reçoivent aussi des suggestions de la FAQ.",
        "en": "The group channels of {course} get FAQ suggestions too.",
    },
    "faqbase.groups.off": {
        "fr": "Les salons de groupe de {course} ne reçoivent pas de suggestions de la FAQ.",
        "en": "The group channels of {course} get no FAQ suggestions.",
    },
    # --- `python -m bot faq import`
    "faq.cli.import_help": {
        "fr": "Charger une base FAQ (TOML ou CSV) dans la base de données.",
        "en": "Load a FAQ base (TOML or CSV) into the database.",
    },
    "faq.cli.imported": {
        "fr": "{path} : {added} ajoutée(s), {updated} mise(s) à jour, {removed} supprimée(s) ; {total} entrées ({base}).",
        "en": "{path}: {added} added, {updated} updated, {removed} removed; {total} entries ({base}).",
    },
    "faq.cli.unknown_course": {
        "fr": "Aucun cours « {name} » sur le serveur {guild}.",
        "en": "No course “{name}” on server {guild}.",
    },
    "faq.cli.database": {
        "fr": "Base de données inaccessible ({detail}).",
        "en": "Database unreachable ({detail}).",
    },
}
