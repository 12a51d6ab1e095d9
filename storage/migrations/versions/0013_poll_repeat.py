"""poll.repeat_weekly, repeat_at, repeated_from: weekly polls, the next one opened once

Revision ID: 0013
Revises: 0012

"""

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("poll") as batch:
        batch.add_column(sa.Column("repeat_weekly", sa.Boolean(), nullable=False, server_default=sa.false()))
        batch.add_column(sa.Column("repeat_at", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("repeated_from", sa.Integer(), nullable=True))
        batch.create_foreign_key("fk_poll_repeated_from", "poll", ["repeated_from"], ["id"])
        batch.create_unique_constraint("uq_poll_repeated_from", ["repeated_from"])


def downgrade() -> None:
    with op.batch_alter_table("poll") as batch:
        batch.drop_constraint("uq_poll_repeated_from", type_="unique")
        batch.drop_constraint("fk_poll_repeated_from", type_="foreignkey")
        batch.drop_column("repeated_from")
        batch.drop_column("repeat_at")
        batch.drop_column("repeat_weekly")
