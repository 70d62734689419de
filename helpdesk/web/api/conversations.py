"""`/api/v1/conversations`: the escalation queue, agent replies, handoff and resolve."""

from __future__ import annotations

from typing import Any

from flask import Response, jsonify
from sqlalchemy.orm import Session

from helpdesk.models import Conversation, ConversationStatus
from helpdesk.services import audit, desk, sla
from helpdesk.services import conversations as convs
from helpdesk.services.errors import InvalidInput
from helpdesk.text.language import SPOKEN_LANGUAGES
from helpdesk.text.personal import mask_personal_data
from helpdesk.web.api import bp
from helpdesk.web.api.auth import current_actor, is_staff, require_staff, require_token
from helpdesk.web.api.body import enum_arg, json_object, optional_str, required_str
from helpdesk.web.api.serializers import conversation_json, message_json
from helpdesk.web.extensions import catalog, commit_and_wake, database, settings


def _by_ref(session: Session, ref: str) -> Conversation:
    """By the engine's random sender id; staff tokens may also use the row id (a bot token
    cannot walk conversation numbers: finding 1/9)."""
    return convs.get_by_ref(session, ref, allow_row_id=is_staff())


def _summary(session: Session, conversation: Conversation) -> dict[str, object]:
    queue = convs.queue_info(session, conversation, settings().average_handle_minutes)
    body = conversation_json(conversation, queue)
    if body.get("handoff_note"):
        body["handoff_note"] = mask_personal_data(str(body["handoff_note"]))
    return body


def _masked(message: dict[str, Any]) -> dict[str, Any]:
    """NIKs and phone numbers citizens typed are masked in transcripts shown to agents."""
    if message.get("text"):
        message["text"] = mask_personal_data(str(message["text"]))
    return message


@bp.get("/conversations")
@require_token
@require_staff
def list_conversations() -> Response:
    """Conversations, filtered by `?status=` (pending ones in queue order)."""
    status = enum_arg("status", ConversationStatus)
    session = database().request_session()
    conversations = convs.list_conversations(session, status)
    items = [_summary(session, c) for c in conversations]
    audit.record(
        session,
        current_actor(),
        "conversation.list",
        "conversation",
        f"status={status.value if status else 'any'}",
        ",".join(str(c.id) for c in conversations)[:4000] or None,
    )
    session.commit()
    return jsonify({"items": items})


@bp.get("/conversations/<int:conversation_id>")
@require_token
@require_staff
def get_conversation(conversation_id: int) -> Response:
    """A conversation with its messages; in one that filed an anonymous complaint, those up
    to the filing are withheld, as in the console (`desk.withheld_before`)."""
    session = database().request_session()
    conversation = convs.get_conversation(session, conversation_id)
    body = _summary(session, conversation)
    withheld = desk.withheld_before(session, conversation)
    body["messages"] = [
        _masked(message_json(m))
        for m in conversation.messages
        if withheld is None or m.id >= withheld
    ]
    audit.record(session, current_actor(), "conversation.read", "conversation", conversation.id)
    session.commit()
    return jsonify(body)


@bp.post("/conversations/<int:conversation_id>/messages")
@require_token
@require_staff
def post_agent_message(conversation_id: int) -> tuple[Response, int]:
    """An agent's reply, delivered on the citizen's channel."""
    data = json_object()
    session = database().request_session()
    conversation = convs.get_conversation(session, conversation_id)
    message = desk.send_reply(
        session, conversation, required_str(data, "text"), actor=current_actor()
    )
    commit_and_wake(session, message.delivery_status == "queued")
    return jsonify(message_json(message)), 201


@bp.post("/conversations/<conversation_ref>/language")
@require_token
def set_language(conversation_ref: str) -> Response:
    """Record the language the citizen chose (explicit choices beat detection)."""
    data = json_object()
    language = required_str(data, "language", 8)
    if language not in SPOKEN_LANGUAGES:
        raise InvalidInput(f"language must be one of: {', '.join(SPOKEN_LANGUAGES)}")
    explicit = data.get("explicit", True)
    if not isinstance(explicit, bool):
        raise InvalidInput("explicit must be true or false")
    session = database().request_session()
    conversation = _by_ref(session, conversation_ref)
    conversation.language = language
    conversation.language_explicit = explicit
    session.commit()
    return jsonify(_summary(session, conversation))


@bp.post("/conversations/<conversation_ref>/handoff")
@require_token
def hand_off(conversation_ref: str) -> Response:
    """Put the conversation in the agents' queue (used by the bot's actions)."""
    data = json_object()
    service = optional_str(data, "service", 40)
    if service is not None and catalog().get(service) is None:
        service = None  # an unrecognised service is no reason to lose the handoff
    session = database().request_session()
    conversation = _by_ref(session, conversation_ref)
    convs.hand_off(
        session,
        conversation,
        required_str(data, "reason", 32),
        optional_str(data, "note"),
        unit_code=catalog().unit_for(service),
        service_code=service,
    )
    body = _summary(session, conversation)
    body["back_note"] = sla.back_note(session, conversation)  # out of office hours
    audit.record(
        session,
        current_actor(),
        "conversation.handoff",
        "conversation",
        conversation.id,
        conversation.handoff_reason,
    )
    session.commit()
    return jsonify(body)


@bp.post("/conversations/<int:conversation_id>/resolve")
@require_token
@require_staff
def resolve(conversation_id: int) -> Response:
    """Close the agent's part; the bot answers the citizen's next message (after the SKM
    survey offer, queued with the resolve)."""
    session = database().request_session()
    conversation = convs.get_conversation(session, conversation_id)
    desk.resolve(session, None, conversation, actor=current_actor())
    commit_and_wake(session, True)  # the survey offer is queued
    return jsonify(_summary(session, conversation))


@bp.post("/conversations/<int:conversation_id>/waiting")
@require_token
@require_staff
def wait_for_citizen(conversation_id: int) -> Response:
    """The agent waits for the citizen: the SLA clock pauses until the citizen writes."""
    session = database().request_session()
    conversation = convs.wait_for_citizen(session, convs.get_conversation(session, conversation_id))
    audit.record(session, current_actor(), "conversation.waiting", "conversation", conversation.id)
    session.commit()
    return jsonify(_summary(session, conversation))
