"""Console pages for learning: the teach-the-bot inbox (label, mark out of scope, download
the export) and the catalog editor (edit a service per language, review and publish a
draft by a second supervisor, restore an earlier version). Supervisors and admins only.
"""

from __future__ import annotations

import yaml
from flask import Response, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue

from helpdesk.catalog import CATALOG_LANGUAGES
from helpdesk.models import AgentRole
from helpdesk.services import audit, catalog_versions, nlu_inbox
from helpdesk.services.errors import InvalidInput
from helpdesk.web.console import bp
from helpdesk.web.console.auth import current_agent, require_role
from helpdesk.web.extensions import catalog, catalog_dir, catalog_published, database, seed_catalog

CURATORS = (AgentRole.SUPERVISOR, AgentRole.ADMIN)


def _actor() -> str:
    return f"agent:{current_agent().username}"


@bp.get("/nlu/inbox")
@require_role(*CURATORS)
def nlu_inbox_page() -> ResponseReturnValue:
    """Messages the bot did not understand, with a label form each."""
    db = database().request_session()
    if nlu_inbox.sweep_low_confidence(db):
        db.commit()
    status = request.args.get("status", "new")
    return render_template(
        "console/nlu_inbox.html",
        items=nlu_inbox.list_items(db, status),
        status=status,
        counts=nlu_inbox.counts(db),
        intents=[i for i in nlu_inbox.known_intents() if i != "out_of_scope"],
        services=catalog().ordered_codes(),
    )


@bp.post("/nlu/inbox/<int:item_id>/label")
@require_role(*CURATORS)
def nlu_inbox_label(item_id: int) -> ResponseReturnValue:
    """Label one item (intent and service) or mark it out of scope."""
    db = database().request_session()
    item = nlu_inbox.label(
        db,
        item_id,
        request.form.get("intent") or None,
        request.form.get("service") or None,
        _actor(),
        catalog(),
        out_of_scope=request.form.get("action") == "out_of_scope",
    )
    audit.record(db, _actor(), "nlu.inbox.label", "inbox_item", str(item.id), item.label_intent)
    db.commit()
    return redirect(url_for("console.nlu_inbox_page"))


@bp.get("/nlu/export.yml")
@require_role(*CURATORS)
def nlu_export_download() -> ResponseReturnValue:
    """The labelled examples as Rasa NLU YAML (for `make nlu-review EXPORT=...`)."""
    db = database().request_session()
    body = nlu_inbox.export_yaml(nlu_inbox.export_items(db), catalog())
    return Response(
        body,
        mimetype="application/x-yaml",
        headers={"Content-Disposition": "attachment; filename=nlu-export.yml"},
    )


@bp.get("/catalog")
@require_role(*CURATORS)
def catalog_index() -> ResponseReturnValue:
    """Every service with its live version and open drafts."""
    db = database().request_session()
    rows = []
    for code in seed_catalog().ordered_codes():
        live = catalog_versions.published(db, code)
        versions = catalog_versions.versions(db, code)
        drafts = [v.version for v in versions if v.published_at is None]
        rows.append((code, catalog().get(code), live.version if live else 0, drafts))
    return render_template("console/catalog_index.html", rows=rows)


@bp.get("/catalog/<code>")
@require_role(*CURATORS)
def catalog_service(code: str) -> ResponseReturnValue:
    """One service: its versions (who, when) and an editor per language."""
    db = database().request_session()
    if seed_catalog().get(code) is None:
        raise InvalidInput(f"no service '{code}'", code="service_not_found")
    language = request.args.get("lang", "id")
    if language not in CATALOG_LANGUAGES:
        language = "id"
    versions = catalog_versions.versions(db, code)
    live = catalog_versions.published(db, code)
    newest = versions[-1].version if versions else 0
    document = catalog_versions.document_of(db, catalog_dir(), code, newest)
    text = yaml.safe_dump(
        document.get(language) or {}, allow_unicode=True, sort_keys=False, width=100
    )
    return render_template(
        "console/catalog_service.html",
        code=code,
        language=language,
        languages=CATALOG_LANGUAGES,
        versions=[catalog_versions.version_json(v, live) for v in versions],
        live=live.version if live else 0,
        newest=newest,
        text=text,
        me=_actor(),
    )


@bp.post("/catalog/<code>")
@require_role(*CURATORS)
def catalog_edit(code: str) -> ResponseReturnValue:
    """Save the edited YAML of one language as a new draft."""
    db = database().request_session()
    language = request.form.get("lang", "id")
    try:
        patch = yaml.safe_load(request.form.get("document", ""))
    except yaml.YAMLError as exc:
        raise InvalidInput(f"YAML tidak valid: {exc}") from None
    if not isinstance(patch, dict):
        raise InvalidInput("Dokumen harus berupa pemetaan YAML.")
    row = catalog_versions.create_draft(
        db,
        seed_catalog(),
        catalog_dir(),
        code,
        language,
        patch,
        _actor(),
        request.form.get("note") or None,
    )
    audit.record(db, _actor(), "catalog.draft", "service", code, str(row.version))
    db.commit()
    return redirect(url_for("console.catalog_service", code=code, lang=language))


@bp.post("/catalog/<code>/versions/<int:version>/<action>")
@require_role(*CURATORS)
def catalog_version_action(code: str, version: int, action: str) -> ResponseReturnValue:
    """Publish a draft (not its author) or restore an earlier version as a new draft."""
    db = database().request_session()
    if action == "publish":
        catalog_versions.publish(db, seed_catalog(), code, version, _actor())
    elif action == "restore":
        catalog_versions.restore(db, seed_catalog(), catalog_dir(), code, version, _actor())
    else:
        raise InvalidInput("unknown action")
    audit.record(db, _actor(), f"catalog.{action}", "service", code, str(version))
    db.commit()
    catalog_published()
    return redirect(url_for("console.catalog_service", code=code))
