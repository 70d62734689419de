"""Pure functions turning helpdesk payloads into short chat messages in the citizen's language.

The service payload is already translated by the helpdesk (`?lang=`); these functions add
the headings, labels and bullets from `actions.i18n`.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from actions.i18n import BULLET, DEFAULT_LANGUAGE, localize_hours, t

Payload = Mapping[str, Any]
Button = dict[str, str]

ASK_INTENTS = (
    "ask_requirements",
    "ask_procedure",
    "ask_fee",
    "ask_duration",
    "ask_location_hours",
    "ask_eligibility",
)
# Which `varies_by_region` entries concern the answer to each intent.
INTENT_FIELDS = {
    "ask_requirements": ("requirements",),
    "ask_procedure": ("procedure",),
    "ask_fee": ("fee",),
    "ask_duration": ("duration", "validity"),
    "ask_location_hours": ("office",),
    "ask_eligibility": (),
}


def button(title: str, intent: str, entities: Mapping[str, str] | None = None) -> Button:
    """A quick-reply button whose payload triggers `intent` with `entities`."""
    suffix = json.dumps(dict(entities), separators=(",", ":")) if entities else ""
    return {"title": title, "payload": f"/{intent}{suffix}"}


def format_rupiah(amount: int) -> str:
    """`50000` → `Rp50.000` (the Indonesian way, in every language)."""
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


def _name(service: Payload, language: str) -> str:
    return _str(service.get("name")) or _str(service.get("code")) or t("this_service", language)


def _bullets(items: list[str]) -> list[str]:
    return [f"{BULLET} {item}" for item in items]


def _regional_footer(service: Payload, intent: str, language: str) -> list[str]:
    """The regional caveat when the asked field is set by each region."""
    varies = set(_strings(service.get("varies_by_region")))
    if not varies.intersection(INTENT_FIELDS[intent]):
        return []
    note = _str(service.get("regional_note")) or t("regional.generic", language)
    return ["", t("regional.note", language, note=note)]


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


def format_requirements(service: Payload, language: str = DEFAULT_LANGUAGE) -> str:
    """What to bring, one heading per case."""
    name = _name(service, language)
    body = _grouped(service, "requirements", "items", numbered=False)
    if not body:
        lines = [t("requirements.none", language, name=name)]
    else:
        lines = [t("requirements.title", language, name=name)]
        who = _str(service.get("who"))
        if who:
            lines.append(t("requirements.who", language, who=who))
        lines.extend(body)
    return "\n".join(lines + _regional_footer(service, "ask_requirements", language))


def format_procedure(service: Payload, language: str = DEFAULT_LANGUAGE) -> str:
    """The steps, numbered, one heading per case."""
    name = _name(service, language)
    body = _grouped(service, "procedure", "steps", numbered=True)
    if not body:
        lines = [t("procedure.none", language, name=name)]
    else:
        lines = [t("procedure.title", language, name=name), *body]
    return "\n".join(lines + _regional_footer(service, "ask_procedure", language))


def format_fee(service: Payload, language: str = DEFAULT_LANGUAGE) -> str:
    """The fee and its explanation (which cites its own legal basis)."""
    name = _name(service, language)
    fee = _dict(service.get("fee"))
    amount = fee.get("amount_idr")
    text = _str(fee.get("text"))
    if fee.get("free") is True:
        lines = [t("fee.free", language, name=name)]
    elif isinstance(amount, int) and amount > 0:
        lines = [t("fee.amount", language, name=name, amount=format_rupiah(amount))]
    elif text:
        lines = [t("fee.title", language, name=name)]
    else:
        lines = [t("fee.none", language, name=name)]
    if text:
        lines.append(text)
    if fee.get("free") is True:
        lines += ["", t("fee.report", language)]
    return "\n".join(lines + _regional_footer(service, "ask_fee", language))


def format_duration(service: Payload, language: str = DEFAULT_LANGUAGE) -> str:
    """How long it takes, and how long the document is valid."""
    name = _name(service, language)
    duration = _str(_dict(service.get("duration")).get("text"))
    if duration:
        lines = [t("duration.title", language, name=name), duration]
    else:
        lines = [t("duration.none", language, name=name)]
    validity = _str(service.get("validity"))
    if validity:
        lines.append(t("duration.validity", language, validity=validity))
    return "\n".join(lines + _regional_footer(service, "ask_duration", language))


def format_eligibility(service: Payload, language: str = DEFAULT_LANGUAGE) -> str:
    """Who may apply (and from what age), from the catalog's `eligibility`, else `who`."""
    name = _name(service, language)
    text = _str(service.get("eligibility")) or _str(service.get("who"))
    if not text:
        return t("eligibility.none", language, name=name)
    return "\n".join([t("eligibility.title", language, name=name), text])


