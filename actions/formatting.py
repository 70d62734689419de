"""Pure functions turning helpdesk payloads into short Indonesian chat messages."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

Payload = Mapping[str, Any]
Button = dict[str, str]

BULLET = "•"
# Dates are shown in WIB; regions in WITA/WIT would need the zone from the helpdesk.
DISPLAY_TZ = timezone(timedelta(hours=7), "WIB")
MONTHS = (
    "Januari Februari Maret April Mei Juni Juli Agustus September Oktober November Desember"
).split()

HELPDESK_BUSY = (
    "Maaf, sistem kami sedang sibuk sehingga belum bisa mengambil data. "
    "Silakan coba lagi beberapa saat lagi, atau hubungi langsung kantor layanan terdekat."
)

ASK_INTENTS = (
    "ask_requirements",
    "ask_procedure",
    "ask_fee",
    "ask_duration",
    "ask_location_hours",
)
INTENT_TITLES = {
    "ask_requirements": "Persyaratan",
    "ask_procedure": "Alur pengurusan",
    "ask_fee": "Biaya",
    "ask_duration": "Lama proses",
    "ask_location_hours": "Lokasi & jam",
}
# Which `varies_by_region` entries concern the answer to each intent.
INTENT_FIELDS = {
    "ask_requirements": ("requirements",),
    "ask_procedure": ("procedure",),
    "ask_fee": ("fee",),
    "ask_duration": ("duration", "validity"),
    "ask_location_hours": ("office",),
}


def button(title: str, intent: str, entities: Mapping[str, str] | None = None) -> Button:
    """A quick-reply button whose payload triggers `intent` with `entities`."""
    suffix = json.dumps(dict(entities), separators=(",", ":")) if entities else ""
    return {"title": title, "payload": f"/{intent}{suffix}"}


def format_date(value: datetime) -> str:
    """`2026-11-20T09:15:00+00:00` → `20 November 2026` (in WIB)."""
    local = (value if value.tzinfo else value.replace(tzinfo=UTC)).astimezone(DISPLAY_TZ)
    return f"{local.day} {MONTHS[local.month - 1]} {local.year}"


def format_rupiah(amount: int) -> str:
    """`50000` → `Rp50.000`."""
    return f"Rp{amount:,}".replace(",", ".")


def _str(value: Any) -> str | None:
    """A stripped non-empty string, or None."""
    return (value.strip() or None) if isinstance(value, str) else None


def _strings(value: Any) -> list[str]:
    """The non-empty strings of a list (anything else → [])."""
    if not isinstance(value, list):
        return []
    return [text for text in (_str(item) for item in value) if text]


def _dict(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def _name(service: Payload) -> str:
    return _str(service.get("name")) or _str(service.get("code")) or "layanan ini"


def _bullets(items: list[str]) -> list[str]:
    return [f"{BULLET} {item}" for item in items]


def _regional_footer(service: Payload, intent: str) -> list[str]:
    """The regional caveat when the asked field is set by each region."""
    varies = set(_strings(service.get("varies_by_region")))
    if not varies.intersection(INTENT_FIELDS[intent]):
        return []
    note = _str(service.get("regional_note"))
    return ["", f"Catatan: {note or 'ketentuan ini bisa berbeda di tiap daerah.'}"]


def _grouped(service: Payload, key: str, inner: str, numbered: bool) -> list[str]:
    """Cases with a heading each, then their items as bullets or numbered steps."""
    lines: list[str] = []
    groups = service.get(key)
    for raw in groups if isinstance(groups, list) else []:
        group = _dict(raw)
        items = _strings(group.get(inner))
        if not items:
            continue
        case = _str(group.get("case"))
        lines.append("")
        if case:
            lines.append(f"{case}:")
        if numbered:
            lines.extend(f"{n}. {item}" for n, item in enumerate(items, start=1))
        else:
            lines.extend(_bullets(items))
    return lines


def format_requirements(service: Payload) -> str:
    """What to bring, one heading per case."""
    name = _name(service)
    body = _grouped(service, "requirements", "items", numbered=False)
    if not body:
        lines = [f"Maaf, daftar persyaratan {name} belum tersedia. Silakan tanyakan ke kantor."]
    else:
        lines = [f"Persyaratan {name}:"]
        who = _str(service.get("who"))
        if who:
            lines.append(f"Untuk: {who}")
        lines.extend(body)
    return "\n".join(lines + _regional_footer(service, "ask_requirements"))


def format_procedure(service: Payload) -> str:
    """The steps, numbered, one heading per case."""
    name = _name(service)
    body = _grouped(service, "procedure", "steps", numbered=True)
    if not body:
        lines = [f"Maaf, alur pengurusan {name} belum tersedia. Silakan tanyakan ke kantor."]
    else:
        lines = [f"Alur pengurusan {name}:", *body]
    return "\n".join(lines + _regional_footer(service, "ask_procedure"))


def format_fee(service: Payload) -> str:
    """The fee and its explanation (which cites its own legal basis)."""
    name = _name(service)
    fee = _dict(service.get("fee"))
    amount = fee.get("amount_idr")
    text = _str(fee.get("text"))
    if fee.get("free") is True:
        lines = [f"Biaya {name}: Gratis."]
    elif isinstance(amount, int) and amount > 0:
        lines = [f"Biaya {name}: {format_rupiah(amount)}."]
    elif text:
        lines = [f"Biaya {name}:"]
    else:
        lines = [f"Maaf, informasi biaya {name} belum tersedia. Silakan tanyakan ke kantor."]
    if text:
        lines.append(text)
    if fee.get("free") is True:
        lines += ["", "Jika ada yang meminta bayaran, Anda bisa melaporkannya di sini."]
    return "\n".join(lines + _regional_footer(service, "ask_fee"))


def format_duration(service: Payload) -> str:
    """How long it takes, and how long the document is valid."""
    name = _name(service)
    duration = _str(_dict(service.get("duration")).get("text"))
    if duration:
        lines = [f"Lama proses {name}:", duration]
    else:
        lines = [f"Maaf, lama proses {name} belum tersedia. Silakan tanyakan ke kantor."]
    validity = _str(service.get("validity"))
    if validity:
        lines.append(f"Masa berlaku: {validity}")
    return "\n".join(lines + _regional_footer(service, "ask_duration"))


def format_location_hours(service: Payload) -> str:
    """Where and when to go, the online option, and which region the data is for."""
    name = _name(service)
    office = _dict(service.get("office"))
    lines = [f"Tempat pengurusan {name}:"]
    office_name = _str(office.get("name")) or _str(service.get("agency"))
    if office_name:
        lines.append(office_name)
    address = _str(office.get("address"))
    if address:
        lines.append(f"Alamat: {address}")
    hours = _strings(office.get("hours"))
    if hours:
        lines += ["Jam layanan:", *_bullets(hours)]
    for label, key in (("Telepon", "phone"), ("Situs", "website")):
        value = _str(office.get(key))
        if value:
            lines.append(f"{label}: {value}")
    if len(lines) == 1:
        lines.append("Maaf, data kantornya belum tersedia.")
    online = _dict(service.get("online"))
    online_parts = [_str(online.get(k)) for k in ("name", "text", "url")]
    online_text = " — ".join(part for part in online_parts if part)
    if online_text:
        lines += ["", f"Bisa juga online: {online_text}"]
    region = _str(service.get("region"))
    if region:
        lines += ["", f"Data kantor ini untuk {region}."]
    return "\n".join(lines + _regional_footer(service, "ask_location_hours"))


def office_contact(service: Payload) -> str | None:
    """The office's name and phone (or address) as one line, if the payload has them."""
    office = _dict(service.get("office"))
    parts = [_str(office.get("name")) or _str(service.get("agency"))]
    phone = _str(office.get("phone"))
    parts.append(f"telepon {phone}" if phone else _str(office.get("address")))
    text = ", ".join(part for part in parts if part)
    return text or None


FORMATTERS: dict[str, Callable[[Payload], str]] = {
    "ask_requirements": format_requirements,
    "ask_procedure": format_procedure,
    "ask_fee": format_fee,
    "ask_duration": format_duration,
    "ask_location_hours": format_location_hours,
}


def format_service_answer(intent: str, service: Payload) -> str:
    """The answer to one ask_* intent about a service."""
    return FORMATTERS[intent](service)


def follow_up_offer(service: Payload) -> str:
    """A short line offering more about the same service."""
    return f"Ada lagi yang ingin Anda ketahui tentang {_name(service)}?"


def follow_up_buttons(code: str, answered_intent: str) -> list[Button]:
    """Buttons for the other ask_* intents about the same service."""
    return [
        button(INTENT_TITLES[intent], intent, {"service": code})
        for intent in ASK_INTENTS
        if intent != answered_intent
    ]
