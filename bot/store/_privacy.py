"""Retention and erasure across both databases: the gateway's and Rasa's tracker store.

Blocking (SQLAlchemy Core on plain engines): run from the command line or in a thread.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from sqlalchemy import create_engine, inspect, text
from sqlalchemy.sql.elements import TextClause

from bot.store._database import sync_url

# Rasa's SQLTrackerStore keeps every event in this table (sender_id, timestamp, data...).
RASA_EVENTS = "events"
_PURGE_EVENTS = text("DELETE FROM events WHERE timestamp < :cutoff")
_FORGET_EVENTS = text("DELETE FROM events WHERE sender_id = :sender")
# What hangs off a conversation besides its turns. Explicit, because SQLite enforces foreign
# keys (and so ON DELETE CASCADE) only when asked to. A complaint keeps its (redacted) ticket,
# which the bank must answer, but loses the link to the conversation.
_FORGET_HANDOVERS = [
    text(
        "DELETE FROM handover_messages WHERE handover_id IN"
        " (SELECT id FROM handovers WHERE conversation_id = :id)"
    ),
    text("DELETE FROM handovers WHERE conversation_id = :id"),
    text("DELETE FROM outbox WHERE conversation_id = :id"),
    text("UPDATE complaints SET conversation_id = NULL WHERE conversation_id = :id"),
]
# Conversations with nothing left in them after a purge.
_IDLE = (
    "SELECT c.id FROM conversations c WHERE c.updated_at < :cutoff"
    " AND NOT EXISTS (SELECT 1 FROM turns t WHERE t.conversation_id = c.id)"
    " AND NOT EXISTS (SELECT 1 FROM handovers h WHERE h.conversation_id = c.id)"
)
_UNLINK_IDLE_COMPLAINTS = text(
    "UPDATE complaints SET conversation_id = NULL WHERE conversation_id IN (" + _IDLE + ")"
)
_DELETE_IDLE_CONVERSATIONS = text("DELETE FROM conversations WHERE id IN (" + _IDLE + ")")
_PURGE_HANDOVERS = [
    text("DELETE FROM handover_messages WHERE created_at < :cutoff"),
    text(
        "DELETE FROM handovers WHERE ended_at < :cutoff AND NOT EXISTS"
        " (SELECT 1 FROM handover_messages m WHERE m.handover_id = handovers.id)"
    ),
    text("DELETE FROM outbox WHERE created_at < :cutoff"),
]


@dataclass(frozen=True)
class Removed:
    """Rows deleted by a privacy operation."""

    conversations: int = 0
    turns: int = 0
    rasa_events: int = 0


def purge_older_than(
    *, database_url: str, tracker_url: str, days: int, now: datetime | None = None
) -> Removed:
    """Deletes transcripts older than `days` days from both databases."""
    cutoff = (now or datetime.now(timezone.utc)) - timedelta(days=days)
    with create_engine(sync_url(database_url)).begin() as connection:
        for statement in _PURGE_HANDOVERS:
            connection.execute(statement, {"cutoff": cutoff})
        turns = connection.execute(
            text("DELETE FROM turns WHERE created_at < :cutoff"), {"cutoff": cutoff}
        ).rowcount
        connection.execute(
            text(
                f"UPDATE complaints SET conversation_id = NULL WHERE conversation_id IN ({_IDLE})"
            ),
            {"cutoff": cutoff},
        )
        conversations = connection.execute(
            text(f"DELETE FROM conversations WHERE id IN ({_IDLE})"), {"cutoff": cutoff}
        ).rowcount
    events = _delete_rasa_events(tracker_url, _PURGE_EVENTS, {"cutoff": cutoff.timestamp()})
    return Removed(conversations, turns, events)


def forget(
    *, database_url: str, tracker_url: str, channel: str, external_id: str, rasa_sender_id: str
) -> Removed:
    """Erases one customer's conversations everywhere (right to erasure)."""
    with create_engine(sync_url(database_url)).begin() as connection:
        ids = [
            row[0]
            for row in connection.execute(
                text("SELECT id FROM conversations WHERE channel = :channel AND external_id = :id"),
                {"channel": channel, "id": external_id},
            )
        ]
        turns = conversations = 0
        for conversation_id in ids:
            for statement in _FORGET_HANDOVERS:
                connection.execute(statement, {"id": conversation_id})
            turns += connection.execute(
                text("DELETE FROM turns WHERE conversation_id = :id"), {"id": conversation_id}
            ).rowcount
            conversations += connection.execute(
                text("DELETE FROM conversations WHERE id = :id"), {"id": conversation_id}
            ).rowcount
    events = _delete_rasa_events(tracker_url, _FORGET_EVENTS, {"sender": rasa_sender_id})
    return Removed(conversations, turns, events)


def member_conversations(*, database_url: str, channel: str, member_id: str) -> list[str]:
    """External ids "<place>:<member_id>" of one customer's conversations in shared places
    (e.g. Telegram groups, where a conversation is one user in one group)."""
    with create_engine(sync_url(database_url)).begin() as connection:
        rows = connection.execute(
            text("SELECT external_id FROM conversations WHERE channel = :channel"),
            {"channel": channel},
        )
        return [row[0] for row in rows if str(row[0]).rsplit(":", 1)[-1] == member_id]


def _delete_rasa_events(tracker_url: str, statement: TextClause, values: dict[str, object]) -> int:
    engine = create_engine(tracker_url)
    if not inspect(engine).has_table(RASA_EVENTS):
        return 0  # Rasa has not stored anything yet
    with engine.begin() as connection:
        return int(connection.execute(statement, values).rowcount)
