"""Reading JSON request bodies strictly."""

from __future__ import annotations

import enum
from typing import Any, TypeVar

from flask import request

from helpdesk.services.errors import InvalidInput

E = TypeVar("E", bound=enum.Enum)


def enum_arg(name: str, enum_cls: type[E]) -> E | None:
    """The query argument `name` as a member of `enum_cls`, None when absent or empty."""
    raw = request.args.get(name)
    if not raw:
        return None
    try:
        return enum_cls(raw)
    except ValueError:
        allowed = ", ".join(str(m.value) for m in enum_cls)
        raise InvalidInput(f"{name} must be one of: {allowed}") from None


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
