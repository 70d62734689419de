"""Applications on Telegram and WhatsApp (engine faked, channel APIs faked at the HTTP
boundary by tests/fakes): the worker takes each update, photos and PDFs are fetched from
the channel like the real ones and checked, replies go back through the channel's API."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select

from channels.telegram.adapter import TelegramAdapter
from channels.whatsapp.adapter import WhatsAppAdapter
from channels.whatsapp.views import webhook_events
from helpdesk.conversation.base import BotReply
from helpdesk.infra.jobs import PollingSignal
from helpdesk.infra.migrate import upgrade
from helpdesk.models import Attachment, Channel, ServiceRequest
from helpdesk.runtime.app import create_app
from helpdesk.runtime.worker import Worker
from helpdesk.services.inbox import store_inbound_event
from helpdesk.services.tokens import create_token
from helpdesk.web.extensions import database
from tests.conftest import FakeEngine, make_settings
from tests.fakes import whatsapp_api
from tests.fakes.telegram_api import FakeBotApi, photo_update, serve, text_update
from tests.unit.test_applications import CATALOG, JPEG, NIK, PDF, TRIGGERS

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@pytest.fixture
def app(tmp_path: Path, fake_engine: FakeEngine) -> Iterator[Flask]:
    application = create_app(
        make_settings(f"sqlite:///{tmp_path / 'h.db'}", upload_dir=tmp_path / "uploads"),
        bot_engine=fake_engine,
    )
    with application.app_context():
        upgrade(database().engine)
        with database().session() as session:
            token = create_token(session, "actions", "bot")
            session.commit()
    bot = {"Authorization": f"Bearer {token}"}
    client = application.test_client()

    def on_call(sender_id: str, text: str) -> None:  # what action_apply_service does
        if any(word in text.lower() for word in TRIGGERS):
            found = CATALOG.find(text)
            opened = client.post(
                f"/api/v1/conversations/{sender_id}/application-form",
                json={"service": found.code if found else None},
                headers=bot,
            )
            fake_engine.replies = [
                BotReply(m["text"], m["buttons"]) for m in opened.get_json()["messages"]
            ]
        else:
            fake_engine.replies = [BotReply("Halo dari bot")]

    fake_engine.on_call = on_call
    yield application
    with application.app_context():
        database().dispose()


def test_yellow_card_on_telegram_in_javanese_with_photos(app: Flask) -> None:
    api = FakeBotApi(files={"ktp": JPEG, "kk": JPEG, "ijazah": PNG, "akta": JPEG, "pdf": PDF})
    chat = 6_660_001
    with serve(api) as url, app.app_context():
        adapter = TelegramAdapter("1:token", api_base_url=url)
        worker = Worker(
            database(), app.extensions["router"], {Channel.TELEGRAM: adapter}, PollingSignal()
        )
        update = iter(range(1, 100))

        def send(body: dict[str, Any]) -> str:
            n = next(update)
            with database().session() as session:
                store_inbound_event(session, Channel.TELEGRAM, f"u{n}", body)
                session.commit()
            before = len(api.sent())
            while worker.run_once():
                pass
            return "\n".join(p["text"] for p in api.sent()[before:])

        def say(text: str) -> str:
            return send(text_update(next(update) + 1000, chat, text))

        assert "UU 27/2022" in say("kula badhe ngajokaken kartu kuning")
        assert "1/6. Nama jangkep" in say("inggih")
        say("Rina Wulandari")
        assert "16 angka" in say("1234")
        say(NIK)
        say("081298765432")
        say("21/04/2001")
        say("3")
        assert "Dokumen 1/6" in say("liwati")
        for file_id in ("ktp", "kk", "ijazah", "akta"):
            assert "katampi" in send(photo_update(next(update) + 2000, chat, file_id))
        refused = send(photo_update(next(update) + 2000, chat, "pdf"))  # a PDF sent as a photo
        assert "JPG, PNG" in refused  # the pas foto must be a photo: asked again
        assert "6/6" in send(photo_update(next(update) + 2000, chat, "ktp"))
        say("liwati")
        say("mboten")
        filed = say("kirim")
        adapter.close()
    number = re.search(r"AK-\d{4}-\d{6}", filed)
    assert number is not None, filed
    assert any(call[1] == "getFile" for call in api.calls)
    with app.app_context(), database().session() as session:
        request = session.scalar(select(ServiceRequest))
        assert request is not None and (request.channel, request.language) == ("telegram", "jv")
        files = session.scalars(select(Attachment).where(Attachment.request_id == request.id))
        assert sorted(f.requirement or "" for f in files) == [
            "akta_kelahiran",
            "ijazah",
            "kk",
            "ktp",
            "pas_foto",
        ]


@pytest.mark.parametrize(
    ("wa_id", "opening", "agree", "skip", "purpose", "language"),
    [
        ("6281300000011", "abdi hoyong ngajukeun SKTM", "sumuhun", "lewati", "bantuan hukum", "su"),
        ("6281300000012", "I want to apply for SKTM online", "yes", "skip", "legal aid", "en"),
    ],
)
def test_sktm_on_whatsapp_with_a_photo_and_a_pdf(
    app: Flask, wa_id: str, opening: str, agree: str, skip: str, purpose: str, language: str
) -> None:
    api = whatsapp_api.FakeCloudApi()
    with whatsapp_api.serve(api) as url, app.app_context():
        adapter = WhatsAppAdapter("token", "106540352242922", api_base_url=url)
        worker = Worker(
            database(), app.extensions["router"], {Channel.WHATSAPP: adapter}, PollingSignal()
        )
        ids = iter(range(1, 100))

        def send(body: dict[str, Any]) -> str:
            with database().session() as session:
                for external_id, payload in webhook_events(body):
                    store_inbound_event(session, Channel.WHATSAPP, external_id, payload)
                session.commit()
            before = len(api.texts(wa_id))
            while worker.run_once():
                pass
            return "\n".join(api.texts(wa_id)[before:])

        def say(text: str) -> str:
            return send(whatsapp_api.text_event(wa_id, f"wamid.t{next(ids)}", text))

        def file(data: bytes, mime: str, name: str) -> str:
            media = f"m{next(ids)}"
            api.media[media] = (data, mime)
            return send(whatsapp_api.media_event(wa_id, f"wamid.f{next(ids)}", media, mime, name))

        assert "UU 27/2022" in say(opening)
        assert "1/6" in say(agree)
        say("Budi Santoso")
        say(NIK)
        say(skip)
        say("Jl. Kenanga 7 RT 01/RW 02, Sukamaju")
        say(purpose)
        assert "1/5" in say("LBH Contoh")
        file(JPEG, "image/jpeg", "rt.jpg")
        file(JPEG, "image/jpeg", "ktp.jpg")
        file(PDF, "application/pdf", "kk.pdf")
        assert "5/5" in file(PDF, "application/pdf", "pernyataan.pdf")
        say(skip)
        say(agree)
        filed = say("kirim")
        adapter.close()
    assert re.search(r"SKTM-\d{4}-\d{6}", filed), filed
    with app.app_context(), database().session() as session:
        request = session.scalar(select(ServiceRequest))
        assert request is not None and request.channel == "whatsapp"
        assert request.language == language  # the address typed in Indonesian did not switch it
        assert request.answers is not None and request.answers["purpose"] == "Bantuan hukum"
        kinds = session.scalars(
            select(Attachment.content_type).where(Attachment.request_id == request.id)
        ).all()
        assert sorted(kinds) == ["application/pdf", "application/pdf", "image/jpeg", "image/jpeg"]
