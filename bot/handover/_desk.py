"""The handover desk: escalates difficult conversations and runs live handovers.

The pipeline asks the desk two things on every customer message: whether a person has the
conversation (then the message goes to them, not to Rasa), and, after Rasa answered, whether
the turn shows a difficult customer (then the answer becomes an offer: a live agent when
agents are on shift and online, else the phone line when it is open, else, and always on
request, the formal complaint). Agents' tools (the web agent page, the Telegram agents' room)
take, answer, return and close handovers through the desk; exactly one agent can take one.
"""

from __future__ import annotations

import logging
import math
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from typing import Any, Protocol

from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import sessionmaker

from bot import guard, store
from bot.catalogue import Catalogue
from bot.formatting import clock, day_name
from bot.handover._signals import Lexicon, Reading, SignalState, Thresholds, read_turn
from bot.responses import Responses
from bot.settings import Settings

logger = logging.getLogger(__name__)

QUEUED, ACTIVE, RETURNED, CLOSED, CANCELLED = "queued", "active", "returned", "closed", "cancelled"
# Payloads a waiting customer can press instead of waiting (the desk's own buttons).
LEAVE_QUEUE = frozenset({"/complain", "/deny"})
RATE = re.compile(r'/rate\{"score": ?(?P<score>[1-5])\}|(?P<digit>[1-5])')
RATING_WINDOW = timedelta(minutes=30)  # a bare "4" counts as a rating this long after
COOLDOWN = timedelta(minutes=5)  # after an offer, only a request for a person escalates again
TRANSCRIPT_TURNS = 20
# Answers worth keeping when the same turn also escalates (the customer asked something).
_QUESTION = re.compile(r"(ask_|edu_|calc_)|lost_stolen_card|report_fraud|online_banking_help")

Clock = Callable[[], datetime]
Messages = list[dict[str, Any]]
CustomerSender = Callable[[str, Messages], Awaitable[None]]


def _now() -> datetime:
    return datetime.now(timezone.utc)


@dataclass(frozen=True)
class Availability:
    """Who can take a difficult customer right now."""

    agents_on_shift: bool
    agents_online: int
    phone_until: datetime | None  # the phone line is open until then
    phone_opens: datetime | None  # else it opens next then

    @property
    def agents(self) -> bool:
        return self.agents_on_shift and self.agents_online > 0


@dataclass(frozen=True)
class HandoverView:
    """What an agent sees of a handover: the summary card and the conversation."""

    id: int
    status: str
    reason: str
    signals: tuple[str, ...]
    language: str
    channel: str
    customer: str
    agent: str | None
    created_at: datetime
    place: int | None
    room: tuple[int, int] | None = None  # the Telegram agents' room topic (chat, thread)
    transcript: list[dict[str, str]] = field(default_factory=list)  # redacted turns
    messages: list[dict[str, str]] = field(default_factory=list)  # during the handover


class AgentRoom(Protocol):
    """Somewhere agents work (the Telegram agents' room); told what happens."""

    async def handover_opened(self, view: HandoverView) -> None: ...

    async def customer_wrote(self, view: HandoverView, text: str) -> None: ...

    async def handover_changed(self, view: HandoverView) -> None: ...

    async def customer_message_redacted(
        self, view: HandoverView, fragment: str, placeholder: str
    ) -> None: ...


@dataclass(frozen=True)
class Decision:
    """What the desk made of a turn: the messages to send instead of (or after) Rasa's."""

    kind: str  # "queued_request", or "escalated_<reason>" (the turn's recorded outcome)
    reason: str
    messages: Messages
    keep_answer: bool


