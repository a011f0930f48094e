"""Turns the assistant's messages (REST-channel shape) into Telegram messages.

Texts are escaped for Telegram's HTML parse mode, split at sensible points when they are
longer than Telegram allows, and buttons become inline keyboards whose callback data is
the button's payload.
"""

from __future__ import annotations

import hashlib
import html
from collections import OrderedDict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

# Telegram counts a message's length in UTF-16 code units, after entity parsing.
MAX_MESSAGE_UNITS = 4096
CALLBACK_DATA_MAX_BYTES = 64
# Short button titles go two to a row; longer ones get a row each.
SHORT_TITLE_CHARS = 20
# Callback data that points into PayloadBook rather than carrying the payload itself.
BOOK_PREFIX = "#"
# Where to cut an over-long text, best first. A cut must keep at least a quarter of the limit.
_BREAKS = ("\n\n", "\n", ". ", "! ", "? ", "; ", ", ", " ")


@dataclass(frozen=True)
class Outgoing:
    """One Telegram message: HTML text and an optional inline keyboard."""

    html: str
    keyboard: InlineKeyboardMarkup | None = None


class PayloadBook:
    """Callback data for button payloads; Telegram allows at most 64 bytes.

    A payload that fits is the callback data itself, so buttons keep working after a
    restart. A longer one is kept here under a short key (the most recent 10,000).
    """

    def __init__(self, capacity: int = 10_000) -> None:
        self._capacity = capacity
        self._payloads: OrderedDict[str, str] = OrderedDict()

    def encode(self, payload: str) -> str:
        if len(payload.encode("utf-8")) <= CALLBACK_DATA_MAX_BYTES and not payload.startswith(
            BOOK_PREFIX
        ):
            return payload
        key = BOOK_PREFIX + hashlib.sha256(payload.encode("utf-8")).hexdigest()[:32]
        self._payloads[key] = payload
        self._payloads.move_to_end(key)
        while len(self._payloads) > self._capacity:
            self._payloads.popitem(last=False)
        return key

    def decode(self, data: str) -> str | None:
        """The payload behind callback data; None when the key is no longer known."""
        if data.startswith(BOOK_PREFIX):
            return self._payloads.get(data)
        return data or None


def render(messages: Iterable[dict[str, Any]], book: PayloadBook) -> list[Outgoing]:
    """Telegram messages for the assistant's messages, in order."""
    outgoing: list[Outgoing] = []
    for message in messages:
        text = str(message.get("text") or "").strip()
        buttons = [b for b in message.get("buttons") or [] if isinstance(b, dict)]
        if not text and not buttons:
            continue  # e.g. an image or custom payload: nothing Telegram can show as text
        chunks = split_text(text) if text else ["👇"]
        for index, chunk in enumerate(chunks):
            last = index == len(chunks) - 1
            keyboard = inline_keyboard(buttons, book) if last and buttons else None
            outgoing.append(Outgoing(html.escape(chunk, quote=False), keyboard))
    return outgoing


def split_text(text: str, limit: int = MAX_MESSAGE_UNITS) -> list[str]:
    """`text` in pieces of at most `limit` UTF-16 units, cut at paragraph, line, sentence
    or word boundaries when possible."""
    pieces: list[str] = []
    rest = text.strip()
    while utf16_length(rest) > limit:
        head = _prefix_within(rest, limit)
        cut = _best_break(head, minimum=len(head) // 4)
        pieces.append(rest[:cut].rstrip())
        rest = rest[cut:].lstrip()
    if rest:
        pieces.append(rest)
    return pieces


def inline_keyboard(buttons: list[dict[str, Any]], book: PayloadBook) -> InlineKeyboardMarkup:
    keys = [_button(b, book) for b in buttons]
    short = all(len(str(b.get("title", ""))) <= SHORT_TITLE_CHARS for b in buttons)
    per_row = 2 if short and len(keys) > 1 else 1
    return InlineKeyboardMarkup([keys[i : i + per_row] for i in range(0, len(keys), per_row)])


def utf16_length(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def _button(button: dict[str, Any], book: PayloadBook) -> InlineKeyboardButton:
    title = str(button.get("title") or button.get("payload") or "")
    if button.get("url"):
        return InlineKeyboardButton(title, url=str(button["url"]))
    return InlineKeyboardButton(title, callback_data=book.encode(str(button.get("payload", ""))))


def _prefix_within(text: str, limit: int) -> str:
    """The longest prefix of `text` of at most `limit` UTF-16 units."""
    units = 0
    for index, char in enumerate(text):
        units += 2 if ord(char) > 0xFFFF else 1
        if units > limit:
            return text[:index]
    return text


def _best_break(head: str, *, minimum: int) -> int:
    """Where to cut `head` (the end of the first piece)."""
    for separator in _BREAKS:
        position = head.rfind(separator)
        if position >= minimum:
            return position + len(separator.rstrip(" ")) if separator.strip() else position
    return len(head)
