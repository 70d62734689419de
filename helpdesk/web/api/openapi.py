"""`/api/v1/openapi.json`: the whole HTTP surface in OpenAPI 3.1 (kept in step by tests):
the REST API (`SPEC`, paths relative to `/api/v1`), the web chat routes and the webhooks
(`openapi_surface`). `document()` joins them under one server root."""

from __future__ import annotations

import copy
from functools import cache
from typing import Any

from flask import Response, jsonify

from helpdesk.catalog import CATALOG_LANGUAGES
from helpdesk.models import ConversationStatus, RequestStatus
from helpdesk.services import nlu_inbox
from helpdesk.web.api import bp
from helpdesk.web.api.openapi_account import PATHS as ACCOUNT_PATHS
from helpdesk.web.api.openapi_applications import APPLICATION_PATHS, LIST_REQUESTS
from helpdesk.web.api.openapi_journeys import JOURNEY_PATHS
from helpdesk.web.api.openapi_learn import PATCH_SERVICE
from helpdesk.web.api.openapi_learn import PATHS as LEARN_PATHS
from helpdesk.web.api.openapi_surface import SURFACE_PATHS, SURFACE_SCHEMAS, SURFACE_SCHEMES
from helpdesk.web.extensions import catalog

API_PREFIX = "/api/v1"

_JSON = "application/json"
_ERROR = {"$ref": "#/components/schemas/Error"}


def _ok(description: str, schema: dict[str, Any], status: str = "200") -> dict[str, Any]:
    return {status: {"description": description, "content": {_JSON: {"schema": schema}}}}


def _errors(*statuses: str) -> dict[str, Any]:
    texts = {
        "401": "Missing or invalid bearer token",
        "404": "Not found",
        "409": "Conflicts with the current state",
        "422": "Invalid input",
    }
    return {s: {"description": texts[s], "content": {_JSON: {"schema": _ERROR}}} for s in statuses}


def _body(schema: dict[str, Any]) -> dict[str, Any]:
    return {"required": True, "content": {_JSON: {"schema": schema}}}


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


_STATUSES = [s.value for s in RequestStatus]
# Free text as the API takes it (body.py: required_str/optional_str, 4000 characters)
_TEXT = {"type": "string", "minLength": 1, "maxLength": 4000, "pattern": "[^\\s\\x1c-\\x1f\\x85]"}
_NOTE = {"type": ["string", "null"], "maxLength": 4000}
_CONV_STATUSES = [s.value for s in ConversationStatus]
TRACKING_NUMBER = {
    "type": "string",
    "pattern": "^\\s*[A-Za-z]{2,5}[\\s-]*[0-9]{4}[\\s-]*[0-9]{6}\\s*$",
    "description": "SVC-YYYY-NNNNNN in any case, with spaces or dashes",
}
_TN = {
    "name": "tracking_number",
    "in": "path",
    "required": True,
    "schema": TRACKING_NUMBER,
    "example": "KTP-2026-000123",
}
_CID = {"name": "conversation_id", "in": "path", "required": True, "schema": {"type": "integer"}}
_CREF = {
    "name": "conversation_ref",
    "in": "path",
    "required": True,
    "description": "The engine's random sender id of the conversation (the Rasa tracker's "
    "sender_id); staff tokens may also use the numeric id",
    "schema": {"type": "string"},
}
_LANG = {
    "name": "lang",
    "in": "query",
    "required": False,
    "description": "Language of the citizen-facing texts (Indonesian when omitted)",
    "schema": {"enum": list(CATALOG_LANGUAGES), "default": "id"},
}

