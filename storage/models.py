"""SQLModel tables. Snowflakes are BigInteger; datetimes are aware UTC.

Every table change comes with an Alembic revision in storage/migrations/versions.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel

from storage.types import Snowflake, UTCDateTime


class BotState(SQLModel, table=True):
    """Small key/value facts about the bot itself (e.g. the hash of the last command sync)."""

    __tablename__ = "bot_state"

    key: str = Field(primary_key=True, max_length=100)
    value: str = Field(max_length=4000)
    updated_at: datetime = Field(sa_type=UTCDateTime)



class Course(SQLModel, table=True):
    """A course on a guild: its roles, staff channel and settings (edited by /course)."""

    __tablename__ = "course"
    __table_args__ = (UniqueConstraint("guild_id", "learner_role_id", name="uq_course_learner_role"),)

    id: int | None = Field(default=None, primary_key=True)
    guild_id: int = Field(sa_type=Snowflake, index=True)
    name: str = Field(max_length=100)
    learner_role_id: int = Field(sa_type=Snowflake)
    teacher_role_id: int = Field(sa_type=Snowflake)
    staff_channel_id: int = Field(sa_type=Snowflake)
    timezone: str = Field(max_length=64)
    start_date: date
    group_size_min: int = 5
    group_size_max: int = 6
    teachers_see_groups: bool = False
    category_name: str = Field(max_length=100)
    created_at: datetime = Field(sa_type=UTCDateTime)


class Profile(SQLModel, table=True):
    """What a learner tells about themselves (per guild). Never message content."""

    __tablename__ = "profile"
    __table_args__ = (UniqueConstraint("guild_id", "user_id", name="uq_profile_member"),)

    id: int | None = Field(default=None, primary_key=True)
    guild_id: int = Field(sa_type=Snowflake, index=True)
    user_id: int = Field(sa_type=Snowflake)
    city: str | None = Field(default=None, max_length=100)
    region: str | None = Field(default=None, max_length=100)
    timezone: str | None = Field(default=None, max_length=64)
    availability: str | None = Field(default=None, max_length=300)
    about: str | None = Field(default=None, max_length=400)
    updated_at: datetime = Field(sa_type=UTCDateTime)


class LearnerGroup(SQLModel, table=True):
    """A small group of a course and its private channel."""

    __tablename__ = "learner_group"
    __table_args__ = (UniqueConstraint("course_id", "number", name="uq_group_number"),)

    id: int | None = Field(default=None, primary_key=True)
    course_id: int = Field(foreign_key="course.id", index=True)
    number: int
    channel_id: int | None = Field(default=None, sa_type=Snowflake, index=True)
    status: str = Field(default="active", max_length=20)  # active | archived
    icebreaker_sent: bool = False
    channel_missing_reported: bool = False
    created_at: datetime = Field(sa_type=UTCDateTime)


class GroupMember(SQLModel, table=True):
    """A learner's place in a group; one group per learner per course."""

    __tablename__ = "group_member"
    __table_args__ = (UniqueConstraint("course_id", "user_id", name="uq_member_course"),)

    id: int | None = Field(default=None, primary_key=True)
    group_id: int = Field(foreign_key="learner_group.id", index=True)
    course_id: int = Field(foreign_key="course.id")
    user_id: int = Field(sa_type=Snowflake, index=True)
    joined_at: datetime = Field(sa_type=UTCDateTime)


class Formation(SQLModel, table=True):
    """A proposed split of a course's learners, kept so Confirm works after a restart."""

    __tablename__ = "formation"

    id: int | None = Field(default=None, primary_key=True)
    course_id: int = Field(foreign_key="course.id", index=True)
    strategy: str = Field(max_length=20)
    seed: int = 0
    plan: str  # JSON: [[user_id, ...], ...]
    status: str = Field(default="preview", max_length=20)  # preview | confirmed | cancelled
    created_by: int = Field(sa_type=Snowflake)
    created_at: datetime = Field(sa_type=UTCDateTime)



class Action(SQLModel, table=True):
    """A scheduled or alerting action, claimed atomically before it is done.

    `(kind, key)` is unique: scheduling the same action twice is a no-op, so a
    restart or a second process can never create a duplicate. A claim holds a
    lease; a worker that dies mid-action loses it and another retries the row.
    """

    __tablename__ = "action"
    __table_args__ = (UniqueConstraint("kind", "key", name="uq_action_kind_key"),)

    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(max_length=50)
    key: str = Field(max_length=200)
    due_at: datetime = Field(sa_type=UTCDateTime, index=True)
    payload: str = "{}"
    status: str = Field(default="pending", max_length=20, index=True)  # pending|running|done|failed|cancelled
    attempts: int = 0
    lease_until: datetime | None = Field(default=None, sa_type=UTCDateTime)
    claimed_by: str | None = Field(default=None, max_length=100)
    nonce: str = Field(max_length=25)
    last_error: str | None = Field(default=None, max_length=500)
    created_at: datetime = Field(sa_type=UTCDateTime)
    done_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


metadata = SQLModel.metadata
