"""WhatsApp: webhook (challenge, signature, storage), parsing, sending via httpx.MockTransport."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from channels.adapters import HASHED_PAYLOAD_PREFIX, DeliveryError, OutgoingMessage, StatusUpdate
from channels.whatsapp.adapter import WhatsAppAdapter, template_message
from channels.whatsapp.signature import is_valid, sign
from channels.whatsapp.views import webhook_events, whatsapp_bp
from helpdesk.conversation.base import InboundMessage
from helpdesk.infra.config import Settings
from helpdesk.infra.db import Database
from helpdesk.infra.migrate import upgrade
from helpdesk.models import Channel, InboundEvent
from helpdesk.web.errors import register_error_handlers
from helpdesk.web.extensions import database
from tests.conftest import make_settings

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "whatsapp"
APP_SECRET = "f2d6e0c3b1a94e57a1d3c9b8e7f6a5d4"
VERIFY_TOKEN = "halo-warga-verify"
ACCESS_TOKEN = "EAAG-test-access-token"
PHONE_NUMBER_ID = "106540352242922"
BASE_URL = "https://graph.example.test/v21.0"
MESSAGES_URL = f"{BASE_URL}/{PHONE_NUMBER_ID}/messages"
WA_ID = "6281234567890"
OUR_WAMID = "wamid.HBgNNjI4MTIzNDU2Nzg5MBUCABEYEjQ4NEU5QkJFRUJBMjQ5OTQyNgA="
NOW = datetime(2026, 1, 1, 12, 0, tzinfo=UTC)
RECENT = NOW - timedelta(hours=2)


def fixture(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((FIXTURES / f"{name}.json").read_text())
    return data


# --- the webhook -----------------------------------------------------------------------


def webhook_app(settings: Settings) -> Flask:
    """A small app with just what the webhook needs: settings, database, JSON errors."""
    application = Flask(__name__)
    application.extensions["settings"] = settings
    Database(settings.database_url).init_app(application)
    register_error_handlers(application)
    application.register_blueprint(whatsapp_bp)
    with application.app_context():
        upgrade(database().engine)
    return application


@pytest.fixture
def wa_app(database_url: str) -> Iterator[Flask]:
    """The webhook app with WhatsApp configured."""
    settings = make_settings(
        database_url,
        whatsapp_app_secret=APP_SECRET,
        whatsapp_verify_token=VERIFY_TOKEN,
        webhook_max_age_hours=0,  # the fixtures were sent on 2026-01-01; see test_security_webhooks
    )
    application = webhook_app(settings)
    yield application
    with application.app_context():
        database().dispose()


@pytest.fixture
def wa_client(wa_app: Flask) -> FlaskClient:
    return wa_app.test_client()


def post_signed(client: FlaskClient, body: bytes, secret: str = APP_SECRET) -> Any:
    headers = {"X-Hub-Signature-256": sign(secret, body), "Content-Type": "application/json"}
    return client.post("/webhooks/whatsapp", data=body, headers=headers)


def stored_events(app: Flask) -> list[InboundEvent]:
    with app.app_context(), database().session() as session:
        return list(session.scalars(select(InboundEvent).order_by(InboundEvent.id)))


def test_subscription_challenge_is_echoed(wa_client: FlaskClient) -> None:
    query = {
        "hub.mode": "subscribe",
        "hub.verify_token": VERIFY_TOKEN,
        "hub.challenge": "1158201444",
    }
    response = wa_client.get("/webhooks/whatsapp", query_string=query)
    assert response.status_code == 200
    assert response.mimetype == "text/plain"
    assert response.get_data(as_text=True) == "1158201444"


@pytest.mark.parametrize(
    "query",
    [
        {"hub.mode": "subscribe", "hub.verify_token": "wrong", "hub.challenge": "1"},
        {"hub.mode": "unsubscribe", "hub.verify_token": VERIFY_TOKEN, "hub.challenge": "1"},
        {"hub.challenge": "1"},
    ],
)
def test_subscription_challenge_refused(wa_client: FlaskClient, query: dict[str, str]) -> None:
    response = wa_client.get("/webhooks/whatsapp", query_string=query)
    assert response.status_code == 403
    assert response.get_json()["error"]["code"] == "verification_failed"


def test_message_is_stored_with_its_context(wa_app: Flask, wa_client: FlaskClient) -> None:
    body = fixture("text")
    response = post_signed(wa_client, json.dumps(body).encode())
    assert response.status_code == 200
    assert response.get_json() == {"received": 1, "stored": 1}
    [event] = stored_events(wa_app)
    value = body["entry"][0]["changes"][0]["value"]
    assert event.channel == Channel.WHATSAPP
    assert event.external_id == value["messages"][0]["id"]
    assert event.payload == {
        "message": value["messages"][0],
        "contacts": value["contacts"],
        "metadata": value["metadata"],
    }


def test_repeated_delivery_is_stored_once(wa_app: Flask, wa_client: FlaskClient) -> None:
    raw = json.dumps(fixture("image")).encode()
    assert post_signed(wa_client, raw).get_json() == {"received": 1, "stored": 1}
    assert post_signed(wa_client, raw).get_json() == {"received": 1, "stored": 0}
    assert len(stored_events(wa_app)) == 1


def test_new_events_wake_the_worker_a_repeat_does_not(
    wa_app: Flask, wa_client: FlaskClient
) -> None:
    wakeups: list[str] = []
    wa_app.extensions["job_signal"] = type(
        "Signal", (), {"notify": lambda _: wakeups.append("x")}
    )()
    raw = json.dumps(fixture("text")).encode()
    post_signed(wa_client, raw)
    post_signed(wa_client, raw)
    assert wakeups == ["x"]


def test_each_status_is_its_own_event(wa_app: Flask, wa_client: FlaskClient) -> None:
    for name in ("status_sent", "status_delivered", "status_read", "status_failed"):
        assert post_signed(wa_client, json.dumps(fixture(name)).encode()).status_code == 200
    assert [e.external_id for e in stored_events(wa_app)] == [
        f"status:{OUR_WAMID}:sent",
        f"status:{OUR_WAMID}:delivered",
        f"status:{OUR_WAMID}:read",
        f"status:{OUR_WAMID}:failed",
    ]


def test_a_batch_becomes_one_event_per_message_and_status() -> None:
    body = fixture("text")
    value = body["entry"][0]["changes"][0]["value"]
    value["messages"].append(fixture("document")["entry"][0]["changes"][0]["value"]["messages"][0])
    value["statuses"] = fixture("status_read")["entry"][0]["changes"][0]["value"]["statuses"]
    body["entry"][0]["changes"].append({"field": "account_update", "value": {"event": "x"}})
    ids = [external_id for external_id, _ in webhook_events(body)]
    assert ids == [
        value["messages"][0]["id"],
        value["messages"][1]["id"],
        f"status:{OUR_WAMID}:read",
    ]


def test_other_objects_are_acknowledged_and_ignored(wa_app: Flask, wa_client: FlaskClient) -> None:
    response = post_signed(wa_client, b'{"object": "page", "entry": []}')
    assert response.get_json() == {"received": 0, "stored": 0}
    assert stored_events(wa_app) == []


@pytest.mark.parametrize(
    ("headers", "status", "code"),
    [
        ({}, 401, "missing_signature"),
        ({"X-Hub-Signature-256": "sha256=" + "0" * 64}, 403, "invalid_signature"),
        ({"X-Hub-Signature-256": "sha1=abc"}, 403, "invalid_signature"),
        ({"X-Hub-Signature-256": sign("another-secret", b"{}")}, 403, "invalid_signature"),
    ],
)
def test_unsigned_or_badly_signed_posts_are_refused(
    wa_app: Flask, wa_client: FlaskClient, headers: dict[str, str], status: int, code: str
) -> None:
    response = wa_client.post("/webhooks/whatsapp", json=fixture("text"), headers=headers)
    assert response.status_code == status
    assert response.get_json()["error"]["code"] == code
    assert stored_events(wa_app) == []


def test_a_signature_for_another_body_is_refused(wa_app: Flask, wa_client: FlaskClient) -> None:
    raw = json.dumps(fixture("text")).encode()
    headers = {"X-Hub-Signature-256": sign(APP_SECRET, raw + b" ")}
    response = wa_client.post("/webhooks/whatsapp", data=raw, headers=headers)
    assert response.status_code == 403


@pytest.mark.parametrize(
    "raw",
    [
        b'{"object": "whatsapp_business_account", "entry": [',
        b"[1, 2, 3]",
        b'{"object": "whatsapp_business_account", "entry": ["nope"]}',
        b'{"object": "whatsapp_business_account", "entry": [{"changes": [{"field": "messages",'
        b' "value": {"messages": [{"type": "text"}]}}]}]}',
    ],
)
def test_malformed_signed_bodies_are_refused(
    wa_app: Flask, wa_client: FlaskClient, raw: bytes
) -> None:
    response = post_signed(wa_client, raw)
    assert response.status_code == 400
    assert response.get_json()["error"]["code"] == "malformed_body"
    assert stored_events(wa_app) == []


def test_webhook_is_off_without_an_app_secret(database_url: str) -> None:
    application = webhook_app(make_settings(database_url))
    response = post_signed(application.test_client(), b"{}", secret="anything")
    assert response.status_code == 404
    with application.app_context():
        database().dispose()


def test_signature_helpers() -> None:
    body = b'{"object":"whatsapp_business_account"}'
    header = sign(APP_SECRET, body)
    assert header.startswith("sha256=") and len(header) == 7 + 64
    assert is_valid(APP_SECRET, body, header)
    assert is_valid(APP_SECRET, body, "sha256=" + header[7:].upper())
    assert not is_valid(APP_SECRET, body + b"\n", header)
    assert not is_valid("", body, sign("", body))


# --- parsing ---------------------------------------------------------------------------


def _inbound(wamid: str, **fields: Any) -> InboundMessage:
    return InboundMessage(
        channel=Channel.WHATSAPP, channel_user_id=WA_ID, client_message_id=wamid, **fields
    )


def parsed(name: str) -> Any:
    [(_, payload)] = webhook_events(fixture(name))
    adapter = WhatsAppAdapter(ACCESS_TOKEN, PHONE_NUMBER_ID)
    try:
        return adapter.parse_event(payload)
    finally:
        adapter.close()


def wamid_of(name: str) -> str:
    message_id: str = fixture(name)["entry"][0]["changes"][0]["value"]["messages"][0]["id"]
    return message_id


@pytest.mark.parametrize(
    ("name", "fields"),
    [
        ("text", {"text": "Berapa biaya perpanjangan SKCK?"}),
        ("interactive_button_reply", {"text": "Ya", "payload": "/affirm"}),
        (
            "interactive_list_reply",
            {
                "text": "Akta Kelahiran",
                "payload": '/ask_requirements{"service":"akta_kelahiran"}',
            },
        ),
        ("button", {"text": "Cek status", "payload": "/check_status"}),
        (
            "image",
            {
                "text": "Foto KTP yang rusak",
                "attachments": (
                    {
                        "type": "image",
                        "media_id": "1048579803587164",
                        "mime_type": "image/jpeg",
                        "file_name": None,
                        "caption": "Foto KTP yang rusak",
                    },
                ),
            },
        ),
        (
            "document",
            {
                "text": "[dokumen]",
                "attachments": (
                    {
                        "type": "document",
                        "media_id": "1226472098470823",
                        "mime_type": "application/pdf",
                        "file_name": "akta_kelahiran.pdf",
                        "caption": None,
                    },
                ),
            },
        ),
    ],
)
def test_parse_event_per_message_type(name: str, fields: dict[str, Any]) -> None:
    assert parsed(name) == [_inbound(wamid_of(name), **fields)]


def test_reactions_are_ignored() -> None:
    assert parsed("reaction") is None


@pytest.mark.parametrize("status", ["sent", "delivered", "read"])
def test_parse_event_status(status: str) -> None:
    assert parsed(f"status_{status}") == StatusUpdate(OUR_WAMID, status, None)


def test_parse_event_failed_status_carries_the_error() -> None:
    update = parsed("status_failed")
    assert isinstance(update, StatusUpdate)
    assert (update.provider_message_id, update.status) == (OUR_WAMID, "failed")
    assert update.error is not None
    assert update.error.startswith("131047 Re-engagement message: Message failed to send")


def test_parse_event_refuses_an_unknown_payload() -> None:
    adapter = WhatsAppAdapter(ACCESS_TOKEN, PHONE_NUMBER_ID)
    with pytest.raises(ValueError):
        adapter.parse_event({"something": "else"})
    adapter.close()


# --- sending ---------------------------------------------------------------------------


class FakeCloudApi:
    """Answers like the Cloud API (or as scripted) and records every request."""

    def __init__(self) -> None:
        self.requests: list[httpx.Request] = []
        self.scripted: list[httpx.Response | Exception] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        if self.scripted:
            answer = self.scripted.pop(0)
            if isinstance(answer, Exception):
                raise answer
            return answer
        wamid = f"wamid.OUT{len(self.requests)}"
        body = {
            "messaging_product": "whatsapp",
            "contacts": [{"input": WA_ID, "wa_id": WA_ID}],
            "messages": [{"id": wamid}],
        }
        return httpx.Response(200, json=body)

    def bodies(self) -> list[dict[str, Any]]:
        return [json.loads(r.content) for r in self.requests]


@pytest.fixture
def cloud() -> FakeCloudApi:
    return FakeCloudApi()


@pytest.fixture
def adapter(cloud: FakeCloudApi) -> Iterator[WhatsAppAdapter]:
    a = WhatsAppAdapter(
        ACCESS_TOKEN,
        PHONE_NUMBER_ID,
        api_base_url=BASE_URL,
        template_name="halo_warga_update",
        transport=httpx.MockTransport(cloud),
        clock=lambda: NOW,
    )
    yield a
    a.close()


def envelope(part: dict[str, Any]) -> dict[str, Any]:
    return {"messaging_product": "whatsapp", "recipient_type": "individual", "to": WA_ID, **part}


def test_send_text_inside_the_window(adapter: WhatsAppAdapter, cloud: FakeCloudApi) -> None:
    wamid = adapter.send(WA_ID, OutgoingMessage("Biaya SKCK Rp30.000.", last_inbound_at=RECENT))
    [request] = cloud.requests
    assert (request.method, str(request.url)) == ("POST", MESSAGES_URL)
    assert request.headers["Authorization"] == f"Bearer {ACCESS_TOKEN}"
    assert request.headers["Content-Type"] == "application/json"
    assert cloud.bodies() == [
        envelope({"type": "text", "text": {"preview_url": False, "body": "Biaya SKCK Rp30.000."}})
    ]
    assert wamid == "wamid.OUT1"


def test_up_to_three_buttons_become_reply_buttons(
    adapter: WhatsAppAdapter, cloud: FakeCloudApi
) -> None:
    buttons = [
        {"title": "Ya", "payload": "/affirm"},
        {"title": "Tidak", "payload": "/deny"},
        {"title": "Bicara dengan petugas layanan", "payload": "/request_human"},
    ]
    adapter.send(WA_ID, OutgoingMessage("Apakah sudah jelas?", buttons, RECENT))
    assert cloud.bodies() == [
        envelope(
            {
                "type": "interactive",
                "interactive": {
                    "type": "button",
                    "body": {"text": "Apakah sudah jelas?"},
                    "action": {
                        "buttons": [
                            {"type": "reply", "reply": {"id": "/affirm", "title": "Ya"}},
                            {"type": "reply", "reply": {"id": "/deny", "title": "Tidak"}},
                            {
                                "type": "reply",
                                "reply": {"id": "/request_human", "title": "Bicara dengan petug…"},
                            },
                        ]
                    },
                },
            }
        )
    ]
    title = cloud.bodies()[0]["interactive"]["action"]["buttons"][2]["reply"]["title"]
    assert len(title) == 20


def test_more_than_three_buttons_become_a_list(
    adapter: WhatsAppAdapter, cloud: FakeCloudApi
) -> None:
    services = [
        "KTP Elektronik",
        "Kartu Keluarga",
        "Akta Kelahiran",
        "Surat Keterangan Tidak Mampu",
    ]
    codes = ["ktp_el", "kartu_keluarga", "akta_kelahiran", "sktm"]
    buttons = [
        {"title": title, "payload": f'/ask_requirements{{"service": "{code}"}}'}
        for title, code in zip(services, codes, strict=True)
    ]
    adapter.send(WA_ID, OutgoingMessage("Pilih layanan:", buttons, RECENT))
    [body] = cloud.bodies()
    interactive = body["interactive"]
    assert interactive["type"] == "list"
    assert interactive["body"] == {"text": "Pilih layanan:"}
    assert interactive["action"]["button"] == "Pilih"
    assert interactive["action"]["sections"] == [
        {
            "rows": [
                {"id": '/ask_requirements{"service":"ktp_el"}', "title": "KTP Elektronik"},
                {"id": '/ask_requirements{"service":"kartu_keluarga"}', "title": "Kartu Keluarga"},
                {"id": '/ask_requirements{"service":"akta_kelahiran"}', "title": "Akta Kelahiran"},
                {
                    "id": '/ask_requirements{"service":"sktm"}',
                    "title": "Surat Keterangan Tidak…",
                    "description": "Surat Keterangan Tidak Mampu",
                },
            ]
        }
    ]


def test_a_list_keeps_ten_rows(adapter: WhatsAppAdapter, cloud: FakeCloudApi) -> None:
    buttons = [{"title": f"Pilihan {i}", "payload": f"/pilih{i}"} for i in range(12)]
    adapter.send(WA_ID, OutgoingMessage("Pilih:", buttons, RECENT))
    [body] = cloud.bodies()
    rows = body["interactive"]["action"]["sections"][0]["rows"]
    assert [row["id"] for row in rows] == [f"/pilih{i}" for i in range(10)]


def test_a_too_long_button_id_gets_a_stand_in_and_comes_back_as_text(
    adapter: WhatsAppAdapter, cloud: FakeCloudApi
) -> None:
    payload = '/file_complaint{"note":"' + "x" * 300 + '"}'
    adapter.send(WA_ID, OutgoingMessage("Kirim?", [{"title": "Kirim", "payload": payload}], RECENT))
    reply = cloud.bodies()[0]["interactive"]["action"]["buttons"][0]["reply"]
    assert reply["id"].startswith(HASHED_PAYLOAD_PREFIX)
    press = fixture("interactive_button_reply")
    message = press["entry"][0]["changes"][0]["value"]["messages"][0]
    message["interactive"]["button_reply"] = {"id": reply["id"], "title": "Kirim"}
    [(_, event)] = webhook_events(press)
    [inbound] = adapter.parse_event(event) or []  # type: ignore[misc]
    assert (inbound.text, inbound.payload) == ("Kirim", None)


@pytest.mark.parametrize(
    "last_inbound_at",
    [None, NOW - timedelta(hours=25), NOW - timedelta(hours=24)],
    ids=["never", "25h", "24h"],
)
def test_outside_the_window_a_template_goes_out(
    adapter: WhatsAppAdapter, cloud: FakeCloudApi, last_inbound_at: datetime | None
) -> None:
    text = "Dokumen KTP-2026-000123 sudah siap.\n\nSilakan ambil di   kantor\tDisdukcapil."
    buttons = [{"title": "Terima kasih", "payload": "/thank"}]
    adapter.send(WA_ID, OutgoingMessage(text, buttons, last_inbound_at))
    assert cloud.bodies() == [
        envelope(
            {
                "type": "template",
                "template": {
                    "name": "halo_warga_update",
                    "language": {"code": "id"},
                    "components": [
                        {
                            "type": "body",
                            "parameters": [
                                {
                                    "type": "text",
                                    "text": "Dokumen KTP-2026-000123 sudah siap. "
                                    "Silakan ambil di kantor Disdukcapil.",
                                }
                            ],
                        }
                    ],
                },
            }
        )
    ]


def test_template_name_override_and_1024_char_parameter(
    adapter: WhatsAppAdapter, cloud: FakeCloudApi
) -> None:
    adapter.send(WA_ID, OutgoingMessage("a" * 3000, template="dokumen_siap"))
    [body] = cloud.bodies()
    assert body["template"]["name"] == "dokumen_siap"
    parameter = body["template"]["components"][0]["parameters"][0]["text"]
    assert len(parameter) == 1024 and parameter.endswith("…")
    assert template_message("x", "")["template"]["components"][0]["parameters"][0]["text"] == "-"


def test_long_text_is_split_into_several_messages(
    adapter: WhatsAppAdapter, cloud: FakeCloudApi
) -> None:
    paragraphs = [f"Langkah {i}. " + "isi formulir " * 80 for i in range(8)]  # ~1050 chars
    wamid = adapter.send(WA_ID, OutgoingMessage("\n\n".join(paragraphs), last_inbound_at=RECENT))
    texts = [b["text"]["body"] for b in cloud.bodies()]
    assert len(texts) == 3 and all(len(t) <= 4096 for t in texts)
    assert texts[0] == "\n\n".join(paragraphs[:3]).strip()
    assert " ".join(texts).split() == " ".join(paragraphs).split()  # nothing lost
    assert wamid == "wamid.OUT3"


def test_long_text_with_buttons_ends_with_a_short_interactive_body(
    adapter: WhatsAppAdapter, cloud: FakeCloudApi
) -> None:
    text = "Persyaratan:\n" + "- dokumen pendukung\n" * 100 + "\nApakah sudah jelas?"
    adapter.send(WA_ID, OutgoingMessage(text, [{"title": "Ya", "payload": "/affirm"}], RECENT))
    bodies = cloud.bodies()
    assert [b["type"] for b in bodies] == ["text", "interactive"]
    interactive_body = bodies[1]["interactive"]["body"]["text"]
    assert len(interactive_body) <= 1024
    assert interactive_body.endswith("Apakah sudah jelas?")
    assert bodies[0]["text"]["body"] + "\n" + interactive_body == text.strip()


def test_server_error_then_success(adapter: WhatsAppAdapter, cloud: FakeCloudApi) -> None:
    error = {"error": {"message": "Service temporarily unavailable", "type": "OAuthException"}}
    cloud.scripted.append(httpx.Response(500, json={**error, "code": 2}))
    message = OutgoingMessage("Halo", last_inbound_at=RECENT)
    with pytest.raises(DeliveryError) as failure:
        adapter.send(WA_ID, message)
    assert failure.value.retryable is True
    assert "HTTP 500" in failure.value.reason
    assert adapter.send(WA_ID, message) == "wamid.OUT2"
    assert len(cloud.requests) == 2


def _error(status: int, code: int, message: str, details: str = "") -> httpx.Response:
    body: dict[str, Any] = {"message": message, "type": "OAuthException", "code": code}
    if details:
        body["error_data"] = {"messaging_product": "whatsapp", "details": details}
    return httpx.Response(status, json={"error": {**body, "fbtrace_id": "AbCdEf"}})


@pytest.mark.parametrize(
    ("answer", "retryable"),
    [
        (_error(429, 130429, "Rate limit hit"), True),
        (_error(400, 131056, "(Business Account, Consumer Account) pair rate limit hit"), True),
        (_error(503, 1, "An unknown error occurred"), True),
        (_error(400, 131047, "Re-engagement message", "more than 24 hours have passed"), False),
        (_error(400, 100, "Invalid parameter", "Button title length invalid"), False),
        (_error(401, 190, "Error validating access token"), False),
        (httpx.Response(404, text="<html>not found</html>"), False),
        (httpx.Response(502, json=["unexpected"]), True),
        (httpx.ConnectError("connection refused"), True),
        (httpx.ReadTimeout("timed out"), True),
        (httpx.Response(200, json={"messaging_product": "whatsapp"}), False),
    ],
    ids=[
        "429", "pair-rate-limit", "503", "re-engagement", "invalid-parameter",
        "bad-token", "html-404", "list-502", "connect-error", "timeout", "no-message-id",
    ],
)  # fmt: skip
def test_errors_map_to_retryable_or_not(
    adapter: WhatsAppAdapter,
    cloud: FakeCloudApi,
    answer: httpx.Response | Exception,
    retryable: bool,
) -> None:
    cloud.scripted.append(answer)
    with pytest.raises(DeliveryError) as failure:
        adapter.send(WA_ID, OutgoingMessage("Halo", last_inbound_at=RECENT))
    assert failure.value.retryable is retryable
    assert failure.value.reason.startswith("whatsapp: ")


@pytest.mark.parametrize("last_inbound_at", [RECENT, None], ids=["inside", "outside"])
def test_empty_message_is_refused_without_a_call(
    adapter: WhatsAppAdapter, cloud: FakeCloudApi, last_inbound_at: datetime | None
) -> None:
    with pytest.raises(DeliveryError) as failure:
        adapter.send(WA_ID, OutgoingMessage(" \n", last_inbound_at=last_inbound_at))
    assert failure.value.retryable is False
    assert cloud.requests == []


def test_from_settings_uses_the_configured_api_and_template(database_url: str) -> None:
    cloud = FakeCloudApi()
    settings = make_settings(
        database_url,
        whatsapp_access_token=ACCESS_TOKEN,
        whatsapp_phone_number_id=PHONE_NUMBER_ID,
        whatsapp_api_base_url=BASE_URL + "/",
    )
    adapter = WhatsAppAdapter.from_settings(settings, transport=httpx.MockTransport(cloud))
    try:
        adapter.send(WA_ID, OutgoingMessage("Halo"))
    finally:
        adapter.close()
    assert str(cloud.requests[0].url) == MESSAGES_URL
    expected = getattr(settings, "whatsapp_template_name", "halo_warga_update")
    assert cloud.bodies()[0]["template"]["name"] == expected


def _clock(now: datetime) -> Callable[[], datetime]:
    return lambda: now


def test_a_naive_last_inbound_time_counts_as_utc(cloud: FakeCloudApi) -> None:
    adapter = WhatsAppAdapter(
        ACCESS_TOKEN, PHONE_NUMBER_ID, transport=httpx.MockTransport(cloud), clock=_clock(NOW)
    )
    naive = (NOW - timedelta(hours=1)).replace(tzinfo=None)
    adapter.send(WA_ID, OutgoingMessage("Halo", last_inbound_at=naive))
    adapter.close()
    assert cloud.bodies()[0]["type"] == "text"


def test_buttons_only_outside_the_window_name_the_choices(
    adapter: WhatsAppAdapter, cloud: FakeCloudApi
) -> None:
    buttons = [{"title": "Ya", "payload": "/affirm"}, {"title": "Tidak", "payload": "/deny"}]
    adapter.send(WA_ID, OutgoingMessage("", buttons))
    [body] = cloud.bodies()
    assert body["template"]["components"][0]["parameters"][0]["text"] == "Ya, Tidak"


def test_media_is_fetched_with_the_token(adapter: WhatsAppAdapter, cloud: FakeCloudApi) -> None:
    url = "https://lookaside.fbsbx.com/whatsapp_business/attachments/?mid=1"
    cloud.scripted = [
        httpx.Response(200, json={"url": url, "mime_type": "image/jpeg", "id": "MEDIA1"}),
        httpx.Response(200, content=b"\xff\xd8\xff\xe0jpeg"),
    ]
    data, name = adapter.fetch_media({"media_id": "MEDIA1", "file_name": "ktp.jpg"})
    assert (data, name) == (b"\xff\xd8\xff\xe0jpeg", "ktp.jpg")
    assert [str(r.url) for r in cloud.requests] == [f"{BASE_URL}/MEDIA1", url]
    assert all(r.headers["Authorization"] == f"Bearer {ACCESS_TOKEN}" for r in cloud.requests)
    cloud.scripted = [httpx.Response(404, json={"error": {"message": "gone"}})]
    with pytest.raises(DeliveryError):
        adapter.fetch_media({"media_id": "MEDIA2"})
