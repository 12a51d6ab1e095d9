"""Activity watch, weekly nudges, digest and newcomers."""

MESSAGES = {
    # --- commands ---
    "cmd.activity": {
        "fr": "Veille d'activité des groupes (enseignants)",
        "en": "Group activity watch (teachers)",
    },
    "cmd.activity.settings": {
        "fr": "Voir ou régler les seuils d'alerte et le moment des relances hebdomadaires",
        "en": "Show or change alert thresholds and when weekly nudges go out",
    },
    "cmd.nudges": {"fr": "Les relances hebdomadaires de votre groupe", "en": "Your group's weekly nudges"},
    "cmd.nudges.on": {
        "fr": "Être mentionné(e) dans les relances hebdomadaires",
        "en": "Be mentioned in weekly nudges",
    },
    "cmd.nudges.off": {
        "fr": "Ne plus être mentionné(e) dans les relances hebdomadaires",
        "en": "Stop being mentioned in weekly nudges",
    },
    "opt.quiet_days": {
        "fr": "Jours sans message ni vocal avant d'alerter sur un groupe calme (défaut 7)",
        "en": "Days without messages or voice before a group counts as quiet (default 7)",
    },
    "opt.isolation_days": {
        "fr": "Jours de silence d'un apprenant avant d'alerter (défaut 10)",
        "en": "Days a learner stays silent before teachers are alerted (default 10)",
    },
    "opt.unanswered_hours": {
        "fr": "Heures sans réponse avant de relancer une question (défaut 24)",
        "en": "Hours without an answer before a question is prompted (default 24)",
    },
    "opt.nudge_day": {"fr": "Jour des relances hebdomadaires", "en": "Day of the weekly nudges"},
    "opt.nudge_time": {
        "fr": "Heure des relances, heure du cours (ex. 18:00)",
        "en": "Time of the nudges, course time (e.g. 18:00)",
    },
    # --- settings ---
    "activity.settings.shown": {
        "fr": "**{course}** — groupe calme après {quiet} j, apprenant isolé après {isolation} j, "
        "question relancée après {hours} h ; relances le {day} à {time} ({tz}).",
        "en": "**{course}** — group quiet after {quiet} d, learner isolated after {isolation} d, "
        "question prompted after {hours} h; nudges on {day} at {time} ({tz}).",
    },
    "activity.settings.updated": {
        "fr": "Réglages mis à jour. **{course}** — groupe calme après {quiet} j, apprenant isolé après "
        "{isolation} j, question relancée après {hours} h ; relances le {day} à {time} ({tz}).",
        "en": "Settings updated. **{course}** — group quiet after {quiet} d, learner isolated after "
        "{isolation} d, question prompted after {hours} h; nudges on {day} at {time} ({tz}).",
    },
    "activity.error.setting": {
        "fr": "Valeur refusée pour {name} : « {value} ». Exemple : 18:00 pour l'heure, 7 pour des jours.",
        "en": "Value refused for {name}: “{value}”. Example: 18:00 for a time, 7 for days.",
    },
    "activity.error.unknown_group": {
        "fr": "Ce groupe n'existe plus.",
        "en": "This group no longer exists.",
    },
    "activity.error.no_channel": {
        "fr": "Ce groupe n'a plus de salon (`/groups repair` le recrée).",
        "en": "This group has no channel any more (`/groups repair` recreates it).",
    },
    "activity.never": {"fr": "jamais", "en": "never"},
    # --- quiet groups ---
    "activity.quiet.title": {
        "fr": "Groupe {number} ({course}) est calme",
        "en": "Group {number} ({course}) is quiet",
    },
    "activity.quiet.body": {
        "fr": "{channel} : aucun message ni vocal depuis {days} jours ou plus.\n"
        "Dernière activité : {last}\nMembres ({count}) : {members}",
        "en": "{channel}: no message and no voice for {days} days or more.\n"
        "Last activity: {last}\nMembers ({count}): {members}",
    },
    "activity.button.encourage": {"fr": "Envoyer un encouragement", "en": "Send an encouragement"},
    "activity.button.poll": {"fr": "Proposer un sondage de rencontre", "en": "Propose a meetup poll"},
    "activity.button.snooze": {"fr": "Mettre en veille 7 jours", "en": "Snooze 7 days"},
    "activity.quiet.nudge": {
        "fr": "Petit coucou 👋 Ça fait quelques jours que le salon est calme. Où en êtes-vous ? "
        "Une question, une difficulté, un cours qui vous a plu : c'est le bon endroit pour en parler.",
        "en": "Hi there 👋 It has been quiet here for a few days. How is everyone doing? "
        "A question, a struggle, a lesson you liked: this is the place to share it.",
    },
    "activity.encouragement": {
        "fr": "💪 Un mot de l'équipe pédagogique : on pense à vous ! Continuer à distance n'est pas "
        "facile ; s'entraider, même en deux lignes, fait une vraie différence. Qui commence ?",
        "en": "💪 A word from your teachers: we are thinking of you! Studying at a distance is not "
        "easy; helping each other, even in two lines, makes a real difference. Who goes first?",
    },
    "activity.poll.invite": {
        "fr": "📅 Et si vous vous retrouviez bientôt ? Cliquez sur **Trouver un moment pour se voir** pour proposer quelques créneaux : chacun répond oui / si besoin / non.",
        "en": "📅 How about meeting soon? Click **Find a time to meet** to propose a few slots: everyone answers yes / if need be / no.",
    },
    "activity.done.encourage": {
        "fr": "Encouragement envoyé dans {channel}.",
        "en": "Encouragement sent in {channel}.",
    },
    "activity.done.poll": {"fr": "Sondage publié dans {channel}.", "en": "Poll posted in {channel}."},
    "activity.snoozed": {
        "fr": "Alerte en veille jusqu'au {date}. Si le groupe est toujours calme ensuite, vous serez prévenu(e).",
        "en": "Alert snoozed until {date}. If the group is still quiet then, you will be told again.",
    },
    # --- isolation ---
    "activity.isolation.silent": {
        "fr": "🔕 {member} (groupe {number}) n'a rien écrit ni parlé en vocal depuis le {last} "
        "({days} jours ou plus) alors que son groupe est actif. Un message privé peut aider.",
        "en": "🔕 {member} (group {number}) has not written or spoken since {last} "
        "({days} days or more) while their group is active. A private message may help.",
    },
    "activity.isolation.never": {
        "fr": "🔕 {member} (groupe {number}) n'a encore rien écrit ni parlé une semaine après avoir "
        "rejoint son groupe. Un message privé peut aider.",
        "en": "🔕 {member} (group {number}) has not written or spoken yet, a week after joining "
        "their group. A private message may help.",
    },
    # --- unanswered questions ---
    "activity.question.prompt": {
        "fr": "❓ La question de {member} attend une réponse depuis {hours} h. "
        "Quelqu'un a une piste, même partielle ?",
        "en": "❓ {member}'s question has been waiting for an answer for {hours} h. "
        "Does anyone have a lead, even a partial one?",
    },
    "activity.question.alert": {
        "fr": "❓ Une question de {member} dans {channel} est sans réponse depuis {hours} h : {link}",
        "en": "❓ A question from {member} in {channel} has had no answer for {hours} h: {link}",
    },
    # --- weekly nudges ---
    "nudges.on": {
        "fr": "C'est noté : vous serez mentionné(e) dans les relances hebdomadaires.",
        "en": "Done: you will be mentioned in weekly nudges.",
    },
    "nudges.off": {
        "fr": "C'est noté : les relances hebdomadaires ne vous mentionneront plus (`/nudges on` pour revenir).",
        "en": "Done: weekly nudges will no longer mention you (`/nudges on` to undo).",
    },
    "nudge.meetup": {
        "fr": "📅 Rappel : votre prochaine rencontre est {when}. À bientôt ! {mentions}",
        "en": "📅 Reminder: your next meetup is {when}. See you there! {mentions}",
    },
    "nudge.quiet": {
        "fr": "🌱 Nouvelle semaine, nouveau départ ! Un message pour dire où vous en êtes ? "
        "Même trois mots aident le groupe. {mentions}",
        "en": "🌱 New week, fresh start! A message to say how you are doing? "
        "Even three words help the group. {mentions}",
    },
    "nudge.poll": {
        "fr": "🗓️ Pas encore de rencontre prévue : et si l'un(e) de vous proposait un sondage de "
        "créneaux avec `/poll` ? Une visio d'une heure suffit pour avancer ensemble. {mentions}",
        "en": "🗓️ No meetup planned yet: how about one of you proposing a time poll with `/poll`? "
        "A one-hour call is enough to make progress together. {mentions}",
    },
    "nudge.thanks": {
        "fr": "🙌 Merci pour cette semaine : {messages} messages, {voice} min de vocal, {members} "
        "membres actifs. Continuez comme ça ! {mentions}",
        "en": "🙌 Thanks for this week: {messages} messages, {voice} min of voice, {members} "
        "active members. Keep it up! {mentions}",
    },
    # --- digest ---
    "digest.title": {
        "fr": "Bilan de la semaine — {course} ({week})",
        "en": "Weekly digest — {course} ({week})",
    },
    "digest.state.meetup": {
        "fr": "📅 Rencontre prévue : {count} groupe(s) ({groups})",
        "en": "📅 Meetup planned: {count} group(s) ({groups})",
    },
    "digest.state.quiet": {
        "fr": "🔕 Calmes : {count} groupe(s) ({groups})",
        "en": "🔕 Quiet: {count} group(s) ({groups})",
    },
    "digest.state.poll": {
        "fr": "🗓️ Sans sondage ni rencontre : {count} groupe(s) ({groups})",
        "en": "🗓️ No poll or meetup yet: {count} group(s) ({groups})",
    },
    "digest.state.thanks": {
        "fr": "🙌 Actifs : {count} groupe(s) ({groups})",
        "en": "🙌 Active: {count} group(s) ({groups})",
    },
    "digest.totals": {
        "fr": "Sur 7 jours : {messages} messages, {voice} min de vocal, {members} membres actifs.",
        "en": "Over 7 days: {messages} messages, {voice} min of voice, {members} active members.",
    },
    "digest.newcomers": {
        "fr": "Arrivées placées : {count} ({list}) ; en attente d'un groupe : {waiting}",
        "en": "Newcomers placed: {count} ({list}); waiting for a group: {waiting}",
    },
    "digest.left": {
        "fr": "Départs : {count} ({list})",
        "en": "Left the course: {count} ({list})",
    },
    "digest.left.group": {"fr": "groupe {number}", "en": "group {number}"},
    "digest.left.waiting": {"fr": "en attente d'un groupe", "en": "waiting for a group"},
    "digest.left.server": {"fr": "a quitté le serveur", "en": "left the server"},
    "digest.left.away": {
        "fr": "parti(e) pendant que le bot était arrêté",
        "en": "left while the bot was offline",
    },
    "digest.left.role": {"fr": "n'a plus le rôle des apprenants", "en": "no longer has the learner role"},
    "digest.left.teacher": {"fr": "retiré(e) par un enseignant", "en": "removed by a teacher"},
    "digest.alerts": {
        "fr": "Alertes ouvertes : {quiet} groupe(s) calme(s) ({quiet_groups}), {isolated} apprenant(s) "
        "isolé(s) ({isolated_list}), {unanswered} question(s) sans réponse.",
        "en": "Open alerts: {quiet} quiet group(s) ({quiet_groups}), {isolated} isolated learner(s) "
        "({isolated_list}), {unanswered} unanswered question(s).",
    },
    # --- newcomers ---
    "newcomer.welcome": {
        "fr": "👋 Bienvenue {member} dans le groupe {number} ! Voici de quoi rattraper le fil.",
        "en": "👋 Welcome {member} to group {number}! Here is how to catch up.",
    },
    "newcomer.meetups": {"fr": "Dernières rencontres : {list}", "en": "Last meetups: {list}"},
    "newcomer.pins": {"fr": "Messages épinglés :\n{list}", "en": "Pinned messages:\n{list}"},
    "newcomer.cards": {
        "fr": "Les cartes de présentation de vos camarades sont ci-dessous.",
        "en": "Your classmates' intro cards are below.",
    },
    "newcomer.no_cards": {
        "fr": "Présentez-vous en quelques mots, le groupe vous répondra !",
        "en": "Introduce yourself in a few words, the group will answer!",
    },
    "newcomer.dm": {
        "fr": "Bienvenue dans **{course}** sur {guild} ! Vous êtes dans le groupe {number}. "
        "Pour que votre groupe vous connaisse et trouve des créneaux communs, remplissez votre profil "
        "avec `/profile set` (ville, disponibilités, quelques mots sur vous).",
        "en": "Welcome to **{course}** on {guild}! You are in group {number}. "
        "So that your group knows you and finds common times, fill in your profile with "
        "`/profile set` (city, availability, a few words about you).",
    },
    "newcomer.staff": {
        "fr": "🆕 {member} est arrivé(e) en cours de route dans **{course}** : groupe {number} {channel}.",
        "en": "🆕 {member} joined **{course}** mid-course: group {number} {channel}.",
    },
    "newcomer.rule.room": {
        "fr": "Règle appliquée : le groupe le plus compatible avec de la place (moins de {max} membres).",
        "en": "Rule applied: the best-matching group with room (fewer than {max} members).",
    },
    "newcomer.rule.overflow": {
        "fr": "Règle appliquée : aucun groupe n'avait de place et moins de {min} arrivants attendent ; "
        "le groupe le plus compatible passe à {over} membres.",
        "en": "Rule applied: no group had room and fewer than {min} newcomers are waiting; "
        "the best-matching group goes to {over} members.",
    },
    "newcomer.rule.new_group": {
        "fr": "Règle appliquée : aucun groupe n'avait de place et au moins {min} arrivants attendaient ; "
        "un nouveau groupe est créé avec {others}.",
        "en": "Rule applied: no group had room and at least {min} newcomers were waiting; "
        "a new group is created with {others}.",
    },
    "newcomer.rule.waiting": {
        "fr": "Règle appliquée : tous les groupes sont déjà à {over} membres ; en attente ({waiting} "
        "arrivant(s) sur {min} nécessaires pour un nouveau groupe).",
        "en": "Rule applied: every group already has {over} members; waiting ({waiting} newcomer(s) "
        "of the {min} needed for a new group).",
    },
    "newcomer.dm_sent": {
        "fr": "Message privé envoyé (comment remplir son profil).",
        "en": "Direct message sent (how to fill in their profile).",
    },
    "newcomer.dm_closed": {
        "fr": "Message privé impossible (MP fermés) : pensez à lui indiquer `/profile set`.",
        "en": "Could not send a direct message (DMs closed): tell them about `/profile set`.",
    },
}
