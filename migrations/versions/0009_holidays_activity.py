"""holidays and hourly activity: the public-holiday calendars a schedule follows (and the
category it posts from on a holiday), and a per-channel count of distinct members seen in
each UTC hour (no member key, no content) for the best time to post

Revision ID: 0009
Revises: 0006
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("schedules") as batch:
        batch.add_column(sa.Column("holidays", sa.JSON(), server_default="[]", nullable=False))
        batch.add_column(sa.Column("holiday_category", sa.String(length=64), nullable=True))
    op.create_table(
        "activity_hours",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("community_id", sa.Integer(), nullable=False),
        sa.Column("channel", sa.String(length=64), nullable=False),
        sa.Column("hour_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("members", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["community_id"],
            ["communities.id"],
            name=op.f("fk_activity_hours_community_id_communities"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_activity_hours")),
        sa.UniqueConstraint(
            "community_id", "channel", "hour_at",
            name=op.f("uq_activity_hours_community_id_channel_hour_at"),
        ),
    )


def downgrade() -> None:
    op.drop_table("activity_hours")
    with op.batch_alter_table("schedules") as batch:
        batch.drop_column("holiday_category")
        batch.drop_column("holidays")
