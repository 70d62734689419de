"""The SKM survey in chat (Permenpan-RB 14/2017): a small state machine on the helpdesk side.

When an agent resolves a conversation (`conversations.resolve`, used by the REST API and
the console alike) the citizen is offered the survey in their language. The router asks
`answer()` about every citizen message before the bot sees it: while a survey is offered or
running, the message is the survey's. "ya" starts it; nine questions U1-U9, each answered
1-4 by a button or by typing the digit; then an optional comment ("lewati" skips it).
Anything that is not an answer twice in a row ends the survey and goes to the bot, so a
citizen who just wants to ask something is never stuck.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import lru_cache
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import yaml
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from helpdesk.infra.config import REPO_ROOT, Settings
from helpdesk.models import Conversation, Message, Sender, Survey, SurveyStatus, utcnow
from helpdesk.services import outbox
from helpdesk.services.context import settings_of
from helpdesk.services.messages import store_message

LANGUAGES = ("id", "jv", "su", "en")
ELEMENTS = tuple(f"U{i}" for i in range(1, 10))
DEFAULT_QUESTIONS = REPO_ROOT / "data" / "skm" / "questions.yml"
PERIODS = ("month", "quarter", "semester", "year")
EXPIRES_AFTER = timedelta(hours=24)
COMMENT_STEP = 10
TEXT_KEYS = (
    "offer",
    "button_yes",
    "button_no",
    "question",
    "invalid",
    "comment",
    "skip",
    "thanks",
    "declined",
    "cancelled",
)

_WORD = re.compile(r"[^\w\s]+")
YES = frozenset(
    "ya iya yes y ok oke okay boleh mau bersedia siap nggih inggih enggih injih purun kersa "
    "muhun sumangga mangga hayu".split()
)
NO = frozenset(
    "tidak tdk ga gak nggak enggak engga no nope ogah nanti mboten boten ora emoh henteu "
    "teu moal alim".split()
) | {"tidak mau", "ga mau", "gak mau", "lain kali"}
CANCEL = frozenset("batal stop berhenti cancel mandheg mandeg eureun".split())
SKIP = frozenset("lewati lewat skip liwati langkung lewatan - tidak no none".split()) | {
    "tidak ada",
    "ga ada",
    "gak ada",
    "mboten wonten",
    "teu aya",
    "nothing",
}
_DIGIT = re.compile(r"^\s*([1-4])(?:$|[\s.):-])")


@dataclass(frozen=True)
class Element:
    """One SKM element: its code, name, question and four answer labels per language."""

    code: str
    name: dict[str, str]
    question: dict[str, str]
    labels: dict[str, list[str]]


@dataclass(frozen=True)
class Questionnaire:
    """The nine elements and the survey's own texts, all in id, jv, su and en."""

    elements: tuple[Element, ...]
    texts: dict[str, dict[str, str]]

    def text(self, key: str, language: str, **values: object) -> str:
        """A survey text in `language` (Indonesian when missing)."""
        variants = self.texts[key]
        return variants.get(language, variants["id"]).format(**values)


def _check_languages(where: str, value: Any, kind: type) -> None:
    if not isinstance(value, dict) or not set(LANGUAGES) <= set(value):
        raise ValueError(f"{where}: needs {', '.join(LANGUAGES)}")
    for language in LANGUAGES:
        if not isinstance(value[language], kind):
            raise ValueError(f"{where}.{language}: must be a {kind.__name__}")


@lru_cache(maxsize=4)
def load_questionnaire(path: Path = DEFAULT_QUESTIONS) -> Questionnaire:
    """Read and validate the questionnaire file (refuses anything incomplete)."""
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    elements = []
    for entry in raw["elements"]:
        code = entry["code"]
        for key in ("name", "question"):
            _check_languages(f"{code}.{key}", entry[key], str)
        _check_languages(f"{code}.labels", entry["labels"], list)
        for language in LANGUAGES:
            labels = entry["labels"][language]
            if len(labels) != 4 or not all(isinstance(x, str) and x for x in labels):
                raise ValueError(f"{code}.labels.{language}: needs four labels (1-4)")
        elements.append(Element(code, entry["name"], entry["question"], entry["labels"]))
    if tuple(sorted(e.code for e in elements)) != ELEMENTS:
        raise ValueError(f"the questionnaire needs exactly the elements {', '.join(ELEMENTS)}")
    texts = raw["texts"]
    for key in (
        "offer",
        "button_yes",
        "button_no",
        "question",
        "invalid",
        "comment",
        "skip",
        "thanks",
    ):
        _check_languages(f"texts.{key}", texts.get(key), str)
    for key in ("declined", "cancelled"):
        _check_languages(f"texts.{key}", texts.get(key), str)
    return Questionnaire(tuple(elements), texts)


