"""faq question: the close entry the asker opened

Revision ID: 0008
Revises: 0007

"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("faq_question", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("picked_entry_id", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True)
        )


def downgrade() -> None:
    with op.batch_alter_table("faq_question", schema=None) as batch_op:
        batch_op.drop_column("picked_entry_id")
