"""Fuzzing the gateway's doors: the REST endpoint, the outbox, Telegram's webhook and the agent
page's JSON API, on the real app (create_app, the pipeline, the database, the Telegram channel
against the fake Bot API server) with a canned assistant in Rasa's place: no model needed.

Whatever arrives (random bytes, random JSON, nesting 5,000+ levels deep, bodies around the
256 KiB limit, every Unicode category, wrong types): never a 5xx, every 4xx a JSON
`{"error": ...}`, a body of the documented shape answered and its turn stored. Afterwards the
gateway still answers normally, and text UTF-8 cannot encode (a lone surrogate) is stored with
U+FFFD in its place.

The corpus comes from a fixed seed and Hypothesis runs derandomized: the same requests on
every run.
"""

from __future__ import annotations

import asyncio
import functools
import itertools
import json
import logging
import random
import sqlite3
import sys
import unicodedata
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import pytest
import pytest_asyncio
from aiohttp.test_utils import TestClient, TestServer
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import bot.app
from bot import store
from bot.app import open_pipeline
from bot.channels._door import clean_text
from bot.channels.agent_page import MAX_AGENT_CHARS, MAX_ID
from bot.channels.telegram import SECRET_HEADER, WEBHOOK_PATH, TelegramChannel
from bot.channels.web import MAX_BODY_BYTES, MAX_SENDER_CHARS, create_app
from bot.pipeline import Pipeline
from bot.rasa_bridge.client import AssistantAnswer, RasaClient
from bot.settings import Settings
from tests.channels.telegram.conftest import TelegramWorld
from tests.fakes.telegram_api import FakeTelegram

pytestmark = pytest.mark.asyncio(loop_scope="module")

