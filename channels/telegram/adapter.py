"""Telegram Bot API adapter: stored updates in, helpdesk messages out (python-telegram-bot).

Only private chats are served; group messages and edits are ignored. Buttons become an
inline keyboard; a press arrives as a `callback_query` whose data is the Rasa payload.
"""

from __future__ import annotations

import asyncio
import logging
import threading
from typing import TYPE_CHECKING, Any

from telegram import (
    Bot,
    CallbackQuery,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    Message,
    Update,
)
from telegram.constants import ChatType
from telegram.error import (
    BadRequest,
    NetworkError,
    RetryAfter,
    TelegramError,
    TimedOut,
)
from telegram.request import BaseRequest, HTTPXRequest

from channels.adapters import (
    DeliveryError,
    OutgoingMessage,
    StatusUpdate,
    fit_payload,
    is_hashed_payload,
    split_text,
)
from helpdesk.conversation.base import InboundMessage
from helpdesk.models import Channel

if TYPE_CHECKING:
    from helpdesk.infra.config import Settings

log = logging.getLogger(__name__)

DEFAULT_API_BASE_URL = "https://api.telegram.org"
MAX_TEXT = 4096  # UTF-16 code units per message
MAX_CALLBACK_DATA = 64  # bytes
START_COMMAND = "/start"
GREET_PAYLOAD = "/greet"
BUTTONS_ONLY_TEXT = "👇"  # Telegram refuses empty text; a keyboard needs a message


def bot_urls(api_base_url: str) -> tuple[str, str]:
    """PTB's `base_url` and `base_file_url` for an API root such as https://api.telegram.org."""
    root = api_base_url.rstrip("/")
    return f"{root}/bot", f"{root}/file/bot"


def inline_keyboard(buttons: list[dict[str, str]]) -> InlineKeyboardMarkup | None:
    """Rasa buttons as an inline keyboard, one button per row; None without buttons."""
    rows = []
    for button in buttons:
        title = button.get("title") or button.get("payload") or "?"
        payload = button.get("payload") or title
        data = fit_payload(payload, MAX_CALLBACK_DATA)
        if data != payload:
            log.info("callback data for %r shortened to %s", payload, data)
        rows.append([InlineKeyboardButton(title, callback_data=data)])
    return InlineKeyboardMarkup(rows) if rows else None


def _attachment(message: Message) -> tuple[dict[str, Any] | None, str]:
    """The file a message carries (as the router stores it) and the placeholder text."""
    caption = message.caption
    if message.photo:
        largest = message.photo[-1]
        file = {"type": "photo", "file_id": largest.file_id, "mime_type": "image/jpeg"}
        return {**file, "file_name": None, "caption": caption}, "[foto]"
    media = (
        ("document", message.document, "[dokumen]"),
        ("video", message.video, "[video]"),
        ("voice", message.voice, "[pesan suara]"),
        ("audio", message.audio, "[audio]"),
    )
    for kind, obj, placeholder in media:
        if obj is not None:
            attachment = {
                "type": kind,
                "file_id": obj.file_id,
                "mime_type": obj.mime_type,
                "file_name": getattr(obj, "file_name", None),
                "caption": caption,
            }
            return attachment, placeholder
    if message.sticker:
        return None, "[stiker]"
    if message.location:
        return None, "[lokasi]"
    if message.contact:
        return None, "[kontak]"
    return None, "[pesan]"


def _command(text: str) -> str | None:
    """`/start` for "/start", "/start@HaloWargaBot" and "/start abc"; None for plain text."""
    words = text.split(maxsplit=1)
    if not words or not words[0].startswith("/"):
        return None
    return words[0].split("@", 1)[0]


def _from_message(update_id: int, message: Message) -> InboundMessage | None:
    if message.chat.type != ChatType.PRIVATE:
        return None
    text = message.text
    payload = None
    attachments: tuple[dict[str, Any], ...] = ()
    if text is None:
        attachment, placeholder = _attachment(message)
        text = message.caption or placeholder
        attachments = (attachment,) if attachment else ()
    elif _command(text) == START_COMMAND:
        payload = GREET_PAYLOAD  # deep links (`/start xyz`) greet too
    return InboundMessage(
        channel=Channel.TELEGRAM,
        channel_user_id=str(message.chat.id),
        text=text,
        payload=payload,
        client_message_id=f"tg:{update_id}",
        attachments=attachments,
    )


def _pressed_title(query: CallbackQuery, data: str) -> str | None:
    """The title of the pressed button, read from the message that carried the keyboard."""
    message = query.message
    if not isinstance(message, Message) or message.reply_markup is None:
        return None
    for row in message.reply_markup.inline_keyboard:
        for button in row:
            if button.callback_data == data:
                return button.text
    return None


