"""OpenAPI paths of online applications (the bot's form hook, the staff request list)."""

from __future__ import annotations

from typing import Any

from helpdesk.models import RequestStatus

_JSON = "application/json"
_ERROR = {"$ref": "#/components/schemas/Error"}
_CID = {"name": "conversation_id", "in": "path", "required": True, "schema": {"type": "string"}}


def _query(name: str, schema: dict[str, Any], description: str) -> dict[str, Any]:
    return {
        "name": name,
        "in": "query",
        "required": False,
        "schema": schema,
        "description": description,
    }


def _errors(*statuses: str) -> dict[str, Any]:
    return {s: {"description": "Error", "content": {_JSON: {"schema": _ERROR}}} for s in statuses}


LIST_REQUESTS: dict[str, Any] = {
    "summary": "Requests, nearest deadline first (open ones unless `status` is given)",
    "parameters": [
        _query("status", {"enum": [s.value for s in RequestStatus]}, "Only this status"),
        _query("unit", {"type": "string"}, "Only this unit"),
        _query("service", {"type": "string"}, "Only this service code"),
        _query(
            "overdue",
            {"enum": ["1", "0", "true", "false", "yes", "no"]},
            "Only open requests past their deadline",
        ),
    ],
    "responses": {
        "200": {
            "description": "Requests",
            "content": {
                _JSON: {
                    "schema": {
                        "type": "object",
                        "properties": {
                            "items": {
                                "type": "array",
                                "items": {"$ref": "#/components/schemas/Request"},
                            }
                        },
                    }
                }
            },
        },
        **_errors("401", "403", "422"),
    },
}

APPLICATION_PATHS: dict[str, Any] = {
    "/conversations/{conversation_id}/application-form": {
        "post": {
            "summary": "Open the online application form in a chat (bot scope)",
            "parameters": [_CID],
            "requestBody": {
                "required": True,
                "content": {
                    _JSON: {
                        "schema": {
                            "type": "object",
                            "properties": {"service": {"type": ["string", "null"]}},
                        }
                    }
                },
            },
            "responses": {
                "200": {
                    "description": "The form's first prompts",
                    "content": {
                        _JSON: {
                            "schema": {
                                "type": "object",
                                "properties": {"messages": {"type": "array"}},
                            }
                        }
                    },
                },
                **_errors("401", "404", "422"),
            },
        }
    }
}
