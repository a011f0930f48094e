"""The handover desk as a state machine, on a real database, with the clock held still."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import Any

import pytest

from bot import store
from bot.catalogue import load_catalogue
from bot.handover import CANCELLED, Desk, load_lexicons
from bot.language import LANGUAGES
from bot.responses import Responses
from bot.settings import PROJECT_ROOT, Settings

TEXTS = Responses.from_domain(PROJECT_ROOT / "domain.yml")
CATALOGUE = load_catalogue(PROJECT_ROOT / "catalogue" / "bank.yml")
LEXICONS = load_lexicons(LANGUAGES)
ROME = CATALOGUE.timezone
MONDAY_10 = datetime(2026, 11, 23, 10, 0, tzinfo=ROME)  # agents on shift, phone open
MONDAY_19 = datetime(2026, 11, 23, 19, 0, tzinfo=ROME)  # agents gone, phone open until 20:00
SUNDAY_22 = datetime(2026, 11, 22, 22, 0, tzinfo=ROME)  # everything closed until Monday 08:00


@dataclass
class World:
    desk: Desk
    sessions: Any
    now: list[datetime]
    pushed: list[tuple[str, list[dict[str, Any]]]] = field(default_factory=list)

    async def conversation(self, external_id: str, channel: str = "web") -> int:
        async with self.sessions() as session, session.begin():
            row = await store.get_or_create_conversation(
                session, channel=channel, external_id=external_id
            )
            return int(row.id)

    async def outbox(self, conversation_id: int) -> list[str]:
        async with self.sessions() as session, session.begin():
            return [
                m["text"] for m in await store.take_outbox(session, conversation_id=conversation_id)
            ]


@pytest.fixture
async def world(settings: Settings, database_url: str) -> AsyncIterator[World]:
    """The desk on SQLite and on PostgreSQL."""
    settings = replace(settings, database_url=database_url)
    store.upgrade(database_url)
    engine = store.create_engine(database_url)
    now = [MONDAY_10]
    sessions = store.session_factory(engine)
    desk = Desk(
        settings=replace(settings, handover_wait_minutes=10, handover_minutes_per_customer=4),
        sessions=sessions,
        responses=TEXTS,
        catalogue=lambda: CATALOGUE,
        lexicons=LEXICONS,
        clock=lambda: now[0],
    )
    try:
        yield World(desk, sessions, now)
    finally:
        await engine.dispose()


def texts(messages: list[dict[str, Any]]) -> list[str]:
    return [m["text"] for m in messages]


async def test_a_request_with_an_agent_online_is_queued_with_place_and_wait(world: World) -> None:
    await world.desk.agent_online("Marta", 60)
    first, second = await world.conversation("a"), await world.conversation("b")
    decision = await world.desk.assess(
        first, "a person please", intent="request_human", language="en"
    )
    assert decision is not None and decision.kind == "queued_request"
    assert texts(decision.messages) == [
        TEXTS.text("utter_handover_queued", "en", place=1, minutes=4)
    ]
    decision = await world.desk.assess(second, "operatore", intent="request_human", language="it")
    assert decision is not None
    assert texts(decision.messages) == [
        TEXTS.text("utter_handover_queued", "it", place=2, minutes=8)
    ]
    board = await world.desk.board()
    assert [(v.reason, v.place, v.language) for v in board] == [
        ("request", 1, "en"),
        ("request", 2, "it"),
    ]


async def test_without_agents_online_the_phone_is_offered_while_it_is_open(world: World) -> None:
    conversation = await world.conversation("c")
    decision = await world.desk.assess(
        conversation, "human!", intent="request_human", language="fr"
    )
    assert decision is not None and decision.kind == "escalated_request"
    assert texts(decision.messages) == [
        TEXTS.text("utter_handover_no_agents", "fr"),
        TEXTS.text("utter_handover_phone_open", "fr", phone="+39 02 5550 1000", until="20:00"),
        TEXTS.text("utter_handover_complaint", "fr"),
    ]
    assert decision.messages[-1]["buttons"] == [
        {"title": TEXTS.text("utter_button_complaint", "fr"), "payload": "/complain"}
    ]
    assert await world.desk.board() == []  # nobody to queue for


async def test_after_the_agents_shift_the_phone_then_at_night_the_complaint(world: World) -> None:
    await world.desk.agent_online("Marta", 24 * 60)  # online, but off shift at 19:00
    world.now[0] = MONDAY_19
    conversation = await world.conversation("d")
    decision = await world.desk.assess(conversation, "x", intent="request_human", language="en")
    assert decision is not None
    assert TEXTS.text(
        "utter_handover_phone_open", "en", phone="+39 02 5550 1000", until="19:00"[:0] + "20:00"
    ) in texts(decision.messages)
    world.now[0] = SUNDAY_22
    conversation = await world.conversation("e")
    decision = await world.desk.assess(conversation, "x", intent="request_human", language="it")
    assert decision is not None
    assert texts(decision.messages)[1] == TEXTS.text(  # Sunday night: it opens tomorrow
        "utter_contact_opens_tomorrow", "it", phone="+39 02 5550 1000", opens_time="08:00"
    )
    world.now[0] = MONDAY_10 - timedelta(hours=5)  # Monday 05:00: today
    conversation = await world.conversation("e2")
    decision = await world.desk.assess(conversation, "x", intent="request_human", language="en")
    assert decision is not None
    assert texts(decision.messages)[1] == TEXTS.text(
        "utter_contact_opens_today", "en", phone="+39 02 5550 1000", opens_time="08:00"
    )
    world.now[0] = datetime(2026, 11, 21, 14, 0, tzinfo=ROME)  # Saturday afternoon: Monday
    conversation = await world.conversation("e3")
    decision = await world.desk.assess(conversation, "x", intent="request_human", language="fr")
    assert decision is not None
    assert texts(decision.messages)[1] == TEXTS.text(
        "utter_contact_opens_on", "fr", phone="+39 02 5550 1000", opens_day="lundi",
        opens_time="08:00",
    )  # fmt: skip


async def test_anger_is_offered_a_person_and_an_offer_is_not_repeated_at_once(world: World) -> None:
    await world.desk.agent_online("Marta", 60)
    conversation = await world.conversation("f")
    decision = await world.desk.assess(
        conversation, "worst bank ever", intent="express_anger", language="en"
    )
    assert decision is not None and decision.kind == "escalated_anger"
    assert [b["payload"] for b in decision.messages[0]["buttons"]] == [
        "/request_human",
        "/complain",
    ]
    again = await world.desk.assess(
        conversation, "useless bank", intent="express_anger", language="en"
    )
    assert again is None  # within five minutes of the offer
    asked = await world.desk.assess(conversation, "a person", intent="request_human", language="en")
    assert asked is not None and asked.kind == "queued_request"  # a request always goes through
    world.now[0] += timedelta(minutes=6)
    other = await world.conversation("f2")
    later = await world.desk.assess(other, "you idiot", intent="out_of_scope", language="en")
    assert later is not None and later.reason == "anger"


async def test_a_question_asked_angrily_keeps_its_answer(world: World) -> None:
    conversation = await world.conversation("g")
    decision = await world.desk.assess(
        conversation, "I'LL SUE YOU if the fee is wrong", intent="ask_fees", language="en"
    )
    assert decision is not None and decision.reason == "threat" and decision.keep_answer


async def test_a_complaint_goes_on_to_the_complaint_form_unless_it_threatens(
    world: World,
) -> None:
    conversation = await world.conversation("h")
    calm = await world.desk.assess(
        conversation, "I want to make a formal complaint", intent="complain", language="en"
    )
    assert calm is None
    other = await world.conversation("h2")
    threat = await world.desk.assess(
        other, "I want to complain, and I'll sue you", intent="complain", language="en"
    )
    assert threat is not None and threat.reason == "threat" and threat.keep_answer


async def test_two_agents_taking_the_same_handover_one_wins(world: World) -> None:
    await world.desk.agent_online("Marta", 60)
    conversation = await world.conversation("i")
    await world.desk.assess(conversation, "person", intent="request_human", language="it")
    [view] = await world.desk.board()
    results = await asyncio.gather(
        *(world.desk.take(view.id, name) for name in ("Marta", "Luca", "Anna"))
    )
    assert sorted(results) == [False, False, True]
    [view] = await world.desk.board()
    assert view.status == "active" and view.agent in {"Marta", "Luca", "Anna"}
    assert await world.outbox(conversation) == [
        TEXTS.text("utter_handover_taken", "it", agent=view.agent)
    ]


async def test_a_live_handover_relays_both_ways_through_the_guard_and_ends_with_a_rating(
    world: World,
) -> None:
    await world.desk.agent_online("Marta", 60)
    conversation = await world.conversation("j")
    await world.desk.assess(conversation, "person", intent="request_human", language="en")
    handover = await world.desk.open_handover(conversation)
    assert handover is not None
    waiting = await world.desk.relay_customer(handover, "my card was charged twice")
    assert texts(waiting) == [TEXTS.text("utter_handover_waiting", "en", place=1, minutes=4)]
    assert await world.desk.take(handover.id, "Marta")
    active = await world.desk.open_handover(conversation)
    assert active is not None and await world.desk.relay_customer(active, "hello?") == []
    assert not await world.desk.say(handover.id, "Luca", "not mine")  # only the agent who has it
    assert await world.desk.say(handover.id, "Marta", "Please read me the card 4111 1111 1111 1111")
    view = await world.desk.view(handover.id)
    assert view is not None
    assert [(m["author"], m["text"]) for m in view.messages] == [
        ("customer", "my card was charged twice"),
        ("customer", "hello?"),
        ("agent", "Please read me the card [CARD_NUMBER]"),
    ]
    assert await world.desk.give_back(handover.id, "Marta")
    assert not await world.desk.close(handover.id, "Marta")  # already ended
    assert await world.outbox(conversation) == [
        TEXTS.text("utter_handover_taken", "en", agent="Marta"),
        TEXTS.text(
            "utter_agent_says", "en", agent="Marta", text="Please read me the card [CARD_NUMBER]"
        ),
        TEXTS.text("utter_handover_returned", "en"),
        TEXTS.text("utter_ask_rating", "en"),
    ]
    assert await world.desk.open_handover(conversation) is None  # the assistant answers again
    assert await world.desk.rate(conversation, "what?", "en") is None
    assert texts(await world.desk.rate(conversation, '/rate{"score": 4}', "en") or []) == [
        TEXTS.text("utter_rating_thanks", "en")
    ]
    async with world.sessions() as session:
        stored = await session.get(store.Handover, handover.id)
        assert (stored.status, stored.rating) == ("returned", 4)
    assert await world.desk.rate(conversation, "5", "en") is None  # rated already


async def test_a_bare_digit_rates_only_soon_after_the_handover(world: World) -> None:
    await world.desk.agent_online("Marta", 60)
    conversation = await world.conversation("k")
    await world.desk.assess(conversation, "person", intent="request_human", language="en")
    [view] = await world.desk.board()
    await world.desk.take(view.id, "Marta")
    await world.desk.close(view.id, "Marta")
    world.now[0] += timedelta(hours=2)
    assert await world.desk.rate(conversation, "3", "en") is None
    assert await world.desk.rate(conversation, '/rate{"score": 3}', "en") is not None


async def test_a_long_wait_offers_the_phone_or_a_complaint_once(world: World) -> None:
    await world.desk.agent_online("Marta", 60)
    conversation = await world.conversation("l")
    await world.desk.assess(conversation, "person", intent="request_human", language="pl")
    world.now[0] += timedelta(minutes=5)
    assert await world.desk.check_waiting() == 0
    world.now[0] += timedelta(minutes=6)
    assert await world.desk.check_waiting() == 1
    assert await world.desk.check_waiting() == 0
    assert (await world.outbox(conversation))[0] == TEXTS.text("utter_handover_late", "pl")
    handover = await world.desk.open_handover(conversation)
    assert handover is not None and handover.status == "queued"  # still waiting, if they like
    await world.desk.leave_queue(handover)
    async with world.sessions() as session:
        assert (await session.get(store.Handover, handover.id)).status == CANCELLED


async def test_a_channel_that_can_push_gets_the_messages_instead_of_the_outbox(
    world: World,
) -> None:
    pushed: list[tuple[str, list[str]]] = []

    async def send(external_id: str, messages: list[dict[str, Any]]) -> None:
        pushed.append((external_id, texts(messages)))

    world.desk.add_customer_channel("telegram", send)
    await world.desk.agent_online("Marta", 60)
    conversation = await world.conversation("555", channel="telegram")
    await world.desk.assess(conversation, "person", intent="request_human", language="it")
    [view] = await world.desk.board()
    await world.desk.take(view.id, "Marta")
    assert pushed == [("555", [TEXTS.text("utter_handover_taken", "it", agent="Marta")])]
    assert await world.outbox(conversation) == []


async def test_an_insult_inside_a_form_keeps_the_forms_next_question(world: World) -> None:
    conversation = await world.conversation("m")
    decision = await world.desk.assess(
        conversation, "you idiots charged me twice", intent="ask_fees", in_form=True,
        language="en",
    )  # fmt: skip
    assert decision is not None and decision.reason == "anger" and decision.keep_answer
