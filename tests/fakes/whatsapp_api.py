"""A local fake of the WhatsApp Cloud API (Graph API) for end-to-end tests.

Records every message the helpdesk sends (`POST /{phone_number_id}/messages`) and serves
media like Meta does: `GET /{media_id}` answers the file's URL, which then gives its bytes.
`text_event`/`media_event` build real-shaped webhook bodies (from tests/fixtures/whatsapp)
and `sign()` their `X-Hub-Signature-256`. Point WHATSAPP_API_BASE_URL at `serve()`'s URL.
"""

from __future__ import annotations

import copy
import json
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "whatsapp"


@dataclass
class FakeCloudApi:
    """What the fake received and the media it serves (media id -> (bytes, mime type))."""

    sent: list[dict[str, Any]] = field(default_factory=list)
    media: dict[str, tuple[bytes, str]] = field(default_factory=dict)
    base_url: str = ""

    def texts(self, to: str) -> list[str]:
        """The text of every message sent to `to` (bodies of text and interactive parts)."""
        out = []
        for body in self.sent:
            if body.get("to") != to:
                continue
            if body.get("type") == "text":
                out.append(str(body["text"]["body"]))
            elif body.get("type") == "interactive":
                out.append(str(body["interactive"]["body"]["text"]))
            elif body.get("type") == "template":
                out.append(json.dumps(body["template"], ensure_ascii=False))
        return out


def _handler(api: FakeCloudApi) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def _json(self, status: int, body: dict[str, Any]) -> None:
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_POST(self) -> None:  # noqa: N802 - http.server's naming
            raw = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            body = json.loads(raw or b"{}")
            api.sent.append(body)
            self._json(200, {"messages": [{"id": f"wamid.fake{len(api.sent)}"}]})

        def do_GET(self) -> None:  # noqa: N802 - http.server's naming
            parts = self.path.strip("/").split("/")
            if len(parts) == 2 and parts[0] == "files" and parts[1] in api.media:
                data, mime = api.media[parts[1]]
                self.send_response(200)
                self.send_header("Content-Type", mime)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)
                return
            if len(parts) == 1 and parts[0] in api.media:
                _, mime = api.media[parts[0]]
                self._json(200, {"url": f"{api.base_url}/files/{parts[0]}", "mime_type": mime})
                return
            self._json(404, {"error": {"message": "unknown media", "code": 100}})

        def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
            """Quiet."""

    return Handler


@contextmanager
def serve(api: FakeCloudApi) -> Iterator[str]:
    """Run the fake on a free port; yield its base URL (WHATSAPP_API_BASE_URL)."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(api))
    api.base_url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield api.base_url
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def _event(name: str, wa_id: str, message_id: str) -> tuple[dict[str, Any], dict[str, Any]]:
    body: dict[str, Any] = copy.deepcopy(json.loads((FIXTURES / name).read_text()))
    value = body["entry"][0]["changes"][0]["value"]
    value["contacts"][0]["wa_id"] = wa_id
    message = value["messages"][0]
    # Sent now: the webhook acknowledges but does not store messages older than
    # WEBHOOK_MAX_AGE_HOURS (the fixture files carry their 2026-01-01 timestamp).
    message.update({"from": wa_id, "id": message_id, "timestamp": str(int(time.time()))})
    return body, message


def text_event(wa_id: str, message_id: str, text: str) -> dict[str, Any]:
    """A real-shaped text message webhook body."""
    body, message = _event("text.json", wa_id, message_id)
    message["text"]["body"] = text
    return body


def media_event(
    wa_id: str, message_id: str, media_id: str, mime: str, filename: str | None = None
) -> dict[str, Any]:
    """An image (JPEG/PNG) or document (PDF) message webhook body without a caption."""
    if mime == "application/pdf":
        body, message = _event("document.json", wa_id, message_id)
        message["document"].update(id=media_id, mime_type=mime, filename=filename or "dokumen.pdf")
        message["document"].pop("caption", None)
    else:
        body, message = _event("image.json", wa_id, message_id)
        message["image"].update(id=media_id, mime_type=mime)
        message["image"].pop("caption", None)
    return body
