"""The gateway's client for the Rasa server (over loopback)."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from typing import Any

import aiohttp

from bot.errors import AssistantUnavailable

WEBHOOK = "/webhooks/gateway/webhook"


@dataclass(frozen=True)
class AssistantAnswer:
    """What Rasa answered: REST-channel messages and the intent it recognised."""

    messages: list[dict[str, Any]] = field(default_factory=list)
    intent: str | None = None
    confidence: float | None = None
    in_form: bool = False  # a form (calculator, complaint) took the message


class RasaClient:
    """Sends one customer message to Rasa and returns its answer."""

    def __init__(self, base_url: str, timeout_seconds: float) -> None:
        self._url = base_url.rstrip("/") + WEBHOOK
        self._timeout = aiohttp.ClientTimeout(total=timeout_seconds)
        self._session: aiohttp.ClientSession | None = None

    async def ask(self, *, sender_id: str, text: str, metadata: dict[str, Any]) -> AssistantAnswer:
        """Rasa's answer to `text`; raises AssistantUnavailable when Rasa cannot answer."""
        payload = {"sender": sender_id, "message": text, "metadata": metadata}
        try:
            async with self._client().post(self._url, json=payload) as response:
                if response.status != 200:
                    raise AssistantUnavailable(f"Rasa answered HTTP {response.status}")
                body = await response.json()
        except (aiohttp.ClientError, asyncio.TimeoutError, ValueError) as error:
            raise AssistantUnavailable(f"Rasa did not answer: {type(error).__name__}") from error
        return AssistantAnswer(
            messages=[m for m in body.get("messages", []) if isinstance(m, dict)],
            intent=body.get("intent"),
            confidence=body.get("confidence"),
            in_form=bool(body.get("in_form")),
        )

    async def close(self) -> None:
        if self._session is not None:
            await self._session.close()
            self._session = None

    def _client(self) -> aiohttp.ClientSession:
        if self._session is None or self._session.closed:
            self._session = aiohttp.ClientSession(timeout=self._timeout)
        return self._session
