"""The typed helpdesk client: requests it sends and how it reads every kind of answer."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest

from actions import client as client_module
from actions.client import (
    Handoff,
    HelpdeskClient,
    HelpdeskUnavailable,
    StatusChange,
    client_from_settings,
    get_client,
    set_client_factory,
)
from actions.settings import ActionSettings
from tests.unit.actions_fixtures import (
    BASE_URL,
    SERVICE,
    SERVICE_LIST,
    TOKEN,
    FakeHelpdesk,
    error_body,
)

REQUEST: dict[str, Any] = {
    "tracking_number": "KTP-2026-000123",
    "service": "ktp_el",
    "service_name": "KTP Elektronik (KTP-el)",
    "status": "processing",
    "applicant_name": "Budi Santoso",
    "nik_masked": "3201********0001",
    "created_at": "2026-11-20T09:15:00+00:00",
    "updated_at": "2026-11-21T02:00:00+00:00",
    "history": [
        {"status": "submitted", "note": None, "created_at": "2026-11-20T09:15:00+00:00"},
        {"status": "processing", "note": "Dicetak", "created_at": "2026-11-21T02:00:00"},
    ],
}
REQUEST_PATH = "/api/v1/requests/KTP-2026-000123"
HANDOFF_PATH = "/api/v1/conversations/conv-42/handoff"


@pytest.fixture
def fake() -> FakeHelpdesk:
    return FakeHelpdesk()


@pytest.fixture
def client(fake: FakeHelpdesk) -> Iterator[HelpdeskClient]:
    with fake.client() as helpdesk_client:
        yield helpdesk_client


def test_list_services_sends_token_and_reads_items(
    fake: FakeHelpdesk, client: HelpdeskClient
) -> None:
    fake.on("GET", "/api/v1/services", SERVICE_LIST)
    catalog = client.list_services()
    assert catalog.region == "Kabupaten Contoh"
    assert [item["code"] for item in catalog.items] == ["skck", "ktp_el", "kartu_keluarga", "nib"]
    assert catalog.items[2]["summary"] == ""
    (request,) = fake.requests
    assert (request.method, str(request.url)) == ("GET", f"{BASE_URL}/api/v1/services?lang=id")
    assert request.headers["Authorization"] == f"Bearer {TOKEN}"
    assert request.headers["Accept"] == "application/json"


def test_list_services_404_is_unavailable(client: HelpdeskClient) -> None:
    with pytest.raises(HelpdeskUnavailable) as caught:
        client.list_services()
    assert caught.value.status_code == 404


def test_list_services_wrong_shape_is_unavailable(
    fake: FakeHelpdesk, client: HelpdeskClient
) -> None:
    fake.on("GET", "/api/v1/services", {"region": "X", "items": [{"name": "no code"}]})
    with pytest.raises(HelpdeskUnavailable, match="unexpected service list"):
        client.list_services()


def test_get_service_found_and_unknown(fake: FakeHelpdesk, client: HelpdeskClient) -> None:
    fake.on("GET", "/api/v1/services/ktp_el", SERVICE)
    fake.on("GET", "/api/v1/services/nope", error_body("service_not_found"), status=404)
    assert client.get_service("ktp_el") == SERVICE
    assert client.get_service("nope") is None
    assert fake.paths() == [
        "GET /api/v1/services/ktp_el?lang=id",
        "GET /api/v1/services/nope?lang=id",
    ]


def test_path_parameters_are_quoted(fake: FakeHelpdesk, client: HelpdeskClient) -> None:
    assert client.get_service("a/b c?d") is None
    assert client.get_request("../admin") is None
    assert client.handoff("x/y#z", "fallback") is None
    assert client.set_language("x/y", "jv") is False
    assert fake.paths() == [
        "GET /api/v1/services/a%2Fb%20c%3Fd?lang=id",
        "GET /api/v1/requests/..%2Fadmin",
        "POST /api/v1/conversations/x%2Fy%23z/handoff",
        "POST /api/v1/conversations/x%2Fy/language",
    ]


def test_404_without_the_error_envelope_is_unavailable(
    fake: FakeHelpdesk, client: HelpdeskClient
) -> None:
    fake.on("GET", "/api/v1/services/ktp_el", None, status=404, text="<html>Not Found</html>")
    with pytest.raises(HelpdeskUnavailable) as caught:
        client.get_service("ktp_el")
    assert caught.value.status_code == 404


@pytest.mark.parametrize("status", [204, 301, 302, 400, 409, 422, 429, 500, 502, 503])
def test_only_2xx_with_a_json_object_succeeds(
    fake: FakeHelpdesk, client: HelpdeskClient, status: int
) -> None:
    # A valid-looking body: a `status_code >= 200 < 300` style check would accept it.
    fake.on("GET", REQUEST_PATH, REQUEST if status != 204 else None, status=status)
    with pytest.raises(HelpdeskUnavailable):
        client.get_request("KTP-2026-000123")


@pytest.mark.parametrize("status", [200, 201])
def test_2xx_statuses_succeed(fake: FakeHelpdesk, client: HelpdeskClient, status: int) -> None:
    fake.on("GET", REQUEST_PATH, REQUEST, status=status)
    assert client.get_request("KTP-2026-000123") is not None


@pytest.mark.parametrize(
    ("status", "code"), [(401, "unauthorized"), (403, "forbidden"), (500, "internal_error")]
)
def test_auth_and_server_errors_carry_status_and_code(
    fake: FakeHelpdesk, client: HelpdeskClient, status: int, code: str
) -> None:
    fake.on("GET", "/api/v1/services/ktp_el", error_body(code), status=status)
    with pytest.raises(HelpdeskUnavailable) as caught:
        client.get_service("ktp_el")
    assert (caught.value.status_code, caught.value.error_code) == (status, code)


@pytest.mark.parametrize(
    "error",
    [
        httpx.ConnectError("connection refused"),
        httpx.ReadTimeout("timed out"),
        httpx.ConnectTimeout("timed out"),
        httpx.RemoteProtocolError("peer closed"),
    ],
)
@pytest.mark.parametrize(
    "call",
    [
        lambda c: c.list_services(),
        lambda c: c.get_service("ktp_el"),
        lambda c: c.get_request("KTP-2026-000123"),
        lambda c: c.handoff("conv-42", "citizen_request"),
        lambda c: c.set_language("conv-42", "jv"),
    ],
)
def test_transport_errors_are_unavailable(
    fake: FakeHelpdesk,
    client: HelpdeskClient,
    error: Exception,
    call: Callable[[HelpdeskClient], object],
) -> None:
    fake.failure = error
    with pytest.raises(HelpdeskUnavailable) as caught:
        call(client)
    assert caught.value.status_code is None
    assert isinstance(caught.value.__cause__, httpx.TransportError)


@pytest.mark.parametrize("text", ["<html>busy</html>", "", "[1, 2]", "null"])
def test_non_json_or_non_object_body_is_unavailable(
    fake: FakeHelpdesk, client: HelpdeskClient, text: str
) -> None:
    fake.on("GET", "/api/v1/services/ktp_el", None, text=text)
    with pytest.raises(HelpdeskUnavailable, match="without a JSON object"):
        client.get_service("ktp_el")


def test_service_payload_without_code_is_unavailable(
    fake: FakeHelpdesk, client: HelpdeskClient
) -> None:
    fake.on("GET", "/api/v1/services/ktp_el", {"name": "KTP"})
    with pytest.raises(HelpdeskUnavailable):
        client.get_service("ktp_el")


def test_get_request_is_typed(fake: FakeHelpdesk, client: HelpdeskClient) -> None:
    fake.on("GET", REQUEST_PATH, REQUEST)
    request = client.get_request("KTP-2026-000123")
    assert request is not None
    assert request.status == "processing"
    assert request.service_name == "KTP Elektronik (KTP-el)"
    assert request.created_at == datetime(2026, 11, 20, 9, 15, tzinfo=UTC)
    assert request.history == [
        StatusChange("submitted", None, datetime(2026, 11, 20, 9, 15, tzinfo=UTC)),
        StatusChange("processing", "Dicetak", datetime(2026, 11, 21, 2, 0, tzinfo=UTC)),
    ]
    assert not hasattr(request, "applicant_name")  # the bot never needs personal data


def test_get_request_unknown_and_malformed(fake: FakeHelpdesk, client: HelpdeskClient) -> None:
    fake.on("GET", REQUEST_PATH, error_body("request_not_found"), status=404)
    assert client.get_request("KTP-2026-000123") is None
    fake.on("GET", REQUEST_PATH, {**REQUEST, "created_at": "yesterday"})
    with pytest.raises(HelpdeskUnavailable, match="unexpected request payload"):
        client.get_request("KTP-2026-000123")


@pytest.mark.parametrize(
    ("note", "sent"),
    [
        (None, {"reason": "citizen_request"}),
        ("Jalan rusak", {"reason": "citizen_request", "note": "Jalan rusak"}),
    ],
)
def test_handoff_posts_reason_and_note(
    fake: FakeHelpdesk, client: HelpdeskClient, note: str | None, sent: dict[str, str]
) -> None:
    answer = {"id": 12, "status": "pending", "queue_position": 3, "expected_wait_minutes": None}
    fake.on("POST", HANDOFF_PATH, answer)
    result = client.handoff("conv-42", "citizen_request", note)
    assert result == Handoff(id=12, status="pending", queue_position=3, expected_wait_minutes=None)
    request = fake.requests[-1]
    assert request.method == "POST"
    assert request.headers["Authorization"] == f"Bearer {TOKEN}"
    assert request.headers["Content-Type"] == "application/json"
    assert json.loads(request.content) == sent


def test_handoff_unknown_conversation_and_bad_payload(
    fake: FakeHelpdesk, client: HelpdeskClient
) -> None:
    assert client.handoff("conv-42", "complaint", "x") is None
    fake.on("POST", HANDOFF_PATH, {"status": "pending"})
    with pytest.raises(HelpdeskUnavailable, match="unexpected handoff payload"):
        client.handoff("conv-42", "complaint")


def test_no_token_sends_no_authorization_header() -> None:
    fake = FakeHelpdesk()
    fake.on("GET", "/helpdesk/api/v1/services", SERVICE_LIST)
    transport = httpx.MockTransport(fake.handle)
    with HelpdeskClient("http://h.test/helpdesk/", "", transport=transport) as client:
        client.list_services()
    assert "Authorization" not in fake.requests[0].headers


def test_settings_from_env_defaults_and_values() -> None:
    assert ActionSettings.from_env({}) == ActionSettings("http://127.0.0.1:8000", "", 5.0)
    env = {
        "HELPDESK_URL": "https://helpdesk.example.go.id/",
        "HELPDESK_API_TOKEN": " secret ",
        "HELPDESK_TIMEOUT_SECONDS": "2.5",
    }
    assert ActionSettings.from_env(env) == ActionSettings(
        "https://helpdesk.example.go.id", "secret", 2.5
    )


@pytest.mark.parametrize("value", ["soon", "0", "-1", "nan"])
def test_settings_reject_a_bad_timeout(value: str) -> None:
    with pytest.raises(ValueError, match="HELPDESK_TIMEOUT_SECONDS"):
        ActionSettings.from_env({"HELPDESK_TIMEOUT_SECONDS": value})


def test_client_from_settings() -> None:
    settings = ActionSettings("http://h.test:9000", "tkn", 1.5)
    with client_from_settings(settings) as client:
        http = client._http
        assert str(http.base_url) == "http://h.test:9000"
        assert http.headers["Authorization"] == "Bearer tkn"
        assert http.timeout == httpx.Timeout(1.5)


def test_get_client_is_lazy_cached_and_overridable(monkeypatch: pytest.MonkeyPatch) -> None:
    built: list[HelpdeskClient] = []

    def factory() -> HelpdeskClient:
        built.append(FakeHelpdesk().client())
        return built[-1]

    set_client_factory(factory)
    try:
        assert built == []
        assert get_client() is get_client() is built[0]
    finally:
        set_client_factory(None)
    assert built[0]._http.is_closed
    monkeypatch.setenv("HELPDESK_URL", "http://from-env.test:8123")
    try:
        assert str(get_client()._http.base_url) == "http://from-env.test:8123"
    finally:
        set_client_factory(None)
    assert client_module._client is None


@pytest.mark.parametrize("language", ["id", "jv", "su", "en"])
def test_catalog_calls_pass_the_language(
    fake: FakeHelpdesk, client: HelpdeskClient, language: str
) -> None:
    fake.on("GET", "/api/v1/services", {**SERVICE_LIST, "language": language})
    fake.on("GET", "/api/v1/services/ktp_el", {**SERVICE, "language": language})
    catalog = client.list_services(language)
    service = client.get_service("ktp_el", language)
    assert catalog.language == language
    assert service is not None and service["language"] == language
    assert fake.paths() == [
        f"GET /api/v1/services?lang={language}",
        f"GET /api/v1/services/ktp_el?lang={language}",
    ]


def test_service_list_without_a_language_field_keeps_the_one_asked(
    fake: FakeHelpdesk, client: HelpdeskClient
) -> None:
    fake.on("GET", "/api/v1/services", SERVICE_LIST)
    assert client.list_services("su").language == "su"


LANGUAGE_PATH = "/api/v1/conversations/conv-42/language"


@pytest.mark.parametrize("explicit", [True, False])
def test_set_language_posts_the_choice(
    fake: FakeHelpdesk, client: HelpdeskClient, explicit: bool
) -> None:
    fake.on("POST", LANGUAGE_PATH, {"id": 42, "language": "jv", "status": "bot"})
    assert client.set_language("conv-42", "jv", explicit=explicit) is True
    request = fake.requests[-1]
    assert (request.method, request.url.path) == ("POST", LANGUAGE_PATH)
    assert request.headers["Authorization"] == f"Bearer {TOKEN}"
    assert json.loads(request.content) == {"language": "jv", "explicit": explicit}


def test_set_language_unknown_conversation_and_refusals(
    fake: FakeHelpdesk, client: HelpdeskClient
) -> None:
    fake.on("POST", LANGUAGE_PATH, error_body("conversation_not_found"), status=404)
    assert client.set_language("conv-42", "su") is False
    fake.on("POST", LANGUAGE_PATH, error_body("invalid_input"), status=422)
    with pytest.raises(HelpdeskUnavailable) as caught:
        client.set_language("conv-42", "fr")
    assert (caught.value.status_code, caught.value.error_code) == (422, "invalid_input")
