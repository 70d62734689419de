"""The online application form in chat (widget, Telegram, WhatsApp), in the citizen's
language: consent, one question per message (each answer checked, with a clear
re-prompt), the documents as photos or PDFs, updates yes/no, a summary to confirm, then
the tracking number and what happens next.

State lives on the conversation (`journey = {"kind": "application", ...}`); the answers
in it are encrypted (they hold the NIK). The citizen can leave at any step ("batal"):
nothing is kept. Hooks for the journeys engine's "never trap" escape: `prompt()` gives
the current question again (after a question was answered, the form offers to
continue) and `cancel()` leaves the form.

After filing, an officer may ask for missing documents: `file_arrived()` attaches the
files the applicant then sends in the same chat to the request.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.orm import Session

from helpdesk.catalog import Application, Catalog
from helpdesk.infra.config import Settings
from helpdesk.infra.crypto import decrypt, encrypt
from helpdesk.journeys.application_texts import at
from helpdesk.journeys.engine import JourneyReply, Replies
from helpdesk.journeys.i18n import is_word, normalize, words
from helpdesk.models import Attachment, Conversation, utcnow
from helpdesk.services import applications
from helpdesk.services.errors import InvalidInput
from helpdesk.services.requests import update_status
from helpdesk.services.sla import format_moment
from helpdesk.text.personal import mask_nik, mask_phone

KIND = "application"
SEND_WORDS = frozenset({"kirim", "kirim permohonan", "send", "send application", "kintun"})
HUMAN_WORDS = frozenset(
    {
        "petugas",
        "bicara dengan petugas",
        "mau bicara dengan petugas",
        "minta petugas",
        "operator",
        "officer",
        "talk to an officer",
        "human",
        "ngendika kaliyan petugas",
        "nyarios sareng petugas",
    }
)
"""Asking for an officer inside the form: it ends and the engine hands the chat off."""
WIB = timedelta(hours=7)


def _button(title: str, payload: str) -> dict[str, Any]:
    return {"title": title, "payload": payload}


def _is(said: str, key: str) -> bool:
    """Whether the whole message is a `words.*` word in any of the four languages (citizens
    mix them, and a short first message may not reveal which language they speak)."""
    return any(is_word(said, key, language) for language in ("id", "jv", "su", "en"))


def _skips(said: str) -> bool:
    return any(normalize(said) in words("words.skip", lang) for lang in ("id", "jv", "su", "en"))


class ApplicationForm:
    """Runs the application form for the journeys engine."""

    def __init__(
        self,
        catalog: Callable[[], Catalog],
        settings: Settings,
        clock: Callable[[], datetime] = utcnow,
    ) -> None:
        self.catalog = catalog
        self.settings = settings
        self.clock = clock

    # --- entry points ----------------------------------------------------------------------

    def start(self, conversation: Conversation, service_code: str | None) -> Replies:
        """Open the form for a service (or ask which one when none was named)."""
        language = _lang(conversation)
        catalog = self.catalog()
        online = catalog.applicable_codes()
        if not service_code:
            _set(conversation, {"kind": KIND, "step": "service", "language": language})
            return [self._which(conversation, "which")]
        service = catalog.get(service_code)
        if service is None or service.application is None:
            name = self._name(service_code, language)
            return [
                JourneyReply(
                    at(
                        "not_online", language, service=name, services=self._names(online, language)
                    ),
                    [_button(self._name(c, language), c) for c in online],
                )
            ]
        form = self._form(service_code, language)
        _set(
            conversation,
            {
                "kind": KIND,
                "service": service_code,
                "step": "consent",
                "index": 0,
                "language": language,
            },
        )
        intro = at(
            "start",
            language,
            service=self._name(service_code, language),
            fields=len(form.fields),
            documents=len(form.documents),
        )
        return [JourneyReply(intro), self._consent(conversation, form)]

    def step(
        self,
        session: Session,
        conversation: Conversation,
        said: str,
        attachments: list[Attachment] | None = None,
    ) -> Replies | None:
        """One citizen message (or file) inside the form; None when the engine must answer
        it (the citizen asked for an officer: the form ends, nothing kept)."""
        state = dict(conversation.journey or {})
        language = _lang(conversation)
        files = attachments or []
        if said and _is(said, "words.cancel"):
            return self.cancel(conversation)
        if not files and normalize(said) in HUMAN_WORDS:
            _clear(conversation)
            return None
        step = str(state.get("step"))
        if step == "service":
            found = self.catalog().get(said.strip()) or self.catalog().find(said)
            if found is None:
                return [self._which(conversation, "which")]
            return self.start(conversation, found.code)
        code = str(state.get("service"))
        form = self._form(code, language)
        if step == "consent":
            if _is(said, "words.yes") or normalize(said) in {
                "setuju",
                "agree",
                "sarujuk",
                "satuju",
            }:
                return self._advance(conversation, state, form, "field", 0)
            return [self._consent(conversation, form)]
        if step == "field":
            return self._field_step(conversation, state, form, said)
        if step == "document":
            return self._document_step(conversation, state, form, said, files)
        if step == "updates":
            if _is(said, "words.yes"):
                state["updates"] = True
            elif _is(said, "words.no"):
                state["updates"] = False
            else:
                return [self._updates(language)]
            return self._advance(conversation, state, form, "confirm", 0)
        if step == "confirm":
            if _is(said, "words.yes") or normalize(said) in SEND_WORDS:
                return self._submit(session, conversation, state, form)
            if _is(said, "words.no"):
                return self.cancel(conversation)
            return [
                JourneyReply(at("summary.invalid", language)),
                self._summary(session, conversation, state, form),
            ]
        return self.cancel(conversation)

    def prompt(self, session: Session, conversation: Conversation) -> Replies:
        """The current question again (after the citizen asked something else)."""
        state = dict(conversation.journey or {})
        language = _lang(conversation)
        if state.get("kind") != KIND:
            return []
        if state.get("step") == "service":
            return [self._which(conversation, "which")]
        code = str(state.get("service"))
        form = self._form(code, language)
        resume = JourneyReply(at("resume", language, service=self._name(code, language)))
        return [resume, self._current(session, conversation, state, form)]

    def cancel(self, conversation: Conversation) -> Replies:
        """Leave the form; nothing the citizen typed is kept (files stay unlinked)."""
        language = _lang(conversation)
        _clear(conversation)
        return [JourneyReply(at("cancelled", language))]

    def file_arrived(
        self, session: Session, conversation: Conversation, attachment: Attachment
    ) -> Replies | None:
        """A file outside the form: a missing document an officer asked for, if any."""
        request = applications.waiting_for_documents(session, conversation)
        if request is None:
            return None
        language = request.language or _lang(conversation)
        key, missing = applications.attach_missing(session, request, attachment)
        label = dict(applications.document_labels(self.catalog(), request, [key])).get(key, key)
        replies = [
            JourneyReply(at("document.received", language, label=label, name=attachment.filename))
        ]
        if missing:
            (_, next_label), *_ = applications.document_labels(self.catalog(), request, missing)
            replies.append(JourneyReply(at("document.wait", language, label=next_label)))
        else:
            replies.append(
                JourneyReply(at("missing.done", language, number=request.tracking_number))
            )
            # Nothing is missing any more: the officer checks again and the clock runs.
            update_status(
                session,
                request.tracking_number,
                "verifying",
                None,
                actor="citizen",
                at=self.clock(),
            )
        return replies

    # --- steps -------------------------------------------------------------------------------

    def _field_step(
        self, conversation: Conversation, state: dict[str, Any], form: Application, said: str
    ) -> Replies:
        language = _lang(conversation)
        index = int(state.get("index") or 0)
        field = form.fields[index]
        source = self._form(str(state.get("service")), "id").fields[index]
        skipping = not field.required and _skips(said)
        today = (self.clock() + WIB).date()
        value, problem = (
            (None, None)
            if skipping
            else applications.check_answer(source, said, today, field.choices)
        )
        if problem is not None and source.type == "choice":  # a label in another language
            for other in ("id", "jv", "su", "en"):
                labels = self._form(str(state.get("service")), other).fields[index].choices
                found, missed = applications.check_answer(source, said, today, labels)
                if missed is None:
                    value, problem = found, None
                    break
        if problem is not None:
            error = JourneyReply(at(problem.key, language, **problem.values))
            return [error, self._ask(language, form, index)]
        answers = _answers(state)
        answers[field.key] = value
        state["answers"] = _seal(answers)
        if index + 1 < len(form.fields):
            return self._advance(conversation, state, form, "field", index + 1)
        if form.documents:
            return self._advance(conversation, state, form, "document", 0)
        return self._advance(conversation, state, form, "updates", 0)

    def _document_step(
        self,
        conversation: Conversation,
        state: dict[str, Any],
        form: Application,
        said: str,
        files: list[Attachment],
    ) -> Replies:
        language = _lang(conversation)
        index = int(state.get("index") or 0)
        document = form.documents[index]
        if not files:
            if not document.required and _skips(said):
                return self._next_document(conversation, state, form, index)
            return [
                JourneyReply(at("document.wait", language, label=document.label)),
                self._ask_document(language, form, index),
            ]
        replies: Replies = []
        stored = dict(state.get("documents") or {})
        for attachment in files:
            if not applications.accepts(document, attachment.content_type):
                types = ", ".join(t.upper() for t in document.types)
                replies.append(
                    JourneyReply(at("document.type", language, label=document.label, types=types))
                )
                continue
            stored.setdefault(document.key, []).append(attachment.id)
            replies.append(
                JourneyReply(
                    at(
                        "document.received",
                        language,
                        label=document.label,
                        name=attachment.filename,
                    )
                )
            )
        state["documents"] = stored
        if document.key not in stored:
            conversation.journey = {**state}
            return [*replies, self._ask_document(language, form, index)]
        return replies + self._next_document(conversation, state, form, index)

    def _next_document(
        self, conversation: Conversation, state: dict[str, Any], form: Application, index: int
    ) -> Replies:
        if index + 1 < len(form.documents):
            return self._advance(conversation, state, form, "document", index + 1)
        return self._advance(conversation, state, form, "updates", 0)

    def _advance(
        self,
        conversation: Conversation,
        state: dict[str, Any],
        form: Application,
        step: str,
        index: int,
    ) -> Replies:
        state.update(step=step, index=index)
        _set(conversation, state)
        language = _lang(conversation)
        if step == "field":
            return [self._ask(language, form, index)]
        if step == "document":
            return [self._ask_document(language, form, index)]
        if step == "updates":
            return [self._updates(language)]
        return [self._summary(None, conversation, state, form)]

    def _submit(
        self,
        session: Session,
        conversation: Conversation,
        state: dict[str, Any],
        form: Application,
    ) -> Replies:
        language = _lang(conversation)
        code = str(state.get("service"))
        documents = {
            key: [
                a
                for a in (session.get(Attachment, i) for i in ids)
                if a is not None and a.conversation_id == conversation.id
            ]
            for key, ids in (state.get("documents") or {}).items()
        }
        try:
            request = applications.submit(
                session,
                self.catalog(),
                self.settings,
                service_code=code,
                answers=_answers(state),
                documents=documents,
                channel=conversation.channel.value,
                language=language,
                conversation=conversation,
                subscribe=bool(state.get("updates")),
                now=self.clock(),
            )
        except InvalidInput:  # the catalog changed under the form: start again
            return self.cancel(conversation)
        _clear(conversation)
        catalog = self.catalog()
        unit = catalog.units.get(request.unit or "")
        unit_name = unit.name_in(language) if unit else request.unit
        due = request.due_at or self.clock()
        text = at(
            "filed",
            language,
            service=self._name(code, language),
            number=request.tracking_number,
            due=format_moment(due, catalog.timezone, language),
            days=form.standard_days,
            unit=unit_name,
            updates=at("filed.updates", language) if state.get("updates") else "",
        )
        replies = [JourneyReply(text)]
        if form.pickup:
            replies.append(JourneyReply(at("web.pickup", language, where=form.pickup)))
        return replies

    # --- prompts -----------------------------------------------------------------------------

    def _current(
        self,
        session: Session | None,
        conversation: Conversation,
        state: dict[str, Any],
        form: Application,
    ) -> JourneyReply:
        language = _lang(conversation)
        step, index = state.get("step"), int(state.get("index") or 0)
        if step == "consent":
            return self._consent(conversation, form)
        if step == "field":
            return self._ask(language, form, index)
        if step == "document":
            return self._ask_document(language, form, index)
        if step == "updates":
            return self._updates(language)
        return self._summary(session, conversation, state, form)

    def _consent(self, conversation: Conversation, form: Application) -> JourneyReply:
        language = _lang(conversation)
        return JourneyReply(
            at("consent", language, consent=form.consent),
            [
                _button(at("button.agree", language), "setuju"),
                _button(at("button.cancel", language), "batal"),
            ],
        )

    @staticmethod
    def _ask(language: str, form: Application, index: int) -> JourneyReply:
        field = form.fields[index]
        lines = [at("ask", language, index=index + 1, count=len(form.fields), label=field.label)]
        if field.hint:
            lines.append(at("hint", language, hint=field.hint))
        buttons = []
        if field.choices:
            listed = "; ".join(f"{i + 1} {c}" for i, c in enumerate(field.choices))
            lines.append(at("choices", language, choices=listed))
            buttons = [_button(c, str(i + 1)) for i, c in enumerate(field.choices)]
        if not field.required:
            lines.append(at("optional", language))
            buttons.append(_button(at("button.skip", language), "lewati"))
        return JourneyReply("\n".join(lines), buttons)

    @staticmethod
    def _ask_document(language: str, form: Application, index: int) -> JourneyReply:
        document = form.documents[index]
        types = ", ".join(t.upper() for t in document.types)
        text = at(
            "document",
            language,
            index=index + 1,
            count=len(form.documents),
            label=document.label,
            types=types,
        )
        buttons = []
        if not document.required:
            text = f"{text}\n{at('optional', language)}"
            buttons.append(_button(at("button.skip", language), "lewati"))
        return JourneyReply(text, buttons)

    @staticmethod
    def _updates(language: str) -> JourneyReply:
        return JourneyReply(
            at("updates", language),
            [
                _button(at("button.yes", language), "ya"),
                _button(at("button.no", language), "tidak"),
            ],
        )

    def _summary(
        self,
        session: Session | None,
        conversation: Conversation,
        state: dict[str, Any],
        form: Application,
    ) -> JourneyReply:
        language = _lang(conversation)
        answers = _answers(state)
        lines = []
        for field in form.fields:
            value = answers.get(field.key)
            if value is None:
                shown = at("skipped", language)
            elif field.type == "nik":
                shown = mask_nik(value)
            elif field.type == "phone":
                shown = mask_phone(value) or value
            elif field.type == "choice":
                source = self._form(str(state.get("service")), "id").field(field.key)
                options = source.choices if source else field.choices
                shown = field.choices[options.index(value)] if value in options else value
            else:
                shown = value
            lines.append(f"- {field.label}: {shown}")
        stored = state.get("documents") or {}
        documents = ", ".join(d.label for d in form.documents if d.key in stored)
        text = at(
            "summary",
            language,
            lines="\n".join(lines),
            documents=documents or at("none", language),
        )
        return JourneyReply(
            text,
            [
                _button(at("button.send", language), "kirim"),
                _button(at("button.cancel", language), "batal"),
            ],
        )

    def _which(self, conversation: Conversation, key: str) -> JourneyReply:
        language = _lang(conversation)
        online = self.catalog().applicable_codes()
        return JourneyReply(
            at(key, language, services=self._names(online, language)),
            [_button(self._name(c, language), c) for c in online],
        )

    # --- catalog helpers ---------------------------------------------------------------------

    def _form(self, code: str, language: str) -> Application:
        found = self.catalog().localized(
            code, language if language in ("id", "jv", "su", "en") else "id"
        )
        if found is None or found[0].application is None:
            raise InvalidInput(f"'{code}' cannot be applied for online")
        return found[0].application

    def _name(self, code: str, language: str) -> str:
        lang = language if language in ("id", "jv", "su", "en") else "id"
        found = self.catalog().localized(code, lang)
        return found[0].name if found else code

    def _names(self, codes: list[str], language: str) -> str:
        return ", ".join(self._name(c, language) for c in codes)


def _answers(state: dict[str, Any]) -> dict[str, str | None]:
    sealed = state.get("answers")
    if not sealed:
        return {}
    loaded: dict[str, str | None] = json.loads(decrypt(str(sealed)))
    return loaded


def _seal(answers: dict[str, str | None]) -> str:
    return encrypt(json.dumps(answers, ensure_ascii=False))


def _lang(conversation: Conversation) -> str:
    """The form's language: the chat's when the form opened (answers such as an address
    must not switch it), else the chat's."""
    state = conversation.journey or {}
    language = state.get("language") if state.get("kind") == KIND else None
    return str(language or conversation.language)


def _set(conversation: Conversation, state: dict[str, Any]) -> None:
    """Store the form's state, keeping the numbers this citizen has verified."""
    verified = (conversation.journey or {}).get("verified") or []
    conversation.journey = {**state, "verified": verified} if verified else dict(state)


def _clear(conversation: Conversation) -> None:
    verified = (conversation.journey or {}).get("verified") or []
    conversation.journey = {"verified": verified} if verified else None
