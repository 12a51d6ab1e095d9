"""activity_day: one index on (group_id, day) instead of group_id alone

Revision ID: 0010
Revises: 0009

"""

from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_activity_day_group_day", "activity_day", ["group_id", "day"])
    op.drop_index("ix_activity_day_group_id", table_name="activity_day")


def downgrade() -> None:
    op.create_index("ix_activity_day_group_id", "activity_day", ["group_id"])
    op.drop_index("ix_activity_day_group_day", table_name="activity_day")