def _from_callback(update_id: int, query: CallbackQuery) -> InboundMessage | None:
    data = query.data or ""
    if query.message is not None:
        if query.message.chat.type != ChatType.PRIVATE:
            return None
        chat_id = query.message.chat.id
    else:
        chat_id = query.from_user.id  # a private chat's id is the user's id
    title = _pressed_title(query, data)
    hashed = is_hashed_payload(data)
    return InboundMessage(
        channel=Channel.TELEGRAM,
        channel_user_id=str(chat_id),
        text=title or ("[tombol]" if hashed else data),
        payload=None if hashed else data or None,
        client_message_id=f"tg:{update_id}",
    )


def parse_update(payload: dict[str, Any]) -> list[InboundMessage] | None:
    """Router input from one Telegram Update (as the webhook or getUpdates delivered it)."""
    update = Update.de_json(payload)
    if update.message is not None:
        inbound = _from_message(update.update_id, update.message)
    elif update.callback_query is not None:
        inbound = _from_callback(update.update_id, update.callback_query)
    else:
        return None  # edits, chat member changes, channel posts...
    return [inbound] if inbound is not None else None


def delivery_error(exc: TelegramError) -> DeliveryError:
    """Map PTB's exceptions: rate limits, time-outs and 5xx retry; refusals do not."""
    reason = f"telegram: {type(exc).__name__}: {exc.message}"
    if isinstance(exc, RetryAfter | TimedOut):
        return DeliveryError(reason, retryable=True)
    if isinstance(exc, BadRequest):  # a NetworkError subclass, but a 400
        return DeliveryError(reason, retryable=False)
    if isinstance(exc, NetworkError):  # connection failures, 5xx, 429 without retry_after
        return DeliveryError(reason, retryable=True)
    return DeliveryError(reason, retryable=False)  # Forbidden (blocked), InvalidToken, ...


class TelegramAdapter:
    """Sends through one PTB `Bot` on a private event loop, so the sync worker can call it."""

    channel = Channel.TELEGRAM

    def __init__(
        self,
        token: str,
        *,
        api_base_url: str = DEFAULT_API_BASE_URL,
        request: BaseRequest | None = None,
    ) -> None:
        base_url, base_file_url = bot_urls(api_base_url)
        self._requests = (request or HTTPXRequest(connection_pool_size=4), HTTPXRequest())
        self._bot = Bot(
            token,
            base_url=base_url,
            base_file_url=base_file_url,
            request=self._requests[0],
            get_updates_request=self._requests[1],
        )
        self._loop: asyncio.AbstractEventLoop | None = None
        self._lock = threading.Lock()

    @classmethod
    def from_settings(cls, settings: Settings) -> TelegramAdapter:
        """The adapter for the configured bot token and API base URL."""
        return cls(settings.telegram_bot_token, api_base_url=settings.telegram_api_base_url)

    def parse_event(self, payload: dict[str, Any]) -> list[InboundMessage] | StatusUpdate | None:
        """Router input from one stored update (Telegram has no delivery receipts)."""
        return parse_update(payload)

    def send(self, recipient: str, message: OutgoingMessage) -> str:
        """Send `message` to chat `recipient`; returns "<chat id>:<id of the last part>"."""
        with self._lock:
            if self._loop is None:
                self._loop = asyncio.new_event_loop()
            return self._loop.run_until_complete(self._send(recipient, message))

    async def _send(self, recipient: str, message: OutgoingMessage) -> str:
        """Long text goes out in parts, the keyboard with the last one."""
        markup = inline_keyboard(message.buttons)
        parts = split_text(message.text, MAX_TEXT, utf16=True)
        if not parts and markup is None:
            raise DeliveryError("telegram: nothing to send (empty text, no buttons)", False)
        parts = parts or [BUTTONS_ONLY_TEXT]
        sent_id = 0
        try:
            for index, part in enumerate(parts):
                last = index == len(parts) - 1
                sent = await self._bot.send_message(
                    chat_id=recipient, text=part, reply_markup=markup if last else None
                )
                sent_id = sent.message_id
        except TelegramError as exc:
            raise delivery_error(exc) from exc
        return f"{recipient}:{sent_id}"

    def fetch_media(self, attachment: dict[str, Any]) -> tuple[bytes, str | None]:
        """The file behind an inbound attachment (getFile, then the file URL) and its name."""
        file_id = attachment.get("file_id")
        if not isinstance(file_id, str) or not file_id:
            raise DeliveryError("attachment without file_id", retryable=False)
        with self._lock:
            if self._loop is None:
                self._loop = asyncio.new_event_loop()
            data = self._loop.run_until_complete(self._download(file_id))
        name = attachment.get("file_name")
        return data, name if isinstance(name, str) else None

    async def _download(self, file_id: str) -> bytes:
        try:
            file = await self._bot.get_file(file_id)
            return bytes(await file.download_as_bytearray())
        except TelegramError as exc:
            raise delivery_error(exc) from exc

    def close(self) -> None:
        """Close the HTTP connections and the private event loop."""
        with self._lock:
            loop = self._loop or asyncio.new_event_loop()
            try:
                loop.run_until_complete(self._shutdown())
            finally:
                loop.close()
                self._loop = None

    async def _shutdown(self) -> None:
        for request in self._requests:
            await request.shutdown()
