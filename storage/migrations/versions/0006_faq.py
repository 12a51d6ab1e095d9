"""FAQ: entries per course or guild, questions asked, votes, help channels, course setting

Revision ID: 0006
Revises: 0005

"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

import storage.types

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

_AUTO = sqlmodel.sql.sqltypes.AutoString
_UTC = storage.types.UTCDateTime
_GUILD_WIDE = sa.text("course_id IS NULL")


def upgrade() -> None:
    op.create_table(
        "faq_entry",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("guild_id", sa.BigInteger(), nullable=False),
        sa.Column("course_id", sa.Integer(), nullable=True),
        sa.Column("entry_id", _AUTO(length=64), nullable=False),
        sa.Column("question", _AUTO(length=300), nullable=False),
        sa.Column("variants", _AUTO(length=20000), nullable=False),
        sa.Column("answer", _AUTO(length=1800), nullable=False),
        sa.Column("tags", _AUTO(length=2000), nullable=False),
        sa.Column("lang", _AUTO(length=5), nullable=False),
        sa.Column("updated_at", _UTC(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("guild_id", "course_id", "entry_id", name="uq_faq_entry"),
    )
    op.create_index("ix_faq_entry_guild_id", "faq_entry", ["guild_id"])
    op.create_index("ix_faq_entry_course_id", "faq_entry", ["course_id"])
    op.create_index(
        "uq_faq_entry_guild_wide",
        "faq_entry",
        ["guild_id", "entry_id"],
        unique=True,
        sqlite_where=_GUILD_WIDE,
        postgresql_where=_GUILD_WIDE,
    )

    op.create_table(
        "faq_question",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("guild_id", sa.BigInteger(), nullable=False),
        sa.Column("course_id", sa.Integer(), nullable=True),
        sa.Column("kind", _AUTO(length=10), nullable=False),
        sa.Column("user_id", sa.BigInteger(), nullable=False),
        sa.Column("channel_id", sa.BigInteger(), nullable=False),
        sa.Column("message_id", sa.BigInteger(), nullable=True),
        sa.Column("text", _AUTO(length=300), nullable=True),
        sa.Column("entry_id", _AUTO(length=64), nullable=True),
        sa.Column("score", sa.Float(), nullable=False),
        sa.Column("confident", sa.Boolean(), nullable=False),
        sa.Column("escalated_at", _UTC(timezone=True), nullable=True),
        sa.Column("created_at", _UTC(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("message_id"),
    )
    op.create_index("ix_faq_question_course_id", "faq_question", ["course_id"])
    op.create_index("ix_faq_question_channel_id", "faq_question", ["channel_id"])
    op.create_index("ix_faq_question_created_at", "faq_question", ["created_at"])

    op.create_table(
        "faq_vote",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("question_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.BigInteger(), nullable=False),
        sa.Column("helpful", sa.Boolean(), nullable=False),
        sa.Column("updated_at", _UTC(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["question_id"], ["faq_question.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("question_id", "user_id", name="uq_faq_vote"),
    )
    op.create_index("ix_faq_vote_question_id", "faq_vote", ["question_id"])

    op.create_table(
        "faq_help_channel",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("guild_id", sa.BigInteger(), nullable=False),
        sa.Column("channel_id", sa.BigInteger(), nullable=False),
        sa.Column("course_id", sa.Integer(), nullable=True),
        sa.Column("created_at", _UTC(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("channel_id"),
    )
    op.create_index("ix_faq_help_channel_guild_id", "faq_help_channel", ["guild_id"])

    op.create_table(
        "faq_course_setting",
        sa.Column("course_id", sa.Integer(), nullable=False),
        sa.Column("suggest_in_groups", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(["course_id"], ["course.id"]),
        sa.PrimaryKeyConstraint("course_id"),
    )


def downgrade() -> None:
    op.drop_table("faq_course_setting")
    op.drop_index("ix_faq_help_channel_guild_id", table_name="faq_help_channel")
    op.drop_table("faq_help_channel")
    op.drop_index("ix_faq_vote_question_id", table_name="faq_vote")
    op.drop_table("faq_vote")
    for name in ("ix_faq_question_created_at", "ix_faq_question_channel_id", "ix_faq_question_course_id"):
        op.drop_index(name, table_name="faq_question")
    op.drop_table("faq_question")
    op.drop_index("uq_faq_entry_guild_wide", table_name="faq_entry")
    op.drop_index("ix_faq_entry_course_id", table_name="faq_entry")
    op.drop_index("ix_faq_entry_guild_id", table_name="faq_entry")
    op.drop_table("faq_entry")