SEED = 319
REST = "/webhooks/rest/webhook"
OUTBOX = "/webhooks/rest/outbox"
AGENT_API = "/agent/api/handovers"
SECRET = "fuzz-secret_319"
CANNED = "Ciao! Sono Sportello."
CUSTOMER = 900_001  # the Telegram user the fuzzed updates come from
AFTER = 900_002  # a Telegram user who writes after the fuzzing
FUZZ = settings(
    max_examples=120,
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
# Characters that broke, or could break, something: NUL, lone surrogates, bidirectional
# controls, joiners, BOM and non-characters, combining marks, markup and quoting.
SPECIALS = [
    "\0", "\ud800", "\udbff", "\udc00", "\udfff", "\ud83d", "\udc80",
    "\u200f", "\u200e", "\u202e", "\u2067", "\u061c", "\u200d", "\u200b", "\ufeff", "\ufffe",
    "\uffff", "\U0010ffff", "\ufffd", "e\u0301", "a" + "\u0301" * 200, "👩‍👩‍👧", "🏳️‍🌈",
    "👍🏽", "\r\n", "\t", "\x1b[31m", "\x7f", "\u2028", "\u2029", "\u00a0", "<b>x</b>",
    "<script>alert(1)</script>", '"', "\\", "%00", "'; DROP TABLE turns; --", "مرحبا",
    "שלום", "𝕮𝖎𝖆𝖔", "Ⅻ", "٣", "ǅ",
]  # fmt: skip
CONTENT_TYPES = [
    "application/json", "text/plain", None, "application/json; charset=latin-1",
    "application/json; charset=utf-16", "application/json; charset=no-such-codec",
    "multipart/form-data; boundary=x", "application/x-www-form-urlencoded",
]  # fmt: skip
KEYS = ["sender", "message", "metadata", "language_hint", "agent", "text", "online",
        "update_id", "chat", "from", "id"]  # fmt: skip


class CannedAssistant(RasaClient):
    """Rasa's stand-in: every message is a greeting, answered at once."""

    async def ask(self, *, sender_id: str, text: str, metadata: dict[str, Any]) -> AssistantAnswer:
        return AssistantAnswer([{"text": CANNED}], intent="greet", confidence=0.99)


@dataclass
class Gateway:
    client: TestClient
    pipeline: Pipeline
    telegram: TelegramWorld
    database: Path
    update_ids: Iterator[int]

    async def knock(
        self,
        method: str,
        path: str,
        body: bytes = b"",
        content_type: str | None = "application/json",
        headers: dict[str, str] | None = None,
    ) -> tuple[int, Any]:
        """One request, checked against the door's promise: never a 5xx, and a 4xx says why
        in a JSON object. The status and the JSON answer."""
        sent = dict(headers or {})
        if content_type is not None:
            sent["Content-Type"] = content_type
        async with self.client.request(method, path, data=body, headers=sent) as response:
            text = await response.text()
            where = f"{method} {path[:60]} {body[:80]!r}: {response.status} {text[:200]}"
            assert response.status < 500, where
            answer = json.loads(text) if response.content_type == "application/json" else None
            if response.status >= 400:
                assert isinstance(answer, dict), where
                assert isinstance(answer.get("error"), str), where
            return response.status, answer

    async def rest(self, body: bytes, content_type: str | None = "application/json") -> int:
        return (await self.knock("POST", REST, body, content_type))[0]

    async def webhook(self, body: bytes, content_type: str | None = "application/json") -> int:
        headers = {SECRET_HEADER: SECRET}
        return (await self.knock("POST", WEBHOOK_PATH, body, content_type, headers))[0]

    def rows(self, query: str, *values: object) -> list[tuple[Any, ...]]:
        with sqlite3.connect(self.database) as connection:
            return connection.execute(query, values).fetchall()

    def turns(self, channel: str, sender: str) -> list[tuple[str, str]]:
        """The stored turns of one customer: (text, outcome)."""
        return [
            (text, outcome)
            for text, outcome in self.rows(
                "select t.text, t.outcome from turns t join conversations c"
                " on c.id = t.conversation_id where c.channel = ? and c.external_id = ?"
                " order by t.id",
                channel,
                sender,
            )
        ]

    def turn_count(self) -> int:
        return int(self.rows("select count(*) from turns")[0][0])

    async def new_handover(self, sender: str) -> int:
        """A web customer queued for an agent."""
        async with self.pipeline.sessions() as session, session.begin():
            conversation = await store.get_or_create_conversation(
                session, channel="web", external_id=sender
            )
            handover = await store.add_handover(
                session, conversation_id=conversation.id, reason="request", signals=(),
                language="it",
            )  # fmt: skip
            return int(handover.id)


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def gateway(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[Gateway]:
    var = tmp_path_factory.mktemp("fuzz")
    async with FakeTelegram() as fake:
        for user_id in (CUSTOMER, AFTER):
            fake.add_user(user_id, first_name="Anna")
            fake.add_private_chat(user_id)
        settings = replace(
            Settings.from_env({}, dotenv=False),
            database_url=f"sqlite:///{var / 'gateway.db'}",
            tracker_db=var / "rasa_tracker.db",
            telegram_token=fake.token,
            telegram_api_url=fake.base_url,
            telegram_webhook_url="http://127.0.0.1:9/webhooks/telegram",  # never called
            telegram_secret=SECRET,
        )
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(bot.app, "RasaClient", CannedAssistant)
            async with open_pipeline(settings) as pipeline:
                channel = TelegramChannel(settings, pipeline)
                async with TestClient(TestServer(create_app(pipeline, channel))) as client:
                    await channel.start()
                    try:
                        await asyncio.wait_for(channel.ready.wait(), 30)
                        yield Gateway(
                            client, pipeline, TelegramWorld(fake, channel, settings),
                            var / "gateway.db", itertools.count(10**15),
                        )  # fmt: skip
                    finally:
                        await channel.stop()


# -- the corpus ----------------------------------------------------------------------------


@functools.cache
def category_samples() -> dict[str, str]:
    """Two characters from the start and two from the end of every Unicode general category
    (Lu, Ll, ..., Cc, Cf, Cs: surrogates, Co: private use, Cn: unassigned)."""
    first: dict[str, list[str]] = {}
    last: dict[str, list[str]] = {}
    for code in range(sys.maxunicode + 1):
        char = chr(code)
        category = unicodedata.category(char)
        if len(first.setdefault(category, [])) < 2:
            first[category].append(char)
        else:
            last[category] = [*last.get(category, [])[-1:], char]
    return {c: "".join(first[c] + last.get(c, [])) for c in sorted(first)}


def unicode_texts() -> list[str]:
    samples = category_samples()
    assert len(samples) == 30  # every general category
    return [f"ciao {chars} conto" for chars in samples.values()] + [
        f"buongiorno {special} carta" for special in SPECIALS
    ]


def encodings(value: object) -> list[bytes]:
    """`value` as JSON with \\u escapes, and as raw UTF-8 (with surrogatepass: a lone
    surrogate then makes bytes that are not UTF-8)."""
    return [
        json.dumps(value).encode(),
        json.dumps(value, ensure_ascii=False).encode("utf-8", "surrogatepass"),
    ]


def nested(depth: int, opener: str, closer: str) -> str:
    return opener * depth + "1" + closer * depth


def deep_bodies() -> list[tuple[int, bytes]]:
    """(depth, body): nesting as the body, unclosed, as the message and inside metadata."""
    bodies = []
    for depth in (10, 500, 900, 990, 1000, 1100, 5000, 20_000):
        for opener, closer in (("[", "]"), ('{"a":', "}"), ('[{"a":', "}]")):
            inner = nested(depth, opener, closer)
            for body in (
                inner,
                opener * depth,
                f'{{"sender": "deep", "message": {inner}}}',
                f'{{"sender": "deep", "message": "ciao", "metadata": {{"x": {inner}}}}}',
            ):
                bodies.append((depth, body.encode()))
    return bodies


def sized(size: int, field: str = "message") -> bytes:
    """A body of exactly `size` bytes, most of it in `field`: message, sender or metadata."""
    head, tail = {
        "message": (b'{"sender": "huge", "message": "', b'"}'),
        "sender": (b'{"message": "ciao", "sender": "', b'"}'),
        "metadata": (b'{"sender": "huge", "message": "ciao", "metadata": {"x": "', b'"}}'),
    }[field]
    return head + b"a" * (size - len(head) - len(tail)) + tail


def wrong_types() -> list[object]:
    text_like: list[object] = [42, 4.2, True, [], ["ciao"], {}, {"text": "ciao"}, None]
    bodies: list[object] = [{"sender": "types", "message": m} for m in text_like]
    bodies += [{"sender": s, "message": "ciao"} for s in [*text_like, "", "   ", "\u3000"]]
    bodies += [{"sender": "x" * n, "message": "ciao"} for n in (MAX_SENDER_CHARS, 129)]
    bodies += [{"sender": 10**40, "message": "ciao"}, {"sender": -7, "message": "ciao"}]
    bodies += [{"sender": "types", "message": "ciao", "metadata": m} for m in text_like]
    bodies += [
        {"sender": "types", "message": "ciao", "metadata": {"language_hint": h}}
        for h in [1, ["fr"], {"x": 1}, None, "\ud800", "fr-FR\0", "x" * 10_000]
    ]
    bodies += [{"message": "ciao"}, {"sender": "types"}, {"Sender": "a", "Message": "b"}]
    return bodies + [None, 0, "ciao", [{"sender": "a", "message": "b"}]]


SPECIAL_BODIES = [
    b"", b" ", b"null", b"NaN", b"-Infinity", b'{"sender": NaN, "message": "x"}',
    b'{"sender": "a", "message": "ciao", "message": 5}', b'{"sender": 1e400, "message": "x"}',
    b'{"sender": ' + b"9" * 5000 + b', "message": "x"}', b'{"sender": "a", "message": "x"} x',
    b'\xef\xbb\xbf{"sender": "bom", "message": "ciao"}', b'{"sender": "a", "message": "\xff"}',
    b'{"sender": "a", "message": "\xc0\xaf"}', b'{"sender": "a", "message": "\xed\xa0\x80"}',
    b'{"sender": "a", "message": "\\ud800\\udc00"}', b'{"sender": "a", "message": "\\u00"}',
    b'{"sender": "a", "message": "\\x41"}', b"{'sender': 'a', 'message': 'b'}",
    b'{"sender": "a", "message": "ciao"' + b" " * 10_000 + b"}", b"\0" * 64,
]  # fmt: skip


def random_json(rng: random.Random, depth: int = 0) -> object:
    kind = rng.choice(["null", "bool", "int", "float", "str", "str", "list", "dict", "dict"])
    if depth >= 4 and kind in ("list", "dict"):
        kind = "str"
    if kind == "null":
        return None
    if kind == "bool":
        return rng.random() < 0.5
    if kind == "int":
        return rng.choice([0, -1, 2**63, -(2**64), rng.randint(-(10**30), 10**30)])
    if kind == "float":
        return rng.choice([0.5, -1e308, float("nan"), float("inf"), rng.random()])
    if kind == "str":
        return rng.choice([*SPECIALS, *unicode_texts(), "", "ciao", "/start", "x" * 5000])
    if kind == "list":
        return [random_json(rng, depth + 1) for _ in range(rng.randint(0, 4))]
    keys = [rng.choice([*KEYS, *SPECIALS]) for _ in range(rng.randint(0, 5))]
    return {key: random_json(rng, depth + 1) for key in keys}


def random_bodies(count: int) -> list[tuple[bytes, str | None]]:
    """Random bytes, random mutations of a good body, random JSON; random content types."""
    rng = random.Random(SEED)
    good = b'{"sender": "mutant", "message": "ciao, quanto costa la carta?"}'
    bodies = []
    for index in range(count):
        if index % 3 == 0:
            body = rng.randbytes(rng.choice([1, 2, 8, 64, 512, 4096]))
        elif index % 3 == 1:
            mutant = bytearray(good)
            for _ in range(rng.randint(1, 6)):
                at = rng.randrange(len(mutant))
                mutant[at : at + rng.randint(0, 3)] = rng.randbytes(rng.randint(0, 3))
            body = bytes(mutant)
        else:
            body = json.dumps(random_json(rng)).encode()
        bodies.append((body, rng.choice(CONTENT_TYPES)))
    return bodies


def documented(body: object) -> bool:
    """Whether the REST endpoint must answer `body` (otherwise: 400)."""
    if not isinstance(body, dict):
        return False
    sender, message, metadata = body.get("sender"), body.get("message"), body.get("metadata")
    if type(sender) is int:
        sender = str(sender)
    return (
        isinstance(sender, str)
        and bool(sender.strip())
        and len(sender) <= MAX_SENDER_CHARS
        and (message is None or isinstance(message, str))
        and (metadata is None or isinstance(metadata, dict))
    )


def update(update_id: int, user_id: int = CUSTOMER, **message: object) -> dict[str, Any]:
    """A message update in a user's private chat."""
    user = {"id": user_id, "is_bot": False, "first_name": "Anna", "language_code": "it"}
    chat = {"id": user_id, "type": "private", "first_name": "Anna"}
    return {
        "update_id": update_id,
        "message": {"message_id": update_id, "date": 0, "chat": chat, "from": user, **message},
    }


TEXT = st.lists(
    st.one_of(
        st.characters(codec=None, exclude_categories=()),
        st.characters(codec=None, categories=["Cs"]),  # left out unless asked for
        st.sampled_from(SPECIALS),
    ),
    max_size=20,
).map("".join)
JSON = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**70), 2**70) | st.floats() | TEXT,
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(st.sampled_from(KEYS) | TEXT, children, max_size=4)
    ),
    max_leaves=12,
)


