"""The one road every customer message travels, whatever channel it came from.

    channel -> sensitive-data guard -> language -> handover routing -> Rasa -> reply

`Pipeline.handle` is that road, in that order. Channels (web, terminal, Telegram) only
turn their own updates into an `Inbound` and send back the messages it returns.
"""

from __future__ import annotations

import asyncio
import json
import logging
import re
import time
from collections.abc import Awaitable
from dataclasses import dataclass, field, replace
from datetime import datetime, timezone
from typing import Any, TypeVar

from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import sessionmaker

from bot import guard, store
from bot.catalogue import Catalogue
from bot.errors import AssistantUnavailable
from bot.guard import Screened
from bot.handover import LEAVE_QUEUE, QUEUED, Desk
from bot.language import LANGUAGES, LanguageChoice, LanguageDetector
from bot.rasa_bridge.client import AssistantAnswer, RasaClient
from bot.responses import Responses
from bot.settings import Settings

logger = logging.getLogger(__name__)
T = TypeVar("T")

# Language for the unsupported-language reply when the conversation has none yet.
LINGUA_FRANCA = "en"
# A button's payload: an intent with optional entities, e.g. /ask_fees{"product": "credit_card"}.
BUTTON_PAYLOAD = re.compile(r"/\w+(\{[^\n]*\})?")
# The gateway's own payload for a language the customer picks (utter_choose_language's buttons).
CHOOSE_LANGUAGE = re.compile(r'/choose_language\{"language": ?"(?P<language>[a-z]{2})"\}')
# Intents whose answer is about the customer personally. In a public place (a group) the
# assistant does not answer them there: it offers a private chat instead.
PRIVATE_TOPICS = frozenset(
    {
        "request_human",
        "complain",
        "express_anger",
        "ask_account_data",
        "ask_complaint_status",
        "lost_stolen_card",
        "report_fraud",
        "calc_loan",
        "calc_savings",
    }
)
# Intents whose answer already tells the customer to block the card (the 24/7 number).
ANSWERS_THAT_BLOCK_CARDS = frozenset({"lost_stolen_card", "report_fraud"})
# Rasa's built-in intent that starts a conversation afresh (action_restart).
RESTART = "/restart"
# The private-chat topic when a public message contained sensitive data.
SENSITIVE_TOPIC = "private"


@dataclass(frozen=True)
class Inbound:
    """A customer message as a channel hands it over."""

    channel: str
    sender_id: str
    text: str
    language_hint: str | None = None  # e.g. Telegram's language_code, a browser's language
    # Whether the channel can delete the customer's message (Telegram: private chats, and
    # groups where the bot is an admin). See Outcome.delete_original.
    can_delete: bool = False
    # Set for a message written in a public place (a Telegram group): the address of a
    # private chat with the assistant, with `{topic}` where the topic goes. Personal topics
    # and sensitive data get this link instead of an answer.
    private_chat_url: str | None = None

    @property
    def is_public(self) -> bool:
        return self.private_chat_url is not None


@dataclass(frozen=True)
class Outcome:
    """How a message was answered."""

    kind: str  # "answered", "empty", "too_long", "unsupported_language", "assistant_unavailable"
    language: str
    messages: list[dict[str, Any]] = field(default_factory=list)
    intent: str | None = None
    confidence: float | None = None
    findings: tuple[str, ...] = ()
    in_form: bool = False  # a Rasa form took the message (an amount, a description...)
    # The message contained sensitive data and the channel can delete it: it deletes it
    # once the warning has been sent.
    delete_original: bool = False


