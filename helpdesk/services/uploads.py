"""Citizens' files: JPEG, PNG or PDF by their content (not their name), at most 10 MB,
stored under a random key outside the web root, encrypted at rest (`ENCRYPTION_KEYS`,
like every personal field); `read()` gives the clear bytes back. Files stored before
encryption (plain JPEG/PNG/PDF on disk) are still read as they are."""

from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from helpdesk.infra.config import REPO_ROOT, Settings
from helpdesk.infra.crypto import DecryptionFailed, keyring
from helpdesk.models import Attachment, Conversation, utcnow
from helpdesk.services.errors import ServiceError

SIGNATURES: tuple[tuple[bytes, str, str], ...] = (
    (b"\xff\xd8\xff", "image/jpeg", ".jpg"),
    (b"\x89PNG\r\n\x1a\n", "image/png", ".png"),
    (b"%PDF-", "application/pdf", ".pdf"),
)


class UploadRejected(ServiceError):
    """A file we do not accept; `code` says why (too_large, unsupported_type, empty_file)."""

    status = 422
    code = "upload_rejected"


class UploadTooLarge(UploadRejected):
    """Over the size limit."""

    status = 413
    code = "file_too_large"


@dataclass(frozen=True)
class Sniffed:
    """What the bytes are."""

    content_type: str
    extension: str


def upload_dir(settings: Settings) -> Path:
    """Where uploads live (var/uploads unless UPLOAD_DIR says otherwise)."""
    folder = settings.upload_dir or REPO_ROOT / "var" / "uploads"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def sniff(head: bytes) -> Sniffed | None:
    """The type by magic bytes, or None when it is none of ours."""
    for magic, content_type, extension in SIGNATURES:
        if head.startswith(magic):
            return Sniffed(content_type, extension)
    return None


def safe_filename(name: str | None, extension: str) -> str:
    """A display name without paths or odd characters, with the real type's extension."""
    base = Path(name or "lampiran").name
    stem = re.sub(r"[^\w\-. ]", "_", Path(base).stem)[:80].strip(" ._") or "lampiran"
    return f"{stem}{extension}"


def store(
    session: Session,
    settings: Settings,
    conversation: Conversation | None,
    data: bytes,
    filename: str | None,
) -> Attachment:
    """Check and store one file for this conversation (None: the web application form);
    raises UploadRejected."""
    limit = settings.upload_max_bytes
    if len(data) > limit:
        raise UploadTooLarge(
            f"The file is larger than {limit // (1024 * 1024)} MB.", code="file_too_large"
        )
    if not data:
        raise UploadRejected("The file is empty.", code="empty_file")
    kind = sniff(data[:16])
    if kind is None:
        raise UploadRejected(
            "Only JPEG or PNG photos and PDF documents are accepted (checked by content).",
            code="unsupported_type",
        )
    key = secrets.token_hex(16) + kind.extension
    path = upload_dir(settings) / key
    path.write_bytes(keyring().encrypt_bytes(data))
    attachment = Attachment(
        storage_key=key,
        filename=safe_filename(filename, kind.extension),
        content_type=kind.content_type,
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        conversation_id=conversation.id if conversation is not None else None,
    )
    session.add(attachment)
    session.flush()
    return attachment


def read(settings: Settings, attachment: Attachment) -> bytes | None:
    """The clear bytes of a stored file, or None when it is gone (erased)."""
    path = upload_dir(settings) / attachment.storage_key
    if not path.exists():
        return None
    stored = path.read_bytes()
    if sniff(stored[:16]) is not None:
        return stored  # stored before files were encrypted
    return keyring().decrypt_bytes(stored)


def reencrypt_files(folder: Path) -> tuple[int, list[str]]:
    """Every stored file under the newest key (`helpdesk reencrypt`): files under an older
    key are rotated, files stored before encryption are encrypted; each is replaced
    atomically. Returns how many changed, and the files no configured key opens (left as
    they are: their key is missing from ENCRYPTION_KEYS)."""
    ring = keyring()
    changed = 0
    unreadable: list[str] = []
    for path in sorted(p for p in folder.iterdir() if p.is_file() and not p.name.startswith(".")):
        stored = path.read_bytes()
        if sniff(stored[:16]) is not None:
            fresh = ring.encrypt_bytes(stored)
        elif ring.is_current_bytes(stored):
            continue
        else:
            try:
                fresh = ring.rotate_bytes(stored)
            except DecryptionFailed:
                unreadable.append(path.name)
                continue
        temporary = path.with_name(f".{path.name}.tmp")
        temporary.write_bytes(fresh)
        temporary.replace(path)
        changed += 1
    return changed, unreadable


def purge_unclaimed(session: Session, folder: Path, older_than: timedelta) -> tuple[int, int]:
    """Files nobody will claim, older than `older_than` (`helpdesk purge`): web-form uploads
    kept for a next try that never came (no request, conversation, message or complaint),
    and files on disk without a row (a form refused after they were written). Returns
    (rows, files) deleted; the caller commits."""
    cutoff = utcnow() - older_than
    unclaimed = list(
        session.scalars(
            select(Attachment).where(
                Attachment.request_id.is_(None),
                Attachment.conversation_id.is_(None),
                Attachment.message_id.is_(None),
                Attachment.complaint_id.is_(None),
                Attachment.created_at < cutoff,
            )
        )
    )
    for attachment in unclaimed:
        (folder / attachment.storage_key).unlink(missing_ok=True)
        session.delete(attachment)
    session.flush()
    known = set(session.scalars(select(Attachment.storage_key)))
    stray = 0
    oldest = cutoff.timestamp()
    for path in folder.iterdir():
        if path.is_file() and path.name not in known and path.stat().st_mtime < oldest:
            path.unlink(missing_ok=True)
            stray += 1
    return len(unclaimed), stray
