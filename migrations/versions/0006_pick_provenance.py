"""pick provenance: how each post's prompt was picked (policy or holdout), from how many
eligible prompts, with how many posterior draws; a per-community holdout share

Revision ID: 0006
Revises: 0005
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("posts") as batch:
        batch.add_column(sa.Column("pick_arm", sa.String(length=8), nullable=True))
        batch.add_column(sa.Column("pick_eligible", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("pick_draws", sa.Integer(), nullable=True))
    with op.batch_alter_table("communities") as batch:
        batch.add_column(sa.Column("holdout", sa.Float(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("communities") as batch:
        batch.drop_column("holdout")
    with op.batch_alter_table("posts") as batch:
        batch.drop_column("pick_draws")
        batch.drop_column("pick_eligible")
        batch.drop_column("pick_arm")
