"""Groups: formation, channels, icebreaker, list/move/archive, /mygroup."""

MESSAGES = {
    "cmd.groups": {"fr": "Former et gérer les groupes d'apprenants (enseignants)", "en": "Form and manage learner groups (teachers)"},
    "cmd.groups.form": {
        "fr": "Former les groupes des apprenants pas encore placés (aperçu, puis confirmation)",
        "en": "Form groups for learners not yet placed (preview, then confirm)",
    },
    "cmd.groups.list": {"fr": "Lister les groupes du cours", "en": "List the course's groups"},
    "cmd.groups.move": {"fr": "Changer un apprenant de groupe", "en": "Move a learner to another group"},
    "cmd.groups.remove": {
        "fr": "Retirer un apprenant de son groupe (il garde le rôle, sans être replacé automatiquement)",
        "en": "Take a learner out of their group (they keep the role and are not placed again automatically)",
    },
    "cmd.groups.archive": {
        "fr": "Fin de cours : salons des groupes en lecture seule (ou supprimés)",
        "en": "End of course: group channels become read-only (or are deleted)",
    },
    "cmd.groups.repair": {
        "fr": "Recréer les salons de groupe manquants",
        "en": "Recreate missing group channels",
    },
    "cmd.mygroup": {"fr": "Votre groupe : membres et salon", "en": "Your group: members and channel"},
    "opt.strategy": {"fr": "Comment composer les groupes", "en": "How to make the groups"},
    "opt.seed": {"fr": "Graine du tirage (pour refaire exactement le même)", "en": "Random seed (to get exactly the same again)"},
    "opt.group_number": {"fr": "Numéro du groupe, ex. 3", "en": "Group number, e.g. 3"},
    "opt.learner": {"fr": "L'apprenant", "en": "The learner"},
    "opt.delete_channels": {
        "fr": "Supprimer aussi les salons des groupes archivés (définitif)",
        "en": "Also delete the channels of archived groups (final)",
    },
    # preview
    "groups.preview.title": {"fr": "Aperçu : {groups} groupes pour {learners} apprenants", "en": "Preview: {groups} groups for {learners} learners"},
    "groups.preview.summary": {
        "fr": "Stratégie : **{strategy}** · tailles {min}–{max} · **{shared}/{groups}** groupes ont au moins 1 h commune par semaine.",
        "en": "Strategy: **{strategy}** · sizes {min}–{max} · **{shared}/{groups}** groups share at least 1 h a week.",
    },
    "groups.preview.line": {
        "fr": "**{n}.** {names} — {hours} h/sem en commun{regions}",
        "en": "**{n}.** {names} — {hours} h/week shared{regions}",
    },
    "groups.preview.unknown": {
        "fr": " · disponibilités non renseignées : {names}",
        "en": " · no availability given: {names}",
    },
    "groups.preview.unknown_note": {
        "fr": "{count} apprenant(s) n'ont pas donné leurs disponibilités : ils sont répartis dans les groupes, "
        "et les heures communes d'un groupe sont celles de ses autres membres.",
        "en": "{count} learner(s) gave no availability: they are spread over the groups, and a group's "
        "shared hours are those of its other members.",
    },
    "groups.preview.more": {"fr": "… et {count} autres groupes", "en": "… and {count} more groups"},
    "groups.preview.small": {
        "fr": "⚠️ Seulement {learners} apprenants (minimum {min}) : un seul groupe, plus petit que prévu.",
        "en": "⚠️ Only {learners} learners (minimum {min}): one group, smaller than planned.",
    },
    "groups.preview.footer": {
        "fr": "Rien n'est créé tant que vous n'avez pas confirmé.",
        "en": "Nothing is created until you confirm.",
    },
    "groups.button.confirm": {"fr": "Confirmer et créer les salons", "en": "Confirm and create channels"},
    "groups.button.cancel": {"fr": "Annuler", "en": "Cancel"},
    "groups.cancelled": {"fr": "Formation annulée : rien n'a été créé.", "en": "Formation cancelled: nothing was created."},
    "groups.created": {
        "fr": "✅ {count} groupes créés, chacun avec son salon privé et un message d'accueil :\n{channels}",
        "en": "✅ {count} groups created, each with its private channel and a welcome message:\n{channels}",
    },
    "groups.repaired": {"fr": "✅ Salons recréés : {channels}", "en": "✅ Channels recreated: {channels}"},
    "groups.nothing_to_repair": {"fr": "Tous les groupes ont leur salon.", "en": "Every group has its channel."},
    # icebreaker
    "groups.icebreaker": {
        "fr": "👋 Bienvenue dans le **groupe {number}** du cours {course}, {mentions} !\n\nCe salon est à vous : seuls les membres du groupe le voient. Présentez-vous en quelques mots — **vous avez sans doute des choses à vous dire !**\n\nVoici les cartes de présentation de chacun (modifiez la vôtre avec `/profile set`).",
        "en": "👋 Welcome to **group {number}** of {course}, {mentions}!\n\nThis channel is yours: only the group's members can see it. Say hello in a few words — **you surely have things to tell each other!**\n\nHere are everyone's intro cards (edit yours with `/profile set`).",
    },
    "groups.channel.topic": {
        "fr": "Groupe {number} · {course} — un espace privé pour s'entraider",
        "en": "Group {number} · {course} — a private space to help each other",
    },
    # list / mygroup / move / archive
    "groups.list.title": {"fr": "Groupes du cours {course}", "en": "Groups of {course}"},
    "groups.list.line": {"fr": "**Groupe {number}** {channel} — {members}", "en": "**Group {number}** {channel} — {members}"},
    "groups.list.missing_channel": {"fr": "⚠️ salon manquant", "en": "⚠️ channel missing"},
    "groups.list.empty": {
        "fr": "Aucun groupe pour l'instant. Lancez `/groups form`.",
        "en": "No groups yet. Run `/groups form`.",
    },
    "groups.list.unplaced": {"fr": "Apprenants sans groupe : {count}", "en": "Learners without a group: {count}"},
    "groups.mygroup.title": {"fr": "Votre groupe : groupe {number} ({course})", "en": "Your group: group {number} ({course})"},
    "groups.mygroup.body": {"fr": "**Salon :** {channel}\n**Membres :** {members}", "en": "**Channel:** {channel}\n**Members:** {members}"},
    "groups.mygroup.next": {"fr": "**Prochaine rencontre :** {title}, {when}", "en": "**Next meetup:** {title}, {when}"},
    "groups.mygroup.no_meetup": {
        "fr": "**Prochaine rencontre :** aucune pour l'instant — proposez un moment avec `/poll create`.",
        "en": "**Next meetup:** none yet — propose a time with `/poll create`.",
    },
    "groups.moved": {"fr": "✅ {member} est maintenant dans le groupe {number}.", "en": "✅ {member} is now in group {number}."},
    "groups.archived": {
        "fr": "✅ {count} groupes archivés : leurs salons sont en lecture seule.",
        "en": "✅ {count} groups archived: their channels are read-only.",
    },
    "groups.deleted": {"fr": "🗑️ {count} salons de groupes archivés supprimés.", "en": "🗑️ {count} archived group channels deleted."},
    "groups.staff.channel_deleted": {
        "fr": "⚠️ Le salon du **groupe {number}** ({course}) a été supprimé à la main. Ses membres sont toujours dans le groupe : `/groups repair` le recrée.",
        "en": "⚠️ The channel of **group {number}** ({course}) was deleted by hand. Its members are still in the group: `/groups repair` recreates it.",
    },
    "groups.list.set_aside": {
        "fr": "Retirés de leur groupe par un enseignant (pas replacés automatiquement) : {count}",
        "en": "Taken out of their group by a teacher (not placed again automatically): {count}",
    },
    "groups.removed": {
        "fr": "✅ {member} n'est plus dans le groupe {number} et n'a plus accès à son salon. Le groupe compte maintenant {count} membre(s).",
        "en": "✅ {member} is no longer in group {number} and no longer sees its channel. The group now has {count} member(s).",
    },
    "groups.removed_waiting": {
        "fr": "✅ {member} n'attend plus de groupe.",
        "en": "✅ {member} is no longer waiting for a group.",
    },
    "groups.removed.kept": {
        "fr": "{member} garde le rôle du cours mais ne sera pas replacé automatiquement ; `/groups move` le remet dans un groupe.",
        "en": "{member} keeps the course's role but will not be placed again automatically; `/groups move` puts them back in a group.",
    },
    # a learner leaves the course (staff channel) and what it means for their group
    "departure.staff.server": {
        "fr": "👋 **{name}** ({member}) a quitté le serveur : retiré(e) du groupe {number} {channel} de **{course}**, qui compte maintenant {count} membre(s).",
        "en": "👋 **{name}** ({member}) left the server: taken out of group {number} {channel} of **{course}**, which now has {count} member(s).",
    },
    "departure.staff.role": {
        "fr": "👋 **{name}** ({member}) n'a plus le rôle des apprenants : retiré(e) du groupe {number} {channel} de **{course}**, qui compte maintenant {count} membre(s).",
        "en": "👋 **{name}** ({member}) no longer has the learner role: taken out of group {number} {channel} of **{course}**, which now has {count} member(s).",
    },
    "departure.staff.away": {
        "fr": "👋 **{name}** ({member}) est parti(e) pendant que le bot était arrêté (plus sur le serveur ou plus le rôle des apprenants) : retiré(e) du groupe {number} {channel} de **{course}**, qui compte maintenant {count} membre(s).",
        "en": "👋 **{name}** ({member}) left while the bot was offline (no longer on the server or without the learner role): taken out of group {number} {channel} of **{course}**, which now has {count} member(s).",
    },
    "departure.staff.waiting": {
        "fr": "👋 **{name}** ({member}), qui attendait un groupe dans **{course}**, a quitté le cours. En attente : {waiting}.",
        "en": "👋 **{name}** ({member}), who was waiting for a group in **{course}**, left the course. Waiting: {waiting}.",
    },
    "departure.below_min": {
        "fr": "⚠️ Le groupe {number} passe sous le minimum de {min} : vous pouvez y déplacer un apprenant avec `/groups move`, et les prochains arrivants peuvent y être placés.",
        "en": "⚠️ Group {number} is now below the minimum of {min}: you can move a learner there with `/groups move`, and the next newcomers can be placed there.",
    },
    "departure.alone": {
        "fr": "⚠️ Le groupe {number} n'a plus qu'un membre : pensez à le déplacer dans un autre groupe avec `/groups move`.",
        "en": "⚠️ Group {number} has only one member left: consider moving them to another group with `/groups move`.",
    },
    "departure.empty": {
        "fr": "Le groupe {number} n'a plus de membre.",
        "en": "Group {number} has no member left.",
    },
    # errors
    "groups.error.not_placed": {
        "fr": "{member} n'est dans aucun groupe de ce cours (ni en attente d'un groupe). Voir `/groups list`.",
        "en": "{member} is in no group of this course (nor waiting for one). See `/groups list`.",
    },
    "groups.error.empty": {
        "fr": "Aucun apprenant à placer : tous ceux qui ont le rôle du cours sont déjà dans un groupe (ou personne n'a le rôle).",
        "en": "No learner to place: everyone with the course's role is already in a group (or nobody has the role).",
    },
    "groups.error.formation_gone": {
        "fr": "Cet aperçu a déjà été confirmé ou annulé. Relancez `/groups form` si besoin.",
        "en": "This preview was already confirmed or cancelled. Run `/groups form` again if needed.",
    },
    "groups.error.too_many_channels": {
        "fr": "Impossible : le serveur a {current} salons et il en faudrait {needed} de plus (limite Discord : {limit}). Rien n'a été créé.",
        "en": "Not possible: the server has {current} channels and {needed} more are needed (Discord's limit: {limit}). Nothing was created.",
    },
    "groups.error.no_such_group": {"fr": "Il n'y a pas de groupe {number} actif. Voir `/groups list`.", "en": "There is no active group {number}. See `/groups list`."},
    "groups.error.not_in_group": {
        "fr": "Vous n'êtes dans aucun groupe pour l'instant. Votre enseignant vous placera bientôt.",
        "en": "You are not in a group yet. Your teacher will place you soon.",
    },
    "groups.error.not_learner": {
        "fr": "{member} n'a pas le rôle des apprenants de ce cours.",
        "en": "{member} does not have this course's learner role.",
    },
}
