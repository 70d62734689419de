"""outbox order per conversation: a partial index of the queued items

Revision ID: 0017_outbox_queued
Revises: 0016_durable_turns
Create Date: 2026-12-07 15:20:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0017_outbox_queued"
down_revision: str | None = "0016_durable_turns"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

QUEUED = sa.text("status = 'queued'")


def upgrade() -> None:
    # The worker reads each conversation's oldest queued reply on every pass; sent replies
    # (nearly all rows) stay out of this index.
    op.create_index(
        "ix_outbox_queued",
        "outbox",
        ["id"],
        unique=False,
        sqlite_where=QUEUED,
        postgresql_where=QUEUED,
    )


def downgrade() -> None:
    op.drop_index("ix_outbox_queued", table_name="outbox")