SPEC: dict[str, Any] = {
    "openapi": "3.1.0",
    "info": {
        "title": "Halo Warga helpdesk API",
        "version": "1",
        "description": "Service requests, the service catalog and the escalation queue. "
        "Every call needs `Authorization: Bearer <token>` (`helpdesk create-token NAME`). "
        "Tokens with `--scope bot` may read the catalog, read a request's status without "
        "personal data, hand a conversation off and set its language; other routes answer 403.",
    },
    "servers": [{"url": "/api/v1"}],
    "security": [{"bearer": []}],
    "paths": {
        "/requests": {
            "post": {
                "summary": "Register a service request",
                "requestBody": _body(_ref("NewRequest")),
                "responses": {**_ok("Created", _ref("Request"), "201"), **_errors("401", "422")},
            }
        },
        "/requests/{tracking_number}": {
            "get": {
                "summary": "A request with its status history",
                "parameters": [_TN],
                "responses": {
                    **_ok("The request", _ref("Request")),
                    **_errors("401", "404", "422"),
                },
            }
        },
        "/requests/{tracking_number}/status": {
            "post": {
                "summary": "Change a request's status",
                "parameters": [_TN],
                "requestBody": _body(
                    {
                        "type": "object",
                        "required": ["status"],
                        "properties": {"status": {"enum": _STATUSES}, "note": _NOTE},
                    }
                ),
                "responses": {
                    **_ok("The request", _ref("Request")),
                    **_errors("401", "404", "409", "422"),
                },
            }
        },
        "/services": {
            "get": {
                "summary": "The service catalog, short form",
                "parameters": [_LANG],
                "responses": {
                    **_ok(
                        "Services",
                        {
                            "type": "object",
                            "properties": {
                                "region": {"type": "string"},
                                "language": {"enum": list(CATALOG_LANGUAGES)},
                                "items": {"type": "array", "items": _ref("ServiceSummary")},
                                "elsewhere": {
                                    "type": "array",
                                    "description": "Services other agencies handle "
                                    "(data/catalog/elsewhere.yml)",
                                    "items": _ref("Elsewhere"),
                                },
                            },
                        },
                    ),
                    **_errors("401", "422"),
                },
            }
        },
        "/services/{code}": {
            "get": {
                "summary": "One service in full, its office resolved",
                "parameters": [
                    {
                        "name": "code",
                        "in": "path",
                        "required": True,
                        "schema": {"type": "string"},
                        "example": "ktp_el",
                    },
                    _LANG,
                ],
                "responses": {
                    **_ok("The service", {"type": "object"}),
                    **_errors("401", "404", "422"),
                },
            }
        },
        "/conversations": {
            "get": {
                "summary": "Conversations, optionally by status (pending: queue order)",
                "parameters": [
                    {
                        "name": "status",
                        "in": "query",
                        "required": False,
                        "schema": {"enum": _CONV_STATUSES},
                    }
                ],
                "responses": {
                    **_ok(
                        "Conversations",
                        {
                            "type": "object",
                            "properties": {
                                "items": {"type": "array", "items": _ref("Conversation")}
                            },
                        },
                    ),
                    **_errors("401", "422"),
                },
            }
        },
        "/conversations/{conversation_id}": {
            "get": {
                "summary": "A conversation with its messages",
                "parameters": [_CID],
                "responses": {
                    **_ok("The conversation", _ref("Conversation")),
                    **_errors("401", "404"),
                },
            }
        },
        "/conversations/{conversation_id}/messages": {
            "post": {
                "summary": "An agent reply, delivered on the citizen's channel",
                "parameters": [_CID],
                "requestBody": _body(
                    {
                        "type": "object",
                        "required": ["text"],
                        "properties": {"text": _TEXT},
                    }
                ),
                "responses": {
                    **_ok("Stored", _ref("Message"), "201"),
                    **_errors("401", "404", "409", "422"),
                },
            }
        },
        "/conversations/{conversation_ref}/handoff": {
            "post": {
                "summary": "Queue the conversation for a human agent",
                "parameters": [_CREF],
                "requestBody": _body(
                    {
                        "type": "object",
                        "required": ["reason"],
                        "properties": {
                            "reason": {
                                "enum": ["citizen_request", "complaint", "fallback", "engine_error"]
                            },
                            "note": _NOTE,
                            "service": {
                                "type": ["string", "null"],
                                "maxLength": 40,
                                "description": "catalog code of the service the conversation "
                                "was about: it waits in that service's unit's queue (the "
                                "general queue `umum` otherwise)",
                            },
                        },
                    }
                ),
                "responses": {
                    **_ok("Queued", _ref("Conversation")),
                    **_errors("401", "404", "422"),
                },
            }
        },
        "/conversations/{conversation_ref}/language": {
            "post": {
                "summary": "Record the language the citizen chose (beats detection)",
                "parameters": [_CREF],
                "requestBody": _body(
                    {
                        "type": "object",
                        "required": ["language"],
                        "properties": {
                            "language": {"enum": ["id", "jv", "su", "en"]},
                            "explicit": {"type": "boolean", "default": True},
                        },
                    }
                ),
                "responses": {
                    **_ok("The conversation", _ref("Conversation")),
                    **_errors("401", "404", "422"),
                },
            }
        },
        "/conversations/{conversation_id}/resolve": {
            "post": {
                "summary": "Resolve; the bot owns the next message",
                "parameters": [_CID],
                "responses": {
                    **_ok("Resolved", _ref("Conversation")),
                    **_errors("401", "404", "409"),
                },
            }
        },
    },
    "components": {
        "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
        "schemas": {
            "Error": {
                "type": "object",
                "properties": {
                    "error": {
                        "type": "object",
                        "properties": {"code": {"type": "string"}, "message": {"type": "string"}},
                    }
                },
            },
            "NewRequest": {
                "type": "object",
                "required": ["service", "applicant_name", "nik"],
                # WhatsApp updates need the number to send them to (not empty: phone_required)
                "if": {
                    "required": ["notify_whatsapp"],
                    "properties": {"notify_whatsapp": {"const": True}},
                },
                "then": {
                    "required": ["phone"],
                    "properties": {"phone": {"type": "string", "minLength": 1}},
                },
                "properties": {
                    "service": {"type": "string", "example": "ktp_el"},
                    "applicant_name": {
                        "type": "string",
                        "minLength": 1,
                        "maxLength": 120,
                        "pattern": "[^\\s\\x1c-\\x1f\\x85]",
                    },
                    "nik": {"type": "string", "pattern": "^[0-9]{16}$"},
                    "phone": {
                        "type": ["string", "null"],
                        "maxLength": 20,
                        "pattern": "^((\\+?62|0)8[0-9]{7,12})?$",
                        "description": "an Indonesian mobile number; spaces, dots, dashes and "
                        "brackets are ignored",
                        "example": "081234567890",
                    },
                    "note": _NOTE,
                    "notify_whatsapp": {
                        "type": "boolean",
                        "description": "The applicant consented to status updates on WhatsApp "
                        "(sent as the approved utility template; needs `phone`)",
                    },
                    "language": {"enum": ["id", "jv", "su", "en", None]},
                },
            },
            "Request": {
                "type": "object",
                "properties": {
                    "tracking_number": {"type": "string"},
                    "service": {"type": "string"},
                    "service_name": {"type": ["string", "null"]},
                    "status": {"enum": _STATUSES},
                    "applicant_name": {"type": "string"},
                    "nik_masked": {"type": "string"},
                    "phone_masked": {"type": ["string", "null"]},
                    "channel": {"enum": ["webchat", "telegram", "whatsapp", "web", "api", None]},
                    "unit": {"type": ["string", "null"]},
                    "due_at": {"type": ["string", "null"], "format": "date-time"},
                    "language": {"type": "string"},
                    "missing_documents": {"type": "array", "items": {"type": "string"}},
                    "answers": {"type": "object"},
                    "attachments": {"type": "array", "items": {"type": "object"}},
                    "created_at": {"type": "string", "format": "date-time"},
                    "updated_at": {"type": "string", "format": "date-time"},
                    "history": {
                        "type": "array",
                        "items": {
                            "type": "object",
                            "properties": {
                                "status": {"enum": _STATUSES},
                                "note": {"type": ["string", "null"]},
                                "created_at": {"type": "string", "format": "date-time"},
                            },
                        },
                    },
                },
            },
            "ServiceSummary": {
                "type": "object",
                "properties": {
                    "code": {"type": "string"},
                    "name": {"type": "string"},
                    "category": {"type": "string"},
                    "summary": {"type": "string"},
                    "names": {
                        "type": "array",
                        "items": {"type": "string"},
                        "description": "Every name citizens use for it (all languages, "
                        "former names included)",
                    },
                },
            },
            "Elsewhere": {
                "type": "object",
                "properties": {
                    "code": {"type": "string"},
                    "title": {"type": "string"},
                    "agency": {"type": "string"},
                    "reach": {"type": "string"},
                    "related": {"type": "array", "items": {"type": "string"}},
                    "names": {"type": "array", "items": {"type": "string"}},
                    "not_names": {"type": "array", "items": {"type": "string"}},
                },
            },
            "Conversation": {
                "type": "object",
                "properties": {
                    "id": {"type": "integer"},
                    "channel": {"enum": ["webchat", "telegram", "whatsapp"]},
                    "status": {"enum": _CONV_STATUSES},
                    "language": {"type": "string"},
                    "handoff_reason": {"type": ["string", "null"]},
                    "unit": {"type": ["string", "null"]},
                    "queue_position": {"type": ["integer", "null"]},
                    "expected_wait_minutes": {"type": ["integer", "null"]},
                    "messages": {"type": "array", "items": _ref("Message")},
                },
            },
            "Message": {
                "type": "object",
                "properties": {
                    "id": {"type": "integer"},
                    "sender": {"enum": ["citizen", "bot", "agent", "system"]},
                    "text": {"type": "string"},
                    "buttons": {
                        "type": "array",
                        "items": {
                            "type": "object",
                            "properties": {
                                "title": {"type": "string"},
                                "payload": {"type": "string"},
                            },
                        },
                    },
                    "created_at": {"type": "string", "format": "date-time"},
                },
            },
        },
    },
}


