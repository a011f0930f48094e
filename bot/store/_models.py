"""Tables of the gateway's own database. Change them only together with a migration."""

from __future__ import annotations

from datetime import datetime, timezone

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Date,
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
    # Signs of a difficult conversation (bot/handover/): weak signals add to `frustration`;
    # `recent_questions` holds fingerprints (hashes) of the last questions, never their text.
    frustration = Column(Float, nullable=False, default=0.0, server_default="0")
    fallback_streak = Column(Integer, nullable=False, default=0, server_default="0")
    recent_questions = Column(Text, nullable=False, default="", server_default="")
    escalated_at = Column(DateTime(timezone=True), nullable=True)
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


class Handover(Base):  # type: ignore[misc,valid-type]
    """A conversation handed to a person: queued, taken by an agent, then returned or closed.

    While it is queued or active the assistant does not answer: the customer's messages go to
    the agent. The Telegram agents' room topic, if any, is kept here so a restart loses nothing.
    """

    __tablename__ = "handovers"

    id = Column(Integer, primary_key=True)
    conversation_id = Column(
        Integer, ForeignKey("conversations.id", ondelete="CASCADE"), nullable=False, index=True
    )
    status = Column(String(16), nullable=False, index=True)  # see bot.handover.Status
    reason = Column(String(16), nullable=False)  # request, anger, threat, stuck, frustration
    signals = Column(Text, nullable=False, default="")  # comma-separated, e.g. "caps,insult"
    language = Column(String(8), nullable=False)
    agent = Column(String(64), nullable=True)  # who took it
    created_at = Column(DateTime(timezone=True), nullable=False, default=utcnow)
    taken_at = Column(DateTime(timezone=True), nullable=True)
    ended_at = Column(DateTime(timezone=True), nullable=True)
    alternatives_offered_at = Column(DateTime(timezone=True), nullable=True)
    room_chat_id = Column(BigInteger, nullable=True)  # Telegram agents' room and topic
    room_thread_id = Column(BigInteger, nullable=True)
    rating = Column(Integer, nullable=True)  # 1-5, asked when the assistant takes over again
    rated_at = Column(DateTime(timezone=True), nullable=True)

    conversation = relationship("Conversation")


class HandoverMessage(Base):  # type: ignore[misc,valid-type]
    """A message between the customer and the agent during a handover (after the guard)."""

    __tablename__ = "handover_messages"

    id = Column(Integer, primary_key=True)
    handover_id = Column(
        Integer, ForeignKey("handovers.id", ondelete="CASCADE"), nullable=False, index=True
    )
    author = Column(String(16), nullable=False)  # customer, agent
    agent = Column(String(64), nullable=True)
    text = Column(Text, nullable=False)
    created_at = Column(DateTime(timezone=True), nullable=False, default=utcnow)


class OutboxMessage(Base):  # type: ignore[misc,valid-type]
    """A message for a customer who is not waiting on a request (an agent's reply on the web
    chat): the page collects it, or it rides along with the customer's next answer."""

    __tablename__ = "outbox"

    id = Column(Integer, primary_key=True)
    conversation_id = Column(
        Integer, ForeignKey("conversations.id", ondelete="CASCADE"), nullable=False, index=True
    )
    payload = Column(Text, nullable=False)  # JSON of one REST-channel message
    created_at = Column(DateTime(timezone=True), nullable=False, default=utcnow)
    delivered_at = Column(DateTime(timezone=True), nullable=True)


class Agent(Base):  # type: ignore[misc,valid-type]
    """A person who takes handovers, and until when they are online."""

    __tablename__ = "agents"

    id = Column(Integer, primary_key=True)
    name = Column(String(64), nullable=False, unique=True)
    online_until = Column(DateTime(timezone=True), nullable=True)


class Complaint(Base):  # type: ignore[misc,valid-type]
    """A formal complaint: a ticket with a reference and the legal due date.

    Kept when the customer's conversation is erased (the bank must answer it); it holds only
    redacted text.
    """

    __tablename__ = "complaints"

    id = Column(Integer, primary_key=True)
    reference = Column(String(32), nullable=False, unique=True)
    conversation_id = Column(
        Integer, ForeignKey("conversations.id", ondelete="SET NULL"), nullable=True, index=True
    )
    channel = Column(String(32), nullable=False)
    language = Column(String(8), nullable=False)
    reason = Column(String(16), nullable=False)
    product = Column(String(32), nullable=True)
    category = Column(String(16), nullable=False)  # banking, payment
    description = Column(Text, nullable=False)
    reply_via = Column(String(16), nullable=False)  # chat, contact
    transcript = Column(Text, nullable=False, default="")
    status = Column(String(16), nullable=False, default="open")  # open, answered, closed
    created_at = Column(DateTime(timezone=True), nullable=False, default=utcnow)
    due_on = Column(Date, nullable=False)
    extended_due_on = Column(Date, nullable=True)  # payment services, with a holding reply
