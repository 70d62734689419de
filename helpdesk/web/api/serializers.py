"""Model → JSON. Personal data (NIK, phone) leaves the API masked."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from helpdesk.models import Conversation, Message, ServiceRequest
from helpdesk.services.conversations import QueueInfo
from helpdesk.text.personal import mask_nik, mask_phone


def iso(value: datetime | None) -> str | None:
    """ISO-8601 with offset, or None."""
    return value.isoformat() if value else None


def request_json(request: ServiceRequest, service_name: str | None) -> dict[str, Any]:
    """A service request with its status history."""
    return {
        "tracking_number": request.tracking_number,
        "service": request.service_code,
        "service_name": service_name,
        "status": request.status.value,
        "applicant_name": request.applicant_name,
        "nik_masked": mask_nik(request.nik),
        "phone_masked": mask_phone(request.phone),
        "channel": request.channel,
        "unit": request.unit,
        "due_at": iso(request.due_at),
        "language": request.language,
        "missing_documents": request.missing_documents or [],
        "answers": _masked_answers(request.answers),
        "created_at": iso(request.created_at),
        "updated_at": iso(request.updated_at),
        "history": [
            {"status": c.status.value, "note": c.note, "created_at": iso(c.created_at)}
            for c in request.history
        ],
    }


def _masked_answers(answers: dict[str, Any] | None) -> dict[str, Any]:
    """A form's answers as the staff API shows them: NIK and phone masked."""
    shown = dict(answers or {})
    if shown.get("nik"):
        shown["nik"] = mask_nik(str(shown["nik"]))
    if shown.get("phone"):
        shown["phone"] = mask_phone(str(shown["phone"]))
    return shown


def message_json(message: Message) -> dict[str, Any]:
    """A message as the widget and the API show it."""
    return {
        "id": message.id,
        "sender": message.sender.value,
        "text": message.text,
        "buttons": message.buttons or [],
        "attachments": message.attachments or [],
        "client_message_id": message.client_message_id,
        "delivery_status": message.delivery_status,
        "created_at": iso(message.created_at),
    }


def conversation_json(conversation: Conversation, queue: QueueInfo) -> dict[str, Any]:
    """A conversation without its messages."""
    return {
        "id": conversation.id,
        "channel": conversation.channel.value,
        "status": conversation.status.value,
        "language": conversation.language,
        "language_explicit": conversation.language_explicit,
        "handoff_reason": conversation.handoff_reason,
        "unit": conversation.unit_code,
        "handoff_note": conversation.handoff_note,
        "assigned_agent_id": conversation.assigned_agent_id,
        "queue_position": queue.position,
        "expected_wait_minutes": queue.expected_wait_minutes,
        "pending_since": iso(conversation.pending_since),
        "created_at": iso(conversation.created_at),
        "updated_at": iso(conversation.updated_at),
    }
