"""Telegram end to end: updates per second and latency from update to sendMessage.

    .venv/bin/python benchmarks/telegram.py [--messages 20]

Starts the fake Telegram Bot API server (tests/fakes/telegram_api.py) in this process and a
whole stack on free loopback ports (trained if needed) whose gateway process polls it, as
a deployment with only a bot token does. Each chat sends `--messages` messages one after
another, the next once the first reply arrived, in four languages; the run is repeated
with 1 and with 20 chats at once. Latency runs from the moment the update is queued on the
fake server to the moment it receives the reply's sendMessage. The gateway's rate limiter
(python-telegram-bot's AIORateLimiter, Telegram's 30 messages/s) stays on.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

# The REST benchmark's messages (benchmarks/gateway.py), so the two channels compare; each
# gets exactly one reply. `--products` adds catalogue questions, answered by the action server.
from benchmarks.gateway import MESSAGES as SMALL_TALK  # noqa: E402
from bot.stack import Stack, train  # noqa: E402
from tests.fakes.telegram_api import FakeTelegram  # noqa: E402

PRODUCT_QUESTIONS = [
    "quanto costa il conto corrente al mese?",
    "how much does the credit card cost?",
    "combien coûte le compte courant par mois ?",
    "ile kosztuje konto osobiste miesięcznie?",
]
MESSAGES = list(SMALL_TALK)


class Replies:
    """Times of the sendMessage calls per chat, read off the fake's call log as it grows
    (cheaper than every chat scanning the whole log, which would load the CPU the stack
    is measured on)."""

    def __init__(self, fake: FakeTelegram) -> None:
        self._fake = fake
        self._read = 0
        self._times: dict[int, list[float]] = {}
        self._task = asyncio.create_task(self._follow())

    def count(self, chat_id: int) -> int:
        return len(self._times.get(chat_id, []))

    async def nth(self, chat_id: int, n: int, timeout: float = 120) -> float:
        """The time of the chat's n-th reply (0-based), once it arrived."""
        deadline = time.monotonic() + timeout
        while self.count(chat_id) <= n:
            if time.monotonic() > deadline:
                raise TimeoutError(f"no reply {n} in chat {chat_id}")
            await asyncio.sleep(0.002)
        return self._times[chat_id][n]

    async def _follow(self) -> None:
        while True:
            calls = self._fake.calls[self._read :]
            self._read += len(calls)
            for call in calls:
                if call.method == "sendMessage" and call.ok:
                    self._times.setdefault(int(call.chat_id), []).append(call.at)
            await asyncio.sleep(0.002)

    def close(self) -> None:
        self._task.cancel()


async def chat(fake: FakeTelegram, replies: Replies, user_id: int, count: int) -> list[float]:
    """One customer's closed loop: each message is sent once the last one was answered
    (every message of MESSAGES gets exactly one reply)."""
    fake.add_user(user_id, language_code="it")
    latencies = []
    for i in range(count):
        answered = replies.count(user_id)
        queued = time.monotonic()
        fake.send_text(user_id, user_id, MESSAGES[i % len(MESSAGES)])
        latencies.append(await replies.nth(user_id, answered) - queued)
    return latencies


async def measure(fake: FakeTelegram, chats: int, messages: int, first_user: int) -> None:
    replies = Replies(fake)
    await chat(fake, replies, first_user - 1, 4)  # warm-up
    started = time.monotonic()
    results = await asyncio.gather(
        *(chat(fake, replies, first_user + c, messages) for c in range(chats))
    )
    replies.close()
    elapsed = time.monotonic() - started
    latencies = sorted(lat for result in results for lat in result)
    p50 = 1000 * statistics.median(latencies)
    p95 = 1000 * latencies[int(0.95 * (len(latencies) - 1))]
    print(
        f"{chats:>3} chats x {messages} messages: p50 {p50:7.1f} ms  p95 {p95:7.1f} ms  "
        f"{len(latencies) / elapsed:6.1f} updates/s",
        flush=True,
    )


async def run(messages: int) -> None:
    from tests.conftest import isolated_settings

    async with FakeTelegram() as fake:
        var_dir = Path(tempfile.mkdtemp(prefix="sportello-bench-telegram-"))
        settings = replace(
            isolated_settings(var_dir, log_level="WARNING"),
            telegram_token=fake.token,
            telegram_api_url=fake.base_url,
        )
        model = await asyncio.to_thread(train, settings, quiet=True)
        stack = Stack(settings, var_dir=var_dir, model=model)
        await asyncio.to_thread(stack.start)
        try:
            await fake.wait_polling(timeout=120)
            for n, chats in enumerate((1, 20)):
                await measure(fake, chats, messages, first_user=100_000 * (n + 1))
        finally:
            await asyncio.to_thread(stack.stop)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=20, help="messages per chat")
    parser.add_argument(
        "--products", action="store_true", help="mix in product questions (custom actions)"
    )
    args = parser.parse_args()
    if args.products:
        MESSAGES[:] = [
            m for pair in zip(SMALL_TALK, PRODUCT_QUESTIONS * 3, strict=True) for m in pair
        ]
    asyncio.run(run(args.messages))


if __name__ == "__main__":
    main()
