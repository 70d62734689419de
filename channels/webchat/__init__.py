"""Web chat: the widget's JSON API, the widget files and a demo page."""

from __future__ import annotations

import secrets
from datetime import timedelta

from flask import Blueprint, Response, current_app, jsonify, render_template, request, url_for
from sqlalchemy import select
from werkzeug.exceptions import HTTPException

from channels.adapters import ChannelSpec
from helpdesk.conversation.base import InboundMessage
from helpdesk.conversation.router import Router
from helpdesk.conversation.turns import TurnPool
from helpdesk.models import Channel, Conversation, Message, Sender, utcnow
from helpdesk.services import conversations as convs
from helpdesk.services import uploads
from helpdesk.services.channel_traits import ChannelTraits
from helpdesk.services.errors import InvalidInput
from helpdesk.text.language import SPOKEN_LANGUAGES
from helpdesk.web.api.body import json_object, optional_str
from helpdesk.web.api.serializers import message_json
from helpdesk.web.errors import error_response
from helpdesk.web.extensions import database, settings
from helpdesk.web.security.ratelimit import RateLimits, client_address

MAX_MESSAGE_ID = 2**63 - 1

bp = Blueprint(
    "webchat",
    __name__,
    static_folder="static",
    static_url_path="/webchat",
    template_folder="templates",
)


def _router() -> Router:
    router: Router = current_app.extensions["router"]
    return router


def _limits() -> RateLimits:
    limits: RateLimits = current_app.extensions["rate_limits"]
    return limits


def _turns() -> TurnPool:
    turns: TurnPool = current_app.extensions["turns"]
    return turns


def _find_session(session_id: str) -> Conversation | None:
    """The session's conversation; None when unknown or idle for too long (expired)."""
    conversation = (
        database()
        .request_session()
        .scalar(
            select(Conversation).where(
                Conversation.channel == Channel.WEBCHAT, Conversation.channel_user_id == session_id
            )
        )
    )
    if conversation is None:
        return None
    idle = timedelta(minutes=settings().webchat_session_idle_minutes)
    if utcnow() - conversation.updated_at > idle:
        return None  # expired: the widget starts a new session
    return conversation


def _offered_payload(conversation: Conversation, payload: str | None) -> str | None:
    """The payload if it is one of the buttons the bot offered since the citizen last wrote."""
    if not payload:
        return None
    session = database().request_session()
    recent = session.scalars(
        select(Message)
        .where(Message.conversation_id == conversation.id)
        .order_by(Message.id.desc())
        .limit(20)
    ).all()
    for message in recent:
        if message.sender == Sender.CITIZEN:
            break
        if message.sender == Sender.BOT and any(
            b.get("payload") == payload for b in message.buttons or []
        ):
            return payload
    return None


@bp.get("/")
def demo_page() -> str:
    """A demo municipal page with the widget embedded by one script tag."""
    # Relative: the page never echoes the Host header back (finding 10).
    widget_url = url_for("webchat.static", filename="widget.js")
    return render_template("webchat_demo.html", widget_url=widget_url, lang="id")


@bp.post("/webchat/sessions")
def create_session() -> tuple[Response, int]:
    """Start a web-chat conversation (limited per client address)."""
    limited = _limits().check(("session_create_per_address", client_address()))
    if limited is not None:
        return limited
    data = request.get_json(force=True, silent=True) if request.get_data() else {}
    if not isinstance(data, dict):
        raise InvalidInput("body must be a JSON object", code="invalid_json")
    language = data.get("language")
    explicit = language in SPOKEN_LANGUAGES and data.get("explicit") is True
    session_id = secrets.token_urlsafe(24)
    session = database().request_session()
    conversation = convs.get_or_create(
        session,
        Channel.WEBCHAT,
        session_id,
        language if language in SPOKEN_LANGUAGES else "id",
    )
    conversation.language_explicit = explicit
    session.commit()
    return jsonify({"session_id": session_id}), 201


@bp.post("/webchat/sessions/<session_id>/language")
def set_language(session_id: str) -> tuple[Response, int]:
    """The citizen picked a language in the widget's menu: it beats detection from now on."""
    conversation = _find_session(session_id)
    if conversation is None:
        return error_response(404, "session_not_found", "Unknown or expired chat session.")
    language = json_object().get("language")
    if language not in SPOKEN_LANGUAGES:
        raise InvalidInput(f"language must be one of: {', '.join(SPOKEN_LANGUAGES)}")
    conversation.language = language
    conversation.language_explicit = True
    database().request_session().commit()
    return jsonify({"language": language}), 200


