"""The one typed client the actions use to reach the helpdesk REST API.

The helpdesk owns the service catalog and the request database; the actions only read
and write them over HTTP. Catalog reads are cached and revalidated by ETag
(`CATALOG_CACHE_SECONDS`, see `CatalogCache`): most turns need no call at all. The client
is synchronous (call it through `asyncio.to_thread`) and takes its transport in the
constructor, so tests pass `httpx.MockTransport` or `httpx.WSGITransport(app=create_app(...))`.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Literal, TypedDict
from urllib.parse import quote

import httpx

from actions.settings import ActionSettings
from helpdesk.text.resolver import Resolver

log = logging.getLogger(__name__)

HandoffReason = Literal["citizen_request", "complaint", "fallback"]
ServicePayload = dict[str, Any]
"""One catalog entry as the helpdesk serves it (see `data/catalog/services/*.yml`)."""


class HelpdeskUnavailable(Exception):
    """The helpdesk could not answer: network error, timeout, 5xx, auth or bad payload."""

    def __init__(
        self, reason: str, *, status_code: int | None = None, error_code: str | None = None
    ) -> None:
        super().__init__(reason)
        self.reason = reason
        self.status_code = status_code
        self.error_code = error_code


class ServiceSummary(TypedDict):
    """A catalog entry as listed by `GET /api/v1/services`."""

    code: str
    name: str
    category: str
    summary: str


@dataclass(frozen=True)
class ServiceList:
    """The catalog of the helpdesk's region, in one language."""

    region: str
    items: list[ServiceSummary]
    language: str = "id"
    elsewhere: list[dict[str, Any]] = field(default_factory=list)
    """Services other agencies handle: code, title, agency, reach (in `language`), related."""

    def elsewhere_entry(self, code: str) -> dict[str, Any] | None:
        """One elsewhere entry by code, or None."""
        return next((e for e in self.elsewhere if e.get("code") == code), None)


@dataclass(frozen=True)
class StatusChange:
    """One entry of a request's status history."""

    status: str
    note: str | None
    created_at: datetime


@dataclass(frozen=True)
class ServiceRequestStatus:
    """A citizen's service request with its history (oldest first)."""

    tracking_number: str
    service: str
    service_name: str | None
    status: str
    created_at: datetime
    updated_at: datetime
    history: list[StatusChange]


@dataclass(frozen=True)
class Handoff:
    """The result of asking for a human agent."""

    id: int
    status: str
    queue_position: int | None
    expected_wait_minutes: int | None
    back_note: str | None = None  # out of office hours: when officers are back


