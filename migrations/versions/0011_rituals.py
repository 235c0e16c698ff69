"""member rituals: per-channel switches for streak milestones, the monthly regulars board and
the best answer; members' ritual choices, acknowledged milestones, and the thread replies (and
their reactions) kept while a post's best answer is open

Revision ID: 0011
Revises: 0010
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("schedules") as batch:
        batch.add_column(
            sa.Column("streaks", sa.Boolean(), nullable=False, server_default=sa.true())
        )
        batch.add_column(
            sa.Column("regulars", sa.Boolean(), nullable=False, server_default=sa.false())
        )
        batch.add_column(
            sa.Column("best_answer", sa.Boolean(), nullable=False, server_default=sa.false())
        )
    op.create_table(
        "ritual_members",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("community_id", sa.Integer(), nullable=False),
        sa.Column("member_key", sa.String(length=64), nullable=False),
        sa.Column("opted_out", sa.Boolean(), nullable=False),
        sa.Column("named", sa.Boolean(), nullable=False),
        sa.Column("platform_id", sa.String(length=64), nullable=True),
        sa.ForeignKeyConstraint(
            ["community_id"],
            ["communities.id"],
            name=op.f("fk_ritual_members_community_id_communities"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ritual_members")),
        sa.UniqueConstraint(
            "community_id", "member_key", name=op.f("uq_ritual_members_community_id_member_key")
        ),
    )
    op.create_index(
        op.f("ix_ritual_members_member_key"), "ritual_members", ["member_key"], unique=False
    )
    op.create_table(
        "streak_milestones",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("post_id", sa.Integer(), nullable=False),
        sa.Column("member_key", sa.String(length=64), nullable=False),
        sa.Column("length", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["post_id"],
            ["posts.id"],
            name=op.f("fk_streak_milestones_post_id_posts"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_streak_milestones")),
        sa.UniqueConstraint(
            "post_id", "member_key", name=op.f("uq_streak_milestones_post_id_member_key")
        ),
    )
    op.create_index(
        op.f("ix_streak_milestones_member_key"), "streak_milestones", ["member_key"], unique=False
    )
    op.create_table(
        "thread_replies",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("community_id", sa.Integer(), nullable=False),
        sa.Column("post_id", sa.Integer(), nullable=False),
        sa.Column("message_id", sa.String(length=64), nullable=False),
        sa.Column("member_key", sa.String(length=64), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("text", sa.Text(), nullable=True),
        sa.Column("featured", sa.Boolean(), nullable=False),
        sa.Column("reactions", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["community_id"],
            ["communities.id"],
            name=op.f("fk_thread_replies_community_id_communities"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["post_id"],
            ["posts.id"],
            name=op.f("fk_thread_replies_post_id_posts"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_thread_replies")),
        sa.UniqueConstraint(
            "community_id", "message_id", name=op.f("uq_thread_replies_community_id_message_id")
        ),
    )
    op.create_index(op.f("ix_thread_replies_post_id"), "thread_replies", ["post_id"], unique=False)
    op.create_index(
        op.f("ix_thread_replies_member_key"), "thread_replies", ["member_key"], unique=False
    )
    op.create_table(
        "reply_reactions",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("reply_id", sa.Integer(), nullable=False),
        sa.Column("member_key", sa.String(length=64), nullable=False),
        sa.Column("emoji", sa.String(length=100), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["reply_id"],
            ["thread_replies.id"],
            name=op.f("fk_reply_reactions_reply_id_thread_replies"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reply_reactions")),
        sa.UniqueConstraint(
            "reply_id",
            "member_key",
            "emoji",
            name=op.f("uq_reply_reactions_reply_id_member_key_emoji"),
        ),
    )
    op.create_index(
        op.f("ix_reply_reactions_reply_id"), "reply_reactions", ["reply_id"], unique=False
    )
    op.create_index(
        op.f("ix_reply_reactions_member_key"), "reply_reactions", ["member_key"], unique=False
    )


def downgrade() -> None:
    op.drop_table("reply_reactions")
    op.drop_table("thread_replies")
    op.drop_table("streak_milestones")
    op.drop_table("ritual_members")
    with op.batch_alter_table("schedules") as batch:
        batch.drop_column("best_answer")
        batch.drop_column("regulars")
        batch.drop_column("streaks")