class Pipeline:
    """Answers customer messages; one instance per gateway process."""

    def __init__(
        self,
        *,
        settings: Settings,
        detector: LanguageDetector,
        responses: Responses,
        catalogue: Catalogue,
        assistant: RasaClient,
        sessions: sessionmaker,
        desk: Desk | None = None,
    ) -> None:
        self._settings = settings
        self._detector = detector
        self._responses = responses
        self._catalogue = catalogue
        self._assistant = assistant
        self._sessions = sessions
        self._desk = desk
        self._splits = guard.SplitNumbers()  # numbers sent in two messages

    @property
    def desk(self) -> Desk | None:
        return self._desk

    @property
    def responses(self) -> Responses:
        return self._responses

    @property
    def sessions(self) -> sessionmaker:
        """The gateway database's sessions, for channels that keep state of their own."""
        return self._sessions

    @property
    def default_language(self) -> str:
        return self._settings.default_language

    @property
    def agent_token(self) -> str:
        return self._settings.agent_token

    async def outbox(self, channel: str, sender_id: str) -> list[dict[str, Any]]:
        """Messages waiting for a customer who cannot be reached otherwise (the web chat)."""
        try:
            async with self._sessions() as session, session.begin():
                conversation = await store.find_conversation(
                    session, channel=channel, external_id=sender_id
                )
                if conversation is None:
                    return []
                messages = await store.take_outbox(session, conversation_id=conversation.id)
        except SQLAlchemyError:
            logger.exception("database unavailable: the outbox is not read")
            return []
        return [{"recipient_id": sender_id, **m} for m in messages]

    async def handle(self, message: Inbound) -> list[dict[str, Any]]:
        """Answers one customer message with REST-channel-shaped messages, whatever happens."""
        return (await self.respond(message)).messages

    async def respond(self, message: Inbound) -> Outcome:
        """Answers one customer message, and says how; never raises."""
        try:
            return await self._handle(message)
        except Exception:  # the gateway's one error handler: log, then a polite answer
            logger.exception("could not answer a message on channel %s", message.channel)
            language = self._hinted_language(message)
            return self._own_answer(message, "error", language, "utter_service_unavailable")

    async def notice(self, message: Inbound, response: str, *, kind: str) -> list[dict[str, Any]]:
        """Answers with one of the gateway's own responses, without Rasa, in the conversation's
        language: e.g. a picture the assistant cannot look at, or the language menu. The turn
        is recorded with `message.text` (a description such as "[photo]", screened anyway)."""
        try:
            started = time.perf_counter()
            screened = guard.screen(_bounded(message.text, self._settings.max_message_chars))
            conversation = await self._open_conversation(message)
            language = conversation.language or self._hinted_language(message)
            outcome = self._own_answer(message, kind, language, response)
            latency_ms = round((time.perf_counter() - started) * 1000)
            await self._record(conversation.id, message, screened, outcome, latency_ms)
            return outcome.messages
        except Exception:
            logger.exception("could not answer a message on channel %s", message.channel)
            language = self._hinted_language(message)
            return [self._message(message, "utter_service_unavailable", language)]

    async def screen_public(self, message: Inbound) -> Outcome:
        """A message in a public place that is not addressed to the assistant: only the guard
        reads it, and nothing is stored. If it contains sensitive data, the group gets the
        warning (nothing about the customer), the incident is counted (kind only) and the
        channel deletes the message if it can."""
        try:
            screened = guard.screen(_bounded(message.text, self._settings.max_message_chars))
            if not screened.findings:
                return Outcome("ignored", self._hinted_language(message))
            language = self._detector.choose(
                screened.without_placeholders, hint=message.language_hint
            ).language
            outcome = await self._warn(message, screened, Outcome("public_warning", language))
            try:
                async with self._sessions() as session, session.begin():
                    await store.add_incidents(
                        session, channel=message.channel, language=language,
                        kinds=screened.findings,
                    )  # fmt: skip
            except SQLAlchemyError:
                logger.exception("database unavailable: incidents not counted")
            return replace(outcome, findings=screened.findings)
        except Exception:
            logger.exception("could not screen a public message on channel %s", message.channel)
            return Outcome("error", self._hinted_language(message))

    async def _handle(self, message: Inbound) -> Outcome:
        started = time.perf_counter()
        joined = self._splits.screen(
            (message.channel, message.sender_id),
            _bounded(message.text, self._settings.max_message_chars),
        )
        screened = Screened(joined.text, joined.findings)
        conversation = await self._open_conversation(message)
        chosen = CHOOSE_LANGUAGE.fullmatch(screened.text.strip())
        if chosen and chosen["language"] in LANGUAGES:
            outcome = await self._choose_language(message, conversation, chosen["language"])
        else:
            if conversation.language_chosen and conversation.language:
                choice = LanguageChoice(conversation.language, 1.0, None)
            else:
                choice = self._detector.choose(
                    _language_evidence(screened),
                    current=conversation.language,
                    hint=message.language_hint,
                )
            outcome = await self._route(message, screened, conversation, choice)
        latency_ms = round((time.perf_counter() - started) * 1000)
        await self._record(conversation.id, message, screened, outcome, latency_ms)
        if joined.earlier_fragment is not None:
            await self._redact_earlier(conversation.id, message, joined)
        logger.info(
            "turn conversation=%s outcome=%s intent=%s language=%s findings=%s latency_ms=%s",
            conversation.id, outcome.kind, outcome.intent, outcome.language,
            ",".join(screened.findings) or "-", latency_ms,
        )  # fmt: skip
        return replace(outcome, findings=screened.findings)

    async def _route(
        self,
        message: Inbound,
        screened: Screened,
        conversation: _ConversationState,
        choice: LanguageChoice,
    ) -> Outcome:
        """Handover routing: a person who has the conversation, else the assistant; then
        whether the turn shows a difficult customer."""
        handover = await self._desk_call(self._open_handover(conversation.id))
        text = screened.text.strip()
        if handover is not None and handover.status == QUEUED and text in LEAVE_QUEUE:
            await self._desk_call(self._leave_queue(handover))
        elif handover is not None:
            replies = await self._desk_call(self._relay(handover, screened.text))
            kind = "waiting" if handover.status == QUEUED else "to_agent"
            relayed = Outcome(
                kind, handover.language, [self._addressed(message, m) for m in replies or []]
            )
            return await self._warn(message, screened, relayed) if screened.findings else relayed
        rated = await self._desk_call(self._rate(conversation.id, text, choice.language))
        if rated:
            return Outcome("rated", choice.language, [self._addressed(message, m) for m in rated])
        outcome = await self._answer(message, screened, choice, conversation.language)
        if outcome.kind == "answered" and not message.is_public and self._desk is not None:
            decision = await self._desk_call(
                self._desk.assess(
                    conversation.id,
                    screened.text,
                    intent=outcome.intent,
                    confidence=outcome.confidence,
                    in_form=outcome.in_form,
                    language=outcome.language,
                )
            )
            if decision is not None:
                kept = outcome.messages if decision.keep_answer else []
                added = [self._addressed(message, m) for m in decision.messages]
                outcome = replace(outcome, kind=decision.kind, messages=kept + added)
        if message.is_public:
            outcome = await self._keep_public(message, screened, outcome)
        if screened.findings:
            outcome = await self._warn(message, screened, outcome)
        return outcome

    async def _open_handover(self, conversation_id: int | None) -> store.Handover | None:
        return await self._desk.open_handover(conversation_id) if self._desk else None

    async def _leave_queue(self, handover: store.Handover) -> None:
        if self._desk is not None:
            await self._desk.leave_queue(handover)

    async def _relay(self, handover: store.Handover, text: str) -> list[dict[str, Any]]:
        return await self._desk.relay_customer(handover, text) if self._desk else []

    async def _rate(
        self, conversation_id: int | None, text: str, language: str
    ) -> list[dict[str, Any]] | None:
        return await self._desk.rate(conversation_id, text, language) if self._desk else None

    @staticmethod
    async def _desk_call(call: Awaitable[T]) -> T | None:
        """The desk needs the database; without it the assistant answers on its own."""
        try:
            return await call
        except SQLAlchemyError:
            logger.exception("database unavailable: handover skipped for this message")
            return None

    @staticmethod
    def _addressed(message: Inbound, reply: dict[str, Any]) -> dict[str, Any]:
        return {"recipient_id": message.sender_id, **reply}

    async def _choose_language(
        self, message: Inbound, conversation: _ConversationState, language: str
    ) -> Outcome:
        if conversation.id is not None:
            try:
                async with self._sessions() as session, session.begin():
                    row = await session.get(store.Conversation, conversation.id)
                    store.choose_language(row, language)
            except SQLAlchemyError:
                logger.exception("database unavailable: chosen language not kept")
        return self._own_answer(message, "language_chosen", language, "utter_language_chosen")

    async def _keep_public(self, message: Inbound, screened: Screened, outcome: Outcome) -> Outcome:
        """In a public place, a personal topic or sensitive data moves to a private chat.

        Rasa has started on the topic by then (a complaint form, a calculator): its
        conversation for this person in this place starts afresh, so the next public
        question is not taken as the form's answer.
        """
        if screened.findings:
            topic = SENSITIVE_TOPIC
        elif outcome.intent in PRIVATE_TOPICS:
            topic = str(outcome.intent)
        else:
            return outcome
        assert message.private_chat_url is not None
        link = self._message(message, "utter_continue_in_private", outcome.language)
        link["buttons"] = [
            {
                "title": self._responses.text("utter_button_private_chat", outcome.language),
                "url": message.private_chat_url.format(topic=topic),
            }
        ]
        if outcome.intent in PRIVATE_TOPICS:
            try:
                await self._assistant.ask(
                    sender_id=rasa_sender_id(message), text=RESTART,
                    metadata={"language": outcome.language, "channel": message.channel},
                )  # fmt: skip
            except AssistantUnavailable as error:
                logger.warning("public conversation not restarted in Rasa: %s", error)
        return replace(outcome, kind="moved_to_private", messages=[link])

    async def _answer(
        self,
        message: Inbound,
        screened: Screened,
        choice: LanguageChoice,
        current_language: str | None,
    ) -> Outcome:
        text = screened.text.strip()
        if not text:
            return self._own_answer(message, "empty", choice.language, "utter_empty_message")
        if len(message.text.strip()) > self._settings.max_message_chars:
            return self._own_answer(
                message, "too_long", choice.language, "utter_message_too_long",
                max_chars=self._settings.max_message_chars,
            )  # fmt: skip
        if screened.findings and not any(ch.isalpha() for ch in screened.without_placeholders):
            return Outcome("sensitive_only", choice.language)  # nothing left to answer
        if not choice.is_supported:
            language = current_language or LINGUA_FRANCA
            return self._own_answer(
                message, "unsupported_language", language, "utter_unsupported_language"
            )
        try:
            answer = await self._assistant.ask(
                sender_id=rasa_sender_id(message),
                text=_with_language(text, choice.language),
                metadata={"language": choice.language, "channel": message.channel},
            )
        except AssistantUnavailable as error:
            logger.error("assistant unavailable: %s", error)
            return self._own_answer(
                message, "assistant_unavailable", choice.language, "utter_service_unavailable"
            )
        return _answered(answer, message, choice.language)

    async def _warn(self, message: Inbound, screened: Screened, outcome: Outcome) -> Outcome:
        """Puts the sensitive-data warning first; the channel then deletes the original."""
        warnings = [
            self._message(message, name, outcome.language, **self._warning_values())
            for name in self._warning_names(message, screened, outcome.intent)
        ]
        return replace(
            outcome, messages=warnings + outcome.messages, delete_original=message.can_delete
        )

    @staticmethod
    def _warning_names(message: Inbound, screened: Screened, intent: str | None) -> list[str]:
        if not message.is_public:
            names = ["utter_sensitive_data_removed"]
        elif message.can_delete:
            names = ["utter_public_sensitive_data_removed"]
        else:  # a group where the bot is not an admin: the sender must delete it
            names = ["utter_public_sensitive_data_shared"]
        if screened.exposes_card and intent not in ANSWERS_THAT_BLOCK_CARDS:
            names.append("utter_block_card")  # said once: the lost-card answer says it too
        return names

    def _warning_values(self) -> dict[str, object]:
        return {"card_block_phone": self._catalogue.card_block_phone}

    def _hinted_language(self, message: Inbound) -> str:
        return self.language_of_hint(message.language_hint)

    def language_of_hint(self, hint: str | None) -> str:
        """A supported language from a channel's hint ("en-GB"), else the default one."""
        base = (hint or "").replace("_", "-").split("-")[0].lower()
        return base if base in LANGUAGES else self._settings.default_language

    def _own_answer(
        self, message: Inbound, kind: str, language: str, response: str, **values: object
    ) -> Outcome:
        return Outcome(kind, language, [self._message(message, response, language, **values)])

    def _message(
        self, message: Inbound, response: str, language: str, **values: object
    ) -> dict[str, Any]:
        return {
            "recipient_id": message.sender_id,
            **self._responses.message(response, language, **values),
        }

    async def _open_conversation(self, message: Inbound) -> _ConversationState:
        """The conversation's id and language; nothing known when the database is down."""
        try:
            async with self._sessions() as session, session.begin():
                conversation = await store.get_or_create_conversation(
                    session, channel=message.channel, external_id=message.sender_id
                )
                return _ConversationState(
                    conversation.id, conversation.language, bool(conversation.language_chosen)
                )
        except SQLAlchemyError:
            logger.exception("database unavailable: answering without history")
            return _ConversationState(None, None, False)

    async def _record(
        self,
        conversation_id: int | None,
        message: Inbound,
        screened: Screened,
        outcome: Outcome,
        latency_ms: int,
    ) -> None:
        if conversation_id is None:
            return
        try:
            async with self._sessions() as session, session.begin():
                conversation = await session.get(store.Conversation, conversation_id)
                await store.add_turn(
                    session,
                    conversation=conversation,
                    text=screened.text,
                    reply="\n".join(m.get("text") or "" for m in outcome.messages),
                    outcome=outcome.kind,
                    language=outcome.language,
                    latency_ms=latency_ms,
                    intent=outcome.intent,
                    confidence=outcome.confidence,
                )
                await store.add_incidents(
                    session, channel=message.channel, language=outcome.language,
                    kinds=screened.findings,
                )  # fmt: skip
        except SQLAlchemyError:
            logger.exception(
                "database unavailable: turn of conversation %s not recorded", conversation_id
            )

    async def _redact_earlier(
        self, conversation_id: int | None, message: Inbound, joined: guard.Joined
    ) -> None:
        """The earlier half of a number this message completed goes from everything that
        stored it: the gateway's tables, Rasa's tracker store, the agents' rooms."""
        assert joined.earlier_fragment is not None and joined.placeholder is not None
        fragment, placeholder = joined.earlier_fragment, joined.placeholder
        since = datetime.fromtimestamp(joined.earlier_at or time.time(), timezone.utc)
        try:
            await asyncio.to_thread(
                store.redact_rasa_events_since, self._settings.tracker_url,
                sender_id=rasa_sender_id(message), fragment=fragment,
                placeholder=placeholder, since=since,
            )  # fmt: skip
        except SQLAlchemyError:
            logger.exception("tracker store unavailable: an earlier half number not redacted")
        if conversation_id is None:
            return
        try:
            async with self._sessions() as session, session.begin():
                await store.redact_conversation_since(
                    session, conversation_id=conversation_id, fragment=fragment,
                    placeholder=placeholder, since=since,
                )  # fmt: skip
        except SQLAlchemyError:
            logger.exception("database unavailable: an earlier half number not redacted")
        if self._desk is not None:
            await self._desk.redact_customer(conversation_id, fragment, placeholder)


