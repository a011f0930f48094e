"""Tables of the gateway's own database. Change them only together with a migration."""

from __future__ import annotations

from datetime import datetime, timezone

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import declarative_base, relationship

Base = declarative_base()


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


class Conversation(Base):  # type: ignore[misc,valid-type]
    """One customer on one channel."""

    __tablename__ = "conversations"
    __table_args__ = (UniqueConstraint("channel", "external_id", name="uq_conversation_channel"),)

    id = Column(Integer, primary_key=True)
    channel = Column(String(32), nullable=False)
    external_id = Column(String(128), nullable=False)
    language = Column(String(8), nullable=True)
    # True once the customer picked the language (e.g. Telegram's /language): no more detection.
    language_chosen = Column(Boolean, nullable=False, default=False, server_default=false())
    created_at = Column(DateTime(timezone=True), nullable=False, default=utcnow)
    updated_at = Column(DateTime(timezone=True), nullable=False, default=utcnow, onupdate=utcnow)

    turns = relationship("Turn", back_populates="conversation", cascade="all, delete-orphan")


class Turn(Base):  # type: ignore[misc,valid-type]
    """A customer message as stored (after the guard) and how it was answered."""

    __tablename__ = "turns"

    id = Column(Integer, primary_key=True)
    conversation_id = Column(
        Integer, ForeignKey("conversations.id", ondelete="CASCADE"), nullable=False, index=True
    )
    created_at = Column(DateTime(timezone=True), nullable=False, default=utcnow)
    text = Column(Text, nullable=False)
    reply = Column(Text, nullable=False, default="")
    outcome = Column(String(32), nullable=False)
    intent = Column(String(64), nullable=True)
    confidence = Column(Float, nullable=True)
    language = Column(String(8), nullable=False)
    latency_ms = Column(Integer, nullable=False)

    conversation = relationship("Conversation", back_populates="turns")


class SensitiveIncident(Base):  # type: ignore[misc,valid-type]
    """Sensitive data a customer shared: its kind, never its value (for the KPIs)."""

    __tablename__ = "sensitive_incidents"

    id = Column(Integer, primary_key=True)
    created_at = Column(DateTime(timezone=True), nullable=False, default=utcnow, index=True)
    channel = Column(String(32), nullable=False)
    language = Column(String(8), nullable=False)
    kind = Column(String(32), nullable=False)


class TelegramUpdate(Base):  # type: ignore[misc,valid-type]
    """An update id Telegram delivered, so that a re-delivery is answered only once."""

    __tablename__ = "telegram_updates"

    bot_id = Column(BigInteger, primary_key=True, autoincrement=False)
    update_id = Column(BigInteger, primary_key=True, autoincrement=False)
    received_at = Column(DateTime(timezone=True), nullable=False, default=utcnow, index=True)
