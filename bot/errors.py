"""Domain errors: each carries a catalog key and the values its message needs.

Services raise these; the command tree's error handler renders them in the
user's language. They never import discord.
"""

from __future__ import annotations

from typing import Any


class DomainError(Exception):
    """A failure the user can understand and fix. `key` names a catalog entry."""

    key = "error.generic"

    def __init__(self, key: str | None = None, /, **params: Any) -> None:
        if key is not None:
            self.key = key
        self.params = params
        super().__init__(f"{self.key} {params}" if params else self.key)


class NotConfigured(DomainError):
    key = "error.not_configured"


class NotAllowed(DomainError):
    key = "error.not_allowed"


class InvalidInput(DomainError):
    """Input the user typed that we cannot read; params usually hold `value` and an `example`."""

    key = "error.invalid_input"


class NotFound(DomainError):
    key = "error.not_found"
