"""Rules of the codebase, checked: layering, catalog completeness, command definitions."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
from discord import app_commands

from bot import i18n

ROOT = Path(__file__).resolve().parents[1]


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


@pytest.mark.parametrize(
    "path",
    sorted(
        [*(ROOT / "bot" / "services").rglob("*.py"), *(ROOT / "storage").rglob("*.py")],
        key=str,
    ),
    ids=lambda p: str(p.relative_to(ROOT)),
)
def test_services_and_storage_never_import_discord(path):
    assert "discord" not in _imports(path)


def test_no_direct_clock_reads_in_logic():
    pattern = re.compile(r"datetime\.(now|utcnow)\(|time\.time\(\)")
    offenders = []
    for folder in ("bot", "cogs", "storage"):
        for path in (ROOT / folder).rglob("*.py"):
            if path.name == "clock.py":
                continue
            for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
                if pattern.search(line):
                    offenders.append(f"{path.relative_to(ROOT)}:{n}")
    assert offenders == []


def test_every_catalog_key_has_both_languages_and_same_placeholders():
    field = re.compile(r"\{(\w+)\}")
    for key, texts in i18n.catalog().items():
        assert set(texts) == set(i18n.LANGUAGES), key
        assert all(t.strip() for t in texts.values()), key
        assert set(field.findall(texts["fr"])) == set(field.findall(texts["en"])), key


def _all_commands(bot) -> list:
    return list(bot.tree.walk_commands())


async def test_commands_have_unique_names_catalog_descriptions_and_limits(simcord_env):
    bot = simcord_env.bot
    names = [c.qualified_name for c in _all_commands(bot)]
    assert len(names) == len(set(names))
    for command in _all_commands(bot):
        key = "cmd." + command.qualified_name.replace(" ", ".")
        assert i18n.has(key), f"{key} missing from the catalog"
        for lang in i18n.LANGUAGES:
            assert 1 <= len(i18n.t(key, lang)) <= 100, key
        if isinstance(command, app_commands.Command):
            for param in command.parameters:
                assert param.description and param.description != "…", (command.qualified_name, param.name)
                assert len(param.description) <= 100


async def test_teacher_groups_are_hidden_by_default_and_checked_on_the_server(simcord_env):
    from cogs._common import TeacherCog

    teacher_groups = {
        cog.__cog_group_name__ for cog in simcord_env.bot.cogs.values() if isinstance(cog, TeacherCog)
    }
    assert {"course", "groups", "faqbase", "activity"} <= teacher_groups
    synced = next(r for r in simcord_env.http_requests if r.method == "PUT" and r.path.endswith("/commands"))
    for command in synced.json:
        manage_guild = str(command.get("default_member_permissions")) == "32"
        assert manage_guild == (command["name"] in teacher_groups), command["name"]
        if command["name"] != "help":
            assert command.get("contexts") == [0], command["name"]  # guild only
