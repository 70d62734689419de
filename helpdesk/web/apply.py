"""`GET|POST /layanan/{code}/ajukan`: the online application form on the web.

Plain HTML that works without scripts on a 360 px phone: the catalog's fields, one file
input per document, the consent notice, `csrf_token`. A POST with problems shows the form
again with each problem beside its field and nothing lost (the files already sent are kept
on the server and carried by a signed hidden field). A POST that succeeds redirects (303)
to the receipt page with the tracking number (a signed link: the number is not guessable
from the URL of someone else's receipt).
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, current_app, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from itsdangerous import BadSignature, URLSafeTimedSerializer
from werkzeug.datastructures import FileStorage

from helpdesk.catalog import CATALOG_LANGUAGES, Application, Service
from helpdesk.journeys.application_texts import at
from helpdesk.models import Attachment, ServiceRequest, utcnow
from helpdesk.services import applications, uploads
from helpdesk.services.errors import InvalidInput
from helpdesk.services.sla import format_moment
from helpdesk.services.uploads import UploadRejected
from helpdesk.web.console import csrf
from helpdesk.web.directory import add_service_link
from helpdesk.web.extensions import catalog, database, settings
from helpdesk.web.security.ratelimit import RateLimits, client_address

bp = Blueprint("apply", __name__, template_folder="templates")

RECEIPT_MAX_AGE = 24 * 3600
ACCEPT = {"jpg": ".jpg,.jpeg,image/jpeg", "png": ".png,image/png", "pdf": ".pdf,application/pdf"}


def apply_link(service: Service, language: str) -> tuple[str, str] | None:
    """ "Ajukan online" on the directory's page of a service that has a form."""
    if service.application is None:
        return None
    url = f"/layanan/{service.code}/ajukan" + ("" if language == "id" else f"?lang={language}")
    return at("web.title", language, service=service.name), url


add_service_link(apply_link)


def _signer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(str(settings().secret_key), salt="halo-warga-apply")


def _language() -> str:
    lang = (request.values.get("lang") or "id").strip().lower()
    return lang if lang in CATALOG_LANGUAGES else "id"


def _form(code: str, language: str) -> tuple[str, Application, Application]:
    """(service name, the form in `language`, the Indonesian form) or 404."""
    found = catalog().localized(code, language)
    source = catalog().get(code)
    if found is None or source is None or found[0].application is None:
        abort(404)
    assert source.application is not None
    return found[0].name, found[0].application, source.application


@bp.before_request
def _protect() -> None:
    """The form's POST needs the session's CSRF token (400 without it)."""
    if request.method == "POST":
        csrf.protect()


@bp.get("/layanan/<code>/ajukan")
def form(code: str) -> ResponseReturnValue:
    """The empty form."""
    language = _language()
    name, shown, _ = _form(code, language)
    return _render(code, name, shown, language, {}, {}, {}, consent=False)


