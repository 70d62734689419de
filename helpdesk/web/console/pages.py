"""The queue and the conversation page, and the actions on a conversation.

Every route that names a conversation goes through `_conversation()`, which answers 404 for
a conversation outside the agent's units.
"""

from __future__ import annotations

from flask import (
    current_app,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import login_required

from helpdesk.models import Agent, Channel, Conversation, Sender
from helpdesk.services import audit, desk
from helpdesk.services.errors import InvalidInput, NotFound
from helpdesk.text.personal import mask_personal_data
from helpdesk.web.console import bp
from helpdesk.web.console.auth import current_agent, passive
from helpdesk.web.extensions import catalog, commit_and_wake, database


def mask_personal(text: str) -> tuple[str, bool]:
    """Citizen text with NIKs and phone numbers masked; True if anything was masked."""
    masked = mask_personal_data(text)
    return masked, masked != text


def _conversation(conversation_id: int) -> Conversation:
    return desk.get_for_agent(database().request_session(), current_agent(), conversation_id)


def _wants_fragment() -> bool:
    return bool(request.headers.get("HX-Request"))


def _done(conversation: Conversation) -> ResponseReturnValue:
    """After an action: the refreshed panel for htmx, a redirect (303) for a plain form."""
    if _wants_fragment():
        return _conversation_panel(conversation)
    return redirect(url_for("console.conversation", conversation_id=conversation.id), code=303)


def unit_names() -> dict[str, str]:
    """Unit code → name in the console's language."""
    from flask_babel import get_locale

    language = str(get_locale())
    return {c: u.name_in(language) for c, u in catalog().units.items()}


# --- the queue -------------------------------------------------------------------------


def _queue_filter() -> desk.QueueFilter:
    args = request.args
    return desk.QueueFilter(
        status=args.get("status", "active"),
        unit=args.get("unit", ""),
        channel=args.get("channel", ""),
        language=args.get("language", ""),
        mine=args.get("view") == "mine",
    )


@bp.get("/")
@login_required
def queue() -> ResponseReturnValue:
    """The queue: waiting and open conversations of the agent's units, with filters."""
    db = database().request_session()
    agent = current_agent()
    wanted = _queue_filter()
    rows = desk.queue(db, agent, wanted)
    units = desk.visible_units(agent)
    return render_template(
        "console/queue.html",
        rows=rows,
        wanted=wanted,
        units={c: n for c, n in unit_names().items() if units is None or c in units},
        channels=[c.value for c in Channel],
        unread=desk.unread_count(db, agent),
        recovery_notice=_pop_recovery_notice(),
    )


def _pop_recovery_notice() -> int | None:
    from flask import session

    value = session.pop("recovery_notice", None)
    return int(value) if value is not None else None


@bp.get("/queue/rows")
@login_required
@passive
def queue_rows() -> ResponseReturnValue:
    """The queue's rows alone (polled every few seconds by htmx)."""
    db = database().request_session()
    agent = current_agent()
    rows = desk.queue(db, agent, _queue_filter())
    response = make_response(
        render_template("console/_queue_rows.html", rows=rows, units=unit_names())
    )
    response.headers["X-Unread-Count"] = str(desk.unread_count(db, agent))
    return response


@bp.get("/unread")
@login_required
@passive
def unread() -> ResponseReturnValue:
    """How much new work there is (for the tab title on every console page)."""
    count = desk.unread_count(database().request_session(), current_agent())
    return {"unread": count}


# --- one conversation ----------------------------------------------------------------------


def _timeline(conversation: Conversation) -> list[dict[str, object]]:
    """Messages and console events, oldest first, with personal data masked."""
    db = database().request_session()
    items: list[dict[str, object]] = []
    withheld = desk.withheld_before(db, conversation)
    hidden = [m for m in conversation.messages if withheld is not None and m.id < withheld]
    if hidden:
        items.append({"kind": "withheld", "at": hidden[0].created_at, "count": len(hidden)})
    for message in conversation.messages[len(hidden) :]:
        text = message.text or ""
        masked = False
        if message.sender == Sender.CITIZEN:
            text, masked = mask_personal(text)
        items.append(
            {
                "kind": "message",
                "at": message.created_at,
                "m": message,
                "text": text,
                "masked": masked,
            }
        )
    for event in desk.events(db, conversation):
        items.append({"kind": "event", "at": event.created_at, "e": event})
    items.sort(key=lambda item: (item["at"], 0 if item["kind"] != "event" else 1))
    return items


def _conversation_panel(conversation: Conversation) -> ResponseReturnValue:
    db = database().request_session()
    agent = current_agent()
    response = make_response(
        render_template(
            "console/_conversation_panel.html",
            c=conversation,
            timeline=_timeline(conversation),
            others=desk.others_present(db, agent, conversation),
            channel_state=desk.reply_channel_state(conversation),
            units=unit_names(),
        )
    )
    return response


@bp.get("/conversations/<int:conversation_id>")
@login_required
def conversation(conversation_id: int) -> ResponseReturnValue:
    """One conversation: transcript with intents, notes, actions, reply box."""
    db = database().request_session()
    agent = current_agent()
    c = _conversation(conversation_id)
    desk.touch_presence(db, agent, c)
    audit.record(db, agent.username, "conversation.read", "conversation", c.id)
    db.commit()
    _annotate_intents(c)
    service_name = None
    if c.service_code:
        found = catalog().localized(
            c.service_code, c.language if c.language in ("id", "jv", "su", "en") else "id"
        )
        service_name = found[0].name if found else None
    values = desk.canned_variables(db, c, service_name)
    canned = [
        {"shortcut": r.shortcut, "title": r.title, "text": desk.fill(r.text, values)}
        for r in desk.canned_replies(db, c.language, desk.unit_of(c))
    ]
    members = desk.unit_members(db, desk.unit_of(c)) if desk.sees_all_units(agent) else []
    return render_template(
        "console/conversation.html",
        c=c,
        timeline=_timeline(c),
        others=desk.others_present(db, agent, c),
        channel_state=desk.reply_channel_state(c),
        units=unit_names(),
        canned=canned,
        members=members,
        service_name=service_name,
        unread=desk.unread_count(db, agent),
    )


@bp.get("/conversations/<int:conversation_id>/panel")
@login_required
@passive
def conversation_panel(conversation_id: int) -> ResponseReturnValue:
    """The transcript and status part of the page (polled by htmx; refreshes presence)."""
    db = database().request_session()
    c = _conversation(conversation_id)
    desk.touch_presence(db, current_agent(), c, typing=request.args.get("typing") == "1")
    db.commit()
    return _conversation_panel(c)


def _annotate_intents(c: Conversation) -> None:
    """Fill in intent and confidence of citizen messages that lack them (engine `parse`)."""
    engine = current_app.extensions.get("bot_engine")
    parse = getattr(engine, "parse", None)
    if parse is None:
        return
    db = database().request_session()
    missing = [m for m in c.messages if m.sender == Sender.CITIZEN and m.intent is None and m.text][
        -20:
    ]
    for message in missing:
        result = parse(message.text)
        if result is None:
            break  # the engine is down: show the transcript without intents
        message.intent, message.intent_confidence = result
    if missing:
        db.commit()


def _text_field() -> str:
    text = request.form.get("text", "")
    if not text.strip():
        raise InvalidInput(_("Teks tidak boleh kosong."))
    return text


@bp.post("/conversations/<int:conversation_id>/claim")
@login_required
def claim(conversation_id: int) -> ResponseReturnValue:
    """Take the conversation (409 when another agent has it)."""
    db = database().request_session()
    c = desk.claim(db, current_agent(), _conversation(conversation_id))
    db.commit()
    return _done(c)


@bp.post("/conversations/<int:conversation_id>/reply")
@login_required
def reply(conversation_id: int) -> ResponseReturnValue:
    """Send `text` to the citizen on their channel."""
    db = database().request_session()
    c = _conversation(conversation_id)
    message = desk.reply(db, current_agent(), c, _text_field())
    commit_and_wake(db, message.delivery_status == "queued")
    return _done(c)


@bp.post("/conversations/<int:conversation_id>/notes")
@login_required
def notes(conversation_id: int) -> ResponseReturnValue:
    """A private note: colleagues see it, the citizen never does."""
    db = database().request_session()
    c = _conversation(conversation_id)
    desk.add_note(db, current_agent(), c, _text_field())
    db.commit()
    return _done(c)


@bp.post("/conversations/<int:conversation_id>/resolve")
@login_required
def resolve(conversation_id: int) -> ResponseReturnValue:
    """Done with the citizen; the bot answers their next message."""
    db = database().request_session()
    c = desk.resolve(db, current_agent(), _conversation(conversation_id))
    commit_and_wake(db, True)  # the survey offer is queued
    return _done(c)


@bp.post("/conversations/<int:conversation_id>/reopen")
@login_required
def reopen(conversation_id: int) -> ResponseReturnValue:
    """Take a resolved conversation back."""
    db = database().request_session()
    c = desk.reopen(db, current_agent(), _conversation(conversation_id))
    db.commit()
    return _done(c)


@bp.post("/conversations/<int:conversation_id>/release")
@login_required
def release(conversation_id: int) -> ResponseReturnValue:
    """Give the conversation back to its unit's queue."""
    db = database().request_session()
    c = desk.release(db, current_agent(), _conversation(conversation_id))
    db.commit()
    return _done(c)


@bp.post("/conversations/<int:conversation_id>/transfer")
@login_required
def transfer(conversation_id: int) -> ResponseReturnValue:
    """Send the conversation to another unit with a reason."""
    db = database().request_session()
    c = desk.transfer(
        db,
        current_agent(),
        _conversation(conversation_id),
        request.form.get("unit", ""),
        request.form.get("reason", ""),
        known_units=frozenset(catalog().units),
    )
    db.commit()
    # The agent may no longer see it (another unit): back to the queue.
    if not desk.can_see(current_agent(), c):
        if _wants_fragment():
            return "", 204, {"HX-Redirect": url_for("console.queue")}
        return redirect(url_for("console.queue"), code=303)
    return _done(c)


@bp.post("/conversations/<int:conversation_id>/assign")
@login_required
def assign(conversation_id: int) -> ResponseReturnValue:
    """A supervisor gives the conversation to an agent."""
    db = database().request_session()
    c = _conversation(conversation_id)
    target_id = request.form.get("agent_id", "")
    target = db.get(Agent, int(target_id)) if target_id.isdigit() else None
    if target is None:
        raise InvalidInput(_("Petugas tidak dikenal."))
    desk.assign(db, current_agent(), c, target)
    db.commit()
    return _done(c)


@bp.post("/conversations/<int:conversation_id>/messages/<int:message_id>/reveal")
@login_required
def reveal(conversation_id: int, message_id: int) -> ResponseReturnValue:
    """Show a citizen message unmasked (audited)."""
    db = database().request_session()
    agent = current_agent()
    c = _conversation(conversation_id)
    message = next((m for m in c.messages if m.id == message_id), None)
    withheld = desk.withheld_before(db, c)
    if message is None or (withheld is not None and message.id < withheld):
        raise NotFound("no such message", code="message_not_found")
    audit.record(
        db,
        agent.username,
        "personal_data.reveal",
        "message",
        message.id,
        f"conversation {c.id}",
    )
    db.commit()
    return render_template("console/_revealed.html", text=message.text)


@bp.get("/conversations/<int:conversation_id>/canned")
@login_required
@passive
def canned(conversation_id: int) -> ResponseReturnValue:
    """Canned replies in the conversation's language, variables filled in (JSON)."""
    db = database().request_session()
    c = _conversation(conversation_id)
    values = desk.canned_variables(db, c, None)
    items = [
        {"shortcut": r.shortcut, "title": r.title, "text": desk.fill(r.text, values)}
        for r in desk.canned_replies(db, c.language, desk.unit_of(c))
    ]
    return {"items": items}
