"""Polls (find a time to meet) and meetups (voice channel, event, reminders, feedback)."""

MESSAGES = {
    # --- commands and options ---
    "cmd.poll": {"fr": "Trouver un moment pour se retrouver", "en": "Find a time to meet"},
    "cmd.poll.create": {
        "fr": "Proposer des créneaux au groupe (oui / si besoin / non)",
        "en": "Offer time slots to the group (yes / if need be / no)",
    },
    "opt.poll.title": {
        "fr": "Le sujet, ex. Révision du partiel",
        "en": "What it is about, e.g. Exam revision",
    },
    "opt.poll.slots": {
        "fr": "Créneaux, ex. mar 20:30, jeu 20:30, 25/11 20h30, demain 20h",
        "en": "Slots, e.g. tue 8:30pm, thu 20:30, 2026-11-25 20:30, tomorrow 8pm",
    },
    "opt.poll.days": {
        "fr": "Ou générer : jours, ex. lun,mer,jeu",
        "en": "Or generate: days, e.g. mon,wed,thu",
    },
    "opt.poll.times": {"fr": "… heures de début, ex. 20:30,21:00", "en": "… start times, e.g. 20:30,21:00"},
    "opt.poll.over_days": {
        "fr": "… sur les N prochains jours (7 par défaut)",
        "en": "… over the next N days (default 7)",
    },
    "opt.poll.length": {
        "fr": "Durée de la rencontre en minutes (60 par défaut, ou celle des plages : mar 20h-21h30)",
        "en": "Meeting length in minutes (default 60, or your slots' ranges: tue 8pm-9:30pm)",
    },
    "opt.poll.deadline": {
        "fr": "Fin du vote, ex. demain 18h (par défaut 48 h, jamais après le 1er créneau)",
        "en": "Voting ends, e.g. tomorrow 6pm (default 48 h, never after the first slot)",
    },
    "opt.poll.repeat": {
        "fr": "Chaque semaine : le sondage de la semaine suivante s'ouvre tout seul (créneaux à 7 jours au plus)",
        "en": "Weekly: next week's poll opens by itself (slots within 7 days)",
    },
    "cmd.meetup": {"fr": "Rencontres vocales du groupe", "en": "Group voice meetups"},
    "cmd.meetup.schedule": {
        "fr": "Planifier une rencontre vocale (salon, événement, rappels)",
        "en": "Schedule a voice meetup (channel, event, reminders)",
    },
    "cmd.meetup.now": {
        "fr": "Se retrouver maintenant en vocal (ex. travailler un devoir ensemble)",
        "en": "Meet by voice now (e.g. to work on an assignment together)",
    },
    "cmd.meetup.list": {"fr": "Les prochaines rencontres du groupe", "en": "The group's upcoming meetups"},
    "cmd.meetup.cancel": {"fr": "Annuler une rencontre prévue", "en": "Cancel a scheduled meetup"},
    "opt.meetup.when": {
        "fr": "Quand, ex. jeu 20:30, 25/11 20h30, demain 20h",
        "en": "When, e.g. thu 8:30pm, 2026-11-25 20:30",
    },
    "opt.meetup.length": {
        "fr": "Durée en minutes (60 par défaut, ou celle de la plage : jeu 20h-21h30)",
        "en": "Length in minutes (default 60, or the range's: thu 8pm-9:30pm)",
    },
    "opt.meetup.title": {"fr": "Le sujet de la rencontre", "en": "What the meetup is about"},
    "opt.meetup.id": {
        "fr": "Numéro de la rencontre (voir /meetup list) ; la prochaine sinon",
        "en": "Meetup number (see /meetup list); the next one otherwise",
    },
    # --- poll errors ---
    "poll.error.past": {
        "fr": "Le créneau « {value} » est déjà passé (<t:{when}:F>). Proposez des créneaux à venir, ex. : {example}",
        "en": "The slot “{value}” is in the past (<t:{when}:F>). Offer future slots, e.g.: {example}",
    },
    "poll.error.too_many": {
        "fr": "{count} créneaux, c'est trop : {limit} au maximum. Raccourcissez la liste ou la période.",
        "en": "{count} slots is too many: {limit} at most. Shorten the list or the period.",
    },
    "poll.error.no_slots": {
        "fr": "Aucun créneau dans « {value} ». Donnez des créneaux (option slots), ex. : {example} — ou des jours et des heures (options days + times).",
        "en": "No slot in “{value}”. Give slots (slots option), e.g.: {example} — or days and times (days + times options).",
    },
    "poll.error.deadline_after_first": {
        "fr": "La fin du vote (<t:{deadline}:F>) tombe après le premier créneau (<t:{first}:F>). Choisissez une fin plus tôt, ex. : demain 18h",
        "en": "The voting deadline (<t:{deadline}:F>) is after the first slot (<t:{first}:F>). Pick an earlier one, e.g.: tomorrow 6pm",
    },
    "poll.error.deadline_past": {
        "fr": "La fin du vote (<t:{when}:F>) est déjà passée. Ex. : demain 18h",
        "en": "The voting deadline (<t:{when}:F>) has already passed. E.g.: tomorrow 6pm",
    },
    "poll.error.too_soon": {
        "fr": "Le premier créneau (<t:{first}:R>) est trop proche pour laisser le temps de voter. Proposez des créneaux plus tard, ou lancez /meetup now.",
        "en": "The first slot (<t:{first}:R>) is too soon to leave time to vote. Offer later slots, or use /meetup now.",
    },
    "poll.error.length": {
        "fr": "Durée {value} min : entre {min} et {max} minutes, ex. 60.",
        "en": "Length {value} min: between {min} and {max} minutes, e.g. 60.",
    },
    "poll.error.mixed_lengths": {
        "fr": "Vos plages n'ont pas la même durée ({lengths} min), mais les créneaux d'un sondage en ont une seule. Donnez-la avec `length:` (en minutes), ou des heures de début seules. Ex. : {example}",
        "en": "Your ranges differ in length ({lengths} min), but a poll's slots share one length. Give it with `length:` (in minutes), or start times only. E.g.: {example}",
    },
    "poll.error.not_group_channel": {
        "fr": "Cette commande s'utilise dans le salon de votre groupe (voir /mygroup).",
        "en": "Use this command in your group's channel (see /mygroup).",
    },
    "poll.error.not_member": {
        "fr": "Ce sondage est réservé aux membres du groupe.",
        "en": "This poll is for the group's members only.",
    },
    "poll.error.closed": {"fr": "Ce sondage est clos.", "en": "This poll is closed."},
    "poll.error.not_series_owner": {
        "fr": "Seul·e la personne qui a lancé ce sondage hebdomadaire ou un enseignant peut l'arrêter.",
        "en": "Only whoever started this weekly poll or a teacher can stop it.",
    },
    "poll.error.not_weekly": {
        "fr": "Un sondage hebdomadaire propose les créneaux des 7 jours à venir ; le dernier ici est le <t:{last}:F>. Gardez des créneaux de cette semaine, ex. : {example}",
        "en": "A weekly poll offers slots in the coming 7 days; the last one here is <t:{last}:F>. Keep to this week's slots, e.g.: {example}",
    },
    "poll.error.no_availability": {
        "fr": "Votre profil n'indique pas encore vos disponibilités. Ajoutez-les une fois pour toutes avec `/profile set availability:{example}`, puis réessayez, ou répondez créneau par créneau avec **Voter**.",
        "en": "Your profile does not give your availability yet. Add it once and for all with `/profile set availability:{example}`, then try again, or answer slot by slot with **Vote**.",
    },
    "poll.filled": {
        "fr": "Rempli d'après vos disponibilités : {yes} oui, {maybe} si besoin, {no} non. Vérifiez ci-dessous, c'est modifiable.",
        "en": "Filled from your availability: {yes} yes, {maybe} if need be, {no} no. Check below; you can change any answer.",
    },
    "poll.filled.kept": {
        "fr": "Réponses que vous aviez déjà données, inchangées : {count}.",
        "en": "Answers you had already given, unchanged: {count}.",
    },
    "poll.error.not_found": {"fr": "Ce sondage n'existe plus.", "en": "This poll no longer exists."},
    "poll.error.not_owner": {
        "fr": "Seul·e la personne qui a lancé le sondage ou un enseignant peut le clore.",
        "en": "Only whoever started the poll or a teacher can close it.",
    },
    "poll.error.missing_time": {
        "fr": "Il manque l'heure dans « {value} ». Ex. : {example}",
        "en": "The time is missing in “{value}”. E.g.: {example}",
    },
    "poll.error.unreadable": {
        "fr": "Je n'ai pas compris « {value} ». Ex. : {example}",
        "en": "I could not read “{value}”. E.g.: {example}",
    },
    "poll.error.bad_date": {
        "fr": "La date « {value} » n'existe pas. Ex. : {example}",
        "en": "The date “{value}” does not exist. E.g.: {example}",
    },
    "poll.error.over_days": {
        "fr": "Période de {value} jours : entre 1 et 60, ex. {example}.",
        "en": "Period of {value} days: between 1 and 60, e.g. {example}.",
    },
    # --- poll message ---
    "poll.message.header": {
        "fr": "Rencontre de {length} min · vote jusqu'au {deadline} ({relative}).\nCliquez sur **Voter** : oui / si besoin / non pour chaque créneau, ou sur **Remplir avec mes dispos** (d'après votre profil). Les heures s'affichent dans votre fuseau.",
        "en": "A {length}-minute meeting · vote until {deadline} ({relative}).\nClick **Vote**: yes / if need be / no for each slot, or **Fill from my availability** (from your profile). Times show in your own timezone.",
    },
    "poll.message.answered": {
        "fr": "Ont répondu : {count}/{total} — {who}",
        "en": "Answered: {count}/{total} — {who}",
    },
    "poll.message.waiting": {"fr": "On attend : {who}", "en": "Waiting for: {who}"},
    "poll.message.footer_open": {
        "fr": "✅ oui · 🟡 si besoin · ❌ non — modifiable jusqu'à la clôture",
        "en": "✅ yes · 🟡 if need be · ❌ no — changeable until the close",
    },
    "poll.message.footer_closed": {"fr": "Sondage clos", "en": "Poll closed"},
    "poll.message.weekly": {
        "fr": "🔁 Sondage hebdomadaire : celui de la semaine suivante s'ouvrira le {when}, mêmes créneaux une semaine plus tard.",
        "en": "🔁 Weekly poll: next week's opens on {when}, with the same slots a week later.",
    },
    "poll.result.weekly": {
        "fr": "🔁 Le sondage de la semaine suivante s'ouvrira le {when}.",
        "en": "🔁 Next week's poll opens on {when}.",
    },
    "poll.button.stop_repeat": {"fr": "Ne plus répéter", "en": "Stop repeating"},
    "poll.repeat_stopped": {
        "fr": "C'est noté : plus de sondage chaque semaine. Les votes en cours restent ouverts.",
        "en": "Done: no more weekly poll. Votes under way stay open.",
    },
    "poll.not_repeating": {
        "fr": "Ce sondage ne se répète plus.",
        "en": "This poll no longer repeats.",
    },
    "poll.button.vote": {"fr": "Voter", "en": "Vote"},
    "poll.button.fill": {"fr": "Remplir avec mes dispos", "en": "Fill from my availability"},
    "poll.button.close": {"fr": "Clore maintenant", "en": "Close now"},
    "poll.button.previous": {"fr": "◀ Créneaux précédents", "en": "◀ Previous slots"},
    "poll.button.next": {"fr": "Créneaux suivants ▶", "en": "Next slots ▶"},
    "poll.button.new": {"fr": "Nouveau sondage", "en": "New poll"},
    "poll.button.start": {"fr": "Trouver un moment pour se voir", "en": "Find a time to meet"},
    "poll.answer.yes": {"fr": "Oui", "en": "Yes"},
    "poll.answer.maybe": {"fr": "Si besoin", "en": "If need be"},
    "poll.answer.no": {"fr": "Non", "en": "No"},
    "poll.ballot.header": {
        "fr": "**{title}** — vos réponses (page {page}/{pages}) :",
        "en": "**{title}** — your answers (page {page}/{pages}):",
    },
    "poll.ballot.progress": {
        "fr": "Vous avez répondu pour {done}/{total} créneaux. Modifiable jusqu'à la clôture.",
        "en": "You answered {done}/{total} slots. You can change until the close.",
    },
    "poll.created.one": {
        "fr": "Sondage publié (1 créneau) : {link} — vote jusqu'au {deadline} ({relative}).",
        "en": "Poll posted (1 slot): {link} — voting until {deadline} ({relative}).",
    },
    "poll.created": {
        "fr": "Sondage publié ({count} créneaux) : {link} — vote jusqu'au {deadline} ({relative}).",
        "en": "Poll posted ({count} slots): {link} — voting until {deadline} ({relative}).",
    },
    "poll.closed_early": {"fr": "Sondage clos, résultat publié.", "en": "Poll closed, result posted."},
    "poll.result.found": {
        "fr": "🗓️ **{title}** — le meilleur moment : {when} ({relative}), {length} min.\n{why}\nCliquez sur **Planifier** pour créer le salon vocal et l'événement.",
        "en": "🗓️ **{title}** — the best time: {when} ({relative}), {length} min.\n{why}\nClick **Schedule it** to create the voice channel and the event.",
    },
    "poll.result.everyone": {
        "fr": "Les {count} peuvent venir : {yes} oui, {maybe} si besoin.",
        "en": "All {count} can come: {yes} yes, {maybe} if need be.",
    },
    "poll.result.some": {
        "fr": "{count} sur {members} peuvent venir : {yes} oui, {maybe} si besoin (le plus de monde ; à égalité, le plus de oui, puis le plus tôt).",
        "en": "{count} of {members} can come: {yes} yes, {maybe} if need be (the most people; on a tie, the most yes, then the earliest).",
    },
    "poll.result.none": {
        "fr": "🗓️ **{title}** — aucun créneau ne réunit au moins {min} personnes (au mieux {best}). Essayez d'autres moments ?",
        "en": "🗓️ **{title}** — no slot brings together at least {min} people (at best {best}). Try other times?",
    },
    "poll.remind": {
        "fr": "⏰ {who} : il vous reste à répondre au sondage **{title}** avant le {deadline} ({relative}) : {link}",
        "en": "⏰ {who}: please answer the poll **{title}** before {deadline} ({relative}): {link}",
    },
    "poll.modal.title": {"fr": "Trouver un moment", "en": "Find a time to meet"},
    "poll.modal.field_title": {"fr": "Sujet", "en": "Topic"},
    "poll.modal.default_title": {"fr": "Rencontre du groupe", "en": "Group meetup"},
    "poll.modal.field_slots": {
        "fr": "Créneaux (ex. mar 20:30, jeu 20:30)",
        "en": "Slots (e.g. tue 20:30, thu 20:30)",
    },
    "poll.modal.field_length": {"fr": "Durée en minutes", "en": "Length in minutes"},
    "poll.modal.length_placeholder": {
        "fr": "{default} par défaut, ou la durée de vos plages (mar 20h-21h30 : 90)",
        "en": "{default} by default, or your ranges' length (tue 8pm-9:30pm: 90)",
    },
    # --- meetups ---
    "meetup.error.too_many_events": {
        "fr": "Le serveur a déjà {count} événements prévus ou en cours : Discord en autorise {limit} au plus. Attendez la fin de l'un d'eux ou annulez-en un.",
        "en": "The server already has {count} scheduled or running events: Discord allows {limit} at most. Wait for one to end or cancel one.",
    },
    "meetup.error.past": {
        "fr": "<t:{when}:F> est déjà passé. Choisissez un moment à venir, ou /meetup now.",
        "en": "<t:{when}:F> is in the past. Pick a future time, or use /meetup now.",
    },
    "meetup.error.not_found": {
        "fr": "Aucune rencontre prévue à annuler ici.",
        "en": "No scheduled meetup to cancel here.",
    },
    "meetup.error.already_scheduled": {
        "fr": "C'est déjà planifié : {when}.",
        "en": "Already scheduled: {when}.",
    },
    "meetup.error.not_member": {
        "fr": "Cette rencontre est réservée aux membres du groupe.",
        "en": "This meetup is for the group's members only.",
    },
    "meetup.error.rating": {"fr": "Note {value} : de 1 à 5.", "en": "Rating {value}: from 1 to 5."},
    "meetup.error.one_time": {
        "fr": "Donnez un seul moment (« {value} » en contient plusieurs). Ex. : {example}",
        "en": "Give one time only (“{value}” has several). E.g.: {example}",
    },
    "meetup.error.not_owner": {
        "fr": "Seul·e la personne qui a planifié la rencontre ou un enseignant peut l'annuler.",
        "en": "Only whoever scheduled the meetup or a teacher can cancel it.",
    },
    "meetup.button.schedule": {"fr": "Planifier", "en": "Schedule it"},
    "meetup.voice_name": {"fr": "🎙️ groupe-{number}", "en": "🎙️ group-{number}"},
    "meetup.event_description": {
        "fr": "Rencontre vocale du groupe {number}, réservée à ses membres.",
        "en": "Voice meetup of group {number}, for its members only.",
    },
    "meetup.announce": {
        "fr": "🎙️ **{title}** — {when} ({relative}), {length} min, dans {voice}.\nÉvénement : {event} · le fichier .ics l'ajoute à votre agenda. Rappels 24 h et 15 min avant.",
        "en": "🎙️ **{title}** — {when} ({relative}), {length} min, in {voice}.\nEvent: {event} · the .ics file adds it to your calendar. Reminders 24 h and 15 min before.",
    },
    "meetup.scheduled": {"fr": "Rencontre planifiée : {when}.", "en": "Meetup scheduled: {when}."},
    "meetup.started": {"fr": "C'est parti : rejoignez {voice}.", "en": "Here we go: join {voice}."},
    "meetup.default_title": {"fr": "Rencontre du groupe", "en": "Group meetup"},
    "meetup.now_title": {"fr": "On travaille ensemble", "en": "Working together"},
    "meetup.list.title": {"fr": "**Prochaines rencontres**", "en": "**Upcoming meetups**"},
    "meetup.list.line": {
        "fr": "#{id} **{title}** — {when} ({relative}) · {voice}",
        "en": "#{id} **{title}** — {when} ({relative}) · {voice}",
    },
    "meetup.list.empty": {
        "fr": "Aucune rencontre prévue. Lancez /poll create pour trouver un moment.",
        "en": "No meetup scheduled. Use /poll create to find a time.",
    },
    "meetup.cancelled": {"fr": "Rencontre annulée.", "en": "Meetup cancelled."},
    "meetup.cancelled_notice": {
        "fr": "❌ La rencontre **{title}** du {when} est annulée.",
        "en": "❌ The meetup **{title}** on {when} is cancelled.",
    },
    "meetup.remind.24h": {
        "fr": "📅 {who} : demain, **{title}** — {when} ({relative}) dans {voice}.",
        "en": "📅 {who}: tomorrow, **{title}** — {when} ({relative}) in {voice}.",
    },
    "meetup.remind.15m": {
        "fr": "⏰ {who} : **{title}** commence {relative} dans {voice} ({when}).",
        "en": "⏰ {who}: **{title}** starts {relative} in {voice} ({when}).",
    },
    # --- a learner's own meetup reminder ---
    "opt.reminder": {
        "fr": "Rappel privé avant chaque rencontre, ex. 1h, 30 min, la veille ; « aucun » pour l'arrêter",
        "en": "A private reminder before each meetup, e.g. 1h, 30 min, 1 day; \"none\" to stop it",
    },
    "reminder.error.bad": {
        "fr": "Je ne comprends pas « {value} » comme délai de rappel (entre 5 min et 7 jours). Ex. : {example}",
        "en": "I can't read “{value}” as a reminder time (between 5 min and 7 days). E.g.: {example}",
    },
    "reminder.set": {
        "fr": "⏰ Rappel personnel : un message privé {lead} avant chaque rencontre de votre groupe. Pour l'arrêter : `/profile set reminder:aucun`.",
        "en": "⏰ Your own reminder: a private message {lead} before each of your group's meetups. To stop it: `/profile set reminder:none`.",
    },
    "reminder.off": {
        "fr": "⏰ Pas de rappel personnel : seuls les rappels du salon du groupe (la veille et 15 min avant).",
        "en": "⏰ No reminder of your own: only the group channel's reminders (the day before and 15 min before).",
    },
    "reminder.unit.day": {"fr": "jour", "en": "day"},
    "reminder.dm": {
        "fr": "⏰ Rappel : **{title}** avec votre groupe, {when} ({relative}). On se retrouve dans {voice} : {link}\n-# Vous avez demandé ce rappel {lead} avant ; `/profile set reminder:aucun` pour l'arrêter.",
        "en": "⏰ Reminder: **{title}** with your group, {when} ({relative}). Meet in {voice}: {link}\n-# You asked for this reminder {lead} before; `/profile set reminder:none` to stop it.",
    },
    "meetup.feedback.ask": {
        "fr": "👋 **{title}** est terminée ({count} présents : {present}). Comment c'était ? Notez de 1 à 5, et dites si vous voulez vous revoir.",
        "en": "👋 **{title}** is over ({count} present: {present}). How was it? Rate it 1–5, and say whether you want to meet again.",
    },
    "meetup.feedback.rate_placeholder": {"fr": "Comment c'était ? 1 à 5", "en": "How was it? 1–5"},
    "meetup.feedback.again_yes_button": {"fr": "On se revoit !", "en": "Meet again!"},
    "meetup.feedback.again_no_button": {"fr": "Pas pour moi", "en": "Not for me"},
    "meetup.feedback.rated": {
        "fr": "Merci ! Note enregistrée : {rating}/5.",
        "en": "Thanks! Rating saved: {rating}/5.",
    },
    "meetup.feedback.again_yes": {
        "fr": "Noté : vous voulez vous revoir.",
        "en": "Noted: you want to meet again.",
    },
    "meetup.feedback.again_no": {"fr": "Noté, merci de l'avoir dit.", "en": "Noted, thanks for saying so."},
}
