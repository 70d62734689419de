"""Request and complaint statuses and complaint categories (the enums the models store), and
their labels in the bot's four languages: one table for the action server's status replies
and the helpdesk's update notifications, so a citizen reads the same words in both.

A new status is added to its enum here; `label_keys()` lists the labels it needs and
tests/unit/test_architecture.py fails until every language has them."""

from __future__ import annotations

from enum import StrEnum


class RequestStatus(StrEnum):
    """Lifecycle of a citizen's service request (DESIGN.md contract)."""

    SUBMITTED = "submitted"
    VERIFYING = "verifying"
    PROCESSING = "processing"
    NEEDS_DOCUMENTS = "needs_documents"
    READY = "ready"
    COMPLETED = "completed"
    REJECTED = "rejected"


class ComplaintStatus(StrEnum):
    """A complaint's own lifecycle (SP4N-LAPOR! steps plus its two side exits)."""

    RECEIVED = "received"
    VERIFIED = "verified"
    FORWARDED = "forwarded"
    IN_FOLLOW_UP = "in_follow_up"
    FINISHED = "finished"
    NOT_OUR_AUTHORITY = "not_our_authority"
    ARCHIVED = "archived"
    WAITING = "waiting_for_citizen"  # asked for more information; the clock is paused


class ComplaintCategory(StrEnum):
    """SP4N-LAPOR! report categories as citizens see them."""

    PENGADUAN = "pengaduan"
    ASPIRASI = "aspirasi"
    INFORMASI = "permintaan_informasi"


LABELS: dict[str, dict[str, str]] = {
    "id": {
        "status.submitted": "Diterima",
        "status.verifying": "Sedang diverifikasi",
        "status.processing": "Sedang diproses",
        "status.needs_documents": "Perlu melengkapi dokumen",
        "status.ready": "Sudah jadi, siap diambil",
        "status.completed": "Selesai",
        "status.rejected": "Ditolak",
        "complaint.category.pengaduan": "Pengaduan",
        "complaint.category.aspirasi": "Aspirasi",
        "complaint.category.permintaan_informasi": "Permintaan informasi",
        "status.received": "Diterima",
        "status.verified": "Terverifikasi",
        "status.forwarded": "Diteruskan ke unit terkait",
        "status.in_follow_up": "Sedang ditindaklanjuti",
        "status.finished": "Selesai",
        "status.not_our_authority": "Bukan kewenangan kami (dialihkan)",
        "status.archived": "Diarsipkan",
        "status.waiting_for_citizen": "Menunggu keterangan dari Anda",
    },
    "jv": {
        "status.submitted": "Sampun katampi",
        "status.verifying": "Saweg dipunverifikasi",
        "status.processing": "Saweg dipunproses",
        "status.needs_documents": "Dokumen kedah dipunjangkepi",
        "status.ready": "Sampun dados, saged dipunpendhet",
        "status.completed": "Sampun rampung",
        "status.rejected": "Dipuntolak",
        "complaint.category.pengaduan": "Pangaduan",
        "complaint.category.aspirasi": "Aspirasi",
        "complaint.category.permintaan_informasi": "Panyuwunan informasi",
        "status.received": "Sampun katampi",
        "status.verified": "Sampun dipunverifikasi",
        "status.forwarded": "Dipunterusaken dhateng unit ingkang wenang",
        "status.in_follow_up": "Saweg dipuntindaklanjuti",
        "status.finished": "Sampun rampung",
        "status.not_our_authority": "Sanes wewenang kula (dipunalihaken)",
        "status.archived": "Dipunarsipaken",
        "status.waiting_for_citizen": "Ngentosi katrangan saking panjenengan",
    },
    "su": {
        "status.submitted": "Parantos katampi",
        "status.verifying": "Nuju diverifikasi",
        "status.processing": "Nuju diprosés",
        "status.needs_documents": "Dokumén kedah dilengkepan",
        "status.ready": "Parantos réngsé, tiasa dicandak",
        "status.completed": "Parantos réngsé",
        "status.rejected": "Ditolak",
        "complaint.category.pengaduan": "Pangaduan",
        "complaint.category.aspirasi": "Aspirasi",
        "complaint.category.permintaan_informasi": "Pamundut informasi",
        "status.received": "Parantos katampi",
        "status.verified": "Parantos diverifikasi",
        "status.forwarded": "Diteraskeun ka unit nu wenang",
        "status.in_follow_up": "Nuju ditindaklanjutan",
        "status.finished": "Parantos réngsé",
        "status.not_our_authority": "Sanés wewenang kami (dialihkeun)",
        "status.archived": "Diarsipkeun",
        "status.waiting_for_citizen": "Ngantosan katerangan ti anjeun",
    },
    "en": {
        "status.submitted": "Received",
        "status.verifying": "Being verified",
        "status.processing": "Being processed",
        "status.needs_documents": "Documents needed",
        "status.ready": "Ready for collection",
        "status.completed": "Completed",
        "status.rejected": "Rejected",
        "complaint.category.pengaduan": "Complaint",
        "complaint.category.aspirasi": "Aspiration",
        "complaint.category.permintaan_informasi": "Information request",
        "status.received": "Received",
        "status.verified": "Verified",
        "status.forwarded": "Forwarded to the responsible unit",
        "status.in_follow_up": "Being followed up",
        "status.finished": "Finished",
        "status.not_our_authority": "Not our authority (redirected)",
        "status.archived": "Archived",
        "status.waiting_for_citizen": "Waiting for your information",
    },
}


def label_keys() -> list[str]:
    """Every label key the enums above need (`status.<value>`, `complaint.category.<value>`)."""
    keys = [f"status.{s.value}" for s in (*RequestStatus, *ComplaintStatus)]
    return keys + [f"complaint.category.{c.value}" for c in ComplaintCategory]
