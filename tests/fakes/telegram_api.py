"""A local fake of the Telegram Bot API server, for end-to-end tests and benchmarks.

`FakeTelegram` is an aiohttp server on 127.0.0.1 (free port) that speaks the Bot API's
HTTP protocol closely enough for the *real* python-telegram-bot to run against it: same
URLs (`/bot<token>/<method>`), same parameter encoding (form, multipart, JSON or query
string; non-string values JSON-encoded), same answers (`{"ok": true, "result": ...}` or
`{"ok": false, "error_code": N, "description": ...}`) and the real error descriptions, so
PTB raises the same exceptions it would in production (429 -> RetryAfter, 400 ->
BadRequest, 403 -> Forbidden, 409 -> Conflict, 5xx -> NetworkError). It never touches the
internet: webhooks are only delivered to loopback addresses.

It keeps a small world: users, private chats, supergroups (optionally forums with topics)
and every message (the customers' and the bot's, deleted ones kept and flagged). Tests act
as customers (`send_text`, `press_button`, ...), which queues updates delivered through
`getUpdates` long polling or a webhook, and then observe what the bot did (`calls`,
`wait_for`, `bot_messages`). `fail_next` injects errors (rate limits, 5xx, ...).

    async with FakeTelegram() as tg:
        app = (ApplicationBuilder().token(tg.token).base_url(tg.base_url)
               .base_file_url(tg.base_file_url).build())
        ...  # add handlers, initialize, start, updater.start_polling(poll_interval=0)
        tg.send_text(42, 42, "ciao")              # user 42 writes in their private chat
        [call] = await tg.wait_for("sendMessage", chat_id=42)
        assert tg.bot_messages(42)[-1]["text"] == call.params["text"]

Knobs and helpers beyond the customers' actions: `set_bot_admin`, `set_blocked` (403 for that
user), `wait_polling` (the bot is parked in a long poll), `webhook_retry_delay` and
`webhook_max_attempts`, `html_strict`. Every answered request is in `calls` (a long poll
abandoned by its client is not: it was never answered); `getFile` and file downloads always
fail, so a test can assert they never happened.

Deliberate differences from the real server: HTML is validated strictly (a bare `>` or `&`
is rejected, Telegram takes them literally; set `html_strict = False` for Telegram's
leniency); webhooks may use http:// but only to loopback hosts, and an update is dropped after
`webhook_max_attempts` failed deliveries; the bot cannot post into a closed topic even as an
admin; a whole batch returned by getUpdates is confirmed once `offset` passes its last
update_id, and an update pushed again with an old update_id is delivered again (so the bot's
de-duplication can be tested). Call everything from the event loop's thread.
"""

from __future__ import annotations

import asyncio
import contextlib
import copy
import json
import mimetypes
import re
import time
from collections import deque
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from http import HTTPStatus
from typing import Any
from urllib.parse import urlsplit

import aiohttp
from aiohttp import web

__all__ = ["Call", "FakeTelegram", "Topic"]

JSON = dict[str, Any]


def _words(text: str) -> list[str]:
    return text.split()


MAX_TEXT_LENGTH = 4096
# Parameters that are strings in the Bot API: never JSON-decoded (a text "123" stays "123").
_STRING_PARAMS = frozenset(
    _words(
        "text caption callback_query_id secret_token url parse_mode action name description "
        "short_description language_code inline_message_id icon_custom_emoji_id "
        "business_connection_id message_effect_id ip_address title file_id emoji custom_title "
        "query_id sticker photo document voice video audio animation video_note address "
        "first_name last_name phone_number vcard question explanation payload currency "
        "start_parameter game_short_name invite_link web_app_query_id quote quote_parse_mode "
        "caption_parse_mode"
    )
)
_DEFAULT_EXCLUDED_UPDATES = frozenset({"chat_member", "message_reaction", "message_reaction_count"})
_BUTTON_ACTIONS = _words(
    "callback_data url web_app login_url switch_inline_query switch_inline_query_current_chat "
    "switch_inline_query_chosen_chat copy_text callback_game pay"
)
_TOPIC_COLORS = frozenset({7322096, 16766590, 13338331, 9367192, 16749490, 16478047})
_CHAT_ACTIONS = frozenset(
    _words(
        "typing upload_photo record_video upload_video record_voice upload_voice upload_document "
        "choose_sticker find_location record_video_note upload_video_note"
    )
)
_NOT_MODIFIED = (
    "message is not modified: specified new message content and reply markup are exactly "
    "the same as a current content and reply markup of the message"
)
_FAULT_DESCRIPTIONS = {500: "Internal Server Error", 502: "Bad Gateway", 400: "Bad Request"}
_LOOPBACK = frozenset({"127.0.0.1", "localhost", "::1"})


@dataclass(frozen=True)
class Call:
    """One request the fake answered: decoded parameters and the HTTP status it got."""

    method: str
    params: JSON
    status: int
    at: float  # time.monotonic() when the request arrived
    ok: bool
    description: str | None = None  # the error description, when not ok
    result: Any = None  # what the fake answered, when ok

    @property
    def chat_id(self) -> Any:
        return self.params.get("chat_id")


@dataclass
class Topic:
    """A forum topic, in `FakeTelegram.topics[(chat_id, message_thread_id)]`."""

    name: str
    icon_color: int
    closed: bool = False
    icon_custom_emoji_id: str | None = None


@dataclass(eq=False)
class _Stored:
    message: JSON
    from_bot: bool
    deleted: bool = False
    service: bool = False


@dataclass(eq=False)
class _Queued:
    update: JSON
    fresh: bool  # update_id newer than every update pushed before it
    delivered: bool = False


class _ApiError(Exception):
    def __init__(self, status: int, description: str, parameters: JSON | None = None) -> None:
        super().__init__(description)
        self.status, self.description, self.parameters = status, description, parameters


@dataclass
class _Described:
    """A successful result that the real API answers with a `description` too."""

    result: Any
    description: str


def _bad(description: str) -> _ApiError:
    return _ApiError(400, f"Bad Request: {description}")


def _parse_error(description: str) -> _ApiError:
    return _bad(f"can't parse entities: {description}")


def _u16(text: str) -> int:
    """Length in UTF-16 code units, the unit of Telegram's entity offsets and limits."""
    return len(text.encode("utf-16-le")) // 2


def _decode_param(name: str, value: Any) -> Any:
    if name in _STRING_PARAMS or not isinstance(value, str):
        return value
    if value[:1] in ("{", "[", "-") or value[:1].isdigit() or value in ("true", "false", "null"):
        with contextlib.suppress(ValueError):
            return json.loads(value)
    return value


# --------------------------------------------------------------------------- entity parsing


