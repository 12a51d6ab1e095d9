"""One catalog for every user-facing string, in French and English.

Messages live in `bot/i18n/messages/<feature>.py`, each module exposing
`MESSAGES = {"key": {"fr": "...", "en": "..."}}` with `{named}` placeholders.
All modules are merged into one catalog; a key defined twice is an error.
"""

from __future__ import annotations

import importlib
import pkgutil
from functools import cache
from typing import Any

from bot.i18n import messages as _messages_pkg

LANGUAGES = ("fr", "en")
DEFAULT_LANGUAGE = "fr"


class _Missing(dict):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


@cache
def catalog() -> dict[str, dict[str, str]]:
    merged: dict[str, dict[str, str]] = {}
    for info in sorted(pkgutil.iter_modules(_messages_pkg.__path__), key=lambda i: i.name):
        module = importlib.import_module(f"{_messages_pkg.__name__}.{info.name}")
        for key, texts in module.MESSAGES.items():
            if key in merged:
                raise RuntimeError(f"catalog key {key!r} defined twice (again in {info.name})")
            merged[key] = texts
    return merged


def language_of(locale: str | None) -> str | None:
    """Map a Discord locale ('fr', 'en-US', 'en-GB'…) to one of our languages, or None."""
    if not locale:
        return None
    head = str(locale).split("-")[0].split("_")[0].lower()
    return head if head in LANGUAGES else None


def pick_language(*locales: str | None, default: str = DEFAULT_LANGUAGE) -> str:
    """First supported language among the candidates (interaction, then guild), else default."""
    for loc in locales:
        lang = language_of(loc)
        if lang:
            return lang
    return language_of(default) or DEFAULT_LANGUAGE


def t(key: str, lang: str, /, **params: Any) -> str:
    """The message `key` in `lang` ('fr' or 'en'), placeholders filled from params."""
    texts = catalog().get(key)
    if texts is None:
        raise KeyError(f"unknown catalog key {key!r}")
    text = texts.get(lang) or texts[DEFAULT_LANGUAGE]
    return text.format_map(_Missing({k: v for k, v in params.items()}))


def has(key: str) -> bool:
    return key in catalog()
