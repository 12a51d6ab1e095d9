"""Alembic environment: runs on a connection handed in by storage.db.upgrade."""

from __future__ import annotations

from alembic import context

from storage.models import metadata

connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError("run migrations through `python -m bot db upgrade` (storage.db.upgrade)")

context.configure(
    connection=connection,
    target_metadata=metadata,
    render_as_batch=connection.dialect.name == "sqlite",
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
