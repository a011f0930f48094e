"""The Telegram agents' room: a supergroup with topics (SPORTELLO_TELEGRAM_AGENTS_CHAT_ID).

Each handover opens a topic with a summary card (reason, language, signals, the redacted
transcript) and buttons to take it, give it back to the assistant, or close it. What an agent
writes in the topic reaches the customer, through the guard; what the customer writes appears
in the topic. The topic of each handover is kept in the database, so a restart loses nothing.
Agents say they are available with /online (for the rest of the shift) and /offline.

The room is for the bank's staff: its labels are in English, like the agent page.
"""

from __future__ import annotations

import html
import logging
from collections import deque
from typing import TYPE_CHECKING

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message, Update, User
from telegram.error import BadRequest, Forbidden, NetworkError
from telegram.ext import ContextTypes

from bot.channels._door import clean_text
from bot.handover import ACTIVE, QUEUED, Desk, HandoverView

if TYPE_CHECKING:
    from telegram import Bot

logger = logging.getLogger(__name__)

CALLBACK_PREFIX = "ho:"  # ho:<verb>:<handover id>
ONLINE_MINUTES = 8 * 60
TRANSCRIPT_LINES = 12
RELAYED_KEPT = 3  # customer messages per topic that can still be redacted after the fact
MAX_TOPIC_NAME = 128


def _relayed(text: str) -> str:
    return f"👤 {html.escape(text, quote=False)}"


def agent_name(user: User) -> str:
    """The agent's identity: the first name customers see, and the Telegram id behind it."""
    return f"{user.first_name[:40]} · tg:{user.id}"


