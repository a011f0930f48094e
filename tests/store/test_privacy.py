"""Retention and erasure across the gateway database and Rasa's tracker store, counted in rows.

Rasa's rows are written by the project's real tracker store class (Rasa's SQLTrackerStore with
redaction), so the test also checks that a message that bypassed the gateway is stored redacted.
"""

from __future__ import annotations

import sqlite3
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from bot import store
from bot.rasa_bridge.tracker_store import RedactingSQLTrackerStore

DAY = 24 * 60 * 60


async def save_rasa_conversation(db: Path, sender: str, text: str, age_days: float) -> None:
    tracker_store = RedactingSQLTrackerStore(Domain.empty(), dialect="sqlite", db=str(db))
    stamp = time.time() - age_days * DAY
    tracker = DialogueStateTracker.from_events(
        sender,
        [
            UserUttered(text, {"name": "greet", "confidence": 1.0}, timestamp=stamp),
            ActionExecuted("utter_greet", timestamp=stamp),
        ],
    )
    await tracker_store.save(tracker)


def count(db: Path, table: str) -> int:
    with sqlite3.connect(db) as connection:
        return int(connection.execute(f"select count(*) from {table}").fetchone()[0])  # noqa: S608


async def add_gateway_turn(url: str, external_id: str, age_days: float) -> None:
    engine = store.create_engine(url)
    sessions = store.session_factory(engine)
    async with sessions() as session, session.begin():
        conversation = await store.get_or_create_conversation(
            session, channel="web", external_id=external_id
        )
        turn = await store.add_turn(
            session, conversation=conversation, text="ciao", reply="Ciao!", outcome="answered",
            language="it", latency_ms=5,
        )  # fmt: skip
        when = datetime.now(timezone.utc) - timedelta(days=age_days)
        turn.created_at = when
        conversation.updated_at = when
    await engine.dispose()


@pytest.fixture
def databases(tmp_path: Path) -> tuple[str, Path]:
    url = f"sqlite:///{tmp_path / 'gateway.db'}"
    store.upgrade(url)
    return url, tmp_path / "rasa_tracker.db"


async def test_the_tracker_store_redacts_a_message_that_bypassed_the_gateway(
    databases: tuple[str, Path],
) -> None:
    _, tracker_db = databases
    await save_rasa_conversation(tracker_db, "rest:x", "my card is 4111 1111 1111 1111", 0)
    with sqlite3.connect(tracker_db) as connection:
        data = " ".join(row[0] for row in connection.execute("select data from events"))
    assert "4111" not in data and "[CARD_NUMBER]" in data


async def test_purge_removes_only_old_transcripts_from_both_databases(
    databases: tuple[str, Path],
) -> None:
    url, tracker_db = databases
    await add_gateway_turn(url, "old", age_days=120)
    await add_gateway_turn(url, "new", age_days=1)
    await save_rasa_conversation(tracker_db, "web:old", "ciao", age_days=120)
    await save_rasa_conversation(tracker_db, "web:new", "ciao", age_days=1)
    gateway_db = Path(url.removeprefix("sqlite:///"))
    assert (
        count(gateway_db, "turns"),
        count(gateway_db, "conversations"),
        count(tracker_db, "events"),
    ) == (2, 2, 4)

    removed = store.purge_older_than(
        database_url=url, tracker_url=f"sqlite:///{tracker_db}", days=90
    )

    assert removed == store.Removed(conversations=1, turns=1, rasa_events=2)
    assert (
        count(gateway_db, "turns"),
        count(gateway_db, "conversations"),
        count(tracker_db, "events"),
    ) == (1, 1, 2)


async def test_forget_erases_one_customer_everywhere(databases: tuple[str, Path]) -> None:
    url, tracker_db = databases
    await add_gateway_turn(url, "alice", age_days=0)
    await add_gateway_turn(url, "bob", age_days=0)
    await save_rasa_conversation(tracker_db, "web:alice", "ciao", age_days=0)
    await save_rasa_conversation(tracker_db, "web:bob", "ciao", age_days=0)

    removed = store.forget(
        database_url=url, tracker_url=f"sqlite:///{tracker_db}",
        channel="web", external_id="alice", rasa_sender_id="web:alice",
    )  # fmt: skip

    assert removed == store.Removed(conversations=1, turns=1, rasa_events=2)
    with sqlite3.connect(tracker_db) as connection:
        senders = {row[0] for row in connection.execute("select sender_id from events")}
    assert senders == {"web:bob"}


def test_privacy_operations_on_an_empty_tracker_store(databases: tuple[str, Path]) -> None:
    url, tracker_db = databases
    removed = store.purge_older_than(
        database_url=url, tracker_url=f"sqlite:///{tracker_db}", days=1
    )
    assert removed == store.Removed()