@dataclass(frozen=True)
class SurveyConfig:
    """How surveys are run: the period of the once-per-period rule and the questionnaire."""

    period: str = "quarter"
    timezone: str = "Asia/Jakarta"
    questions_file: Path = DEFAULT_QUESTIONS

    @classmethod
    def of(cls, settings: Settings) -> SurveyConfig:
        """From the deployment's settings (SKM_PERIOD, TIMEZONE, SKM_QUESTIONS_FILE)."""
        return cls(
            period=settings.skm_period,
            timezone=settings.timezone,
            questions_file=settings.skm_questions_file or DEFAULT_QUESTIONS,
        )

    @property
    def questionnaire(self) -> Questionnaire:
        """The validated questionnaire."""
        return load_questionnaire(self.questions_file)


def period_of(moment: datetime, kind: str = "quarter", timezone: str = "Asia/Jakarta") -> str:
    """The survey period holding `moment`: 2026-12, 2026-Q4, 2026-S2 or 2026."""
    local = moment.astimezone(ZoneInfo(timezone))
    if kind == "month":
        return f"{local.year}-{local.month:02d}"
    if kind == "quarter":
        return f"{local.year}-Q{(local.month - 1) // 3 + 1}"
    if kind == "semester":
        return f"{local.year}-S{(local.month - 1) // 6 + 1}"
    if kind == "year":
        return str(local.year)
    raise ValueError(f"survey period must be one of: {', '.join(PERIODS)}")


def conversation_service(conversation: Conversation) -> tuple[str | None, str]:
    """(service code, unit) the conversation was about; the general queue `umum` otherwise."""
    return conversation.service_code, conversation.unit_code or "umum"


def _bot(session: Session, conversation: Conversation, text: str, buttons: list[Any]) -> Message:
    """A survey message; the router queues what it returns for delivery."""
    return store_message(session, conversation, Sender.BOT, text, buttons=buttons)


def offer(
    session: Session,
    conversation: Conversation,
    config: SurveyConfig | None = None,
    now: datetime | None = None,
    *,
    service: str | None = None,
    unit: str | None = None,
) -> Message | None:
    """Offer the survey after a served conversation (or a finished complaint or request:
    pass its `service`/`unit`), unless this citizen already had one for this service in
    this period. Returns the offer message (queued for delivery)."""
    config = config or SurveyConfig.of(settings_of(session))
    now = now or utcnow()
    if unit is None:
        service, unit = conversation_service(conversation)
    citizen = f"{conversation.channel.value}:{conversation.channel_user_id}"
    service_key = service or f"unit:{unit}"
    period = period_of(now, config.period, config.timezone)
    exists = session.scalar(
        select(Survey.id).where(
            Survey.citizen_key == citizen,
            Survey.service_key == service_key,
            Survey.period == period,
        )
    )
    if exists is not None:
        return None
    language = conversation.language if conversation.language in LANGUAGES else "id"
    survey = Survey(
        conversation_id=conversation.id,
        citizen_key=citizen,
        service_key=service_key,
        service_code=service,
        unit=unit,
        period=period,
        language=language,
        offered_at=now,
    )
    try:
        with session.begin_nested():
            session.add(survey)
    except IntegrityError:
        return None  # offered concurrently: one per period
    q = config.questionnaire
    buttons = [
        {"title": q.text("button_yes", language), "payload": "ya"},
        {"title": q.text("button_no", language), "payload": "tidak"},
    ]
    message = _bot(session, conversation, q.text("offer", language), buttons)
    outbox.enqueue(session, conversation, message)
    return message


def pending_survey(session: Session, conversation: Conversation) -> Survey | None:
    """The survey waiting for this conversation's next message, if any."""
    return session.scalar(
        select(Survey)
        .where(
            Survey.conversation_id == conversation.id,
            Survey.status.in_((SurveyStatus.OFFERED, SurveyStatus.ACTIVE)),
        )
        .order_by(Survey.id.desc())
        .limit(1)
    )


def _normal(text: str) -> str:
    return " ".join(_WORD.sub(" ", text.lower()).split())


def parse_score(text: str) -> int | None:
    """1-4 from "3", "3.", "3 Sesuai" (a button title); None otherwise."""
    match = _DIGIT.match(text)
    return int(match.group(1)) if match else None


def active_survey(session: Session, conversation: Conversation) -> Survey | None:
    """The survey this conversation is answering right now (started, not finished)."""
    survey = pending_survey(session, conversation)
    return survey if is_active(survey) else None


def is_active(survey: Survey | None) -> bool:
    """Whether this (pending) survey is being answered, not only offered."""
    return survey is not None and survey.status == SurveyStatus.ACTIVE


