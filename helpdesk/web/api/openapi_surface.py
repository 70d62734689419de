"""OpenAPI paths outside `/api/v1`: the web chat (the widget's API), the channel webhooks
with their own authentication, and the health check. `openapi.document()` serves them
with the REST API in one document, so the whole HTTP surface is described and fuzzed.
The agent console (HTML forms behind a signed-in session and CSRF) and the public pages
are not JSON APIs and are not in it."""

from __future__ import annotations

from typing import Any

from helpdesk.text.language import SPOKEN_LANGUAGES

_JSON = "application/json"
_ERROR = {"$ref": "#/components/schemas/Error"}
_MESSAGE = {"$ref": "#/components/schemas/WebchatMessage"}
_NONE: list[dict[str, list[str]]] = []  # no bearer token: the route has its own scheme
_SID = {
    "name": "session_id",
    "in": "path",
    "required": True,
    "description": "The session id `POST /webchat/sessions` returned (the capability: "
    "whoever holds it is that chat's citizen)",
    "schema": {"type": "string", "minLength": 1, "maxLength": 128},
}
_ERRORS = {
    "400": "Malformed request",
    "401": "Missing credentials",
    "403": "Wrong credentials",
    "404": "Unknown or expired chat session / channel not configured",
    "409": "This client_message_id was stored already (a retry)",
    "413": "Body or message too long",
    "422": "Invalid input",
    "429": "Too many requests from this address or session (see Retry-After)",
}


def _errors(*statuses: str) -> dict[str, Any]:
    return {
        s: {"description": _ERRORS[s], "content": {_JSON: {"schema": _ERROR}}} for s in statuses
    }


def _ok(description: str, schema: dict[str, Any], status: str = "200") -> dict[str, Any]:
    return {status: {"description": description, "content": {_JSON: {"schema": schema}}}}


def _object(properties: dict[str, Any], required: list[str] | None = None) -> dict[str, Any]:
    schema: dict[str, Any] = {"type": "object", "properties": properties}
    if required:
        schema["required"] = required
    return schema


_LANGUAGE = {"enum": list(SPOKEN_LANGUAGES)}
_MESSAGES = {"type": "array", "items": _MESSAGE}