# -- the REST endpoint ---------------------------------------------------------------------


async def test_rest_never_fails_on_odd_bodies(
    gateway: Gateway, caplog: pytest.LogCaptureFixture
) -> None:
    for depth, body in deep_bodies():
        status = await gateway.rest(body)
        if depth >= 5000:
            assert status in (400, 413), body[:60]
    for value in wrong_types():
        assert await gateway.rest(json.dumps(value).encode()) == (
            200 if documented(value) else 400
        ), value
    for body in SPECIAL_BODIES:
        await gateway.rest(body)
    for body, content_type in random_bodies(150):
        await gateway.rest(body, content_type)
    assert await gateway.rest('{"sender": "é", "message": "ciao"}'.encode("utf-16"),
                              "application/json; charset=utf-16") == 200  # fmt: skip
    assert not _errors(caplog)


async def test_rest_bodies_around_the_size_limit(gateway: Gateway) -> None:
    assert await gateway.rest(sized(MAX_BODY_BYTES - 1)) == 200  # answered: too long
    assert await gateway.rest(sized(MAX_BODY_BYTES - 1, "metadata")) == 200
    assert await gateway.rest(sized(MAX_BODY_BYTES - 1, "sender")) == 400
    for size in (MAX_BODY_BYTES, MAX_BODY_BYTES + 1, 4 * MAX_BODY_BYTES):
        assert await gateway.rest(sized(size)) == 413
    assert await gateway.rest(b" " * (MAX_BODY_BYTES - 1)) == 400
    assert await gateway.rest(json.dumps({"sender": "é", "message": "é" * 5000}).encode()) == 200


