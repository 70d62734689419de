"""Reading JSON request bodies strictly."""

from __future__ import annotations

from typing import Any

from flask import request

from helpdesk.services.errors import InvalidInput


def json_object() -> dict[str, Any]:
    """The request body as a JSON object, or InvalidInput with a clear message."""
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        raise InvalidInput("body must be a JSON object", code="invalid_json")
    return data


def optional_str(data: dict[str, Any], key: str, max_length: int = 4000) -> str | None:
    """A string field that may be absent or null."""
    value = data.get(key)
    if value is None:
        return None
    if not isinstance(value, str):
        raise InvalidInput(f"{key} must be a string")
    if len(value) > max_length:
        raise InvalidInput(f"{key} is longer than {max_length} characters")
    return value


def required_str(data: dict[str, Any], key: str, max_length: int = 4000) -> str:
    """A string field that must be present and non-empty."""
    value = optional_str(data, key, max_length)
    if value is None or not value.strip():
        raise InvalidInput(f"{key} is required")
    return value