SURFACE_PATHS: dict[str, Any] = {
    "/webchat/sessions": {
        "post": {
            "summary": "Start a web chat session (limited per client address)",
            "tags": ["web chat"],
            "security": _NONE,
            "requestBody": {
                "required": False,
                "content": {
                    _JSON: {
                        "schema": _object(
                            {
                                "language": {
                                    "description": "id, jv, su or en (anything else: id)",
                                    "examples": ["id"],
                                },
                                "explicit": {
                                    "description": "true: the citizen chose the language "
                                    "(anything else: detected from their messages)",
                                },
                            }
                        )
                    }
                },
            },
            "responses": {
                **_ok(
                    "The new session",
                    _object({"session_id": {"type": "string"}}, ["session_id"]),
                    "201",
                ),
                **_errors("413", "422", "429"),
            },
        }
    },
    "/webchat/sessions/{session_id}/language": {
        "post": {
            "summary": "The language the citizen picked in the widget (beats detection)",
            "tags": ["web chat"],
            "security": _NONE,
            "parameters": [_SID],
            "requestBody": {
                "required": True,
                "content": {_JSON: {"schema": _object({"language": _LANGUAGE}, ["language"])}},
            },
            "responses": {
                **_ok("Recorded", _object({"language": _LANGUAGE}, ["language"])),
                **_errors("404", "413", "422"),
            },
        }
    },
    "/webchat/sessions/{session_id}/messages": {
        "post": {
            "summary": "A citizen's message; the bot's replies ([] while an agent owns it)",
            "description": "When the engine needs longer than WEBCHAT_REPLY_WAIT_SECONDS, "
            "`messages` holds a stored 'please wait' notice, `pending` is true and the answer "
            "follows through `GET ...?after=`.",
            "tags": ["web chat"],
            "security": _NONE,
            "parameters": [_SID],
            "requestBody": {
                "required": True,
                "content": {
                    _JSON: {
                        "schema": _object(
                            {
                                "text": {
                                    "type": "string",
                                    "minLength": 1,
                                    "maxLength": 2000,
                                    "pattern": r"[^\s\x1c-\x1f\x85]",
                                    "description": "at most WEBCHAT_MAX_MESSAGE_CHARS "
                                    "(2000) characters",
                                },
                                "payload": {"type": ["string", "null"], "maxLength": 500},
                                "client_message_id": {
                                    "type": ["string", "null"],
                                    "maxLength": 64,
                                },
                            },
                            ["text"],
                        )
                    }
                },
            },
            "responses": {
                **_ok(
                    "Stored; the bot's replies",
                    _object(
                        {
                            "messages": _MESSAGES,
                            "message": _MESSAGE,
                            "pending": {"type": "boolean"},
                        },
                        ["messages", "message"],
                    ),
                ),
                **_errors("404", "409", "413", "422", "429"),
            },
        },
        "get": {
            "summary": "Messages after `after` (agent replies, answers that followed later)",
            "tags": ["web chat"],
            "security": _NONE,
            "parameters": [
                _SID,
                {
                    "name": "after",
                    "in": "query",
                    "required": False,
                    "schema": {"type": "integer", "minimum": 0, "maximum": 2**63 - 1},
                },
            ],
            "responses": {
                **_ok(
                    "Later messages",
                    _object(
                        {
                            "messages": _MESSAGES,
                            "status": {"enum": ["bot", "pending", "open", "resolved"]},
                        },
                        ["messages", "status"],
                    ),
                ),
                **_errors("400", "404", "429"),
            },
        },
    },
    "/webchat/sessions/{session_id}/attachments": {
        "post": {
            "summary": "A photo or PDF (JPEG, PNG or PDF by content, at most UPLOAD_MAX_BYTES)",
            "tags": ["web chat"],
            "security": _NONE,
            "parameters": [_SID],
            "requestBody": {
                "required": True,
                "content": {
                    "multipart/form-data": {
                        "schema": _object(
                            {"file": {"type": "string", "format": "binary"}}, ["file"]
                        )
                    }
                },
            },
            "responses": {
                **_ok(
                    "Stored and attached",
                    _object(
                        {
                            "attachment": _object(
                                {
                                    "id": {"type": "integer"},
                                    "filename": {"type": "string"},
                                    "content_type": {"type": "string"},
                                    "size": {"type": "integer"},
                                }
                            ),
                            "message": _MESSAGE,
                            "messages": _MESSAGES,
                        },
                        ["attachment", "message", "messages"],
                    ),
                    "201",
                ),
                **_errors("400", "404", "413", "422", "429"),
            },
        }
    },
    "/webhooks/telegram": {
        "post": {
            "summary": "A Telegram Update (stored, then processed by the worker)",
            "tags": ["webhooks"],
            "security": [{"telegramSecretToken": []}],
            "requestBody": {
                "required": True,
                "content": {
                    _JSON: {
                        "schema": _object(
                            {"update_id": {"type": "integer", "minimum": 0, "maximum": 2**63 - 1}},
                            ["update_id"],
                        )
                    }
                },
            },
            "responses": {
                **_ok(
                    "Stored (or a duplicate); the acknowledgement Telegram reads",
                    {"type": "object"},
                ),
                **_errors("400", "401", "403", "404", "413"),
            },
        }
    },
    "/webhooks/whatsapp": {
        "get": {
            "summary": "Meta's subscription check: echoes hub.challenge",
            "tags": ["webhooks"],
            "security": _NONE,
            "parameters": [
                {"name": "hub.mode", "in": "query", "required": True, "schema": {"type": "string"}},
                {
                    "name": "hub.verify_token",
                    "in": "query",
                    "required": True,
                    "description": "must equal WHATSAPP_VERIFY_TOKEN",
                    "schema": {"type": "string"},
                },
                {
                    "name": "hub.challenge",
                    "in": "query",
                    "required": True,
                    "schema": {"type": "string"},
                },
            ],
            "responses": {
                "200": {
                    "description": "The challenge, echoed",
                    "content": {"text/plain": {"schema": {"type": "string"}}},
                },
                **_errors("403"),
            },
        },
        "post": {
            "summary": "A WhatsApp Cloud API delivery: messages and statuses, each stored once",
            "tags": ["webhooks"],
            "security": [{"whatsappSignature": []}],
            "requestBody": {
                "required": True,
                "content": {
                    _JSON: {
                        "schema": _object(
                            {
                                "object": {"const": "whatsapp_business_account"},
                                "entry": {"type": "array", "items": {"type": "object"}},
                            },
                            ["object"],
                        )
                    }
                },
            },
            "responses": {
                **_ok(
                    "Stored",
                    _object(
                        {"received": {"type": "integer"}, "stored": {"type": "integer"}},
                        ["received", "stored"],
                    ),
                ),
                **_errors("400", "401", "403", "404", "413"),
            },
        },
    },
    "/healthz": {
        "get": {
            "summary": "Up, and whether the engine and the database answer",
            "tags": ["operations"],
            "security": _NONE,
            "responses": {
                "200": {"description": "Up", "content": {_JSON: {"schema": {"type": "object"}}}},
                "503": {
                    "description": "A dependency is down",
                    "content": {_JSON: {"schema": {"type": "object"}}},
                },
            },
        }
    },
}

SURFACE_SCHEMES: dict[str, Any] = {
    "telegramSecretToken": {
        "type": "apiKey",
        "in": "header",
        "name": "X-Telegram-Bot-Api-Secret-Token",
        "description": "TELEGRAM_WEBHOOK_SECRET, as given to Telegram's setWebhook",
    },
    "whatsappSignature": {
        "type": "apiKey",
        "in": "header",
        "name": "X-Hub-Signature-256",
        "description": "`sha256=` + hex HMAC-SHA256 of the raw body with WHATSAPP_APP_SECRET "
        "(Meta signs every delivery)",
    },
}

SURFACE_SCHEMAS: dict[str, Any] = {
    "WebchatMessage": {
        "type": "object",
        "required": ["id", "sender", "text"],
        "properties": {
            "id": {"type": "integer"},
            "sender": {"enum": ["citizen", "bot", "agent", "system"]},
            "text": {"type": "string"},
            "buttons": {
                "type": "array",
                "items": _object({"title": {"type": "string"}, "payload": {"type": "string"}}),
            },
            "attachments": {"type": "array", "items": {"type": "object"}},
            "client_message_id": {"type": ["string", "null"]},
            "delivery_status": {"type": ["string", "null"]},
            "created_at": {"type": "string", "format": "date-time"},
        },
    }
}
