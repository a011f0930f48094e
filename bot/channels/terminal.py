"""Chat with the assistant in a terminal, through the same pipeline as every channel."""

from __future__ import annotations

import asyncio
import getpass
import io
import sys

from bot.app import open_pipeline
from bot.channels._door import clean_text
from bot.pipeline import Inbound
from bot.settings import Settings

CHANNEL = "terminal"


async def chat(settings: Settings) -> None:
    """Reads lines from standard input and prints the assistant's answers until EOF."""
    sender = clean_text(getpass.getuser())
    interactive = sys.stdin.isatty()
    if isinstance(sys.stdin, io.TextIOWrapper):  # an undecodable byte: a lone surrogate
        sys.stdin.reconfigure(errors="surrogateescape")
    async with open_pipeline(settings) as pipeline:
        loop = asyncio.get_running_loop()
        while True:
            if interactive:
                print("> ", end="", flush=True)
            line = await loop.run_in_executor(None, sys.stdin.readline)
            if not line:
                break
            text = clean_text(line.rstrip("\n"))
            for message in await pipeline.handle(Inbound(CHANNEL, sender, text)):
                if message.get("text"):
                    print(message["text"])
                for button in message.get("buttons") or []:
                    print(f"  [{button.get('title')}]")
