"""The one road every customer message travels, whatever channel it came from.

    channel -> sensitive-data guard -> language -> handover routing -> Rasa -> reply

`Pipeline.handle` is that road, in that order. Channels (web, terminal, Telegram) only
turn their own updates into an `Inbound` and send back the messages it returns.
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field, replace
from typing import Any

from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import sessionmaker

from bot import guard, handover, store
from bot.catalogue import Catalogue
from bot.errors import AssistantUnavailable, SportelloError
from bot.guard import Screened
from bot.language import LANGUAGES, LanguageChoice, LanguageDetector
from bot.rasa_bridge.client import AssistantAnswer, RasaClient
from bot.responses import Responses
from bot.settings import Settings

logger = logging.getLogger(__name__)

# Language for the unsupported-language reply when the conversation has none yet.
LINGUA_FRANCA = "en"
# A button's payload: an intent with optional entities, e.g. /ask_fees{"product": "credit_card"}.
BUTTON_PAYLOAD = re.compile(r"/\w+(\{[^\n]*\})?")


@dataclass(frozen=True)
class Inbound:
    """A customer message as a channel hands it over."""

    channel: str
    sender_id: str
    text: str
    language_hint: str | None = None  # e.g. Telegram's language_code, a browser's language
    # Channels that can delete the customer's message (Telegram) pass how; called when the
    # message contained sensitive data, after the customer has been warned.
    delete_original: Callable[[], Awaitable[None]] | None = None


@dataclass(frozen=True)
class Outcome:
    """How a message was answered."""

    kind: str  # "answered", "empty", "too_long", "unsupported_language", "assistant_unavailable"
    language: str
    messages: list[dict[str, Any]] = field(default_factory=list)
    intent: str | None = None
    confidence: float | None = None


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
    ) -> None:
        self._settings = settings
        self._detector = detector
        self._responses = responses
        self._catalogue = catalogue
        self._assistant = assistant
        self._sessions = sessions

    async def handle(self, message: Inbound) -> list[dict[str, Any]]:
        """Answers one customer message with REST-channel-shaped messages, whatever happens."""
        try:
            return await self._handle(message)
        except Exception:  # the gateway's one error handler: log, then a polite answer
            logger.exception("could not answer a message on channel %s", message.channel)
            hint = (message.language_hint or "").split("-")[0].lower()
            language = hint if hint in LANGUAGES else self._settings.default_language
            return [self._message(message, "utter_service_unavailable", language)]

    async def _handle(self, message: Inbound) -> list[dict[str, Any]]:
        started = time.perf_counter()
        screened = guard.screen(_bounded(message.text, self._settings.max_message_chars))
        conversation_id, current_language = await self._open_conversation(message)
        choice = self._detector.choose(
            _language_evidence(screened), current=current_language, hint=message.language_hint
        )
        route = handover.route(conversation_id=conversation_id, text=screened.text)
        if route is not handover.Route.ASSISTANT:  # agents' routes arrive with the handover issue
            raise SportelloError(f"no way to answer on route {route}")
        outcome = await self._answer(message, screened, choice, current_language)
        if screened.findings:
            outcome = await self._warn(message, screened, outcome)
        latency_ms = round((time.perf_counter() - started) * 1000)
        await self._record(conversation_id, message, screened, outcome, latency_ms)
        logger.info(
            "turn conversation=%s outcome=%s intent=%s language=%s findings=%s latency_ms=%s",
            conversation_id, outcome.kind, outcome.intent, outcome.language,
            ",".join(screened.findings) or "-", latency_ms,
        )  # fmt: skip
        return outcome.messages

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
                text=text,
                metadata={"language": choice.language, "channel": message.channel},
            )
        except AssistantUnavailable as error:
            logger.error("assistant unavailable: %s", error)
            return self._own_answer(
                message, "assistant_unavailable", choice.language, "utter_service_unavailable"
            )
        return _answered(answer, message, choice.language)

    async def _warn(self, message: Inbound, screened: Screened, outcome: Outcome) -> Outcome:
        """Puts the sensitive-data warning first and deletes the original where possible."""
        names = ["utter_sensitive_data_removed"]
        if screened.exposes_card:
            names.append("utter_block_card")
        warnings = [
            self._message(
                message, name, outcome.language, card_block_phone=self._catalogue.card_block_phone
            )
            for name in names
        ]
        if message.delete_original is not None:
            try:
                await message.delete_original()
            except Exception:
                logger.exception("could not delete a message with sensitive data")
        return replace(outcome, messages=warnings + outcome.messages)

    def _own_answer(
        self, message: Inbound, kind: str, language: str, response: str, **values: object
    ) -> Outcome:
        return Outcome(kind, language, [self._message(message, response, language, **values)])

    def _message(
        self, message: Inbound, response: str, language: str, **values: object
    ) -> dict[str, Any]:
        text = self._responses.text(response, language, **values)
        return {"recipient_id": message.sender_id, "text": text}

    async def _open_conversation(self, message: Inbound) -> tuple[int | None, str | None]:
        """The conversation's id and language; (None, None) when the database is down."""
        try:
            async with self._sessions() as session, session.begin():
                conversation = await store.get_or_create_conversation(
                    session, channel=message.channel, external_id=message.sender_id
                )
                return conversation.id, conversation.language
        except SQLAlchemyError:
            logger.exception("database unavailable: answering without history")
            return None, None

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


def _bounded(text: str, max_chars: int) -> str:
    """An over-long message is refused: only its beginning is screened and stored, cut
    before any trailing digits so that no fragment of a number survives the cut."""
    if len(text.strip()) <= max_chars:
        return text
    return re.sub(r"[\d\s.,/\-]+$", "", text[:max_chars]) + " […]"


def rasa_sender_id(message: Inbound) -> str:
    """Rasa's conversation id: the channel keeps customers of different channels apart."""
    return f"{message.channel}:{message.sender_id}"


def _answered(answer: AssistantAnswer, message: Inbound, language: str) -> Outcome:
    messages = [{**m, "recipient_id": message.sender_id} for m in answer.messages]
    return Outcome("answered", language, messages, answer.intent, answer.confidence)


def _language_evidence(screened: Screened) -> str:
    """The words to detect the language from; none in a button payload like /ask_fees{...}."""
    text = screened.without_placeholders.strip()
    return "" if BUTTON_PAYLOAD.fullmatch(text) else text