async def test_every_unicode_category_in_sender_and_message_is_answered_and_stored(
    gateway: Gateway, caplog: pytest.LogCaptureFixture
) -> None:
    before, answered = gateway.turn_count(), 0
    for index, text in enumerate(unicode_texts()):
        for value in ({"sender": f"u{index}", "message": text}, {"sender": text, "message": "ok"}):
            for raw, escaped in zip(encodings(value), (True, False), strict=True):
                status, answer = await gateway.knock("POST", REST, raw)
                readable = escaped or _encodable(text)
                assert status == (200 if readable and documented(value) else 400), value
                if status == 200:
                    answered += 1
                    assert {m["recipient_id"] for m in answer} == {clean_text(value["sender"])}
    assert gateway.turn_count() - before == answered  # every answered message was stored
    assert not _errors(caplog)
    _all_stored_text_is_clean(gateway)


@FUZZ
@given(sender=TEXT, message=TEXT)
async def test_any_text_as_sender_and_message(gateway: Gateway, sender: str, message: str) -> None:
    body = {"sender": sender, "message": message}
    status, answer = await gateway.knock("POST", REST, json.dumps(body).encode())
    assert status == (200 if documented(body) else 400)
    if status == 200:
        assert {m["recipient_id"] for m in answer} == {clean_text(sender)}


