"""`data export` / `data erase`: a member's data, for whoever runs the bot (a GDPR request from
someone who can no longer use `/mydata`, for instance after leaving the server).

    python -m bot data export --guild ID --user ID              # the JSON /mydata export sends
    python -m bot data erase --guild ID --user ID [--left]      # what /mydata delete erases

`--left`: the member has left the server, so their places in groups, last active day and
`/nudges off` choice are erased too (on a member still there, the group channel would keep its
access while the bot forgets the place). Uses DATABASE_URL (from `.env`, like the bot) and applies
the migrations first. A poll still open shows its old tallies until its next vote.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from typing import Any, TextIO

from bot.i18n import DEFAULT_LANGUAGE, LANGUAGES, t
from bot.services.privacy import PrivacyService, describe_counts

EXIT_PROBLEM = 2


def register(subparsers: Any) -> None:
    data = subparsers.add_parser("data", help=t("data.cli.help", DEFAULT_LANGUAGE))
    data_sub = data.add_subparsers(dest="data_command", required=True)
    for name, text in (
        ("export", "print everything kept about a member on a server, as JSON"),
        ("erase", "erase a member's data on a server, as /mydata delete does"),
    ):
        command = data_sub.add_parser(name, help=text)
        command.add_argument("--guild", type=int, required=True, metavar="ID", help="the Discord server id")
        command.add_argument("--user", type=int, required=True, metavar="ID", help="the member's Discord id")
        command.add_argument(
            "--lang", choices=LANGUAGES, default=DEFAULT_LANGUAGE, help="language of the messages"
        )
        command.set_defaults(handler=run)
    data_sub.choices["erase"].add_argument(
        "--left",
        action="store_true",
        help="the member left the server: also erase their places in groups, last active day, nudges choice",
    )


async def _run(args: argparse.Namespace) -> dict[str, Any] | str:
    from bot.clock import SystemClock
    from bot.settings import load_settings
    from storage.db import make_engine, make_session_factory, upgrade

    settings = load_settings(getattr(args, "config", "config.toml"))
    engine = make_engine(settings.database_url)
    try:
        await upgrade(engine)
        privacy = PrivacyService(make_session_factory(engine), SystemClock())
        if args.data_command == "export":
            return await privacy.export(args.guild, args.user)
        erased = await privacy.erase(args.guild, args.user, left=args.left)
    finally:
        await engine.dispose()
    if not erased.total:
        return t("data.cli.nothing", args.lang, guild=args.guild, user=args.user)
    details = describe_counts(erased.counts, args.lang)
    return t(
        "data.cli.erased", args.lang, guild=args.guild, user=args.user, total=erased.total, details=details
    )


def run(args: argparse.Namespace, stdout: TextIO | None = None, stderr: TextIO | None = None) -> int:
    from sqlalchemy.exc import SQLAlchemyError

    from bot.settings import ConfigError

    stdout, stderr = stdout or sys.stdout, stderr or sys.stderr
    try:
        result = asyncio.run(_run(args))
    except ConfigError as exc:
        stderr.write(f"Configuration error: {exc}\n")
        return EXIT_PROBLEM
    except (SQLAlchemyError, OSError) as exc:
        stderr.write(t("faq.cli.database", args.lang, detail=type(exc).__name__) + "\n")
        return EXIT_PROBLEM
    if isinstance(result, dict):
        stdout.write(json.dumps(result, ensure_ascii=False, indent=2) + "\n")
    else:
        stdout.write(result + "\n")
    return 0