class AgentsRoom:
    """Implements bot.handover.AgentRoom on a forum supergroup."""

    def __init__(self, bot: Bot, desk: Desk, chat_id: int) -> None:
        self._bot = bot
        self._desk = desk
        self.chat_id = chat_id
        self._cards: dict[int, int] = {}  # handover id -> message id of its summary card
        # handover id -> the last customer messages relayed: (message id, text after the guard)
        self._relayed: dict[int, deque[tuple[int, str]]] = {}

    # -- told by the desk --------------------------------------------------------------------

    async def handover_opened(self, view: HandoverView) -> None:
        name = f"#{view.id} · {view.reason} · {view.language}"[:MAX_TOPIC_NAME]
        topic = await self._bot.create_forum_topic(self.chat_id, name)
        await self._desk.set_room(view.id, self.chat_id, topic.message_thread_id)
        card = await self._bot.send_message(
            self.chat_id,
            _card(view),
            message_thread_id=topic.message_thread_id,
            reply_markup=_buttons(view),
        )
        self._cards[view.id] = card.message_id

    async def customer_wrote(self, view: HandoverView, text: str) -> None:
        if view.room is None:
            return
        sent = await self._bot.send_message(
            self.chat_id, _relayed(text), message_thread_id=view.room[1]
        )
        kept = self._relayed.setdefault(view.id, deque(maxlen=RELAYED_KEPT))
        kept.append((sent.message_id, text))

    async def customer_message_redacted(
        self, view: HandoverView, fragment: str, placeholder: str
    ) -> None:
        """Half a card number shown in the topic: the message and the card are edited."""
        for index, (message_id, text) in enumerate(self._relayed.get(view.id, ())):
            if fragment not in text:
                continue
            redacted = text.replace(fragment, placeholder)
            self._relayed[view.id][index] = (message_id, redacted)
            try:
                await self._bot.edit_message_text(
                    _relayed(redacted), chat_id=self.chat_id, message_id=message_id
                )
            except BadRequest as error:  # too old to edit: delete it instead
                logger.info("relayed message of handover %s not edited: %s", view.id, error.message)
                await self._bot.delete_message(self.chat_id, message_id)
        await self.handover_changed(view)

    async def handover_changed(self, view: HandoverView) -> None:
        if view.room is None:
            return
        card = self._cards.get(view.id)
        if card is not None:
            try:
                await self._bot.edit_message_text(
                    _card(view), chat_id=self.chat_id, message_id=card,
                    reply_markup=_buttons(view),
                )  # fmt: skip
            except BadRequest as error:  # e.g. the card is too old to edit
                logger.info("summary card of handover %s not edited: %s", view.id, error.message)
        else:  # after a restart: a fresh card
            await self._bot.send_message(
                self.chat_id, _card(view), message_thread_id=view.room[1],
                reply_markup=_buttons(view),
            )  # fmt: skip
        if view.status not in (QUEUED, ACTIVE):
            try:
                await self._bot.close_forum_topic(self.chat_id, view.room[1])
            except BadRequest as error:
                logger.info("topic of handover %s not closed: %s", view.id, error.message)

    # -- what agents do in the room ------------------------------------------------------------

    async def on_message(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """An agent's message in a handover's topic goes to the customer."""
        message, user = update.effective_message, update.effective_user
        if message is None or user is None or user.is_bot or not message.text:
            return
        if message.text.startswith("/"):
            await self._command(message, user)
            return
        if not message.is_topic_message or message.message_thread_id is None:
            return
        handover_id = await self._desk.handover_in_room(self.chat_id, message.message_thread_id)
        if handover_id is None:
            return
        text = clean_text(message.text)  # lone surrogates or NUL from a client: U+FFFD
        if not await self._desk.say(handover_id, clean_text(agent_name(user)), text):
            await self._reply(
                message, "Not sent: take this handover first (it may be someone else's, or over)."
            )

    async def on_button(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        query = update.callback_query
        if query is None or not (query.data or "").startswith(CALLBACK_PREFIX):
            return
        _, verb, number = (query.data or "").split(":", 2)
        agent = agent_name(query.from_user)
        actions = {
            "take": self._desk.take,
            "return": self._desk.give_back,
            "close": self._desk.close,
        }
        done = (
            await actions[verb](int(number), agent)
            if verb in actions and number.isdigit()
            else False
        )
        text = None if done else "Someone else has it, or it is over."
        try:
            await query.answer(text=text)
        except (BadRequest, NetworkError):
            logger.info("a button press in the agents' room was not answered")

    async def _command(self, message: Message, user: User) -> None:
        command = message.text.split()[0].split("@")[0].lower() if message.text else ""
        if command == "/online":
            await self._desk.agent_online(agent_name(user), ONLINE_MINUTES)
            await self._reply(message, f"{html.escape(user.first_name)} is online for handovers.")
        elif command == "/offline":
            await self._desk.agent_online(agent_name(user), 0)
            await self._reply(message, f"{html.escape(user.first_name)} is offline.")

    async def _reply(self, message: Message, text: str) -> None:
        try:
            await message.reply_text(text, message_thread_id=message.message_thread_id)
        except (BadRequest, Forbidden, NetworkError) as error:
            logger.info("no reply in the agents' room: %s", type(error).__name__)


def _card(view: HandoverView) -> str:
    """The summary card (HTML): who, why, and the redacted conversation so far."""
    who = html.escape(view.agent.split(" · ")[0]) if view.agent else "nobody yet"
    lines = [
        f"<b>Handover #{view.id}</b> · {html.escape(view.status)}",
        f"Reason: {html.escape(view.reason)} · language: {html.escape(view.language)}",
        f"Signals: {html.escape(', '.join(view.signals) or '-')}",
        f"Customer: {html.escape(view.customer)} · agent: {who}",
    ]
    if view.transcript:
        lines.append("<b>Conversation so far</b> (sensitive data removed):")
        for turn in view.transcript[-TRANSCRIPT_LINES:]:
            lines.append(f"👤 {html.escape(turn['customer'][:300])}")
            if turn["assistant"]:
                lines.append(f"🤖 {html.escape(turn['assistant'][:300])}")
    return "\n".join(lines)[:4000]


def _buttons(view: HandoverView) -> InlineKeyboardMarkup | None:
    def button(title: str, verb: str) -> InlineKeyboardButton:
        return InlineKeyboardButton(title, callback_data=f"{CALLBACK_PREFIX}{verb}:{view.id}")

    if view.status == QUEUED:
        return InlineKeyboardMarkup([[button("Take", "take")]])
    if view.status == ACTIVE:
        return InlineKeyboardMarkup(
            [[button("Return to the assistant", "return"), button("Close", "close")]]
        )
    return None
