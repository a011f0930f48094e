"""A gateway whose Telegram channel talks to the fake Bot API server (tests/fakes), with the
real pipeline and the running stack's Rasa and action server behind it."""

from __future__ import annotations

import asyncio
import itertools
from collections.abc import AsyncIterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import pytest_asyncio
from aiohttp import web

from bot.app import open_pipeline
from bot.channels.telegram import TelegramChannel
from bot.channels.web import create_app
from bot.responses import Responses
from bot.settings import PROJECT_ROOT, Settings
from tests.conftest import RunningStack, free_port
from tests.fakes.telegram_api import FakeTelegram

TEXTS = Responses.from_domain(PROJECT_ROOT / "domain.yml")
_ids = itertools.count(700_001)


@dataclass
class TelegramWorld:
    """The fake Telegram, the channel under test and helpers to chat through them."""

    fake: FakeTelegram
    channel: TelegramChannel
    settings: Settings
    webhook_url: str | None = None
    users: dict[int, str | None] = field(default_factory=dict)

    def new_user(self, language_code: str | None = "it") -> int:
        user_id = next(_ids)
        self.fake.add_user(user_id, first_name=f"Cliente {user_id}", language_code=language_code)
        self.fake.add_private_chat(user_id)
        return user_id

    def new_group(self, *, bot_is_admin: bool) -> int:
        chat_id = -1_000_000_000_000 - next(_ids)
        self.fake.add_group(chat_id, "Aurora Bank community", bot_is_admin=bot_is_admin)
        return chat_id

    async def settle(self, timeout: float = 60) -> None:
        """Waits until every update was delivered and handled, and nothing is being sent."""
        app = self.channel.application
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        idle = 0
        while idle < 3:
            busy = (
                self.fake.pending_updates
                or not app.update_queue.empty()
                or app.update_processor.current_concurrent_updates
            )
            idle = 0 if busy else idle + 1
            if loop.time() > deadline:
                raise AssertionError("the channel did not finish its updates in time")
            await asyncio.sleep(0.05)

    async def say(
        self, user_id: int, text: str, *, chat_id: int | None = None
    ) -> list[dict[str, Any]]:
        """The bot's messages in answer to one message (private chat unless `chat_id`)."""
        chat = chat_id if chat_id is not None else user_id
        before = len(self.fake.bot_messages(chat, include_deleted=True))
        self.fake.send_text(chat, user_id, text)
        await self.settle()
        return self.fake.bot_messages(chat, include_deleted=True)[before:]

    async def after(self, chat_id: int, action: Any) -> list[dict[str, Any]]:
        """The bot's messages after `action()` (e.g. a photo, a button press)."""
        before = len(self.fake.bot_messages(chat_id, include_deleted=True))
        action()
        await self.settle()
        return self.fake.bot_messages(chat_id, include_deleted=True)[before:]


def texts(messages: list[dict[str, Any]]) -> list[str]:
    return [m["text"] for m in messages]


def telegram_settings(stack: RunningStack, fake: FakeTelegram, var: Path, **extra: Any) -> Settings:
    return replace(
        stack.settings,
        rasa_url=f"http://127.0.0.1:{stack.settings.rasa_port}",
        database_url=f"sqlite:///{var / 'gateway.db'}",
        telegram_token=fake.token,
        telegram_api_url=fake.base_url,
        **extra,
    )


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def telegram(
    running_stack: RunningStack, tmp_path_factory: Any
) -> AsyncIterator[TelegramWorld]:
    """Long polling, as a customer runs it at home with only a token."""
    async with FakeTelegram() as fake:
        settings = telegram_settings(running_stack, fake, tmp_path_factory.mktemp("telegram"))
        async with open_pipeline(settings) as pipeline:
            channel = TelegramChannel(settings, pipeline)
            await channel.start()
            try:
                await asyncio.wait_for(channel.ready.wait(), 60)
                await fake.wait_polling()
                yield TelegramWorld(fake, channel, settings)
            finally:
                await channel.stop()


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def telegram_webhook(
    running_stack: RunningStack, tmp_path_factory: Any
) -> AsyncIterator[TelegramWorld]:
    """A webhook served by the gateway's own web server."""
    async with FakeTelegram() as fake:
        port = free_port()
        url = f"http://127.0.0.1:{port}/webhooks/telegram"
        settings = telegram_settings(
            running_stack, fake, tmp_path_factory.mktemp("telegram-webhook"),
            telegram_webhook_url=url, telegram_secret="s3cret-for-the-tests",
        )  # fmt: skip
        async with open_pipeline(settings) as pipeline:
            channel = TelegramChannel(settings, pipeline)
            runner = web.AppRunner(create_app(pipeline, channel), access_log=None)
            await runner.setup()
            await web.TCPSite(runner, "127.0.0.1", port).start()
            await channel.start()
            try:
                await asyncio.wait_for(channel.ready.wait(), 60)
                yield TelegramWorld(fake, channel, settings, webhook_url=url)
            finally:
                await channel.stop()
                await runner.cleanup()
