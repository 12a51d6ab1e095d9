"""A member's own data: /mydata export and /mydata delete."""

MESSAGES = {
    "cmd.mydata": {"fr": "Vos données sur ce serveur", "en": "Your data on this server"},
    "cmd.mydata.export": {
        "fr": "Télécharger tout ce que le bot garde sur vous (fichier JSON)",
        "en": "Download everything the bot keeps about you (JSON file)",
    },
    "cmd.mydata.delete": {
        "fr": "Effacer vos données (profil, activité, réponses, questions…)",
        "en": "Erase your data (profile, activity, answers, questions…)",
    },
    "mydata.exported": {
        "fr": (
            "Voici tout ce que le bot garde sur vous sur ce serveur : {summary}. Le contenu de vos "
            "messages n'est jamais enregistré. Pour effacer ces données : `/mydata delete`."
        ),
        "en": (
            "Here is everything the bot keeps about you on this server: {summary}. The content of "
            "your messages is never stored. To erase this data: `/mydata delete`."
        ),
    },
    "mydata.nothing": {"fr": "rien pour l'instant", "en": "nothing yet"},
    "mydata.confirm.title": {
        "fr": "Effacer vos données sur ce serveur ?",
        "en": "Erase your data on this server?",
    },
    "mydata.confirm.erased": {
        "fr": (
            "**Effacé :** votre profil, vos compteurs d'activité (messages et minutes de vocal par "
            "jour), vos réponses aux sondages, votre présence et vos avis aux rencontres, vos "
            "questions à la FAQ et vos votes, la trace de vos questions en attente de réponse, votre "
            "arrivée en cours de formation, la trace de vos départs d'un cours."
        ),
        "en": (
            "**Erased:** your profile, your activity counts (messages and voice minutes per day), your "
            "poll answers, your meetup attendance and feedback, your FAQ questions and votes, the "
            "record of your questions awaiting an answer, your arrival mid-course, the record of the "
            "courses you left."
        ),
    },
    "mydata.confirm.kept": {
        "fr": (
            "**Gardé :** votre place dans votre groupe (l'accès à son salon en dépend ; elle s'efface "
            "quand vous quittez le serveur), le dernier jour où vous avez été actif ou active (la veille "
            "d'isolement en a besoin), vos choix `/nudges off` et `/mydata watch`, la décision d'un enseignant de vous "
            "retirer de votre groupe, et votre identifiant comme auteur des sondages et rencontres que "
            "vous avez créés."
        ),
        "en": (
            "**Kept:** your place in your group (access to its channel depends on it; it can be "
            "erased once you leave the server), the last day you were active (the isolation watch needs it), your "
            "`/nudges off` and `/mydata watch` choices, a teacher's decision to take you out of your group, and your id as "
            "the creator of the polls and meetups you created."
        ),
    },
    "mydata.confirm.after": {
        "fr": (
            "Votre activité à venir sera comptée tant que vous suivez le cours, sauf avec "
            "`/mydata watch follow:False`. C'est définitif : "
            "téléchargez d'abord vos données avec `/mydata export` si vous les voulez."
        ),
        "en": (
            "Your future activity is counted while you follow the course, unless you use "
            "`/mydata watch follow:False`. This cannot be undone: "
            "download your data first with `/mydata export` if you want it."
        ),
    },
    "mydata.button.erase": {"fr": "Effacer mes données", "en": "Erase my data"},
    "mydata.button.keep": {"fr": "Annuler", "en": "Cancel"},
    "mydata.erased": {
        "fr": "C'est fait : {total} élément(s) effacé(s) — {details}.",
        "en": "Done: {total} item(s) erased — {details}.",
    },
    "mydata.erased.none": {
        "fr": "Il n'y avait rien à effacer : le bot ne garde aucune donnée de ce type sur vous ici.",
        "en": "There was nothing to erase: the bot keeps no such data about you here.",
    },
    "mydata.kept": {"fr": "Rien n'a été effacé.", "en": "Nothing was erased."},
    # one line per kind of data, in the export's summary and the erase report
    "mydata.kind.profile": {"fr": "profil : {count}", "en": "profile: {count}"},
    "mydata.kind.groups": {"fr": "groupes : {count}", "en": "groups: {count}"},
    "mydata.kind.activity_days": {"fr": "jours d'activité : {count}", "en": "days of activity: {count}"},
    "mydata.kind.questions_in_channels": {
        "fr": "questions posées dans les salons : {count}",
        "en": "questions asked in channels: {count}",
    },
    "mydata.kind.arrivals_mid_course": {
        "fr": "arrivée en cours de formation : {count}",
        "en": "arrival mid-course: {count}",
    },
    "mydata.kind.departures": {"fr": "départs d'un cours : {count}", "en": "courses left: {count}"},
    "mydata.kind.poll_answers": {"fr": "réponses aux sondages : {count}", "en": "poll answers: {count}"},
    "mydata.kind.meetups": {"fr": "rencontres : {count}", "en": "meetups: {count}"},
    "mydata.kind.meetup_attendance": {
        "fr": "présences aux rencontres : {count}",
        "en": "meetup attendance: {count}",
    },
    "mydata.kind.meetup_feedback": {
        "fr": "avis sur les rencontres : {count}",
        "en": "meetup feedback: {count}",
    },
    "mydata.kind.faq_questions": {"fr": "questions à la FAQ : {count}", "en": "FAQ questions: {count}"},
    "mydata.kind.faq_votes": {"fr": "votes sur la FAQ : {count}", "en": "FAQ votes: {count}"},
    "mydata.kind.group_places": {"fr": "places dans un groupe : {count}", "en": "places in a group: {count}"},
    "mydata.kind.last_active": {"fr": "dernier jour d'activité : {count}", "en": "last active day: {count}"},
    "mydata.kind.nudges_off": {
        "fr": "choix « relances sans mention » : {count}",
        "en": "nudges-off choice: {count}",
    },
    "mydata.kind.watch_off": {
        "fr": "choix « ne pas suivre mon activité » : {count}",
        "en": "activity-not-followed choice: {count}",
    },
    "cmd.mydata.watch": {
        "fr": "Voir ou choisir si le bot suit votre activité (compteurs, alerte d'isolement)",
        "en": "See or choose whether the bot follows your activity (counts, isolation alert)",
    },
    "opt.mydata.follow": {
        "fr": "False : ne plus suivre mon activité ; True : la suivre de nouveau",
        "en": "False: stop following my activity; True: follow it again",
    },
    "mydata.watch.on": {
        "fr": (
            "👀 Le bot suit votre activité sur ce serveur : combien de messages et de minutes de vocal "
            "par jour (jamais le contenu), pour prévenir vos enseignants si vous semblez décrocher. "
            "Pour l'arrêter : `/mydata watch follow:False`."
        ),
        "en": (
            "👀 The bot follows your activity on this server: how many messages and voice minutes a "
            "day (never their content), to tell your teachers if you seem to drift away. To stop it: "
            "`/mydata watch follow:False`."
        ),
    },
    "mydata.watch.off": {
        "fr": (
            "🙈 Le bot ne suit plus votre activité sur ce serveur : plus de compteurs à votre nom et "
            "aucune alerte d'isolement vous concernant. Vos messages comptent encore, sans votre nom, "
            "dans l'activité de votre groupe ; vos compteurs passés y ont rejoint ceux du groupe. "
            "Pour revenir en arrière : `/mydata watch follow:True`."
        ),
        "en": (
            "🙈 The bot no longer follows your activity on this server: no counts under your name and "
            "no isolation alert about you. Your messages still count, without your name, in your "
            "group's activity; your past counts have joined the group's. To undo this: "
            "`/mydata watch follow:True`."
        ),
    },
    "mydata.watch.again": {
        "fr": (
            "👀 C'est noté : le bot suit de nouveau votre activité sur ce serveur, à partir "
            "d'aujourd'hui. Pour l'arrêter : `/mydata watch follow:False`."
        ),
        "en": (
            "👀 Done: the bot follows your activity on this server again, from today. To stop it: "
            "`/mydata watch follow:False`."
        ),
    },
    # python -m bot data …
    "data.cli.help": {
        "fr": "données d'un membre (RGPD) : les exporter ou les effacer, pour l'administrateur du bot",
        "en": "a member's data (GDPR): export or erase it, for whoever runs the bot",
    },
    "data.cli.erased": {
        "fr": "Serveur {guild}, membre {user} : {total} élément(s) effacé(s) — {details}.",
        "en": "Server {guild}, member {user}: {total} item(s) erased — {details}.",
    },
    "data.cli.nothing": {
        "fr": "Serveur {guild}, membre {user} : rien à effacer.",
        "en": "Server {guild}, member {user}: nothing to erase.",
    },
}
