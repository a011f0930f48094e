"""The gateway's own database: conversations and turns, through SQLAlchemy and Alembic."""

from bot.store._crud import (
    add_incidents,
    add_turn,
    choose_language,
    count_incidents,
    count_turns,
    forget_updates_before,
    get_or_create_conversation,
    list_turns,
    remember_update,
)
from bot.store._database import create_engine, session_factory, upgrade
from bot.store._models import Base, Conversation, SensitiveIncident, TelegramUpdate, Turn
from bot.store._privacy import Removed, forget, member_conversations, purge_older_than

__all__ = [
    "Base",
    "Conversation",
    "Removed",
    "SensitiveIncident",
    "TelegramUpdate",
    "Turn",
    "add_incidents",
    "add_turn",
    "choose_language",
    "count_incidents",
    "count_turns",
    "create_engine",
    "forget",
    "forget_updates_before",
    "get_or_create_conversation",
    "list_turns",
    "member_conversations",
    "purge_older_than",
    "remember_update",
    "session_factory",
    "upgrade",
]
