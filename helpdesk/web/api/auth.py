"""Bearer-token authentication for the REST API."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import ParamSpec, TypeVar

from flask import g, request

from helpdesk.services.errors import ServiceError
from helpdesk.services.tokens import find_token, verify_token
from helpdesk.web.extensions import database
from helpdesk.web.security.events import dead_token_used

P = ParamSpec("P")
R = TypeVar("R")


class Unauthorized(ServiceError):
    """Missing or wrong credentials."""

    status = 401
    code = "unauthorized"


def require_token(view: Callable[P, R]) -> Callable[P, R]:
    """Reject the request unless it carries a live `Authorization: Bearer <token>`."""

    @wraps(view)
    def wrapped(*args: P.args, **kwargs: P.kwargs) -> R:
        header = request.headers.get("Authorization", "")
        scheme, _, token = header.partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise Unauthorized("missing bearer token")
        session = database().request_session()
        record = verify_token(session, token.strip())
        if record is None:
            dead = find_token(session, token.strip())
            if dead is not None:
                kind = "revoked_token_used" if dead.revoked_at else "expired_token_used"
                dead_token_used(kind, dead.name)
            raise Unauthorized("invalid, expired or revoked token")
        g.api_actor = f"token:{record.name}"
        g.api_scope = record.scope
        if session.dirty:  # last_used_at moved on (once a minute, see verify_token)
            session.commit()
        return view(*args, **kwargs)

    return wrapped


class Forbidden(ServiceError):
    """The token is valid but its scope does not allow this."""

    status = 403
    code = "forbidden"


def require_staff(view: Callable[P, R]) -> Callable[P, R]:
    """Reject bot-scoped tokens (use under `require_token`)."""

    @wraps(view)
    def wrapped(*args: P.args, **kwargs: P.kwargs) -> R:
        if not is_staff():
            raise Forbidden("this token's scope (bot) does not allow this")
        return view(*args, **kwargs)

    return wrapped


def is_staff() -> bool:
    """Whether the caller's token has the staff scope."""
    return bool(g.get("api_scope") == "staff")


def current_actor() -> str:
    """Who is calling, for the audit trail."""
    actor: str = g.get("api_actor", "anonymous")
    return actor
