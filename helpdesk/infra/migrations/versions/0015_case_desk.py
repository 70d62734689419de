"""case desk: complaint handling steps, waiting for the citizen, the dpo role, unit canned
replies, staff notices (SLA warnings, breaches and digests for supervisors)

Revision ID: 0015_case_desk
Revises: 0014_security_console_sessions
Create Date: 2026-12-07 02:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0015_case_desk"
down_revision: str | None = "0014_security_console_sessions"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ROLES_BEFORE = ("agent", "supervisor", "admin")
COMPLAINT_STATUSES_BEFORE = (
    "received",
    "verified",
    "forwarded",
    "in_follow_up",
    "finished",
    "not_our_authority",
    "archived",
)
WAITING = "waiting_for_citizen"


def _defer_foreign_keys() -> None:
    """SQLite rebuilds altered tables; check foreign keys at commit instead."""
    if op.get_bind().dialect.name == "sqlite":
        op.execute("PRAGMA defer_foreign_keys = ON")


def _check(table: str, name: str, column: str, values: tuple[str, ...]) -> None:
    """Replace the CHECK constraint of a portable VARCHAR enum."""
    allowed = ", ".join(f"'{v}'" for v in values)
    with op.batch_alter_table(table, schema=None) as batch_op:
        batch_op.drop_constraint(name, type_="check")
        batch_op.create_check_constraint(name, f"{column} IN ({allowed})")


def _canned_unique(columns: list[str], old: list[str]) -> None:
    """Canned replies are unique per shortcut, language (and now unit)."""
    if op.get_bind().dialect.name == "sqlite":
        convention = {"uq": "uq_%(table_name)s_%(column_0_name)s_%(column_1_name)s"}
        with op.batch_alter_table(
            "canned_replies", naming_convention=convention, recreate="always"
        ) as batch_op:
            existing = (
                "uq_canned_replies" if "unit" in old else "uq_canned_replies_shortcut_language"
            )
            batch_op.drop_constraint(existing, type_="unique")
            name = (
                "uq_canned_replies" if "unit" in columns else "uq_canned_replies_shortcut_language"
            )
            batch_op.create_unique_constraint(name, columns)
        return
    existing = "uq_canned_replies" if "unit" in old else "canned_replies_shortcut_language_key"
    op.drop_constraint(existing, "canned_replies", type_="unique")
    name = "uq_canned_replies" if "unit" in columns else "canned_replies_shortcut_language_key"
    op.create_unique_constraint(name, "canned_replies", columns)


def upgrade() -> None:
    _defer_foreign_keys()
    _check("agents", "agent_role", "role", (*ROLES_BEFORE, "dpo"))
    _check("complaints", "complaint_status", "status", (*COMPLAINT_STATUSES_BEFORE, WAITING))
    _check(
        "complaint_status_changes",
        "complaint_status",
        "status",
        (*COMPLAINT_STATUSES_BEFORE, WAITING),
    )
    with op.batch_alter_table("complaints", schema=None) as batch_op:
        batch_op.add_column(sa.Column("resume_status", sa.String(length=32), nullable=True))
    with op.batch_alter_table("complaint_status_changes", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("action", sa.String(length=16), server_default="status", nullable=False)
        )
        batch_op.add_column(sa.Column("actor", sa.String(length=120), nullable=True))
        batch_op.add_column(sa.Column("from_unit", sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column("to_unit", sa.String(length=32), nullable=True))
    with op.batch_alter_table("canned_replies", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("unit", sa.String(length=32), server_default="", nullable=False)
        )
    _canned_unique(["shortcut", "language", "unit"], ["shortcut", "language"])
    op.create_table(
        "staff_notices",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=24), nullable=False),
        sa.Column("ref", sa.String(length=64), nullable=False),
        sa.Column("unit", sa.String(length=32), nullable=False),
        sa.Column("recipient", sa.String(length=64), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("read_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("send_alert", sa.Boolean(), nullable=False),
        sa.Column("alert_attempts", sa.Integer(), nullable=False),
        sa.Column("alerted_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("kind", "ref", "recipient"),
    )
    with op.batch_alter_table("staff_notices", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_staff_notices_unit"), ["unit"], unique=False)
        batch_op.create_index(batch_op.f("ix_staff_notices_recipient"), ["recipient"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_staff_notices_created_at"), ["created_at"], unique=False
        )


def downgrade() -> None:
    _defer_foreign_keys()
    op.drop_table("staff_notices")
    op.execute(sa.text("DELETE FROM canned_replies WHERE unit <> ''"))
    _canned_unique(["shortcut", "language"], ["shortcut", "language", "unit"])
    with op.batch_alter_table("canned_replies", schema=None) as batch_op:
        batch_op.drop_column("unit")
    with op.batch_alter_table("complaint_status_changes", schema=None) as batch_op:
        batch_op.drop_column("to_unit")
        batch_op.drop_column("from_unit")
        batch_op.drop_column("actor")
        batch_op.drop_column("action")
    with op.batch_alter_table("complaints", schema=None) as batch_op:
        batch_op.drop_column("resume_status")
    for table in ("complaints", "complaint_status_changes"):
        op.execute(
            sa.text(f"UPDATE {table} SET status = 'received' WHERE status = :w").bindparams(
                w=WAITING
            )
        )
        _check(table, "complaint_status", "status", COMPLAINT_STATUSES_BEFORE)
    op.execute(sa.text("UPDATE agents SET role = 'agent' WHERE role = 'dpo'"))
    _check("agents", "agent_role", "role", ROLES_BEFORE)
