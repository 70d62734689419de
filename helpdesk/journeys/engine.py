"""The journeys' state machine: one step per citizen message, state on the conversation."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any, Literal, Protocol

from sqlalchemy.orm import Session

from helpdesk.journeys.escape import Escape, escape_of
from helpdesk.journeys.i18n import LANGUAGES, is_word, normalize, t, words
from helpdesk.models import (
    Attachment,
    Complaint,
    Conversation,
    DataRequestKind,
    ServiceRequest,
    utcnow,
)
from helpdesk.services import complaints as complaint_service
from helpdesk.services import lookup, notifications, privacy, surveys
from helpdesk.text.personal import is_nik, mask_nik, mask_phone

WIB = timedelta(hours=7)
MAX_VERIFIED_REMEMBERED = 10


@dataclass(frozen=True)
class JourneyReply:
    """One message the journey sends back."""

    text: str
    buttons: list[dict[str, Any]] = field(default_factory=list)


Replies = list[JourneyReply]
FormState = dict[str, Any]


@dataclass(frozen=True)
class Form:
    """A bot-led form that no citizen may be trapped in (issue 17; see `escape`).

    `name_key` names it in the journeys' texts ("form.complaint"); `again` asks its current
    question once more (after a digression); `leave` closes it at the citizen's word and
    says so; `free_text` tells whether the current step reads free text (there only a
    question shaped as one is taken as a digression). A form that is not `resumable` (the
    status lookup's identity check, which by contract takes only the message right after
    the status reply) simply ends on a question, which the engine answers. A journey
    added later registers its form with `Journeys.register_form` and gets the same escape.
    """

    name_key: str
    again: Callable[[Session, Conversation, FormState], Replies]
    leave: Callable[[Session, Conversation, FormState], Replies]
    free_text: Callable[[FormState], bool] = lambda _state: False
    resumable: bool = True


@dataclass(frozen=True)
class EscapeStep:
    """What the escape check made of a message inside a form.

    `officer`: hand the conversation off now (the router does it); `left`: the form is
    closed, `replies` say so; `resumed`: the citizen goes on, `replies` ask the form's
    question again; `question`: the engine answers the message, then `after` (the offer to
    go on with the form) follows its answer.
    """

    kind: Escape | Literal["left", "resumed"]
    replies: Replies = field(default_factory=list)
    after: JourneyReply | None = None


ERASURE_PHRASES = (
    "hapus data",
    "hapuskan data",
    "menghapus data",
    "busak data",
    "mbusak data",
    "ngahapus data",
    "delete my data",
    "erase my data",
    "remove my data",
    "delete my personal data",
)
ACCESS_PHRASES = (
    "data saya apa",
    "apa saja data saya",
    "data apa saja yang",
    "data pribadi saya apa",
    "lihat data saya",
    "data kula punapa",
    "data abdi naon",
    "what data do you",
    "what data you hold",
    "see my data",
    "access my data",
)
STOP_WORDS = frozenset(
    {"berhenti", "stop", "mandheg", "kendel", "eureun", "unsubscribe", "berhenti kabar"}
)
HELP_WORDS = frozenset(
    {"bantuan", "help", "pitulung", "pitulungan", "bantosan", "panduan", "tolong"}
)
CATEGORY_WORDS = {
    "pengaduan": ("1", "pengaduan", "aduan", "pangaduan", "complaint", "mengadu"),
    "aspirasi": ("2", "aspirasi", "aspiration", "saran", "usul"),
    "permintaan_informasi": (
        "3",
        "permintaan informasi",
        "informasi",
        "info",
        "information",
        "information request",
        "panyuwunan informasi",
        "pamundut informasi",
    ),
}
HANDLING_WORDS = {
    "public": ("1", "publik", "public", "umum"),
    "rahasia": ("2", "rahasia", "confidential", "wados", "rusiah"),
    "anonim": ("3", "anonim", "anonymous", "anonimus"),
}
TODAY_WORDS = ("hari ini", "today", "dinten punika", "dinten menika", "dinten ieu", "saiki", "tadi")
YESTERDAY_WORDS = ("kemarin", "kemaren", "yesterday", "wingi", "kamari")
AGO_RE = re.compile(
    r"(\d{1,3})\s*(hari|days?|dinten|dina)\s*(lalu|yang lalu|ago|kepengker|kapengker|kalangkung)"
)
DATE_RE = re.compile(r"(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})")
ISO_RE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
TIME_HINTS = re.compile(
    r"\b(pagi|siang|sore|malam|minggu lalu|bulan lalu|pekan lalu|jam|pukul|last week|"
    r"last month|morning|evening|night|enjing|sonten|dalu|wengi|peuting|minggu kepengker|"
    r"sasih kepengker|senin|selasa|rabu|kamis|jumat|sabtu|minggu)\b"
)
LAST4 = re.compile(r"^\s*(\d{4})\s*$")


def _button(title: str, payload: str) -> dict[str, Any]:
    return {"title": title, "payload": payload}


class FormJourney(Protocol):
    """A bot-led form in its own module (the application form: helpdesk/journeys/application.py).

    `prompt` repeats the current question (after a question was answered, the form offers
    to continue); `cancel` leaves it; `file_arrived` takes a file outside the form.
    """

    def start(self, conversation: Conversation, service_code: str | None) -> Replies: ...

    def step(
        self,
        session: Session,
        conversation: Conversation,
        said: str,
        attachments: list[Attachment] | None = None,
    ) -> Replies | None: ...

    def prompt(self, session: Session, conversation: Conversation) -> Replies: ...

    def cancel(self, conversation: Conversation) -> Replies: ...

    def file_arrived(
        self, session: Session, conversation: Conversation, attachment: Attachment
    ) -> Replies | None: ...


class Journeys:
    """Runs the journeys for the router; returns None when the engine should answer."""

    def __init__(
        self,
        *,
        public_url: str,
        unit_for: Callable[[str | None], str] = lambda _code: "umum",
        clock: Callable[[], datetime] = utcnow,
        consent_notice: bool = True,
        requirements_for: Callable[[str, str], list[str]] = lambda _code, _lang: [],
        service_in: Callable[[str], str | None] = lambda _text: None,
        application: FormJourney | None = None,
    ) -> None:
        self.application = application
        self.requirements_for = requirements_for
        self.service_in = service_in
        self.public_url = public_url.rstrip("/")
        self.show_consent_notice = consent_notice
        self.unit_for = unit_for
        self.clock = clock
        self.forms: dict[str, Form] = {
            "complaint": Form(
                "form.complaint",
                self._complaint_again,
                self._complaint_leave,
                free_text=lambda state: state.get("step") == "description",
            ),
            "documents": Form("form.documents", self._documents_again, self._documents_leave),
            "verify": Form(
                "form.verify",
                self._verify_again,
                self._plain_leave("form.verify"),
                resumable=False,
            ),
            "survey": Form("form.survey", self._survey_again, self._survey_leave),
        }
        if application is not None:
            form = application
            # Free text in most of its steps (names, addresses): only a question that opens
            # with a question or asking word steps out of it.
            self.forms["application"] = Form(
                "form.application",
                lambda session, conversation, _state: form.prompt(session, conversation),
                lambda _session, conversation, _state: form.cancel(conversation),
                free_text=lambda _state: True,
            )

    def register_form(self, kind: str, form: Form) -> None:
        """Guard another journey's form (`Conversation.journey["kind"] == kind`) too."""
        self.forms[kind] = form

    # --- entry points ------------------------------------------------------------------

    def consent_notice(self, conversation: Conversation) -> JourneyReply | None:
        """The privacy notice, once per conversation (first contact)."""
        if conversation.consent_notice_at is not None or not self.show_consent_notice:
            return None
        conversation.consent_notice_at = self.clock()
        return self.consent_reply(conversation)

    def consent_reply(self, conversation: Conversation) -> JourneyReply:
        """The privacy notice's text (again, for a turn taken over after a crash)."""
        return JourneyReply(t("consent.notice", conversation.language, **self._links(conversation)))

    def handle(
        self,
        session: Session,
        conversation: Conversation,
        text: str,
        payload: str | None = None,
        attachments: list[Attachment] | None = None,
    ) -> Replies | None:
        """The journey's answer to one citizen message, or None to let the engine answer."""
        state = conversation.journey or {}
        kind = state.get("kind")
        said = payload if payload and not payload.startswith("/") else text
        if kind == "complaint_check":
            return self._complaint_check_step(conversation, said)
        if kind == "complaint":
            return self._complaint_step(session, conversation, state, said, attachments or [])
        if kind == "documents":
            return self._documents_step(session, conversation, state, said, attachments or [])
        if kind == "complaint_info":
            return self._complaint_answer(session, conversation, state, said, attachments or [])
        if kind == "application" and self.application is not None:
            return self.application.step(session, conversation, said, attachments)
        if kind in ("verify", "offer"):
            answered = self._pending_step(session, conversation, state, said)
            if answered is not None:
                return answered
        return self._triggers(session, conversation, said)

    def start_complaint(self, conversation: Conversation) -> Replies:
        """Open the complaint form (called when the engine recognised `file_complaint`)."""
        self._set(conversation, {"kind": "complaint", "step": "category", "data": {}})
        return [self._prompt(conversation, "category")]

    def ask_complaint(self, conversation: Conversation) -> Replies:
        """Ask "Anda ingin membuat pengaduan?" before opening the form (the engine was not
        sure the message is a complaint: a question never starts a form by itself)."""
        language = conversation.language
        self._set(conversation, {"kind": "complaint_check"})
        buttons = [
            _button(t("button.yes", language), "ya"),
            _button(t("button.no", language), "tidak"),
        ]
        return [JourneyReply(t("complaint.check", language), buttons)]

    def _complaint_check_step(self, conversation: Conversation, said: str) -> Replies | None:
        language = conversation.language
        if _any_language_word(said, "words.yes"):
            return self.start_complaint(conversation)
        self._clear(conversation)
        if _any_language_word(said, "words.no") or _any_language_word(said, "words.cancel"):
            return [JourneyReply(t("complaint.check_declined", language))]
        return None  # something else: the engine answers it

    # --- the way out of every form (issue 17) -------------------------------------------

    def form_in_progress(self, conversation: Conversation, survey_active: bool) -> str | None:
        """The kind of the bot-led form this conversation is in, if any (`survey_active`:
        whether an SKM survey runs, which the router looked up once for the turn)."""
        kind = (conversation.journey or {}).get("kind")
        if isinstance(kind, str) and kind in self.forms and kind != "survey":
            return kind
        return "survey" if survey_active else None

    def escape(
        self,
        session: Session,
        conversation: Conversation,
        text: str,
        payload: str | None = None,
        *,
        survey_active: bool,
    ) -> EscapeStep | None:
        """Inside a form: the citizen's way out (or back in), checked before the form reads
        the message; None when the form should read it as usual (see `escape.py`)."""
        said = payload if payload and not payload.startswith("/") else text
        state = dict(conversation.journey or {})
        paused = state.pop("resume", None)
        kind = self.form_in_progress(conversation, survey_active)
        if paused is not None:
            self._store_state(conversation, state)
            if kind is not None and kind == paused and _any_language_word(said, "words.resume"):
                return EscapeStep("resumed", self.forms[kind].again(session, conversation, state))
        if kind is None:
            return None
        form = self.forms[kind]
        found = escape_of(said, self.service_in, free_text=form.free_text(state))
        if found == "cancel":
            return EscapeStep("left", form.leave(session, conversation, state))
        if found == "officer":
            form.leave(session, conversation, state)  # nothing half-filled is kept
            return EscapeStep("officer")
        if found == "question" and not form.resumable:
            form.leave(session, conversation, state)
            return EscapeStep("question")
        if found == "question":
            self._store_state(conversation, {**state, "resume": kind})
            return EscapeStep("question", after=self._resume_offer(conversation, form))
        return None

    def _resume_offer(self, conversation: Conversation, form: Form) -> JourneyReply:
        language = conversation.language
        buttons = [
            _button(t("button.continue", language), "lanjut"),
            _button(t("button.cancel", language), "batal"),
        ]
        return JourneyReply(t("form.resume", language, form=t(form.name_key, language)), buttons)

    def _complaint_again(
        self, _session: Session, conversation: Conversation, state: FormState
    ) -> Replies:
        data = dict(state.get("data") or {})
        return [self._prompt(conversation, str(state.get("step")), None, data)]

    def _complaint_leave(
        self, _session: Session, conversation: Conversation, _state: FormState
    ) -> Replies:
        self._clear(conversation)
        return [JourneyReply(t("complaint.cancelled", conversation.language))]

    def _documents_again(
        self, _session: Session, conversation: Conversation, state: FormState
    ) -> Replies:
        items = [str(item) for item in state.get("items") or []]
        index = min(int(state.get("index") or 0), max(len(items) - 1, 0))
        return [self._document_prompt(conversation.language, items, index)] if items else []

    def _documents_leave(
        self, _session: Session, conversation: Conversation, state: FormState
    ) -> Replies:
        self._clear(conversation)
        stored, number = int(state.get("stored") or 0), str(state.get("number"))
        return [JourneyReply(t("docs.done", conversation.language, stored=stored, number=number))]

    def _verify_again(
        self, _session: Session, conversation: Conversation, state: FormState
    ) -> Replies:
        number = str(state.get("number"))
        return [JourneyReply(t("lookup.ask_last4", conversation.language, number=number))]

    def _plain_leave(self, name_key: str) -> Callable[[Session, Conversation, FormState], Replies]:
        def leave(_session: Session, conversation: Conversation, _state: FormState) -> Replies:
            self._clear(conversation)
            language = conversation.language
            return [JourneyReply(t("form.left", language, form=t(name_key, language)))]

        return leave

    def _survey_again(
        self, session: Session, conversation: Conversation, _state: FormState
    ) -> Replies:
        asked = surveys.question_again(session, conversation)
        return [JourneyReply(asked[0], list(asked[1]))] if asked else []

    def _survey_leave(
        self, session: Session, conversation: Conversation, _state: FormState
    ) -> Replies:
        said = surveys.abandon(session, conversation)
        return [JourneyReply(said)] if said else []

    def arm_verification(self, session: Session, conversation: Conversation, number: str) -> str:
        """After a status reply: the next message may be the last 4 NIK digits.

        Returns `armed`, `locked` (3 wrong tries within the hour) or `no_identity` (the
        record holds no NIK, so there is nothing to verify against).
        """
        record = lookup.find(session, number)
        if record is None or not record.nik:
            self._clear(conversation)
            return "no_identity"
        if lookup.locked_until(session, number, self.clock()) is not None:
            self._clear(conversation)
            return "locked"
        self._set(conversation, {"kind": "verify", "number": record.tracking_number})
        return "armed"

    def attachment_received(
        self, session: Session, conversation: Conversation, attachment: Attachment
    ) -> Replies:
        """A file arrived (widget upload): the complaint form takes it at its photo step."""
        state = conversation.journey or {}
        if state.get("kind") == "complaint" and state.get("step") == "photo":
            replies = self._complaint_step(session, conversation, state, "", [attachment])
            return replies or []
        if state.get("kind") == "documents":
            return self._documents_step(session, conversation, state, "", [attachment])
        if state.get("kind") == "complaint_info":
            return self._complaint_answer(session, conversation, state, "", [attachment]) or []
        if self.application is not None:
            if state.get("kind") == "application":
                return self.application.step(session, conversation, "", [attachment]) or []
            taken = self.application.file_arrived(session, conversation, attachment)
            if taken is not None:
                return taken
        return [JourneyReply(t("upload.received", conversation.language, name=attachment.filename))]

    def start_application(self, conversation: Conversation, service_code: str | None) -> Replies:
        """Open the application form (called when the engine recognised `apply_service`)."""
        if self.application is None:
            return []
        return self.application.start(conversation, service_code)

    # --- triggers that need no state ----------------------------------------------------

    def _triggers(self, session: Session, conversation: Conversation, said: str) -> Replies | None:
        language = conversation.language
        plain = normalize(said)
        if any(phrase in plain for phrase in ERASURE_PHRASES):
            request, new = privacy.file_request(session, conversation, DataRequestKind.ERASURE)
            key = "erasure.filed" if new else "erasure.already"
            due = (request.due_at + WIB).strftime("%d/%m/%Y %H:%M")
            return [JourneyReply(t(key, language, id=request.id, due=due))]
        if any(phrase in plain for phrase in ACCESS_PHRASES):
            return [self._access(session, conversation)]
        if plain in words("words.documents", language):
            return self._start_documents(session, conversation)
        if plain in STOP_WORDS:
            stopped = notifications.unsubscribe_all(session, conversation)
            return [JourneyReply(t("notify.stopped" if stopped else "notify.nothing", language))]
        if plain in HELP_WORDS:
            return [JourneyReply(t("help.answer", language, **self._links(conversation)))]
        return None

    def _access(self, session: Session, conversation: Conversation) -> JourneyReply:
        language = conversation.language
        request, _ = privacy.file_request(session, conversation, DataRequestKind.ACCESS)
        summary = privacy.access_summary(session, conversation)
        request.summary = summary
        request.status = privacy.DataRequestStatus.COMPLETED
        request.decided_at = self.clock()
        request.decided_by = "bot"
        none = t("none", language)
        return JourneyReply(
            t(
                "access.answer",
                language,
                id=request.id,
                messages=summary["messages"],
                since=summary["since"] or "-",
                channel=summary["channel"],
                chat_language=summary["language"],
                complaints=", ".join(summary["complaints"]) or none,
                verified=", ".join(summary["verified"]) or none,
                subscriptions=", ".join(summary["subscriptions"]) or none,
                attachments=len(summary["attachments"]),
            )
        )

    # --- the identity check and the offer of updates ------------------------------------

    def _pending_step(
        self, session: Session, conversation: Conversation, state: dict[str, Any], said: str
    ) -> Replies | None:
        language = conversation.language
        number = str(state.get("number"))
        if state["kind"] == "verify":
            match = LAST4.match(said)
            if match is None:
                self._clear(conversation)
                return None  # something else: the engine answers it
            result = lookup.verify_last4(session, number, match.group(1), self.clock())
            if result.locked:
                self._clear(conversation)
                return [JourneyReply(t("lookup.locked", language, number=number))]
            if not result.ok:
                return [JourneyReply(t("lookup.wrong", language, n=result.tries_left))]
            record = lookup.find(session, number)
            details = self._details(record, language) if record else []
            self._set(conversation, {"kind": "offer", "number": number}, verified=number)
            offer = JourneyReply(
                t("notify.offer", language, number=number),
                [
                    _button(t("button.yes", language), "ya"),
                    _button(t("button.no", language), "tidak"),
                ],
            )
            return [JourneyReply("\n".join(details)), offer]
        # kind == "offer"
        if is_word(said, "words.yes", language):
            notifications.subscribe(session, conversation, number)
            self._clear(conversation)
            return [JourneyReply(t("notify.subscribed", language, number=number))]
        self._clear(conversation)
        if is_word(said, "words.no", language):
            return [JourneyReply(t("notify.declined", language))]
        return None

    @staticmethod
    def _details(record: ServiceRequest | Complaint, language: str) -> list[str]:
        lines = [t("lookup.verified", language, number=record.tracking_number)]
        notes = [c.note for c in record.history if c.note]
        note = notes[-1] if notes else None
        if isinstance(record, ServiceRequest):
            lines.append(t("lookup.name", language, name=record.applicant_name))
            lines.append(t("lookup.nik", language, nik=mask_nik(record.nik)))
            if record.phone:
                lines.append(t("lookup.phone", language, phone=mask_phone(record.phone)))
        else:
            lines.append(t("lookup.complaint", language, description=record.description[:300]))
            if record.nik:
                lines.append(t("lookup.nik", language, nik=mask_nik(record.nik)))
        lines.append(
            t("lookup.note", language, note=note) if note else t("lookup.no_note", language)
        )
        return lines

    # --- the document checklist of a verified request --------------------------------------

    def _start_documents(self, session: Session, conversation: Conversation) -> Replies:
        language = conversation.language
        verified = [
            n
            for n in (conversation.journey or {}).get("verified") or []
            if not complaint_service.is_complaint_number(n)
        ]
        record = lookup.find(session, verified[-1]) if verified else None
        if not isinstance(record, ServiceRequest):
            return [JourneyReply(t("docs.need_verified", language))]
        items = self.requirements_for(record.service_code, language)
        number = record.tracking_number
        if not items:
            return [JourneyReply(t("docs.none", language, number=number))]
        self._set(
            conversation,
            {"kind": "documents", "number": number, "items": items, "index": 0, "stored": 0},
        )
        start = t("docs.start", language, number=number, count=len(items))
        return [JourneyReply(start), self._document_prompt(language, items, 0)]

    @staticmethod
    def _document_prompt(language: str, items: list[str], index: int) -> JourneyReply:
        text = t("docs.item", language, index=index + 1, count=len(items), item=items[index])
        return JourneyReply(text, [_button(t("button.skip", language), "lewati")])

    def _documents_step(
        self,
        session: Session,
        conversation: Conversation,
        state: dict[str, Any],
        said: str,
        attachments: list[Attachment],
    ) -> Replies:
        language = conversation.language
        items: list[str] = list(state.get("items") or [])
        index = int(state.get("index") or 0)
        stored = int(state.get("stored") or 0)
        number = str(state.get("number"))
        if said and is_word(said, "words.cancel", language):
            self._clear(conversation)
            return [JourneyReply(t("docs.done", language, stored=stored, number=number))]
        replies: Replies = []
        if attachments:
            record = lookup.find(session, number)
            for attachment in attachments:
                if isinstance(record, ServiceRequest):
                    attachment.request_id = record.id
                attachment.requirement = items[index][:300]
                stored += 1
                replies.append(
                    JourneyReply(
                        t("docs.stored", language, item=items[index], name=attachment.filename)
                    )
                )
        elif normalize(said) not in words("words.skip", language):
            return [
                JourneyReply(t("docs.invalid", language)),
                self._document_prompt(language, items, index),
            ]
        index += 1
        if index >= len(items):
            self._clear(conversation)
            replies.append(JourneyReply(t("docs.done", language, stored=stored, number=number)))
            return replies
        self._set(conversation, {**state, "index": index, "stored": stored})
        replies.append(self._document_prompt(language, items, index))
        return replies

    # --- the complaint form ----------------------------------------------------------------

    def _complaint_step(
        self,
        session: Session,
        conversation: Conversation,
        state: dict[str, Any],
        said: str,
        attachments: list[Attachment],
    ) -> Replies:
        language = conversation.language
        step = str(state.get("step"))
        data: dict[str, Any] = dict(state.get("data") or {})
        if said and is_word(said, "words.cancel", language):
            self._clear(conversation)
            return [JourneyReply(t("complaint.cancelled", language))]
        error: str | None
        if step == "confirm":
            if is_word(said, "words.yes", language) or normalize(said) == "kirim laporan":
                return self._file(session, conversation, data)
            if is_word(said, "words.no", language):
                self._clear(conversation)
                return [JourneyReply(t("complaint.cancelled", language))]
            next_step, error = step, "complaint.confirm_invalid"
        else:
            next_step, error = self._read_complaint_field(step, said, attachments, language, data)
        self._set(conversation, {"kind": "complaint", "step": next_step, "data": data})
        replies = []
        if step == "photo" and attachments:
            names = ", ".join(a.filename for a in attachments)
            replies.append(JourneyReply(t("complaint.photo_received", language, name=names)))
        if error is not None:
            replies.append(self._prompt(conversation, step, error, data))
        else:
            replies.append(self._prompt(conversation, next_step, None, data))
        return replies

    def _read_complaint_field(
        self,
        step: str,
        said: str,
        attachments: list[Attachment],
        language: str,
        data: dict[str, Any],
    ) -> tuple[str, str | None]:
        """Read the answer to one question of the complaint form into `data`: the next step,
        or this step again with the key of the message saying what was wrong."""
        plain = normalize(said)
        if step == "category":
            category = _choice(plain, CATEGORY_WORDS)
            if category is None:
                return step, "complaint.category_invalid"
            data["category"] = category
            return "description", None
        if step == "description":
            if len(said.strip()) < complaint_service.MIN_DESCRIPTION_CHARS or not re.search(
                r"[^\W\d_]", said
            ):
                return step, "complaint.description_short"
            data["description"] = said.strip()[:2000]
            return "location", None
        if step == "location":
            if len(said.strip()) < 3 or not re.search(r"[^\W\d_]", said):
                return step, "complaint.location_invalid"
            data["location"] = said.strip()[:300]
            return "when", None
        if step == "when":
            occurred = parse_when(said, (self.clock() + WIB).date())
            if occurred is None:
                return step, "complaint.when_invalid"
            data["occurred"] = occurred
            return "photo", None
        if step == "photo":
            if attachments:
                data["attachments"] = [a.id for a in attachments]
                data["attachment_names"] = [a.filename for a in attachments]
                return "handling", None
            if plain in words("words.skip", language):
                return "handling", None
            return step, "complaint.photo_invalid"
        if step == "handling":
            handling = _choice(plain, HANDLING_WORDS)
            if handling is None:
                return step, "complaint.handling_invalid"
            data["handling"] = handling
            return "nik", None
        if step == "nik":
            digits = re.sub(r"[\s.\-]", "", said)
            if is_nik(digits):
                data["nik"] = digits
                return "confirm", None
            if plain in words("words.skip", language):
                data["nik"] = None
                return "confirm", None
            return step, "complaint.nik_invalid"
        return step, None  # not a step of the form: ask it again

    def _prompt(
        self,
        conversation: Conversation,
        step: str,
        error: str | None = None,
        data: dict[str, Any] | None = None,
    ) -> JourneyReply:
        language = conversation.language
        minimum = complaint_service.MIN_DESCRIPTION_CHARS
        skip = [_button(t("button.skip", language), "lewati")]
        if step == "category":
            buttons = [
                _button(t(f"complaint.category.{c}", language), c)
                for c in ("pengaduan", "aspirasi", "permintaan_informasi")
            ]
            return JourneyReply(t(error or "complaint.start", language), buttons)
        if step == "description":
            return JourneyReply(t(error or "complaint.ask_description", language, min=minimum))
        if step == "location":
            return JourneyReply(t(error or "complaint.ask_location", language))
        if step == "when":
            return JourneyReply(t(error or "complaint.ask_when", language))
        if step == "photo":
            return JourneyReply(t(error or "complaint.ask_photo", language), skip)
        if step == "handling":
            buttons = [
                _button(t(f"handling.{h}", language), h) for h in ("public", "rahasia", "anonim")
            ]
            return JourneyReply(t(error or "complaint.ask_handling", language), buttons)
        if step == "nik":
            return JourneyReply(t(error or "complaint.ask_nik", language), skip)
        data = data or {}
        if error:
            text = t(error, language)
        else:
            names = data.get("attachment_names") or []
            text = t(
                "complaint.summary",
                language,
                category=t(f"complaint.category.{data.get('category')}", language),
                description=data.get("description", ""),
                location=data.get("location", ""),
                occurred=data.get("occurred", ""),
                photo=", ".join(names) or t("none", language),
                handling=t(f"handling.{data.get('handling')}", language),
                nik=t("nik.given", language) if data.get("nik") else t("none", language),
            )
        buttons = [
            _button(t("button.send", language), "ya"),
            _button(t("button.cancel", language), "batal"),
        ]
        return JourneyReply(text, buttons)

    def _file(self, session: Session, conversation: Conversation, data: dict[str, Any]) -> Replies:
        language = conversation.language
        handling = data.get("handling")
        service_code = self.service_in(str(data.get("description", "")))
        unit = self.unit_for(service_code)
        complaint = complaint_service.create_complaint(
            session,
            category=str(data.get("category")),
            description=str(data.get("description", "")),
            location=str(data.get("location", "")),
            occurred=str(data.get("occurred", "")),
            anonymous=handling == "anonim",
            confidential=handling in ("rahasia", "anonim"),
            unit=unit,
            service_code=service_code,
            nik=data.get("nik"),
            language=language,
            conversation_id=conversation.id,
            at=self.clock(),
        )
        for attachment_id in data.get("attachments") or []:
            attachment = session.get(Attachment, attachment_id)
            if attachment is not None and attachment.conversation_id == conversation.id:
                attachment.complaint_id = complaint.id
        notifications.subscribe(session, conversation, complaint.tracking_number)
        self._clear(conversation)
        number = complaint.tracking_number
        return [JourneyReply(t("complaint.filed", language, number=number, unit=unit))]

    def _complaint_answer(
        self,
        session: Session,
        conversation: Conversation,
        state: dict[str, Any],
        said: str,
        attachments: list[Attachment],
    ) -> Replies | None:
        """The officer asked about a complaint: this message (and its files) is the answer."""
        number = str(state.get("number", ""))
        self._clear(conversation)
        if not said.strip() and not attachments:
            return None
        complaint = complaint_service.record_answer(
            session, conversation, number, said, attachments, now=self.clock()
        )
        if complaint is None:
            return self._triggers(session, conversation, said)
        language = conversation.language
        return [JourneyReply(t("casedesk.answer_received", language, number=number))]

    # --- helpers ----------------------------------------------------------------------------

    def _links(self, conversation: Conversation) -> dict[str, str]:
        lang = conversation.language
        return {
            "privacy_url": f"{self.public_url}/privacy?lang={lang}",
            "help_url": f"{self.public_url}/help?lang={lang}",
        }

    @staticmethod
    def _set(
        conversation: Conversation, state: dict[str, Any], verified: str | None = None
    ) -> None:
        """Store the journey's state, keeping the numbers this citizen has verified."""
        remembered = [
            n for n in (conversation.journey or {}).get("verified") or [] if n != verified
        ]
        if verified:
            remembered.append(verified)
        conversation.journey = {**state, "verified": remembered[-MAX_VERIFIED_REMEMBERED:]}

    @staticmethod
    def _store_state(conversation: Conversation, state: dict[str, Any]) -> None:
        """Store the state as it is (the `verified` numbers included), None when empty."""
        conversation.journey = state or None

    @staticmethod
    def _clear(conversation: Conversation) -> None:
        remembered = (conversation.journey or {}).get("verified") or []
        conversation.journey = {"verified": remembered} if remembered else None


