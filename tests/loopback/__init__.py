"""Loopback Discord: an offline fake Discord (REST validated against the OpenAPI spec + gateway).

async with LoopbackDiscord() as server:
    guild = server.add_guild("Test", preferred_locale="fr")
    ...  # point discord.py at server.api_base / server.gateway_url
    server.assert_no_violations()
"""

from .server import Injection, LoopbackDiscord, RecordedRequest, Violation
from .spec import DiscordSpec
from .state import InteractionRecord

__all__ = ["DiscordSpec", "Injection", "InteractionRecord", "LoopbackDiscord", "RecordedRequest", "Violation"]
