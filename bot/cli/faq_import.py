"""`faq import`: load a FAQ base file into the database, as `/faqbase import` does.

    python -m bot faq import faq.toml --guild 123456789012345678 [--course "Licence 1"] [--replace]

Uses DATABASE_URL (from `.env`, like the bot) and applies the migrations first. All or
nothing: a file with any bad row imports nothing and exits with status 2, the problems
listed one per line. Merges by entry id unless `--replace`. A running bot picks the change up
at its next question (`FaqService` compares the base's signature before each one).
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from typing import Any, TextIO

from bot.cli.faq import CliError, read_base
from bot.errors import DomainError, NotConfigured
from bot.i18n import DEFAULT_LANGUAGE, LANGUAGES, t
from bot.services.faq_base import FaqEntry

EXIT_PROBLEM = 2


def register(commands: Any) -> None:
    """Add `import` to the `faq` group's subparsers (see `bot.cli.faq.register`)."""
    imp = commands.add_parser("import", help=t("faq.cli.import_help", DEFAULT_LANGUAGE))
    imp.add_argument("file", help="FAQ base, .toml ([[faq]] tables) or .csv")
    imp.add_argument("--guild", type=int, required=True, metavar="ID", help="the Discord server id")
    imp.add_argument(
        "--course",
        metavar="NAME",
        help="course name or id (default: the server's only course, or the server-wide base if it has none)",
    )
    imp.add_argument("--replace", action="store_true", help="replace the whole base (default: merge by id)")
    imp.add_argument("--lang", choices=LANGUAGES, default=DEFAULT_LANGUAGE, help="language of the messages")
    imp.set_defaults(handler=run_import)


async def _import(args: argparse.Namespace, entries: list[FaqEntry]) -> str:
    from sqlalchemy.exc import SQLAlchemyError

    from bot.clock import SystemClock
    from bot.services.courses import CourseService
    from bot.services.faq import FaqService
    from bot.settings import ConfigError, load_settings
    from storage.db import make_engine, make_session_factory, upgrade

    lang = args.lang
    try:
        settings = load_settings(getattr(args, "config", "config.toml"))
    except ConfigError as exc:
        raise CliError(f"Configuration error: {exc}") from None
    engine = make_engine(settings.database_url)
    try:
        await upgrade(engine)
        sessions = make_session_factory(engine)
        clock = SystemClock()
        courses = CourseService(sessions, clock, settings.course_defaults)
        course = None
        if args.course or await courses.list(args.guild):
            try:
                course = await courses.resolve(args.guild, args.course)
            except NotConfigured:
                message = t("faq.cli.unknown_course", lang, name=args.course, guild=args.guild)
                raise CliError(message) from None
        faq = FaqService(sessions, clock, engine="lexical")  # writes only: no matcher is built
        report = await faq.import_entries(
            args.guild, course.id if course else None, entries, replace=args.replace
        )
    except SQLAlchemyError as exc:
        raise CliError(t("faq.cli.database", lang, detail=type(exc).__name__)) from None
    except OSError as exc:
        raise CliError(t("faq.cli.database", lang, detail=exc)) from None
    finally:
        await engine.dispose()
    return t(
        "faq.cli.imported",
        lang,
        path=args.file,
        added=report.added,
        updated=report.updated,
        removed=report.removed,
        total=report.total,
        base=course.name if course else t("faqbase.base.guild", lang),
    )


def run_import(
    args: argparse.Namespace,
    stdout: TextIO | None = None,
    stdin: TextIO | None = None,
    stderr: TextIO | None = None,
) -> int:
    stdout, stderr = stdout or sys.stdout, stderr or sys.stderr
    try:
        entries = read_base(args.file, args.lang, stderr)
        message = asyncio.run(_import(args, entries))
    except CliError as exc:
        print(exc, file=stderr)
        return EXIT_PROBLEM
    except DomainError as exc:  # course unknown, several courses…
        print(t(exc.key, args.lang, **exc.params), file=stderr)
        return EXIT_PROBLEM
    stdout.write(message + "\n")
    return 0
