"""The gateway's own database: conversations and turns, through SQLAlchemy and Alembic."""

from bot.store._crud import add_turn, count_turns, get_or_create_conversation, list_turns
from bot.store._database import create_engine, session_factory, upgrade
from bot.store._models import Base, Conversation, Turn

__all__ = [
    "Base",
    "Conversation",
    "Turn",
    "add_turn",
    "count_turns",
    "create_engine",
    "get_or_create_conversation",
    "list_turns",
    "session_factory",
    "upgrade",
]
