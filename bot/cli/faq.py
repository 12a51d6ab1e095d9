"""`faq` command group of the bot's command line: query a FAQ base file.

    faq ask --base data/faq/base.toml "c quand les exams ?"
    faq ask --base base.csv < questions.txt            # one JSON object per line
    faq ask --base base.csv --text < questions.txt     # one readable block per line

`register(subparsers)` adds the group to an argparse parser and returns the
group's own subparsers, so other subcommands (`faq import`) can be added to it.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections import Counter
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, TextIO

import numpy as np

from bot.i18n import DEFAULT_LANGUAGE, LANGUAGES, t
from bot.services.faq_base import FaqEntry, FaqImportError, decode_text, parse_base, render_problems
from bot.services.faq_engine import ENGINES, FaqMatcher, Hit, MatchResult, default_embedder

EXIT_USAGE = 2


class CliError(Exception):
    """A problem to report on stderr, already in the user's language; exit code 2."""


def register(subparsers: Any) -> Any:
    """Add the `faq` group to `subparsers`; return the group's subparsers for more commands."""
    faq = subparsers.add_parser("faq", help=t("faq.cli.help", DEFAULT_LANGUAGE))
    commands = faq.add_subparsers(dest="faq_command", metavar="COMMAND", required=True)
    ask = commands.add_parser("ask", help=t("faq.cli.ask_help", DEFAULT_LANGUAGE))
    ask.add_argument("--base", required=True, metavar="FILE", help="FAQ base, .toml or .csv")
    ask.add_argument("question", nargs="?", help="the question; without it, one question per line on stdin")
    output = ask.add_mutually_exclusive_group()
    output.add_argument(
        "--json", action="store_true", help="machine-readable output (always JSON Lines on stdin input)"
    )
    output.add_argument("--text", action="store_true", help="readable output, also for questions on stdin")
    ask.add_argument("--lang", choices=LANGUAGES, default=DEFAULT_LANGUAGE, help="language of the messages")
    ask.add_argument(
        "--engine",
        choices=ENGINES,
        default="auto",
        help="matching engine, as faq.engine in config.toml (default: auto)",
    )
    ask.add_argument("--lexical", action="store_true", help="same as --engine lexical")
    ask.add_argument(
        "--no-cache", action="store_true", help="embed the whole base again instead of reusing saved vectors"
    )
    ask.set_defaults(handler=run_ask)
    return commands


def read_base(path: str, lang: str, notes: TextIO | None = None) -> list[FaqEntry]:
    """The entries of a FAQ file (.toml or .csv); a CliError naming every problem otherwise. Fields
    the file has and the bot does not read are named on `notes` (standard error)."""
    file = Path(path)
    try:
        data = file.read_bytes()
    except FileNotFoundError:
        raise CliError(t("faq.cli.file_not_found", lang, path=path)) from None
    except OSError as exc:
        raise CliError(t("faq.cli.file_unreadable", lang, path=path, detail=exc.strerror or exc)) from None
    try:
        parsed = parse_base(file.name, data)
    except FaqImportError as exc:
        lines = [
            t("faq.cli.bad_base", lang, path=path),
            t(exc.key, lang, **exc.params),
            *(f"  {p}" for p in render_problems(exc, lang)),
        ]
        raise CliError("\n".join(lines)) from None
    if parsed.notice:
        key, values = parsed.notice
        print(t(key, lang, **values), file=notes or sys.stderr)
    return parsed.entries


def load_matcher(
    path: str, lang: str, engine: str = "auto", cache: bool = True, notes: TextIO | None = None
) -> FaqMatcher:
    """The matcher for a FAQ file. With `cache`, the entries' embeddings are kept in `cache_file()`
    between runs, so asking again (or after editing a few entries) does not embed the whole base."""
    entries = read_base(path, lang, notes)
    embedder = default_embedder(engine)
    if embedder is None:
        return FaqMatcher.from_entries(entries, embedder=None)
    store = cache_file() if cache else None
    saved = _read_vectors(store) if store else {}
    matcher = FaqMatcher.from_entries(entries, embedder, vectors=saved)
    if store and matcher.embedder is not None:
        fresh = matcher.export_vectors()
        if not fresh.keys() <= saved.keys():
            room = max(VECTOR_CACHE_LIMIT - len(fresh), 0)  # the oldest saved vectors go first
            kept = list(saved.items())[max(len(saved) - room, 0) :] if room else []
            _write_vectors(store, {**dict(kept), **fresh})
    return matcher


VECTOR_CACHE_LIMIT = 20_000  # embeddings kept between runs (~2 kB each)


def cache_file() -> Path:
    """$COHORT_CACHE_DIR, else $XDG_CACHE_HOME/cohort-bot, else ~/.cache/cohort-bot; then faq-vectors.npz."""
    folder = os.environ.get("COHORT_CACHE_DIR") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache"), "cohort-bot"
    )
    return Path(folder) / "faq-vectors.npz"


def _read_vectors(file: Path) -> dict[str, bytes]:
    try:
        with np.load(file, allow_pickle=False) as data:
            return {str(key): row.tobytes() for key, row in zip(data["keys"], data["vectors"], strict=True)}
    except (OSError, KeyError, ValueError):  # none yet, unreadable or from another version: embed again
        return {}


