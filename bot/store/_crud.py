"""Database access: keyword-only functions that take a session the caller owns."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.store._models import Conversation, SensitiveIncident, TelegramUpdate, Turn, utcnow


async def find_conversation(
    session: AsyncSession, *, channel: str, external_id: str
) -> Conversation | None:
    """The conversation of `external_id` on `channel`, if it exists."""
    query = select(Conversation).where(
        Conversation.channel == channel, Conversation.external_id == external_id
    )
    return (await session.execute(query)).scalar_one_or_none()


async def get_or_create_conversation(
    session: AsyncSession, *, channel: str, external_id: str
) -> Conversation:
    """The conversation of `external_id` on `channel`, created on first contact."""
    conversation = await find_conversation(session, channel=channel, external_id=external_id)
    if conversation is None:
        conversation = Conversation(channel=channel, external_id=external_id)
        session.add(conversation)
        await session.flush()
    return conversation


async def add_turn(
    session: AsyncSession,
    *,
    conversation: Conversation,
    text: str,
    reply: str,
    outcome: str,
    language: str,
    latency_ms: int,
    intent: str | None = None,
    confidence: float | None = None,
) -> Turn:
    """Records one answered message and the conversation's current language."""
    turn = Turn(
        conversation_id=conversation.id,
        text=text,
        reply=reply,
        outcome=outcome,
        language=language,
        latency_ms=latency_ms,
        intent=intent,
        confidence=confidence,
    )
    session.add(turn)
    conversation.language = language
    conversation.updated_at = utcnow()
    return turn


async def list_turns(session: AsyncSession, *, conversation_id: int) -> list[Turn]:
    """A conversation's turns, oldest first."""
    query = select(Turn).where(Turn.conversation_id == conversation_id).order_by(Turn.id)
    return list((await session.execute(query)).scalars())


async def count_turns(session: AsyncSession) -> int:
    return int((await session.execute(select(func.count(Turn.id)))).scalar_one())


async def add_incidents(
    session: AsyncSession, *, channel: str, language: str, kinds: Iterable[str]
) -> None:
    """Counts sensitive data a customer shared: one row per finding, kind only."""
    for kind in kinds:
        session.add(SensitiveIncident(channel=channel, language=language, kind=kind))


async def count_incidents(session: AsyncSession) -> dict[tuple[str, str, str], int]:
    """{(kind, channel, language): number of incidents}, for the KPIs."""
    columns = (SensitiveIncident.kind, SensitiveIncident.channel, SensitiveIncident.language)
    query = select(*columns, func.count()).group_by(*columns).order_by(*columns)
    return {
        (kind, channel, language): int(n)
        for kind, channel, language, n in await session.execute(query)
    }


def choose_language(conversation: Conversation, language: str) -> None:
    """The customer picked the conversation's language: it is no longer detected."""
    conversation.language = language
    conversation.language_chosen = True
    conversation.updated_at = utcnow()


async def remember_update(session: AsyncSession, *, bot_id: int, update_id: int) -> None:
    """Records a Telegram update id; flushing a second one raises IntegrityError."""
    session.add(TelegramUpdate(bot_id=bot_id, update_id=update_id))
    await session.flush()


async def forget_updates_before(session: AsyncSession, *, cutoff: datetime) -> int:
    """Drops update ids older than `cutoff` (Telegram re-delivers for 24 hours at most)."""
    result = await session.execute(
        delete(TelegramUpdate).where(TelegramUpdate.received_at < cutoff)
    )
    return int(result.rowcount or 0)
