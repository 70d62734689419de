"""OpenAPI paths of the citizen journeys (complaints, data requests, attachments, bot hooks)."""

from __future__ import annotations

from typing import Any

from helpdesk.models import ComplaintStatus, DataRequestStatus

_JSON = "application/json"
_ERROR = {"$ref": "#/components/schemas/Error"}
_OBJECT: dict[str, Any] = {"type": "object"}
_TN = {
    "name": "tracking_number",
    "in": "path",
    "required": True,
    "schema": {
        "type": "string",
        "pattern": "^\\s*[A-Za-z]{2,5}[\\s-]*[0-9]{4}[\\s-]*[0-9]{6}\\s*$",
    },
}
_CID = {"name": "conversation_id", "in": "path", "required": True, "schema": {"type": "integer"}}
_ID = {"name": "request_id", "in": "path", "required": True, "schema": {"type": "integer"}}
_COMPLAINT_STATUSES = [s.value for s in ComplaintStatus]
# waiting_for_citizen is reached by asking the citizen a question, not set directly
_SETTABLE_STATUSES = [s for s in _COMPLAINT_STATUSES if s != ComplaintStatus.WAITING.value]
_DATA_STATUSES = [s.value for s in DataRequestStatus]
_NOTE = {"type": ["string", "null"], "maxLength": 4000}


def _text(most: int) -> dict[str, Any]:
    """A required free-text field as the API takes it (not blank, at most `most`)."""
    return {
        "type": "string",
        "minLength": 1,
        "maxLength": most,
        "pattern": "[^\\s\\x1c-\\x1f\\x85]",
    }


_STATUS_QUERY = {"name": "status", "in": "query", "required": False, "schema": {"type": "string"}}


def _ok(description: str, schema: dict[str, Any] | None = None) -> dict[str, Any]:
    return {"200": {"description": description, "content": {_JSON: {"schema": schema or _OBJECT}}}}


def _errors(*statuses: str) -> dict[str, Any]:
    return {s: {"description": "Error", "content": {_JSON: {"schema": _ERROR}}} for s in statuses}


def _items(schema: dict[str, Any] | None = None) -> dict[str, Any]:
    return {
        "type": "object",
        "properties": {"items": {"type": "array", "items": schema or _OBJECT}},
    }


def _body(properties: dict[str, Any], required: list[str]) -> dict[str, Any]:
    schema = {"type": "object", "required": required, "properties": properties}
    return {"required": True, "content": {_JSON: {"schema": schema}}}


JOURNEY_PATHS: dict[str, Any] = {
    "/complaints": {
        "get": {
            "summary": "Complaints filed in chat, newest first (staff)",
            "parameters": [
                {**_STATUS_QUERY, "schema": {"enum": _COMPLAINT_STATUSES}},
                {"name": "unit", "in": "query", "required": False, "schema": {"type": "string"}},
            ],
            "responses": {**_ok("Complaints", _items()), **_errors("401", "403", "422")},
        }
    },
    "/complaints/{tracking_number}": {
        "get": {
            "summary": "One complaint: identity hidden when anonymous, NIK/phone masked",
            "parameters": [_TN],
            "responses": {**_ok("The complaint"), **_errors("401", "403", "404", "422")},
        }
    },
    "/complaints/{tracking_number}/status": {
        "post": {
            "summary": "Move a complaint on; subscribed citizens are told on their channel",
            "parameters": [_TN],
            "requestBody": _body(
                {"status": {"enum": _SETTABLE_STATUSES}, "note": _NOTE}, ["status"]
            ),
            "responses": {**_ok("The complaint"), **_errors("401", "403", "404", "409", "422")},
        }
    },
    "/complaints/{tracking_number}/forward": {
        "post": {
            "summary": "Forward to another unit with a reason; the SLA clock goes with it",
            "parameters": [_TN],
            # unit: a catalog unit (document() lists them), not the complaint's own unit (409)
            "requestBody": _body({"unit": _text(32), "reason": _text(4000)}, ["unit", "reason"]),
            "responses": {**_ok("The complaint"), **_errors("401", "403", "404", "409", "422")},
        }
    },
    "/complaints/{tracking_number}/ask": {
        "post": {
            "summary": "Ask the citizen for more information; the clock pauses until they answer",
            "parameters": [_TN],
            "requestBody": _body({"text": _text(4000)}, ["text"]),
            "responses": {**_ok("The complaint"), **_errors("401", "403", "404", "409", "422")},
        }
    },
    "/complaints/{tracking_number}/reply": {
        "post": {
            "summary": "Send the citizen the follow-up on their channel",
            "parameters": [_TN],
            "requestBody": _body({"text": _text(4000)}, ["text"]),
            "responses": {**_ok("The complaint"), **_errors("401", "403", "404", "409", "422")},
        }
    },
    "/conversations/{conversation_id}/complaint-form": {
        "post": {
            "summary": "Open the complaint form in a conversation (bot scope); its first prompt",
            "parameters": [_CID],
            "requestBody": {
                "required": False,
                "content": {
                    _JSON: {
                        "schema": {
                            "type": "object",
                            "properties": {"confirm": {"type": "boolean"}},
                        }
                    }
                },
            },
            "responses": {**_ok("The prompt messages"), **_errors("401", "404", "422")},
        }
    },
    "/conversations/{conversation_id}/status-lookup": {
        "post": {
            "summary": "After a status reply, take the next message as the last 4 NIK digits",
            "parameters": [_CID],
            "requestBody": _body({"tracking_number": _text(40)}, ["tracking_number"]),
            "responses": {
                **_ok(
                    "armed, locked (3 wrong tries within the hour) or no_identity",
                    {
                        "type": "object",
                        "properties": {
                            "verification": {"enum": ["armed", "locked", "no_identity"]}
                        },
                    },
                ),
                **_errors("401", "404", "422"),
            },
        }
    },
    "/erasure-requests": {
        "get": {
            "summary": "Erasure requests with their UU PDP deadline (`?status=pending`)",
            "parameters": [{**_STATUS_QUERY, "schema": {"enum": _DATA_STATUSES}}],
            "responses": {**_ok("Erasure requests", _items()), **_errors("401", "403", "422")},
        }
    },
    "/erasure-requests/{request_id}/approve": {
        "post": {
            "summary": "Approve: erase the citizen's messages, identifiers, files, tracker events",
            "parameters": [_ID],
            "responses": {**_ok("The request, completed"), **_errors("401", "403", "404", "409")},
        }
    },
    "/erasure-requests/{request_id}/refuse": {
        "post": {
            "summary": "Refuse with a reason; the citizen is told",
            "parameters": [_ID],
            "requestBody": _body({"reason": _text(1000)}, ["reason"]),
            "responses": {**_ok("The request"), **_errors("401", "403", "404", "409", "422")},
        }
    },
    "/data-requests": {
        "get": {
            "summary": "Every data-subject request (erasure, access) with its deadline",
            "parameters": [{**_STATUS_QUERY, "schema": {"enum": _DATA_STATUSES}}],
            "responses": {**_ok("Data requests", _items()), **_errors("401", "403", "422")},
        }
    },
    "/attachments/{attachment_id}": {
        "get": {
            "summary": "A citizen's uploaded file (staff; audited)",
            "parameters": [
                {
                    "name": "attachment_id",
                    "in": "path",
                    "required": True,
                    "schema": {"type": "integer"},
                }
            ],
            "responses": {
                "200": {"description": "The file (JPEG, PNG or PDF)"},
                **_errors("401", "403", "404"),
            },
        }
    },
}
