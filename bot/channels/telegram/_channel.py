"""Sportello on Telegram, with python-telegram-bot 22: private chats and public groups.

Every customer message goes through the same pipeline as the web chat. This module only
translates: Telegram updates into `Inbound` messages, the assistant's messages into
Telegram messages (HTML-escaped, split, buttons as inline keyboards).

- Long polling when no webhook URL is set (nothing but a token is needed); otherwise the
  gateway's own web server takes `POST /webhooks/telegram`, checking Telegram's
  secret-token header (403 without it).
- Each update is taken in once (UpdateLedger) and each customer's updates are answered in
  order (CustomerOrderedUpdateProcessor); replies go through AIORateLimiter, which waits
  out Telegram's 429s, and transient network errors are retried.
- In a group the assistant answers general questions when addressed (a mention, a reply
  to it, a command). Personal topics and sensitive data move to a private chat through a
  deep link; other group messages are only screened for sensitive data.
"""

from __future__ import annotations

import asyncio
import contextlib
import hmac
import logging
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from time import monotonic
from typing import Any

from aiohttp import web
from telegram import (
    BotCommand,
    CallbackQuery,
    Chat,
    ChatMemberAdministrator,
    ChatMemberOwner,
    LinkPreviewOptions,
    Message,
    ReplyParameters,
    Update,
    User,
)
from telegram.constants import ChatType, ParseMode
from telegram.error import BadRequest, Forbidden, InvalidToken, NetworkError, RetryAfter
from telegram.ext import (
    AIORateLimiter,
    Application,
    ApplicationHandlerStop,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    Defaults,
    MessageHandler,
    TypeHandler,
    filters,
)

from bot.channels._door import UnreadableBody, clean_text, read_json
from bot.channels.telegram._render import Outgoing, PayloadBook, render
from bot.channels.telegram._room import AgentsRoom
from bot.channels.telegram._updates import CustomerOrderedUpdateProcessor, UpdateLedger
from bot.language import LANGUAGES
from bot.pipeline import CHOOSE_LANGUAGE, PRIVATE_TOPICS, Inbound, Outcome, Pipeline
from bot.settings import Settings

logger = logging.getLogger(__name__)

CHANNEL = "telegram"  # private chats: the customer is the Telegram user id
GROUP_CHANNEL = "telegram_group"  # groups: "<chat id>:<user id>"
WEBHOOK_PATH = "/webhooks/telegram"
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
ALLOWED_UPDATES = [Update.MESSAGE, Update.EDITED_MESSAGE, Update.CALLBACK_QUERY]
MAX_UPDATE_ID = 2**63 - 1  # update ids are kept in a BIGINT column
# Commands and the payloads they stand for (answered by Rasa like any button).
COMMAND_PAYLOADS = {"help": "/help", "human": "/request_human", "complaint": "/complain"}
MENU = ("start", "help", "language", "human", "complaint")
POLL_TIMEOUT_SECONDS = 10
RATE_LIMIT_RETRIES = 10  # 429s waited out per request before giving up
NETWORK_ATTEMPTS = 4  # sends tried on a network error or a 5xx, with back-off
NETWORK_BACKOFF_SECONDS = 0.5
ADMIN_CACHE_SECONDS = 300
START_RETRY_MAX_SECONDS = 60
# What a non-text message is recorded as in the transcript (never its content).
_KINDS = (
    ("voice", "[voice note]"),
    ("audio", "[audio]"),
    ("video_note", "[video note]"),
    ("video", "[video]"),
    ("animation", "[animation]"),
    ("sticker", "[sticker]"),
    ("location", "[location]"),
    ("contact", "[contact]"),
    ("poll", "[poll]"),
)

MESSAGES = filters.UpdateType.MESSAGES  # a new message or an edited one (a new message too)


@dataclass(frozen=True)
class _Where:
    """Where a customer wrote and where the answer goes."""

    chat: Chat
    user: User
    message: Message | None  # None for a button press whose message is gone

    @property
    def private(self) -> bool:
        return self.chat.type == ChatType.PRIVATE

    @property
    def thread_id(self) -> int | None:
        if self.message is not None and self.message.is_topic_message:
            return self.message.message_thread_id
        return None


