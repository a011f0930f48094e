"""Database access for handovers, agents, the outbox and complaints (sessions owned by callers)."""

from __future__ import annotations

import json
import uuid
from datetime import date, datetime
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.store._models import (
    Agent,
    Complaint,
    Handover,
    HandoverMessage,
    OutboxMessage,
    Turn,
    utcnow,
)

OPEN = ("queued", "active")


async def open_handover(session: AsyncSession, *, conversation_id: int) -> Handover | None:
    """The conversation's queued or active handover, if any."""
    query = select(Handover).where(
        Handover.conversation_id == conversation_id, Handover.status.in_(OPEN)
    )
    return (await session.execute(query.order_by(Handover.id.desc()))).scalars().first()


async def add_handover(
    session: AsyncSession,
    *,
    conversation_id: int,
    reason: str,
    signals: tuple[str, ...],
    language: str,
    now: datetime | None = None,
) -> Handover:
    handover = Handover(
        conversation_id=conversation_id,
        status="queued",
        reason=reason,
        signals=",".join(signals),
        language=language,
        created_at=now or utcnow(),
    )
    session.add(handover)
    await session.flush()
    return handover


async def queue_position(session: AsyncSession, *, handover: Handover) -> int:
    """1 for the first in the queue."""
    query = select(func.count(Handover.id)).where(
        Handover.status == "queued", Handover.id <= handover.id
    )
    return int((await session.execute(query)).scalar_one())


async def handover_in_room(session: AsyncSession, *, chat_id: int, thread_id: int) -> int | None:
    """The handover discussed in a topic of the Telegram agents' room."""
    query = select(Handover.id).where(
        Handover.room_chat_id == chat_id, Handover.room_thread_id == thread_id
    )
    return (await session.execute(query.order_by(Handover.id.desc()))).scalars().first()


async def list_handovers(session: AsyncSession, *, statuses: tuple[str, ...]) -> list[Handover]:
    query = select(Handover).where(Handover.status.in_(statuses)).order_by(Handover.id)
    return list((await session.execute(query)).scalars())


async def take_handover(
    session: AsyncSession, *, handover_id: int, agent: str, now: datetime | None = None
) -> bool:
    """Gives a queued handover to `agent`; False when someone else was faster."""
    result = await session.execute(
        update(Handover)
        .where(Handover.id == handover_id, Handover.status == "queued")
        .values(status="active", agent=agent, taken_at=now or utcnow())
        .execution_options(synchronize_session=False)
    )
    return bool(result.rowcount)


async def end_handover(
    session: AsyncSession,
    *,
    handover_id: int,
    status: str,
    agent: str | None = None,
    now: datetime | None = None,
) -> bool:
    """Returns (status "returned") or closes ("closed", "cancelled") an open handover once."""
    query = update(Handover).where(Handover.id == handover_id, Handover.status.in_(OPEN))
    if agent is not None:  # only the agent who has it, once taken
        query = query.where((Handover.agent == agent) | (Handover.status == "queued"))
    result = await session.execute(
        query.values(status=status, ended_at=now or utcnow()).execution_options(
            synchronize_session=False
        )
    )
    return bool(result.rowcount)


async def add_handover_message(
    session: AsyncSession, *, handover_id: int, author: str, text: str, agent: str | None = None
) -> HandoverMessage:
    message = HandoverMessage(handover_id=handover_id, author=author, text=text, agent=agent)
    session.add(message)
    await session.flush()
    return message


async def handover_messages(session: AsyncSession, *, handover_id: int) -> list[HandoverMessage]:
    query = (
        select(HandoverMessage)
        .where(HandoverMessage.handover_id == handover_id)
        .order_by(HandoverMessage.id)
    )
    return list((await session.execute(query)).scalars())


async def recent_turns(session: AsyncSession, *, conversation_id: int, limit: int) -> list[Turn]:
    """The conversation's last turns, oldest first (texts as stored: after the guard)."""
    query = (
        select(Turn)
        .where(Turn.conversation_id == conversation_id)
        .order_by(Turn.id.desc())
        .limit(limit)
    )
    return list(reversed(list((await session.execute(query)).scalars())))


async def last_ended_unrated(session: AsyncSession, *, conversation_id: int) -> Handover | None:
    query = (
        select(Handover)
        .where(
            Handover.conversation_id == conversation_id,
            Handover.status.in_(("returned", "closed")),
            Handover.rating.is_(None),
        )
        .order_by(Handover.id.desc())
    )
    return (await session.execute(query)).scalars().first()


async def mark_agent_online(session: AsyncSession, *, name: str, until: datetime) -> None:
    agent = (await session.execute(select(Agent).where(Agent.name == name))).scalar_one_or_none()
    if agent is None:
        session.add(Agent(name=name, online_until=until))
    else:
        agent.online_until = until


async def agents_online(session: AsyncSession, *, now: datetime) -> int:
    query = select(func.count(Agent.id)).where(Agent.online_until > now)
    return int((await session.execute(query)).scalar_one())


async def add_outbox(
    session: AsyncSession, *, conversation_id: int, messages: list[dict[str, Any]]
) -> None:
    for message in messages:
        session.add(OutboxMessage(conversation_id=conversation_id, payload=json.dumps(message)))


async def take_outbox(session: AsyncSession, *, conversation_id: int) -> list[dict[str, Any]]:
    """The conversation's undelivered messages, oldest first, marked delivered."""
    query = (
        select(OutboxMessage)
        .where(
            OutboxMessage.conversation_id == conversation_id,
            OutboxMessage.delivered_at.is_(None),
        )
        .order_by(OutboxMessage.id)
    )
    rows = list((await session.execute(query)).scalars())
    now = utcnow()
    for row in rows:
        row.delivered_at = now
    return [json.loads(row.payload) for row in rows]


async def add_complaint(
    session: AsyncSession,
    *,
    prefix: str,
    year: int,
    conversation_id: int | None,
    channel: str,
    language: str,
    reason: str,
    product: str | None,
    category: str,
    description: str,
    reply_via: str,
    transcript: str,
    due_on: date,
    extended_due_on: date | None,
) -> Complaint:
    """A new ticket; its reference (AUR-2026-000042) is made from its number."""
    from bot.complaints import make_reference

    complaint = Complaint(
        reference=f"pending-{uuid.uuid4().hex[:20]}",
        conversation_id=conversation_id,
        channel=channel,
        language=language,
        reason=reason,
        product=product,
        category=category,
        description=description,
        reply_via=reply_via,
        transcript=transcript,
        due_on=due_on,
        extended_due_on=extended_due_on,
    )
    session.add(complaint)
    await session.flush()
    complaint.reference = make_reference(prefix, year, complaint.id)
    await session.flush()
    return complaint


async def complaint_by_reference(session: AsyncSession, *, reference: str) -> Complaint | None:
    query = select(Complaint).where(Complaint.reference == reference.upper())
    return (await session.execute(query)).scalar_one_or_none()