def _write_vectors(file: Path, vectors: dict[str, bytes]) -> None:
    size = Counter(len(raw) for raw in vectors.values()).most_common(1)[0][0]
    keys = [key for key, raw in vectors.items() if len(raw) == size]
    matrix = np.frombuffer(b"".join(vectors[key] for key in keys), dtype=np.float32).reshape(len(keys), -1)
    try:
        file.parent.mkdir(parents=True, exist_ok=True)
        partial = file.with_name(f".{file.name}.{os.getpid()}.npz")
        np.savez(partial, keys=np.array(keys), vectors=matrix)
        os.replace(partial, file)
    except OSError:  # a read-only home: the next run embeds again, nothing else changes
        pass


def result_json(matcher: FaqMatcher, result: MatchResult, closest: list[Hit] | None = None) -> dict[str, Any]:
    """The JSON object for one question. With no match, `alternatives` are the `closest` entries
    (the three best ranked, whatever their score) when given: what a teacher testing a list
    wants to see, to know which entry the question should have found."""
    alternatives = result.alternatives
    if result.match is None and closest is not None:
        alternatives = [h for h in closest[:3] if h.score > 0]
    match = None
    if result.match is not None:
        entry = matcher.entries[result.match.id]
        match = {
            "id": entry.id,
            "score": result.match.score,
            "answer": entry.answer,
            "confident": result.confident,
        }
    return {"match": match, "alternatives": [{"id": h.id, "score": h.score} for h in alternatives]}


def result_text(matcher: FaqMatcher, result: MatchResult, lang: str) -> str:
    def percent(score: float) -> int:
        return round(score * 100)

    lines = []
    if result.match is not None:
        entry = matcher.entries[result.match.id]
        key = "faq.answer.confident" if result.confident else "faq.answer.tentative"
        lines.append(
            t(key, lang, question=entry.question, score=percent(result.match.score), answer=entry.answer)
        )
        if result.alternatives:
            lines.append(t("faq.answer.see_also" if result.confident else "faq.answer.maybe", lang))
    else:
        lines.append(t("faq.answer.none", lang))
        if result.alternatives:
            lines.append(t("faq.answer.related", lang))
    for hit in result.alternatives:
        lines.append(
            t("faq.answer.alternative", lang, question=hit.question, id=hit.id, score=percent(hit.score))
        )
    return "\n".join(lines)


def _text(raw: bytes | str) -> str:
    """A line as text whatever its encoding (see `decode_text`: "caf\xe9" from an old spreadsheet
    too); a str holding undecodable bytes (the surrogates Python leaves in argv or stdin) is read
    the same way."""
    if isinstance(raw, str):
        try:
            raw.encode("utf-8")
            return raw
        except UnicodeEncodeError:
            raw = raw.encode("utf-8", "surrogateescape")
    return decode_text(raw, errors="replace")


def _questions(args: argparse.Namespace, stdin: TextIO) -> Iterable[str]:
    if args.question is not None:
        yield _text(args.question)
        return
    lines: Iterable[bytes | str] = getattr(stdin, "buffer", stdin)  # bytes when there is a byte stream
    for line in lines:
        text = _text(line).strip()
        if text:
            yield text


def run_ask(
    args: argparse.Namespace,
    stdout: TextIO | None = None,
    stdin: TextIO | None = None,
    stderr: TextIO | None = None,
) -> int:
    # `python -m bot` calls handlers with the arguments only.
    stdout, stdin, stderr = stdout or sys.stdout, stdin or sys.stdin, stderr or sys.stderr
    try:
        engine = "lexical" if args.lexical else args.engine
        matcher = load_matcher(args.base, args.lang, engine, cache=not args.no_cache, notes=stderr)
    except CliError as exc:
        stderr.write(f"{exc}\n")
        return EXIT_USAGE
    try:
        _answer_all(matcher, args, stdout, stdin)
    except BrokenPipeError:  # the reader went away (`| head`): stop quietly, like other tools
        if stdout is sys.stdout:
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1
    return 0


def _answer_all(matcher: FaqMatcher, args: argparse.Namespace, stdout: TextIO, stdin: TextIO) -> None:
    # A list of questions on stdin is a teacher's test run: JSON Lines unless --text asks otherwise.
    as_json = args.json or (args.question is None and not args.text)
    first = True
    for question in _questions(args, stdin):
        ranking = matcher.scored(question, limit=3)
        result = matcher.decide(ranking)
        if as_json:
            stdout.write(json.dumps(result_json(matcher, result, ranking.hits), ensure_ascii=False) + "\n")
        else:
            if not first:
                stdout.write("\n")
            if args.question is None:
                stdout.write(t("faq.cli.question", args.lang, question=question) + "\n")
            stdout.write(result_text(matcher, result, args.lang) + "\n")
        stdout.flush()
        first = False


def main(
    argv: list[str] | None = None,
    stdout: TextIO | None = None,
    stderr: TextIO | None = None,
    stdin: TextIO | None = None,
) -> int:
    """Entry point taking `faq ...` arguments (as `python -m bot faq ...` will)."""
    stdout = stdout or sys.stdout
    stderr = stderr or sys.stderr
    stdin = stdin or sys.stdin
    parser = argparse.ArgumentParser(prog="bot")
    register(parser.add_subparsers(dest="command", required=True))
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse already printed the usage
        return int(exc.code or 0) if exc.code in (0, None) else EXIT_USAGE
    handler: Callable[..., int] = args.handler
    return handler(args, stdout, stdin, stderr)


if __name__ == "__main__":
    raise SystemExit(main())