@bp.post("/webchat/sessions/<session_id>/messages")
def post_message(session_id: str) -> tuple[Response, int]:
    """A citizen's message; answers with the bot's replies ([] while an agent owns it).

    `message` is the citizen's own message as stored, so the widget learns its id. When
    the engine needs longer than WEBCHAT_REPLY_WAIT_SECONDS, `messages` holds a stored
    "please wait, you are in line" notice, `pending` is true, and the answer follows
    through `GET ...?after=`.
    """
    conversation = _find_session(session_id)
    if conversation is None:
        return error_response(404, "session_not_found", "Unknown or expired chat session.")
    data = json_object()
    text = (optional_str(data, "text", max_length=100_000) or "").strip()
    limit = settings().webchat_max_message_chars
    if not text:
        raise InvalidInput("text is required", code="empty_message")
    if len(text) > limit:
        return error_response(
            413, "message_too_long", f"Messages are limited to {limit} characters."
        )
    limited = _limits().check(
        ("message_per_session", session_id), ("message_per_address", client_address())
    )
    if limited is not None:
        return limited
    inbound = InboundMessage(
        channel=Channel.WEBCHAT,
        channel_user_id=session_id,
        text=text,
        payload=_offered_payload(conversation, optional_str(data, "payload", 500)),
        client_message_id=optional_str(data, "client_message_id", 64),
    )
    session = database().request_session()
    accepted = _router().accept(session, inbound)
    result = accepted.result
    replies = [message_json(m) for m in result.replies]
    citizen = message_json(result.citizen_message)
    pending = False
    if accepted.turn is not None:
        turns = _turns()
        turn = turns.submit(accepted.turn)
        wait = settings().webchat_reply_wait_seconds
        # Already in a long line: say so at once instead of holding a request thread.
        timeout = 0.0 if turns.expected_wait() > wait else wait
        answer, pending = turns.answer_or_notice(session, turn, timeout)
        replies += answer
    body: dict[str, object] = {"messages": replies, "message": citizen}
    if pending:
        body["pending"] = True  # the answer follows through GET ...?after=
    return jsonify(body), 200


@bp.get("/webchat/sessions/<session_id>/messages")
def list_messages(session_id: str) -> tuple[Response, int]:
    """Messages after `?after=ID` (agent replies arrive this way)."""
    conversation = _find_session(session_id)
    if conversation is None:
        return error_response(404, "session_not_found", "Unknown or expired chat session.")
    limited = _limits().check(("poll_per_address", client_address()))
    if limited is not None:
        return limited
    raw = request.args.get("after", "0")
    if not (raw.isascii() and raw.isdigit()) or len(raw) > 19 or int(raw) > MAX_MESSAGE_ID:
        return error_response(
            400, "invalid_after", "after must be a message id (0 or a positive integer)."
        )
    after = int(raw)
    messages = convs.messages_after(database().request_session(), conversation, after)
    body = {"messages": [message_json(m) for m in messages], "status": conversation.status.value}
    return jsonify(body), 200


@bp.post("/webchat/sessions/<session_id>/attachments")
def upload_attachment(session_id: str) -> tuple[Response, int]:
    """A photo or PDF from the widget (multipart field `file`), attached for the agent.

    JPEG, PNG or PDF by content, at most `UPLOAD_MAX_BYTES` (10 MB); stored outside the web
    root. The complaint form takes it at its photo step; otherwise the bot acknowledges it.
    """
    request.max_content_length = settings().upload_max_bytes + 64 * 1024
    conversation = _find_session(session_id)
    if conversation is None:
        return error_response(404, "session_not_found", "Unknown or expired chat session.")
    limited = _limits().check(
        ("message_per_session", session_id), ("message_per_address", client_address())
    )
    if limited is not None:
        return limited
    upload = request.files.get("file")
    if upload is None:
        return error_response(400, "missing_file", "Send the file in the multipart field 'file'.")
    try:
        data = upload.stream.read(settings().upload_max_bytes + 1)
    finally:
        upload.close()  # a large part is spooled to a temporary file
    session = database().request_session()
    attachment = uploads.store(session, settings(), conversation, data, upload.filename)
    result = _router().attach(session, conversation, attachment)
    body = {
        "attachment": {
            "id": attachment.id,
            "filename": attachment.filename,
            "content_type": attachment.content_type,
            "size": attachment.size,
        },
        "message": message_json(result.citizen_message),
        "messages": [message_json(m) for m in result.replies],
    }
    return jsonify(body), 201


@bp.after_app_request
def allow_embedding(response: Response) -> Response:
    """The widget runs on the government's own site: allow cross-origin calls to this API."""
    if (
        request.path.startswith("/webchat/sessions")
        and request.endpoint == "webchat.static"
        and response.status_code == 404
        and _allowed_methods(request.path) != "OPTIONS"
    ):
        # the chat API at this path has no such method (no widget file lives here)
        response, _ = error_response(405, "method_not_allowed", "Method not allowed here.")
        response.status_code = 405
    if request.path.startswith("/webchat/"):
        response.headers["Access-Control-Allow-Origin"] = "*"
        response.headers["Access-Control-Allow-Headers"] = "Content-Type"
        response.headers["Access-Control-Allow-Methods"] = "GET, POST, OPTIONS"
        response.headers["Access-Control-Expose-Headers"] = "Retry-After"
    if request.path.startswith("/webchat/sessions") and (
        request.method == "OPTIONS" or response.status_code == 405
    ):
        response.headers["Allow"] = _allowed_methods(request.path)
    return response


def _allowed_methods(path: str) -> str:
    """The methods of the chat API at `path`: the widget's files (`/webchat/<path>`, GET)
    also match it, but no file lives under sessions/, so their GET does not count."""
    adapter = current_app.url_map.bind("localhost")
    allowed = {"OPTIONS"}
    for method in ("GET", "POST", "PUT", "PATCH", "DELETE"):
        try:
            endpoint, _ = adapter.match(path, method=method)
        except HTTPException:
            continue
        if endpoint != "webchat.static":
            allowed.update({method, "HEAD"} if method == "GET" else {method})
    return ", ".join(sorted(allowed))


CHANNEL = ChannelSpec(
    ChannelTraits("webchat", label="Web chat"), bp
)  # polled by the widget: no adapter