def _any_language_word(text: str, key: str) -> bool:
    """Whether the whole message is one of the `words.*` list `key` in any language."""
    plain = normalize(text)
    return any(plain in words(key, language) for language in LANGUAGES)


def _choice(plain: str, options: dict[str, tuple[str, ...]]) -> str | None:
    """The option whose words match the whole answer (or which the answer starts with)."""
    for value, variants in options.items():
        if plain == value or plain in variants:
            return value
    for value, variants in options.items():
        if any(len(v) > 2 and plain.startswith(v) for v in variants):
            return value
    return None


def parse_when(text: str, today: date) -> str | None:
    """When it happened, as `YYYY-MM-DD` (plus what was typed), or None if unclear/future."""
    plain = normalize(text)
    if not plain:
        return None
    day: date | None = None
    if any(w in plain for w in TODAY_WORDS):
        day = today
    elif any(w in plain for w in YESTERDAY_WORDS):
        day = today - timedelta(days=1)
    elif (ago := AGO_RE.search(plain)) is not None:
        day = today - timedelta(days=int(ago.group(1)))
    elif (found := DATE_RE.search(plain)) is not None:
        day = _date(int(found.group(3)), int(found.group(2)), int(found.group(1)))
        if day is None:
            return None
    elif (found := ISO_RE.search(plain)) is not None:
        day = _date(int(found.group(1)), int(found.group(2)), int(found.group(3)))
        if day is None:
            return None
    if day is not None:
        if day > today or day.year < 2000:
            return None
        typed = text.strip()[:80]
        return day.isoformat() if typed == day.isoformat() else f"{day.isoformat()} ({typed})"
    if TIME_HINTS.search(plain):
        return text.strip()[:120]
    return None


def _date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None