class TelegramChannel:
    """The Telegram side of the gateway: one per gateway process."""

    def __init__(self, settings: Settings, pipeline: Pipeline) -> None:
        self._settings = settings
        self._pipeline = pipeline
        self._responses = pipeline.responses
        self._book = PayloadBook()
        self._secret = settings.telegram_webhook_secret.encode()
        self._ledger = UpdateLedger(pipeline.sessions, bot_id=_bot_id(settings.telegram_token))
        self._admin_cache: dict[int, tuple[bool, float]] = {}
        self._runner: asyncio.Task[None] | None = None
        self.ready = asyncio.Event()
        self.room: AgentsRoom | None = None
        self.application = self._build()
        if pipeline.desk is not None:  # agents' messages reach Telegram customers directly
            pipeline.desk.add_customer_channel(CHANNEL, self.push)

    @property
    def uses_webhook(self) -> bool:
        return bool(self._settings.telegram_webhook_url)

    # -- lifecycle ------------------------------------------------------------------------

    async def start(self) -> None:
        """Connects in the background: the gateway serves the web chat even while Telegram
        cannot be reached, and keeps trying."""
        self._runner = asyncio.create_task(self._connect_or_log(), name="telegram-connect")

    async def stop(self) -> None:
        if self._runner is not None and not self._runner.done():
            self._runner.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._runner
        app = self.application
        try:
            if app.updater is not None and app.updater.running:
                await app.updater.stop()
            if app.running:
                await app.stop()
            await app.shutdown()
        except Exception:
            logger.exception("the Telegram channel did not stop cleanly")

    async def _connect_or_log(self) -> None:
        try:
            await self._connect()
        except asyncio.CancelledError:
            raise
        except Exception:
            logger.exception("the Telegram channel could not start; the web chat still works")

    async def _connect(self) -> None:
        delay = 1.0
        while True:
            try:
                await self.application.initialize()
                break
            except InvalidToken:
                logger.error("Telegram refused the bot token: the Telegram channel is off")
                return
            except NetworkError as error:
                logger.warning(
                    "Telegram unreachable (%s); retrying in %.0f s", type(error).__name__, delay
                )
                await asyncio.sleep(delay)
                delay = min(delay * 2, START_RETRY_MAX_SECONDS)
        await self._publish_commands()
        bot = self.application.bot
        if self.uses_webhook:
            await self._until_done(
                lambda: bot.set_webhook(
                    url=self._settings.telegram_webhook_url,
                    secret_token=self._settings.telegram_webhook_secret,
                    allowed_updates=ALLOWED_UPDATES,
                ),
                "set the webhook",
            )
        else:
            assert self.application.updater is not None
            await self.application.updater.start_polling(
                timeout=POLL_TIMEOUT_SECONDS,
                allowed_updates=ALLOWED_UPDATES,
                bootstrap_retries=-1,
                error_callback=_log_polling_error,
            )
        await self.application.start()
        logger.info(
            "Telegram channel on as @%s (%s)",
            bot.username,
            "webhook" if self.uses_webhook else "polling",
        )
        self.ready.set()

    async def _until_done(self, call: Callable[[], Awaitable[object]], what: str) -> None:
        delay = 1.0
        while True:
            try:
                await call()
                return
            except NetworkError as error:  # BadRequest too: e.g. a URL Telegram refuses
                logger.warning("could not %s (%s); retrying", what, error.message)
                await asyncio.sleep(delay)
                delay = min(delay * 2, START_RETRY_MAX_SECONDS)

    async def _publish_commands(self) -> None:
        """The command menu, described in each language (Telegram picks the user's)."""
        bot = self.application.bot
        default = self._pipeline.default_language
        try:
            for language in (*LANGUAGES, None):
                commands = [
                    BotCommand(
                        name, self._responses.text(f"utter_command_{name}", language or default)
                    )
                    for name in MENU
                ]
                await bot.set_my_commands(commands, language_code=language)
        except (NetworkError, Forbidden) as error:
            logger.warning("could not publish the command menu (%s)", type(error).__name__)

    # -- webhook --------------------------------------------------------------------------

    async def webhook(self, request: web.Request) -> web.Response:
        """POST /webhooks/telegram. Never a 5xx: Telegram would only send it again."""
        given = request.headers.get(SECRET_HEADER, "").encode("utf-8", "replace")
        if not hmac.compare_digest(given, self._secret):
            return web.json_response({"error": "forbidden"}, status=403)
        try:
            data = await read_json(request)
        except UnreadableBody as error:
            return web.json_response({"error": str(error)}, status=400)
        update = self._read_update(data)
        if update is not None:
            await self.application.update_queue.put(update)
        return web.json_response({"ok": True})

    def _read_update(self, data: object) -> Update | None:
        """The update in a webhook's JSON; None, logged, when it is not one (200 anyway:
        Telegram would only send it again)."""
        if not isinstance(data, dict) or not _is_update_id(data.get("update_id")):
            logger.warning("an unreadable Telegram update was dropped (no update id)")
            return None
        try:
            return Update.de_json(data, self.application.bot)
        except Exception as error:  # its message could quote the update: the type only
            logger.warning("an unreadable Telegram update was dropped (%s)", type(error).__name__)
            return None

    # -- handlers -------------------------------------------------------------------------

    def _build(self) -> Application:
        s = self._settings
        builder = (
            Application.builder()
            .token(s.telegram_token)
            .base_url(s.telegram_api_url)
            .base_file_url(re.sub(r"/bot$", "/file/bot", s.telegram_api_url))
            .defaults(
                Defaults(
                    parse_mode=ParseMode.HTML,
                    link_preview_options=LinkPreviewOptions(is_disabled=True),
                )
            )
            .rate_limiter(AIORateLimiter(max_retries=RATE_LIMIT_RETRIES))
            .concurrent_updates(CustomerOrderedUpdateProcessor())
        )
        if self.uses_webhook:
            builder = builder.updater(None)
        app = builder.build()
        app.add_handler(TypeHandler(Update, self._only_once), group=-1)
        desk, room_id = self._pipeline.desk, s.telegram_agents_chat_id
        if desk is not None and room_id:  # the agents' room first: none of the customers' rules
            self.room = AgentsRoom(app.bot, desk, room_id)
            desk.add_room(self.room)
            app.add_handler(CallbackQueryHandler(self.room.on_button, pattern=r"^ho:"))
            app.add_handler(MessageHandler(filters.Chat(room_id) & MESSAGES, self.room.on_message))
        app.add_handler(CommandHandler("start", self._start))
        app.add_handler(CommandHandler("language", self._language))
        app.add_handler(CommandHandler(list(COMMAND_PAYLOADS), self._command))
        app.add_handler(CallbackQueryHandler(self._button))
        app.add_handler(MessageHandler(MESSAGES & filters.COMMAND, self._unknown_command))
        app.add_handler(MessageHandler(MESSAGES & filters.TEXT, self._text))
        app.add_handler(
            MessageHandler(MESSAGES & (filters.PHOTO | filters.Document.ALL), self._file)
        )
        app.add_handler(MessageHandler(MESSAGES & ~filters.StatusUpdate.ALL, self._not_text))
        app.add_error_handler(self._error)
        return app

    async def _only_once(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        if not await self._ledger.first_delivery(update.update_id):
            logger.info("update %s delivered again: ignored", update.update_id)
            raise ApplicationHandlerStop

    async def _start(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        where = _where(update)
        if where is None:
            return
        topic = context.args[0] if context.args else ""
        if not where.private:
            await self._converse(where, "/help")
        elif topic in PRIVATE_TOPICS:  # from a group's deep link: carry on with the topic
            await self._converse(where, f"/{topic}")
        else:
            await self._converse(where, "/greet")
            await self._converse(where, "/help")

    async def _command(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        where = _where(update)
        message = update.effective_message
        if where is None or message is None or not message.text:
            return
        name = message.text.split()[0].lstrip("/").split("@")[0].lower()
        await self._converse(where, COMMAND_PAYLOADS[name])

    async def _language(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        where = _where(update)
        if where is None:
            return
        inbound = await self._inbound(where, "/language")
        messages = await self._pipeline.notice(
            inbound, "utter_choose_language", kind="language_menu"
        )
        await self._deliver(where, Outcome("language_menu", "", messages))

    async def _unknown_command(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        where = _where(update)
        if where is None or where.message is None:
            return
        if not where.private and not self._addressed(where.message)[0]:
            return  # another bot's command in a group
        await self._converse(where, "/help")

    async def _text(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        where = _where(update)
        if where is None or where.message is None:
            return
        addressed, text = self._addressed(where.message)
        if addressed:
            await self._converse(where, text)
        else:
            await self._screen_only(where, text)

    async def _file(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Pictures and files are never downloaded, stored or forwarded."""
        where = _where(update)
        if where is None or where.message is None:
            return
        addressed, caption = self._addressed(where.message)
        if not addressed:
            await self._screen_only(where, caption)
            return
        what = "[photo]" if where.message.photo else "[document]"
        await self._notice(where, what, "utter_no_pictures", "file_refused")
        if caption.strip():
            await self._converse(where, caption)

    async def _not_text(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        where = _where(update)
        if where is None or where.message is None or not self._addressed(where.message)[0]:
            return
        message = where.message
        what = next((label for name, label in _KINDS if getattr(message, name, None)), "[message]")
        await self._notice(where, what, "utter_text_only", "not_text")

    async def _button(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        query = update.callback_query
        if query is None or query.message is None:
            return
        if self.room is not None and query.message.chat.id == self.room.chat_id:
            return  # an old button of the agents' room
        language = self._pipeline.language_of_hint(query.from_user.language_code)
        payload = self._book.decode(query.data or "")
        if payload is None:
            await self._answer_query(query, self._responses.text("utter_button_expired", language))
            return
        await self._answer_query(query, None)
        message = query.message if isinstance(query.message, Message) else None
        where = _Where(query.message.chat, query.from_user, message)
        outcome = await self._pipeline.respond(await self._inbound(where, payload))
        if outcome.kind == "language_chosen" and CHOOSE_LANGUAGE.fullmatch(payload) and message:
            await self._replace_menu(message, outcome)
            return
        await self._deliver(where, outcome, reply=False)

    async def _error(self, update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
        error = context.error
        logger.error(
            "Telegram update %s failed: %s",
            getattr(update, "update_id", "-"),
            type(error).__name__,
            exc_info=error,
        )

    # -- the pipeline ---------------------------------------------------------------------

    async def _converse(self, where: _Where, text: str) -> None:
        outcome = await self._pipeline.respond(await self._inbound(where, text))
        await self._deliver(where, outcome)

    async def _notice(self, where: _Where, what: str, response: str, kind: str) -> None:
        messages = await self._pipeline.notice(
            await self._inbound(where, what), response, kind=kind
        )
        await self._deliver(where, Outcome(kind, "", messages))

    async def _screen_only(self, where: _Where, text: str) -> None:
        """A group message not addressed to the assistant: screened, never stored."""
        if not text.strip():
            return
        outcome = await self._pipeline.screen_public(await self._inbound(where, text))
        if outcome.messages:
            await self._deliver(where, outcome, reply=False)

    async def _inbound(self, where: _Where, text: str) -> Inbound:
        """Where every Telegram message enters the pipeline: texts, captions, payloads."""
        text, hint = clean_text(text), where.user.language_code
        if where.private:
            return Inbound(CHANNEL, str(where.user.id), text, hint, can_delete=True)
        username = self.application.bot.username
        return Inbound(
            GROUP_CHANNEL,
            f"{where.chat.id}:{where.user.id}",
            text,
            hint,
            can_delete=await self._can_delete_in(where.chat.id),
            private_chat_url=f"https://t.me/{username}?start={{topic}}",
        )

    def _addressed(self, message: Message) -> tuple[bool, str]:
        """Whether a message is for the assistant, and its text without the @mention."""
        text = message.text or message.caption or ""
        if message.chat.type == ChatType.PRIVATE:
            return True, text
        bot = self.application.bot
        replied = message.reply_to_message
        opens_topic = (
            message.is_topic_message
            and replied is not None
            and (replied.message_id == message.message_thread_id)
        )
        if replied and not opens_topic and replied.from_user and replied.from_user.id == bot.id:
            return True, text
        mention = re.compile(rf"@{re.escape(bot.username)}\b", re.IGNORECASE)
        if mention.search(text):
            return True, mention.sub(" ", text).strip()
        return False, text

    # -- sending --------------------------------------------------------------------------

    async def push(self, external_id: str, messages: list[dict[str, Any]]) -> None:
        """Messages for a private-chat customer outside a reply (e.g. from an agent)."""
        bot = self.application.bot
        for item in render(messages, self._book):
            sent = await _with_retries(
                lambda item=item: bot.send_message(  # type: ignore[misc]
                    int(external_id), item.html, reply_markup=item.keyboard
                ),
                what=f"send a message to chat {external_id}",
            )
            if not sent:
                return

    async def _deliver(self, where: _Where, outcome: Outcome, *, reply: bool = True) -> None:
        """Sends the answer in order, then deletes the customer's message if it must go."""
        reply_to = None
        if reply and not where.private and where.message is not None:
            reply_to = where.message.message_id
        for index, item in enumerate(render(outcome.messages, self._book)):
            sent = await self._send(where, item, reply_to if index == 0 else None)
            if not sent:
                break
        if outcome.delete_original and where.message is not None:
            await self._delete(where.chat.id, where.message.message_id)

    async def _send(self, where: _Where, item: Outgoing, reply_to: int | None) -> bool:
        bot = self.application.bot
        parameters = (
            ReplyParameters(reply_to, allow_sending_without_reply=True) if reply_to else None
        )
        return await _with_retries(
            lambda: bot.send_message(
                where.chat.id,
                item.html,
                reply_markup=item.keyboard,
                reply_parameters=parameters,
                message_thread_id=where.thread_id,
            ),
            what=f"send a message to chat {where.chat.id}",
        )

    async def _delete(self, chat_id: int, message_id: int) -> None:
        try:
            await self.application.bot.delete_message(chat_id, message_id)
        except (BadRequest, Forbidden) as error:
            logger.warning("could not delete a message with sensitive data: %s", error.message)
            self._admin_cache.pop(chat_id, None)
        except NetworkError as error:
            logger.warning(
                "could not delete a message with sensitive data: %s", type(error).__name__
            )

    async def _replace_menu(self, menu: Message, outcome: Outcome) -> None:
        """The language menu becomes the confirmation, in the chosen language."""
        items = render(outcome.messages, self._book)
        if not items:
            return
        bot = self.application.bot
        await _with_retries(
            lambda: bot.edit_message_text(
                items[0].html, chat_id=menu.chat.id, message_id=menu.message_id
            ),
            what="edit the language menu",
        )

    async def _answer_query(self, query: CallbackQuery, text: str | None) -> None:
        try:
            await query.answer(text=text)
        except (BadRequest, NetworkError) as error:  # too old: the answer still follows
            logger.info("could not answer a button press: %s", type(error).__name__)

    async def _can_delete_in(self, chat_id: int) -> bool:
        """Whether the bot may delete others' messages in a group (asked every 5 minutes)."""
        cached = self._admin_cache.get(chat_id)
        if cached is not None and cached[1] > monotonic():
            return cached[0]
        bot = self.application.bot
        try:
            member = await bot.get_chat_member(chat_id, bot.id)
        except (BadRequest, Forbidden, NetworkError) as error:
            logger.warning("could not read the bot's rights in a group: %s", type(error).__name__)
            return cached[0] if cached else False
        can = isinstance(member, ChatMemberOwner) or (
            isinstance(member, ChatMemberAdministrator) and member.can_delete_messages
        )
        self._admin_cache[chat_id] = (bool(can), monotonic() + ADMIN_CACHE_SECONDS)
        return bool(can)


def _where(update: Update) -> _Where | None:
    chat, user = update.effective_chat, update.effective_user
    if chat is None or user is None or user.is_bot:
        return None
    return _Where(chat, user, update.effective_message)


async def _with_retries(call: Callable[[], Awaitable[Any]], *, what: str) -> bool:
    """Makes a Bot API call, retrying network errors and 5xx; 429s are waited out by the
    rate limiter. False when it could not be done (logged, without any message text)."""
    delay = NETWORK_BACKOFF_SECONDS
    for attempt in range(1, NETWORK_ATTEMPTS + 1):
        try:
            await call()
            return True
        except BadRequest as error:
            logger.error("could not %s: %s", what, error.message)
            return False
        except Forbidden:
            logger.info("could not %s: the user blocked the bot or left", what)
            return False
        except RetryAfter as error:
            logger.warning("could not %s: still rate-limited; waiting again", what)
            await asyncio.sleep(error.retry_after if isinstance(error.retry_after, int) else 1)
        except NetworkError as error:
            if attempt == NETWORK_ATTEMPTS:
                logger.error("could not %s: %s (gave up)", what, type(error).__name__)
                return False
            await asyncio.sleep(delay)
            delay *= 2
    return False


def _is_update_id(value: object) -> bool:
    return type(value) is int and 0 <= value <= MAX_UPDATE_ID


def _log_polling_error(error: Exception) -> None:
    logger.warning("getting updates from Telegram failed: %s", type(error).__name__)


def _bot_id(token: str) -> int:
    """The bot's id: the number before the token's colon."""
    head = token.split(":", 1)[0]
    return int(head) if head.isdigit() else 0
