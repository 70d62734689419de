"""audit events: indexes for the mass-read check, (actor, created_at) and (actor, target_id)

Revision ID: 0011_load_audit_index
Revises: 0010_learn_inbox_catalog
Create Date: 2026-12-02 02:45:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0011_load_audit_index"
down_revision: str | None = "0010_learn_inbox_catalog"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index(
        "ix_audit_events_actor_created_at", "audit_events", ["actor", "created_at"], unique=False
    )
    op.create_index(
        "ix_audit_events_actor_target_id", "audit_events", ["actor", "target_id"], unique=False
    )


def downgrade() -> None:
    op.drop_index("ix_audit_events_actor_target_id", table_name="audit_events")
    op.drop_index("ix_audit_events_actor_created_at", table_name="audit_events")
