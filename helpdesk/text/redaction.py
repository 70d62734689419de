"""Keep secrets and personal data out of log files.

- httpx/httpcore log every request URL at INFO, and the Telegram Bot API puts the bot
  token in the URL: they are quieted to WARNING.
- `RedactingFilter`, installed on every handler of the root logger, replaces each
  configured secret (and anything shaped like a bot token, an API token, a `token=` query
  value or a NIK) with `[REDACTED]` in the message and in tracebacks.
"""

from __future__ import annotations

import logging
import os
import re
from collections.abc import Iterable, Mapping

from helpdesk.text.personal import NIK_RE

SECRET_SETTINGS = (
    "SECRET_KEY",
    "RASA_TOKEN",
    "ACTION_SERVER_SECRET",
    "HELPDESK_API_TOKEN",
    "TELEGRAM_BOT_TOKEN",
    "TELEGRAM_WEBHOOK_SECRET",
    "WHATSAPP_ACCESS_TOKEN",
    "WHATSAPP_APP_SECRET",
    "WHATSAPP_VERIFY_TOKEN",
    "ENCRYPTION_KEYS",
    "BLIND_INDEX_KEY",
    "SECURITY_ALERT_WEBHOOK_URL",
)
QUIET_LOGGERS = ("httpx", "httpcore", "urllib3", "telegram.request", "hpack")
MASK = "[REDACTED]"
PATTERNS = (
    re.compile(r"bot\d{5,}:[A-Za-z0-9_-]{20,}"),  # Telegram bot token in a URL
    re.compile(r"\bhw_[A-Za-z0-9_-]{20,}"),  # our API tokens
    re.compile(r"(?<=[?&]token=)[^&\s'\"]+"),  # ?token=... (Rasa, anything else)
    re.compile(r"(?i)(?<=bearer )[A-Za-z0-9._~+/=-]{12,}"),
    NIK_RE,  # a NIK (16 digits, maybe grouped)
)


def configured_secrets(env: Mapping[str, str] | None = None) -> list[str]:
    """The secret values set in the environment (comma lists split), longest first."""
    environ = os.environ if env is None else env
    values: set[str] = set()
    for name in SECRET_SETTINGS:
        raw = environ.get(name, "").strip()
        if not raw:
            continue
        values.add(raw)
        values.update(part.strip() for part in raw.split(",") if len(part.strip()) >= 8)
    return sorted((v for v in values if len(v) >= 8), key=len, reverse=True)


def redact(text: str, secrets: Iterable[str]) -> str:
    """`text` with every secret and secret-shaped value masked."""
    for secret in secrets:
        if secret in text:
            text = text.replace(secret, MASK)
    for pattern in PATTERNS:
        text = pattern.sub(MASK, text)
    return text


class RedactingFilter(logging.Filter):
    """Masks secrets in a record's final message and traceback (install on handlers)."""

    def __init__(self, secrets: Iterable[str] | None = None) -> None:
        super().__init__()
        self.secrets = list(secrets) if secrets is not None else configured_secrets()

    def filter(self, record: logging.LogRecord) -> bool:
        """Rewrite the record in place; never drop it."""
        try:
            message = record.getMessage()
        except Exception:  # a broken format string must not hide the record
            message = str(record.msg)
        record.msg = redact(message, self.secrets)
        record.args = None
        if record.exc_info:
            record.exc_text = redact(
                logging.Formatter().formatException(record.exc_info), self.secrets
            )
            record.exc_info = None
        if record.stack_info:
            record.stack_info = redact(record.stack_info, self.secrets)
        return True


def install(logger: logging.Logger | None = None) -> RedactingFilter:
    """Quiet the chatty HTTP loggers; put one redacting filter on every handler of `logger`
    (the root logger by default). Idempotent."""
    for name in QUIET_LOGGERS:
        logging.getLogger(name).setLevel(logging.WARNING)
    target = logger or logging.getLogger()
    redactor = RedactingFilter()
    for handler in target.handlers:
        for old in [f for f in handler.filters if isinstance(f, RedactingFilter)]:
            handler.removeFilter(old)
        handler.addFilter(redactor)
    return redactor
