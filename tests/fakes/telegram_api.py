"""A fake Telegram Bot API at the HTTP boundary: a local server that records every call."""

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
from urllib.parse import parse_qsl

TEXT_UPDATE = Path(__file__).resolve().parent.parent / "fixtures" / "telegram" / "text.json"


@dataclass
class FakeBotApi:
    """A local HTTP server speaking just enough Bot API; records every call."""

    calls: list[tuple[str, str, dict[str, Any]]] = field(default_factory=list)
    scripted: dict[str, list[tuple[int, dict[str, Any]]]] = field(default_factory=dict)
    next_message_id: int = 1000
    files: dict[str, bytes] = field(default_factory=dict)  # file_id -> content (getFile)

    def script(self, method: str, status: int, body: dict[str, Any]) -> None:
        """Answer the next call of `method` with this status and body."""
        self.scripted.setdefault(method, []).append((status, body))

    def answer(self, method: str, params: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        """A scripted answer if one is queued, else a plausible success."""
        if self.scripted.get(method):
            return self.scripted[method].pop(0)
        if method == "sendMessage":
            self.next_message_id += 1
            chat = {"id": int(params["chat_id"]), "type": "private", "first_name": "Siti"}
            result = {"message_id": self.next_message_id, "date": 1767243600, "chat": chat}
            return 200, {"ok": True, "result": {**result, "text": params["text"]}}
        if method == "getMe":
            bot = {"id": 7012345678, "is_bot": True, "first_name": "Halo Warga"}
            return 200, {"ok": True, "result": {**bot, "username": "HaloWargaBot"}}
        if method == "getFile" and str(params.get("file_id")) in self.files:
            file_id = str(params["file_id"])
            result = {
                "file_id": file_id,
                "file_unique_id": f"u-{file_id}",
                "file_size": len(self.files[file_id]),
                "file_path": f"files/{file_id}",
            }
            return 200, {"ok": True, "result": result}
        if method == "getUpdates":
            return 200, {"ok": True, "result": []}
        return 200, {"ok": True, "result": True}

    def sent(self, method: str = "sendMessage") -> list[dict[str, Any]]:
        """The parameters of every call of `method`."""
        return [params for _path, name, params in self.calls if name == method]


def _handler(api: FakeBotApi) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 - http.server's naming
            raw = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            if self.headers.get("Content-Type", "").startswith("application/json"):
                params = json.loads(raw or b"{}")
            else:
                params = dict(parse_qsl(raw.decode()))
            if "reply_markup" in params:
                params["reply_markup"] = json.loads(params["reply_markup"])
            method = self.path.rsplit("/", 1)[-1]
            api.calls.append((self.path, method, params))
            status, body = api.answer(method, params)
            data = json.dumps(body).encode()
            try:
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)
            except ConnectionError:
                pass  # the client gave up (a long poll cancelled at shutdown)

        def do_GET(self) -> None:  # noqa: N802 - http.server's naming
            """File downloads (`/file/bot<token>/files/<file_id>`), as getFile points to."""
            file_id = self.path.rsplit("/", 1)[-1]
            api.calls.append((self.path, "download", {"file_id": file_id}))
            data = api.files.get(file_id)
            self.send_response(200 if data is not None else 404)
            self.send_header("Content-Length", str(len(data or b"")))
            self.end_headers()
            self.wfile.write(data or b"")

        def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
            """Quiet."""

    return Handler


@contextmanager
def serve(api: FakeBotApi) -> Iterator[str]:
    """Run the fake on a free port; yield its base URL (what TELEGRAM_API_BASE_URL would be)."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(api))
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def text_update(update_id: int, chat_id: int, text: str) -> dict[str, Any]:
    """A real-shaped Telegram text update (the fixture file) with new ids and text, sent now
    (the webhook refuses updates older than WEBHOOK_MAX_AGE_HOURS)."""
    body: dict[str, Any] = copy.deepcopy(json.loads(TEXT_UPDATE.read_text()))
    body["update_id"] = update_id
    message = body["message"]
    message.update(message_id=update_id, text=text, date=int(time.time()))
    message["chat"]["id"] = chat_id
    message["from"]["id"] = chat_id
    return body


def photo_update(update_id: int, chat_id: int, file_id: str) -> dict[str, Any]:
    """A real-shaped Telegram photo update (no caption) for the file `file_id`."""
    body = text_update(update_id, chat_id, "")
    message = body["message"]
    del message["text"]
    message.pop("entities", None)
    message["photo"] = [
        {"file_id": f"{file_id}-small", "file_unique_id": "s", "width": 90, "height": 90},
        {"file_id": file_id, "file_unique_id": "b", "width": 800, "height": 600},
    ]
    return body
