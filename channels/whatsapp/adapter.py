"""WhatsApp Cloud API adapter: stored webhook events in, helpdesk messages out (httpx).

Inside the 24-hour customer-service window a reply goes out as text, reply buttons (up to 3)
or a list (up to 10 rows); outside it only an approved template can arrive, so the text
becomes that template's single body parameter.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

import httpx

from channels.adapters import (
    DeliveryError,
    OutgoingMessage,
    StatusUpdate,
    fit_payload,
    is_hashed_payload,
    split_text,
)
from helpdesk.conversation.base import InboundMessage
from helpdesk.models import Channel, utcnow

if TYPE_CHECKING:
    from helpdesk.infra.config import Settings

log = logging.getLogger(__name__)

DEFAULT_API_BASE_URL = "https://graph.facebook.com/v21.0"
DEFAULT_TEMPLATE = "halo_warga_update"
TEMPLATE_LANGUAGE = "id"
SERVICE_WINDOW = timedelta(hours=24) - timedelta(minutes=1)  # a minute spare for the send
MAX_TEXT = 4096
MAX_BODY = 1024  # interactive body text, template parameter
MAX_BUTTONS, MAX_BUTTON_TITLE, MAX_BUTTON_ID = 3, 20, 256
MAX_ROWS, MAX_ROW_TITLE, MAX_ROW_DESCRIPTION, MAX_ROW_ID = 10, 24, 72, 200
LIST_BUTTON_LABEL = "Pilih"
BUTTONS_ONLY_TEXT = "👇"
RETRYABLE_ERROR_CODES = frozenset({1, 2, 4, 80007, 130429, 131000, 131048, 131056})
"""Meta error codes that mean "later" even when the HTTP status is a 400 (rate limits)."""

MEDIA = {
    "image": "[foto]",
    "document": "[dokumen]",
    "video": "[video]",
    "audio": "[audio]",
}
PLACEHOLDERS = {"sticker": "[stiker]", "location": "[lokasi]", "contacts": "[kontak]"}
IGNORED_TYPES = frozenset({"reaction", "system"})


def clip(text: str, limit: int) -> str:
    """`text` cut to `limit` characters, with an ellipsis when cut."""
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _reply(message: dict[str, Any]) -> tuple[str, str | None]:
    """Text and payload of an interactive or template quick-reply answer."""
    if message["type"] == "button":  # a template's quick-reply button
        button = message.get("button", {})
        return button.get("text", ""), button.get("payload") or None
    interactive = message.get("interactive", {})
    reply = interactive.get(interactive.get("type", ""), {})
    if not isinstance(reply, dict) or "id" not in reply:
        return "[pesan]", None
    title = reply.get("title") or reply["id"]
    return title, None if is_hashed_payload(reply["id"]) else reply["id"]


def _media(message: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    kind = message["type"]
    media = message.get(kind, {})
    attachment = {
        "type": kind,
        "media_id": media.get("id"),
        "mime_type": media.get("mime_type"),
        "file_name": media.get("filename"),
        "caption": media.get("caption"),
    }
    placeholder = "[pesan suara]" if media.get("voice") else MEDIA[kind]
    return media.get("caption") or placeholder, attachment


def parse_message(message: dict[str, Any]) -> InboundMessage | None:
    """Router input from one webhook `messages[]` object."""
    kind = message.get("type", "")
    if kind in IGNORED_TYPES:
        return None
    payload = None
    attachments: tuple[dict[str, Any], ...] = ()
    if kind == "text":
        text = message.get("text", {}).get("body", "")
    elif kind in ("interactive", "button"):
        text, payload = _reply(message)
    elif kind in MEDIA:
        text, attachment = _media(message)
        attachments = (attachment,)
    else:
        text = PLACEHOLDERS.get(kind, "[pesan]")
    return InboundMessage(
        channel=Channel.WHATSAPP,
        channel_user_id=str(message["from"]),
        text=text,
        payload=payload,
        client_message_id=message["id"],
        attachments=attachments,
    )


def parse_status(status: dict[str, Any]) -> StatusUpdate:
    """A delivery receipt from one webhook `statuses[]` object."""
    error = None
    errors = status.get("errors") or []
    if errors:
        first = errors[0]
        details = (first.get("error_data") or {}).get("details") or first.get("message", "")
        error = f"{first.get('code')} {first.get('title', '')}: {details}".strip()
    return StatusUpdate(status["id"], status["status"], error)


def in_service_window(last_inbound_at: datetime | None, now: datetime) -> bool:
    """Whether free-form messages may still be sent (the citizen wrote in the last 24 h)."""
    if last_inbound_at is None:
        return False
    if last_inbound_at.tzinfo is None:
        last_inbound_at = last_inbound_at.replace(tzinfo=UTC)
    return now - last_inbound_at < SERVICE_WINDOW


def text_message(text: str) -> dict[str, Any]:
    """A plain text message (without `to`)."""
    return {"type": "text", "text": {"preview_url": False, "body": text}}


def interactive_message(body: str, buttons: list[dict[str, str]]) -> dict[str, Any]:
    """Reply buttons for up to 3 choices, else a list of up to 10 rows."""
    choices = [(b.get("title") or b.get("payload") or "?", b.get("payload") or "") for b in buttons]
    choices = [(title, payload or title) for title, payload in choices]
    if len(choices) > MAX_ROWS:
        log.warning("WhatsApp lists hold %d rows; dropping %d buttons", MAX_ROWS, len(choices) - 10)
        choices = choices[:MAX_ROWS]
    if len(choices) <= MAX_BUTTONS:
        action: dict[str, Any] = {
            "buttons": [
                {
                    "type": "reply",
                    "reply": {
                        "id": fit_payload(payload, MAX_BUTTON_ID),
                        "title": clip(title, MAX_BUTTON_TITLE),
                    },
                }
                for title, payload in choices
            ]
        }
        kind = "button"
    else:
        rows = []
        for title, payload in choices:
            row = {"id": fit_payload(payload, MAX_ROW_ID), "title": clip(title, MAX_ROW_TITLE)}
            if len(title) > MAX_ROW_TITLE:
                row["description"] = clip(title, MAX_ROW_DESCRIPTION)
            rows.append(row)
        action = {"button": LIST_BUTTON_LABEL, "sections": [{"rows": rows}]}
        kind = "list"
    return {
        "type": "interactive",
        "interactive": {"type": kind, "body": {"text": body}, "action": action},
    }


def template_message(name: str, text: str) -> dict[str, Any]:
    """The approved template with `text` as its one body parameter.

    Template parameters may not hold newlines, tabs or runs of spaces, so whitespace is
    collapsed, then the text is cut to 1024 characters.
    """
    parameter = clip(" ".join(text.split()) or "-", MAX_BODY)
    return {
        "type": "template",
        "template": {
            "name": name,
            "language": {"code": TEMPLATE_LANGUAGE},
            "components": [{"type": "body", "parameters": [{"type": "text", "text": parameter}]}],
        },
    }


def plan_messages(message: OutgoingMessage, now: datetime, template: str) -> list[dict[str, Any]]:
    """The Cloud API message objects (without recipient) that deliver `message`, in order."""
    if not message.text.strip() and not message.buttons:
        return []
    if not in_service_window(message.last_inbound_at, now):
        text = message.text.strip() or ", ".join(b.get("title", "") for b in message.buttons)
        return [template_message(message.template or template, text)]
    parts = split_text(message.text, MAX_TEXT)
    if not message.buttons:
        return [text_message(part) for part in parts]
    body = BUTTONS_ONLY_TEXT
    if parts:
        last = parts.pop()
        body = split_text(last, MAX_BODY)[-1]
        rest = last[: len(last) - len(body)].rstrip()
        if rest:
            parts.append(rest)
    return [text_message(part) for part in parts] + [interactive_message(body, message.buttons)]


def _error_reason(response: httpx.Response) -> tuple[str, int | None]:
    try:
        data = response.json()
    except ValueError:
        data = None
    error = data.get("error") if isinstance(data, dict) else None
    if not isinstance(error, dict):
        return f"whatsapp: HTTP {response.status_code}: {response.text[:200]}", None
    details = (error.get("error_data") or {}).get("details")
    message = error.get("message", "")
    code = error.get("code")
    text = f"whatsapp: HTTP {response.status_code}: {message} (code {code})"
    return (f"{text}: {details}" if details else text), code


class WhatsAppAdapter:
    """Sends through the Cloud API `/{phone_number_id}/messages` endpoint."""

    channel = Channel.WHATSAPP

    def __init__(
        self,
        access_token: str,
        phone_number_id: str,
        *,
        api_base_url: str = DEFAULT_API_BASE_URL,
        template_name: str = DEFAULT_TEMPLATE,
        transport: httpx.BaseTransport | None = None,
        timeout: float = 15.0,
        clock: Callable[[], datetime] = utcnow,
    ) -> None:
        self.api_base_url = api_base_url.rstrip("/")
        self.messages_url = f"{self.api_base_url}/{phone_number_id}/messages"
        self.template_name = template_name
        self._clock = clock
        self._client = httpx.Client(
            headers={"Authorization": f"Bearer {access_token}"},
            transport=transport,
            timeout=timeout,
        )

    @classmethod
    def from_settings(
        cls, settings: Settings, transport: httpx.BaseTransport | None = None
    ) -> WhatsAppAdapter:
        """The adapter for the configured number, token, API base URL and template."""
        return cls(
            settings.whatsapp_access_token,
            settings.whatsapp_phone_number_id,
            api_base_url=settings.whatsapp_api_base_url,
            template_name=getattr(settings, "whatsapp_template_name", DEFAULT_TEMPLATE),
            transport=transport,
        )

    def parse_event(self, payload: dict[str, Any]) -> list[InboundMessage] | StatusUpdate | None:
        """Router input or a delivery receipt from one stored event (see views.webhook_events)."""
        if "status" in payload:
            return parse_status(payload["status"])
        if "message" in payload:
            inbound = parse_message(payload["message"])
            return [inbound] if inbound is not None else None
        raise ValueError("not a stored WhatsApp event: expected a 'message' or 'status' key")

    def send(self, recipient: str, message: OutgoingMessage) -> str:
        """Deliver `message` to wa_id `recipient`; returns the wamid of the last part."""
        planned = plan_messages(message, self._clock(), self.template_name)
        if not planned:
            raise DeliveryError("whatsapp: nothing to send (empty text, no buttons)", False)
        wamid = ""
        for part in planned:
            wamid = self._post(recipient, part)
        return wamid

    def _post(self, recipient: str, part: dict[str, Any]) -> str:
        body = {"messaging_product": "whatsapp", "recipient_type": "individual", "to": recipient}
        try:
            response = self._client.post(self.messages_url, json={**body, **part})
        except httpx.HTTPError as exc:
            raise DeliveryError(f"whatsapp: {type(exc).__name__}: {exc}", True) from exc
        if response.is_success:
            try:
                return str(response.json()["messages"][0]["id"])
            except (ValueError, KeyError, IndexError, TypeError) as exc:
                raise DeliveryError(
                    f"whatsapp: unexpected answer {response.text[:200]}", False
                ) from exc
        reason, code = _error_reason(response)
        retryable = response.status_code == 429 or response.status_code >= 500
        raise DeliveryError(reason, retryable or code in RETRYABLE_ERROR_CODES)

    def fetch_media(self, attachment: dict[str, Any]) -> tuple[bytes, str | None]:
        """The file behind an inbound media message: its URL from `/{media_id}`, then the
        bytes (both with the access token), and its file name when the sender gave one."""
        media_id = attachment.get("media_id")
        if not isinstance(media_id, str) or not media_id:
            raise DeliveryError("whatsapp: attachment without media_id", False)
        try:
            meta = self._client.get(f"{self.api_base_url}/{media_id}")
            meta.raise_for_status()
            url = meta.json()["url"]
            media = self._client.get(str(url))
            media.raise_for_status()
        except (httpx.HTTPError, ValueError, KeyError, TypeError) as exc:
            raise DeliveryError(f"whatsapp media: {type(exc).__name__}", True) from exc
        name = attachment.get("file_name")
        return media.content, name if isinstance(name, str) else None

    def close(self) -> None:
        """Close the HTTP connection pool."""
        self._client.close()