@FUZZ
@given(value=JSON, door=st.sampled_from(["rest", "telegram", "agent", "presence"]))
async def test_any_json_at_any_door(gateway: Gateway, value: object, door: str) -> None:
    body = json.dumps(value).encode()
    if door == "rest":
        assert await gateway.rest(body) == (200 if documented(value) else 400)
    elif door == "telegram":
        assert await gateway.webhook(body) == 200  # any JSON: taken, or dropped with a log line
    else:
        path = f"{AGENT_API}/1/take" if door == "agent" else "/agent/api/presence"
        await gateway.knock("POST", path, body)


# -- the outbox ----------------------------------------------------------------------------


async def test_the_outbox_never_fails(gateway: Gateway) -> None:
    for text in [*unicode_texts(), "x" * MAX_SENDER_CHARS, "x" * 129, "x" * 3000, "", " "]:
        status, answer = await gateway.knock("GET", OUTBOX + "?" + _query({"sender": text}))
        cleaned = clean_text(text)
        expected = 200 if cleaned.strip() and len(cleaned) <= MAX_SENDER_CHARS else 400
        assert status == expected, text
        assert status == 400 or isinstance(answer, list)
    for query in ["", "sender", "sender=", "sender=%ED%A0%80", "sender=%FF%FE", "sender=%00",
                  "sender=%", "sender=a&sender=b", "x=1", "sender=%25%32%35"]:  # fmt: skip
        await gateway.knock("GET", f"{OUTBOX}?{query}")
    for body, content_type in random_bodies(20):  # a body is not read: only the query
        await gateway.knock("GET", f"{OUTBOX}?sender=a", body, content_type)


# -- Telegram's webhook --------------------------------------------------------------------


