"""online applications: channel, unit, deadline, language, encrypted answers, documents
asked for and the applicant's conversation on service requests

Revision ID: 0013_applications
Revises: 0011_load_audit_index
Create Date: 2026-12-07 02:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0013_applications"
down_revision: str | None = "0011_load_audit_index"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("service_requests", schema=None) as batch_op:
        batch_op.add_column(sa.Column("channel", sa.String(length=16), nullable=True))
        batch_op.add_column(sa.Column("unit", sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column("due_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(
            sa.Column("language", sa.String(length=8), nullable=False, server_default="id")
        )
        batch_op.add_column(sa.Column("answers", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("missing_documents", sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column("conversation_id", sa.Integer(), nullable=True))
        batch_op.create_index("ix_service_requests_unit", ["unit"], unique=False)
        batch_op.create_index("ix_service_requests_due_at", ["due_at"], unique=False)
        batch_op.create_index(
            "ix_service_requests_conversation_id", ["conversation_id"], unique=False
        )
        batch_op.create_foreign_key(
            "fk_service_requests_conversation_id",
            "conversations",
            ["conversation_id"],
            ["id"],
            ondelete="SET NULL",
        )


def downgrade() -> None:
    with op.batch_alter_table("service_requests", schema=None) as batch_op:
        batch_op.drop_constraint("fk_service_requests_conversation_id", type_="foreignkey")
        batch_op.drop_index("ix_service_requests_conversation_id")
        batch_op.drop_index("ix_service_requests_due_at")
        batch_op.drop_index("ix_service_requests_unit")
        for column in (
            "conversation_id",
            "missing_documents",
            "answers",
            "language",
            "due_at",
            "unit",
            "channel",
        ):
            batch_op.drop_column(column)
