"""What the console's request pages show: the queue's filters, a form's answers with their
labels, the documents of a request with their checklist labels (no routes here)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from helpdesk.catalog import Application
from helpdesk.models import Attachment, RequestStatus, ServiceRequest
from helpdesk.text.personal import mask_nik, mask_phone


@dataclass(frozen=True)
class QueueFilters:
    """The queue's filters from the query string (unknown values are ignored)."""

    status: RequestStatus | None = None
    service: str | None = None
    overdue: bool = False


def queue_filters(args: Mapping[str, str]) -> QueueFilters:
    raw = args.get("status") or ""
    status = RequestStatus(raw) if raw in {s.value for s in RequestStatus} else None
    return QueueFilters(status, args.get("service") or None, args.get("overdue") == "1")


def answer_rows(
    form: Application | None, answers: dict[str, Any], revealed: bool
) -> list[tuple[str, str]]:
    """(label, answer) in the form's order; the NIK and phone masked unless revealed."""
    if form is None:
        return [(key, str(value)) for key, value in answers.items()]
    rows = []
    for field in form.fields:
        value = answers.get(field.key)
        if value is None:
            rows.append((field.label, "–"))
        elif field.type == "nik" and not revealed:
            rows.append((field.label, mask_nik(str(value))))
        elif field.type == "phone" and not revealed:
            rows.append((field.label, mask_phone(str(value)) or "–"))
        else:
            rows.append((field.label, str(value)))
    return rows


@dataclass(frozen=True)
class DocumentRow:
    """One document of the checklist and the files sent for it."""

    key: str
    label: str
    required: bool
    files: list[Attachment]
    asked: bool


def request_documents(
    session: Session, request: ServiceRequest, form: Application | None
) -> list[DocumentRow]:
    """The checklist with its files (and any file filed under another key, last)."""
    files = session.scalars(
        select(Attachment).where(Attachment.request_id == request.id).order_by(Attachment.id)
    ).all()
    asked = set(request.missing_documents or [])
    rows = []
    known = set()
    for document in form.documents if form else ():
        known.add(document.key)
        mine = [f for f in files if f.requirement == document.key]
        rows.append(
            DocumentRow(
                document.key, document.label, document.required, mine, document.key in asked
            )
        )
    others = [f for f in files if f.requirement not in known]
    if others:
        rows.append(DocumentRow("lainnya", "Lainnya", False, others, False))
    return rows
