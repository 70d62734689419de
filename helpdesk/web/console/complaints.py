"""Complaints in the console: the unit's list (nearest deadline first), one complaint with
its story, place, time, photos, handling history and deadline, and the handling steps.

Every view parses its form, calls ONE function of `helpdesk.services.complaints` (which
records, audits, moves the clock and tells the citizen), commits and redirects. Scope and
anonymity come from `helpdesk.services.casedesk`: outside the unit is 404; an anonymous
complaint shows no identity.
"""

from __future__ import annotations

import io

from flask import redirect, render_template, request, send_file, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import login_required

from helpdesk.models import ComplaintCategory, ComplaintStatus
from helpdesk.services import audit, casedesk, uploads
from helpdesk.services import complaints as complaint_service
from helpdesk.services.errors import NotFound
from helpdesk.web.console import bp
from helpdesk.web.console.auth import current_agent
from helpdesk.web.console.pages import unit_names
from helpdesk.web.extensions import catalog, commit_and_wake, database, settings

INLINE_TYPES = frozenset({"image/jpeg", "image/png", "image/webp", "image/gif"})


def complaint_status_label(status: str) -> str:
    """A complaint status in the console's language."""
    labels = {
        "received": _("Diterima"),
        "verified": _("Terverifikasi"),
        "forwarded": _("Diteruskan"),
        "in_follow_up": _("Ditindaklanjuti"),
        "finished": _("Selesai"),
        "not_our_authority": _("Bukan kewenangan"),
        "archived": _("Diarsipkan"),
        "waiting_for_citizen": _("Menunggu warga"),
    }
    return labels.get(status, status)


def complaint_action_label(action: str) -> str:
    """A handling step in the console's language."""
    labels = {
        "status": _("status"),
        "forward": _("diteruskan ke unit lain"),
        "ask": _("bertanya ke warga"),
        "answer": _("jawaban warga"),
        "reply": _("balasan ke warga"),
    }
    return labels.get(action, action)


def category_label(category: str) -> str:
    """A complaint category in the console's language."""
    labels = {
        "pengaduan": _("Pengaduan"),
        "aspirasi": _("Aspirasi"),
        "permintaan_informasi": _("Permintaan informasi"),
    }
    return labels.get(category, category)


@bp.app_context_processor
def _complaint_labels() -> dict[str, object]:
    return {
        "complaint_status_label": complaint_status_label,
        "complaint_action_label": complaint_action_label,
        "category_label": category_label,
    }


def _filter() -> casedesk.ComplaintFilter:
    args = request.args
    status = args.get("status", "open")
    if status not in ("open", "all", *(s.value for s in ComplaintStatus)):
        status = "open"
    category = args.get("category", "")
    if category not in {c.value for c in ComplaintCategory}:
        category = ""
    anonymous = args.get("anonymous", "")
    return casedesk.ComplaintFilter(
        status=status,
        category=category,
        overdue=args.get("overdue") == "1",
        anonymous=anonymous if anonymous in ("yes", "no") else "",
        unit=args.get("unit", "") if args.get("unit", "") in catalog().units else "",
    )


@bp.get("/complaints")
@login_required
def complaints() -> ResponseReturnValue:
    """The unit's complaints, nearest deadline first."""
    agent = current_agent()
    wanted = _filter()
    db = database().request_session()
    found = casedesk.rows(db, agent, wanted)
    audit.record(db, agent.username, "complaint.list", "complaint", "*", personal=False)
    db.commit()
    return render_template(
        "console/complaints.html",
        rows=found,
        wanted=wanted,
        statuses=[s.value for s in ComplaintStatus],
        categories=[c.value for c in ComplaintCategory],
        units=unit_names(),
    )


