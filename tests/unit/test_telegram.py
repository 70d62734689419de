"""Telegram: webhook (secret, storage, ack), update parsing, sending through a fake Bot API."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from telegram import Update
from telegram.ext import ContextTypes, TypeHandler

from channels.adapters import (
    HASHED_PAYLOAD_PREFIX,
    DeliveryError,
    OutgoingMessage,
    split_text,
)
from channels.registry import build_adapters
from channels.telegram.adapter import TelegramAdapter, parse_update
from channels.telegram.polling import build_application
from channels.telegram.views import telegram_bp
from channels.whatsapp.adapter import WhatsAppAdapter
from helpdesk.conversation.base import InboundMessage
from helpdesk.infra.config import Settings
from helpdesk.infra.db import Database
from helpdesk.infra.migrate import upgrade
from helpdesk.models import Channel, InboundEvent
from helpdesk.web.errors import register_error_handlers
from helpdesk.web.extensions import database
from tests.conftest import make_settings
from tests.fakes.telegram_api import FakeBotApi, serve

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "telegram"
TOKEN = "7012345678:AAF-test-token"
SECRET = "s3cret-Token_for-tests"
HEADERS = {"X-Telegram-Bot-Api-Secret-Token": SECRET}
CHAT = "5123456789"


def fixture(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((FIXTURES / f"{name}.json").read_text())
    return data


@pytest.fixture
def bot_api() -> Iterator[tuple[FakeBotApi, str]]:
    """The fake API and its base URL (what TELEGRAM_API_BASE_URL would be)."""
    api = FakeBotApi()
    with serve(api) as url:
        yield api, url


@pytest.fixture
def adapter(bot_api: tuple[FakeBotApi, str]) -> Iterator[TelegramAdapter]:
    a = TelegramAdapter(TOKEN, api_base_url=bot_api[1])
    yield a
    a.close()


# --- the webhook -----------------------------------------------------------------------


def webhook_app(settings: Settings) -> Flask:
    """A small app with just what the webhook needs: settings, database, JSON errors."""
    application = Flask(__name__)
    application.extensions["settings"] = settings
    Database(settings.database_url).init_app(application)
    register_error_handlers(application)
    application.register_blueprint(telegram_bp)
    with application.app_context():
        upgrade(database().engine)
    return application


@pytest.fixture
def tg_app(database_url: str) -> Iterator[Flask]:
    """The webhook app with Telegram configured."""
    settings = make_settings(
        database_url,
        telegram_bot_token=TOKEN,
        telegram_webhook_secret=SECRET,
        webhook_max_age_hours=0,  # the fixtures were sent on 2026-01-01; see test_security_webhooks
    )
    application = webhook_app(settings)
    yield application
    with application.app_context():
        database().dispose()


@pytest.fixture
def tg_client(tg_app: Flask) -> FlaskClient:
    return tg_app.test_client()


def stored_events(app: Flask) -> list[InboundEvent]:
    with app.app_context(), database().session() as session:
        return list(session.scalars(select(InboundEvent).order_by(InboundEvent.id)))


def test_webhook_stores_update_and_acknowledges(tg_app: Flask, tg_client: FlaskClient) -> None:
    update = fixture("text")
    response = tg_client.post("/webhooks/telegram", json=update, headers=HEADERS)
    assert response.status_code == 200
    assert response.get_json() == {"ok": True}
    [event] = stored_events(tg_app)
    assert (event.channel, event.external_id, event.payload) == (
        Channel.TELEGRAM,
        "734810101",
        update,
    )
    assert event.status == "queued"


def test_repeated_delivery_is_stored_once(tg_app: Flask, tg_client: FlaskClient) -> None:
    for _ in range(2):
        response = tg_client.post("/webhooks/telegram", json=fixture("photo"), headers=HEADERS)
        assert response.status_code == 200
    assert [e.external_id for e in stored_events(tg_app)] == ["734810104"]


def test_a_new_update_wakes_the_worker_a_repeat_does_not(
    tg_app: Flask, tg_client: FlaskClient
) -> None:
    wakeups: list[str] = []
    tg_app.extensions["job_signal"] = type(
        "Signal", (), {"notify": lambda _: wakeups.append("x")}
    )()
    for _ in range(2):
        tg_client.post("/webhooks/telegram", json=fixture("text"), headers=HEADERS)
    assert wakeups == ["x"]


def test_button_press_is_answered_in_the_webhook_reply(tg_client: FlaskClient) -> None:
    response = tg_client.post("/webhooks/telegram", json=fixture("callback_query"), headers=HEADERS)
    assert response.status_code == 200
    assert response.get_json() == {
        "method": "answerCallbackQuery",
        "callback_query_id": "2200867437616437915",
    }


@pytest.mark.parametrize(
    ("headers", "status", "code"),
    [
        ({}, 401, "missing_secret_token"),
        ({"X-Telegram-Bot-Api-Secret-Token": "wrong"}, 403, "invalid_secret_token"),
        ({"X-Telegram-Bot-Api-Secret-Token": SECRET.upper()}, 403, "invalid_secret_token"),
    ],
)
def test_webhook_refuses_a_wrong_or_missing_secret(
    tg_app: Flask, tg_client: FlaskClient, headers: dict[str, str], status: int, code: str
) -> None:
    response = tg_client.post("/webhooks/telegram", json=fixture("text"), headers=headers)
    assert response.status_code == status
    assert response.get_json()["error"]["code"] == code
    assert stored_events(tg_app) == []


@pytest.mark.parametrize(
    ("body", "code"),
    [
        (b'{"update_id": 1, "message": ', "malformed_json"),
        (b"\xff\xfe", "malformed_json"),
        (b"[1, 2]", "invalid_update"),
        (b'{"message": {"text": "no update id"}}', "invalid_update"),
        (b'{"update_id": "12"}', "invalid_update"),
    ],
)
def test_webhook_refuses_a_malformed_body(
    tg_app: Flask, tg_client: FlaskClient, body: bytes, code: str
) -> None:
    response = tg_client.post(
        "/webhooks/telegram", data=body, headers=HEADERS, content_type="application/json"
    )
    assert response.status_code == 400
    assert response.get_json()["error"]["code"] == code
    assert stored_events(tg_app) == []


def test_webhook_refuses_an_oversized_body(tg_app: Flask, tg_client: FlaskClient) -> None:
    body = json.dumps({"update_id": 1, "padding": "x" * (1024 * 1024)})
    response = tg_client.post(
        "/webhooks/telegram", data=body, headers=HEADERS, content_type="application/json"
    )
    assert response.status_code == 413
    assert stored_events(tg_app) == []


def test_webhook_is_off_without_a_secret(database_url: str) -> None:
    application = webhook_app(make_settings(database_url, telegram_bot_token=TOKEN))
    response = application.test_client().post("/webhooks/telegram", json=fixture("text"))
    assert response.status_code == 404
    assert response.get_json()["error"]["code"] == "channel_disabled"
    with application.app_context():
        database().dispose()


# --- parsing ---------------------------------------------------------------------------


def _inbound(**fields: Any) -> InboundMessage:
    return InboundMessage(channel=Channel.TELEGRAM, channel_user_id=CHAT, **fields)


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        (
            "text",
            _inbound(
                text="Apa saja syarat membuat KTP elektronik?", client_message_id="tg:734810101"
            ),
        ),
        ("start", _inbound(text="/start", payload="/greet", client_message_id="tg:734810100")),
        ("language_command", _inbound(text="/bahasa jv", client_message_id="tg:734810102")),
        (
            "callback_query",
            _inbound(
                text="KTP Elektronik",
                payload='/ask_requirements{"service":"ktp_el"}',
                client_message_id="tg:734810103",
            ),
        ),
        (
            "photo",
            _inbound(
                text="Jalan berlubang di depan kantor kelurahan",
                client_message_id="tg:734810104",
                attachments=(
                    {
                        "type": "photo",
                        "file_id": "AgACAgUAAxkBAAIBn2XaLarge_1280",
                        "mime_type": "image/jpeg",
                        "file_name": None,
                        "caption": "Jalan berlubang di depan kantor kelurahan",
                    },
                ),
            ),
        ),
        (
            "photo_no_caption",
            _inbound(
                text="[foto]",
                client_message_id="tg:734810105",
                attachments=(
                    {
                        "type": "photo",
                        "file_id": "AgACAgUAAxkBAAIBoGXaLarge_800",
                        "mime_type": "image/jpeg",
                        "file_name": None,
                        "caption": None,
                    },
                ),
            ),
        ),
        (
            "document",
            _inbound(
                text="Surat pengantar RT untuk KK",
                client_message_id="tg:734810106",
                attachments=(
                    {
                        "type": "document",
                        "file_id": "BQACAgUAAxkBAAIBoWXaDocument_pdf",
                        "mime_type": "application/pdf",
                        "file_name": "surat_pengantar_rt.pdf",
                        "caption": "Surat pengantar RT untuk KK",
                    },
                ),
            ),
        ),
    ],
)
def test_parse_event_per_update_type(
    adapter: TelegramAdapter, name: str, expected: InboundMessage
) -> None:
    assert adapter.parse_event(fixture(name)) == [expected]


@pytest.mark.parametrize(
    ("content", "text", "attachments"),
    [
        (
            {"voice": {"file_id": "AwACAgUAAxkBVoice", "file_unique_id": "v1", "duration": 4,
                       "mime_type": "audio/ogg"}},
            "[pesan suara]",
            ({"type": "voice", "file_id": "AwACAgUAAxkBVoice", "mime_type": "audio/ogg",
              "file_name": None, "caption": None},),
        ),
        (
            {"sticker": {"file_id": "CAACAgIAAxkBSticker", "file_unique_id": "s1", "width": 512,
                         "height": 512, "is_animated": False, "is_video": False,
                         "type": "regular"}},
            "[stiker]",
            (),
        ),
        ({"location": {"latitude": -6.9147, "longitude": 107.6098}}, "[lokasi]", ()),
    ],
    ids=["voice", "sticker", "location"],
)  # fmt: skip
def test_other_content_gets_a_placeholder(
    content: dict[str, Any], text: str, attachments: tuple[dict[str, Any], ...]
) -> None:
    update = fixture("text")
    del update["message"]["text"]
    update["message"].update(content)
    [inbound] = parse_update(update) or []
    assert (inbound.text, inbound.attachments) == (text, attachments)


@pytest.mark.parametrize("name", ["edited_message", "group_message"])
def test_parse_event_ignores_edits_and_group_chats(name: str) -> None:
    assert parse_update(fixture(name)) is None


def test_start_with_a_deep_link_parameter_greets() -> None:
    update = fixture("start")
    update["message"]["text"] = "/start@HaloWargaBot kampanye-kk"
    [inbound] = parse_update(update) or []
    assert inbound.payload == "/greet"


# --- sending ---------------------------------------------------------------------------


def test_send_text(adapter: TelegramAdapter, bot_api: tuple[FakeBotApi, str]) -> None:
    api, _ = bot_api
    provider_id = adapter.send(CHAT, OutgoingMessage("Halo! Ada yang bisa kami bantu?"))
    [(path, method, params)] = api.calls
    assert (path, method) == (f"/bot{TOKEN}/sendMessage", "sendMessage")
    assert params == {"chat_id": CHAT, "text": "Halo! Ada yang bisa kami bantu?"}
    assert provider_id == f"{CHAT}:1001"


def test_send_buttons_as_an_inline_keyboard(
    adapter: TelegramAdapter, bot_api: tuple[FakeBotApi, str]
) -> None:
    api, _ = bot_api
    buttons = [
        {"title": "KTP Elektronik", "payload": '/ask_requirements{"service": "ktp_el"}'},
        {"title": "Kartu Keluarga", "payload": '/ask_requirements{"service":"kartu_keluarga"}'},
    ]
    adapter.send(CHAT, OutgoingMessage("Layanan mana yang Anda maksud?", buttons))
    [params] = api.sent()
    assert params["reply_markup"] == {
        "inline_keyboard": [
            [{"text": "KTP Elektronik", "callback_data": '/ask_requirements{"service":"ktp_el"}'}],
            [
                {
                    "text": "Kartu Keluarga",
                    "callback_data": '/ask_requirements{"service":"kartu_keluarga"}',
                }
            ],
        ]
    }


def test_a_payload_over_64_bytes_gets_a_stand_in_and_comes_back_as_the_title(
    adapter: TelegramAdapter, bot_api: tuple[FakeBotApi, str]
) -> None:
    api, _ = bot_api
    long_payload = '/check_status{"tracking_number":"KTP-2026-000123","channel":"telegram"}'
    assert len(long_payload.encode()) > 64
    adapter.send(CHAT, OutgoingMessage("Cek status?", [{"title": "Cek", "payload": long_payload}]))
    [params] = api.sent()
    [[button]] = params["reply_markup"]["inline_keyboard"]
    data = button["callback_data"]
    assert data.startswith(HASHED_PAYLOAD_PREFIX) and len(data.encode()) <= 64
    press = fixture("callback_query")
    press["callback_query"]["data"] = data
    press["callback_query"]["message"]["reply_markup"] = params["reply_markup"]
    [inbound] = adapter.parse_event(press) or []  # type: ignore[misc]
    assert (inbound.text, inbound.payload) == ("Cek", None)


def test_long_text_is_split_at_paragraphs_with_the_keyboard_on_the_last_part(
    adapter: TelegramAdapter, bot_api: tuple[FakeBotApi, str]
) -> None:
    api, _ = bot_api
    paragraphs = [f"Paragraf {i}: " + "syarat " * 150 for i in range(6)]  # ~1070 chars each
    text = "\n\n".join(paragraphs)
    buttons = [{"title": "Ya", "payload": "/affirm"}]
    provider_id = adapter.send(CHAT, OutgoingMessage(text, buttons))
    sent = api.sent()
    assert len(sent) == 2
    assert all(len(p["text"]) <= 4096 for p in sent)
    assert sent[0]["text"] == "\n\n".join(paragraphs[:3]).strip()
    assert sent[1]["text"] == "\n\n".join(paragraphs[3:]).strip()
    assert "reply_markup" not in sent[0]
    assert sent[1]["reply_markup"]["inline_keyboard"] == [
        [{"text": "Ya", "callback_data": "/affirm"}]
    ]
    assert provider_id == f"{CHAT}:1002"


def test_split_counts_utf16_units_like_telegram() -> None:
    text = "😀" * 3000  # 6000 UTF-16 code units
    parts = split_text(text, 4096, utf16=True)
    assert [len(p) for p in parts] == [2048, 952]


def test_server_error_then_success(
    adapter: TelegramAdapter, bot_api: tuple[FakeBotApi, str]
) -> None:
    api, _ = bot_api
    api.script("sendMessage", 500, {"ok": False, "error_code": 500, "description": "Internal"})
    with pytest.raises(DeliveryError) as failure:
        adapter.send(CHAT, OutgoingMessage("Halo"))
    assert failure.value.retryable is True
    assert adapter.send(CHAT, OutgoingMessage("Halo")) == f"{CHAT}:1001"
    assert len(api.sent()) == 2


@pytest.mark.parametrize(
    ("status", "body", "retryable", "reason"),
    [
        pytest.param(
            429,
            {"description": "Too Many Requests: retry after 3", "parameters": {"retry_after": 3}},
            True,
            "Flood control exceeded",
            # PTB 22 warns about its own int `retry_after` while building the exception
            marks=pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning"),
        ),
        (500, {"description": "Internal Server Error"}, True, "Internal Server Error"),
        (502, {"description": "Bad Gateway"}, True, "Bad Gateway"),
        (400, {"description": "Bad Request: chat not found"}, False, "Chat not found"),
        (403, {"description": "Forbidden: bot was blocked by the user"}, False, "blocked"),
        (401, {"description": "Unauthorized"}, False, "Unauthorized"),
    ],
)
def test_errors_map_to_retryable_or_not(
    adapter: TelegramAdapter,
    bot_api: tuple[FakeBotApi, str],
    status: int,
    body: dict[str, Any],
    retryable: bool,
    reason: str,
) -> None:
    bot_api[0].script("sendMessage", status, {"ok": False, "error_code": status, **body})
    with pytest.raises(DeliveryError) as failure:
        adapter.send(CHAT, OutgoingMessage("Halo"))
    assert failure.value.retryable is retryable
    assert reason in failure.value.reason


def test_unreachable_api_is_retryable() -> None:
    closed = TelegramAdapter(TOKEN, api_base_url="http://127.0.0.1:9")  # discard port: refused
    try:
        with pytest.raises(DeliveryError) as failure:
            closed.send(CHAT, OutgoingMessage("Halo"))
        assert failure.value.retryable is True
    finally:
        closed.close()


def test_empty_message_is_refused_without_a_call(
    adapter: TelegramAdapter, bot_api: tuple[FakeBotApi, str]
) -> None:
    with pytest.raises(DeliveryError) as failure:
        adapter.send(CHAT, OutgoingMessage("  "))
    assert failure.value.retryable is False
    assert bot_api[0].calls == []


def test_build_adapters_only_for_configured_channels(database_url: str) -> None:
    assert build_adapters(make_settings(database_url)) == {}
    adapters = build_adapters(make_settings(database_url, telegram_bot_token=TOKEN))
    assert list(adapters) == [Channel.TELEGRAM]
    assert isinstance(adapters[Channel.TELEGRAM], TelegramAdapter)
    adapters[Channel.TELEGRAM].close()  # type: ignore[attr-defined]
    both = build_adapters(
        make_settings(
            database_url,
            telegram_bot_token=TOKEN,
            whatsapp_access_token="token",
            whatsapp_phone_number_id="106540352242922",
        )
    )
    assert set(both) == {Channel.TELEGRAM, Channel.WHATSAPP}
    assert isinstance(both[Channel.WHATSAPP], WhatsAppAdapter)
    for each in both.values():
        each.close()  # type: ignore[attr-defined]


# --- development polling ---------------------------------------------------------------


def test_polling_handler_stores_updates_and_answers_button_presses(
    database_url: str, bot_api: tuple[FakeBotApi, str]
) -> None:
    api, base_url = bot_api
    stored: list[dict[str, Any]] = []

    def store(update: dict[str, Any]) -> bool:
        stored.append(update)
        return True

    settings = make_settings(database_url, telegram_bot_token=TOKEN, telegram_api_base_url=base_url)
    application = build_application(settings, store)

    async def deliver() -> None:
        async with application:
            for name in ("text", "callback_query"):
                update = Update.de_json(fixture(name), application.bot)
                await application.process_update(update)

    asyncio.run(deliver())
    assert [u["update_id"] for u in stored] == [734810101, 734810103]
    assert parse_update(stored[0]) == parse_update(fixture("text"))
    assert parse_update(stored[1]) == parse_update(fixture("callback_query"))
    assert api.sent("answerCallbackQuery") == [{"callback_query_id": "2200867437616437915"}]


def test_polling_loop_fetches_with_an_advancing_offset(
    database_url: str, bot_api: tuple[FakeBotApi, str]
) -> None:
    api, base_url = bot_api
    batches = [[fixture("start"), fixture("text")], [fixture("callback_query")]]
    for batch in batches:
        api.script("getUpdates", 200, {"ok": True, "result": batch})
    stored: list[dict[str, Any]] = []

    def store(update: dict[str, Any]) -> bool:
        stored.append(update)
        return True

    settings = make_settings(database_url, telegram_bot_token=TOKEN, telegram_api_base_url=base_url)
    application = build_application(settings, store)

    async def stop_when_done(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
        if len(stored) == 3:
            context.application.stop_running()

    application.add_handler(TypeHandler(Update, stop_when_done), group=1)
    asyncio.set_event_loop(asyncio.new_event_loop())
    try:
        application.run_polling(allowed_updates=Update.ALL_TYPES, stop_signals=None)
    finally:
        asyncio.set_event_loop(None)
    assert [u["update_id"] for u in stored] == [734810100, 734810101, 734810103]
    offsets = [call.get("offset") for call in api.sent("getUpdates")]
    assert offsets[:2] == ["0", "734810102"]  # the next call confirms the first batch
