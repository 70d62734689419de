"""Streaming encryption of backup archives (AES-256-GCM in 1 MiB chunks).

Format: `MAGIC` (8 bytes), a 7-byte random nonce prefix, then chunks, each a 4-byte
big-endian length and the GCM ciphertext of up to `CHUNK` bytes. A chunk's nonce is the
prefix, its 4-byte index and a last-chunk flag, and the header is its associated data: a
reordered, altered or truncated file fails to decrypt instead of restoring part of a
database. Nothing is written in clear: a backup holds names, messages and the (already
encrypted) personal data, so the whole archive is sealed.

The key is `BACKUP_KEY`: 32 random bytes, urlsafe base64 (`helpdesk backup-key` makes
one). Keep it off the machine, beside ENCRYPTION_KEYS and BLIND_INDEX_KEY.
"""

from __future__ import annotations

import base64
import binascii
import os
import struct
from typing import BinaryIO

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

MAGIC = b"HWBKUP01"
PREFIX_BYTES = 7
CHUNK = 1024 * 1024
HEADER_BYTES = len(MAGIC) + PREFIX_BYTES


class BackupKeyError(ValueError):
    """BACKUP_KEY is malformed, or the backup was sealed with another key / was altered."""


def generate_backup_key() -> str:
    """A new random backup key (32 bytes, urlsafe base64)."""
    return base64.urlsafe_b64encode(os.urandom(32)).decode()


def parse_key(text: str) -> bytes:
    """The 32 key bytes of a BACKUP_KEY value."""
    try:
        raw = base64.urlsafe_b64decode(text.strip().encode())
    except (binascii.Error, ValueError):
        raise BackupKeyError("BACKUP_KEY is not urlsafe base64") from None
    if len(raw) != 32:
        raise BackupKeyError("BACKUP_KEY must be 32 bytes (run `helpdesk backup-key`)")
    return raw


def is_sealed(path: os.PathLike[str] | str) -> bool:
    """Whether a file starts like a sealed backup."""
    with open(path, "rb") as handle:
        return handle.read(len(MAGIC)) == MAGIC


def _nonce(prefix: bytes, index: int, last: bool) -> bytes:
    return prefix + struct.pack(">I", index) + (b"\x01" if last else b"\x00")


class SealingWriter:
    """A write-only file object that encrypts into `sink`; `close()` seals the last chunk."""

    def __init__(self, sink: BinaryIO, key: bytes) -> None:
        self._sink = sink
        self._aead = AESGCM(key)
        self._prefix = os.urandom(PREFIX_BYTES)
        self._header = MAGIC + self._prefix
        self._buffer = bytearray()
        self._index = 0
        self._closed = False
        sink.write(self._header)

    def write(self, data: bytes) -> int:
        """Buffer `data`; full chunks are encrypted and written at once."""
        self._buffer.extend(data)
        while len(self._buffer) > CHUNK:  # keep at least one byte back for the last chunk
            self._emit(bytes(self._buffer[:CHUNK]), last=False)
            del self._buffer[:CHUNK]
        return len(data)

    def _emit(self, plain: bytes, last: bool) -> None:
        sealed = self._aead.encrypt(_nonce(self._prefix, self._index, last), plain, self._header)
        self._sink.write(struct.pack(">I", len(sealed)) + sealed)
        self._index += 1

    def flush(self) -> None:
        """Nothing to do until close (chunks are written as they fill)."""

    def close(self) -> None:
        """Encrypt the rest as the last chunk (possibly empty)."""
        if not self._closed:
            self._emit(bytes(self._buffer), last=True)
            self._buffer.clear()
            self._closed = True


class OpeningReader:
    """A read-only file object giving the clear bytes of a sealed stream, chunk by chunk;
    every chunk is authenticated before a byte of it is returned."""

    def __init__(self, source: BinaryIO, key: bytes) -> None:
        self._source = source
        self._aead = AESGCM(key)
        header = source.read(HEADER_BYTES)
        if len(header) != HEADER_BYTES or not header.startswith(MAGIC):
            raise BackupKeyError("not a sealed Halo Warga backup")
        self._header = header
        self._prefix = header[len(MAGIC) :]
        self._index = 0
        self._pending = self._read_sealed()
        self._plain = b""
        self._done = False

    def _read_sealed(self) -> bytes | None:
        size = self._source.read(4)
        if not size:
            return None
        if len(size) != 4:
            raise BackupKeyError("backup file is truncated")
        (length,) = struct.unpack(">I", size)
        sealed = self._source.read(length)
        if len(sealed) != length:
            raise BackupKeyError("backup file is truncated")
        return sealed

    def _next_chunk(self) -> None:
        if self._pending is None:
            if not self._done:
                raise BackupKeyError("backup file is truncated (no last chunk)")
            return
        sealed = self._pending
        self._pending = self._read_sealed()
        last = self._pending is None
        try:
            self._plain += self._aead.decrypt(
                _nonce(self._prefix, self._index, last), sealed, self._header
            )
        except InvalidTag:
            raise BackupKeyError(
                "backup does not open with BACKUP_KEY (another key, or the file was altered "
                "or truncated)"
            ) from None
        self._index += 1
        self._done = last

    def read(self, size: int = -1) -> bytes:
        """Up to `size` clear bytes (all the rest when negative)."""
        while (size < 0 or len(self._plain) < size) and not self._done:
            self._next_chunk()
        if size < 0:
            size = len(self._plain)
        out, self._plain = self._plain[:size], self._plain[size:]
        return out
