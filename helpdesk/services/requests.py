"""Service requests: create, look up by tracking number, change status."""

from __future__ import annotations

import re
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from helpdesk.infra.crypto import blind_index
from helpdesk.models import Channel, RequestStatus, ServiceRequest, StatusChange, utcnow
from helpdesk.services import audit, notifications, request_clock
from helpdesk.services import conversations as convs
from helpdesk.services.errors import Conflict, InvalidInput, NotFound
from helpdesk.services.tracking import new_tracking_number
from helpdesk.services.tracking import normalize_tracking_number as normalize_tracking_number
from helpdesk.text.language import SPOKEN_LANGUAGES
from helpdesk.text.personal import is_mobile_number, is_nik

TRACKING_PREFIXES: dict[str, str] = {
    "ktp_el": "KTP",
    "kartu_keluarga": "KK",
    "akta_kelahiran": "AKL",
    "akta_kematian": "AKM",
    "pindah_datang": "PDH",
    "kia": "KIA",
    "skck": "SKCK",
    "nib": "NIB",
    "pbg": "PBG",
    "pajak_kendaraan": "PKB",
    "pbb": "PBB",
    "bpjs_kesehatan": "BPJS",
    "sktm": "SKTM",
    "surat_domisili": "SKD",
    "kartu_kuning": "AK",
    "paspor": "PSP",
}

# Allowed moves; a request that is completed or rejected is closed.
TRANSITIONS: dict[RequestStatus, frozenset[RequestStatus]] = {
    RequestStatus.SUBMITTED: frozenset(
        {
            RequestStatus.VERIFYING,
            RequestStatus.PROCESSING,
            RequestStatus.NEEDS_DOCUMENTS,
            RequestStatus.REJECTED,
        }
    ),
    RequestStatus.VERIFYING: frozenset(
        {RequestStatus.PROCESSING, RequestStatus.NEEDS_DOCUMENTS, RequestStatus.REJECTED}
    ),
    RequestStatus.NEEDS_DOCUMENTS: frozenset(
        {RequestStatus.VERIFYING, RequestStatus.PROCESSING, RequestStatus.REJECTED}
    ),
    RequestStatus.PROCESSING: frozenset(
        {RequestStatus.NEEDS_DOCUMENTS, RequestStatus.READY, RequestStatus.REJECTED}
    ),
    RequestStatus.READY: frozenset({RequestStatus.COMPLETED}),
    RequestStatus.COMPLETED: frozenset(),
    RequestStatus.REJECTED: frozenset(),
}


def normalize_phone(phone: str) -> str:
    """Indonesian mobile number in +62 form; raises InvalidInput otherwise."""
    compact = re.sub(r"[\s().-]", "", phone)
    if not is_mobile_number(compact):
        raise InvalidInput("phone must be an Indonesian mobile number such as 0812xxxxxxx")
    digits = compact.lstrip("+")
    if digits.startswith("0"):
        digits = "62" + digits[1:]
    return "+" + digits


def create_request(
    session: Session,
    *,
    service_code: str,
    applicant_name: str,
    nik: str,
    phone: str | None,
    known_services: frozenset[str],
    note: str | None = None,
    created_at: datetime | None = None,
    tracking_number: str | None = None,
) -> ServiceRequest:
    """Register a new request in status `submitted` and give it a tracking number.

    Numbers are random within the service's prefix and year (not sequential);
    `tracking_number` fixes one (the demo seed's well-known numbers).
    """
    problems = []
    if service_code not in known_services:
        problems.append(f"unknown service '{service_code}'")
    if not applicant_name.strip():
        problems.append("applicant_name is required")
    if not is_nik(nik):
        problems.append("nik must be 16 digits")
    if problems:
        raise InvalidInput("; ".join(problems))
    when = created_at or utcnow()
    prefix = TRACKING_PREFIXES.get(service_code, "SVC")

    def taken(number: str) -> bool:
        found = session.scalar(
            select(ServiceRequest.id).where(ServiceRequest.tracking_number == number)
        )
        return found is not None

    request = ServiceRequest(
        tracking_number=tracking_number or new_tracking_number(prefix, when.year, taken),
        service_code=service_code,
        applicant_name=applicant_name.strip(),
        nik=nik,
        phone=normalize_phone(phone) if phone else None,
        status=RequestStatus.SUBMITTED,
        created_at=when,
        updated_at=when,
    )
    request.history.append(StatusChange(status=RequestStatus.SUBMITTED, note=note, created_at=when))
    session.add(request)
    session.flush()
    return request


