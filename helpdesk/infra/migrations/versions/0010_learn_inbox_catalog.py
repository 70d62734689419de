"""teach-the-bot inbox and catalog versions

Revision ID: 0010_learn_inbox_catalog
Revises: 0009_account_sla
Create Date: 2026-12-01 23:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010_learn_inbox_catalog"
down_revision: str | None = "0009_account_sla"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "nlu_inbox_items",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("conversation_id", sa.Integer(), nullable=True),
        sa.Column("message_id", sa.Integer(), nullable=True),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("language", sa.String(length=8), nullable=True),
        sa.Column("reason", sa.String(length=32), nullable=False),
        sa.Column("predicted_intent", sa.String(length=64), nullable=True),
        sa.Column("confidence", sa.Float(), nullable=True),
        sa.Column(
            "status",
            sa.Enum(
                "new",
                "labelled",
                "out_of_scope",
                name="inbox_status",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("label_intent", sa.String(length=64), nullable=True),
        sa.Column("label_service", sa.String(length=40), nullable=True),
        sa.Column("labelled_by", sa.String(length=120), nullable=True),
        sa.Column("labelled_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["conversation_id"], ["conversations.id"], ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["message_id"], ["messages.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("message_id"),
    )
    op.create_index("ix_nlu_inbox_items_conversation_id", "nlu_inbox_items", ["conversation_id"])
    op.create_index("ix_nlu_inbox_items_status", "nlu_inbox_items", ["status"])
    op.create_index("ix_nlu_inbox_items_created_at", "nlu_inbox_items", ["created_at"])
    op.create_table(
        "service_versions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("service_code", sa.String(length=40), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("document", sa.JSON(), nullable=False),
        sa.Column("based_on", sa.Integer(), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("created_by", sa.String(length=120), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("published_by", sa.String(length=120), nullable=True),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("service_code", "version"),
    )
    op.create_index("ix_service_versions_service_code", "service_versions", ["service_code"])
    op.create_index("ix_service_versions_published_at", "service_versions", ["published_at"])


def downgrade() -> None:
    op.drop_index("ix_service_versions_published_at", table_name="service_versions")
    op.drop_index("ix_service_versions_service_code", table_name="service_versions")
    op.drop_table("service_versions")
    op.drop_index("ix_nlu_inbox_items_created_at", table_name="nlu_inbox_items")
    op.drop_index("ix_nlu_inbox_items_status", table_name="nlu_inbox_items")
    op.drop_index("ix_nlu_inbox_items_conversation_id", table_name="nlu_inbox_items")
    op.drop_table("nlu_inbox_items")
