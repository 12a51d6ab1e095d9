"""bot_state: key/value facts about the bot (command sync hash).

Revision ID: 0001
Revises:
"""

import sqlalchemy as sa
from alembic import op

from storage.types import UTCDateTime

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "bot_state",
        sa.Column("key", sa.String(length=100), primary_key=True),
        sa.Column("value", sa.String(length=4000), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("bot_state")
