"""Handover to people: difficult customers are offered a live agent, the phone line or a
formal complaint, and agents take conversations over (see _desk.py and _signals.py)."""

from bot.handover._desk import (
    ACTIVE,
    CANCELLED,
    CLOSED,
    LEAVE_QUEUE,
    QUEUED,
    RETURNED,
    AgentRoom,
    Availability,
    Decision,
    Desk,
    HandoverView,
    display,
)
from bot.handover._signals import (
    Lexicon,
    Reading,
    SignalState,
    Thresholds,
    load_lexicons,
    read_turn,
)

__all__ = [
    "ACTIVE",
    "CANCELLED",
    "CLOSED",
    "LEAVE_QUEUE",
    "QUEUED",
    "RETURNED",
    "AgentRoom",
    "Availability",
    "Decision",
    "Desk",
    "HandoverView",
    "display",
    "Lexicon",
    "Reading",
    "SignalState",
    "Thresholds",
    "load_lexicons",
    "read_turn",
]
