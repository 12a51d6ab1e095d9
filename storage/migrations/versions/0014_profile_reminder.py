"""profile.reminder_minutes, reminder_lang: a learner's own meetup reminder

Revision ID: 0014
Revises: 0013

"""

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("profile") as batch:
        batch.add_column(sa.Column("reminder_minutes", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("reminder_lang", sa.String(length=10), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("profile") as batch:
        batch.drop_column("reminder_lang")
        batch.drop_column("reminder_minutes")
