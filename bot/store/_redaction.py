"""Redaction after the fact: a message found sensitive only once the next one arrived.

When a card number comes in two messages, the first half was stored as written (it was
no card number on its own). These functions replace it with its placeholder wherever the
conversation's texts were stored since then: the gateway's turns, handover messages and
complaints, and the events of Rasa's tracker store.
"""

from __future__ import annotations

import json
from datetime import datetime, timezone
from typing import Any

from sqlalchemy import create_engine, inspect, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from bot.store._models import Complaint, Handover, HandoverMessage, Turn

_RASA_EVENTS_SINCE = text(
    "SELECT id, data FROM events WHERE sender_id = :sender AND timestamp >= :since"
)
_RASA_EVENT_UPDATE = text("UPDATE events SET data = :data WHERE id = :id")
_CLOCK_SLACK_SECONDS = 5.0  # Rasa's clock and ours: the same machine, a different process


async def redact_conversation_since(
    session: AsyncSession,
    *,
    conversation_id: int,
    fragment: str,
    placeholder: str,
    since: datetime,
) -> int:
    """Replaces `fragment` in the conversation's texts stored since `since`; rows changed."""
    changed = 0
    turns = select(Turn).where(Turn.conversation_id == conversation_id, Turn.created_at >= since)
    for turn in (await session.execute(turns)).scalars():
        changed += _replace(turn, "text", fragment, placeholder)
    messages = (
        select(HandoverMessage)
        .join(Handover, Handover.id == HandoverMessage.handover_id)
        .where(Handover.conversation_id == conversation_id, HandoverMessage.created_at >= since)
    )
    for message in (await session.execute(messages)).scalars():
        changed += _replace(message, "text", fragment, placeholder)
    complaints = select(Complaint).where(Complaint.conversation_id == conversation_id)
    for complaint in (await session.execute(complaints)).scalars():
        changed += _replace(complaint, "description", fragment, placeholder)
        changed += _replace(complaint, "transcript", fragment, placeholder)
    return changed


def redact_rasa_events_since(
    tracker_url: str, *, sender_id: str, fragment: str, placeholder: str, since: datetime
) -> int:
    """Replaces `fragment` in the texts of one conversation's Rasa events since `since`.

    Blocking (SQLAlchemy Core on a plain engine): run it in a thread."""
    engine = create_engine(tracker_url)
    try:
        if not inspect(engine).has_table("events"):
            return 0
        cutoff = since.astimezone(timezone.utc).timestamp() - _CLOCK_SLACK_SECONDS
        changed = 0
        with engine.begin() as connection:
            rows = connection.execute(_RASA_EVENTS_SINCE, {"sender": sender_id, "since": cutoff})
            for event_id, data in rows.fetchall():
                redacted = _replace_in(json.loads(data), fragment, placeholder)
                if redacted != json.loads(data):
                    connection.execute(
                        _RASA_EVENT_UPDATE, {"id": event_id, "data": json.dumps(redacted)}
                    )
                    changed += 1
        return changed
    finally:
        engine.dispose()


def _replace(row: Any, column: str, fragment: str, placeholder: str) -> int:
    value = getattr(row, column)
    if not value or fragment not in value:
        return 0
    setattr(row, column, value.replace(fragment, placeholder))
    return 1


def _replace_in(value: Any, fragment: str, placeholder: str) -> Any:
    """`value` (decoded JSON) with `fragment` replaced in every string it holds."""
    if isinstance(value, str):
        return value.replace(fragment, placeholder)
    if isinstance(value, list):
        return [_replace_in(item, fragment, placeholder) for item in value]
    if isinstance(value, dict):
        return {key: _replace_in(item, fragment, placeholder) for key, item in value.items()}
    return value
