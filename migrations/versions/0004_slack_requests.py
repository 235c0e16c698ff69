"""slack_requests: signed Slack commands and interactions already handled (replay guard)

Revision ID: 0004
Revises: 0003
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "slack_requests",
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("seen_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_slack_requests")),
    )
    with op.batch_alter_table("slack_requests") as batch:
        batch.create_index("ix_slack_requests_seen_at", ["seen_at"])


def downgrade() -> None:
    with op.batch_alter_table("slack_requests") as batch:
        batch.drop_index("ix_slack_requests_seen_at")
    op.drop_table("slack_requests")
