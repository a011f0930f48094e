"""The gateway's own database: conversations and turns, through SQLAlchemy and Alembic."""

from bot.store._crud import (
    add_incidents,
    add_turn,
    count_incidents,
    count_turns,
    get_or_create_conversation,
    list_turns,
)
from bot.store._database import create_engine, session_factory, upgrade
from bot.store._models import Base, Conversation, SensitiveIncident, Turn
from bot.store._privacy import Removed, forget, purge_older_than

__all__ = [
    "Base",
    "Conversation",
    "Removed",
    "SensitiveIncident",
    "Turn",
    "add_incidents",
    "add_turn",
    "count_incidents",
    "count_turns",
    "create_engine",
    "forget",
    "get_or_create_conversation",
    "list_turns",
    "purge_older_than",
    "session_factory",
    "upgrade",
]
