"""A card number sent in two messages, through the pipeline: the second half is redacted,
the first is removed from the gateway's tables and from Rasa's tracker store, and the
customer is warned once. On SQLite and PostgreSQL, in four languages (Rasa not running:
the turns are stored all the same)."""

from __future__ import annotations

import sqlite3
from collections.abc import AsyncIterator
from dataclasses import replace

import pytest

from bot import store
from bot.app import open_pipeline
from bot.pipeline import Inbound, Pipeline
from bot.responses import Responses
from bot.settings import Settings
from tests.conftest import free_port
from tests.store.test_privacy import save_rasa_conversation

RESPONSES = Responses.from_domain(Settings.from_env({}, dotenv=False).domain_path)
FIRST_HALVES = {
    "it": "il numero della mia carta è 4111 1111",
    "en": "my card number is 4111 1111",
    "fr": "le numéro de ma carte est 4111\u202f1111",
    "pl": "numer mojej karty to 4111 1111",
}


@pytest.fixture
async def pipeline(settings: Settings, database_url: str) -> AsyncIterator[Pipeline]:
    offline = replace(
        settings,
        database_url=database_url,
        rasa_url=f"http://127.0.0.1:{free_port()}",
        rasa_timeout_seconds=2,
    )
    async with open_pipeline(offline) as opened:
        yield opened


@pytest.mark.parametrize("language", sorted(FIRST_HALVES))
async def test_a_card_number_in_two_messages_is_removed_everywhere(
    pipeline: Pipeline, settings: Settings, database_url: str, language: str
) -> None:
    sender, first = f"split-{language}", FIRST_HALVES[language]
    await pipeline.handle(Inbound("web", sender, first))
    # What Rasa stored of the first half (Rasa is not running in this test).
    await save_rasa_conversation(settings.tracker_db, f"web:{sender}", first, 0)

    replies = await pipeline.handle(Inbound("web", sender, "1111 1111"))

    warnings = [m["text"] for m in replies]
    assert warnings.count(RESPONSES.text("utter_sensitive_data_removed", language)) == 1
    engine = store.create_engine(database_url)
    sessions = store.session_factory(engine)
    async with sessions() as session:
        conversation = await store.find_conversation(session, channel="web", external_id=sender)
        assert conversation is not None
        texts = [t.text for t in await store.list_turns(session, conversation_id=conversation.id)]
    await engine.dispose()
    assert texts == [first[: first.index("4111")] + "[CARD_NUMBER]", "[CARD_NUMBER]"]
    with sqlite3.connect(settings.tracker_db) as connection:
        events = " ".join(row[0] for row in connection.execute("select data from events"))
    assert "1111" not in events and "[CARD_NUMBER]" in events


async def test_a_number_after_an_amount_is_not_taken_for_a_card(pipeline: Pipeline) -> None:
    await pipeline.handle(Inbound("web", "amounts", "ho pagato 1200"))
    replies = await pipeline.handle(Inbound("web", "amounts", "1500 il mese dopo"))
    assert RESPONSES.text("utter_sensitive_data_removed", "it") not in [m["text"] for m in replies]
