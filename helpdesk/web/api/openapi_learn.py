"""OpenAPI paths of the learning routes: the teach-the-bot inbox and catalog versions."""

from __future__ import annotations

from typing import Any

from helpdesk.services.nlu_inbox import REASONS

_JSON = "application/json"
_ERROR = {"$ref": "#/components/schemas/Error"}
_DATE = {"type": "string", "format": "date"}
_CODE = {"name": "code", "in": "path", "required": True, "schema": {"type": "string"}}
_VERSION = {"name": "version", "in": "path", "required": True, "schema": {"type": "integer"}}
_ID = {"name": "item_id", "in": "path", "required": True, "schema": {"type": "integer"}}


def _ok(description: str, schema: dict[str, Any], status: str = "200") -> dict[str, Any]:
    return {status: {"description": description, "content": {_JSON: {"schema": schema}}}}


def _err(*statuses: str) -> dict[str, Any]:
    return {s: {"description": "Error", "content": {_JSON: {"schema": _ERROR}}} for s in statuses}


def _body(schema: dict[str, Any]) -> dict[str, Any]:
    return {"required": True, "content": {_JSON: {"schema": schema}}}


_ITEM = {
    "type": "object",
    "properties": {
        "id": {"type": "integer"},
        "text": {"type": "string", "description": "personal data masked"},
        "language": {"type": "string", "nullable": True},
        "reason": {
            "enum": [
                "fallback",
                "low_confidence",
                "handoff_after_miss",
                "survey_complaint",
                "manual",
            ]
        },
        "intent": {"type": "string", "nullable": True},
        "confidence": {"type": "number", "nullable": True},
        "status": {"enum": ["new", "labelled", "out_of_scope"]},
        "label": {"type": "object", "nullable": True},
        "conversation_id": {"type": "integer", "nullable": True},
        "created_at": {"type": "string", "format": "date-time"},
    },
}
_VERSION_INFO = {
    "type": "object",
    "properties": {
        "version": {"type": "integer"},
        "status": {"enum": ["seed", "draft", "published", "superseded"]},
        "based_on": {"type": "integer", "nullable": True},
        "created_by": {"type": "string"},
        "created_at": {"type": "string", "format": "date-time", "nullable": True},
        "published_by": {"type": "string", "nullable": True},
        "published_at": {"type": "string", "format": "date-time", "nullable": True},
    },
}

PATHS: dict[str, Any] = {
    "/nlu/inbox": {
        "get": {
            "summary": "Messages the bot did not understand (teach-the-bot inbox)",
            "parameters": [
                {
                    "name": "status",
                    "in": "query",
                    "required": False,
                    "schema": {"enum": ["new", "labelled", "out_of_scope", "all"]},
                }
            ],
            "responses": {
                **_ok(
                    "Items, newest first",
                    {"type": "object", "properties": {"items": {"type": "array", "items": _ITEM}}},
                ),
                **_err("401", "403", "422"),
            },
        },
        "post": {
            "summary": "Add a message by hand (e.g. a survey complaint about the bot)",
            "requestBody": _body(
                {
                    "type": "object",
                    "required": ["text"],
                    "properties": {
                        "text": {
                            "type": "string",
                            "minLength": 1,
                            "maxLength": 1000,
                            "pattern": "^[\\s\\x1c-\\x1f\\x85]*[^/\\s\\x1c-\\x1f\\x85]",
                            "description": "not a button payload (those start with /)",
                        },
                        "reason": {"enum": [*REASONS, None]},
                        "language": {"type": ["string", "null"], "maxLength": 8},
                    },
                }
            ),
            "responses": {**_ok("The item", _ITEM, "201"), **_err("401", "403", "422")},
        },
    },
    "/nlu/inbox/{item_id}/label": {
        "post": {
            "summary": "Label an item with an intent (and service), or mark it out of scope",
            "parameters": [_ID],
            "requestBody": _body(
                {
                    "type": "object",
                    "properties": {
                        "intent": {
                            "type": ["string", "null"],
                            "maxLength": 64,
                            "example": "ask_requirements",
                        },
                        "service": {"type": ["string", "null"], "maxLength": 40, "example": "skck"},
                        "out_of_scope": {"type": "boolean"},
                    },
                    # out of scope, or one of the bot's intents (document() lists them)
                    "anyOf": [
                        {
                            "required": ["out_of_scope"],
                            "properties": {"out_of_scope": {"const": True}},
                        },
                        {"required": ["intent"], "properties": {"intent": {"type": "string"}}},
                    ],
                }
            ),
            "responses": {**_ok("The item", _ITEM), **_err("401", "403", "404", "422")},
        }
    },
    "/nlu/export": {
        "get": {
            "summary": "The labelled examples as Rasa NLU YAML (personal data masked)",
            "responses": {
                "200": {
                    "description": "Rasa 3 NLU training data",
                    "content": {
                        "application/x-yaml": {
                            "schema": {
                                "type": "object",
                                "required": ["version", "nlu"],
                                "properties": {
                                    "version": {"type": "string"},
                                    "nlu": {"type": "array", "items": {"type": "object"}},
                                },
                            }
                        }
                    },
                },
                **_err("401", "403"),
            },
        }
    },
    "/nlu/fallback-rate": {
        "get": {
            "summary": "Citizen messages, misses and their ratio per day (default last 30 days)",
            "parameters": [
                {"name": "from", "in": "query", "required": False, "schema": _DATE},
                {"name": "to", "in": "query", "required": False, "schema": _DATE},
            ],
            "responses": {**_ok("Per day", {"type": "object"}), **_err("401", "403", "422")},
        }
    },
    "/services/{code}/versions": {
        "get": {
            "summary": "Every version of a service with who and when (0 = the YAML seed)",
            "parameters": [_CODE],
            "responses": {
                **_ok(
                    "Versions",
                    {
                        "type": "object",
                        "properties": {"items": {"type": "array", "items": _VERSION_INFO}},
                    },
                ),
                **_err("401", "403", "404"),
            },
        }
    },
    "/services/{code}/versions/{version}": {
        "get": {
            "summary": "One version's document, every language",
            "parameters": [_CODE, _VERSION],
            "responses": {**_ok("The document", {"type": "object"}), **_err("401", "403", "404")},
        }
    },
    "/services/{code}/versions/{version}/publish": {
        "post": {
            "summary": "Publish a draft (by someone other than its author); served at once",
            "parameters": [_CODE, _VERSION],
            "responses": {
                **_ok("The published version", _VERSION_INFO),
                **_err("401", "403", "404", "409", "422"),
            },
        }
    },
    "/services/{code}/versions/{version}/restore": {
        "post": {
            "summary": "A new draft with an earlier version's document (to be published)",
            "parameters": [_CODE, _VERSION],
            "responses": {
                **_ok("The new draft", _VERSION_INFO, "201"),
                **_err("401", "403", "404", "422"),
            },
        }
    },
}

PATCH_SERVICE: dict[str, Any] = {
    "summary": "Part of one language's service document -> a new draft {version}",
    "parameters": [
        _CODE,
        {
            "name": "lang",
            "in": "query",
            "required": False,
            "schema": {"enum": ["id", "jv", "su", "en"]},
        },
    ],
    "requestBody": _body({"type": "object", "example": {"fee": {"text": "Gratis."}}}),
    "responses": {**_ok("The draft", _VERSION_INFO, "201"), **_err("401", "403", "404", "422")},
}
