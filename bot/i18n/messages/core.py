"""Messages shared by every feature: generic errors and the help command."""

MESSAGES = {
    "error.generic": {
        "fr": "Quelque chose s'est mal passé. Réessayez dans un instant.",
        "en": "Something went wrong. Please try again in a moment.",
    },
    "error.unexpected": {
        "fr": "Oups, une erreur inattendue est survenue. L'équipe a été prévenue ; réessayez plus tard.",
        "en": "Oops, an unexpected error happened. It has been logged; please try again later.",
    },
    "error.not_configured": {
        "fr": "Ce serveur n'a pas encore de cours configuré. Un enseignant doit lancer `/course setup`.",
        "en": "This server has no course set up yet. A teacher needs to run `/course setup`.",
    },
    "error.not_allowed": {
        "fr": "Vous n'avez pas le droit d'utiliser cette commande.",
        "en": "You are not allowed to use this command.",
    },
    "error.invalid_input": {
        "fr": "Je n'ai pas compris « {value} ». Exemple : {example}",
        "en": "I could not read “{value}”. Example: {example}",
    },
    "error.not_found": {
        "fr": "Introuvable : {what}.",
        "en": "Not found: {what}.",
    },
    "error.guild_only": {
        "fr": "Cette commande ne fonctionne que sur un serveur, pas en message privé.",
        "en": "This command only works in a server, not in direct messages.",
    },
    "error.missing_permissions": {
        "fr": "Il vous manque la permission : {permissions}.",
        "en": "You are missing the permission: {permissions}.",
    },
    "error.bot_missing_permissions": {
        "fr": "Il me manque la permission : {permissions}. Demandez à un administrateur de me l'accorder.",
        "en": "I am missing the permission: {permissions}. Ask an administrator to grant it.",
    },
    "error.discord_forbidden": {
        "fr": (
            "Discord m'a refusé cette action : il me manque une permission dans ce salon ou sur ce "
            "serveur. Un administrateur peut vérifier les permissions de mon rôle et du salon "
            "(celles du lien d'invitation, dans le README), puis réessayer."
        ),
        "en": (
            "Discord refused this action: I am missing a permission in this channel or server. An "
            "administrator can check my role's and the channel's permissions (those of the invite "
            "link, in the README), then try again."
        ),
    },
    "error.discord_unavailable": {
        "fr": "Discord ne répond pas pour le moment. Réessayez dans une minute.",
        "en": "Discord is not answering right now. Please try again in a minute.",
    },
    "error.cooldown": {
        "fr": "Doucement ! Réessayez dans {seconds} s.",
        "en": "Slow down! Try again in {seconds} s.",
    },
}