def question_again(
    session: Session, conversation: Conversation, config: SurveyConfig | None = None
) -> tuple[str, list[dict[str, str]]] | None:
    """The running survey's current question (text, buttons), to ask it again after the
    citizen stepped out of the survey for a question (issue 17); None when none runs."""
    survey = active_survey(session, conversation)
    if survey is None:
        return None
    q = (config or SurveyConfig.of(settings_of(session))).questionnaire
    if survey.step >= COMMENT_STEP:
        return q.text("comment", survey.language), [
            {"title": q.text("skip", survey.language), "payload": "lewati"}
        ]
    return _question_text(survey, q)


def abandon(
    session: Session, conversation: Conversation, config: SurveyConfig | None = None
) -> str | None:
    """End the running survey at the citizen's word; the "cancelled" line in its language."""
    survey = active_survey(session, conversation)
    if survey is None:
        return None
    survey.status = SurveyStatus.ABANDONED
    survey.updated_at = utcnow()
    questionnaire = (config or SurveyConfig.of(settings_of(session))).questionnaire
    return questionnaire.text("cancelled", survey.language)


def _question_text(survey: Survey, q: Questionnaire) -> tuple[str, list[dict[str, str]]]:
    element = q.elements[survey.step - 1]
    labels = element.labels[survey.language]
    options = "\n".join(f"{i}. {label}" for i, label in enumerate(labels, 1))
    text = q.text(
        "question",
        survey.language,
        n=survey.step,
        name=element.name[survey.language],
        question=element.question[survey.language],
        options=options,
    )
    buttons = [{"title": f"{i} {label}", "payload": str(i)} for i, label in enumerate(labels, 1)]
    return text, buttons


def _question(
    session: Session, conversation: Conversation, survey: Survey, q: Questionnaire
) -> Message:
    text, buttons = _question_text(survey, q)
    return _bot(session, conversation, text, buttons)


def answer(
    session: Session,
    survey: Survey,
    conversation: Conversation,
    citizen: Message,
    config: SurveyConfig | None = None,
    now: datetime | None = None,
) -> list[Message] | None:
    """Take the citizen's message as an answer to `survey` (what `pending_survey` found);
    None when it is not the survey's (expired, declined by ignoring it), so the bot answers."""
    config = config or SurveyConfig.of(settings_of(session))
    now = now or utcnow()
    q = config.questionnaire
    if now - max(survey.offered_at, survey.updated_at) > EXPIRES_AFTER:
        survey.status = SurveyStatus.ABANDONED
        return None
    raw = (citizen.payload or citizen.text or "").strip()
    said = _normal(raw)
    language = survey.language
    survey.updated_at = now
    if survey.status == SurveyStatus.OFFERED:
        if said in YES:
            survey.status, survey.step = SurveyStatus.ACTIVE, 1
            return [_question(session, conversation, survey, q)]
        survey.status = SurveyStatus.DECLINED if said in NO else SurveyStatus.ABANDONED
        if survey.status == SurveyStatus.DECLINED:
            return [_bot(session, conversation, q.text("declined", language), [])]
        return None  # a question instead of an answer: the bot takes it
    if said in CANCEL:
        survey.status = SurveyStatus.ABANDONED
        return [_bot(session, conversation, q.text("cancelled", language), [])]
    if survey.step >= COMMENT_STEP:
        survey.comment = None if said in SKIP else raw[:2000]
        survey.status = SurveyStatus.COMPLETED
        return [_bot(session, conversation, q.text("thanks", language), [])]
    score = parse_score(raw)
    if score is None:
        survey.invalid_count += 1
        if survey.invalid_count >= 2:
            survey.status = SurveyStatus.ABANDONED
            return None
        hint = _bot(session, conversation, q.text("invalid", language), [])
        return [hint, _question(session, conversation, survey, q)]
    survey.invalid_count = 0
    survey.set_answer(survey.step, score)
    survey.step += 1
    if survey.step > 9:
        survey.completed_at = now  # a full respondent, with or without a comment
    if survey.step <= 9:
        return [_question(session, conversation, survey, q)]
    skip = [{"title": q.text("skip", language), "payload": "lewati"}]
    return [_bot(session, conversation, q.text("comment", language), skip)]


def forget(session: Session, conversation: Conversation) -> None:
    """Erasure (UU 27/2022): drop the free-text comment and the citizen's channel address
    from the conversation's surveys; the 1-4 answers stay in the IKM, unlinkable."""
    for survey in session.scalars(select(Survey).where(Survey.conversation_id == conversation.id)):
        survey.comment = None
        survey.citizen_key = f"erased:{survey.id}"
