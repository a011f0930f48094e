"""Rasa input channel for the gateway: Rasa's REST channel, plus the parsed intent.

Same request as Rasa's REST channel (`sender`, `message`, `metadata`); the answer is
`{"messages": [<REST channel messages>], "intent": <name>, "confidence": <0..1>,
"in_form": <bool>}` so that the gateway can record what Rasa understood without a second
request (`in_form`: a form asked and took this message, e.g. a calculator's amount). Unlike
Rasa's REST channel it never logs the message text, and a failure is a 500, not an
empty answer, so the gateway can tell the customer politely.
"""

from __future__ import annotations

import logging
from asyncio import CancelledError
from collections.abc import Awaitable, Callable
from typing import Any

from rasa.core.channels.channel import CollectingOutputChannel, InputChannel, UserMessage
from rasa.shared.core.events import ActiveLoop, UserUttered
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

logger = logging.getLogger(__name__)


class GatewayInput(InputChannel):
    """`POST /webhooks/gateway/webhook`, used only by the gateway over loopback."""

    @classmethod
    def name(cls) -> str:
        return "gateway"

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        gateway_webhook = Blueprint("gateway_webhook", __name__)

        @gateway_webhook.route("/", methods=["GET"])
        async def health(request: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @gateway_webhook.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            body = request.json if isinstance(request.json, dict) else {}
            sender_id = str(body.get("sender") or "")
            text = body.get("message")
            metadata = body.get("metadata") if isinstance(body.get("metadata"), dict) else None
            if not sender_id or not isinstance(text, str):
                return response.json({"error": "sender and message are required"}, status=400)
            collector = CollectingOutputChannel()
            try:
                await on_new_message(
                    UserMessage(
                        text, collector, sender_id, input_channel=self.name(), metadata=metadata
                    )
                )
            except CancelledError:
                logger.error("gateway.message.timeout sender=%s", sender_id)
                return response.json({"error": "timeout"}, status=503)
            except Exception:
                logger.exception("gateway.message.failure sender=%s", sender_id)
                return response.json({"error": "processing failed"}, status=500)
            return response.json(
                {"messages": collector.messages, **await _parsed_intent(request, sender_id)}
            )

        return gateway_webhook

    def get_metadata(self, request: Request) -> dict[str, Any] | None:
        body = request.json if isinstance(request.json, dict) else {}
        metadata = body.get("metadata")
        return metadata if isinstance(metadata, dict) else None


async def _parsed_intent(request: Request, sender_id: str) -> dict[str, Any]:
    tracker = await request.app.ctx.agent.tracker_store.retrieve(sender_id)
    intent = (tracker.latest_message.intent if tracker and tracker.latest_message else {}) or {}
    return {
        "intent": intent.get("name"),
        "confidence": intent.get("confidence"),
        "in_form": bool(tracker and _in_form(tracker)),
    }


def _in_form(tracker: Any) -> bool:
    """Whether a form was running for the latest message (still, or it just completed)."""
    if tracker.active_loop_name:
        return True
    for event in reversed(tracker.events):
        if isinstance(event, UserUttered):
            return False
        if isinstance(event, ActiveLoop):
            return True
    return False
