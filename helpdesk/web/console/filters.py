"""Template filters and globals of the console (labels, times, masking)."""

from __future__ import annotations

from datetime import datetime

from flask_babel import format_datetime
from flask_babel import gettext as _

from helpdesk.models import utcnow
from helpdesk.web.console import bp


@bp.app_template_filter("waited")
def waited(since: datetime | None) -> str:
    """How long ago, as "3 mnt" / "2 j 5 mnt"."""
    if since is None:
        return ""
    minutes = max(0, int((utcnow() - since).total_seconds() // 60))
    hours, rest = divmod(minutes, 60)
    if hours:
        return _("%(h)s j %(m)s mnt", h=hours, m=rest)
    return _("%(m)s mnt", m=rest)


@bp.app_template_filter("clock")
def clock(at: datetime) -> str:
    """Local date and time of a message (the console's timezone, Asia/Jakarta)."""
    return str(format_datetime(at, "d MMM HH:mm"))


@bp.app_template_filter("masked")
def masked(text: str) -> str:
    """Citizen text with NIKs and phone numbers masked."""
    from helpdesk.web.console.pages import mask_personal

    return mask_personal(text or "")[0]


def reason_label(reason: str | None) -> str:
    """Why the bot handed the conversation over, in the console's language."""
    labels = {
        "citizen_request": _("Warga minta petugas"),
        "complaint": _("Pengaduan"),
        "fallback": _("Bot tidak paham"),
        "engine_error": _("Bot gangguan"),
    }
    return labels.get(reason or "", reason or "-")


def status_label(status: str) -> str:
    """A conversation status in the console's language."""
    labels = {
        "bot": _("Dilayani bot"),
        "pending": _("Menunggu petugas"),
        "open": _("Dibuka petugas"),
        "resolved": _("Selesai"),
    }
    return labels.get(status, status)


def event_label(kind: str) -> str:
    """A console event in the console's language."""
    labels = {
        "claim": _("mengambil percakapan"),
        "assign": _("menugaskan ke"),
        "transfer": _("mengalihkan"),
        "return": _("mengembalikan ke antrean"),
        "timeout": _("kembali ke antrean otomatis"),
        "note": _("catatan internal"),
        "resolve": _("menyelesaikan"),
        "reopen": _("membuka kembali"),
    }
    return labels.get(kind, kind)


@bp.app_context_processor
def _labels() -> dict[str, object]:
    return {"reason_label": reason_label, "status_label": status_label, "event_label": event_label}
