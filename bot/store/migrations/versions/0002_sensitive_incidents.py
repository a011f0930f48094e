"""sensitive incidents

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "sensitive_incidents",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("channel", sa.String(32), nullable=False),
        sa.Column("language", sa.String(8), nullable=False),
        sa.Column("kind", sa.String(32), nullable=False),
    )
    op.create_index("ix_sensitive_incidents_created_at", "sensitive_incidents", ["created_at"])


def downgrade() -> None:
    op.drop_index("ix_sensitive_incidents_created_at", table_name="sensitive_incidents")
    op.drop_table("sensitive_incidents")
