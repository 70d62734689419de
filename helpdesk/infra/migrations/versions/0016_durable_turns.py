"""durable turns and per-chat order: turn leases on messages, chat keys on inbound events

Revision ID: 0016_durable_turns
Revises: 0015_case_desk
Create Date: 2026-12-07 02:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0016_durable_turns"
down_revision: str | None = "0015_case_desk"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

OPEN = sa.text("turn_state IN ('open', 'notice')")
QUEUED = sa.text("status = 'queued'")


def upgrade() -> None:
    # Plain ADD COLUMN on both databases (nullable, no constraint): no table copy.
    op.add_column("messages", sa.Column("turn_state", sa.String(length=8), nullable=True))
    op.add_column("messages", sa.Column("turn_owner", sa.String(length=64), nullable=True))
    op.add_column(
        "messages", sa.Column("turn_lease_until", sa.DateTime(timezone=True), nullable=True)
    )
    op.add_column("messages", sa.Column("turn_attempts", sa.Integer(), nullable=True))
    op.create_index(
        "ix_messages_open_turns",
        "messages",
        ["turn_lease_until"],
        unique=False,
        sqlite_where=OPEN,
        postgresql_where=OPEN,
    )
    op.add_column("inbound_events", sa.Column("chat_key", sa.String(length=64), nullable=True))
    op.add_column("inbound_events", sa.Column("claimed_by", sa.String(length=64), nullable=True))
    op.create_index(
        "ix_inbound_events_queued_chat",
        "inbound_events",
        ["chat_key", "id"],
        unique=False,
        sqlite_where=QUEUED,
        postgresql_where=QUEUED,
    )


def downgrade() -> None:
    op.drop_index("ix_inbound_events_queued_chat", table_name="inbound_events")
    with op.batch_alter_table("inbound_events") as batch_op:
        batch_op.drop_column("claimed_by")
        batch_op.drop_column("chat_key")
    op.drop_index("ix_messages_open_turns", table_name="messages")
    with op.batch_alter_table("messages") as batch_op:
        batch_op.drop_column("turn_attempts")
        batch_op.drop_column("turn_lease_until")
        batch_op.drop_column("turn_owner")
        batch_op.drop_column("turn_state")