class Desk:
    """One per gateway process."""

    def __init__(
        self,
        *,
        settings: Settings,
        sessions: sessionmaker,
        responses: Responses,
        catalogue: Callable[[], Catalogue],
        lexicons: dict[str, Lexicon],
        clock: Clock = _now,
    ) -> None:
        self._settings = settings
        self._sessions = sessions
        self._responses = responses
        self._catalogue = catalogue
        self._lexicons = lexicons
        self._clock = clock
        self._senders: dict[str, CustomerSender] = {}
        self._rooms: list[AgentRoom] = []
        self.thresholds = Thresholds(
            frustration=settings.handover_frustration,
            fallbacks=settings.handover_fallbacks,
            repeats=settings.handover_repeats,
            unsure=settings.handover_unsure_confidence,
        )

    # -- wiring ---------------------------------------------------------------------------

    def add_customer_channel(self, channel: str, send: CustomerSender) -> None:
        """How to reach a customer of `channel` outside a reply (e.g. Telegram). Channels
        without one (the web chat) get the desk's messages through the outbox."""
        self._senders[channel] = send

    def add_room(self, room: AgentRoom) -> None:
        self._rooms.append(room)

    # -- the customer's side (called by the pipeline) --------------------------------------

    async def open_handover(self, conversation_id: int | None) -> store.Handover | None:
        if conversation_id is None:
            return None
        async with self._sessions() as session:
            return await store.open_handover(session, conversation_id=conversation_id)

    async def leave_queue(self, handover: store.Handover) -> None:
        """The waiting customer chose the complaint or the assistant instead."""
        async with self._sessions() as session, session.begin():
            ended = await store.end_handover(
                session, handover_id=handover.id, status=CANCELLED, now=self._utcnow()
            )
        if ended:
            await self._tell_rooms(handover.id)

    async def relay_customer(self, handover: store.Handover, text: str) -> Messages:
        """A customer's message (after the guard) for the agent; the reply while waiting."""
        async with self._sessions() as session, session.begin():
            await store.add_handover_message(
                session, handover_id=handover.id, author="customer", text=text
            )
            place = await store.queue_position(session, handover=handover)
        view = await self.view(handover.id)
        if view is not None:
            for room in self._rooms:
                await _safely(room.customer_wrote(view, text))
        if handover.status != QUEUED:
            return []  # the agent answers
        return [self._message("utter_handover_waiting", handover.language, **self._wait(place))]

    async def redact_customer(self, conversation_id: int, fragment: str, placeholder: str) -> None:
        """Tells the rooms that `fragment`, shown to agents, was half of a card number (the
        database rows were redacted by the caller)."""
        handover = await self.open_handover(conversation_id)
        view = await self.view(handover.id) if handover is not None else None
        if view is None:
            return
        for room in self._rooms:
            await _safely(room.customer_message_redacted(view, fragment, placeholder))

    async def assess(
        self,
        conversation_id: int | None,
        text: str,
        *,
        intent: str | None,
        language: str,
        confidence: float | None = None,
        in_form: bool = False,
    ) -> Decision | None:
        """Reads the turn's signals; a Decision when the customer should be offered a person."""
        if conversation_id is None:
            return None
        async with self._sessions() as session, session.begin():
            conversation = await session.get(store.Conversation, conversation_id)
            state = SignalState(
                conversation.frustration or 0.0,
                conversation.fallback_streak or 0,
                [f for f in (conversation.recent_questions or "").split(",") if f],
            )
            reading = read_turn(
                text,
                intent=intent,
                confidence=confidence,
                in_form=in_form,
                lexicon=self._lexicons.get(language),
                state=state,
                thresholds=self.thresholds,
            )
            if intent == "complain":  # on the complaint's road: only a person or a threat
                reading = reading.only("request", "threat", "anger", "insult")
            escalate = reading.escalates(self.thresholds) and (
                "request" in reading.strong or not self._cooling_down(conversation.escalated_at)
            )
            if escalate:
                state = SignalState()
                conversation.escalated_at = self._utcnow()
            conversation.frustration = state.frustration
            conversation.fallback_streak = state.fallback_streak
            conversation.recent_questions = ",".join(state.recent_questions)
        if not escalate:
            return None
        logger.info(
            "escalation conversation=%s signals=%s frustration=%s",
            conversation_id, ",".join(reading.signals), reading.frustration,
        )  # fmt: skip
        return await self._decide(conversation_id, reading, intent, language, in_form)

    async def rate(self, conversation_id: int | None, text: str, language: str) -> Messages | None:
        """A 1-5 rating of the last handover (button or a bare digit); None if it is not one."""
        match = RATE.fullmatch(text.strip())
        if match is None or conversation_id is None:
            return None
        async with self._sessions() as session, session.begin():
            handover = await store.last_ended_unrated(session, conversation_id=conversation_id)
            recent = (
                handover is not None
                and handover.ended_at is not None
                and (self._utcnow() - _aware(handover.ended_at) < RATING_WINDOW)
            )
            if handover is None or (match["digit"] and not recent):
                return None
            handover.rating = int(match["score"] or match["digit"])
            handover.rated_at = self._utcnow()
        return [self._message("utter_rating_thanks", language)]

    # -- the agents' side ------------------------------------------------------------------

    async def board(self) -> list[HandoverView]:
        """Queued handovers in arrival order, then the active ones."""
        async with self._sessions() as session:
            rows = await store.list_handovers(session, statuses=(QUEUED, ACTIVE))
        views = [await self.view(row.id) for row in rows]
        return [v for v in views if v is not None]

    async def view(self, handover_id: int) -> HandoverView | None:
        async with self._sessions() as session:
            handover = await session.get(store.Handover, handover_id)
            if handover is None:
                return None
            conversation = await session.get(store.Conversation, handover.conversation_id)
            turns = await store.recent_turns(
                session, conversation_id=handover.conversation_id, limit=TRANSCRIPT_TURNS
            )
            messages = await store.handover_messages(session, handover_id=handover_id)
            place = (
                await store.queue_position(session, handover=handover)
                if handover.status == QUEUED
                else None
            )
        before = [t for t in turns if _aware(t.created_at) <= _aware(handover.created_at)]
        return HandoverView(
            id=handover.id,
            status=handover.status,
            reason=handover.reason,
            signals=tuple(s for s in handover.signals.split(",") if s),
            language=handover.language,
            channel=conversation.channel,
            customer=f"{conversation.channel}:{conversation.external_id}",
            agent=handover.agent,
            created_at=_aware(handover.created_at),
            place=place,
            room=(
                (int(handover.room_chat_id), int(handover.room_thread_id))
                if handover.room_chat_id is not None and handover.room_thread_id is not None
                else None
            ),
            transcript=[{"customer": t.text, "assistant": t.reply} for t in before],
            messages=[
                {"author": m.author, "agent": m.agent or "", "text": m.text} for m in messages
            ],
        )

    async def set_room(self, handover_id: int, chat_id: int, thread_id: int) -> None:
        """Where the handover is discussed in the Telegram agents' room (kept across restarts)."""
        async with self._sessions() as session, session.begin():
            handover = await session.get(store.Handover, handover_id)
            if handover is not None:
                handover.room_chat_id, handover.room_thread_id = chat_id, thread_id

    async def handover_in_room(self, chat_id: int, thread_id: int) -> int | None:
        async with self._sessions() as session:
            return await store.handover_in_room(session, chat_id=chat_id, thread_id=thread_id)

    async def take(self, handover_id: int, agent: str) -> bool:
        """The agent takes a queued handover; False if another agent already has it."""
        async with self._sessions() as session, session.begin():
            taken = await store.take_handover(
                session, handover_id=handover_id, agent=agent, now=self._utcnow()
            )
        if taken:
            logger.info("handover %s taken", handover_id)
            await self._tell_customer(handover_id, "utter_handover_taken", agent=display(agent))
            await self._tell_rooms(handover_id)
        return taken

    async def say(self, handover_id: int, agent: str, text: str) -> bool:
        """An agent's message to the customer, through the guard like every message."""
        screened = guard.screen(text[: self._settings.max_message_chars])
        if not screened.text.strip():
            return False
        async with self._sessions() as session, session.begin():
            handover = await session.get(store.Handover, handover_id)
            if handover is None or handover.status != ACTIVE or handover.agent != agent:
                return False
            await store.add_handover_message(
                session, handover_id=handover_id, author="agent", text=screened.text, agent=agent
            )
        await self._tell_customer(
            handover_id, "utter_agent_says", agent=display(agent), text=screened.text
        )
        return True

    async def give_back(self, handover_id: int, agent: str) -> bool:
        """The agent returns the conversation to the assistant."""
        return await self._end(handover_id, agent, RETURNED, "utter_handover_returned")

    async def close(self, handover_id: int, agent: str) -> bool:
        return await self._end(handover_id, agent, CLOSED, "utter_handover_closed")

    async def agent_online(self, agent: str, minutes: float) -> None:
        async with self._sessions() as session, session.begin():
            until = self._utcnow() + timedelta(minutes=minutes)
            await store.mark_agent_online(session, name=agent, until=until)

    async def check_waiting(self) -> int:
        """Offers the phone or a complaint to customers queued for too long; how many."""
        limit = self._utcnow() - timedelta(minutes=self._settings.handover_wait_minutes)
        async with self._sessions() as session, session.begin():
            waiting = [
                h
                for h in await store.list_handovers(session, statuses=(QUEUED,))
                if h.alternatives_offered_at is None and _aware(h.created_at) <= limit
            ]
            for handover in waiting:
                handover.alternatives_offered_at = self._utcnow()
        availability = await self.availability()
        for handover in waiting:
            messages = self._alternatives(handover.language, availability, "utter_handover_late")
            await self._deliver(handover.conversation_id, messages)
        return len(waiting)

    async def availability(self) -> Availability:
        catalogue = self._catalogue()
        now = self._utcnow().astimezone(catalogue.timezone)
        holidays = catalogue.public_holidays()
        no_days: frozenset[date] = frozenset()
        agent_days = (
            holidays
            if catalogue.get("contacts.live_chat_agents.closed_on_public_holidays")
            else no_days
        )
        phone_days = (
            holidays
            if catalogue.get("contacts.customer_service.closed_on_public_holidays")
            else no_days
        )
        on_shift = catalogue.get("contacts.live_chat_agents.hours").open_until(now, agent_days)
        phone = catalogue.get("contacts.customer_service.hours")
        until = phone.open_until(now, phone_days)
        try:
            async with self._sessions() as session:
                online = await store.agents_online(session, now=self._utcnow())
        except SQLAlchemyError:
            logger.exception("database unavailable: no agent counted as online")
            online = 0
        return Availability(
            agents_on_shift=on_shift is not None,
            agents_online=online,
            phone_until=until,
            phone_opens=None if until else phone.next_opening(now, phone_days),
        )

    # -- inside ----------------------------------------------------------------------------

    async def _decide(
        self,
        conversation_id: int,
        reading: Reading,
        intent: str | None,
        language: str,
        in_form: bool = False,
    ) -> Decision:
        reason = _reason(reading)
        availability = await self.availability()
        # A question's answer, the complaint's first step or a form's next question stays.
        keep = in_form or bool(intent and (_QUESTION.match(intent) or intent == "complain"))
        if reason == "request" and availability.agents:
            async with self._sessions() as session, session.begin():
                handover = await store.add_handover(
                    session, conversation_id=conversation_id, reason=reason,
                    signals=reading.signals, language=language, now=self._utcnow(),
                )  # fmt: skip
                place = await store.queue_position(session, handover=handover)
            logger.info("handover %s queued at place %s", handover.id, place)
            view = await self.view(handover.id)
            if view is not None:
                for room in self._rooms:
                    await _safely(room.handover_opened(view))
            messages = [self._message("utter_handover_queued", language, **self._wait(place))]
            return Decision("queued_request", reason, messages, keep_answer=False)
        if availability.agents:
            offer = self._message("utter_handover_offer", language)
            offer["buttons"] = [
                self._button("utter_button_person", language, "/request_human"),
                self._button("utter_button_complaint", language, "/complain"),
            ]
            return Decision(f"escalated_{reason}", reason, [offer], keep_answer=keep)
        messages = self._alternatives(language, availability, "utter_handover_no_agents")
        return Decision(f"escalated_{reason}", reason, messages, keep_answer=keep)

    def _alternatives(self, language: str, availability: Availability, opening: str) -> Messages:
        """`opening` (sorry...), then the phone if open, then the complaint button."""
        catalogue = self._catalogue()
        phone = catalogue.get("contacts.customer_service.phone")
        messages = [self._message(opening, language)]
        if availability.phone_until is not None:
            until = clock(availability.phone_until, language)
            messages.append(
                self._message("utter_handover_phone_open", language, phone=phone, until=until)
            )
        elif availability.phone_opens is not None:
            opens = availability.phone_opens
            today = self._utcnow().astimezone(opens.tzinfo).date()
            response = {0: "utter_contact_opens_today", 1: "utter_contact_opens_tomorrow"}.get(
                (opens.date() - today).days, "utter_contact_opens_on"
            )
            messages.append(
                self._message(
                    response,
                    language,
                    phone=phone,
                    opens_day=day_name(opens, language),
                    opens_time=clock(opens, language),
                )  # fmt: skip
            )
        complaint = self._message("utter_handover_complaint", language)
        complaint["buttons"] = [self._button("utter_button_complaint", language, "/complain")]
        return [*messages, complaint]

    async def _end(self, handover_id: int, agent: str, status: str, response: str) -> bool:
        async with self._sessions() as session, session.begin():
            ended = await store.end_handover(
                session, handover_id=handover_id, status=status, agent=agent, now=self._utcnow()
            )
        if ended:
            logger.info("handover %s %s", handover_id, status)
            await self._tell_customer(handover_id, response, rating=True)
            await self._tell_rooms(handover_id)
        return ended

    async def _tell_customer(
        self, handover_id: int, response: str, *, rating: bool = False, **values: object
    ) -> None:
        async with self._sessions() as session:
            handover = await session.get(store.Handover, handover_id)
        if handover is None:
            return
        messages = [self._message(response, handover.language, **values)]
        if rating:
            ask = self._message("utter_ask_rating", handover.language)
            ask["buttons"] = [
                {"title": str(n), "payload": f'/rate{{"score": {n}}}'} for n in range(1, 6)
            ]
            messages.append(ask)
        await self._deliver(handover.conversation_id, messages)

    async def _deliver(self, conversation_id: int, messages: Messages) -> None:
        """To the customer's channel if it can push, else into the outbox."""
        async with self._sessions() as session, session.begin():
            conversation = await session.get(store.Conversation, conversation_id)
            send = self._senders.get(conversation.channel)
            if send is None:
                await store.add_outbox(session, conversation_id=conversation_id, messages=messages)
                return
            external_id = conversation.external_id
        try:
            await send(external_id, messages)
        except Exception:
            logger.exception("could not reach a customer on %s", conversation.channel)

    async def _tell_rooms(self, handover_id: int) -> None:
        view = await self.view(handover_id)
        if view is not None:
            for room in self._rooms:
                await _safely(room.handover_changed(view))

    def _wait(self, place: int) -> dict[str, object]:
        per = self._settings.handover_minutes_per_customer
        return {"place": place, "minutes": max(1, math.ceil(place * per))}

    def _utcnow(self) -> datetime:
        """The clock in UTC: SQLite keeps datetimes without their offset."""
        return self._clock().astimezone(timezone.utc)

    def _cooling_down(self, escalated_at: datetime | None) -> bool:
        return escalated_at is not None and self._utcnow() - _aware(escalated_at) < COOLDOWN

    def _message(self, response: str, language: str, **values: object) -> dict[str, Any]:
        return self._responses.message(response, language, **values)

    def _button(self, title: str, language: str, payload: str) -> dict[str, str]:
        return {"title": self._responses.text(title, language), "payload": payload}


def display(agent: str) -> str:
    """The name a customer sees: "Marco" for the agent "Marco · tg:123" of the agents' room."""
    return agent.split(" · ", 1)[0]


def _reason(reading: Reading) -> str:
    for signal, reason in (
        ("request", "request"), ("threat", "threat"), ("anger", "anger"), ("insult", "anger"),
        ("sarcasm", "anger"), ("stuck", "stuck"), ("repeat", "stuck"),
    ):  # fmt: skip
        if signal in reading.strong:
            return reason
    return "frustration"


def _aware(moment: datetime) -> datetime:
    """SQLite gives naive datetimes back; they were stored in UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


async def _safely(call: Awaitable[None]) -> None:
    try:
        await call
    except Exception:
        logger.exception("an agents' room could not be told about a handover")
