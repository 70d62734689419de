"""Finding 8: NIK, phone numbers and TOTP secrets are encrypted at rest (MultiFernet),
looked up through a keyed blind index, and re-encrypted when keys rotate."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic import command
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select, text

from helpdesk.infra import crypto
from helpdesk.infra.db import Database
from helpdesk.infra.migrate import alembic_config, upgrade
from helpdesk.models import Agent, AgentRole, ServiceRequest
from helpdesk.services import requests as service_requests
from helpdesk.web.extensions import database

NIK = "3201019876543210"
PHONE_DIGITS = "81299887766"


@pytest.fixture(autouse=True)
def _fresh_keyring() -> Iterator[None]:
    """Each test starts from the environment's keys and leaves no custom keyring behind."""
    crypto.reset()
    yield
    crypto.reset()


def _raw_bytes(db_path: Path) -> bytes:
    """The database file and its -wal/-shm companions, as stored on disk."""
    return b"".join(p.read_bytes() for p in db_path.parent.glob(db_path.name + "*") if p.is_file())


def test_nik_posted_to_the_api_is_not_readable_in_the_sqlite_files(
    app: Flask, client: FlaskClient, auth: dict[str, str], database_url: str
) -> None:
    response = client.post(
        "/api/v1/requests",
        json={
            "service": "ktp_el",
            "applicant_name": "Warga Uji",
            "nik": NIK,
            "phone": "0" + PHONE_DIGITS,
        },
        headers=auth,
    )
    assert response.status_code == 201, response.get_json()
    assert response.get_json()["nik_masked"] == NIK[:4] + "********" + NIK[-4:]
    raw = _raw_bytes(Path(database_url.removeprefix("sqlite:///")))
    assert raw, "no database file found"
    assert NIK.encode() not in raw
    assert PHONE_DIGITS.encode() not in raw
    # ... yet the application reads them back.
    with app.app_context(), database().session() as session:
        stored = session.scalars(select(ServiceRequest)).one()
        assert stored.nik == NIK
        assert stored.phone == "+62" + PHONE_DIGITS
        raw_nik = session.execute(text("SELECT nik FROM service_requests")).scalar_one()
        assert raw_nik.startswith("gAAAA") and NIK not in raw_nik


def test_totp_secrets_are_encrypted_at_rest(app: Flask) -> None:
    with app.app_context(), database().session() as session:
        session.add(
            Agent(
                username="petugas",
                display_name="Petugas",
                password_hash="x",
                totp_secret="JBSWY3DPEHPK3PXP",
                role=AgentRole.AGENT,
            )
        )
        session.commit()
        raw = session.execute(text("SELECT totp_secret FROM agents")).scalar_one()
        assert "JBSWY3DPEHPK3PXP" not in raw
        assert session.scalars(select(Agent)).one().totp_secret == "JBSWY3DPEHPK3PXP"


def test_requests_are_found_by_nik_through_the_keyed_blind_index(app: Flask) -> None:
    with app.app_context(), database().session() as session:
        for nik in (NIK, "3201010101900001", NIK):
            service_requests.create_request(
                session,
                service_code="ktp_el",
                applicant_name="Warga",
                nik=nik,
                phone=None,
                known_services=frozenset({"ktp_el"}),
            )
        session.commit()
        found = service_requests.find_by_nik(session, NIK)
        assert len(found) == 2 and all(r.nik == NIK for r in found)
        index = session.execute(text("SELECT nik_index FROM service_requests")).scalars().first()
        assert index is not None and NIK not in index
    # The index is keyed: another key gives another index (no rainbow table over 16 digits).
    other = crypto.Keyring([crypto.generate_key()], "another-index-key")
    assert other.blind_index(NIK) != crypto.blind_index(NIK)


