"""The public service directory: `/layanan` (search) and `/layanan/{code}` (one service).

Server-rendered for slow phones: no scripts, no images, a few lines of inline CSS, each page
well under 30 KB. The search uses the same resolver as the bot (`Catalog.resolver`), so an
old name ("imb"), a typo or another language finds the service, and a service another agency
handles shows that agency. Pages come in the four languages of the catalog (`?lang=`).

Other routes under `/layanan/...` (e.g. the online application, `/layanan/{code}/ajukan`)
register on this blueprint (`from helpdesk.web.directory import bp`) or their own; a
service's page shows the links registered with `add_service_link` (helpdesk/web/apply.py
adds "Ajukan online").
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Blueprint, abort, render_template, request, url_for

from helpdesk.catalog import CATALOG_LANGUAGES, SOURCE_LANGUAGE, Catalog, Service
from helpdesk.web.extensions import catalog

bp = Blueprint("directory", __name__, url_prefix="/layanan", template_folder="templates")

MAX_QUERY = 200
LANGUAGE_NAMES = (
    ("id", "Bahasa Indonesia"),
    ("jv", "Basa Jawa"),
    ("su", "Basa Sunda"),
    ("en", "English"),
)

ServiceLink = Callable[[Service, str], tuple[str, str] | None]
"""Given a service and a language, a (label, url) to show on its page, or None."""
_service_links: list[ServiceLink] = []


def add_service_link(link: ServiceLink) -> None:
    """Show one more action on service pages (e.g. "Ajukan online" for `/ajukan`)."""
    if link not in _service_links:
        _service_links.append(link)


LABELS: dict[str, dict[str, str]] = {
    "id": {
        "title": "Direktori layanan publik",
        "intro": "Cari layanan, lalu lihat syarat, alur, biaya, lama proses, dan tempatnya.",
        "search": "Cari layanan",
        "search_button": "Cari",
        "placeholder": "misalnya: IMB, akte lahir, KTP hilang",
        "results": "Hasil untuk “{q}”",
        "no_results": "Tidak ada layanan yang cocok dengan “{q}”. Lihat daftar lengkap di bawah.",
        "all": "Semua layanan",
        "elsewhere": "Bukan layanan kami: {title}",
        "handled_by": "Ditangani oleh",
        "reach": "Cara menghubungi",
        "unverified": "Sebagian keterangan ini belum terverifikasi: pastikan ke instansinya.",
        "requirements": "Persyaratan",
        "procedure": "Alur pengurusan",
        "fee": "Biaya",
        "free": "Gratis",
        "duration": "Lama proses",
        "validity": "Masa berlaku",
        "where": "Tempat dan jam layanan",
        "online": "Layanan daring",
        "who": "Siapa yang boleh mengajukan",
        "legal_basis": "Dasar hukum",
        "notes": "Catatan",
        "regional": "Berbeda di tiap daerah",
        "verified": "Data diperiksa: {month}. Sumber: {sources}.",
        "back": "Kembali ke direktori",
        "chat": "Ada pertanyaan? Tanyakan di chat Halo Warga.",
        "phone": "Telepon",
        "website": "Situs",
        "languages": "Bahasa",
        "region": "Data kantor untuk {region}.",
    },
    "jv": {
        "title": "Direktori layanan umum",
        "intro": "Padosi layanan, lajeng pirsani syarat, tata cara, wragad, dangunipun, lan "
        "papanipun.",
        "search": "Padosi layanan",
        "search_button": "Padosi",
        "placeholder": "tuladha: IMB, akta lair, KTP ical",
        "results": "Asil kangge “{q}”",
        "no_results": "Boten wonten layanan ingkang cocok kaliyan “{q}”. Pirsani daftar "
        "jangkep ing ngandhap.",
        "all": "Sedaya layanan",
        "elsewhere": "Sanes layanan kula: {title}",
        "handled_by": "Dipunurus dening",
        "reach": "Cara nyambet",
        "unverified": "Sawetawis katrangan dereng dipunverifikasi: pastekaken dhateng "
        "instansinipun.",
        "requirements": "Syarat",
        "procedure": "Tata cara",
        "fee": "Wragad",
        "free": "Gratis",
        "duration": "Dangunipun proses",
        "validity": "Wekdal lumampah",
        "where": "Papan lan jam layanan",
        "online": "Layanan daring",
        "who": "Sinten ingkang saged ngajokaken",
        "legal_basis": "Dhasar hukum",
        "notes": "Cathetan",
        "regional": "Benten ing saben dhaerah",
        "verified": "Data dipunpriksa: {month}. Sumber: {sources}.",
        "back": "Wangsul dhateng direktori",
        "chat": "Wonten pitakenan? Nyuwun pirsa ing chat Halo Warga.",
        "phone": "Telpon",
        "website": "Situs",
        "languages": "Basa",
        "region": "Data kantor kangge {region}.",
    },
    "su": {
        "title": "Diréktori layanan umum",
        "intro": "Milarian layanan, teras tingali sarat, tata cara, biaya, lami prosés, sareng "
        "tempatna.",
        "search": "Milarian layanan",
        "search_button": "Milarian",
        "placeholder": "contona: IMB, akte kalahiran, KTP leungit",
        "results": "Hasil pikeun “{q}”",
        "no_results": "Teu aya layanan anu cocog sareng “{q}”. Tingali daptar lengkep di handap.",
        "all": "Sadaya layanan",
        "elsewhere": "Sanés layanan kami: {title}",
        "handled_by": "Diurus ku",
        "reach": "Cara ngahubungan",
        "unverified": "Sawatara katerangan teu acan diverifikasi: pastikeun ka instansina.",
        "requirements": "Sarat",
        "procedure": "Tata cara",
        "fee": "Biaya",
        "free": "Gratis",
        "duration": "Lami prosés",
        "validity": "Masa berlaku",
        "where": "Tempat sareng jam layanan",
        "online": "Layanan daring",
        "who": "Saha anu tiasa ngajukeun",
        "legal_basis": "Dasar hukum",
        "notes": "Catetan",
        "regional": "Béda di unggal daérah",
        "verified": "Data dipariksa: {month}. Sumber: {sources}.",
        "back": "Uih deui ka diréktori",
        "chat": "Aya patarosan? Naroskeun dina chat Halo Warga.",
        "phone": "Telepon",
        "website": "Situs",
        "languages": "Basa",
        "region": "Data kantor pikeun {region}.",
    },
    "en": {
        "title": "Public service directory",
        "intro": "Find a service, then see its requirements, steps, fee, time and office.",
        "search": "Search services",
        "search_button": "Search",
        "placeholder": "e.g. IMB, birth certificate, lost ID card",
        "results": "Results for “{q}”",
        "no_results": "No service matches “{q}”. See the full list below.",
        "all": "All services",
        "elsewhere": "Not our service: {title}",
        "handled_by": "Handled by",
        "reach": "How to reach them",
        "unverified": "Part of this is not verified: check with the agency.",
        "requirements": "Requirements",
        "procedure": "Procedure",
        "fee": "Fee",
        "free": "Free",
        "duration": "Processing time",
        "validity": "Validity",
        "where": "Where and when",
        "online": "Online service",
        "who": "Who may apply",
        "legal_basis": "Legal basis",
        "notes": "Notes",
        "regional": "Differs by region",
        "verified": "Checked: {month}. Sources: {sources}.",
        "back": "Back to the directory",
        "chat": "Questions? Ask in the Halo Warga chat.",
        "phone": "Phone",
        "website": "Website",
        "languages": "Language",
        "region": "Office data for {region}.",
    },
}


def _language() -> str:
    lang = request.args.get("lang", "").strip().lower()
    return lang if lang in CATALOG_LANGUAGES else SOURCE_LANGUAGE


def _lang_arg(lang: str) -> dict[str, str]:
    return {} if lang == SOURCE_LANGUAGE else {"lang": lang}


CATEGORY_LABELS: dict[str, dict[str, str]] = {
    "id": dict(
        kependudukan="Kependudukan",
        kepolisian="Kepolisian",
        perizinan="Perizinan",
        pajak="Pajak",
        kesehatan="Kesehatan",
        sosial="Sosial",
        ketenagakerjaan="Ketenagakerjaan",
        keimigrasian="Keimigrasian",
    ),
    "jv": dict(
        kependudukan="Kependudukan",
        kepolisian="Kapolisian",
        perizinan="Perizinan",
        pajak="Pajak",
        kesehatan="Kasarasan",
        sosial="Sosial",
        ketenagakerjaan="Padamelan",
        keimigrasian="Imigrasi",
    ),
    "su": dict(
        kependudukan="Kapendudukan",
        kepolisian="Kapulisian",
        perizinan="Perizinan",
        pajak="Pajeg",
        kesehatan="Kaséhatan",
        sosial="Sosial",
        ketenagakerjaan="Padamelan",
        keimigrasian="Imigrasi",
    ),
    "en": dict(
        kependudukan="Civil registration",
        kepolisian="Police",
        perizinan="Permits and licences",
        pajak="Taxes",
        kesehatan="Health",
        sosial="Social welfare",
        ketenagakerjaan="Employment",
        keimigrasian="Immigration",
    ),
}
"""The categories' names (the same words the bot uses, actions/messages_*.py)."""