@dataclass(frozen=True)
class _ConversationState:
    id: int | None
    language: str | None
    language_chosen: bool


def _bounded(text: str, max_chars: int) -> str:
    """An over-long message is refused: only its beginning is screened and stored, cut
    before any trailing digits so that no fragment of a number survives the cut."""
    if len(text.strip()) <= max_chars:
        return text
    kept = text[:max_chars]
    while kept and (not kept[-1].isprintable() or re.match(r"[\d\s.,/\-]", kept[-1])):
        kept = kept[:-1]  # digits, spaces, separators and invisible characters
    return kept + " […]"


def rasa_sender_id(message: Inbound) -> str:
    """Rasa's conversation id: the channel keeps customers of different channels apart."""
    return f"{message.channel}:{message.sender_id}"


def _answered(answer: AssistantAnswer, message: Inbound, language: str) -> Outcome:
    messages = [{**m, "recipient_id": message.sender_id} for m in answer.messages]
    return Outcome(
        "answered", language, messages, answer.intent, answer.confidence, in_form=answer.in_form
    )


def _with_language(text: str, language: str) -> str:
    """A button payload carries the language as an entity: Rasa reads payloads without its
    NLU pipeline, so the language tagger would not set the slot for them."""
    if not BUTTON_PAYLOAD.fullmatch(text):
        return text
    intent, brace, entities = text.partition("{")
    try:
        values = json.loads(brace + entities) if brace else {}
    except ValueError:
        return text
    if not isinstance(values, dict):
        return text
    values["language"] = language
    return intent + json.dumps(values, ensure_ascii=False)


def _language_evidence(screened: Screened) -> str:
    """The words to detect the language from; none in a button payload like /ask_fees{...}."""
    text = screened.without_placeholders.strip()
    return "" if BUTTON_PAYLOAD.fullmatch(text) else text
