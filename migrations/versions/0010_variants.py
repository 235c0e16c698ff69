"""variants: other wordings of a prompt (A/B tested), and the wording each post carried

Revision ID: 0010
Revises: 0009
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("prompts") as batch:
        batch.add_column(
            sa.Column("variants", sa.JSON(), nullable=False, server_default=sa.text("'[]'"))
        )
    with op.batch_alter_table("posts") as batch:
        batch.add_column(sa.Column("wording", sa.String(length=16), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("posts") as batch:
        batch.drop_column("wording")
    with op.batch_alter_table("prompts") as batch:
        batch.drop_column("variants")
