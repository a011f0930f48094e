"""How Telegram updates are taken in: each once, and each customer's in order."""

from __future__ import annotations

import asyncio
import logging
from collections import OrderedDict
from collections.abc import Awaitable
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Any

from sqlalchemy.exc import IntegrityError, SQLAlchemyError
from sqlalchemy.orm import sessionmaker
from telegram import Update
from telegram.ext import BaseUpdateProcessor

from bot import store

logger = logging.getLogger(__name__)

# Telegram keeps an undelivered update for 24 hours; ids are remembered a little longer.
REMEMBER_FOR = timedelta(hours=48)
CLEAN_EVERY = 1000  # updates between two clean-ups of old ids


@dataclass
class _Slot:
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    waiting: int = 0


class CustomerOrderedUpdateProcessor(BaseUpdateProcessor):
    """Runs updates of different customers concurrently, and one customer's updates one
    after the other in arrival order (a customer's second question is never answered
    before the first). In a group the customer is the (chat, user) pair."""

    def __init__(self, max_concurrent_updates: int = 256) -> None:
        super().__init__(max_concurrent_updates)
        self._slots: dict[tuple[int, int], _Slot] = {}

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        key = customer_key(update)
        if key is None:
            await coroutine
            return
        slot = self._slots.setdefault(key, _Slot())
        slot.waiting += 1
        try:
            async with slot.lock:  # asyncio locks wake their waiters first come, first served
                await coroutine
        finally:
            slot.waiting -= 1
            if slot.waiting == 0:
                del self._slots[key]

    async def initialize(self) -> None:
        """Nothing to set up."""

    async def shutdown(self) -> None:
        """Nothing to release."""


def customer_key(update: object) -> tuple[int, int] | None:
    if not isinstance(update, Update) or update.effective_chat is None:
        return None
    user = update.effective_user
    return update.effective_chat.id, user.id if user is not None else 0


class UpdateLedger:
    """Remembers the update ids already taken in, so that an update Telegram delivers
    again (it re-sends when it got no answer in time) is answered once.

    Kept in the gateway's database, so a restart does not forget them, and in memory,
    so that the same update arriving twice at once is caught without a round trip.
    """

    def __init__(self, sessions: sessionmaker, bot_id: int, memory: int = 100_000) -> None:
        self._sessions = sessions
        self._bot_id = bot_id
        self._memory = memory
        self._seen: OrderedDict[int, None] = OrderedDict()
        self._since_clean = 0

    async def first_delivery(self, update_id: int) -> bool:
        """True the first time an update id is seen, False for every re-delivery."""
        if update_id in self._seen:
            return False
        self._seen[update_id] = None
        while len(self._seen) > self._memory:
            self._seen.popitem(last=False)
        try:
            async with self._sessions() as session, session.begin():
                await store.remember_update(session, bot_id=self._bot_id, update_id=update_id)
        except IntegrityError:
            return False  # taken in before a restart
        except SQLAlchemyError:
            logger.warning("database unavailable: update %s checked in memory only", update_id)
            return True
        self._since_clean += 1
        if self._since_clean >= CLEAN_EVERY:
            self._since_clean = 0
            await self._clean()
        return True

    async def _clean(self) -> None:
        try:
            async with self._sessions() as session, session.begin():
                cutoff = datetime.now(timezone.utc) - REMEMBER_FOR
                await store.forget_updates_before(session, cutoff=cutoff)
        except SQLAlchemyError:
            logger.warning("database unavailable: old update ids kept for now")
