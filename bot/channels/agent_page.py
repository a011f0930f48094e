"""The agent page of the gateway's web app: agents see the queue, take a handover, chat with
the customer, and give the conversation back to the assistant or close it.

    GET  /agent                                  the page
    GET  /agent/api/handovers                    queued (in order) and active handovers
    GET  /agent/api/handovers/{id}               one, with its summary card and messages
    POST /agent/api/handovers/{id}/take          {"agent": name}   409 if someone was faster
    POST /agent/api/handovers/{id}/messages      {"agent": name, "text": ...}
    POST /agent/api/handovers/{id}/return        {"agent": name}   back to the assistant
    POST /agent/api/handovers/{id}/close         {"agent": name}
    POST /agent/api/presence                     {"agent": name}   online for two minutes
                                                 ({"agent": name, "online": false}: offline)

With SPORTELLO_AGENT_TOKEN set, the API wants `Authorization: Bearer <token>`.
"""

from __future__ import annotations

import hmac
from collections.abc import Awaitable, Callable
from dataclasses import asdict
from importlib import resources
from typing import Any

from aiohttp import web

from bot.channels._door import UnreadableBody, clean_text, read_json
from bot.handover import Desk, HandoverView

DESK_KEY = web.AppKey("desk", Desk)
TOKEN_KEY = web.AppKey("agent_token", str)
MAX_AGENT_CHARS = 64
PRESENCE_MINUTES = 2.0
MAX_ID = 2**63 - 1  # the database's largest integer


def add_agent_routes(app: web.Application, desk: Desk, token: str) -> None:
    app[DESK_KEY] = desk
    app[TOKEN_KEY] = token
    app.router.add_get("/agent", agent_page)
    app.router.add_get("/agent/api/handovers", board)
    app.router.add_get("/agent/api/handovers/{id:\\d+}", one)
    app.router.add_post("/agent/api/handovers/{id:\\d+}/take", take)
    app.router.add_post("/agent/api/handovers/{id:\\d+}/messages", say)
    app.router.add_post("/agent/api/handovers/{id:\\d+}/return", give_back)
    app.router.add_post("/agent/api/handovers/{id:\\d+}/close", close)
    app.router.add_post("/agent/api/presence", presence)


async def agent_page(request: web.Request) -> web.Response:
    page = resources.files("bot.channels").joinpath("static/agent.html").read_text("utf-8")
    return web.Response(text=page, content_type="text/html")


async def board(request: web.Request) -> web.Response:
    _authorize(request)
    views = await request.app[DESK_KEY].board()
    return web.json_response({"handovers": [_json(v) for v in views]})


async def one(request: web.Request) -> web.Response:
    _authorize(request)
    view = await request.app[DESK_KEY].view(_handover_id(request))
    if view is None:
        raise web.HTTPNotFound(reason="no such handover")
    return web.json_response(_json(view))


async def take(request: web.Request) -> web.Response:
    agent, _ = await _body(request)
    if not await request.app[DESK_KEY].take(_handover_id(request), agent):
        return _conflict("this handover is no longer waiting: another agent took it")
    return web.json_response({"ok": True})


async def say(request: web.Request) -> web.Response:
    agent, body = await _body(request)
    text = body.get("text")
    if not isinstance(text, str) or not text.strip():
        raise web.HTTPBadRequest(reason="'text' must be a non-empty string")
    text = clean_text(text)
    if not await request.app[DESK_KEY].say(_handover_id(request), agent, text):
        return _conflict("this handover is not yours, or no longer active")
    return web.json_response({"ok": True})


async def give_back(request: web.Request) -> web.Response:
    return await _end(request, request.app[DESK_KEY].give_back)


async def close(request: web.Request) -> web.Response:
    return await _end(request, request.app[DESK_KEY].close)


async def _end(request: web.Request, action: Callable[[int, str], Awaitable[bool]]) -> web.Response:
    agent, _ = await _body(request)
    if not await action(_handover_id(request), agent):
        return _conflict("this handover is not yours, or already ended")
    return web.json_response({"ok": True})


async def presence(request: web.Request) -> web.Response:
    agent, body = await _body(request)
    minutes = 0.0 if body.get("online") is False else PRESENCE_MINUTES
    await request.app[DESK_KEY].agent_online(agent, minutes)
    return web.json_response({"ok": True, "minutes": minutes})


def _authorize(request: web.Request) -> None:
    token = request.app[TOKEN_KEY]
    if not token:
        return
    given = request.headers.get("Authorization", "").removeprefix("Bearer ").strip()
    if not hmac.compare_digest(given.encode("utf-8", "replace"), token.encode()):
        raise web.HTTPUnauthorized(reason="the agent token is missing or wrong")


async def _body(request: web.Request) -> tuple[str, dict[str, Any]]:
    _authorize(request)
    try:
        body = await read_json(request)
    except UnreadableBody as error:
        raise web.HTTPBadRequest(reason=str(error)) from None
    if not isinstance(body, dict):
        raise web.HTTPBadRequest(reason="the body must be a JSON object")
    agent = body.get("agent")
    if not isinstance(agent, str) or not agent.strip() or len(agent) > MAX_AGENT_CHARS:
        raise web.HTTPBadRequest(
            reason=f"'agent' must be your name, at most {MAX_AGENT_CHARS} characters"
        )
    return clean_text(agent).strip(), body


def _handover_id(request: web.Request) -> int:
    """The handover id in the path; 404 for a number no handover can have."""
    digits = request.match_info["id"]
    if not digits.isascii() or len(digits) > len(str(MAX_ID)) or int(digits) > MAX_ID:
        raise web.HTTPNotFound(reason="no such handover")
    return int(digits)


def _json(view: HandoverView) -> dict[str, Any]:
    data = asdict(view)
    data["created_at"] = view.created_at.isoformat()
    data["signals"] = list(view.signals)
    return data


def _conflict(reason: str) -> web.Response:
    return web.json_response({"error": reason}, status=409)
