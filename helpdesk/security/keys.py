"""Key rotation: re-encrypt every encrypted column under the newest key (`helpdesk reencrypt`).

Works on the raw stored tokens (plain SQL), so the column type's own encryption and
decryption are bypassed on purpose.
"""

from __future__ import annotations

from sqlalchemy import Connection, text

from helpdesk.infra.crypto import EncryptedJSON, EncryptedString, keyring
from helpdesk.models import Base


def encrypted_columns() -> list[tuple[str, str, str]]:
    """(table, primary key, column) of every EncryptedString column in the models."""
    found = []
    for table in Base.metadata.sorted_tables:
        pk = next(iter(table.primary_key.columns)).name
        for column in table.columns:
            if isinstance(column.type, (EncryptedString, EncryptedJSON)):
                found.append((table.name, pk, column.name))
    return found


def reencrypt_all(connection: Connection) -> dict[str, int]:
    """Rotate every stored token to the newest key; recompute the NIK blind index."""
    ring = keyring()
    counts: dict[str, int] = {}
    for table, pk, column in encrypted_columns():
        rows = connection.execute(
            text(f"SELECT {pk}, {column} FROM {table} WHERE {column} IS NOT NULL")  # noqa: S608
        ).all()
        changed = 0
        for row_id, token in rows:
            if ring.is_current(token):
                continue
            connection.execute(
                text(f"UPDATE {table} SET {column} = :v WHERE {pk} = :id"),  # noqa: S608
                {"v": ring.rotate(token), "id": row_id},
            )
            changed += 1
        counts[f"{table}.{column}"] = changed
    rows = connection.execute(text("SELECT id, nik FROM service_requests")).all()
    for row_id, token in rows:
        connection.execute(
            text("UPDATE service_requests SET nik_index = :i WHERE id = :id"),
            {"i": ring.blind_index(ring.decrypt(token)), "id": row_id},
        )
    counts["service_requests.nik_index"] = len(rows)
    return counts
