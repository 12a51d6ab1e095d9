"""Courses and profiles: commands, options, replies, errors."""

MESSAGES = {
    # commands
    "cmd.course": {"fr": "Configurer un cours (enseignants)", "en": "Set up a course (teachers)"},
    "cmd.course.setup": {
        "fr": "Créer ou mettre à jour un cours : rôles, salon du staff, fuseau, date de début, tailles",
        "en": "Create or update a course: roles, staff channel, timezone, start date, group sizes",
    },
    "cmd.course.settings": {
        "fr": "Voir et modifier les réglages d'un cours",
        "en": "Show and edit a course's settings",
    },
    "cmd.profile": {"fr": "Votre profil d'apprenant", "en": "Your learner profile"},
    "cmd.profile.set": {
        "fr": "Remplir votre profil : ville, région, fuseau, disponibilités, présentation",
        "en": "Fill in your profile: city, region, timezone, availability, about you",
    },
    "cmd.profile.show": {
        "fr": "Afficher la carte de présentation d'un membre (la vôtre par défaut)",
        "en": "Show a member's intro card (yours by default)",
    },
    # options
    "opt.learner_role": {"fr": "Le rôle des apprenants du cours", "en": "The course's learner role"},
    "opt.teacher_role": {"fr": "Le rôle des enseignants du cours", "en": "The course's teacher role"},
    "opt.staff_channel": {
        "fr": "Salon où arrivent les alertes pour les enseignants",
        "en": "Channel where teacher alerts are posted",
    },
    "opt.timezone": {
        "fr": "Fuseau horaire IANA, ex. Europe/Paris, America/Guadeloupe",
        "en": "IANA timezone, e.g. Europe/Paris, America/Guadeloupe",
    },
    "opt.start_date": {
        "fr": "Date de début du cours, ex. 2026-09-07 ou 07/09/2026",
        "en": "Course start date, e.g. 2026-09-07 or 07/09/2026",
    },
    "opt.group_min": {"fr": "Taille minimale d'un groupe (défaut 5)", "en": "Smallest group size (default 5)"},
    "opt.group_max": {"fr": "Taille maximale d'un groupe (défaut 6)", "en": "Largest group size (default 6)"},
    "opt.teachers_see_groups": {
        "fr": "Les enseignants peuvent-ils lire les salons des groupes ? (défaut : non)",
        "en": "Can teachers read the group channels? (default: no)",
    },
    "opt.category_name": {
        "fr": "Nom de la catégorie des salons de groupes",
        "en": "Name of the category holding group channels",
    },
    "opt.meetup_min_attendees": {
        "fr": "Un créneau de sondage doit réunir au moins ce nombre de membres (défaut 3)",
        "en": "A poll slot needs at least this many members (default 3)",
    },
    "opt.course_language": {
        "fr": "Langue de ce que le bot publie pour le cours (défaut : la vôtre)",
        "en": "Language of what the bot posts for the course (default: yours)",
    },
    "opt.keep_voice_channels": {
        "fr": "Garder le salon vocal d'une rencontre une fois finie (défaut : non)",
        "en": "Keep a meetup's voice channel once it is over (default: no)",
    },
    "opt.course_name": {"fr": "Nom du cours", "en": "Course name"},
    "opt.course": {
        "fr": "Le cours concerné (s'il y en a plusieurs sur le serveur)",
        "en": "Which course (when the server hosts several)",
    },
    "opt.city": {"fr": "Votre ville, ex. Lyon", "en": "Your city, e.g. Lyon"},
    "opt.region": {"fr": "Votre région, ex. Bretagne, Guadeloupe", "en": "Your region, e.g. Brittany, Guadeloupe"},
    "opt.availability": {
        "fr": "Vos créneaux chaque semaine, ex. lun 20:00-22:00, sam 09:00-12:00",
        "en": "Your weekly free times, e.g. mon 8pm-10pm, sat 9am-12pm",
    },
    "opt.about": {
        "fr": "Quelques mots : parcours, objectifs, ce que vous pouvez apporter",
        "en": "A few words: background, goals, what you can bring",
    },
    "opt.member": {"fr": "Le membre", "en": "The member"},
    # replies
    "course.created": {
        "fr": "✅ Cours **{name}** créé. Les apprenants peuvent remplir `/profile set`, puis formez les groupes avec `/groups form`.",
        "en": "✅ Course **{name}** created. Learners can fill in `/profile set`, then form groups with `/groups form`.",
    },
    "course.updated": {"fr": "✅ Cours **{name}** mis à jour.", "en": "✅ Course **{name}** updated."},
    "course.settings.title": {"fr": "Réglages du cours {name}", "en": "Settings of course {name}"},
    "course.settings.body": {
        "fr": (
            "**Rôle apprenants :** {learner_role}\n**Rôle enseignants :** {teacher_role}\n"
            "**Salon du staff :** {staff_channel}\n**Fuseau :** {timezone}\n**Début :** {start_date}\n"
            "**Taille des groupes :** {min}–{max}\n**Enseignants dans les groupes :** {teachers_see}\n"
            "**Catégorie :** {category}\n**Minimum de participants pour une rencontre :** {min_attendees}\n"
            "**Garder les salons vocaux après une rencontre :** {keep_voice}\n"
            "**Langue des messages du cours :** {language}"
        ),
        "en": (
            "**Learner role:** {learner_role}\n**Teacher role:** {teacher_role}\n"
            "**Staff channel:** {staff_channel}\n**Timezone:** {timezone}\n**Start:** {start_date}\n"
            "**Group size:** {min}–{max}\n**Teachers in groups:** {teachers_see}\n"
            "**Category:** {category}\n**Minimum attendees for a meetup:** {min_attendees}\n"
            "**Keep voice channels after a meetup:** {keep_voice}\n"
            "**Language of the course's messages:** {language}"
        ),
    },
    "course.category_default": {"fr": "Groupes {name}", "en": "Groups {name}"},
    "course.language.fr": {"fr": "français", "en": "French"},
    "course.language.en": {"fr": "anglais", "en": "English"},
    "course.language.server": {"fr": "celle du serveur", "en": "the server's"},
    "common.yes": {"fr": "oui", "en": "yes"},
    "common.no": {"fr": "non", "en": "no"},
    # errors
    "course.error.language": {
        "fr": "Langue « {value} » inconnue : fr ou en. Exemple : {example}",
        "en": "Unknown language “{value}”: fr or en. Example: {example}",
    },
    "course.error.date": {
        "fr": "Je n'ai pas compris la date « {value} ». Exemple : {example}",
        "en": "I could not read the date “{value}”. Example: {example}",
    },
    "course.error.sizes": {
        "fr": "Tailles de groupe impossibles : min {min}, max {max}. Il faut 2 ≤ min ≤ max ≤ 25, ex. 5 et 6.",
        "en": "Impossible group sizes: min {min}, max {max}. Need 2 ≤ min ≤ max ≤ 25, e.g. 5 and 6.",
    },
    "course.error.unknown": {
        "fr": "Aucun cours nommé « {name} » sur ce serveur. Voir `/course settings`.",
        "en": "No course named “{name}” on this server. See `/course settings`.",
    },
    "course.error.several": {
        "fr": "Ce serveur a plusieurs cours ({names}) : précisez l'option `course`.",
        "en": "This server has several courses ({names}): fill in the `course` option.",
    },
    "profile.error.nothing": {
        "fr": "Indiquez au moins un champ, ex. `/profile set availability: lun 20:00-22:00`.",
        "en": "Give at least one field, e.g. `/profile set availability: mon 8pm-10pm`.",
    },
    "profile.error.too_long": {
        "fr": "« {field} » est trop long (maximum {max} caractères).",
        "en": "“{field}” is too long (at most {max} characters).",
    },
    "profile.saved": {
        "fr": "✅ Profil enregistré. Voici votre carte de présentation :",
        "en": "✅ Profile saved. Here is your intro card:",
    },
    "profile.card.title": {"fr": "{name}", "en": "{name}"},
    "profile.card.where": {"fr": "📍 Où", "en": "📍 Where"},
    "profile.card.timezone": {"fr": "🕒 Fuseau", "en": "🕒 Timezone"},
    "profile.card.timezone_guessed": {
        "fr": "{zone} (d'après le lieu ; sinon `/profile set timezone:`)",
        "en": "{zone} (from the place given; if wrong, `/profile set timezone:`)",
    },
    "profile.card.availability": {"fr": "📅 Disponibilités", "en": "📅 Availability"},
    "profile.card.about": {"fr": "💬 Présentation", "en": "💬 About"},
    "profile.card.empty": {
        "fr": "Pas encore de profil. `/profile set` pour le remplir.",
        "en": "No profile yet. `/profile set` to fill it in.",
    },
    "profile.card.unknown": {"fr": "non précisé", "en": "not given"},
}
