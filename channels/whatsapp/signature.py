"""Meta's webhook signature: `X-Hub-Signature-256: sha256=<HMAC-SHA256(app secret, raw body)>`."""

from __future__ import annotations

import hashlib
import hmac

SIGNATURE_HEADER = "X-Hub-Signature-256"
PREFIX = "sha256="


def sign(app_secret: str, body: bytes) -> str:
    """The header value Meta sends for `body`."""
    digest = hmac.new(app_secret.encode(), body, hashlib.sha256).hexdigest()
    return PREFIX + digest


def is_valid(app_secret: str, body: bytes, header: str) -> bool:
    """Whether `header` signs `body` with `app_secret` (constant-time; case-insensitive hex)."""
    if not app_secret or not header.startswith(PREFIX):
        return False
    expected = sign(app_secret, body).encode()
    return hmac.compare_digest(expected, PREFIX.encode() + header[len(PREFIX) :].lower().encode())