def format_location_hours(service: Payload, language: str = DEFAULT_LANGUAGE) -> str:
    """Where and when to go, the online option, and which region the data is for."""
    name = _name(service, language)
    office = _dict(service.get("office"))
    lines = [t("location.title", language, name=name)]
    office_name = _str(office.get("name")) or _str(service.get("agency"))
    if office_name:
        lines.append(office_name)
    address = _str(office.get("address"))
    if address:
        lines.append(t("location.address", language, address=address))
    hours = [localize_hours(line, language) for line in _strings(office.get("hours"))]
    if hours:
        lines += [t("location.hours", language), *_bullets(hours)]
    for key in ("phone", "website"):
        value = _str(office.get(key))
        if value:
            lines.append(t(f"location.{key}", language, **{key: value}))
    if len(lines) == 1:
        lines.append(t("location.none", language))
    online = _dict(service.get("online"))
    online_parts = [_str(online.get(k)) for k in ("name", "text", "url")]
    online_text = " — ".join(part for part in online_parts if part)
    if online_text:
        lines += ["", t("location.online", language, online=online_text)]
    region = _str(service.get("region"))
    if region:
        lines += ["", t("location.region", language, region=region)]
    return "\n".join(lines + _regional_footer(service, "ask_location_hours", language))


def office_contact(service: Payload, language: str = DEFAULT_LANGUAGE) -> str | None:
    """The office's name and phone (or address) as one line, if the payload has them."""
    office = _dict(service.get("office"))
    parts = [_str(office.get("name")) or _str(service.get("agency"))]
    phone = _str(office.get("phone"))
    if phone:
        parts.append(t("contact.phone", language, phone=phone))
    else:
        parts.append(_str(office.get("address")))
    text = ", ".join(part for part in parts if part)
    return text or None


FORMATTERS: dict[str, Callable[[Payload, str], str]] = {
    "ask_requirements": format_requirements,
    "ask_procedure": format_procedure,
    "ask_fee": format_fee,
    "ask_duration": format_duration,
    "ask_location_hours": format_location_hours,
    "ask_eligibility": format_eligibility,
}


CASE_INTENTS = {
    "ask_requirements": ("requirements", "items", False),
    "ask_procedure": ("procedure", "steps", True),
}
"""The answers that come in cases: which field, its entries, and whether they are steps."""


def format_case_answer(
    intent: str, service: Payload, indexes: Sequence[int], language: str = DEFAULT_LANGUAGE
) -> str:
    """The answer to `intent` for the chosen cases only (by index), in `language`."""
    key, inner, numbered = CASE_INTENTS[intent]
    groups = service.get(key)
    chosen = {key: [g for i, g in enumerate(groups or []) if i in set(indexes)]}
    title = "requirements.title" if key == "requirements" else "procedure.title"
    lines = [t(title, language, name=_name(service, language))]
    lines += _grouped(chosen, key, inner, numbered)
    return "\n".join(lines + _regional_footer(service, intent, language))


def case_titles(service: Payload, intent: str) -> list[str]:
    """The case titles of the field `intent` answers ("" where a case has none)."""
    key = CASE_INTENTS[intent][0]
    groups = service.get(key)
    return [_str(_dict(g).get("case")) or "" for g in (groups if isinstance(groups, list) else [])]


def format_service_answer(intent: str, service: Payload, language: str = DEFAULT_LANGUAGE) -> str:
    """The answer to one ask_* intent about a service, in `language`."""
    return FORMATTERS[intent](service, language)


def follow_up_offer(service: Payload, language: str = DEFAULT_LANGUAGE) -> str:
    """A short line offering more about the same service."""
    return t("follow_up", language, name=_name(service, language))


def follow_up_buttons(
    code: str, answered_intent: str, language: str = DEFAULT_LANGUAGE
) -> list[Button]:
    """Buttons for the other ask_* intents about the same service."""
    return [
        button(t(f"intent.{intent}", language), intent, {"service": code})
        for intent in ASK_INTENTS
        if intent != answered_intent
    ]