def _category_label(category: str, lang: str) -> str:
    return CATEGORY_LABELS[lang].get(category) or category.replace("_", " ").capitalize()


def _listing(cat: Catalog, lang: str) -> list[tuple[str, list[Service]]]:
    groups: dict[str, list[Service]] = {}
    for code in cat.ordered_codes():
        found = cat.localized(code, lang)
        if found is not None:
            groups.setdefault(found[0].category, []).append(found[0])
    return [(_category_label(category, lang), items) for category, items in groups.items()]


@bp.get("/")
@bp.get("")  # registered first: url_for gives /layanan
def index() -> str:
    """The directory: every service by category; with `?q=`, the best matches first."""
    lang = _language()
    cat = catalog()
    query = " ".join(request.args.get("q", "").split())[:MAX_QUERY]
    results: list[tuple[str, Any]] = []  # ("service", Service) | ("elsewhere", payload)
    if query:
        for target in cat.resolver.rank(query, limit=6):
            if target.kind == "service" and (found := cat.localized(target.code, lang)):
                results.append(("service", found[0]))
            elif target.kind == "elsewhere" and target.code in cat.elsewhere:
                entry = cat.elsewhere[target.code]
                results.append(
                    ("elsewhere", entry.payload(lang) | {"unverified": entry.unverified})
                )
    return render_template(
        "directory/index.html",
        t=LABELS[lang],
        lang=lang,
        lang_arg=_lang_arg(lang),
        languages=LANGUAGE_NAMES,
        query=query,
        results=results,
        groups=_listing(cat, lang),
        region=cat.region,
    )


@bp.get("/<code>")
def service_page(code: str) -> str:
    """One service: requirements by case, procedure, fee, time, office, who, legal basis."""
    lang = _language()
    cat = catalog()
    found = cat.localized(code, lang)
    if found is None:
        abort(404)
    service = found[0]
    links = [link for make in _service_links if (link := make(service, lang)) is not None]
    return render_template(
        "directory/service.html",
        t=LABELS[lang],
        lang=lang,
        lang_arg=_lang_arg(lang),
        languages=LANGUAGE_NAMES,
        s=service,
        office=cat.offices.get(service.office),
        category=_category_label(service.category, lang),
        region=cat.region,
        links=links,
        index_url=url_for("directory.index") + ("" if lang == SOURCE_LANGUAGE else f"?lang={lang}"),
    )
