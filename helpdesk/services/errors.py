"""Domain errors raised by services and turned into JSON errors by the API."""

from __future__ import annotations


class ServiceError(Exception):
    """A request the domain refuses; `code` is stable and machine-readable."""

    status = 400
    code = "bad_request"

    def __init__(self, message: str, *, code: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        if code is not None:
            self.code = code


class NotFound(ServiceError):
    """The thing asked for does not exist."""

    status = 404
    code = "not_found"


class InvalidInput(ServiceError):
    """The input is malformed or breaks a rule."""

    status = 422
    code = "invalid_input"


class Conflict(ServiceError):
    """The operation does not fit the current state."""

    status = 409
    code = "conflict"