async def test_telegram_webhook_never_fails(
    gateway: Gateway, caplog: pytest.LogCaptureFixture
) -> None:
    ids = gateway.update_ids
    for headers in ({}, {SECRET_HEADER: ""}, {SECRET_HEADER: SECRET + "x"}):
        status, _ = await gateway.knock("POST", WEBHOOK_PATH, b"[" * 5000, headers=headers)
        assert status == 403
    for depth, body in deep_bodies():
        status = await gateway.webhook(body)
        if depth >= 5000:
            assert status in (400, 413)
    for body in SPECIAL_BODIES:
        await gateway.webhook(body)
    for body, content_type in random_bodies(120):
        await gateway.webhook(body, content_type)
    assert await gateway.webhook(sized(MAX_BODY_BYTES + 1)) == 413
    for text in unicode_texts():
        for key in ("text", "caption"):
            extra = {"photo": [_photo()]} if key == "caption" else {}
            body = json.dumps(update(next(ids), **{key: text}, **extra)).encode()
            assert await gateway.webhook(body) == 200
    rng = random.Random(SEED)
    for _ in range(60):  # the right shape with wrong parts
        broken: dict[str, Any] = update(next(ids), text="ciao")
        part = broken["message"] if rng.random() < 0.7 else broken
        part[rng.choice([*part, "text", "entities", "reply_to_message"])] = random_json(rng)
        assert await gateway.webhook(json.dumps(broken).encode()) == 200
    for update_id in ["1", 1.0, True, None, -1, 2**63, 2**70]:
        body = {**update(1, text="ciao"), "update_id": update_id}
        assert await gateway.webhook(json.dumps(body).encode()) == 200
    await gateway.telegram.settle()
    assert not _errors(caplog)  # an update that is not one: a warning, or the channel's error


# -- the agent page's API ------------------------------------------------------------------


async def test_agent_api_never_fails(gateway: Gateway, caplog: pytest.LogCaptureFixture) -> None:
    handover = await gateway.new_handover("fuzz-queued")
    paths = [f"{AGENT_API}/{handover}/{verb}" for verb in ("take", "messages", "return", "close")]
    paths.append("/agent/api/presence")
    bodies: list[tuple[bytes, str | None]] = [(b, "application/json") for _, b in deep_bodies()]
    bodies += [(b, "application/json") for b in SPECIAL_BODIES]
    bodies += random_bodies(60)
    for index, body_and_type in enumerate(bodies):
        await gateway.knock("POST", paths[index % len(paths)], *body_and_type)
    values: list[object] = [*wrong_types(), {"agent": "x" * MAX_AGENT_CHARS}]
    values += [{"agent": "x" * (MAX_AGENT_CHARS + 1)}, {"agent": " "}, {"agent": "Ugo", "text": 5}]
    values += [{"agent": text, "text": text, "online": False} for text in unicode_texts()]
    for index, value in enumerate(values):
        path = paths[index % len(paths)]
        for raw, escaped in zip(encodings(value), (True, False), strict=True):
            status, _ = await gateway.knock("POST", path, raw)
            readable = escaped or _encodable(json.dumps(value, ensure_ascii=False))
            if readable and _agent_documented(value, path):
                assert status in (200, 409), (path, value)
            else:
                assert status == 400, (path, value)
    for handover_id in ["0", "7", str(MAX_ID), str(MAX_ID + 1), "9" * 30, "9" * 5000, "%D9%A3",
                        "%EF%BC%91", "-1", "1.5", "%00", "1%20"]:  # fmt: skip
        await gateway.knock("GET", f"{AGENT_API}/{handover_id}")
        await gateway.knock("POST", f"{AGENT_API}/{handover_id}/take", b'{"agent": "Ugo"}')
    status, board = await gateway.knock("GET", AGENT_API)
    assert status == 200 and isinstance(board["handovers"], list)
    assert not _errors(caplog)


# -- afterwards ----------------------------------------------------------------------------


async def test_after_the_fuzzing_a_normal_message_is_answered_and_stored(
    gateway: Gateway,
) -> None:
    body = {"sender": "after-the-fuzz", "message": "buongiorno"}
    status, answer = await gateway.knock("POST", REST, json.dumps(body).encode())
    assert (status, answer) == (200, [{"recipient_id": "after-the-fuzz", "text": CANNED}])
    assert gateway.turns("web", "after-the-fuzz") == [("buongiorno", "answered")]


async def test_a_lone_surrogate_is_stored_as_a_replacement_character(gateway: Gateway) -> None:
    raw = b'{"sender": "lone\\udc00", "message": "\\ud800 ciao\\u0000"}'
    status, answer = await gateway.knock("POST", REST, raw)
    assert (status, answer) == (200, [{"recipient_id": "lone\ufffd", "text": CANNED}])
    assert gateway.turns("web", "lone\ufffd") == [("\ufffd ciao\ufffd", "answered")]


