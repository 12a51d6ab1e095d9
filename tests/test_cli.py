"""The entry point as a user runs it: no token, bad config, db upgrade."""

import logging
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def run(args, cwd, env_extra=None):
    env = {k: v for k, v in os.environ.items() if k not in ("DISCORD_TOKEN", "DATABASE_URL")}
    env["PYTHONPATH"] = str(ROOT)
    env.update(env_extra or {})
    return subprocess.run(
        [sys.executable, "-m", "bot", *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=60
    )


def test_no_token_gives_a_clear_message_not_a_traceback(tmp_path):
    proc = run([], tmp_path)
    assert proc.returncode == 2
    assert "No Discord token found" in proc.stderr
    assert ".env" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_empty_token_in_dotenv_is_no_token(tmp_path):
    (tmp_path / ".env").write_text("DISCORD_TOKEN=\n")
    proc = run([], tmp_path)
    assert proc.returncode == 2
    assert "No Discord token found" in proc.stderr


def test_bad_config_names_key_and_file(tmp_path):
    (tmp_path / "config.toml").write_text("[bot]\nlocale = 'fr'\n")
    proc = run([], tmp_path, {"DISCORD_TOKEN": "x"})
    assert proc.returncode == 2
    assert "unknown key bot.locale" in proc.stderr
    assert "config.toml" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_db_upgrade_creates_the_schema(tmp_path):
    proc = run(["db", "upgrade"], tmp_path, {"DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path}/x.db"})
    assert proc.returncode == 0, proc.stderr
    assert "database at revision" in proc.stdout
    assert (tmp_path / "x.db").exists()


def test_teacher_tools_report_a_missing_file_without_a_traceback(tmp_path):
    for args in (["faq", "ask", "--base", "missing.toml", "c quand les exams ?"],
                 ["groups", "plan", "--roster", "missing.csv"]):
        proc = run(args, tmp_path)
        assert proc.returncode == 2, args
        assert "missing." in proc.stderr
        assert "Traceback" not in proc.stderr


def test_scheduler_ticks_are_not_logged_below_debug():
    from bot.__main__ import configure_logging

    quiet = logging.getLogger("apscheduler.executors")
    try:
        configure_logging("INFO")
        assert quiet.level == logging.WARNING  # a failed job is still an error
        quiet.setLevel(logging.NOTSET)
        configure_logging("DEBUG")
        assert quiet.level == logging.NOTSET  # asked for everything, gets everything
    finally:
        quiet.setLevel(logging.NOTSET)
        logging.getLogger("discord.gateway").setLevel(logging.NOTSET)