@bp.post("/layanan/<code>/ajukan")
def submit(code: str) -> ResponseReturnValue:
    """Check every answer and file; the receipt (303) or the form with its problems."""
    limits: RateLimits = current_app.extensions["rate_limits"]
    limited = limits.check(("message_per_address", client_address()))  # as the web chat
    if limited is not None:
        return limited
    request.max_content_length = settings().upload_max_bytes + 64 * 1024
    language = _language()
    name, shown, source = _form(code, language)
    session = database().request_session()
    today = utcnow().date()
    values: dict[str, str] = {"whatsapp": request.form.get("whatsapp", "")}
    answers: dict[str, str | None] = {}
    errors: dict[str, str] = {}
    for field, local in zip(source.fields, shown.fields, strict=True):
        raw = request.form.get(f"f_{field.key}", "")
        values[field.key] = raw
        value, problem = applications.check_answer(field, raw, today, local.choices)
        if problem is not None:
            errors[field.key] = at(problem.key, language, **problem.values)
        answers[field.key] = value
    documents: dict[str, list[Attachment]] = {}
    kept: dict[str, str] = {}
    for document, shown_document in zip(source.documents, shown.documents, strict=True):
        label = shown_document.label
        attachment, error = _document(session, document.key, label, language)
        if attachment is not None:
            if applications.accepts(document, attachment.content_type):
                documents[document.key] = [attachment]
                kept[document.key] = _signer().dumps(attachment.id)
            else:
                types = ", ".join(t.upper() for t in document.types)
                error = at("document.type", language, label=label, types=types)
        if error is None and document.required and document.key not in documents:
            error = at("invalid.document", language, label=label)
        if error is not None:
            errors[f"d_{document.key}"] = error
    consent = request.form.get("consent") == "yes"
    if not consent:
        errors["consent"] = at("invalid.consent", language)
    if errors:
        session.commit()  # the files that passed are kept for the next try
        return _render(code, name, shown, language, values, errors, kept, consent), 422
    try:
        created = applications.submit(
            session,
            catalog(),
            settings(),
            service_code=code,
            answers=answers,
            documents=documents,
            channel="web",
            language=language,
            whatsapp_updates=request.form.get("whatsapp") == "yes",
        )
    except InvalidInput as exc:
        session.rollback()
        return _render(code, name, shown, language, values, {"_": exc.message}, {}, consent), 422
    session.commit()
    token = _signer().dumps(created.tracking_number)
    return redirect(url_for("apply.receipt", code=code, t=token, lang=language), code=303)


def _document(
    session: Any, key: str, label: str, language: str
) -> tuple[Attachment | None, str | None]:
    """The file sent for this document now, or the one kept from an earlier try."""
    upload: FileStorage | None = request.files.get(f"d_{key}")
    if upload is not None and upload.filename:
        data = upload.read()
        try:
            return uploads.store(session, settings(), None, data, upload.filename), None
        except UploadRejected as exc:
            return None, f"{label}: {exc.message}"
    token = request.form.get(f"k_{key}")
    if token:
        try:
            attachment_id = int(_signer().loads(token, max_age=RECEIPT_MAX_AGE))
        except (BadSignature, ValueError):
            return None, None
        attachment = session.get(Attachment, attachment_id)
        if attachment is not None and attachment.request_id is None:
            return attachment, None
    return None, None


def _render(
    code: str,
    name: str,
    shown: Application,
    language: str,
    values: dict[str, str],
    errors: dict[str, str],
    kept: dict[str, str],
    consent: bool,
) -> str:
    return render_template(
        "apply/form.html",
        code=code,
        name=name,
        form=shown,
        lang=language,
        languages=CATALOG_LANGUAGES,
        values=values,
        errors=errors,
        kept=kept,
        consent=consent,
        accept={d.key: ",".join(ACCEPT[t] for t in d.types) for d in shown.documents},
        mb=settings().upload_max_bytes // (1024 * 1024),
        at=lambda key, **v: at(key, language, **v),
    )


@bp.get("/layanan/<code>/ajukan/diterima")
def receipt(code: str) -> ResponseReturnValue:
    """The tracking number, the deadline and what happens next (signed link, one day)."""
    language = _language()
    name, shown, _ = _form(code, language)
    try:
        number = str(_signer().loads(request.args.get("t", ""), max_age=RECEIPT_MAX_AGE))
    except BadSignature:
        abort(404)
    session = database().request_session()
    found = session.query(ServiceRequest).filter_by(tracking_number=number).one_or_none()
    if found is None or found.service_code != code:
        abort(404)
    cat = catalog()
    unit = cat.units.get(found.unit or "")
    unit_name = unit.name_in(language) if unit else found.unit
    due = format_moment(found.due_at, cat.timezone, language) if found.due_at else "-"
    return render_template(
        "apply/receipt.html",
        code=code,
        name=name,
        form=shown,
        number=number,
        due=due,
        unit=unit_name,
        lang=language,
        languages=CATALOG_LANGUAGES,
        at=lambda key, **v: at(key, language, **v),
    )
