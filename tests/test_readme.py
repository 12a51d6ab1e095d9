"""The README's invite URL asks for exactly the permissions the code lists."""

import re
from pathlib import Path

import discord

from bot.permissions import PERMISSIONS_INTEGER, REQUIRED

README = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")


def test_invite_url_carries_the_exact_permission_integer():
    ints = set(re.findall(r"permissions=(\d+)", README))
    assert ints == {str(PERMISSIONS_INTEGER)}


def test_permission_bits_match_discord_py_names():
    for name, bit, _ in REQUIRED:
        assert getattr(discord.Permissions, name).flag == bit, name
