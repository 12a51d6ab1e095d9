"""Entry point: `python -m bot` runs the bot; sub-commands for the database and teachers' tools."""

from __future__ import annotations

import argparse
import asyncio
import logging
import signal
import sys
from pathlib import Path

from dotenv import load_dotenv

from bot.settings import ConfigError, Settings, load_settings

log = logging.getLogger("bot")

NO_TOKEN = """\
No Discord token found.

  1. Create a bot in the Discord Developer Portal (see README.md, "Discord application").
  2. Copy .env.example to .env and put the bot's token after DISCORD_TOKEN=
  3. Run `python -m bot` again.
"""


def configure_logging(level: str) -> None:
    logging.basicConfig(
        level=level.upper(),
        format="%(asctime)s %(levelname)-7s %(name)s: %(message)s",
    )
    logging.getLogger("discord.gateway").setLevel(logging.WARNING)
    if logging.getLevelName(level.upper()) != logging.DEBUG:
        # two lines per scheduler tick ("Running job", "executed successfully") would bury the rest;
        # a job that fails is still logged, as an error
        logging.getLogger("apscheduler.executors").setLevel(logging.WARNING)


def point_discord_at(settings: Settings) -> None:
    """Testing only: talk to a local Discord-compatible server instead of discord.com."""
    import discord.gateway
    import discord.http
    import yarl

    if settings.api_base:
        discord.http.Route.BASE = settings.api_base.rstrip("/")
        log.warning("using Discord API at %s (testing)", settings.api_base)
    if settings.gateway_url:
        discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(settings.gateway_url)
        log.warning("using Discord gateway at %s (testing)", settings.gateway_url)


async def backoff_if_crash_looping(state, clock) -> None:
    from bot.services import startup

    now = clock.now()
    history = startup.recent_starts(startup.decode(await state.get("recent_starts")), now)
    delay = startup.login_delay(history, now)
    await state.set("recent_starts", startup.encode([*history, now]))
    if delay:
        log.warning("started %d times in 10 minutes: waiting %.0f s before logging in", len(history), delay)
        await asyncio.sleep(delay)


async def run_bot(settings: Settings) -> int:
    import discord

    from bot.app import create_bot
    from bot.clock import SystemClock
    from bot.scheduling import add_tick, make_scheduler
    from storage.db import make_engine, make_session_factory, upgrade

    engine = make_engine(settings.database_url)
    try:
        await upgrade(engine)
        sessions = make_session_factory(engine)
        scheduler = make_scheduler()
        clock = SystemClock()
        bot = create_bot(settings, sessions, scheduler, clock)
        await backoff_if_crash_looping(bot.services.state, clock)
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(sig, lambda: asyncio.ensure_future(bot.close()))
        add_tick(scheduler, "actions", bot.run_due, settings.scheduler.tick_seconds)
        async with bot:
            scheduler.start()
            try:
                await bot.start(settings.token or "")
            except discord.LoginFailure:
                print("Discord refused the token. Check DISCORD_TOKEN in .env "
                      "(Developer Portal → your application → Bot → Reset Token).", file=sys.stderr)
                return 2
            except discord.PrivilegedIntentsRequired:
                print("Discord refused the privileged intents. In the Developer Portal → Bot, enable "
                      "SERVER MEMBERS INTENT and MESSAGE CONTENT INTENT, or turn them off in config.toml "
                      "([bot] members_intent / message_content_intent = false).", file=sys.stderr)
                return 2
            finally:
                if scheduler.running:
                    scheduler.shutdown(wait=False)
        return 0
    finally:
        await engine.dispose()


async def db_upgrade(settings: Settings) -> int:
    from storage.db import current_revision, make_engine, upgrade

    engine = make_engine(settings.database_url)
    try:
        await upgrade(engine)
        print(f"database at revision {await current_revision(engine)}")
    finally:
        await engine.dispose()
    return 0


def build_parser() -> argparse.ArgumentParser:
    from bot.cli import data, faq, faq_import, groups

    parser = argparse.ArgumentParser(
        prog="python -m bot", description="Peer-support bot for distance learners."
    )
    parser.add_argument(
        "--config", default="config.toml", help="bot defaults file (default: config.toml)"
    )
    sub = parser.add_subparsers(dest="command")
    sub.add_parser("run", help="run the bot (the default)")
    db = sub.add_parser("db", help="database maintenance")
    db_sub = db.add_subparsers(dest="db_command", required=True)
    db_sub.add_parser("upgrade", help="apply database migrations")
    groups.register(sub)
    faq_import.register(faq.register(sub))
    data.register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    load_dotenv(Path.cwd() / ".env", override=False)
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command not in (None, "run", "db"):
        return args.handler(args)
    try:
        settings = load_settings(args.config)
    except ConfigError as exc:
        print(f"Configuration error: {exc}", file=sys.stderr)
        return 2
    configure_logging(settings.bot.log_level)
    if args.command == "db":
        return asyncio.run(db_upgrade(settings))
    if not settings.token:
        print(NO_TOKEN, file=sys.stderr)
        return 2
    point_discord_at(settings)
    try:
        return asyncio.run(run_bot(settings))
    except KeyboardInterrupt:
        return 0


if __name__ == "__main__":
    raise SystemExit(main())
