"""polls and meetups

Revision ID: 0004
Revises: 0003

"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

import storage.types

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

_AUTO = sqlmodel.sql.sqltypes.AutoString
_UTC = storage.types.UTCDateTime


def upgrade() -> None:
    with op.batch_alter_table("course", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("meetup_min_attendees", sa.Integer(), nullable=False, server_default="3")
        )
        batch_op.add_column(
            sa.Column("keep_voice_channels", sa.Boolean(), nullable=False, server_default=sa.false())
        )

    op.create_table(
        "poll",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("group_id", sa.Integer(), nullable=False),
        sa.Column("channel_id", sa.BigInteger(), nullable=False),
        sa.Column("message_id", sa.BigInteger(), nullable=True),
        sa.Column("created_by", sa.BigInteger(), nullable=False),
        sa.Column("title", _AUTO(length=100), nullable=False),
        sa.Column("length_minutes", sa.Integer(), nullable=False),
        sa.Column("deadline", _UTC(timezone=True), nullable=False),
        sa.Column("status", _AUTO(length=20), nullable=False),
        sa.Column("created_at", _UTC(timezone=True), nullable=False),
        sa.Column("closed_at", _UTC(timezone=True), nullable=True),
        sa.Column("best_slot_id", sa.Integer(), nullable=True),
        sa.Column("timezone", _AUTO(length=64), nullable=False),
        sa.Column("close_reason", _AUTO(length=20), nullable=True),
        sa.ForeignKeyConstraint(["group_id"], ["learner_group.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_poll_group_id", "poll", ["group_id"])

    op.create_table(
        "poll_slot",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("poll_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("starts_at", _UTC(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["poll_id"], ["poll.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_poll_slot_poll_id", "poll_slot", ["poll_id"])

    op.create_table(
        "poll_vote",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("poll_id", sa.Integer(), nullable=False),
        sa.Column("slot_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.BigInteger(), nullable=False),
        sa.Column("answer", _AUTO(length=5), nullable=False),
        sa.Column("updated_at", _UTC(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["poll_id"], ["poll.id"]),
        sa.ForeignKeyConstraint(["slot_id"], ["poll_slot.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("poll_id", "slot_id", "user_id", name="uq_poll_vote"),
    )
    op.create_index("ix_poll_vote_poll_id", "poll_vote", ["poll_id"])

    op.create_table(
        "meetup",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("group_id", sa.Integer(), nullable=False),
        sa.Column("poll_id", sa.Integer(), nullable=True),
        sa.Column("guild_id", sa.BigInteger(), nullable=False),
        sa.Column("title", _AUTO(length=100), nullable=False),
        sa.Column("starts_at", _UTC(timezone=True), nullable=False),
        sa.Column("ends_at", _UTC(timezone=True), nullable=False),
        sa.Column("voice_channel_id", sa.BigInteger(), nullable=True),
        sa.Column("event_id", sa.BigInteger(), nullable=True),
        sa.Column("status", _AUTO(length=20), nullable=False),
        sa.Column("created_by", sa.BigInteger(), nullable=False),
        sa.Column("created_at", _UTC(timezone=True), nullable=False),
        sa.Column("voice_empty_since", _UTC(timezone=True), nullable=True),
        sa.Column("voice_removed", sa.Boolean(), nullable=False),
        sa.Column("feedback_message_id", sa.BigInteger(), nullable=True),
        sa.ForeignKeyConstraint(["group_id"], ["learner_group.id"]),
        sa.ForeignKeyConstraint(["poll_id"], ["poll.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("poll_id", name="uq_meetup_poll"),
    )
    op.create_index("ix_meetup_group_id", "meetup", ["group_id"])
    op.create_index("ix_meetup_guild_id", "meetup", ["guild_id"])
    op.create_index("ix_meetup_voice_channel_id", "meetup", ["voice_channel_id"])

    op.create_table(
        "meetup_attendance",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("meetup_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.BigInteger(), nullable=False),
        sa.Column("seconds", sa.Integer(), nullable=False),
        sa.Column("joined_at", _UTC(timezone=True), nullable=True),
        sa.Column("present", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(["meetup_id"], ["meetup.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("meetup_id", "user_id", name="uq_meetup_attendance"),
    )
    op.create_index("ix_meetup_attendance_meetup_id", "meetup_attendance", ["meetup_id"])

    op.create_table(
        "meetup_feedback",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("meetup_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.BigInteger(), nullable=False),
        sa.Column("rating", sa.Integer(), nullable=True),
        sa.Column("again", sa.Boolean(), nullable=True),
        sa.Column("updated_at", _UTC(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["meetup_id"], ["meetup.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("meetup_id", "user_id", name="uq_meetup_feedback"),
    )
    op.create_index("ix_meetup_feedback_meetup_id", "meetup_feedback", ["meetup_id"])


def downgrade() -> None:
    op.drop_table("meetup_feedback")
    op.drop_table("meetup_attendance")
    op.drop_table("meetup")
    op.drop_table("poll_vote")
    op.drop_table("poll_slot")
    op.drop_table("poll")
    with op.batch_alter_table("course", schema=None) as batch_op:
        batch_op.drop_column("keep_voice_channels")
        batch_op.drop_column("meetup_min_attendees")