def get_request(session: Session, tracking_number: str) -> ServiceRequest:
    """The request with this tracking number (any spelling), or NotFound."""
    normalized = normalize_tracking_number(tracking_number)
    if normalized is None:
        raise InvalidInput(
            "tracking number must look like KTP-2026-000123", code="invalid_tracking_number"
        )
    request = session.scalar(
        select(ServiceRequest)
        .where(ServiceRequest.tracking_number == normalized)
        .options(selectinload(ServiceRequest.history))
    )
    if request is None:
        raise NotFound(f"no request with tracking number {normalized}", code="request_not_found")
    return request


def find_by_nik(session: Session, nik: str) -> list[ServiceRequest]:
    """Every request of the citizen with this NIK (through the keyed blind index)."""
    return list(
        session.scalars(
            select(ServiceRequest)
            .where(ServiceRequest.nik_index == blind_index(nik))
            .order_by(ServiceRequest.id)
        )
    )


def change_status(
    session: Session,
    tracking_number: str,
    new_status: str,
    note: str | None = None,
    *,
    at: datetime | None = None,
) -> ServiceRequest:
    """Move a request to a new status along an allowed transition and record it."""
    request = get_request(session, tracking_number)
    try:
        target = RequestStatus(new_status)
    except ValueError:
        allowed = ", ".join(s.value for s in RequestStatus)
        raise InvalidInput(f"status must be one of: {allowed}") from None
    if target not in TRANSITIONS[request.status]:
        raise Conflict(  # the status is valid; the case's current state does not allow it
            f"cannot move from {request.status.value} to {target.value}",
            code="invalid_transition",
        )
    when = at or utcnow()
    request.status = target
    request.updated_at = when
    request.history.append(StatusChange(status=target, note=note, created_at=when))
    session.flush()
    return request


def update_status(
    session: Session,
    tracking_number: str,
    new_status: str,
    note: str | None,
    *,
    actor: str,
    at: datetime | None = None,
) -> tuple[ServiceRequest, int]:
    """The status-change workflow (API and console alike): move the request along an allowed
    transition, record it in its history, write and queue the update for every subscribed
    conversation, audit it. Returns the request and how many conversations were told (the
    caller commits, then wakes the worker when that is more than zero).

    An online application's clock follows the status (paused while waiting for documents,
    stopped when closed) and `completed` offers the applicant the SKM survey
    (`request_clock.after_status_change`)."""
    request = change_status(session, tracking_number, new_status, note, at=at)
    told = notifications.notify_status_change(
        session, request.tracking_number, request.status.value, note
    )
    audit.record(
        session,
        actor,
        "request.status",
        "service_request",
        request.tracking_number,
        request.status.value,
    )
    request_clock.after_status_change(session, request, now=at)
    return request, told


def register_request(
    session: Session,
    *,
    service_code: str,
    applicant_name: str,
    nik: str,
    phone: str | None,
    known_services: frozenset[str],
    note: str | None,
    actor: str,
    notify_whatsapp: bool = False,
    language: object = None,
) -> ServiceRequest:
    """The registration workflow: create the request; when the applicant consented at the
    counter (`notify_whatsapp`), subscribe their WhatsApp number to its updates (sent as the
    approved utility template, no chat needed first); audit. The caller commits."""
    request = create_request(
        session,
        service_code=service_code,
        applicant_name=applicant_name,
        nik=nik,
        phone=phone,
        known_services=known_services,
        note=note,
    )
    if notify_whatsapp:
        if not request.phone:
            raise InvalidInput("notify_whatsapp needs a phone number", code="phone_required")
        chat_language = language if language in SPOKEN_LANGUAGES else "id"
        conversation = convs.get_or_create(
            session, Channel.WHATSAPP, request.phone.lstrip("+"), str(chat_language)
        )
        notifications.subscribe(session, conversation, request.tracking_number)
    audit.record(session, actor, "request.create", "service_request", request.tracking_number)
    return request
