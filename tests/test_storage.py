"""Storage on SQLite always, and on PostgreSQL when TEST_DATABASE_URL is set."""

import asyncio
from datetime import UTC, datetime, timedelta, timezone

import pytest

from bot.services.botstate import BotStateService
from storage.db import current_revision, make_engine, normalize_url, upgrade
from tests.conftest import PG_URL, _drop_schema, _fresh_postgres_schema


async def test_migrations_reach_head_and_are_idempotent(engine):
    assert await current_revision(engine) is not None
    head = await current_revision(engine)
    await upgrade(engine)
    assert await current_revision(engine) == head


async def test_bot_state_round_trip_keeps_aware_utc(sessions, clock):
    state = BotStateService(sessions, clock)
    assert await state.get("k") is None
    await state.set("k", "v1")
    clock.advance(minutes=5)
    await state.set("k", "v2")
    assert await state.get("k") == "v2"
    from storage.models import BotState

    async with sessions() as s:
        row = await s.get(BotState, "k")
    assert row.updated_at == clock.now()
    assert row.updated_at.tzinfo is not None


async def test_non_utc_input_is_stored_as_utc(sessions):
    from bot.clock import FakeClock
    from storage.models import BotState

    paris = timezone(timedelta(hours=2))
    clock = FakeClock(datetime(2026, 9, 7, 10, 0, tzinfo=paris))
    await BotStateService(sessions, clock).set("x", "1")
    async with sessions() as s:
        row = await s.get(BotState, "x")
    assert row.updated_at == datetime(2026, 9, 7, 8, 0, tzinfo=UTC)


def test_pasted_urls_get_async_drivers():
    assert normalize_url("postgres://u@h/db") == "postgresql+asyncpg://u@h/db"
    assert normalize_url("postgresql://u@h/db") == "postgresql+asyncpg://u@h/db"
    assert normalize_url("sqlite:///x.db") == "sqlite+aiosqlite:///x.db"
    assert normalize_url("sqlite+aiosqlite:///x.db") == "sqlite+aiosqlite:///x.db"


async def test_migrations_build_exactly_the_tables_the_models_declare(engine):
    """A model changed without its Alembic revision (or the reverse) shows here."""
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext
    from sqlmodel import SQLModel

    import storage.models  # noqa: F401  (the tables register on SQLModel.metadata)

    def differences(connection):
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        return compare_metadata(context, SQLModel.metadata)

    async with engine.connect() as connection:
        assert await connection.run_sync(differences) == []


async def test_processes_starting_together_migrate_a_new_database_once(tmp_path):
    """Several bot processes (shards) started at once on a new database: each applies the
    migrations on start, one after the other, and all of them start."""
    if PG_URL is None:
        pytest.skip("TEST_DATABASE_URL is not set")
    first, schema = await _fresh_postgres_schema(PG_URL)
    engines = [first] + [
        make_engine(PG_URL, connect_args={"server_settings": {"search_path": schema}}) for _ in range(2)
    ]
    try:
        await asyncio.wait_for(asyncio.gather(*(upgrade(e) for e in engines)), 60)
        revisions = {await current_revision(e) for e in engines}
        assert len(revisions) == 1 and None not in revisions
    finally:
        for e in engines:
            await e.dispose()
        await _drop_schema(PG_URL, schema)
