"""activity watch, nudges, newcomers

Revision ID: 0005
Revises: 0004

"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

import storage.types

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

_AUTO = sqlmodel.sql.sqltypes.AutoString


def upgrade() -> None:
    with op.batch_alter_table("course", schema=None) as batch_op:
        batch_op.add_column(sa.Column("quiet_days", sa.Integer(), nullable=False, server_default="7"))
        batch_op.add_column(sa.Column("isolation_days", sa.Integer(), nullable=False, server_default="10"))
        batch_op.add_column(sa.Column("unanswered_hours", sa.Integer(), nullable=False, server_default="24"))
        batch_op.add_column(sa.Column("nudge_weekday", sa.Integer(), nullable=False, server_default="0"))
        batch_op.add_column(sa.Column("nudge_time", _AUTO(length=5), nullable=False, server_default="18:00"))

    op.create_table(
        "activity_day",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("guild_id", sa.BigInteger(), nullable=False),
        sa.Column("group_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.BigInteger(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("messages", sa.Integer(), nullable=False),
        sa.Column("voice_minutes", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("guild_id", "group_id", "user_id", "day", name="uq_activity_day"),
    )
    op.create_index("ix_activity_day_group_id", "activity_day", ["group_id"])
    op.create_index("ix_activity_day_day", "activity_day", ["day"])

    op.create_table(
        "member_last_active",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("guild_id", sa.BigInteger(), nullable=False),
        sa.Column("user_id", sa.BigInteger(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("guild_id", "user_id", name="uq_member_last_active"),
    )

    op.create_table(
        "group_watch",
        sa.Column("group_id", sa.Integer(), nullable=False),
        sa.Column("last_active_day", sa.Date(), nullable=True),
        sa.Column("snoozed_until", sa.Date(), nullable=True),
        sa.Column("snoozes", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("group_id"),
    )

    op.create_table(
        "open_question",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("guild_id", sa.BigInteger(), nullable=False),
        sa.Column("course_id", sa.Integer(), nullable=True),
        sa.Column("channel_id", sa.BigInteger(), nullable=False),
        sa.Column("message_id", sa.BigInteger(), nullable=False),
        sa.Column("author_id", sa.BigInteger(), nullable=False),
        sa.Column("asked_at", storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("answered_at", storage.types.UTCDateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("message_id"),
    )
    op.create_index("ix_open_question_channel_id", "open_question", ["channel_id"])

    op.create_table(
        "newcomer",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("course_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.BigInteger(), nullable=False),
        sa.Column("arrived_at", storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("status", _AUTO(length=20), nullable=False),
        sa.Column("group_id", sa.Integer(), nullable=True),
        sa.Column("rule", _AUTO(length=20), nullable=True),
        sa.Column("placed_at", storage.types.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["course_id"], ["course.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("course_id", "user_id", name="uq_newcomer"),
    )
    op.create_index("ix_newcomer_course_id", "newcomer", ["course_id"])

    op.create_table(
        "nudge_optout",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("guild_id", sa.BigInteger(), nullable=False),
        sa.Column("user_id", sa.BigInteger(), nullable=False),
        sa.Column("created_at", storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("guild_id", "user_id", name="uq_nudge_optout"),
    )


def downgrade() -> None:
    op.drop_table("nudge_optout")
    op.drop_index("ix_newcomer_course_id", table_name="newcomer")
    op.drop_table("newcomer")
    op.drop_index("ix_open_question_channel_id", table_name="open_question")
    op.drop_table("open_question")
    op.drop_table("group_watch")
    op.drop_table("member_last_active")
    op.drop_index("ix_activity_day_day", table_name="activity_day")
    op.drop_index("ix_activity_day_group_id", table_name="activity_day")
    op.drop_table("activity_day")
    with op.batch_alter_table("course", schema=None) as batch_op:
        for name in ("nudge_time", "nudge_weekday", "unanswered_hours", "isolation_days", "quiet_days"):
            batch_op.drop_column(name)
