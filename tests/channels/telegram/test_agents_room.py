"""The Telegram agents' room end to end: a topic per handover with its summary card, agents
taking, answering and closing from Telegram, relay both ways, and a gateway restart in the
middle. The fake Bot API server stands in for Telegram; Rasa is the trained model."""

from __future__ import annotations

import asyncio
import shutil
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
import pytest_asyncio
import yaml

from bot.app import open_pipeline
from bot.channels.telegram import TelegramChannel
from bot.settings import PROJECT_ROOT, Settings
from tests.channels.telegram.conftest import TEXTS, TelegramWorld, telegram_settings, texts
from tests.conftest import RunningStack
from tests.fakes.telegram_api import FakeTelegram

pytestmark = [pytest.mark.stack, pytest.mark.asyncio(loop_scope="module")]

ROOM = -1_009_999_000_001
AGENT = 800_001  # Marco, an agent


def round_the_clock(var: Path) -> Path:
    """A catalogue copy with agents on shift at any hour, so the test does not depend on it."""
    catalogue = var / "bank.yml"
    shutil.copyfile(PROJECT_ROOT / "catalogue" / "bank.yml", catalogue)
    data = yaml.safe_load(catalogue.read_text(encoding="utf-8"))
    data["contacts"]["live_chat_agents"] = {
        "hours": {"mon-sun": "00:00-23:59"},
        "closed_on_public_holidays": False,
    }
    catalogue.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return catalogue


class Gateway:
    """The gateway's Telegram side, which the test can stop and start again."""

    def __init__(self, settings: Settings, fake: FakeTelegram) -> None:
        self.settings, self.fake = settings, fake
        self.world: TelegramWorld | None = None
        self._pipeline: Any = None

    async def start(self) -> TelegramWorld:
        self._pipeline = open_pipeline(self.settings)
        pipeline = await self._pipeline.__aenter__()
        channel = TelegramChannel(self.settings, pipeline)
        await channel.start()
        await asyncio.wait_for(channel.ready.wait(), 60)
        self.world = TelegramWorld(self.fake, channel, self.settings)
        return self.world

    async def stop(self) -> None:
        assert self.world is not None
        await self.world.channel.stop()
        await self._pipeline.__aexit__(None, None, None)


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def gateway(running_stack: RunningStack, tmp_path_factory: Any) -> AsyncIterator[Gateway]:
    var = tmp_path_factory.mktemp("agents-room")
    async with FakeTelegram() as fake:
        fake.add_group(ROOM, "Aurora Bank · agents", bot_is_admin=True, is_forum=True)
        fake.add_user(AGENT, first_name="Marco", language_code="it")
        settings = telegram_settings(
            running_stack, fake, var, telegram_agents_chat_id=ROOM, catalogue=round_the_clock(var)
        )
        gateway = Gateway(settings, fake)
        await gateway.start()
        try:
            yield gateway
        finally:
            await gateway.stop()


def in_topic(fake: FakeTelegram, thread: int) -> list[dict[str, Any]]:
    return [m for m in fake.bot_messages(ROOM) if m.get("message_thread_id") == thread]


