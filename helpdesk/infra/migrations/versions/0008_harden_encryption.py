"""hardening: personal data encrypted at rest, blind NIK index, random engine sender ids,
token expiry, security events

Existing NIKs, phone numbers and TOTP secrets are encrypted in place with the keys in
ENCRYPTION_KEYS / BLIND_INDEX_KEY (helpdesk/infra/crypto.py); the downgrade decrypts them.

Revision ID: 0008_harden_encryption
Revises: 0007_journeys_complaints
"""

import secrets
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008_harden_encryption"
down_revision: str | None = "0007_journeys_complaints"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# (table, column) pairs that hold encrypted text after this revision.
ENCRYPTED = (
    ("service_requests", "nik"),
    ("service_requests", "phone"),
    ("agents", "totp_secret"),
    ("complaints", "nik"),
    ("outbox", "recipient"),
    ("inbound_events", "payload"),  # JSON text, encrypted as one string
)


def _rewrite(table: str, column: str, convert: object) -> None:
    """Apply `convert` to every non-null value of table.column (row by row)."""
    bind = op.get_bind()
    rows = bind.execute(sa.text(f"SELECT id, {column} FROM {table}")).all()  # noqa: S608
    for row_id, value in rows:
        if value is None:
            continue
        bind.execute(
            sa.text(f"UPDATE {table} SET {column} = :v WHERE id = :id"),  # noqa: S608
            {"v": convert(value), "id": row_id},  # type: ignore[operator]
        )


def upgrade() -> None:
    from helpdesk.infra.crypto import keyring

    with op.batch_alter_table("service_requests", schema=None) as batch_op:
        batch_op.alter_column("nik", existing_type=sa.String(length=16), type_=sa.Text())
        batch_op.alter_column("phone", existing_type=sa.String(length=20), type_=sa.Text())
        batch_op.add_column(sa.Column("nik_index", sa.String(length=64), nullable=True))
    with op.batch_alter_table("agents", schema=None) as batch_op:
        batch_op.alter_column("totp_secret", existing_type=sa.String(length=255), type_=sa.Text())
    with op.batch_alter_table("complaints", schema=None) as batch_op:
        batch_op.alter_column("nik", existing_type=sa.String(length=16), type_=sa.Text())
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.alter_column("recipient", existing_type=sa.String(length=128), type_=sa.Text())
    with op.batch_alter_table("inbound_events", schema=None) as batch_op:
        batch_op.alter_column(
            "payload", existing_type=sa.JSON(), type_=sa.Text(), postgresql_using="payload::text"
        )

    bind = op.get_bind()
    has_rows = any(
        bind.execute(sa.text(f"SELECT 1 FROM {table} LIMIT 1")).first()  # noqa: S608
        for table in ("service_requests", "agents", "outbox", "inbound_events", "complaints")
    )
    if has_rows:
        ring = keyring()
        rows = bind.execute(sa.text("SELECT id, nik FROM service_requests")).all()
        for row_id, nik in rows:
            bind.execute(
                sa.text("UPDATE service_requests SET nik_index = :i WHERE id = :id"),
                {"i": ring.blind_index(nik), "id": row_id},
            )
        for table, column in ENCRYPTED:
            _rewrite(table, column, ring.encrypt)

    with op.batch_alter_table("service_requests", schema=None) as batch_op:
        batch_op.alter_column("nik_index", existing_type=sa.String(length=64), nullable=False)
        batch_op.create_index("ix_service_requests_nik_index", ["nik_index"], unique=False)

    with op.batch_alter_table("conversations", schema=None) as batch_op:
        batch_op.add_column(sa.Column("engine_sender_id", sa.String(length=40), nullable=True))
    for (row_id,) in bind.execute(sa.text("SELECT id FROM conversations")).all():
        bind.execute(
            sa.text("UPDATE conversations SET engine_sender_id = :s WHERE id = :id"),
            {"s": "c_" + secrets.token_urlsafe(18), "id": row_id},
        )
    with op.batch_alter_table("conversations", schema=None) as batch_op:
        batch_op.alter_column(
            "engine_sender_id", existing_type=sa.String(length=40), nullable=False
        )
        batch_op.create_unique_constraint("uq_conversations_engine_sender_id", ["engine_sender_id"])

    with op.batch_alter_table("api_tokens", schema=None) as batch_op:
        batch_op.add_column(sa.Column("expires_at", sa.DateTime(timezone=True), nullable=True))

    op.create_table(
        "security_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=48), nullable=False),
        sa.Column("severity", sa.String(length=16), nullable=False),
        sa.Column("actor", sa.String(length=120), nullable=True),
        sa.Column("source", sa.String(length=64), nullable=True),
        sa.Column("detail", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("alert_attempts", sa.Integer(), nullable=False),
        sa.Column("alerted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("acknowledged_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("acknowledged_by", sa.String(length=120), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("security_events", schema=None) as batch_op:
        batch_op.create_index("ix_security_events_kind", ["kind"], unique=False)
        batch_op.create_index("ix_security_events_created_at", ["created_at"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("security_events", schema=None) as batch_op:
        batch_op.drop_index("ix_security_events_created_at")
        batch_op.drop_index("ix_security_events_kind")
    op.drop_table("security_events")
    with op.batch_alter_table("api_tokens", schema=None) as batch_op:
        batch_op.drop_column("expires_at")
    with op.batch_alter_table("conversations", schema=None) as batch_op:
        batch_op.drop_constraint("uq_conversations_engine_sender_id", type_="unique")
        batch_op.drop_column("engine_sender_id")

    bind = op.get_bind()
    has_rows = any(
        bind.execute(sa.text(f"SELECT 1 FROM {table} LIMIT 1")).first()  # noqa: S608
        for table in ("service_requests", "agents", "outbox", "inbound_events", "complaints")
    )
    if has_rows:
        from helpdesk.infra.crypto import keyring

        ring = keyring()
        for table, column in ENCRYPTED:
            _rewrite(table, column, ring.decrypt)
    with op.batch_alter_table("inbound_events", schema=None) as batch_op:
        batch_op.alter_column(
            "payload", existing_type=sa.Text(), type_=sa.JSON(), postgresql_using="payload::json"
        )
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.alter_column("recipient", existing_type=sa.Text(), type_=sa.String(length=128))
    with op.batch_alter_table("service_requests", schema=None) as batch_op:
        batch_op.drop_index("ix_service_requests_nik_index")
        batch_op.drop_column("nik_index")
        batch_op.alter_column("phone", existing_type=sa.Text(), type_=sa.String(length=20))
        batch_op.alter_column("nik", existing_type=sa.Text(), type_=sa.String(length=16))
    with op.batch_alter_table("agents", schema=None) as batch_op:
        batch_op.alter_column("totp_secret", existing_type=sa.Text(), type_=sa.String(length=255))
    with op.batch_alter_table("complaints", schema=None) as batch_op:
        batch_op.alter_column("nik", existing_type=sa.Text(), type_=sa.String(length=16))
