"""SQLModel tables. Snowflakes are BigInteger; datetimes are aware UTC.

Every table change comes with an Alembic revision in storage/migrations/versions.
"""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Field, SQLModel

from storage.types import UTCDateTime


class BotState(SQLModel, table=True):
    """Small key/value facts about the bot itself (e.g. the hash of the last command sync)."""

    __tablename__ = "bot_state"

    key: str = Field(primary_key=True, max_length=100)
    value: str = Field(max_length=4000)
    updated_at: datetime = Field(sa_type=UTCDateTime)


metadata = SQLModel.metadata
