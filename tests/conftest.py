"""Shared fixtures: settings, a migrated database (SQLite always, PostgreSQL when
TEST_DATABASE_URL is set), a fake clock, and the bot wired for SimCord."""

from __future__ import annotations

import os
import tempfile
import uuid
from datetime import UTC, datetime

import pytest
import pytest_asyncio
from sqlalchemy import text

from bot.app import create_bot
from bot.clock import FakeClock
from bot.scheduling import make_scheduler
from bot.settings import Settings
from storage.db import make_engine, make_session_factory, upgrade

PG_URL = os.environ.get("TEST_DATABASE_URL")
# `faq ask` keeps embeddings between runs in a cache folder: never the developer's own during tests.
os.environ["COHORT_CACHE_DIR"] = tempfile.mkdtemp(prefix="cohort-test-cache-")

DB_PARAMS = ["sqlite"] + (["postgresql"] if PG_URL else [])


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(datetime(2026, 9, 7, 8, 0, tzinfo=UTC))


@pytest.fixture
def settings(tmp_path) -> Settings:
    return Settings(token="test-token", database_url=f"sqlite+aiosqlite:///{tmp_path}/bot.db")


async def _fresh_postgres_schema(url: str):
    """A private schema per test so PostgreSQL tests never see each other's rows."""
    schema = "t_" + uuid.uuid4().hex[:12]
    admin = make_engine(url)
    async with admin.begin() as conn:
        await conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    await admin.dispose()
    engine = make_engine(url, connect_args={"server_settings": {"search_path": schema}})
    return engine, schema


async def _drop_schema(url: str, schema: str) -> None:
    admin = make_engine(url)
    async with admin.begin() as conn:
        await conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
    await admin.dispose()


@pytest_asyncio.fixture(params=DB_PARAMS)
async def engine(request, tmp_path):
    """A migrated database: SQLite file always, PostgreSQL too when TEST_DATABASE_URL is set."""
    if request.param == "sqlite":
        eng = make_engine(f"sqlite+aiosqlite:///{tmp_path}/test.db")
        await upgrade(eng)
        yield eng
        await eng.dispose()
    else:
        eng, schema = await _fresh_postgres_schema(PG_URL)
        await upgrade(eng)
        yield eng
        await eng.dispose()
        await _drop_schema(PG_URL, schema)


@pytest_asyncio.fixture
async def sqlite_engine(tmp_path):
    eng = make_engine(f"sqlite+aiosqlite:///{tmp_path}/bot.db")
    await upgrade(eng)
    yield eng
    await eng.dispose()


@pytest.fixture
def sessions(engine):
    return make_session_factory(engine)


@pytest.fixture
def simcord_bot(settings, sqlite_engine, clock):
    """The real bot, wired with a fake clock; its scheduler is never started under SimCord."""
    return create_bot(settings, make_session_factory(sqlite_engine), make_scheduler(), clock)


@pytest.fixture(autouse=True)
def _only_handled_errors(request):
    """SimCord records every error that reaches the tree's on_error. Those our error path
    turns into a user message (domain errors, failed checks) are expected; anything else
    fails the test."""
    if "simcord_env" not in request.fixturenames:
        yield
        return
    env = request.getfixturevalue("simcord_env")
    yield
    from bot.tree import error_message

    unexpected = [e for e in env.errors if error_message(e, "en") is None]
    assert not unexpected, f"unexpected errors: {unexpected!r}"