def _page(number: str, status: int = 200, error: str | None = None) -> ResponseReturnValue:
    agent = current_agent()
    db = database().request_session()
    complaint = casedesk.get_for_agent(db, agent, number)
    clock = casedesk.clocks_of(db, [complaint.tracking_number]).get(complaint.tracking_number)
    target, due = casedesk.next_due(clock)
    names = unit_names()
    body = render_template(
        "console/complaint.html",
        c=complaint,
        identity=casedesk.identity_of(db, complaint),
        files=casedesk.attachments_of(db, complaint),
        inline_types=INLINE_TYPES,
        clock=clock,
        target=target,
        due=due,
        next_statuses=sorted(s.value for s in complaint_service.allowed_next(complaint)),
        closed=complaint.status in complaint_service.CLOSED,
        units=names,
        other_units={k: v for k, v in names.items() if k != complaint.unit},
        error=error,
    )
    audit.record(db, agent.username, "complaint.read", "complaint", complaint.tracking_number)
    db.commit()
    return body, status


@bp.get("/complaints/<number>")
@login_required
def complaint_detail(number: str) -> ResponseReturnValue:
    """One complaint: the story, place, time, photos, handling, history and deadline."""
    return _page(number)


@bp.get("/complaints/<number>/files/<int:attachment_id>")
@login_required
def complaint_file(number: str, attachment_id: int) -> ResponseReturnValue:
    """A photo shown inline on the complaint page (scoped like the complaint, audited)."""
    agent = current_agent()
    db = database().request_session()
    complaint = casedesk.get_for_agent(db, agent, number)
    found = {a.id: a for a in casedesk.attachments_of(db, complaint)}.get(attachment_id)
    if found is None:
        raise NotFound("no such file")
    data = uploads.read(settings(), found)  # stored encrypted; None once erased
    if data is None:
        raise NotFound("the file is gone (erased)")
    audit.record(db, agent.username, "attachment.read", "attachment", found.id)
    db.commit()
    inline = found.content_type in INLINE_TYPES
    return send_file(
        io.BytesIO(data),
        mimetype=found.content_type,
        as_attachment=not inline,
        download_name=found.filename,
    )


def _done(number: str) -> ResponseReturnValue:
    commit_and_wake(database().request_session(), True)
    return redirect(url_for("console.complaint_detail", number=number), 303)


def _scoped(number: str) -> str:
    agent = current_agent()
    complaint = casedesk.get_for_agent(database().request_session(), agent, number)
    return complaint.tracking_number


@bp.post("/complaints/<number>/status")
@login_required
def complaint_status(number: str) -> ResponseReturnValue:
    """Verify, follow up, finish, not ours (with where to go), archive."""
    number = _scoped(number)
    complaint_service.change_status(
        database().request_session(),
        number,
        request.form.get("status", ""),
        request.form.get("note", ""),
        actor=current_agent().username,
    )
    return _done(number)


@bp.post("/complaints/<number>/forward")
@login_required
def complaint_forward(number: str) -> ResponseReturnValue:
    """Forward to another unit with a reason; that unit sees it at once."""
    number = _scoped(number)
    unit = request.form.get("unit", "")
    known = catalog().units
    db = database().request_session()
    complaint = complaint_service.forward(
        db,
        number,
        unit,
        request.form.get("reason", ""),
        known_units=frozenset(known),
        actor=current_agent().username,
    )
    commit_and_wake(db, True)
    if not casedesk.can_see(current_agent(), complaint):  # it left the agent's unit
        return redirect(url_for("console.complaints", forwarded=number), 303)
    return redirect(url_for("console.complaint_detail", number=number), 303)


@bp.post("/complaints/<number>/ask")
@login_required
def complaint_ask(number: str) -> ResponseReturnValue:
    """Ask the citizen for more information; the clock pauses until they answer."""
    number = _scoped(number)
    complaint_service.ask_citizen(
        database().request_session(),
        number,
        request.form.get("text", ""),
        actor=current_agent().username,
    )
    return _done(number)


@bp.post("/complaints/<number>/reply")
@login_required
def complaint_reply(number: str) -> ResponseReturnValue:
    """Send the citizen the follow-up on their channel."""
    number = _scoped(number)
    complaint_service.reply(
        database().request_session(),
        number,
        request.form.get("text", ""),
        actor=current_agent().username,
    )
    return _done(number)
