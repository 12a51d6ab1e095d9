"""The app factory: builds the bot from settings, sessions, scheduler and clock.

Nothing starts at import; `bot.__main__` wires the real pieces, tests wire fakes.
"""

from __future__ import annotations

import hashlib
import json
import logging
from dataclasses import dataclass

import discord
from apscheduler.schedulers.asyncio import AsyncIOScheduler
from discord.ext import commands

from bot.clock import Clock
from bot.services.actions import ActionQueue, ActionRunner, Shards
from bot.services.activity import ActivityService
from bot.services.botstate import BotStateService
from bot.services.courses import CourseService
from bot.services.departures import DepartureService
from bot.services.faq import FaqService
from bot.services.groups import GroupService
from bot.services.meetups import MeetupService
from bot.services.newcomers import NewcomerService
from bot.services.nudges import NudgeService
from bot.services.polls import PollService
from bot.services.privacy import PrivacyService
from bot.services.profiles import ProfileService
from bot.services.reminders import ReminderService
from bot.services.reports import ReportService
from bot.settings import Settings, shards
from bot.tree import NO_MENTIONS, CatalogTranslator, CohortTree
from storage.db import SessionFactory

log = logging.getLogger(__name__)

EXTENSIONS = (
    "cogs.help",
    "cogs.courses",
    "cogs.profiles",
    "cogs.groups",
    "cogs.polls",
    "cogs.meetups",
    "cogs.activity",
    "cogs.nudges",
    "cogs.newcomers",
    "cogs.departures",
    "cogs.faq",
    "cogs.privacy",
)
SYNC_HASH_KEY = "command_sync_hash"


@dataclass
class Services:
    state: BotStateService
    actions: ActionQueue
    runner: ActionRunner
    courses: CourseService
    profiles: ProfileService
    groups: GroupService
    polls: PollService
    meetups: MeetupService
    activity: ActivityService
    newcomers: NewcomerService
    departures: DepartureService
    nudges: NudgeService
    faq: FaqService
    privacy: PrivacyService
    reports: ReportService
    reminders: ReminderService


def build_services(sessions: SessionFactory, clock: Clock, settings: Settings) -> Services:
    actions = ActionQueue(sessions, clock)
    activity = ActivityService(sessions, clock)
    newcomers = NewcomerService(sessions, clock, ProfileService(sessions, clock))
    groups = GroupService(sessions, clock)
    departures = DepartureService(sessions, clock, actions, groups)
    return Services(
        state=BotStateService(sessions, clock),
        actions=actions,
        runner=ActionRunner(actions, shards=Shards(*shards(settings))),
        courses=CourseService(sessions, clock, settings.course_defaults),
        profiles=ProfileService(sessions, clock),
        groups=groups,
        polls=PollService(sessions, clock, actions),
        meetups=MeetupService(sessions, clock),
        activity=activity,
        newcomers=newcomers,
        departures=departures,
        nudges=NudgeService(sessions, clock, actions, activity, newcomers, departures),
        faq=FaqService(sessions, clock, settings.faq.engine),
        privacy=PrivacyService(sessions, clock, activity.watch.flush),
        reports=ReportService(sessions, clock),
        reminders=ReminderService(sessions, clock, actions),
    )


def make_intents(settings: Settings) -> discord.Intents:
    intents = discord.Intents.default()
    intents.members = settings.bot.members_intent
    intents.message_content = settings.bot.message_content_intent
    return intents


class CohortBot(commands.Bot):
    def __init__(
        self,
        *,
        settings: Settings,
        sessions: SessionFactory,
        scheduler: AsyncIOScheduler,
        clock: Clock,
        services: Services,
        extensions: tuple[str, ...] = EXTENSIONS,
    ) -> None:
        sharding = {}
        if settings.shard_count:
            sharding = {"shard_count": settings.shard_count, "shard_ids": list(shards(settings)[1])}
        super().__init__(
            command_prefix=commands.when_mentioned,
            intents=make_intents(settings),
            tree_cls=CohortTree,
            help_command=None,
            allowed_mentions=NO_MENTIONS,
            **sharding,
        )
        self.settings = settings
        self.sessions = sessions
        self.scheduler = scheduler
        self.clock = clock
        self.services = services
        self._extensions = extensions
        self.last_sync_done = False

    async def setup_hook(self) -> None:
        await self.services.courses.load_languages()  # for guild_lang, which cannot wait on the database
        await self.tree.set_translator(CatalogTranslator())
        for name in self._extensions:
            await self.load_extension(name)
        try:
            await self.sync_commands_if_changed()
        except discord.HTTPException as error:  # scheduled work and buttons need no slash command
            log.error(
                "Discord refused the slash commands (%s %s): the bot runs, its commands may be missing "
                "or out of date until the next start",
                error.status,
                error.text,
            )

    async def command_hash(self) -> str:
        """Hash of exactly what a sync would send (translated payloads + application id)."""
        translator = self.tree.translator
        payload = [
            await command.get_translated_payload(self.tree, translator)
            for command in self.tree.get_commands()
        ]
        blob = json.dumps({"app": self.application_id, "commands": payload}, sort_keys=True, default=str)
        return hashlib.sha256(blob.encode()).hexdigest()

    async def sync_commands_if_changed(self) -> bool:
        """Sync application commands only when their definition changed since the last sync, or when
        Discord no longer has them all (a database kept while the application's commands were
        removed, or another application id): one GET, instead of a PUT on every start."""
        digest = await self.command_hash()
        if await self.services.state.get(SYNC_HASH_KEY) == digest:
            registered = {command.name for command in await self.tree.fetch_commands()}
            if registered == {command.name for command in self.tree.get_commands()}:
                log.info("application commands unchanged, no sync")
                self.last_sync_done = False
                return False
            log.info("application commands unchanged here but not all registered on Discord: syncing")
        synced = await self.tree.sync()
        await self.services.state.set(SYNC_HASH_KEY, digest)
        log.info("synced %d application commands", len(synced))
        self.last_sync_done = True
        return True

    async def run_due(self) -> int:
        """The scheduler's tick: due actions, once the gateway has given every guild (before that, a
        handler would find its guild missing and drop the action). Returns how many ran."""
        if not self.is_ready():
            return 0
        return await self.services.runner.run_due()

    async def on_ready(self) -> None:
        log.info("ready as %s (id=%s) in %d guilds", self.user, self.user and self.user.id, len(self.guilds))

    async def close(self) -> None:
        """Cogs write what they hold in memory (their cog_unload) before the connection closes."""
        for name in list(self.cogs):
            try:
                await self.remove_cog(name)
            except Exception:  # one cog's failure must not keep the others from saving
                log.exception("cog %s failed to unload on close", name)
        await super().close()


class ShardedCohortBot(CohortBot, commands.AutoShardedBot):
    """The same bot on several gateway shards (SHARD_COUNT, and SHARD_IDS for this process's share):
    discord.py's AutoShardedBot runs one connection per shard in this process."""


def create_bot(
    settings: Settings,
    sessions: SessionFactory,
    scheduler: AsyncIOScheduler,
    clock: Clock,
    *,
    extensions: tuple[str, ...] = EXTENSIONS,
) -> CohortBot:
    cls = ShardedCohortBot if settings.shard_count else CohortBot
    return cls(
        settings=settings,
        sessions=sessions,
        scheduler=scheduler,
        clock=clock,
        services=build_services(sessions, clock, settings),
        extensions=extensions,
    )
