"""Taking updates in: once each (across restarts), each customer's in order."""

from __future__ import annotations

import asyncio
from pathlib import Path

from telegram import Chat, Message, Update, User

from bot import store
from bot.channels.telegram._updates import CustomerOrderedUpdateProcessor, UpdateLedger


async def test_an_update_is_taken_in_once_even_after_a_restart(database_url: str) -> None:
    url = database_url
    store.upgrade(url)
    engine = store.create_engine(url)
    try:
        ledger = UpdateLedger(store.session_factory(engine), bot_id=1)
        first = await asyncio.gather(*(ledger.first_delivery(7) for _ in range(5)))
        assert first == [True, False, False, False, False]
        restarted = UpdateLedger(store.session_factory(engine), bot_id=1)
        assert await restarted.first_delivery(7) is False  # remembered in the database
        assert await restarted.first_delivery(8) is True
        another_bot = UpdateLedger(store.session_factory(engine), bot_id=2)
        assert await another_bot.first_delivery(7) is True
    finally:
        await engine.dispose()


async def test_without_a_database_duplicates_are_still_caught_in_memory(tmp_path: Path) -> None:
    engine = store.create_engine(f"sqlite:///{tmp_path / 'missing' / 'gateway.db'}")
    try:
        ledger = UpdateLedger(store.session_factory(engine), bot_id=1)
        assert [await ledger.first_delivery(3) for _ in range(2)] == [True, False]
    finally:
        await engine.dispose()


def _update(update_id: int, chat_id: int, user_id: int) -> Update:
    chat = Chat(chat_id, Chat.PRIVATE if chat_id > 0 else Chat.SUPERGROUP)
    user = User(user_id, "Anna", False)
    message = Message(update_id, None, chat, from_user=user, text="x")  # type: ignore[arg-type]
    return Update(update_id, message=message)


async def test_one_customers_updates_run_in_order_and_customers_run_concurrently() -> None:
    processor = CustomerOrderedUpdateProcessor(max_concurrent_updates=64)
    log: list[tuple[int, str]] = []

    async def handle(update_id: int, delay: float) -> None:
        log.append((update_id, "start"))
        await asyncio.sleep(delay)
        log.append((update_id, "end"))

    # Customer 1 sends a slow message then a fast one; customer 2 one message.
    updates = [(_update(1, 1, 1), 0.2), (_update(2, 1, 1), 0.0), (_update(3, 2, 2), 0.0)]
    await asyncio.gather(*(processor.process_update(u, handle(u.update_id, d)) for u, d in updates))
    assert log.index((1, "end")) < log.index((2, "start"))  # in order for customer 1
    assert log.index((3, "end")) < log.index((1, "end"))  # customer 2 did not wait
    # In a group the customer is the (group, user) pair: two users do not wait for each other.
    log.clear()
    group = [(_update(4, -5, 1), 0.2), (_update(5, -5, 2), 0.0)]
    await asyncio.gather(*(processor.process_update(u, handle(u.update_id, d)) for u, d in group))
    assert log.index((5, "end")) < log.index((4, "end"))
