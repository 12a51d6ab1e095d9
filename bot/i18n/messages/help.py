"""/help texts."""

MESSAGES = {
    "cmd.help": {
        "fr": "Ce que fait le bot et les commandes que vous pouvez utiliser",
        "en": "What the bot does and the commands you can use",
    },
    "help.title": {
        "fr": "Bienvenue ! Je suis le bot d'entraide du cours",
        "en": "Welcome! I am the course's peer-support bot",
    },
    "help.intro": {
        "fr": (
            "J'aide les apprenants à distance à ne pas rester seuls : je forme de petits groupes "
            "privés, je vous aide à trouver un moment pour vous retrouver en vocal, je réponds aux "
            "questions fréquentes, et je préviens les enseignants quand un groupe devient silencieux.\n\n"
            "**Les commandes que vous pouvez utiliser :**"
        ),
        "en": (
            "I help distance learners not to stay alone: I form small private groups, help you "
            "find a time to meet by voice, answer frequently asked questions, and let teachers "
            "know when a group goes quiet.\n\n"
            "**The commands you can use:**"
        ),
    },
    "help.footer": {
        "fr": "Tapez / dans la zone de message pour voir chaque commande et ses options.",
        "en": "Type / in the message box to see each command and its options.",
    },
}
