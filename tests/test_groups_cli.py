"""`groups plan`: the teachers' offline tool, through main() and once as a real process."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from bot.cli.groups import main, parse_size
from bot.services.synthetic import generate_roster, roster_csv_text

ROOT = Path(__file__).resolve().parents[1]
DATE = ["--date", "2026-10-05"]


@pytest.fixture
def roster(tmp_path):
    path = tmp_path / "roster.csv"
    path.write_text(roster_csv_text(generate_roster(75, 4), delimiter=";", bom=True), encoding="utf-8")
    return path


def run(capsys, *argv):
    code = main(["groups", "plan", *argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_json_output(capsys, roster):
    code, out, err = run(capsys, "--roster", str(roster), "--strategy", "availability", "--size", "5-6",
                         "--seed", "3", "--json", *DATE)
    assert code == 0, err
    data = json.loads(out)
    assert data["strategy"] == "availability" and data["size"] == {"min": 5, "max": 6}
    members = [name for g in data["groups"] for name in g["members"]]
    assert len(members) == len(set(members)) == 75
    assert all(5 <= len(g["members"]) <= 6 for g in data["groups"])
    assert all(isinstance(g["shared_hours"], float | int) for g in data["groups"])
    assert data["unassigned"] == [] and data["size_violations"] == 0
    code, again, _ = run(capsys, "--roster", str(roster), "--size", "5-6", "--seed", "3", "--json", *DATE)
    assert again == out


@pytest.fixture
def roster_with_blanks(tmp_path):
    """12 learners free on weekday evenings and 3 who left their availability empty."""
    rows = [f"Ana {i},Paris,IDF,Europe/Paris,lun-ven 21h-23h," for i in range(12)]
    rows += [f"Zoé {i},Lyon,ARA,Europe/Paris,," for i in range(3)]
    path = tmp_path / "blanks.csv"
    header = "name,city,region,timezone,availability,about\n"
    path.write_text(header + "\n".join(rows) + "\n", encoding="utf-8")
    return path


def test_json_lists_unknown_availability_spread_over_the_groups(capsys, roster_with_blanks):
    code, out, err = run(capsys, "--roster", str(roster_with_blanks), "--size", "5", "--json", *DATE)
    assert code == 0, err
    data = json.loads(out)
    assert [len(g["unknown_availability"]) for g in data["groups"]] == [1, 1, 1]  # one each, not bundled
    unknown = sorted(name for g in data["groups"] for name in g["unknown_availability"])
    assert unknown == ["Zoé 0", "Zoé 1", "Zoé 2"]
    for g in data["groups"]:
        assert set(g["unknown_availability"]) <= set(g["members"]) and len(g["members"]) == 5
        assert g["shared_hours"] == 10.0  # the others' weekday evenings, not 0 because of one blank
    assert data["groups_with_shared_hour"] == 3


@pytest.mark.parametrize(
    ("lang", "hours", "line", "member", "summary"),
    [
        ("fr", "— 10 h communes par semaine —",
         "Disponibilités non renseignées, non prises en compte dans les heures communes : Zoé 0",
         "- Zoé 0 (Lyon, ARA, Europe/Paris) : disponibilités non renseignées",
         "3 apprenant(s) n'ont pas donné leurs disponibilités (répartis dans 3 groupe(s))"),
        ("en", "— 10 shared hours per week —",
         "No availability given, not counted in the shared hours: Zoé 0",
         "- Zoé 0 (Lyon, ARA, Europe/Paris): availability not given",
         "3 learner(s) gave no availability (spread over 3 group(s))"),
    ],
)
def test_table_shows_unknown_availability(capsys, roster_with_blanks, lang, hours, line, member, summary):
    code, out, _ = run(capsys, "--roster", str(roster_with_blanks), "--size", "5", "--lang", lang, *DATE)
    assert code == 0
    assert out.count(hours) == 3 and out.count(line[:30]) == 3
    assert line in out and member in out and summary in out


@pytest.mark.parametrize(("lang", "word"), [("fr", "Groupe 1"), ("en", "Group 1")])
def test_table_output(capsys, roster, lang, word):
    code, out, _ = run(capsys, "--roster", str(roster), "--lang", lang, *DATE)
    assert code == 0
    assert word in out and "Europe/Paris" in out
    assert out.count("\n  - ") == 75


@pytest.mark.parametrize("strategy", ["region", "mixed", "alphabetical", "random"])
def test_every_strategy(capsys, roster, strategy):
    code, out, _ = run(capsys, "--roster", str(roster), "--strategy", strategy, "--json", *DATE)
    assert code == 0 and json.loads(out)["strategy"] == strategy


def test_few_learners_warns(capsys, tmp_path):
    path = tmp_path / "r.csv"
    path.write_text(roster_csv_text(generate_roster(3, 1)))
    code, out, _ = run(capsys, "--roster", str(path), "--json", *DATE)
    data = json.loads(out)
    assert code == 0 and len(data["groups"]) == 1 and data["warnings"]


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["--size", "6-5"], "minimum 6, maximum 5"),
        (["--size", "big"], "« big »"),
        (["--timezone", "Mars/Olympus"], "Mars/Olympus"),
        (["--date", "05/10/2026"], "05/10/2026"),
    ],
)
def test_bad_options_exit_2_with_a_message(capsys, roster, args, needle):
    code, out, err = run(capsys, "--roster", str(roster), *args)
    assert code == 2 and out == ""
    assert needle in err and "Traceback" not in err


def test_bad_rows_are_all_listed_and_nothing_is_planned(capsys, tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text(
        "name;city;region;timezone;availability;about\n"
        "Ana;Paris;IDF;Europe/Paris;lun 20h-22h;\n"
        "Ben;Paris;IDF;Europe/Pariss;lun 20h-22h;\n"
        "Cleo;Paris;IDF;Europe/Paris;lundi soir tard;\n",
        encoding="utf-8",
    )
    code, out, err = run(capsys, "--roster", str(path), "--lang", "en")
    assert code == 2 and out == ""
    assert "2 error(s)" in err
    assert "line 3: Unknown timezone: “Europe/Pariss”" in err
    assert "line 4: “tard” is neither a day nor a time. Example: lun 20:00-22:00, sam 09:00-12:00" in err


def test_missing_columns_and_missing_file(capsys, tmp_path):
    path = tmp_path / "cols.csv"
    path.write_text("name,city\nAna,Paris\n")
    code, _, err = run(capsys, "--roster", str(path))
    assert code == 2 and "ligne 1" in err and "region, timezone, availability, about" in err
    code, _, err = run(capsys, "--roster", str(tmp_path / "nope.csv"))
    assert code == 2 and "nope.csv" in err


def test_argparse_errors_return_2(capsys):
    assert main(["groups", "plan"]) == 2  # --roster missing
    assert main(["groups", "plan", "--roster", "x", "--strategy", "height"]) == 2
    capsys.readouterr()


def test_parse_size():
    assert parse_size("5-6") == (5, 6)
    assert parse_size("5–6") == (5, 6)
    assert parse_size(" 4 ") == (4, 4)


def test_as_a_process_from_stdin_json():
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    text = roster_csv_text(generate_roster(40, 2))
    proc = subprocess.run(
        [sys.executable, "-c", "from bot.cli.groups import main; raise SystemExit(main())",
         "groups", "plan", "--roster", "-", "--json", "--size", "5-6", *DATE],
        input=text, capture_output=True, text=True, env=env, cwd=ROOT, timeout=60,
    )
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    assert sum(len(g["members"]) for g in data["groups"]) == 40
    assert all(isinstance(g["shared_hours"], float | int) for g in data["groups"])


def test_as_a_process_bad_input_no_traceback(tmp_path):
    path = tmp_path / "r.csv"
    path.write_text("name,city,region,timezone,availability,about\nAna,Paris,IDF,Nowhere/Land,,\n")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.run(
        [sys.executable, "-c", "from bot.cli.groups import main; raise SystemExit(main())",
         "groups", "plan", "--roster", str(path)],
        capture_output=True, text=True, env=env, cwd=ROOT, timeout=60,
    )
    assert proc.returncode == 2
    assert "ligne 2" in proc.stderr and "Nowhere/Land" in proc.stderr and "Traceback" not in proc.stderr
