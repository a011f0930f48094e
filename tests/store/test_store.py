"""The gateway database: migrations from an empty file, conversations and turns."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from sqlalchemy import inspect

from bot import store


def test_migrations_create_the_schema_on_an_empty_database(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'new' / 'gateway.db'}"
    store.upgrade(url)
    store.upgrade(url)  # idempotent: a second start changes nothing
    with sqlite3.connect(tmp_path / "new" / "gateway.db") as connection:
        tables = {
            row[0]
            for row in connection.execute("select name from sqlite_master where type='table'")
        }
        version = connection.execute("select version_num from alembic_version").fetchone()[0]
    assert {
        "conversations",
        "turns",
        "sensitive_incidents",
        "telegram_updates",
        "alembic_version",
    } <= tables
    assert version == "0004"


def test_migrated_schema_matches_the_models(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'gateway.db'}"
    store.upgrade(url)
    from sqlalchemy import create_engine

    engine = create_engine(url)
    inspector = inspect(engine)
    for table in store.Base.metadata.sorted_tables:
        migrated = {c["name"] for c in inspector.get_columns(table.name)}
        assert migrated == {c.name for c in table.columns}, table.name


async def test_conversation_is_created_once_and_keeps_its_turns(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'gateway.db'}"
    store.upgrade(url)
    engine = store.create_engine(url)
    sessions = store.session_factory(engine)
    try:
        for text, language in [("ciao", "it"), ("hello", "en")]:
            async with sessions() as session, session.begin():
                conversation = await store.get_or_create_conversation(
                    session, channel="web", external_id="customer-1"
                )
                await store.add_turn(
                    session,
                    conversation=conversation,
                    text=text,
                    reply="…",
                    outcome="answered",
                    language=language,
                    latency_ms=12,
                    intent="greet",
                    confidence=0.97,
                )
        async with sessions() as session:
            conversation = await store.get_or_create_conversation(
                session, channel="web", external_id="customer-1"
            )
            turns = await store.list_turns(session, conversation_id=conversation.id)
            assert conversation.language == "en"  # the latest turn's language
            assert [(t.text, t.language, t.intent) for t in turns] == [
                ("ciao", "it", "greet"),
                ("hello", "en", "greet"),
            ]
            assert await store.count_turns(session) == 2
    finally:
        await engine.dispose()


async def test_incidents_are_counted_by_kind_channel_and_language(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'gateway.db'}"
    store.upgrade(url)
    engine = store.create_engine(url)
    sessions = store.session_factory(engine)
    try:
        async with sessions() as session, session.begin():
            await store.add_incidents(session, channel="web", language="it", kinds=["IBAN", "PIN"])
            await store.add_incidents(session, channel="web", language="it", kinds=["PIN"])
            await store.add_incidents(session, channel="telegram", language="pl", kinds=["PIN"])
        async with sessions() as session:
            assert await store.count_incidents(session) == {
                ("IBAN", "web", "it"): 1,
                ("PIN", "telegram", "pl"): 1,
                ("PIN", "web", "it"): 2,
            }
    finally:
        await engine.dispose()