async def test_telegram_after_the_fuzzing_answers_and_stores(gateway: Gateway) -> None:
    world, ids = gateway.telegram, gateway.update_ids
    for text in ("buongiorno", "\ud800 ciao"):
        body = json.dumps(update(next(ids), AFTER, text=text)).encode()
        assert await gateway.webhook(body) == 200
        await world.settle()
    assert [m["text"] for m in world.fake.bot_messages(AFTER)] == [CANNED, CANNED]
    assert gateway.turns("telegram", str(AFTER)) == [
        ("buongiorno", "answered"),
        ("\ufffd ciao", "answered"),
    ]


async def test_an_agents_name_and_message_are_cleaned_and_stored(gateway: Gateway) -> None:
    handover = await gateway.new_handover("agent-check")
    take = b'{"agent": "Giulia \\udfff"}'
    say = b'{"agent": "Giulia \\udfff", "text": "Buongiorno \\ud800\\u0000"}'
    assert await gateway.knock("POST", f"{AGENT_API}/{handover}/take", take) == (200, {"ok": True})
    assert await gateway.knock("POST", f"{AGENT_API}/{handover}/messages", say) == (
        200,
        {"ok": True},
    )
    assert gateway.rows("select agent from handovers where id = ?", handover) == [
        ("Giulia \ufffd",)
    ]
    assert gateway.rows(
        "select agent, text from handover_messages where handover_id = ?", handover
    ) == [("Giulia \ufffd", "Buongiorno \ufffd\ufffd")]
    status, outbox = await gateway.knock("GET", f"{OUTBOX}?sender=agent-check")
    assert status == 200 and len(outbox) == 2  # "Giulia took it", then her message
    _all_stored_text_is_clean(gateway)


async def test_cleaned_text_is_stored_on_every_backend(
    settings: Settings, database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """NUL is fine for SQLite, but PostgreSQL refuses it as UTF-8 refuses a lone surrogate."""
    monkeypatch.setattr(bot.app, "RasaClient", CannedAssistant)
    raw = b'{"sender": "nul\\u0000", "message": "\\ud800 ciao\\u0000"}'
    async with open_pipeline(replace(settings, database_url=database_url)) as pipeline:
        async with TestClient(TestServer(create_app(pipeline))) as client:
            response = await client.post(REST, data=raw)
            assert response.status == 200
            assert await response.json() == [{"recipient_id": "nul\ufffd", "text": CANNED}]
        async with pipeline.sessions() as session:
            conversation = await store.find_conversation(
                session, channel="web", external_id="nul\ufffd"
            )
            assert conversation is not None
            turns = await store.list_turns(session, conversation_id=conversation.id)
    assert [(t.text, t.outcome) for t in turns] == [("\ufffd ciao\ufffd", "answered")]


# -- helpers -------------------------------------------------------------------------------


def _errors(caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    """Errors logged by the web server or the pipeline (a 500, or an answer not stored)."""
    loggers = ("bot.channels.web", "bot.pipeline", "bot.handover", "aiohttp")
    return [r for r in caplog.records if r.levelno >= logging.ERROR and r.name.startswith(loggers)]


def _agent_documented(body: object, path: str) -> bool:
    """Whether the agent API must take `body` at `path` (otherwise: 400)."""
    if not isinstance(body, dict):
        return False
    agent, text = body.get("agent"), body.get("text")
    if not isinstance(agent, str) or not agent.strip() or len(agent) > MAX_AGENT_CHARS:
        return False
    return not path.endswith("/messages") or (isinstance(text, str) and bool(text.strip()))


def _encodable(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _all_stored_text_is_clean(gateway: Gateway) -> None:
    for query in (
        "select external_id from conversations",
        "select text from turns",
        "select text from handover_messages",
        "select coalesce(agent, '') from handovers",
        "select name from agents",
    ):
        for (text,) in gateway.rows(query):
            assert _encodable(text) and "\0" not in text, (query, text)


def _query(params: dict[str, str]) -> str:
    from urllib.parse import quote

    return "&".join(
        f"{k}={quote(v.encode('utf-8', 'surrogatepass'), safe='')}" for k, v in params.items()
    )


def _photo() -> dict[str, Any]:
    return {"file_id": "fuzz-photo", "file_unique_id": "fz1", "width": 90, "height": 90}
