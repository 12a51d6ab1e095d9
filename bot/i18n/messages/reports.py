"""The teachers' course report: /activity report."""

MESSAGES = {
    "cmd.activity.report": {
        "fr": "Rapport du cours : activité des groupes semaine par semaine, rencontres (graphique, CSV)",
        "en": "Course report: each group's activity week by week, meetups (chart, CSV)",
    },
    "opt.weeks": {
        "fr": "Nombre de semaines (1 à 26, 4 par défaut)",
        "en": "Number of weeks (1 to 26, default 4)",
    },
    "report.title": {"fr": "Rapport — {course}", "en": "Report — {course}"},
    "report.period": {
        "fr": "Du {first} au {today} ({weeks} semaine(s), heure du cours) · {groups} groupe(s), {learners} apprenant(s).",
        "en": "From {first} to {today} ({weeks} week(s), course time) · {groups} group(s), {learners} learner(s).",
    },
    "report.left": {
        "fr": "🚪 Départs du cours sur la période : {count}{elsewhere}.",
        "en": "🚪 Learners who left the course in the period: {count}{elsewhere}.",
    },
    "report.left.elsewhere": {
        "fr": " (dont {count} hors des groupes ci-dessous : en attente d'un groupe, ou groupe archivé)",
        "en": " ({count} of them not from the groups below: waiting for a group, or an archived group)",
    },
    "report.group.left": {"fr": " · {count} départ(s)", "en": " · {count} left"},
    "report.stages": {
        "fr": "🔴 isolement : {isolation} · 🟡 entraide : {mutual_aid} · 🟢 communauté : {community}",
        "en": "🔴 isolation: {isolation} · 🟡 mutual aid: {mutual_aid} · 🟢 community: {community}",
    },
    "report.stages.help": {
        "fr": (
            "Sur les 14 derniers jours : *isolement* = moins de 2 membres ont écrit ou parlé ; "
            "*communauté* = au moins 2 actifs et une rencontre avec au moins 3 présents ; *entraide* sinon."
        ),
        "en": (
            "Over the last 14 days: *isolation* = fewer than 2 members wrote or spoke; *community* = at "
            "least 2 active and a meetup with at least 3 present; *mutual aid* otherwise."
        ),
    },
    "report.group": {
        "fr": "{emoji} **Groupe {n}** · {members} membres · {messages} messages · {voice} min de vocal · {meetups}",
        "en": "{emoji} **Group {n}** · {members} members · {messages} messages · {voice} min of voice · {meetups}",
    },
    "report.meetups.none": {"fr": "aucune rencontre", "en": "no meetup"},
    "report.meetups": {
        "fr": "{count} rencontre(s), {present} présent(s) en moyenne{rating}",
        "en": "{count} meetup(s), {present} present on average{rating}",
    },
    "report.rating": {"fr": ", note {rating}/5", "en": ", rated {rating}/5"},
    "report.last_active": {"fr": " · dernière activité {day}", "en": " · last active {day}"},
    "report.more": {
        "fr": "… et {count} autre(s) groupe(s) : voir le fichier CSV.",
        "en": "… and {count} more group(s): see the CSV file.",
    },
    "report.no_groups": {
        "fr": "Ce cours n'a pas encore de groupe : `/groups form` pour les créer.",
        "en": "This course has no group yet: `/groups form` to create them.",
    },
    "report.footer": {
        "fr": "Chiffres par groupe uniquement, jamais le contenu des messages. CSV : une ligne par groupe et par semaine.",
        "en": "Group figures only, never message content. CSV: one row per group and week.",
    },
    "report.stage.isolation": {"fr": "isolement", "en": "isolation"},
    "report.stage.mutual_aid": {"fr": "entraide", "en": "mutual aid"},
    "report.stage.community": {"fr": "communauté", "en": "community"},
    "report.chart.title": {
        "fr": "{course} — membres actifs par groupe et par semaine",
        "en": "{course} — members active per group and week",
    },
    "report.chart.more": {
        "fr": "les {shown} premiers groupes sur {total} ; tous sont dans le fichier CSV",
        "en": "the first {shown} groups of {total}; all of them are in the CSV file",
    },
    "report.chart.group": {"fr": "Groupe {n}", "en": "Group {n}"},
    "report.chart.week": {"fr": "sem. du {date}", "en": "week of {date}"},
    "report.chart.cell": {
        "fr": "{active}/{members} actifs\n{messages} msg · {voice} min",
        "en": "{active}/{members} active\n{messages} msg · {voice} min",
    },
    "report.chart.cell_short": {"fr": "{active}/{members}", "en": "{active}/{members}"},
    "report.chart.short": {
        "fr": "chaque case : membres actifs / membres du groupe (le CSV a les messages et le vocal)",
        "en": "each cell: members active / group members (the CSV has messages and voice)",
    },
    "report.chart.colorbar": {
        "fr": "% des membres qui ont écrit ou parlé",
        "en": "% of members who wrote or spoke",
    },
    "report.csv.group": {"fr": "groupe", "en": "group"},
    "report.csv.week_start": {"fr": "debut_semaine", "en": "week_start"},
    "report.csv.week_end": {"fr": "fin_semaine", "en": "week_end"},
    "report.csv.members": {"fr": "membres", "en": "members"},
    "report.csv.messages": {"fr": "messages", "en": "messages"},
    "report.csv.voice_minutes": {"fr": "minutes_vocal", "en": "voice_minutes"},
    "report.csv.active_members": {"fr": "membres_actifs", "en": "active_members"},
    "report.csv.left": {"fr": "departs", "en": "left"},
    "report.csv.meetups": {"fr": "rencontres", "en": "meetups"},
    "report.csv.present_average": {"fr": "presents_moyenne", "en": "present_average"},
    "report.csv.rating_average": {"fr": "note_moyenne", "en": "rating_average"},
    "report.csv.stage": {"fr": "etape", "en": "stage"},
}
