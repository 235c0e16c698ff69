"""post outcomes (engagement) and weekly digest settings

Revision ID: 0002
Revises: 0001
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("posts") as batch:
        batch.add_column(sa.Column("responders", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("audience", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("outcome_at", sa.DateTime(timezone=True), nullable=True))
        batch.create_index("ix_posts_outcome_at", ["outcome_at"])
    with op.batch_alter_table("schedules") as batch:
        batch.add_column(
            sa.Column("digest_weekday", sa.Integer(), nullable=False, server_default="0")
        )
        batch.add_column(
            sa.Column("digest_time", sa.String(5), nullable=False, server_default="09:00")
        )
        batch.add_column(sa.Column("last_digest_at", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("schedules") as batch:
        batch.drop_column("last_digest_at")
        batch.drop_column("digest_time")
        batch.drop_column("digest_weekday")
    with op.batch_alter_table("posts") as batch:
        batch.drop_index("ix_posts_outcome_at")
        batch.drop_column("outcome_at")
        batch.drop_column("audience")
        batch.drop_column("responders")