class _Out:
    """Plain text under construction, with entity offsets in UTF-16 code units."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.pos = 0
        self.entities: list[JSON] = []

    def add(self, text: str) -> None:
        self.parts.append(text)
        self.pos += _u16(text)

    def entity(self, kind: str, start: int, **extra: Any) -> None:
        if self.pos > start:
            self.entities.append(
                {"type": kind, "offset": start, "length": self.pos - start, **extra}
            )

    def result(self) -> tuple[str, list[JSON]]:
        return "".join(self.parts), sorted(self.entities, key=lambda e: (e["offset"], -e["length"]))


_HTML_TAGS = {
    "b": "bold", "strong": "bold", "i": "italic", "em": "italic", "u": "underline",
    "ins": "underline", "s": "strikethrough", "strike": "strikethrough", "del": "strikethrough",
    "span": "spoiler", "tg-spoiler": "spoiler", "a": "text_link", "code": "code", "pre": "pre",
    "blockquote": "blockquote", "tg-emoji": "custom_emoji",
}  # fmt: skip
_HTML_NAMED = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}
_HTML_ENTITY = re.compile(r"&(?:#(\d{1,7})|#[xX]([0-9a-fA-F]{1,6})|([a-zA-Z]+));")
_SPACE = " \t\r\n"


def _html_entity(text: str, i: int) -> tuple[str, int] | None:
    match = _HTML_ENTITY.match(text, i)
    if not match:
        return None
    if match.group(3):
        char = _HTML_NAMED.get(match.group(3))
        return (char, match.end()) if char else None
    code = int(match.group(1)) if match.group(1) else int(match.group(2), 16)
    if not 0 < code <= 0x10FFFF or 0xD800 <= code <= 0xDFFF:
        return None
    return chr(code), match.end()


def _html_unescape(value: str) -> str:
    out, i = [], 0
    while i < len(value):
        entity = _html_entity(value, i) if value[i] == "&" else None
        out.append(entity[0] if entity else value[i])
        i = entity[1] if entity else i + 1
    return "".join(out)


def _html_attributes(text: str, j: int, tag: str, where: str) -> tuple[dict[str, str], int]:
    attrs: dict[str, str] = {}
    n = len(text)
    while True:
        while j < n and text[j] in _SPACE:
            j += 1
        if j >= n:
            raise _parse_error(f"Unclosed start tag {where}")
        if text[j] == ">":
            return attrs, j + 1
        k = j
        while k < n and text[k] not in _SPACE + "=>":
            k += 1
        name = text[j:k].lower()
        if not name:
            raise _parse_error(f'Empty attribute name in the tag "{tag}" {where}')
        while k < n and text[k] in _SPACE:
            k += 1
        value = ""
        if k < n and text[k] == "=":
            k += 1
            while k < n and text[k] in _SPACE:
                k += 1
            if k < n and text[k] in "\"'":
                end = text.find(text[k], k + 1)
                if end < 0:
                    raise _parse_error(f'Unclosed attribute value in the tag "{tag}" {where}')
                value, k = text[k + 1 : end], end + 1
            else:
                end = k
                while end < n and text[end] not in _SPACE + ">":
                    end += 1
                value, k = text[k:end], end
        attrs[name] = _html_unescape(value)
        j = k


def _parse_html(text: str, *, strict: bool) -> tuple[str, list[JSON]]:
    out = _Out()
    stack: list[tuple[str, int, dict[str, str]]] = []  # tag, start offset, attributes
    i, n = 0, len(text)

    def where(pos: int) -> str:
        return f"at byte offset {len(text[:pos].encode())}"

    while i < n:
        char = text[i]
        if char == "&":
            entity = _html_entity(text, i)
            if entity:
                out.add(entity[0])
                i = entity[1]
                continue
            if strict:
                raise _parse_error(f'Character "&" must be escaped as "&amp;" {where(i)}')
        elif char == ">" and strict:
            raise _parse_error(f'Character ">" must be escaped as "&gt;" {where(i)}')
        if char != "<":
            out.add(char)
            i += 1
            continue
        begin = i
        closing = text.startswith("</", i)
        j = i + 2 if closing else i + 1
        while j < n and text[j] not in _SPACE + ">":
            j += 1
        name = text[(i + 2 if closing else i + 1) : j].lower()
        if closing:
            while j < n and text[j] in _SPACE:
                j += 1
            if j >= n or text[j] != ">":
                raise _parse_error(f"Unclosed end tag {where(begin)}")
            if not stack:
                raise _parse_error(f"Unexpected end tag {where(begin)}")
            tag, start, attrs = stack.pop()
            if name != tag:
                raise _parse_error(
                    f'Unmatched end tag {where(begin)}, expected "</{tag}>", found "</{name}>"'
                )
            _close_html_tag(out, tag, start, attrs, stack)
            i = j + 1
            continue
        if j >= n:
            raise _parse_error(f"Unclosed start tag {where(begin)}")
        if name not in _HTML_TAGS:
            raise _parse_error(f'Unsupported start tag "{name}" {where(begin)}')
        attrs, i = _html_attributes(text, j, name, where(begin))
        if name == "span" and attrs.get("class") != "tg-spoiler":
            raise _parse_error(f'Tag "span" must have class "tg-spoiler" {where(begin)}')
        if name == "tg-emoji" and not attrs.get("emoji-id", "").isdigit():
            raise _parse_error(f"Invalid custom emoji identifier specified {where(begin)}")
        stack.append((name, out.pos, attrs))
    if stack:
        raise _parse_error(f'Can\'t find end tag corresponding to start tag "{stack[-1][0]}"')
    return out.result()


def _close_html_tag(
    out: _Out,
    tag: str,
    start: int,
    attrs: dict[str, str],
    stack: list[tuple[str, int, dict[str, str]]],
) -> None:
    kind = _HTML_TAGS[tag]
    language = attrs.get("class", "")
    if kind == "code" and stack and stack[-1][0] == "pre" and language.startswith("language-"):
        stack[-1][2][" language"] = language.removeprefix("language-")  # becomes pre's language
    elif kind == "text_link":
        if attrs.get("href"):
            out.entity("text_link", start, url=attrs["href"])
    elif kind == "custom_emoji":
        out.entity("custom_emoji", start, custom_emoji_id=attrs["emoji-id"])
    elif kind == "pre" and " language" in attrs:
        out.entity("pre", start, language=attrs[" language"])
    elif kind == "blockquote" and "expandable" in attrs:
        out.entity("expandable_blockquote", start)
    else:
        out.entity(kind, start)


_MD2_RESERVED = frozenset("_*[]()~`>#+-=|{}.!")
_MD2_NAMES = {
    "bold": "Bold", "italic": "Italic", "underline": "Underline", "strikethrough": "Strikethrough",
    "spoiler": "Spoiler", "code": "Code", "pre": "Pre", "text_link": "TextUrl",
    "custom_emoji": "CustomEmoji",
}  # fmt: skip


def _parse_markdown_v2(text: str) -> tuple[str, list[JSON]]:
    out = _Out()
    stack: list[tuple[str, int, int, str | None]] = []  # kind, start offset, index, language
    quote: tuple[int, bool] | None = None  # start offset, expandable
    i, n = 0, len(text)

    def where(pos: int) -> str:
        return f"at byte offset {len(text[:pos].encode())}"

    def close_quote() -> None:
        nonlocal quote
        if quote is not None:
            end = out.pos - (1 if out.parts and out.parts[-1] == "\n" else 0)
            if end > quote[0]:
                kind = "expandable_blockquote" if quote[1] else "blockquote"
                out.entities.append({"type": kind, "offset": quote[0], "length": end - quote[0]})
            quote = None

    while i < n:
        char, after = text[i], text[i + 1 : i + 2]
        top = stack[-1][0] if stack else None
        if char == "\\" and after and 0 < ord(after) <= 126:
            out.add(after)
            i += 2
            continue
        if top not in ("code", "pre") and (i == 0 or text[i - 1] == "\n"):
            marker = 1 if char == ">" else 3 if text.startswith("**>", i) else 0
            if marker:
                if quote is None:
                    quote = (out.pos, marker == 3)
                i += marker
                continue
            close_quote()
        at_end = text.startswith("||", i) and text[i + 2 : i + 3] in ("", "\n")
        if quote and quote[1] and at_end and top != "spoiler":
            i += 2  # end of an expandable blockquote
            continue
        reserved = "`" if top in ("code", "pre") else _MD2_RESERVED
        if char not in reserved:
            out.add(char)
            i += 1
            continue
        ends = {
            "bold": char == "*", "italic": char == "_" and after != "_",
            "underline": text.startswith("__", i), "strikethrough": char == "~",
            "spoiler": text.startswith("||", i), "code": char == "`",
            "pre": text.startswith("```", i), "text_link": char == "]", "custom_emoji": char == "]",
        }  # fmt: skip
        if top is None or not ends[top]:
            begin, language = i, None
            if char == "_":
                kind, i = ("underline", i + 2) if after == "_" else ("italic", i + 1)
            elif char in "*~[":
                kind, i = {"*": "bold", "~": "strikethrough", "[": "text_link"}[char], i + 1
            elif char == "|" and after == "|":
                kind, i = "spoiler", i + 2
            elif char == "!" and after == "[":
                kind, i = "custom_emoji", i + 2
            elif text.startswith("```", i):
                kind, i = "pre", i + 3
                end = i
                while end < n and text[end] not in _SPACE + "`":
                    end += 1
                if end > i and end < n and text[end] != "`":
                    language, i = text[i:end], end
                if text[i : i + 1] == "\n":
                    i += 1
            elif char == "`":
                kind, i = "code", i + 1
            else:
                raise _parse_error(
                    f"Character '{char}' is reserved and must be escaped with the preceding '\\'"
                )
            stack.append((kind, out.pos, begin, language))
            continue
        kind, start, begin, language = stack.pop()
        i += {"underline": 2, "spoiler": 2, "pre": 3}.get(kind, 1)
        if kind in ("text_link", "custom_emoji"):
            url = None
            if text[i : i + 1] == "(":
                j, chars = i + 1, []
                while j < n and text[j] != ")":
                    escaped = text[j] == "\\" and j + 1 < n
                    chars.append(text[j + 1] if escaped else text[j])
                    j += 2 if escaped else 1
                if j >= n:
                    raise _parse_error(f"Can't find end of a URL {where(i)}")
                url, i = "".join(chars), j + 1
            if kind == "custom_emoji":
                if not url or not url.startswith("tg://emoji?id="):
                    raise _parse_error(
                        f"Custom emoji entity must contain a tg://emoji URL {where(i)}"
                    )
                out.entity(kind, start, custom_emoji_id=url.removeprefix("tg://emoji?id="))
            elif url:
                out.entity(kind, start, url=url)
        elif kind == "pre" and language:
            out.entity(kind, start, language=language)
        else:
            out.entity(kind, start)
    if stack:
        kind, _, begin, _ = stack[-1]
        raise _parse_error(f"Can't find end of {_MD2_NAMES[kind]} entity {where(begin)}")
    close_quote()
    return out.result()


def _parse_markdown(text: str) -> tuple[str, list[JSON]]:
    """Legacy `Markdown`: *bold* _italic_ `code` ```pre``` [text](url); no other escaping."""
    out = _Out()
    i, n = 0, len(text)
    while i < n:
        char = text[i]
        if char == "\\" and text[i + 1 : i + 2] in ("_", "*", "`", "["):
            out.add(text[i + 1])
            i += 2
            continue
        if char not in "_*`[":
            out.add(char)
            i += 1
            continue
        fence = 3 if text.startswith("```", i) else 1
        closer = "]" if char == "[" else text[i : i + fence]
        end = text.find(closer, i + fence)
        if end < 0:
            offset = len(text[:i].encode())
            raise _parse_error(f"Can't find end of the entity starting at byte offset {offset}")
        start = out.pos
        out.add(text[i + fence : end])
        i = end + fence
        if char == "[":
            close = text.find(")", i + 1) if text[i : i + 1] == "(" else -1
            if close >= 0:
                out.entity("text_link", start, url=text[i + 1 : close])
                i = close + 1
        else:
            out.entity(
                {"*": "bold", "_": "italic", "`": "pre" if fence == 3 else "code"}[char], start
            )
    return out.result()


def _strip(text: str, entities: list[JSON]) -> tuple[str, list[JSON]]:
    """Telegram trims the text; entities are shifted and clipped accordingly."""
    stripped = text.strip()
    shift, size = _u16(text[: len(text) - len(text.lstrip())]), _u16(stripped)
    result = []
    for entity in entities:
        start = max(0, entity["offset"] - shift)
        end = min(size, entity["offset"] + entity["length"] - shift)
        if end > start:
            result.append({**entity, "offset": start, "length": end - start})
    return stripped, result


def _customer_entities(text: str) -> list[JSON]:
    entities = []
    command = re.match(r"/[A-Za-z0-9_]{1,64}(@[A-Za-z0-9_]{3,32})?", text)
    if command:
        entities.append({"type": "bot_command", "offset": 0, "length": _u16(command.group())})
    skip = command.end() if command else 0
    for mention in re.finditer(r"(?<![\w@])@[A-Za-z0-9_]{5,32}", text):
        if mention.start() >= skip:
            offset = _u16(text[: mention.start()])
            entities.append({"type": "mention", "offset": offset, "length": _u16(mention.group())})
    return entities


def _check_markup(markup: Any) -> JSON | None:
    if markup is None:
        return None
    if not isinstance(markup, dict):
        raise _bad("can't parse reply keyboard markup JSON object")
    if "inline_keyboard" in markup:
        rows = markup["inline_keyboard"]
        if not isinstance(rows, list) or not all(isinstance(row, list) for row in rows):
            raise _bad(
                'can\'t parse inline keyboard button: field "inline_keyboard" must be an Array'
            )
        if not any(rows):
            return None  # an empty inline keyboard means no keyboard
        for button in (button for row in rows for button in row):
            if not isinstance(button, dict) or not str(button.get("text") or "").strip():
                raise _bad("can't parse inline keyboard button: Text must be non-empty")
            actions = [key for key in _BUTTON_ACTIONS if key in button]
            if not actions:
                raise _bad(
                    "can't parse inline keyboard button: Text buttons are unallowed in the inline "
                    "keyboard"
                )
            if len(actions) > 1:
                raise _bad("can't parse inline keyboard button: Only one action field is allowed")
            data = button.get("callback_data")
            if "callback_data" in button and not (
                isinstance(data, str) and 1 <= len(data.encode()) <= 64
            ):
                raise _bad("BUTTON_DATA_INVALID")
            url = button.get("url")
            if "url" in button and not (
                isinstance(url, str) and url.startswith(("http://", "https://", "tg://"))
            ):
                raise _bad("BUTTON_URL_INVALID")
    elif "keyboard" in markup:
        rows = markup["keyboard"]
        if not isinstance(rows, list) or not all(isinstance(row, list) for row in rows):
            raise _bad('can\'t parse keyboard: field "keyboard" must be an Array')
    elif not markup.get("remove_keyboard") and not markup.get("force_reply"):
        raise _bad("can't parse reply keyboard markup JSON object")
    return markup


# --------------------------------------------------------------------------------- the server


class FakeTelegram:
    """The fake Bot API server and its world. See the module docstring."""

    def __init__(
        self,
        *,
        token: str = "123456:TEST-TOKEN",
        bot_id: int = 123456,
        bot_username: str = "sportello_test_bot",
        bot_first_name: str = "Sportello",
    ) -> None:
        self.token, self.bot_id, self.bot_username = token, bot_id, bot_username
        self.bot_first_name = bot_first_name
        self.base_url = self.base_file_url = ""
        self.html_strict = True  # reject bare '>' and '&' in HTML (Telegram takes them literally)
        self.webhook_retry_delay = 0.2
        self.webhook_max_attempts = 5
        self.webhook_deliveries: list[tuple[int, int | None]] = []
        self.calls: list[Call] = []
        self.users: dict[int, JSON] = {}
        self.chats: dict[int, JSON] = {}
        self.topics: dict[tuple[int, int], Topic] = {}
        self.commands: dict[tuple[str, str], list[JSON]] = {}  # (scope, language) -> commands
        self.descriptions: dict[str, str] = {}  # language_code ("" = default) -> description
        self.short_descriptions: dict[str, str] = {}
        self._admin_groups: set[int] = set()
        self._members: dict[int, set[int]] = {}
        self._blocked: set[int] = set()
        self._messages: dict[int, dict[int, _Stored]] = {}
        self._next_message_id: dict[int, int] = {}
        self._queue: list[_Queued] = []
        self._last_batch: list[_Queued] = []
        self._last_update_id = 10_000
        self._allowed_updates: set[str] | None = None
        self._callback_queries: dict[str, bool] = {}  # id -> answered
        self._counter = 0
        self._faults: dict[str, deque[_ApiError]] = {}
        self._waiters: list[asyncio.Future[None]] = []
        self._polling = 0
        self._poll_generation = 0
        self._closing = False
        self._webhook: JSON | None = None  # url, secret_token, max_connections
        self._webhook_task: asyncio.Task[None] | None = None
        self._webhook_error: tuple[int, str] | None = None
        self._session: aiohttp.ClientSession | None = None
        self._runner: web.AppRunner | None = None
        # Bot API methods answered: the `_api_<method>` coroutines below, by lower-case name.
        self._methods: dict[str, Callable[[JSON], Awaitable[Any]]] = {
            name.removeprefix("_api_").lower(): getattr(self, name)
            for name in dir(self)
            if name.startswith("_api_")
        }

    # ---------------------------------------------------------------------------- lifecycle

    async def start(self) -> None:
        app = web.Application()
        app.router.add_route("*", "/{tail:.*}", self._handle)
        self._runner = web.AppRunner(
            app, handler_cancellation=True, access_log=None, shutdown_timeout=1.0
        )
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        port = self._runner.addresses[0][1]
        self.base_url = f"http://127.0.0.1:{port}/bot"
        self.base_file_url = f"http://127.0.0.1:{port}/file/bot"
        self._session = aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=10))

    async def stop(self) -> None:
        self._closing = True
        self._fire()  # long polls answer [] at once
        await self._stop_webhook_task()
        if self._session:
            await self._session.close()
        if self._runner:
            await self._runner.cleanup()

    async def __aenter__(self) -> FakeTelegram:
        await self.start()
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.stop()

    # -------------------------------------------------------------------------------- world

    @property
    def bot_user(self) -> JSON:
        return {
            "id": self.bot_id,
            "is_bot": True,
            "first_name": self.bot_first_name,
            "username": self.bot_username,
        }

    def add_user(
        self,
        user_id: int,
        first_name: str = "Anna",
        language_code: str | None = "it",
        username: str | None = None,
    ) -> JSON:
        user: JSON = {"id": user_id, "is_bot": False, "first_name": first_name}
        if username:
            user["username"] = username
        if language_code:
            user["language_code"] = language_code
        self.users[user_id] = user
        return copy.deepcopy(user)

    def add_private_chat(self, user_id: int) -> JSON:
        user = self.users.get(user_id) or self.add_user(user_id)
        chat = {"id": user_id, "type": "private", "first_name": user["first_name"]}
        if user.get("username"):
            chat["username"] = user["username"]
        self.chats[user_id] = chat
        return copy.deepcopy(chat)

    def add_group(
        self,
        chat_id: int,
        title: str,
        *,
        bot_is_admin: bool = False,
        is_forum: bool = False,
        username: str | None = None,
    ) -> JSON:
        chat: JSON = {"id": chat_id, "type": "supergroup", "title": title}
        if is_forum:
            chat["is_forum"] = True
        if username:
            chat["username"] = username
        self.chats[chat_id] = chat
        self._members.setdefault(chat_id, set())
        self.set_bot_admin(chat_id, bot_is_admin)
        return copy.deepcopy(chat)

    def set_bot_admin(self, chat_id: int, is_admin: bool = True) -> None:
        (self._admin_groups.add if is_admin else self._admin_groups.discard)(chat_id)

    def set_blocked(self, user_id: int, blocked: bool = True) -> None:
        """The user blocked the bot: messages to their chat get 403 Forbidden."""
        (self._blocked.add if blocked else self._blocked.discard)(user_id)

    # ------------------------------------------------------------------- what customers do

    def send_text(
        self,
        chat_id: int,
        user_id: int,
        text: str,
        *,
        reply_to_message_id: int | None = None,
        message_thread_id: int | None = None,
    ) -> JSON:
        content: JSON = {"text": text}
        entities = _customer_entities(text)
        if entities:
            content["entities"] = entities
        return self._customer_message(
            chat_id, user_id, content, reply_to_message_id, message_thread_id
        )

    def edit_text(self, chat_id: int, message_id: int, new_text: str) -> JSON:
        stored = self._messages.get(chat_id, {}).get(message_id)
        if stored is None or stored.from_bot or stored.deleted or "text" not in stored.message:
            raise ValueError(f"no customer text message {message_id} in chat {chat_id}")
        message = stored.message
        message.update(text=new_text, edit_date=int(time.time()))
        message.pop("entities", None)
        entities = _customer_entities(new_text)
        if entities:
            message["entities"] = entities
        return self._queue_update({"edited_message": copy.deepcopy(message)})

    def send_photo(self, chat_id: int, user_id: int, caption: str | None = None) -> JSON:
        n = self._next()
        photo = [
            {"file_id": f"fake-photo-{n}-s", "file_unique_id": f"ph{n}s", "width": 90,
             "height": 67, "file_size": 1_300},
            {"file_id": f"fake-photo-{n}-m", "file_unique_id": f"ph{n}m", "width": 800,
             "height": 600, "file_size": 54_000},
        ]  # fmt: skip
        return self._customer_message(chat_id, user_id, {"photo": photo}, caption=caption)

    def send_document(
        self, chat_id: int, user_id: int, file_name: str = "scan.pdf", caption: str | None = None
    ) -> JSON:
        n = self._next()
        mime = mimetypes.guess_type(file_name)[0] or "application/octet-stream"
        document = {"file_id": f"fake-document-{n}", "file_unique_id": f"doc{n}",
                    "file_name": file_name, "mime_type": mime, "file_size": 120_000}  # fmt: skip
        return self._customer_message(chat_id, user_id, {"document": document}, caption=caption)

    def send_voice(self, chat_id: int, user_id: int) -> JSON:
        n = self._next()
        voice = {"file_id": f"fake-voice-{n}", "file_unique_id": f"voice{n}", "duration": 3,
                 "mime_type": "audio/ogg", "file_size": 9_000}  # fmt: skip
        return self._customer_message(chat_id, user_id, {"voice": voice})

    def send_sticker(self, chat_id: int, user_id: int) -> JSON:
        n = self._next()
        sticker = {"file_id": f"fake-sticker-{n}", "file_unique_id": f"st{n}", "type": "regular",
                   "width": 512, "height": 512, "is_animated": False, "is_video": False,
                   "emoji": "\N{THUMBS UP SIGN}", "file_size": 20_000}  # fmt: skip
        return self._customer_message(chat_id, user_id, {"sticker": sticker})

    def press_button(self, chat_id: int, user_id: int, message_id: int, callback_data: str) -> JSON:
        """A callback query on the bot's message (the data is not checked against its keyboard,
        so forged data can be tested)."""
        stored = self._messages.get(chat_id, {}).get(message_id)
        if stored is None or not stored.from_bot or stored.deleted:
            raise ValueError(f"no bot message {message_id} in chat {chat_id}")
        user = self._ensure_user(user_id)
        query_id = str(4_200_000_000_000_000 + self._next())
        self._callback_queries[query_id] = False
        query = {"id": query_id, "from": user, "message": copy.deepcopy(stored.message),
                 "chat_instance": str(abs(chat_id) * 31 + 7), "data": callback_data}  # fmt: skip
        return self._queue_update({"callback_query": query})

    def push_update(self, update: JSON) -> JSON:
        """Queue a raw update (an update_id is added when missing). Its message, chat, user and
        callback query id are registered, so the bot can reply to it or answer it."""
        update = copy.deepcopy(update)
        message = next((update[k] for k in ("message", "edited_message") if k in update), None)
        if isinstance(message, dict) and isinstance(message.get("chat"), dict):
            chat = message["chat"]
            self.chats.setdefault(chat["id"], chat)
            if isinstance(message.get("from"), dict):
                self.users.setdefault(message["from"]["id"], message["from"])
            if "message_id" in message:
                stored = self._messages.setdefault(chat["id"], {})
                stored.setdefault(message["message_id"], _Stored(copy.deepcopy(message), False))
                following = max(self._next_message_id.get(chat["id"], 1), message["message_id"] + 1)
                self._next_message_id[chat["id"]] = following
        if isinstance(update.get("callback_query"), dict) and "id" in update["callback_query"]:
            self._callback_queries.setdefault(str(update["callback_query"]["id"]), False)
        return self._queue_update(update)

    @property
    def pending_updates(self) -> int:
        return len(self._queue)

    # ------------------------------------------------------------------------- observation

    def calls_to(
        self, method: str, *, ok: bool | None = None, chat_id: int | None = None
    ) -> list[Call]:
        return [
            call
            for call in self.calls
            if call.method == method
            and (ok is None or call.ok == ok)
            and (chat_id is None or call.chat_id == chat_id)
        ]

    async def wait_for(
        self,
        method: str,
        count: int = 1,
        *,
        chat_id: int | None = None,
        ok: bool | None = True,
        timeout: float = 15,
    ) -> list[Call]:
        """Wait until at least `count` matching calls were answered (counting from the start)."""
        deadline = asyncio.get_running_loop().time() + timeout
        while len(found := self.calls_to(method, ok=ok, chat_id=chat_id)) < count:
            remaining = deadline - asyncio.get_running_loop().time()
            if remaining <= 0:
                seen = ", ".join(
                    f"{c.method}:{c.status}" + (f" ({c.description})" if c.description else "")
                    for c in self.calls[-40:]
                )
                raise AssertionError(
                    f"expected {count} {method} call(s) (chat_id={chat_id}, ok={ok}) within "
                    f"{timeout}s, got {len(found)}; calls seen: {seen or 'none'}"
                )
            await self._changed(remaining)
        return found

    async def wait_polling(self, timeout: float = 15) -> None:
        """Wait until a getUpdates long poll is parked on the server (the bot is listening)."""
        deadline = asyncio.get_running_loop().time() + timeout
        while not self._polling:
            remaining = deadline - asyncio.get_running_loop().time()
            if remaining <= 0:
                raise AssertionError(f"no getUpdates long poll within {timeout}s")
            await self._changed(remaining)

    def bot_messages(self, chat_id: int, *, include_deleted: bool = False) -> list[JSON]:
        return [
            copy.deepcopy(stored.message)
            for stored in self._messages.get(chat_id, {}).values()
            if stored.from_bot and not stored.service and (include_deleted or not stored.deleted)
        ]

    def message(self, chat_id: int, message_id: int) -> JSON | None:
        stored = self._messages.get(chat_id, {}).get(message_id)
        return copy.deepcopy(stored.message) if stored else None

    def is_deleted(self, chat_id: int, message_id: int) -> bool:
        stored = self._messages.get(chat_id, {}).get(message_id)
        return bool(stored and stored.deleted)

    # ---------------------------------------------------------------------- fault injection

    def fail_next(
        self,
        method: str,
        *,
        status: int = 429,
        times: int = 1,
        retry_after: int | None = 1,
        description: str | None = None,
    ) -> None:
        parameters = None
        if status == 429:
            default = "Too Many Requests"
            if retry_after is not None:
                default += f": retry after {retry_after}"
                parameters = {"retry_after": retry_after}
        else:
            default = _FAULT_DESCRIPTIONS.get(status) or HTTPStatus(status).phrase
        faults = self._faults.setdefault(method.lower(), deque())
        for _ in range(times):
            faults.append(_ApiError(status, description or default, parameters))

    # ----------------------------------------------------------------------- HTTP plumbing

    async def _handle(self, request: web.Request) -> web.StreamResponse:
        at = time.monotonic()
        params = await self._read_params(request)
        match = re.fullmatch(r"/(file/)?bot([^/]+)/(.+)", request.path)
        method = match.group(3) if match else request.path
        handler = self._methods.get(method.lower())
        if match and match.group(1):
            method, handler, params = "downloadFile", None, {**params, "file_path": match.group(3)}
        elif handler:
            method = handler.__name__.removeprefix("_api_")
        result: Any = None
        try:
            if not match:
                raise _ApiError(404, "Not Found")
            if match.group(2) != self.token:
                raise _ApiError(401, "Unauthorized")
            if handler is None:
                raise _ApiError(404, "Not Found")
            faults = self._faults.get(method.lower())
            if faults:
                raise faults.popleft()
            try:
                result = await handler(params)
            except _ApiError:
                raise
            except Exception as crash:  # a bug in the fake: answer 500 and record it
                raise _ApiError(
                    500, f"Internal Server Error: the fake crashed: {crash!r}"
                ) from None
        except _ApiError as error:
            body: JSON = {"ok": False, "error_code": error.status, "description": error.description}
            if error.parameters:
                body["parameters"] = error.parameters
            call = Call(method, params, error.status, at, False, description=error.description)
        else:
            body = {"ok": True, "result": result}
            if isinstance(result, _Described):
                body = {"ok": True, "result": result.result, "description": result.description}
                result = result.result
            call = Call(method, params, 200, at, True, result=result)
        self.calls.append(call)
        self._fire()
        return web.json_response(body, status=call.status)

    @staticmethod
    async def _read_params(request: web.Request) -> JSON:
        raw: dict[str, Any] = dict(request.query)
        if request.method == "POST" and request.can_read_body:
            if request.content_type == "application/json":
                with contextlib.suppress(ValueError):
                    body = await request.json()
                    raw.update(body if isinstance(body, dict) else {})
            else:
                for name, value in (await request.post()).items():
                    if isinstance(value, web.FileField):
                        raw[name] = {"file_name": value.filename, "size": len(value.file.read()),
                                     "content_type": value.content_type}  # fmt: skip
                    else:
                        raw[name] = value
        return {name: _decode_param(name, value) for name, value in raw.items()}

    def _fire(self) -> None:
        for waiter in self._waiters:
            if not waiter.done():
                waiter.set_result(None)

    async def _changed(self, timeout: float) -> None:
        waiter: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._waiters.append(waiter)
        try:
            await asyncio.wait_for(waiter, timeout)
        except asyncio.TimeoutError:
            pass
        finally:
            self._waiters.remove(waiter)

    def _next(self) -> int:
        self._counter += 1
        return self._counter

    # ---------------------------------------------------------------------- world helpers

    def _ensure_user(self, user_id: int) -> JSON:
        if user_id not in self.users:
            self.add_user(user_id)
        return copy.deepcopy(self.users[user_id])

    def _customer_message(
        self,
        chat_id: int,
        user_id: int,
        content: JSON,
        reply_to_message_id: int | None = None,
        message_thread_id: int | None = None,
        *,
        caption: str | None = None,
    ) -> JSON:
        user = self._ensure_user(user_id)
        if chat_id not in self.chats:
            if chat_id != user_id:
                raise ValueError(f"unknown chat {chat_id}: call add_group() first")
            self.add_private_chat(user_id)
        chat = self.chats[chat_id]
        if chat["type"] == "private" and chat_id != user_id:
            raise ValueError(f"user {user_id} cannot write in the private chat of {chat_id}")
        if message_thread_id is not None and (chat_id, message_thread_id) not in self.topics:
            raise ValueError(f"no topic {message_thread_id} in chat {chat_id}")
        replied = self._messages.get(chat_id, {}).get(reply_to_message_id or 0)
        if reply_to_message_id is not None and (replied is None or replied.deleted):
            raise ValueError(f"no message {reply_to_message_id} in chat {chat_id}")
        self._members.setdefault(chat_id, set()).add(user_id)
        message: JSON = {"message_id": self._new_message_id(chat_id), "from": user,
                         "chat": copy.deepcopy(chat), "date": int(time.time())}  # fmt: skip
        message.update(content)
        if caption is not None:
            message["caption"] = caption
        if message_thread_id is not None:
            message.update(message_thread_id=message_thread_id, is_topic_message=True)
        if replied is not None:
            message["reply_to_message"] = self._shallow(replied.message)
        self._messages.setdefault(chat_id, {})[message["message_id"]] = _Stored(message, False)
        return self._queue_update({"message": copy.deepcopy(message)})

    def _new_message_id(self, chat_id: int) -> int:
        message_id = self._next_message_id.get(chat_id, 1)
        self._next_message_id[chat_id] = message_id + 1
        return message_id

    @staticmethod
    def _shallow(message: JSON) -> JSON:
        replied = copy.deepcopy(message)
        replied.pop("reply_to_message", None)
        return replied

    def _queue_update(self, update: JSON) -> JSON:
        update_id = update.get("update_id")
        if update_id is None:
            update_id = update["update_id"] = self._last_update_id + 1
        fresh = update_id > self._last_update_id
        self._last_update_id = max(self._last_update_id, update_id)
        self._queue.append(_Queued(update, fresh))
        self._fire()
        return copy.deepcopy(update)

    def _is_allowed(self, update: JSON) -> bool:
        kind = next((key for key in update if key != "update_id"), "")
        if self._allowed_updates:
            return kind in self._allowed_updates
        return kind not in _DEFAULT_EXCLUDED_UPDATES

    # ------------------------------------------------------------------ parameter helpers

    def _chat(self, params: JSON, name: str = "chat_id") -> JSON:
        value = params.get(name)
        if value is None or value == "":
            raise _bad("chat_id is empty")
        if isinstance(value, str) and value.startswith("@"):
            found = [c for c in self.chats.values() if c.get("username") == value[1:]]
            if found and found[0]["type"] != "private":
                return found[0]
        elif isinstance(value, int) and value in self.chats:
            return self.chats[value]
        raise _bad("chat not found")

    @staticmethod
    def _int(params: JSON, name: str, *, required: bool = True) -> int | None:
        value = params.get(name)
        if value is None:
            if required:
                raise _bad(f'parameter "{name}" is required')
            return None
        if isinstance(value, bool) or not isinstance(value, int):
            raise _bad(f'field "{name}" must be of type Integer')
        return value

    def _writable(self, chat: JSON) -> None:
        if chat["type"] == "private" and chat["id"] in self._blocked:
            raise _ApiError(403, "Forbidden: bot was blocked by the user")

    def _thread(self, chat: JSON, params: JSON) -> int | None:
        thread_id = self._int(params, "message_thread_id", required=False)
        if thread_id is None:
            return None
        topic = self.topics.get((chat["id"], thread_id)) if chat.get("is_forum") else None
        if topic is None:
            raise _bad("message thread not found")
        if topic.closed:
            raise _bad("TOPIC_CLOSED")
        return thread_id

    def _replied(self, chat: JSON, params: JSON) -> JSON | None:
        reply = params.get("reply_parameters")
        if reply is None and params.get("reply_to_message_id") is not None:
            legacy = params.get("allow_sending_without_reply")
            reply = {"message_id": params["reply_to_message_id"],
                     "allow_sending_without_reply": legacy}  # fmt: skip
        if reply is None:
            return None
        if not isinstance(reply, dict):
            raise _bad("can't parse reply parameters JSON object")
        chat_id = self._chat(reply)["id"] if "chat_id" in reply else chat["id"]
        stored = self._messages.get(chat_id, {}).get(self._int(reply, "message_id") or 0)
        if stored is None or stored.deleted:
            if reply.get("allow_sending_without_reply") is True:
                return None
            raise _bad("message to be replied not found")
        return self._shallow(stored.message)

    def _text(self, params: JSON) -> tuple[str, list[JSON]]:
        raw = params.get("text")
        if raw is None:
            raise _bad("message text is empty")
        raw, mode = str(raw), str(params.get("parse_mode") or "").lower()
        if mode == "html":
            text, entities = _parse_html(raw, strict=self.html_strict)
        elif mode == "markdownv2":
            text, entities = _parse_markdown_v2(raw)
        elif mode == "markdown":
            text, entities = _parse_markdown(raw)
        elif mode:
            raise _bad("unsupported parse_mode")
        else:
            given = params.get("entities")
            text, entities = raw, given if isinstance(given, list) else []
        text, entities = _strip(text, entities)
        if not text:
            raise _bad("message text is empty")
        if _u16(text) > MAX_TEXT_LENGTH:
            raise _bad("message is too long")
        return text, entities

    def _bot_message(self, params: JSON, *, editing_text: bool) -> _Stored:
        chat = self._chat(params)
        if params.get("inline_message_id") is not None:
            raise _bad("inline messages are not supported by this fake")
        message_id = self._int(params, "message_id")
        stored = self._messages.get(chat["id"], {}).get(message_id or 0)
        if stored is None or stored.deleted:
            raise _bad("message to edit not found")
        if not stored.from_bot or stored.service or (editing_text and "text" not in stored.message):
            raise _bad("message can't be edited")
        return stored

    def _group(self, params: JSON, *, forum: bool = False) -> JSON:
        chat = self._chat(params)
        if forum and not chat.get("is_forum"):
            raise _bad("the chat is not a forum")
        return chat

    def _topic(self, params: JSON) -> tuple[int, int, Topic]:
        chat = self._group(params, forum=True)
        thread_id = self._int(params, "message_thread_id") or 0
        topic = self.topics.get((chat["id"], thread_id))
        if topic is None:
            raise _bad("TOPIC_ID_INVALID")
        if chat["id"] not in self._admin_groups:
            raise _bad("not enough rights to manage topics")
        return chat["id"], thread_id, topic

    def _member(self, chat: JSON, user_id: int) -> JSON:
        if user_id == self.bot_id:
            if chat["id"] in self._admin_groups:
                return {"status": "administrator", "user": self.bot_user, "can_be_edited": False,
                        "is_anonymous": False, "can_manage_chat": True, "can_delete_messages": True,
                        "can_manage_video_chats": True, "can_restrict_members": True,
                        "can_promote_members": False, "can_change_info": True,
                        "can_invite_users": True, "can_post_stories": True,
                        "can_edit_stories": True, "can_delete_stories": True,
                        "can_pin_messages": True, "can_manage_topics": True}  # fmt: skip
            return {"status": "member", "user": self.bot_user}
        if user_id not in self.users:
            raise _bad("user not found")
        member = chat["id"] == user_id or user_id in self._members.get(chat["id"], set())
        return {"status": "member" if member else "left", "user": self.users[user_id]}

    # ------------------------------------------------------------------------ API methods
    # (_api_<Bot API method name>; each takes the decoded parameters)

    async def _api_getMe(self, params: JSON) -> Any:
        return {**self.bot_user, "can_join_groups": True, "can_read_all_group_messages": False,
                "supports_inline_queries": False, "can_connect_to_business": False,
                "has_main_web_app": False}  # fmt: skip

    async def _api_getUpdates(self, params: JSON) -> Any:
        if self._webhook:
            raise _ApiError(
                409,
                "Conflict: can't use getUpdates method while webhook is active; use "
                "deleteWebhook to delete the webhook first",
            )
        offset = self._int(params, "offset", required=False)
        limit = min(100, max(1, self._int(params, "limit", required=False) or 100))
        timeout = max(0.0, float(params.get("timeout") or 0))
        if isinstance(params.get("allowed_updates"), list):
            self._allowed_updates = set(params["allowed_updates"])
        if offset is not None and offset < 0:
            del self._queue[: max(0, len(self._queue) + offset)]
        elif offset is not None:
            batch = self._last_batch
            done = (
                {id(q) for q in batch}
                if batch and offset > batch[-1].update["update_id"]
                else set()
            )
            self._queue = [
                q
                for q in self._queue
                if id(q) not in done
                and not (q.update["update_id"] < offset and (q.delivered or q.fresh))
            ]
            self._last_batch = [] if done else batch
        self._poll_generation += 1
        generation = self._poll_generation
        self._fire()  # an older long poll gets "terminated by other getUpdates request"
        deadline = asyncio.get_running_loop().time() + timeout
        self._polling += 1
        self._fire()
        try:
            while True:
                self._queue = [q for q in self._queue if self._is_allowed(q.update)]
                batch = self._queue[:limit]
                if batch or self._closing or self._webhook:
                    break
                if generation != self._poll_generation:
                    raise _ApiError(
                        409,
                        "Conflict: terminated by other getUpdates request; make sure that only "
                        "one bot instance is running",
                    )
                remaining = deadline - asyncio.get_running_loop().time()
                if remaining <= 0:
                    break
                await self._changed(remaining)
        finally:
            self._polling -= 1
        for queued in batch:
            queued.delivered = True
        self._last_batch = list(batch)
        return [copy.deepcopy(queued.update) for queued in batch]

    async def _api_setWebhook(self, params: JSON) -> Any:
        url = str(params.get("url") or "")
        if not url:
            return await self._api_deleteWebhook(params)
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or parts.hostname not in _LOOPBACK:
            raise _bad("bad webhook: this fake only delivers webhooks to loopback http(s) URLs")
        secret = params.get("secret_token")
        if secret is not None and not re.fullmatch(r"[A-Za-z0-9_-]{1,256}", str(secret)):
            raise _bad("bad webhook: secret token contains unallowed characters")
        if params.get("drop_pending_updates") is True:
            self._queue.clear()
        if isinstance(params.get("allowed_updates"), list):
            self._allowed_updates = set(params["allowed_updates"])
        already = self._webhook is not None and self._webhook["url"] == url
        self._webhook = {"url": url, "secret_token": secret,
                         "max_connections": params.get("max_connections") or 40}  # fmt: skip
        if self._webhook_task is None or self._webhook_task.done():
            self._webhook_task = asyncio.create_task(self._deliver_webhooks())
        self._fire()
        return _Described(True, "Webhook is already set" if already else "Webhook was set")

    async def _api_deleteWebhook(self, params: JSON) -> Any:
        existed = self._webhook is not None
        self._webhook = None
        await self._stop_webhook_task()
        if params.get("drop_pending_updates") is True:
            self._queue.clear()
        return _Described(True, "Webhook was deleted" if existed else "Webhook is already deleted")

    async def _api_getWebhookInfo(self, params: JSON) -> Any:
        info: JSON = {"url": "", "has_custom_certificate": False,
                      "pending_update_count": len(self._queue)}  # fmt: skip
        if self._webhook:
            info.update(url=self._webhook["url"], max_connections=self._webhook["max_connections"])
            if self._allowed_updates:
                info["allowed_updates"] = sorted(self._allowed_updates)
            if self._webhook_error:
                info.update(last_error_date=self._webhook_error[0],
                            last_error_message=self._webhook_error[1])  # fmt: skip
        return info

    async def _api_logOut(self, params: JSON) -> Any:
        return True

    async def _api_close(self, params: JSON) -> Any:
        return True

    async def _api_sendMessage(self, params: JSON) -> Any:
        chat = self._chat(params)
        self._writable(chat)
        thread_id = self._thread(chat, params)
        replied = self._replied(chat, params)
        text, entities = self._text(params)
        markup = _check_markup(params.get("reply_markup"))
        message: JSON = {"message_id": self._new_message_id(chat["id"]), "from": self.bot_user,
                         "chat": copy.deepcopy(chat), "date": int(time.time()),
                         "text": text}  # fmt: skip
        if entities:
            message["entities"] = entities
        if thread_id is not None:
            message.update(message_thread_id=thread_id, is_topic_message=True)
        if replied:
            message["reply_to_message"] = replied
        if markup and "inline_keyboard" in markup:
            message["reply_markup"] = markup
        self._messages.setdefault(chat["id"], {})[message["message_id"]] = _Stored(message, True)
        return copy.deepcopy(message)

    async def _api_editMessageText(self, params: JSON) -> Any:
        stored = self._bot_message(params, editing_text=True)
        text, entities = self._text(params)
        markup = _check_markup(params.get("reply_markup"))
        return self._edit(stored, {"text": text, "entities": entities, "reply_markup": markup})

    async def _api_editMessageReplyMarkup(self, params: JSON) -> Any:
        stored = self._bot_message(params, editing_text=False)
        markup = _check_markup(params.get("reply_markup"))
        if markup is not None and "inline_keyboard" not in markup:
            raise _bad("inline keyboard expected")
        return self._edit(stored, {"reply_markup": markup})

    def _edit(self, stored: _Stored, changes: JSON) -> JSON:
        """Apply changes (None/empty removes the field); the real API removes the inline
        keyboard when editMessageText has no reply_markup."""
        message = stored.message
        if all(message.get(key) == (value or None) for key, value in changes.items()):
            raise _bad(_NOT_MODIFIED)
        for key, value in changes.items():
            if value:
                message[key] = value
            else:
                message.pop(key, None)
        message["edit_date"] = int(time.time())
        return copy.deepcopy(message)

    async def _api_deleteMessage(self, params: JSON) -> Any:
        chat = self._chat(params)
        stored = self._messages.get(chat["id"], {}).get(self._int(params, "message_id") or 0)
        if stored is None or stored.deleted:
            raise _bad("message to delete not found")
        others = chat["type"] != "private" and not stored.from_bot
        if others and chat["id"] not in self._admin_groups:
            raise _bad("message can't be deleted")
        stored.deleted = True
        return True

    async def _api_deleteMessages(self, params: JSON) -> Any:
        chat = self._chat(params)
        ids = params.get("message_ids")
        if not isinstance(ids, list) or not 1 <= len(ids) <= 100:
            raise _bad("message identifiers are not specified")
        for message_id in ids:
            with contextlib.suppress(_ApiError):
                await self._api_deleteMessage({"chat_id": chat["id"], "message_id": message_id})
        return True

    async def _api_answerCallbackQuery(self, params: JSON) -> Any:
        query_id = str(params.get("callback_query_id") or "")
        if self._callback_queries.get(query_id, True):
            raise _bad("query is too old and response timeout expired or query ID is invalid")
        if len(str(params.get("text") or "")) > 200:
            raise _bad("MESSAGE_TOO_LONG")
        self._callback_queries[query_id] = True
        return True

    async def _api_sendChatAction(self, params: JSON) -> Any:
        chat = self._chat(params)
        self._writable(chat)
        self._thread(chat, params)
        if params.get("action") not in _CHAT_ACTIONS:
            raise _bad("wrong parameter action in request")
        return True

    @staticmethod
    def _scope_key(params: JSON) -> tuple[str, str]:
        scope = params.get("scope")
        scope = scope if isinstance(scope, dict) else {}
        key = ":".join(str(scope[k]) for k in ("type", "chat_id", "user_id") if k in scope)
        return key or "default", str(params.get("language_code") or "")

    async def _api_setMyCommands(self, params: JSON) -> Any:
        commands = params.get("commands")
        if not isinstance(commands, list) or len(commands) > 100:
            raise _bad("can't parse commands JSON object")
        for command in commands:
            if not isinstance(command, dict):
                raise _bad("can't parse commands JSON object")
            if not re.fullmatch(r"[a-z0-9_]{1,32}", str(command.get("command", ""))):
                raise _bad("BOT_COMMAND_INVALID")
            if not 1 <= len(str(command.get("description", "")).strip()) <= 256:
                raise _bad("BOT_COMMAND_DESCRIPTION_INVALID")
        self.commands[self._scope_key(params)] = commands
        return True

    async def _api_getMyCommands(self, params: JSON) -> Any:
        return self.commands.get(self._scope_key(params), [])

    async def _api_deleteMyCommands(self, params: JSON) -> Any:
        self.commands.pop(self._scope_key(params), None)
        return True

    def _describe(self, store: dict[str, str], params: JSON, name: str, limit: int) -> bool:
        value, language = str(params.get(name) or ""), str(params.get("language_code") or "")
        if len(value) > limit:
            raise _bad(f"{name} is too long")
        if value:
            store[language] = value
        else:
            store.pop(language, None)
        return True

    async def _api_setMyDescription(self, params: JSON) -> Any:
        return self._describe(self.descriptions, params, "description", 512)

    async def _api_getMyDescription(self, params: JSON) -> Any:
        language = str(params.get("language_code") or "")
        return {"description": self.descriptions.get(language, "")}

    async def _api_setMyShortDescription(self, params: JSON) -> Any:
        return self._describe(self.short_descriptions, params, "short_description", 120)

    async def _api_getMyShortDescription(self, params: JSON) -> Any:
        language = str(params.get("language_code") or "")
        return {"short_description": self.short_descriptions.get(language, "")}

    async def _api_getChat(self, params: JSON) -> Any:
        gifts = dict.fromkeys(("unlimited_gifts", "limited_gifts", "unique_gifts",
                               "premium_subscription", "gifts_from_channels"), True)  # fmt: skip
        return {**self._chat(params), "accent_color_id": 0, "max_reaction_count": 11,
                "accepted_gift_types": gifts}  # fmt: skip

    async def _api_getChatMember(self, params: JSON) -> Any:
        return self._member(self._chat(params), self._int(params, "user_id") or 0)

    async def _api_getChatAdministrators(self, params: JSON) -> Any:
        chat = self._chat(params)
        if chat["type"] == "private":
            raise _bad("there are no administrators in the private chat")
        return [self._member(chat, self.bot_id)] if chat["id"] in self._admin_groups else []

    async def _api_createForumTopic(self, params: JSON) -> Any:
        chat = self._group(params, forum=True)
        if chat["id"] not in self._admin_groups:
            raise _bad("not enough rights to create a topic")
        name = str(params.get("name") or "")
        if not 1 <= len(name) <= 128:
            raise _bad("TOPIC_NAME_INVALID")
        color = self._int(params, "icon_color", required=False) or 7322096
        if color not in _TOPIC_COLORS:
            raise _bad("TOPIC_ICON_COLOR_INVALID")
        emoji = params.get("icon_custom_emoji_id")
        thread_id = self._new_message_id(chat["id"])
        self.topics[(chat["id"], thread_id)] = Topic(name, color, icon_custom_emoji_id=emoji)
        created = {"message_id": thread_id, "from": self.bot_user, "chat": copy.deepcopy(chat),
                   "date": int(time.time()), "message_thread_id": thread_id,
                   "is_topic_message": True,
                   "forum_topic_created": {"name": name, "icon_color": color}}  # fmt: skip
        self._messages.setdefault(chat["id"], {})[thread_id] = _Stored(created, True, service=True)
        topic = {"message_thread_id": thread_id, "name": name, "icon_color": color}
        return {**topic, "icon_custom_emoji_id": emoji} if emoji else topic

    async def _api_editForumTopic(self, params: JSON) -> Any:
        _, _, topic = self._topic(params)
        name, emoji = params.get("name"), params.get("icon_custom_emoji_id")
        if name is not None and not 1 <= len(str(name)) <= 128:
            raise _bad("TOPIC_NAME_INVALID")
        new_name = str(name) if name else topic.name
        new_emoji = topic.icon_custom_emoji_id if emoji is None else str(emoji) or None
        if (new_name, new_emoji) == (topic.name, topic.icon_custom_emoji_id):
            raise _bad("TOPIC_NOT_MODIFIED")
        topic.name, topic.icon_custom_emoji_id = new_name, new_emoji
        return True

    async def _api_closeForumTopic(self, params: JSON) -> Any:
        return self._set_closed(params, True)

    async def _api_reopenForumTopic(self, params: JSON) -> Any:
        return self._set_closed(params, False)

    def _set_closed(self, params: JSON, closed: bool) -> bool:
        _, _, topic = self._topic(params)
        if topic.closed == closed:
            raise _bad("TOPIC_NOT_MODIFIED")
        topic.closed = closed
        return True

    async def _api_deleteForumTopic(self, params: JSON) -> Any:
        chat_id, thread_id, _ = self._topic(params)
        del self.topics[(chat_id, thread_id)]
        for stored in self._messages.get(chat_id, {}).values():
            if stored.message.get("message_thread_id") == thread_id:
                stored.deleted = True
        return True

    async def _api_getFile(self, params: JSON) -> Any:
        raise _bad("file access is disabled in this fake")

    # ------------------------------------------------------------------------------ webhook

    async def _deliver_webhooks(self) -> None:
        """POST the queued updates to the webhook, in order, one at a time."""
        while self._webhook and not self._closing:
            self._queue = [q for q in self._queue if self._is_allowed(q.update)]
            if not self._queue:
                await self._changed(3600)
                continue
            queued = self._queue[0]
            for attempt in range(1, self.webhook_max_attempts + 1):
                status = await self._post_update(queued.update)
                self.webhook_deliveries.append((queued.update["update_id"], status))
                self._fire()
                if status is not None and 200 <= status < 300:
                    break
                if attempt < self.webhook_max_attempts:
                    await asyncio.sleep(self.webhook_retry_delay)
            if queued in self._queue:
                self._queue.remove(queued)  # delivered, or given up after the last attempt

    async def _post_update(self, update: JSON) -> int | None:
        assert self._webhook is not None and self._session is not None
        headers = {}
        if self._webhook["secret_token"]:
            headers["X-Telegram-Bot-Api-Secret-Token"] = str(self._webhook["secret_token"])
        try:
            async with self._session.post(
                self._webhook["url"], json=update, headers=headers
            ) as response:
                await response.read()
                if response.status >= 300:
                    message = (
                        f"Wrong response from the webhook: {response.status} {response.reason}"
                    )
                    self._webhook_error = (int(time.time()), message)
                return response.status
        except (aiohttp.ClientError, asyncio.TimeoutError) as error:
            self._webhook_error = (int(time.time()), f"Connection failed: {error}")
            return None

    async def _stop_webhook_task(self) -> None:
        task, self._webhook_task = self._webhook_task, None
        if task and not task.done():
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
