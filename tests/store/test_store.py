"""The gateway database: migrations from an empty file, conversations and turns."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import sqlalchemy
from sqlalchemy import inspect

from bot import store
from bot.settings import Settings


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


def test_migrated_schema_matches_the_models(database_url: str) -> None:
    url = database_url
    store.upgrade(url)
    store.upgrade(url)  # idempotent on each backend
    from sqlalchemy import create_engine

    engine = create_engine(store.sync_url(url))
    inspector = inspect(engine)
    for table in store.Base.metadata.sorted_tables:
        migrated = {c["name"] for c in inspector.get_columns(table.name)}
        assert migrated == {c.name for c in table.columns}, table.name


async def test_conversation_is_created_once_and_keeps_its_turns(database_url: str) -> None:
    url = database_url
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


async def test_the_gateway_runs_on_postgresql_and_privacy_commands_work_there(
    settings: Settings, postgres_url: str, tmp_path: Path
) -> None:
    """The pipeline (Rasa down: its polite answer), incidents, erasure and retention on
    PostgreSQL, with the same SQL as on SQLite."""
    from dataclasses import replace
    from datetime import datetime, timedelta, timezone

    from bot.app import open_pipeline
    from bot.pipeline import Inbound
    from tests.conftest import free_port

    server = postgres_url.rsplit("/", 1)[0]
    import psycopg2

    connection = psycopg2.connect(postgres_url)
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute('CREATE DATABASE "pipeline_test"')
    connection.close()
    url = f"{server}/pipeline_test"
    offline = replace(settings, database_url=url, rasa_url=f"http://127.0.0.1:{free_port()}",
                      rasa_timeout_seconds=2)  # fmt: skip
    async with open_pipeline(offline) as pipeline:
        await pipeline.handle(Inbound("web", "pg-1", "la mia carta 4111 1111 1111 1111"))
        await pipeline.handle(Inbound("web", "pg-2", "bonjour"))
    engine = sqlalchemy.create_engine(url)
    with engine.begin() as db:
        turns = db.execute(sqlalchemy.text("select text, outcome from turns order by id")).all()
        incidents = db.execute(sqlalchemy.text("select kind from sensitive_incidents")).all()
    assert turns[0] == ("la mia carta [CARD_NUMBER]", "assistant_unavailable")
    assert incidents == [("CARD_NUMBER",)]
    removed = store.forget(database_url=url, tracker_url=settings.tracker_url, channel="web",
                           external_id="pg-1", rasa_sender_id="web:pg-1")  # fmt: skip
    assert (removed.conversations, removed.turns) == (1, 1)
    later = datetime.now(timezone.utc) + timedelta(days=100)
    purged = store.purge_older_than(database_url=url, tracker_url=settings.tracker_url, days=90,
                                    now=later)  # fmt: skip
    assert (purged.turns, purged.conversations) == (1, 1)
    engine.dispose()