SPEC["paths"].update(JOURNEY_PATHS)
SPEC["paths"].update(APPLICATION_PATHS)
SPEC["paths"]["/requests"]["get"] = LIST_REQUESTS
SPEC["paths"].update(ACCOUNT_PATHS)
SPEC["paths"].update(LEARN_PATHS)
SPEC["paths"]["/services/{code}"]["patch"] = PATCH_SERVICE


@cache
def document(
    services: tuple[str, ...] = (), intents: tuple[str, ...] = (), units: tuple[str, ...] = ()
) -> dict[str, Any]:
    """The served document: the REST API under /api/v1, the web chat, the webhooks.
    `services` (the catalog's codes), `intents` (the bot's) and `units` (the catalog's) are
    the values the routes that take them accept."""
    doc = copy.deepcopy(SPEC)
    if units:
        forward = doc["paths"]["/complaints/{tracking_number}/forward"]["post"]["requestBody"]
        forward["content"][_JSON]["schema"]["properties"]["unit"] = {"enum": sorted(units)}
    if services:
        new_request = doc["components"]["schemas"]["NewRequest"]["properties"]
        new_request["service"]["enum"] = sorted(services)
    label = doc["paths"]["/nlu/inbox/{item_id}/label"]["post"]["requestBody"]["content"]
    label_schema = label["application/json"]["schema"]
    if services:
        label_schema["properties"]["service"] = {"enum": [*sorted(services), "", None]}
    if intents:
        label_schema["anyOf"][1]["properties"]["intent"] = {"enum": [*intents, "out_of_scope"]}
    doc["info"]["description"] += (
        " The web chat routes need no token (the session id is the capability); the "
        "webhooks carry their channel's own credentials (telegramSecretToken, "
        "whatsappSignature)."
    )
    doc["servers"] = [{"url": "/"}]
    doc["paths"] = {f"{API_PREFIX}{path}": item for path, item in doc["paths"].items()}
    doc["paths"].update(copy.deepcopy(SURFACE_PATHS))
    doc["components"]["securitySchemes"].update(SURFACE_SCHEMES)
    doc["components"]["schemas"].update(SURFACE_SCHEMAS)
    return doc


@bp.get("/openapi.json")
def openapi() -> Response:
    """The OpenAPI document (public: it holds no data)."""
    return jsonify(
        document(
            tuple(sorted(catalog().services)),
            tuple(nlu_inbox.known_intents()),
            tuple(sorted(catalog().units)),
        )
    )
