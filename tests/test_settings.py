from pathlib import Path

import pytest

from bot.settings import ConfigError, load_settings

ROOT = Path(__file__).resolve().parents[1]


def test_example_config_loads_and_matches_defaults(tmp_path):
    settings = load_settings(ROOT / "config.example.toml", env={})
    assert settings.bot.default_locale == "fr"
    assert settings.course_defaults.group_size_min == 5
    assert settings.token is None
    assert settings.database_url.startswith("sqlite+aiosqlite:///")


def test_missing_config_file_means_defaults(tmp_path):
    settings = load_settings(tmp_path / "absent.toml", env={"DISCORD_TOKEN": " abc "})
    assert settings.token == "abc"
    assert settings.scheduler.tick_seconds == 30


def test_env_values(tmp_path):
    settings = load_settings(
        tmp_path / "absent.toml",
        env={
            "DATABASE_URL": "postgresql+asyncpg://u@h/db",
            "DISCORD_API_BASE": "http://127.0.0.1:1/api/v10",
            "DISCORD_GATEWAY_URL": "ws://127.0.0.1:1/",
        },
    )
    assert settings.database_url == "postgresql+asyncpg://u@h/db"
    assert settings.api_base == "http://127.0.0.1:1/api/v10"
    assert settings.gateway_url == "ws://127.0.0.1:1/"


@pytest.mark.parametrize(
    ("content", "needle"),
    [
        ("[bot]\ndefault_lang = 'fr'\n", "unknown key bot.default_lang"),
        ("[bott]\n", "unknown section [bott]"),
        ("[scheduler]\ntick_seconds = '30'\n", "scheduler.tick_seconds"),
        ("[bot]\nmembers_intent = 1\n", "bot.members_intent in"),
        ("[course_defaults]\ngroup_size_min = true\n", "must be a whole number"),
        ("[course_defaults]\ngroup_size_min = 7\n", "group_size_min/group_size_max"),
        ("[course_defaults]\ntimezone = 'Mars/Olympus'\n", "unknown timezone"),
        ("[bot]\ndefault_locale = 'de'\n", "bot.default_locale"),
        ("[bot\n", "not valid TOML"),
    ],
)
def test_bad_config_names_the_key_and_the_file(tmp_path, content, needle):
    path = tmp_path / "config.toml"
    path.write_text(content)
    with pytest.raises(ConfigError) as info:
        load_settings(path, env={})
    assert needle in str(info.value)
    assert str(path) in str(info.value)


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({}, (None, None, (1, (0,)))),
        ({"SHARD_COUNT": "4"}, (4, None, (4, (0, 1, 2, 3)))),
        ({"SHARD_COUNT": "4", "SHARD_IDS": "3, 1"}, (4, (1, 3), (4, (1, 3)))),
        ({"SHARD_COUNT": "8", "SHARD_IDS": "4-7"}, (8, (4, 5, 6, 7), (8, (4, 5, 6, 7)))),
    ],
)
def test_shards_come_from_the_environment(tmp_path, env, expected):
    from bot.settings import shards

    settings = load_settings(tmp_path / "absent.toml", env=env)
    assert (settings.shard_count, settings.shard_ids, shards(settings)) == expected


@pytest.mark.parametrize(
    ("env", "needle"),
    [
        ({"SHARD_IDS": "0"}, "SHARD_IDS needs SHARD_COUNT"),
        ({"SHARD_COUNT": "0"}, "SHARD_COUNT must be a whole number of at least 1"),
        ({"SHARD_COUNT": "two"}, "SHARD_COUNT must be"),
        ({"SHARD_COUNT": "2", "SHARD_IDS": "2"}, "from 0 to 1"),
        ({"SHARD_COUNT": "4", "SHARD_IDS": "1,1"}, "distinct"),
        ({"SHARD_COUNT": "4", "SHARD_IDS": "a-b"}, "like 0,1 or 0-3"),
    ],
)
def test_bad_shards_are_named(tmp_path, env, needle):
    with pytest.raises(ConfigError, match=needle):
        load_settings(tmp_path / "absent.toml", env=env)
