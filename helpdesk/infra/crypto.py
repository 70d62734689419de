"""Encryption at rest for personal data (NIK, phone numbers, TOTP secrets).

- `EncryptedString`: a column type that stores `MultiFernet` tokens (AES-128-CBC + HMAC,
  random IV) and gives back the clear text. Use it for any column holding personal data
  or secrets: `totp_secret: Mapped[str] = mapped_column(EncryptedString())`.
- `blind_index(value)`: a keyed HMAC-SHA256 of a normalised value, for equality lookups
  (`ServiceRequest.nik_index`); the key is separate from the encryption keys.

Keys come from the environment:
- `ENCRYPTION_KEYS`: comma-separated Fernet keys, the newest first. New data is encrypted
  with the first; every listed key still decrypts. Rotation: put a new key in front, run
  `helpdesk reencrypt`, then drop the old key (SECURITY.md).
- `BLIND_INDEX_KEY`: the HMAC key of the blind index (rotating it needs `helpdesk reencrypt`
  too, which recomputes the indexes).
`make run` generates both into `var/secrets.env` when they are unset (development only).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import threading
from collections.abc import Sequence
from typing import Any

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from sqlalchemy import Text
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator

ENV_KEYS = "ENCRYPTION_KEYS"
ENV_INDEX_KEY = "BLIND_INDEX_KEY"


class MissingKeys(RuntimeError):
    """The encryption keys are missing or malformed."""


class DecryptionFailed(RuntimeError):
    """A stored value could not be decrypted with any configured key."""


def generate_key() -> str:
    """A new random Fernet key (urlsafe base64, 32 bytes)."""
    return Fernet.generate_key().decode()


def generate_index_key() -> str:
    """A new random blind-index key."""
    return base64.urlsafe_b64encode(os.urandom(32)).decode()


class Keyring:
    """The encryption keys (newest first) and the blind-index key of this process."""

    def __init__(self, keys: Sequence[str], index_key: str) -> None:
        cleaned = [k.strip() for k in keys if k.strip()]
        if not cleaned:
            raise MissingKeys(f"{ENV_KEYS} is empty")
        if not index_key.strip():
            raise MissingKeys(f"{ENV_INDEX_KEY} is empty")
        try:
            self._fernets = [Fernet(k.encode()) for k in cleaned]
        except (ValueError, TypeError) as exc:
            raise MissingKeys(f"{ENV_KEYS} holds a malformed key: {exc}") from None
        self._multi = MultiFernet(self._fernets)
        self._index_key = index_key.strip().encode()

    def encrypt(self, value: str) -> str:
        """A Fernet token of `value` under the newest key."""
        return self._multi.encrypt(value.encode()).decode()

    def decrypt(self, token: str) -> str:
        """The clear text of a token made with any configured key."""
        try:
            return self._multi.decrypt(token.encode()).decode()
        except InvalidToken:
            raise DecryptionFailed(
                "stored value does not decrypt with any key in ENCRYPTION_KEYS"
            ) from None

    def encrypt_bytes(self, data: bytes) -> bytes:
        """A Fernet token of a file's bytes under the newest key (uploaded documents)."""
        return self._multi.encrypt(data)

    def decrypt_bytes(self, token: bytes) -> bytes:
        """The bytes of a token made with any configured key."""
        try:
            return self._multi.decrypt(token)
        except InvalidToken:
            raise DecryptionFailed(
                "stored file does not decrypt with any key in ENCRYPTION_KEYS"
            ) from None

    def rotate(self, token: str) -> str:
        """The token re-encrypted under the newest key (same clear text)."""
        try:
            return self._multi.rotate(token.encode()).decode()
        except InvalidToken:
            raise DecryptionFailed(
                "stored value does not decrypt with any key in ENCRYPTION_KEYS"
            ) from None

    def rotate_bytes(self, token: bytes) -> bytes:
        """A file's token re-encrypted under the newest key (same bytes inside)."""
        try:
            return self._multi.rotate(token)
        except InvalidToken:
            raise DecryptionFailed(
                "stored file does not decrypt with any key in ENCRYPTION_KEYS"
            ) from None

    def is_current_bytes(self, token: bytes) -> bool:
        """Whether a file's token was made with the newest key."""
        try:
            self._fernets[0].decrypt(token)
        except InvalidToken:
            return False
        return True

    def is_current(self, token: str) -> bool:
        """Whether the token was made with the newest key."""
        try:
            self._fernets[0].decrypt(token.encode())
        except InvalidToken:
            return False
        return True

    def blind_index(self, value: str) -> str:
        """Keyed HMAC-SHA256 (hex) of the value with spaces removed."""
        normalised = "".join(value.split())
        return hmac.new(self._index_key, normalised.encode(), hashlib.sha256).hexdigest()


_lock = threading.Lock()
_keyring: Keyring | None = None


def keyring() -> Keyring:
    """The process-wide keyring, read from the environment on first use."""
    global _keyring
    with _lock:
        if _keyring is None:
            keys = os.environ.get(ENV_KEYS, "")
            index_key = os.environ.get(ENV_INDEX_KEY, "")
            if not keys.strip() or not index_key.strip():
                raise MissingKeys(
                    f"{ENV_KEYS} and {ENV_INDEX_KEY} must be set to store personal data "
                    "(`make run` generates development keys into var/secrets.env; "
                    "see SECURITY.md)"
                )
            _keyring = Keyring(keys.split(","), index_key)
        return _keyring


def configure(keys: Sequence[str], index_key: str) -> Keyring:
    """Use these keys from now on (tests, tools); returns the keyring."""
    global _keyring
    ring = Keyring(keys, index_key)
    with _lock:
        _keyring = ring
    return ring


def reset() -> None:
    """Forget the keyring; the next use reads the environment again."""
    global _keyring
    with _lock:
        _keyring = None


def encrypt(value: str) -> str:
    """Encrypt with the process keyring."""
    return keyring().encrypt(value)


def decrypt(token: str) -> str:
    """Decrypt with the process keyring."""
    return keyring().decrypt(token)


def blind_index(value: str) -> str:
    """The blind index of a value with the process keyring."""
    return keyring().blind_index(value)


class EncryptedString(TypeDecorator[str]):
    """A string stored as a Fernet token (Text column); None stays None.

    Equality filters on this column cannot work (every token is different): keep a
    `blind_index` column beside it for lookups.
    """

    impl = Text
    cache_ok = True

    def process_bind_param(self, value: str | None, dialect: Dialect) -> str | None:
        """Encrypt on the way in."""
        if value is None:
            return None
        return keyring().encrypt(str(value))

    def process_result_value(self, value: str | None, dialect: Dialect) -> str | None:
        """Decrypt on the way out."""
        if value is None:
            return None
        return keyring().decrypt(value)


class EncryptedJSON(TypeDecorator[Any]):
    """A JSON document stored as one Fernet token (e.g. raw webhook payloads with phone
    numbers); the database cannot query inside it."""

    impl = Text
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Dialect) -> str | None:
        """Serialise, then encrypt."""
        if value is None:
            return None
        return keyring().encrypt(json.dumps(value, ensure_ascii=False, separators=(",", ":")))

    def process_result_value(self, value: str | None, dialect: Dialect) -> Any:
        """Decrypt, then parse."""
        if value is None:
            return None
        return json.loads(keyring().decrypt(value))
