"""Gateway round-trip latency and throughput through POST /webhooks/rest/webhook.

    .venv/bin/python benchmarks/gateway.py [--url http://127.0.0.1:8000] [--messages 20]

Without --url it trains (if needed) and starts its own stack on free loopback ports.
Each conversation sends `--messages` messages one after another, in four languages;
the run is repeated with 1 and with 20 conversations at once. Requests are bounded in
number and go to loopback only.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from pathlib import Path

import aiohttp

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.stack import Stack, train  # noqa: E402

MESSAGES = [
    "buongiorno",
    "sei un bot?",
    "grazie mille",
    "hello there",
    "what can you do?",
    "thanks a lot",
    "bonjour",
    "je veux parler à un conseiller",
    "merci",
    "dzień dobry",
    "jesteś botem?",
    "dziękuję",
]


async def conversation(
    session: aiohttp.ClientSession, url: str, sender: str, count: int
) -> list[float]:
    latencies = []
    for i in range(count):
        body = {"sender": sender, "message": MESSAGES[i % len(MESSAGES)]}
        started = time.perf_counter()
        async with session.post(f"{url}/webhooks/rest/webhook", json=body) as response:
            await response.read()
            if response.status != 200:
                raise RuntimeError(f"HTTP {response.status}")
        latencies.append(time.perf_counter() - started)
    return latencies


async def measure(url: str, conversations: int, messages: int, run: str) -> None:
    async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=120)) as session:
        await conversation(session, url, f"warmup-{run}", 4)
        started = time.perf_counter()
        results = await asyncio.gather(
            *(
                conversation(session, url, f"bench-{run}-{c}", messages)
                for c in range(conversations)
            )
        )
        elapsed = time.perf_counter() - started
    latencies = sorted(lat for result in results for lat in result)
    p50 = 1000 * statistics.median(latencies)
    p95 = 1000 * latencies[int(0.95 * (len(latencies) - 1))]
    print(
        f"{conversations:>3} conversations x {messages} messages: "
        f"p50 {p50:7.1f} ms  p95 {p95:7.1f} ms  {len(latencies) / elapsed:6.1f} messages/s"
    )


def own_stack() -> tuple[Stack, str]:
    from tests.conftest import isolated_settings

    var_dir = Path(tempfile.mkdtemp(prefix="sportello-bench-"))
    settings = isolated_settings(var_dir, log_level="WARNING")
    stack = Stack(settings, var_dir=var_dir, model=train(settings, quiet=True))
    stack.start()
    return stack, stack.gateway_url


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", help="a running gateway; default: start one")
    parser.add_argument("--messages", type=int, default=20, help="messages per conversation")
    args = parser.parse_args()
    stack, url = (None, args.url) if args.url else own_stack()
    try:
        for run, conversations in enumerate((1, 20)):
            asyncio.run(measure(url, conversations, args.messages, str(run)))
    finally:
        if stack is not None:
            stack.stop()


if __name__ == "__main__":
    main()
