"""`python -m bot faq import` as a real process: migrations applied, all or nothing, exit 2 with
the problems listed and no traceback."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from bot.clock import FakeClock
from bot.services.courses import CourseInput, CourseService
from bot.services.faq import FaqService
from bot.settings import CourseDefaults
from storage.db import make_engine, make_session_factory, upgrade

ROOT = Path(__file__).resolve().parents[1]
BASE = ROOT / "data" / "faq" / "base.toml"
GUILD = 111222333444555666


def run_cli(tmp_path: Path, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path}/bot.db", "PYTHONPATH": str(ROOT)}
    env.pop("DISCORD_TOKEN", None)
    return subprocess.run(
        [sys.executable, "-m", "bot", "--config", str(tmp_path / "none.toml"), "faq", "import", *args],
        capture_output=True,
        text=True,
        cwd=tmp_path,  # no .env there: DATABASE_URL comes from the environment
        env=env,
        timeout=120,
        check=False,
    )


async def entries(tmp_path: Path, course_id: int | None = None):
    engine = make_engine(f"sqlite+aiosqlite:///{tmp_path}/bot.db")
    try:
        await upgrade(engine)
        faq = FaqService(make_session_factory(engine), FakeClock(), engine="lexical")
        return await faq.entries(GUILD, course_id)
    finally:
        await engine.dispose()


async def test_import_loads_the_base_then_merges(tmp_path):
    proc = run_cli(tmp_path, str(BASE), "--guild", str(GUILD), "--lang", "en")
    assert proc.returncode == 0, proc.stderr
    assert "32 added, 0 updated, 0 removed; 32 entries (whole server)" in proc.stdout
    loaded = await entries(tmp_path)
    assert len(loaded) == 32
    exam = next(e for e in loaded if e.id == "exam-dates")
    assert "**13 au 17 janvier**" in exam.answer and exam.variants

    one = tmp_path / "one.csv"
    one.write_text("id,question,answer\nexam-dates,Quand ont lieu les examens ?,En janvier.\n")
    proc = run_cli(tmp_path, str(one), "--guild", str(GUILD), "--lang", "en")
    assert proc.returncode == 0, proc.stderr
    assert "0 added, 1 updated, 0 removed; 32 entries" in proc.stdout
    proc = run_cli(tmp_path, str(one), "--guild", str(GUILD), "--lang", "en", "--replace")
    assert "0 added, 1 updated, 31 removed; 1 entries" in proc.stdout
    assert [e.answer for e in await entries(tmp_path)] == ["En janvier."]


async def test_bad_rows_import_nothing_and_exit_2_without_traceback(tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "id,question,answer,lang\nok,Question ?,Réponse,fr\nok,Doublon ?,Réponse,fr\nx,,Réponse,de\n",
        encoding="utf-8",
    )
    proc = run_cli(tmp_path, str(bad), "--guild", str(GUILD), "--lang", "en")
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr
    assert "nothing was imported" in proc.stderr
    assert "Row 3 (entry 2): the id “ok” is already used on row 2." in proc.stderr
    assert "Row 4 (entry 3): missing question." in proc.stderr
    assert "Row 4 (entry 3): unknown language “de”" in proc.stderr
    assert await entries(tmp_path) == []

    missing = run_cli(tmp_path, str(tmp_path / "nope.toml"), "--guild", str(GUILD), "--lang", "en")
    assert missing.returncode == 2 and "FAQ file not found" in missing.stderr


async def test_import_into_a_named_course(tmp_path):
    engine = make_engine(f"sqlite+aiosqlite:///{tmp_path}/bot.db")
    await upgrade(engine)
    courses = CourseService(make_session_factory(engine), FakeClock(), CourseDefaults())
    course, _ = await courses.setup(
        GUILD, CourseInput(learner_role_id=1, teacher_role_id=2, staff_channel_id=3, name="Licence 1")
    )
    second = CourseInput(learner_role_id=4, teacher_role_id=2, staff_channel_id=3, name="M2")
    await courses.setup(GUILD, second)
    await engine.dispose()

    several = run_cli(tmp_path, str(BASE), "--guild", str(GUILD), "--lang", "en")
    assert several.returncode == 2 and "Traceback" not in several.stderr
    unknown = run_cli(tmp_path, str(BASE), "--guild", str(GUILD), "--course", "L3", "--lang", "en")
    assert unknown.returncode == 2 and "L3" in unknown.stderr
    proc = run_cli(tmp_path, str(BASE), "--guild", str(GUILD), "--course", "licence 1", "--lang", "en")
    assert proc.returncode == 0, proc.stderr
    assert "(Licence 1)" in proc.stdout
    assert len(await entries(tmp_path, course.id)) == 32
    assert await entries(tmp_path) == []
