"""The gateway's web server: Rasa's REST-channel API and the local web chat page.

`POST /webhooks/rest/webhook` takes `{"sender": ..., "message": ..., "metadata": {...}}`
and answers a JSON list of messages (`recipient_id`, `text`, `buttons`, ...), exactly as
Rasa's REST channel does, so any Rasa web widget works against it.
"""

from __future__ import annotations

import logging
from importlib import resources
from typing import TYPE_CHECKING, Any

from aiohttp import web

from bot.channels._door import UnreadableBody, clean_text, read_json
from bot.pipeline import Inbound, Pipeline

if TYPE_CHECKING:
    from bot.channels.telegram import TelegramChannel

logger = logging.getLogger(__name__)

CHANNEL = "web"
MAX_BODY_BYTES = 256 * 1024
MAX_SENDER_CHARS = 128
PIPELINE_KEY = web.AppKey("pipeline", Pipeline)


def create_app(pipeline: Pipeline, telegram: TelegramChannel | None = None) -> web.Application:
    """The gateway's aiohttp application; with Telegram's webhook when it uses one."""
    app = web.Application(client_max_size=MAX_BODY_BYTES, middlewares=[_errors_as_json])
    app[PIPELINE_KEY] = pipeline
    app.router.add_get("/", chat_page)
    app.router.add_get("/health", health)
    app.router.add_post("/webhooks/rest/webhook", rest_webhook)
    app.router.add_get("/webhooks/rest/outbox", outbox)
    if pipeline.desk is not None:
        from bot.channels.agent_page import add_agent_routes

        add_agent_routes(app, pipeline.desk, pipeline.agent_token)
    if telegram is not None and telegram.uses_webhook:
        from bot.channels.telegram import WEBHOOK_PATH

        app.router.add_post(WEBHOOK_PATH, telegram.webhook)
    return app


async def rest_webhook(request: web.Request) -> web.Response:
    """Rasa REST channel: one customer message in, the assistant's messages out."""
    try:
        body = await read_json(request)
    except UnreadableBody as error:
        return _bad_request(str(error))
    if not isinstance(body, dict):
        return _bad_request("the body must be a JSON object")
    sender, message, metadata = body.get("sender"), body.get("message"), body.get("metadata")
    if isinstance(sender, int) and not isinstance(sender, bool):
        sender = str(sender)
    if not isinstance(sender, str) or not sender.strip() or len(sender) > MAX_SENDER_CHARS:
        return _bad_request(
            f"'sender' must be a non-empty string of at most {MAX_SENDER_CHARS} characters"
        )
    if message is None:
        message = ""
    if not isinstance(message, str):
        return _bad_request("'message' must be a string")
    if metadata is not None and not isinstance(metadata, dict):
        return _bad_request("'metadata' must be an object")
    sender, hint = clean_text(sender), (metadata or {}).get("language_hint")
    inbound = Inbound(
        channel=CHANNEL,
        sender_id=sender,
        text=clean_text(message),
        language_hint=clean_text(hint) if isinstance(hint, str) else None,
    )
    pipeline = request.app[PIPELINE_KEY]
    replies = await pipeline.handle(inbound)
    # Messages an agent wrote since the customer's last request come first.
    return web.json_response(await pipeline.outbox(CHANNEL, sender) + replies)


async def outbox(request: web.Request) -> web.Response:
    """GET /webhooks/rest/outbox?sender=...: messages for the customer that no request of
    theirs has carried yet (an agent's replies); each is given once."""
    sender = clean_text(request.query.get("sender", ""))
    if not sender.strip() or len(sender) > MAX_SENDER_CHARS:
        return _bad_request(f"'sender' must be given, at most {MAX_SENDER_CHARS} characters")
    return web.json_response(await request.app[PIPELINE_KEY].outbox(CHANNEL, sender))


async def health(request: web.Request) -> web.Response:
    return web.json_response({"status": "ok"})


async def chat_page(request: web.Request) -> web.Response:
    page = resources.files("bot.channels").joinpath("static/chat.html").read_text("utf-8")
    return web.Response(text=page, content_type="text/html")


@web.middleware
async def _errors_as_json(request: web.Request, handler: Any) -> web.StreamResponse:
    try:
        return await handler(request)
    except web.HTTPException as error:
        if error.status >= 400:
            return web.json_response({"error": error.reason}, status=error.status)
        raise
    except Exception:
        logger.exception("gateway error on %s", request.path)
        return web.json_response({"error": "internal error"}, status=500)


def _bad_request(reason: str) -> web.Response:
    return web.json_response({"error": reason}, status=400)
