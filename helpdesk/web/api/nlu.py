"""`/api/v1/nlu`: the teach-the-bot inbox, its export as Rasa NLU YAML, the fallback rate."""

from __future__ import annotations

from datetime import date, timedelta

from flask import Response, jsonify, request

from helpdesk.models import NluInboxItem, utcnow
from helpdesk.services import audit, nlu_inbox
from helpdesk.services.errors import InvalidInput
from helpdesk.web.api import bp
from helpdesk.web.api.auth import current_actor, require_staff, require_token
from helpdesk.web.api.body import json_object, optional_str, required_str
from helpdesk.web.extensions import catalog, database


def item_json(item: NluInboxItem) -> dict[str, object]:
    return {
        "id": item.id,
        "text": item.text,
        "language": item.language,
        "reason": item.reason,
        "intent": item.predicted_intent,
        "confidence": item.confidence,
        "status": item.status.value,
        "label": {"intent": item.label_intent, "service": item.label_service}
        if item.label_intent
        else None,
        "labelled_by": item.labelled_by,
        "conversation_id": item.conversation_id,
        "created_at": item.created_at.isoformat(),
    }


@bp.get("/nlu/inbox")
@require_token
@require_staff
def inbox() -> Response:
    """Messages the bot did not understand: `?status=new` (default), labelled,
    out_of_scope or all."""
    session = database().request_session()
    if nlu_inbox.sweep_low_confidence(session):
        session.commit()
    items = nlu_inbox.list_items(session, request.args.get("status", "new"))
    return jsonify({"items": [item_json(i) for i in items], "counts": nlu_inbox.counts(session)})


@bp.post("/nlu/inbox")
@require_token
@require_staff
def add_to_inbox() -> tuple[Response, int]:
    """`{"text", "reason"?, "language"?}`: put a message in the inbox by hand (e.g. a survey
    complaint about the bot); its personal data is masked."""
    data = json_object()
    text = required_str(data, "text", nlu_inbox.MAX_TEXT)
    reason = optional_str(data, "reason", 32) or "manual"
    session = database().request_session()
    item = nlu_inbox.record(session, text, reason, language=optional_str(data, "language", 8))
    if item is None:
        raise InvalidInput("nothing to add", code="empty_text")
    audit.record(session, current_actor(), "nlu.inbox.add", "inbox_item", str(item.id))
    session.commit()
    return jsonify(item_json(item)), 201


@bp.post("/nlu/inbox/<int:item_id>/label")
@require_token
@require_staff
def label_item(item_id: int) -> Response:
    """`{"intent": ..., "service": ...}` or `{"out_of_scope": true}`."""
    data = json_object()
    if not isinstance(data.get("out_of_scope", False), bool):
        raise InvalidInput("out_of_scope must be true or false")
    out_of_scope = data.get("out_of_scope") is True
    service = optional_str(data, "service", 40)
    if service and catalog().get(service) is None:
        raise InvalidInput(f"no service '{service}'", code="service_not_found")
    session = database().request_session()
    item = nlu_inbox.label(
        session,
        item_id,
        optional_str(data, "intent", 64),
        service,
        current_actor(),
        catalog(),
        out_of_scope=out_of_scope,
    )
    audit.record(
        session, current_actor(), "nlu.inbox.label", "inbox_item", str(item.id), item.label_intent
    )
    session.commit()
    return jsonify(item_json(item))


@bp.get("/nlu/export")
@require_token
@require_staff
def export() -> Response:
    """The labelled examples as Rasa NLU YAML (personal data masked)."""
    session = database().request_session()
    body = nlu_inbox.export_yaml(nlu_inbox.export_items(session), catalog())
    return Response(body, mimetype="application/x-yaml")


@bp.get("/nlu/fallback-rate")
@require_token
@require_staff
def fallback_rate() -> Response:
    """`?from=YYYY-MM-DD&to=YYYY-MM-DD` (default the last 30 days): per day, citizen
    messages, misses (fallback, low confidence, handoff after a miss) and their ratio."""
    today = utcnow().date()
    try:
        end = date.fromisoformat(request.args.get("to", today.isoformat()))
        start = date.fromisoformat(request.args.get("from", (end - timedelta(days=29)).isoformat()))
    except ValueError:
        raise InvalidInput("from and to must be dates (YYYY-MM-DD)") from None
    days = nlu_inbox.fallback_rate(database().request_session(), start, end)
    return jsonify(
        {
            "from": start.isoformat(),
            "to": end.isoformat(),
            "items": [
                {
                    "date": d.day.isoformat(),
                    "citizen_messages": d.citizen_messages,
                    "misses": d.misses,
                    "rate": round(d.rate, 4),
                }
                for d in days
            ],
        }
    )
