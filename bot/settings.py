"""Typed settings: secrets from the environment (.env), bot defaults from config.toml.

Built once in `bot.__main__` and passed down; services never read the environment.
"""

from __future__ import annotations

import dataclasses
import os
import tomllib
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any, get_type_hints


class ConfigError(Exception):
    """A setting is missing or wrong; the message names the key and where it came from."""


@dataclass(frozen=True)
class BotSection:
    default_locale: str = "fr"
    log_level: str = "INFO"
    members_intent: bool = True
    message_content_intent: bool = True


@dataclass(frozen=True)
class SchedulerSection:
    tick_seconds: int = 30


@dataclass(frozen=True)
class CourseDefaults:
    group_size_min: int = 5
    group_size_max: int = 6
    timezone: str = "Europe/Paris"
    teachers_see_groups: bool = False


@dataclass(frozen=True)
class FaqSection:
    # "auto": lexical + USE embeddings (fast); "thorough": lexical + USE and e5 blended (a few points
    # more on the hardest paraphrases, ~10x slower); "lexical": no model. See docs/faq-matching.md.
    engine: str = "auto"


@dataclass(frozen=True)
class Settings:
    token: str | None = None
    database_url: str = "sqlite+aiosqlite:///cohort.db"
    api_base: str | None = None
    gateway_url: str | None = None
    # gateway sharding: None = one connection for every guild; else the bot's total shard count and
    # the shards this process runs (all of them when SHARD_IDS is not set)
    shard_count: int | None = None
    shard_ids: tuple[int, ...] | None = None
    bot: BotSection = field(default_factory=BotSection)
    scheduler: SchedulerSection = field(default_factory=SchedulerSection)
    course_defaults: CourseDefaults = field(default_factory=CourseDefaults)
    faq: FaqSection = field(default_factory=FaqSection)


_SECTIONS = {
    "bot": BotSection,
    "scheduler": SchedulerSection,
    "course_defaults": CourseDefaults,
    "faq": FaqSection,
}
_FAQ_ENGINES = ("auto", "thorough", "lexical")  # bot.services.faq_engine.ENGINES
_LOCALES = ("fr", "en")
_LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR")


def _check_type(value: Any, expected: type, where: str) -> Any:
    # bool is a subclass of int in Python: refuse it where an int is expected.
    if expected is int and (isinstance(value, bool) or not isinstance(value, int)):
        raise ConfigError(f"{where} must be a whole number, got {value!r}")
    if expected is bool and not isinstance(value, bool):
        raise ConfigError(f"{where} must be true or false, got {value!r}")
    if expected is str and not isinstance(value, str):
        raise ConfigError(f"{where} must be a string in quotes, got {value!r}")
    return value


def _section(cls: type, raw: Any, name: str, path: Path) -> Any:
    if not isinstance(raw, dict):
        raise ConfigError(f"[{name}] in {path} must be a table")
    hints = get_type_hints(cls)
    known = {f.name for f in fields(cls)}
    values = {}
    for key, value in raw.items():
        where = f"{name}.{key} in {path}"
        if key not in known:
            raise ConfigError(f"unknown key {name}.{key} in {path} (known: {', '.join(sorted(known))})")
        values[key] = _check_type(value, hints[key], where)
    return cls(**values)


def load_config_file(path: Path) -> dict[str, Any]:
    """Read config.toml into section objects; a missing file means all defaults."""
    if not path.exists():
        return {}
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path} is not valid TOML: {exc}") from None
    sections = {}
    for name, body in raw.items():
        if name not in _SECTIONS:
            raise ConfigError(f"unknown section [{name}] in {path} (known: {', '.join(_SECTIONS)})")
        sections[name] = _section(_SECTIONS[name], body, name, path)
    return sections


def _validate(settings: Settings, path: Path) -> None:
    if settings.bot.default_locale not in _LOCALES:
        raise ConfigError(f"bot.default_locale in {path} must be one of {_LOCALES}")
    if settings.bot.log_level.upper() not in _LOG_LEVELS:
        raise ConfigError(f"bot.log_level in {path} must be one of {_LOG_LEVELS}")
    if settings.faq.engine not in _FAQ_ENGINES:
        raise ConfigError(f"faq.engine in {path} must be one of {_FAQ_ENGINES}")
    if settings.scheduler.tick_seconds < 1:
        raise ConfigError(f"scheduler.tick_seconds in {path} must be at least 1")
    cd = settings.course_defaults
    if not 2 <= cd.group_size_min <= cd.group_size_max:
        raise ConfigError(
            f"course_defaults.group_size_min/group_size_max in {path}: need 2 <= min <= max"
        )
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        ZoneInfo(cd.timezone)
    except (ZoneInfoNotFoundError, ValueError):
        raise ConfigError(f"course_defaults.timezone in {path}: unknown timezone {cd.timezone!r}") from None


def _shards(env: dict[str, str]) -> tuple[int | None, tuple[int, ...] | None]:
    """SHARD_COUNT and SHARD_IDS ("0,1" or "0-3"), each process of a sharded bot with its own ids."""
    raw_count = (env.get("SHARD_COUNT") or "").strip()
    raw_ids = (env.get("SHARD_IDS") or "").strip()
    if not raw_count:
        if raw_ids:
            raise ConfigError("SHARD_IDS needs SHARD_COUNT, the bot's number of shards (e.g. SHARD_COUNT=4)")
        return None, None
    if not raw_count.isdigit() or int(raw_count) < 1:
        raise ConfigError(f"SHARD_COUNT must be a whole number of at least 1, got {raw_count!r} (e.g. 4)")
    count = int(raw_count)
    if not raw_ids:
        return count, None
    ids: list[int] = []
    for part in raw_ids.replace(" ", "").split(","):
        first, dash, last = part.partition("-")
        if not first.isdigit() or (dash and not last.isdigit()):
            raise ConfigError(f"SHARD_IDS must list shard numbers like 0,1 or 0-3, got {raw_ids!r}")
        ids.extend(range(int(first), int(last if dash else first) + 1))
    if not ids or any(i >= count for i in ids) or len(set(ids)) != len(ids):
        raise ConfigError(
            f"SHARD_IDS must list distinct shards from 0 to {count - 1} (SHARD_COUNT={count}), "
            f"got {raw_ids!r}"
        )
    return count, tuple(sorted(ids))


def load_settings(
    config_path: Path | str = "config.toml", env: dict[str, str] | None = None
) -> Settings:
    """Settings from `env` (defaults to os.environ, after .env was loaded) and the config file."""
    env = dict(os.environ if env is None else env)
    path = Path(config_path)
    sections = load_config_file(path)
    shard_count, shard_ids = _shards(env)
    settings = Settings(
        token=(env.get("DISCORD_TOKEN") or "").strip() or None,
        database_url=(env.get("DATABASE_URL") or "").strip() or Settings.database_url,
        api_base=(env.get("DISCORD_API_BASE") or "").strip() or None,
        gateway_url=(env.get("DISCORD_GATEWAY_URL") or "").strip() or None,
        shard_count=shard_count,
        shard_ids=shard_ids,
        **sections,
    )
    _validate(settings, path)
    return settings


def shards(settings: Settings) -> tuple[int, tuple[int, ...]]:
    """(shard count, the shards this process runs): (1, (0,)) when the bot is not sharded."""
    count = settings.shard_count or 1
    return count, settings.shard_ids or tuple(range(count))


def replace(settings: Settings, **changes: Any) -> Settings:
    return dataclasses.replace(settings, **changes)