async def test_a_handover_lives_in_a_topic_of_the_agents_room_and_survives_a_restart(
    gateway: Gateway,
) -> None:
    world, fake = gateway.world, gateway.fake
    assert world is not None
    customer = world.new_user(language_code="it")
    # Marco says he is available, in the room.
    fake.send_text(ROOM, AGENT, "/online")
    await world.settle()
    assert fake.bot_messages(ROOM)[-1]["text"] == "Marco is online for handovers."

    await world.say(customer, "quanto costa il conto corrente al mese?")
    [queued] = await world.say(customer, "voglio parlare con un operatore")
    assert queued["text"].startswith(
        TEXTS.text("utter_handover_queued", "it", place=1, minutes=6)[:25]
    )
    [topic] = fake.calls_to("createForumTopic")
    thread = topic.result["message_thread_id"]
    [card] = in_topic(fake, thread)
    assert "Reason: request · language: it" in card["text"]
    assert "quanto costa il conto corrente al mese?" in card["text"]  # the redacted transcript
    [[take]] = card["reply_markup"]["inline_keyboard"]
    assert take["text"] == "Take"

    # The customer writes while waiting: it shows in the topic.
    await world.say(customer, "la mia carta 4111 1111 1111 1111 non funziona")
    assert in_topic(fake, thread)[-1]["text"] == "👤 la mia carta [CARD_NUMBER] non funziona"

    # Marco takes it from the card; the customer is told.
    before = len(fake.bot_messages(customer))
    fake.press_button(ROOM, AGENT, card["message_id"], take["callback_data"])
    await world.settle()
    assert texts(fake.bot_messages(customer)[before:]) == [
        TEXTS.text("utter_handover_taken", "it", agent="Marco")
    ]
    edited = fake.message(ROOM, card["message_id"])
    assert edited is not None and "agent: Marco" in edited["text"]

    # The gateway restarts: the topic is found again from the database.
    await gateway.stop()
    world = await gateway.start()
    before = len(fake.bot_messages(customer))
    fake.send_text(ROOM, AGENT, "Buongiorno, sono Marco. Mi dica il numero 4111 1111 1111 1111",
                   message_thread_id=thread)  # fmt: skip
    await world.settle()
    assert texts(fake.bot_messages(customer)[before:]) == [
        TEXTS.text(
            "utter_agent_says",
            "it",
            agent="Marco",
            text="Buongiorno, sono Marco. Mi dica il numero [CARD_NUMBER]",
        )  # fmt: skip
    ]
    # A client that sends a lone surrogate or NUL: cleaned at the door, stored and relayed.
    before = len(fake.bot_messages(customer))
    fake.send_text(ROOM, AGENT, "Ecco\ud800 fatto\x00", message_thread_id=thread)
    await world.settle()
    assert texts(fake.bot_messages(customer)[before:]) == [
        TEXTS.text("utter_agent_says", "it", agent="Marco", text="Ecco\ufffd fatto\ufffd")
    ]
    assert await world.say(customer, "ecco, è addebitata due volte") == []  # to Marco, not Rasa
    assert in_topic(fake, thread)[-1]["text"] == "👤 ecco, è addebitata due volte"

    # Marco closes it: the topic closes, the customer is asked for a rating.
    card_now = [m for m in in_topic(fake, thread) if m.get("reply_markup")][-1]
    close = next(
        b
        for row in card_now["reply_markup"]["inline_keyboard"]
        for b in row
        if b["text"] == "Close"
    )
    before = len(fake.bot_messages(customer))
    fake.press_button(ROOM, AGENT, card_now["message_id"], close["callback_data"])
    await world.settle()
    assert texts(fake.bot_messages(customer)[before:]) == [
        TEXTS.text("utter_handover_closed", "it"),
        TEXTS.text("utter_ask_rating", "it"),
    ]
    assert fake.topics[(ROOM, thread)].closed
    rating = fake.bot_messages(customer)[-1]
    five = rating["reply_markup"]["inline_keyboard"][0][-1]
    thanks = await world.after(
        customer,
        lambda: fake.press_button(customer, customer, rating["message_id"], five["callback_data"]),
    )
    assert texts(thanks) == [TEXTS.text("utter_rating_thanks", "it")]
    again = await world.say(customer, "grazie mille")
    assert texts(again) == [TEXTS.text("utter_you_are_welcome", "it")]  # the assistant is back


async def test_a_second_agent_cannot_take_a_taken_handover_or_write_in_it(gateway: Gateway) -> None:
    world, fake = gateway.world, gateway.fake
    assert world is not None
    fake.add_user(AGENT + 1, first_name="Luca", language_code="it")
    fake.send_text(ROOM, AGENT, "/online")
    customer = world.new_user(language_code="en")
    await world.say(customer, "I want to talk to a person")
    thread = fake.calls_to("createForumTopic")[-1].result["message_thread_id"]
    [card] = in_topic(fake, thread)
    take = card["reply_markup"]["inline_keyboard"][0][0]["callback_data"]
    fake.press_button(ROOM, AGENT, card["message_id"], take)
    fake.press_button(ROOM, AGENT + 1, card["message_id"], take)
    await world.settle()
    answers = [c.params.get("text") for c in fake.calls_to("answerCallbackQuery")[-2:]]
    assert answers.count("Someone else has it, or it is over.") == 1  # exactly one won
    edited = fake.message(ROOM, card["message_id"])
    assert edited is not None
    loser = AGENT + 1 if "agent: Marco" in edited["text"] else AGENT
    before = len(fake.bot_messages(customer))
    fake.send_text(ROOM, loser, "hello from the other agent", message_thread_id=thread)
    await world.settle()
    assert fake.bot_messages(customer)[before:] == []  # the loser's message did not reach them
    assert "take this handover first" in in_topic(fake, thread)[-1]["text"]