def test_values_written_under_an_old_key_still_read_after_rotation() -> None:
    old_key, new_key = crypto.generate_key(), crypto.generate_key()
    old = crypto.Keyring([old_key], "i")
    token = old.encrypt(NIK)
    rotated = crypto.Keyring([new_key, old_key], "i")
    assert rotated.decrypt(token) == NIK
    assert not rotated.is_current(token)
    assert rotated.is_current(rotated.rotate(token))
    with pytest.raises(crypto.DecryptionFailed):
        crypto.Keyring([new_key], "i").decrypt(token)


def test_missing_keys_refuse_to_store_personal_data(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(crypto.ENV_KEYS, raising=False)
    crypto.reset()
    with pytest.raises(crypto.MissingKeys):
        crypto.encrypt(NIK)


def test_migration_encrypts_existing_rows_and_downgrade_restores_them(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'old.db'}"
    db = Database(url)
    config = alembic_config(url)
    with db.engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "0003")
        connection.execute(
            text(
                "INSERT INTO service_requests (tracking_number, service_code, applicant_name, "
                "nik, phone, status, created_at, updated_at) VALUES ('KTP-2026-000001', "
                f"'ktp_el', 'Lama', '{NIK}', '+62{PHONE_DIGITS}', 'submitted', "
                "CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"
            )
        )
        connection.execute(
            text(
                "INSERT INTO inbound_events (channel, external_id, payload, status, attempts, "
                "next_attempt_at, created_at) VALUES ('whatsapp', 'w1', :p, 'done', 0, "
                "CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"
            ),
            {"p": json.dumps({"from": PHONE_DIGITS})},
        )
        connection.execute(
            text(
                "INSERT INTO conversations (channel, channel_user_id, status, language, "
                "language_explicit, fallback_count, created_at, updated_at) VALUES "
                "('webchat', 's1', 'bot', 'id', 0, 0, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"
            )
        )
    upgrade(db.engine)
    with db.session() as session:
        raw_nik, raw_phone = session.execute(text("SELECT nik, phone FROM service_requests")).one()
        assert NIK not in raw_nik and PHONE_DIGITS not in raw_phone
        assert service_requests.find_by_nik(session, NIK)[0].phone == "+62" + PHONE_DIGITS
        raw_payload = session.execute(text("SELECT payload FROM inbound_events")).scalar_one()
        assert PHONE_DIGITS not in raw_payload
        from helpdesk.models import InboundEvent

        assert session.scalars(select(InboundEvent)).one().payload == {"from": PHONE_DIGITS}
        sender = session.execute(text("SELECT engine_sender_id FROM conversations")).scalar_one()
        assert sender and sender != "1"
    with db.engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, "0007_journeys_complaints")
    with db.engine.connect() as connection:
        assert connection.execute(text("SELECT nik FROM service_requests")).scalar_one() == NIK
    db.dispose()


def test_raw_webhook_payloads_and_outbox_recipients_are_encrypted(app: Flask) -> None:
    from helpdesk.models import Channel, InboundEvent, OutboxItem
    from helpdesk.services import conversations as convs
    from helpdesk.services import outbox
    from helpdesk.services.inbox import store_inbound_event

    wa_id = "6281234567890"
    with app.app_context(), database().session() as session:
        store_inbound_event(
            session, Channel.WHATSAPP, "wamid.1", {"contacts": [{"wa_id": wa_id}], "from": wa_id}
        )
        conversation = convs.get_or_create(session, Channel.WHATSAPP, wa_id)
        message = convs.add_message(session, conversation, convs.Sender.BOT, "Halo")
        outbox.enqueue(session, conversation, message)
        session.commit()
        raw_payload = session.execute(text("SELECT payload FROM inbound_events")).scalar_one()
        raw_recipient = session.execute(text("SELECT recipient FROM outbox")).scalar_one()
        assert wa_id not in raw_payload and wa_id not in raw_recipient
        assert session.scalars(select(InboundEvent)).one().payload["from"] == wa_id
        assert session.scalars(select(OutboxItem)).one().recipient == wa_id
