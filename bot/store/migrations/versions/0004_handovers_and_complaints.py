"""handovers, agents, outbox, complaints; conversation signals

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-23
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

_NOW = sa.DateTime(timezone=True)


def upgrade() -> None:
    with op.batch_alter_table("conversations") as batch:
        batch.add_column(sa.Column("frustration", sa.Float(), nullable=False, server_default="0"))
        batch.add_column(
            sa.Column("fallback_streak", sa.Integer(), nullable=False, server_default="0")
        )
        batch.add_column(
            sa.Column("recent_questions", sa.Text(), nullable=False, server_default="")
        )
        batch.add_column(sa.Column("escalated_at", _NOW, nullable=True))
    op.create_table(
        "handovers",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "conversation_id",
            sa.Integer(),
            sa.ForeignKey("conversations.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("reason", sa.String(16), nullable=False),
        sa.Column("signals", sa.Text(), nullable=False),
        sa.Column("language", sa.String(8), nullable=False),
        sa.Column("agent", sa.String(64), nullable=True),
        sa.Column("created_at", _NOW, nullable=False),
        sa.Column("taken_at", _NOW, nullable=True),
        sa.Column("ended_at", _NOW, nullable=True),
        sa.Column("alternatives_offered_at", _NOW, nullable=True),
        sa.Column("room_chat_id", sa.BigInteger(), nullable=True),
        sa.Column("room_thread_id", sa.BigInteger(), nullable=True),
        sa.Column("rating", sa.Integer(), nullable=True),
        sa.Column("rated_at", _NOW, nullable=True),
    )
    op.create_index("ix_handovers_conversation_id", "handovers", ["conversation_id"])
    op.create_index("ix_handovers_status", "handovers", ["status"])
    op.create_table(
        "handover_messages",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "handover_id",
            sa.Integer(),
            sa.ForeignKey("handovers.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("author", sa.String(16), nullable=False),
        sa.Column("agent", sa.String(64), nullable=True),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("created_at", _NOW, nullable=False),
    )
    op.create_index("ix_handover_messages_handover_id", "handover_messages", ["handover_id"])
    op.create_table(
        "outbox",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "conversation_id",
            sa.Integer(),
            sa.ForeignKey("conversations.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("payload", sa.Text(), nullable=False),
        sa.Column("created_at", _NOW, nullable=False),
        sa.Column("delivered_at", _NOW, nullable=True),
    )
    op.create_index("ix_outbox_conversation_id", "outbox", ["conversation_id"])
    op.create_table(
        "agents",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("name", sa.String(64), nullable=False, unique=True),
        sa.Column("online_until", _NOW, nullable=True),
    )
    op.create_table(
        "complaints",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("reference", sa.String(32), nullable=False, unique=True),
        sa.Column(
            "conversation_id",
            sa.Integer(),
            sa.ForeignKey("conversations.id", ondelete="SET NULL"),
            nullable=True,
        ),
        sa.Column("channel", sa.String(32), nullable=False),
        sa.Column("language", sa.String(8), nullable=False),
        sa.Column("reason", sa.String(16), nullable=False),
        sa.Column("product", sa.String(32), nullable=True),
        sa.Column("category", sa.String(16), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("reply_via", sa.String(16), nullable=False),
        sa.Column("transcript", sa.Text(), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("created_at", _NOW, nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("extended_due_on", sa.Date(), nullable=True),
    )
    op.create_index("ix_complaints_conversation_id", "complaints", ["conversation_id"])


def downgrade() -> None:
    op.drop_table("complaints")
    op.drop_table("agents")
    op.drop_table("outbox")
    op.drop_table("handover_messages")
    op.drop_table("handovers")
    with op.batch_alter_table("conversations") as batch:
        for column in ("escalated_at", "recent_questions", "fallback_streak", "frustration"):
            batch.drop_column(column)
