"""SKM surveys

Revision ID: 0005_account_skm
Revises: 0004_account_calendar
Create Date: 2026-12-01 23:05:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005_account_skm"
down_revision: str | None = "0004_account_calendar"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "skm_surveys",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("conversation_id", sa.Integer(), nullable=False),
        sa.Column("citizen_key", sa.String(length=160), nullable=False),
        sa.Column("service_key", sa.String(length=64), nullable=False),
        sa.Column("service_code", sa.String(length=40), nullable=True),
        sa.Column("unit", sa.String(length=32), nullable=False),
        sa.Column("period", sa.String(length=10), nullable=False),
        sa.Column("language", sa.String(length=8), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "offered",
                "active",
                "completed",
                "declined",
                "abandoned",
                name="survey_status",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("step", sa.Integer(), nullable=False),
        sa.Column("invalid_count", sa.Integer(), nullable=False),
        *[sa.Column(f"u{i}", sa.Integer(), nullable=True) for i in range(1, 10)],
        sa.Column("comment", sa.Text(), nullable=True),
        sa.Column("offered_at", _TS, nullable=False),
        sa.Column("updated_at", _TS, nullable=False),
        sa.Column("completed_at", _TS, nullable=True),
        sa.ForeignKeyConstraint(["conversation_id"], ["conversations.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("citizen_key", "service_key", "period"),
    )
    with op.batch_alter_table("skm_surveys") as batch_op:
        batch_op.create_index("ix_skm_surveys_conversation_id", ["conversation_id"])
        batch_op.create_index("ix_skm_surveys_unit", ["unit"])
        batch_op.create_index("ix_skm_surveys_completed_at", ["completed_at"])


def downgrade() -> None:
    with op.batch_alter_table("skm_surveys") as batch_op:
        batch_op.drop_index("ix_skm_surveys_completed_at")
        batch_op.drop_index("ix_skm_surveys_unit")
        batch_op.drop_index("ix_skm_surveys_conversation_id")
    op.drop_table("skm_surveys")