class HelpdeskClient:
    """Typed access to the helpdesk API (`/api/v1`), authenticated with a Bearer token."""

    def __init__(
        self,
        base_url: str,
        token: str,
        *,
        timeout: float = 5.0,
        transport: httpx.BaseTransport | None = None,
        catalog_max_age: float = 0.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._catalog = CatalogCache(catalog_max_age, clock)
        self._resolvers: dict[str, tuple[dict[str, Any], Resolver]] = {}
        headers = {"Accept": "application/json", "User-Agent": "halo-warga-actions"}
        if token:
            headers["Authorization"] = f"Bearer {token}"
        self._http = httpx.Client(
            base_url=base_url.rstrip("/"),
            headers=headers,
            timeout=timeout,
            transport=transport,
            follow_redirects=False,
        )

    def close(self) -> None:
        """Close the connection pool."""
        self._http.close()

    def __enter__(self) -> HelpdeskClient:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def list_services(self, language: str = "id") -> ServiceList:
        """All services of the region's catalog, named in `language` (id, jv, su, en)."""
        body = self._cached("/api/v1/services", language)
        if body is None:
            raise HelpdeskUnavailable("GET /api/v1/services: 404", status_code=404)
        try:
            items = [
                ServiceSummary(
                    code=str(item["code"]),
                    name=str(item["name"]),
                    category=str(item.get("category") or ""),
                    summary=str(item.get("summary") or ""),
                )
                for item in body["items"]
            ]
            region, shown = str(body.get("region") or ""), str(body.get("language") or language)
            elsewhere = [e for e in body.get("elsewhere") or [] if isinstance(e, dict)]
            return ServiceList(region=region, items=items, language=shown, elsewhere=elsewhere)
        except (KeyError, TypeError, AttributeError) as exc:
            raise HelpdeskUnavailable(f"unexpected service list: {exc!r}") from exc

    def service_resolver(self, language: str = "id") -> Resolver:
        """The service resolver built from the service list (every name of every service,
        and the elsewhere entries); rebuilt only when the cached list changes (ETag)."""
        body = self._cached("/api/v1/services", language)
        if body is None:
            raise HelpdeskUnavailable("GET /api/v1/services: 404", status_code=404)
        known = self._resolvers.get(language)
        if known is not None and known[0] is body:
            return known[1]
        try:
            resolver = Resolver.from_payload(body)
        except (KeyError, TypeError, AttributeError) as exc:
            raise HelpdeskUnavailable(f"unexpected service list: {exc!r}") from exc
        self._resolvers[language] = (body, resolver)
        return resolver

    def get_service(self, code: str, language: str = "id") -> ServicePayload | None:
        """One service's full payload in `language`, or None when the code is unknown."""
        path = f"/api/v1/services/{_segment(code)}"
        body = self._cached(path, language)
        if body is not None and not isinstance(body.get("code"), str):
            raise HelpdeskUnavailable("unexpected service payload: no code")
        return body

    def get_request(self, tracking_number: str) -> ServiceRequestStatus | None:
        """A service request's status, or None when the number is unknown."""
        path = f"/api/v1/requests/{_segment(tracking_number)}"
        body = self._request("GET", path)
        if body is None:
            return None
        try:
            history = [
                StatusChange(
                    status=str(entry["status"]),
                    note=_optional_str(entry.get("note")),
                    created_at=_timestamp(entry["created_at"]),
                )
                for entry in body.get("history") or []
            ]
            return ServiceRequestStatus(
                tracking_number=str(body["tracking_number"]),
                service=str(body["service"]),
                service_name=_optional_str(body.get("service_name")),
                status=str(body["status"]),
                created_at=_timestamp(body["created_at"]),
                updated_at=_timestamp(body.get("updated_at") or body["created_at"]),
                history=history,
            )
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise HelpdeskUnavailable(f"unexpected request payload: {exc!r}") from exc

    def handoff(
        self,
        conversation_id: str,
        reason: HandoffReason,
        note: str | None = None,
        service: str | None = None,
    ) -> Handoff | None:
        """Put the conversation in the agents' queue; None when the conversation is unknown.

        `service` (a catalog code) sends it to that service's unit's queue.
        """
        payload: dict[str, Any] = {"reason": reason}
        if note:
            payload["note"] = note
        if service:
            payload["service"] = service
        path = f"/api/v1/conversations/{_segment(conversation_id)}/handoff"
        body = self._request("POST", path, json=payload)
        if body is None:
            return None
        try:
            return Handoff(
                id=int(body["id"]),
                status=str(body["status"]),
                queue_position=_optional_int(body.get("queue_position")),
                expected_wait_minutes=_optional_int(body.get("expected_wait_minutes")),
                back_note=str(body["back_note"]) if body.get("back_note") else None,
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise HelpdeskUnavailable(f"unexpected handoff payload: {exc!r}") from exc

    def start_complaint_form(self, conversation_id: str) -> list[dict[str, Any]] | None:
        """Open the helpdesk's complaint form; its first prompt(s), or None (unknown chat)."""
        path = f"/api/v1/conversations/{_segment(conversation_id)}/complaint-form"
        body = self._request("POST", path, json={})
        if body is None:
            return None
        messages = body.get("messages")
        if not isinstance(messages, list):
            raise HelpdeskUnavailable("unexpected complaint-form payload: no messages")
        return [m for m in messages if isinstance(m, dict)]

    def start_application_form(
        self, conversation_id: str, service: str | None
    ) -> list[dict[str, Any]] | None:
        """Open the helpdesk's application form for `service` (None: it asks which one);
        its first prompts, or None (unknown chat)."""
        path = f"/api/v1/conversations/{_segment(conversation_id)}/application-form"
        body = self._request("POST", path, json={"service": service})
        if body is None:
            return None
        messages = body.get("messages")
        if not isinstance(messages, list):
            raise HelpdeskUnavailable("unexpected application-form payload: no messages")
        return [m for m in messages if isinstance(m, dict)]

    def arm_status_lookup(self, conversation_id: str, tracking_number: str) -> str | None:
        """Let the citizen's next message be the identity check for this number.

        `armed`, `locked` or `no_identity`; None for an unknown conversation.
        """
        path = f"/api/v1/conversations/{_segment(conversation_id)}/status-lookup"
        body = self._request("POST", path, json={"tracking_number": tracking_number})
        if body is None:
            return None
        state = body.get("verification")
        return state if isinstance(state, str) else None

    def set_language(self, conversation_id: str, language: str, *, explicit: bool = True) -> bool:
        """Record the conversation's language in the helpdesk; False for an unknown one.

        `explicit` marks the citizen's own choice, which language detection must not undo.
        """
        path = f"/api/v1/conversations/{_segment(conversation_id)}/language"
        body = self._request("POST", path, json={"language": language, "explicit": explicit})
        return body is not None

    def _cached(self, path: str, language: str) -> dict[str, Any] | None:
        """A catalog read through the cache: fresh copy, else revalidated by its ETag.

        When the helpdesk cannot answer, a stale copy is better than an apology (unless
        caching is off: `max_age` 0).
        """
        key = f"{path}?lang={language}"
        entry, fresh = self._catalog.get(key)
        if entry is not None and fresh:
            return entry.body
        headers = {"If-None-Match": entry.etag} if entry is not None and entry.etag else None
        try:
            response = self._send("GET", path, params={"lang": language}, headers=headers)
            if response.status_code == 304 and entry is not None:
                self._catalog.touch(key)
                return entry.body
            body = self._read(response, "GET", path)
        except HelpdeskUnavailable:
            if entry is not None and self._catalog.max_age > 0:
                log.warning("helpdesk unavailable; answering from the cached %s", key)
                return entry.body
            raise
        if body is not None:
            self._catalog.put(key, body, response.headers.get("ETag"))
        return body

    def _send(
        self,
        method: str,
        path: str,
        *,
        json: Mapping[str, Any] | None = None,
        params: Mapping[str, str] | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> httpx.Response:
        try:
            return self._http.request(method, path, json=json, params=params, headers=headers)
        except httpx.TimeoutException as exc:
            raise HelpdeskUnavailable(f"{method} {path}: timed out") from exc
        except httpx.HTTPError as exc:
            raise HelpdeskUnavailable(f"{method} {path}: {type(exc).__name__}") from exc

    def _request(
        self,
        method: str,
        path: str,
        *,
        json: Mapping[str, Any] | None = None,
        params: Mapping[str, str] | None = None,
    ) -> dict[str, Any] | None:
        """Send one request; the JSON object on 2xx, None on an API 404, else raise."""
        response = self._send(method, path, json=json, params=params)
        return self._read(response, method, path)

    @staticmethod
    def _read(response: httpx.Response, method: str, path: str) -> dict[str, Any] | None:
        """The JSON object on 2xx, None on an API 404, else raise."""
        status = response.status_code
        body = _json_object(response)
        if 200 <= status < 300:
            if body is None:
                raise HelpdeskUnavailable(f"{method} {path}: {status} without a JSON object")
            return body
        error = body.get("error") if body is not None else None
        error_code = error.get("code") if isinstance(error, dict) else None
        if status == 404 and isinstance(error_code, str):
            return None
        if status in (401, 403):
            log.error("helpdesk refused the action server's token (%s %s)", status, error_code)
        raise HelpdeskUnavailable(
            f"{method} {path}: HTTP {status} {error_code or ''}".rstrip(),
            status_code=status,
            error_code=error_code if isinstance(error_code, str) else None,
        )


@dataclass
class CachedBody:
    """One cached catalog answer with its validator."""

    body: dict[str, Any]
    etag: str | None
    checked_at: float


class CatalogCache:
    """The catalog answers the actions have seen, trusted for `max_age` seconds.

    After that a copy is revalidated with `If-None-Match` (a 304 costs the helpdesk no
    body), so an edit published in the helpdesk reaches the bot within `max_age` plus one
    request. `max_age` 0 revalidates on every read.
    """

    def __init__(self, max_age: float, clock: Callable[[], float] = time.monotonic) -> None:
        self.max_age = max_age
        self._clock = clock
        self._lock = threading.Lock()
        self._entries: dict[str, CachedBody] = {}

    def get(self, key: str) -> tuple[CachedBody | None, bool]:
        """The entry (or None) and whether it is still fresh."""
        with self._lock:
            entry = self._entries.get(key)
        if entry is None:
            return None, False
        return entry, self._clock() - entry.checked_at < self.max_age

    def put(self, key: str, body: dict[str, Any], etag: str | None) -> None:
        """Remember a new answer."""
        with self._lock:
            self._entries[key] = CachedBody(body, etag, self._clock())

    def touch(self, key: str) -> None:
        """The helpdesk confirmed the copy (304): fresh again."""
        with self._lock:
            entry = self._entries.get(key)
            if entry is not None:
                entry.checked_at = self._clock()


def _segment(value: str) -> str:
    """Quote a value for use as one URL path segment."""
    return quote(value, safe="")


def _json_object(response: httpx.Response) -> dict[str, Any] | None:
    """The body as a JSON object, or None when it is not one."""
    try:
        body = response.json()
    except ValueError:
        return None
    return body if isinstance(body, dict) else None


def _timestamp(value: Any) -> datetime:
    """Parse an ISO-8601 timestamp from the API (naive means UTC)."""
    if not isinstance(value, str):
        raise ValueError(f"not a timestamp: {value!r}")
    parsed = datetime.fromisoformat(value)
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _optional_str(value: Any) -> str | None:
    """A non-empty string, or None."""
    return str(value) if value else None


def _optional_int(value: Any) -> int | None:
    """An int, or None for null."""
    return None if value is None else int(value)


def client_from_settings(settings: ActionSettings) -> HelpdeskClient:
    """The real client, configured from the process settings."""
    return HelpdeskClient(
        settings.helpdesk_url,
        settings.api_token,
        timeout=settings.timeout_seconds,
        catalog_max_age=settings.catalog_cache_seconds,
    )


ClientFactory = Callable[[], HelpdeskClient]

_lock = threading.Lock()
_factory: ClientFactory | None = None
_client: HelpdeskClient | None = None


def _default_factory() -> HelpdeskClient:
    return client_from_settings(ActionSettings.from_env())


def set_client_factory(factory: ClientFactory | None) -> None:
    """Choose how `get_client()` builds the client (None: from the environment).

    Drops (and closes) the client built so far; tests use this to inject a fake transport.
    """
    global _factory, _client
    with _lock:
        old, _client, _factory = _client, None, factory
    if old is not None:
        old.close()


def get_client() -> HelpdeskClient:
    """The process-wide client, built on first use."""
    global _client
    with _lock:
        if _client is None:
            _client = (_factory or _default_factory)()
        return _client
