"""SLA clocks and events

Revision ID: 0009_account_sla
Revises: 0008_harden_encryption
Create Date: 2026-12-01 23:05:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009_account_sla"
down_revision: str | None = "0008_harden_encryption"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "sla_clocks",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("ref", sa.String(length=64), nullable=False),
        sa.Column("conversation_id", sa.Integer(), nullable=True),
        sa.Column("unit", sa.String(length=32), nullable=False),
        sa.Column("category", sa.String(length=40), nullable=True),
        sa.Column("started_at", _TS, nullable=False),
        sa.Column("first_response_due", _TS, nullable=True),
        sa.Column("first_response_at", _TS, nullable=True),
        sa.Column("resolution_due", _TS, nullable=False),
        sa.Column("resolved_at", _TS, nullable=True),
        sa.Column("paused_since", _TS, nullable=True),
        sa.Column("paused_seconds", sa.Integer(), nullable=False),
        sa.Column("warned_first", sa.Boolean(), nullable=False),
        sa.Column("breached_first", sa.Boolean(), nullable=False),
        sa.Column("warned_resolution", sa.Boolean(), nullable=False),
        sa.Column("breached_resolution", sa.Boolean(), nullable=False),
        sa.Column("escalated_to", sa.String(length=64), nullable=True),
        sa.Column("closed_reason", sa.String(length=32), nullable=True),
        sa.ForeignKeyConstraint(["conversation_id"], ["conversations.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("sla_clocks") as batch_op:
        for column in ("ref", "conversation_id", "unit", "first_response_due", "resolution_due"):
            batch_op.create_index(f"ix_sla_clocks_{column}", [column])
    op.create_table(
        "sla_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("clock_id", sa.Integer(), nullable=False),
        sa.Column("event", sa.String(length=32), nullable=False),
        sa.Column("unit", sa.String(length=32), nullable=False),
        sa.Column("notified", sa.String(length=64), nullable=True),
        sa.Column("created_at", _TS, nullable=False),
        sa.ForeignKeyConstraint(["clock_id"], ["sla_clocks.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("sla_events") as batch_op:
        batch_op.create_index("ix_sla_events_clock_id", ["clock_id"])
        batch_op.create_index("ix_sla_events_created_at", ["created_at"])


def downgrade() -> None:
    with op.batch_alter_table("sla_events") as batch_op:
        batch_op.drop_index("ix_sla_events_created_at")
        batch_op.drop_index("ix_sla_events_clock_id")
    op.drop_table("sla_events")
    with op.batch_alter_table("sla_clocks") as batch_op:
        for column in ("ref", "conversation_id", "unit", "first_response_due", "resolution_due"):
            batch_op.drop_index(f"ix_sla_clocks_{column}")
    op.drop_table("sla_clocks")
