"""The fake Telegram Bot API, exercised with the real python-telegram-bot (and raw HTTP)."""

from __future__ import annotations

import asyncio
import importlib
import socket
import time
from collections.abc import AsyncIterator

import aiohttp
import pytest
from aiohttp import web
from telegram import (
    Bot,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    Message,
    ReplyParameters,
    Update,
)
from telegram.error import (
    BadRequest,
    Conflict,
    EndPointNotFound,
    Forbidden,
    InvalidToken,
    NetworkError,
    RetryAfter,
)
from telegram.ext import ApplicationBuilder, ContextTypes, MessageHandler, filters

# Relative, so that mypy sees one module name; others import `tests.fakes.telegram_api`.
from .telegram_api import FakeTelegram

USER = 42
GROUP = -1001234


@pytest.fixture
async def tg() -> AsyncIterator[FakeTelegram]:
    async with FakeTelegram() as fake:
        fake.add_user(USER, "Anna", username="anna_rossi")
        fake.add_private_chat(USER)
        yield fake


@pytest.fixture
async def bot(tg: FakeTelegram) -> AsyncIterator[Bot]:
    async with Bot(tg.token, base_url=tg.base_url, base_file_url=tg.base_file_url) as client:
        yield client


def bad_request(pattern: str) -> pytest.RaisesExc[BadRequest]:
    """PTB drops the "Bad Request: " prefix and capitalises the description."""
    return pytest.raises(BadRequest, match=f"(?i){pattern}")


def keyboard(**button: str) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([[InlineKeyboardButton("Go", **button)]])  # type: ignore[arg-type]


# ---------------------------------------------------------------------------- basic contract


def test_public_import_path() -> None:
    module = importlib.import_module("tests.fakes.telegram_api")
    assert module.FakeTelegram().base_url == ""  # not started yet


async def test_get_me_and_send_message(tg: FakeTelegram, bot: Bot) -> None:
    assert bot.username == "sportello_test_bot"
    message = await bot.send_message(USER, "Ciao!")
    assert message.text == "Ciao!"
    assert message.from_user is not None and message.from_user.id == tg.bot_id
    assert [m["text"] for m in tg.bot_messages(USER)] == ["Ciao!"]
    assert tg.calls_to("sendMessage", chat_id=USER)[0].status == 200
    with bad_request("chat not found"):
        await bot.send_message(999, "nobody")
    assert tg.calls_to("sendMessage", ok=False)[0].description == "Bad Request: chat not found"


async def test_parameters_are_decoded_by_name(tg: FakeTelegram, bot: Bot) -> None:
    await bot.send_message(
        USER, "123", disable_notification=True, reply_markup=keyboard(url="https://x.it")
    )
    params = tg.calls_to("sendMessage")[0].params
    assert params["text"] == "123" and params["chat_id"] == USER
    assert params["disable_notification"] is True
    assert params["reply_markup"]["inline_keyboard"][0][0]["url"] == "https://x.it"
    assert tg.bot_messages(USER)[0]["text"] == "123"


async def test_raw_http_shapes(tg: FakeTelegram) -> None:
    async with aiohttp.ClientSession() as http:
        url = f"{tg.base_url}{tg.token}"
        async with http.post(f"{url}/sendMessage", json={"chat_id": USER, "text": "json"}) as r:
            assert r.status == 200 and (await r.json())["result"]["text"] == "json"
        async with http.get(f"{url}/sendMessage", params={"chat_id": "42", "text": "q"}) as r:
            assert (await r.json())["result"]["chat"]["id"] == USER
        async with http.post(f"{url}/noSuchMethod") as r:
            assert (r.status, await r.json()) == (
                404,
                {"ok": False, "error_code": 404, "description": "Not Found"},
            )
        async with http.post(f"{tg.base_url}1:WRONG/getMe") as r:
            assert (r.status, await r.json()) == (
                401,
                {"ok": False, "error_code": 401, "description": "Unauthorized"},
            )
        tg.fail_next("getMe", retry_after=3)
        async with http.post(f"{url}/getMe") as r:
            assert (r.status, await r.json()) == (
                429,
                {
                    "ok": False,
                    "error_code": 429,
                    "description": "Too Many Requests: retry after 3",
                    "parameters": {"retry_after": 3},
                },
            )


async def test_wrong_token_unknown_method_and_get_file(tg: FakeTelegram, bot: Bot) -> None:
    with pytest.raises(InvalidToken):
        async with Bot("999:WRONG", base_url=tg.base_url):
            pass
    with pytest.raises(EndPointNotFound):
        await bot.do_api_request("sendPigeon", api_kwargs={"chat_id": USER})
    with bad_request("file access is disabled"):
        await bot.get_file("some-file-id")
    assert [c.status for c in tg.calls_to("getFile")] == [400]


# ---------------------------------------------------------------------------- formatting


async def test_html_is_parsed_and_validated(tg: FakeTelegram, bot: Bot) -> None:
    html = '1 &lt; 2 &amp;&amp; <b>bold <i>it</i></b> <a href="https://x.it/?a=1&amp;b=2">link</a>'
    message = await bot.send_message(USER, html, parse_mode="HTML")
    assert message.text == "1 < 2 && bold it link"
    stored = tg.bot_messages(USER)[0]
    assert stored["text"] == "1 < 2 && bold it link"
    kinds = {(e["type"], e["offset"], e["length"]) for e in stored["entities"]}
    assert kinds == {("bold", 9, 7), ("italic", 14, 2), ("text_link", 17, 4)}
    assert stored["entities"][-1]["url"] == "https://x.it/?a=1&b=2"
    for bad in ("1 < 2", "a > b", "Q&A", "<b>x</i>", "<b>open", "<div>x</div>", "<span>s</span>"):
        with bad_request("can't parse entities"):
            await bot.send_message(USER, bad, parse_mode="HTML")
    tg.html_strict = False  # Telegram's own leniency: bare '>' and '&' are literal
    assert (await bot.send_message(USER, "Q&A > x", parse_mode="HTML")).text == "Q&A > x"
    await bot.send_message(
        USER,
        '<span class="tg-spoiler">s</span><pre><code class="language-py">x</code></pre>',
        parse_mode="HTML",
    )
    assert tg.bot_messages(USER)[-1]["entities"][-1] == {
        "type": "pre",
        "offset": 1,
        "length": 1,
        "language": "py",
    }


async def test_markdown_v2_and_plain_text(tg: FakeTelegram, bot: Bot) -> None:
    with bad_request("Character '.' is reserved"):
        await bot.send_message(USER, "Totale: 10.50", parse_mode="MarkdownV2")
    message = await bot.send_message(
        USER, "*Totale:* 10\\.50 [qui](https://x.it/a\\)b)", parse_mode="MarkdownV2"
    )
    assert message.text == "Totale: 10.50 qui"
    assert [(e.type, e.offset, e.length) for e in message.entities] == [
        ("bold", 0, 7),
        ("text_link", 14, 3),
    ]
    assert message.entities[1].url == "https://x.it/a)b"
    with bad_request("Can't find end of Bold entity"):
        await bot.send_message(USER, "*open", parse_mode="MarkdownV2")
    plain = await bot.send_message(USER, "1 < 2 & 10.50 *literally*")
    assert plain.text == "1 < 2 & 10.50 *literally*"


async def test_text_length_and_emptiness(tg: FakeTelegram, bot: Bot) -> None:
    await bot.send_message(USER, "a" * 4096)
    with bad_request("message is too long"):
        await bot.send_message(USER, "a" * 4097)
    await bot.send_message(
        USER, "<b>" + "a" * 4096 + "</b>", parse_mode="HTML"
    )  # counted after parsing
    with bad_request("message text is empty"):
        await bot.send_message(USER, "  <b> </b> ", parse_mode="HTML")


# ---------------------------------------------------------------------------- keyboards, callbacks


async def test_inline_keyboard_rules(tg: FakeTelegram, bot: Bot) -> None:
    await bot.send_message(USER, "ok", reply_markup=keyboard(callback_data="é" * 32))  # 64 bytes
    for data in ("x" * 65, "é" * 33):
        with bad_request("BUTTON_DATA_INVALID"):
            await bot.send_message(USER, "no", reply_markup=keyboard(callback_data=data))
    with bad_request("BUTTON_URL_INVALID"):
        await bot.send_message(USER, "no", reply_markup=keyboard(url="ftp://x.it"))
    assert len(tg.bot_messages(USER)) == 1


async def test_press_button_and_answer(tg: FakeTelegram, bot: Bot) -> None:
    sent = await bot.send_message(USER, "Scegli", reply_markup=keyboard(callback_data="lang:it"))
    pushed = tg.press_button(USER, USER, sent.message_id, "lang:it")
    [update] = await bot.get_updates(timeout=0)
    assert update.update_id == pushed["update_id"]
    query = update.callback_query
    assert query is not None and query.data == "lang:it"
    assert isinstance(query.message, Message) and query.message.message_id == sent.message_id
    assert query.message.reply_markup == keyboard(callback_data="lang:it")
    assert await bot.answer_callback_query(query.id, text="Fatto")
    with bad_request("query is too old"):
        await bot.answer_callback_query(query.id)
    with bad_request("query is too old"):
        await bot.answer_callback_query("made-up")


async def test_edits(tg: FakeTelegram, bot: Bot) -> None:
    sent = await bot.send_message(USER, "v1", reply_markup=keyboard(callback_data="a"))
    edited = await bot.edit_message_text(
        "v2", USER, sent.message_id, reply_markup=keyboard(callback_data="a")
    )
    assert isinstance(edited, Message) and edited.text == "v2" and edited.edit_date
    with bad_request("message is not modified"):
        await bot.edit_message_text(
            "v2", USER, sent.message_id, reply_markup=keyboard(callback_data="a")
        )
    await bot.edit_message_reply_markup(USER, sent.message_id, reply_markup=None)
    assert "reply_markup" not in tg.message(USER, sent.message_id)  # type: ignore[operator]
    user_message = tg.send_text(USER, USER, "mine")["message"]["message_id"]
    with bad_request("message can't be edited"):
        await bot.edit_message_text("hijack", USER, user_message)
    with bad_request("message to edit not found"):
        await bot.edit_message_text("ghost", USER, 9999)


async def test_replies(tg: FakeTelegram, bot: Bot) -> None:
    question = tg.send_text(USER, USER, "domanda")["message"]["message_id"]
    answer = await bot.send_message(USER, "risposta", reply_parameters=ReplyParameters(question))
    assert answer.reply_to_message is not None and answer.reply_to_message.text == "domanda"
    with bad_request("message to be replied not found"):
        await bot.send_message(USER, "x", reply_parameters=ReplyParameters(777))
    lenient = ReplyParameters(777, allow_sending_without_reply=True)
    assert (await bot.send_message(USER, "x", reply_parameters=lenient)).reply_to_message is None


# ---------------------------------------------------------------------------- fault injection


async def test_fault_injection(tg: FakeTelegram, bot: Bot) -> None:
    tg.fail_next("sendMessage", status=429, retry_after=1)
    with pytest.raises(RetryAfter):
        await bot.send_message(USER, "first")
    tg.fail_next("sendMessage", status=502)
    with pytest.raises(NetworkError) as caught:
        await bot.send_message(USER, "second")
    assert not isinstance(caught.value, BadRequest) and "Bad Gateway" in str(caught.value)
    tg.fail_next("sendMessage", status=403, description="Forbidden: bot was blocked by the user")
    with pytest.raises(Forbidden):
        await bot.send_message(USER, "third")
    await bot.send_message(USER, "fourth")
    assert [c.status for c in tg.calls_to("sendMessage")] == [429, 502, 403, 200]
    assert [c.ok for c in tg.calls_to("sendMessage")] == [False, False, False, True]
    assert [m["text"] for m in tg.bot_messages(USER)] == ["fourth"]  # failed calls had no effect
    tg.set_blocked(USER)
    with pytest.raises(Forbidden, match="bot was blocked by the user"):
        await bot.send_message(USER, "fifth")


async def test_wait_for_reports_what_it_saw(tg: FakeTelegram, bot: Bot) -> None:
    with pytest.raises(AssertionError, match=r"getMe:200"):
        await tg.wait_for("sendMessage", timeout=0.05)


# ---------------------------------------------------------------------------- getUpdates


async def test_long_polling_returns_promptly(tg: FakeTelegram, bot: Bot) -> None:
    poll = asyncio.create_task(bot.get_updates(timeout=5))
    await tg.wait_polling()
    started = time.monotonic()
    tg.send_text(USER, USER, "ciao")
    [update] = await poll
    assert time.monotonic() - started < 1
    assert update.message is not None and update.message.text == "ciao"


async def test_offset_confirms_and_duplicates_are_delivered_twice(
    tg: FakeTelegram, bot: Bot
) -> None:
    first, second = tg.send_text(USER, USER, "uno"), tg.send_text(USER, USER, "due")
    assert [u.update_id for u in await bot.get_updates()] == [
        first["update_id"],
        second["update_id"],
    ]
    assert len(await bot.get_updates()) == 2  # not confirmed yet
    assert await bot.get_updates(offset=second["update_id"] + 1) == ()
    assert tg.pending_updates == 0
    tg.push_update(second)
    tg.push_update(second)
    again = await bot.get_updates(offset=second["update_id"] + 1)
    assert [u.update_id for u in again] == [second["update_id"]] * 2
    assert await bot.get_updates(offset=second["update_id"] + 1) == ()


async def test_second_poller_terminates_the_first(tg: FakeTelegram, bot: Bot) -> None:
    poll = asyncio.create_task(bot.get_updates(timeout=5))
    await tg.wait_polling()
    async with Bot(tg.token, base_url=tg.base_url) as other:
        assert await other.get_updates() == ()
    with pytest.raises(Conflict, match="terminated by other getUpdates request"):
        await poll


async def test_customer_media_and_edits_parse_in_ptb(tg: FakeTelegram, bot: Bot) -> None:
    sent = tg.send_text(USER, USER, "/start@sportello_test_bot ciao @anna_rossi")
    tg.edit_text(USER, sent["message"]["message_id"], "ciao, modificato")
    tg.send_photo(USER, USER, caption="ricevuta")
    tg.send_document(USER, USER)
    tg.send_voice(USER, USER)
    tg.send_sticker(USER, USER)
    text, edit, photo, document, voice, sticker = await bot.get_updates()
    assert text.message is not None
    entities = text.message.parse_entities()
    assert list(entities.values()) == ["/start@sportello_test_bot", "@anna_rossi"]
    assert edit.edited_message is not None and edit.edited_message.edit_date is not None
    assert edit.edited_message.message_id == text.message.message_id
    assert photo.message is not None and len(photo.message.photo) == 2
    assert photo.message.caption == "ricevuta"
    assert document.message is not None and document.message.document is not None
    assert document.message.document.file_name == "scan.pdf"
    assert document.message.document.mime_type == "application/pdf"
    assert voice.message is not None and voice.message.voice is not None
    assert sticker.message is not None and sticker.message.sticker is not None


async def test_allowed_updates_filter(tg: FakeTelegram, bot: Bot) -> None:
    sent = await bot.send_message(USER, "Scegli", reply_markup=keyboard(callback_data="a"))
    tg.send_text(USER, USER, "ignored")
    tg.press_button(USER, USER, sent.message_id, "a")
    [update] = await bot.get_updates(allowed_updates=["callback_query"])
    assert update.callback_query is not None and tg.pending_updates == 1


# ---------------------------------------------------------------------------- webhook


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


async def test_webhook_delivery_retry_and_conflict(tg: FakeTelegram, bot: Bot) -> None:
    received: list[tuple[str | None, dict[str, object]]] = []
    statuses = [500, 200]
    done = asyncio.Event()

    async def hook(request: web.Request) -> web.Response:
        received.append(
            (request.headers.get("X-Telegram-Bot-Api-Secret-Token"), await request.json())
        )
        if len(received) == len(statuses):
            done.set()
        return web.Response(status=statuses[len(received) - 1])

    app = web.Application()
    app.router.add_post("/hook", hook)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    port = free_port()
    await web.TCPSite(runner, "127.0.0.1", port).start()
    tg.webhook_retry_delay = 0.01
    try:
        url = f"http://127.0.0.1:{port}/hook"
        assert await bot.set_webhook(url, secret_token="s3cr3t")
        assert (await bot.get_webhook_info()).url == url
        update = tg.send_text(USER, USER, "via webhook")
        await asyncio.wait_for(done.wait(), 5)
        assert [secret for secret, _ in received] == ["s3cr3t", "s3cr3t"]
        assert received[1][1] == update
        assert tg.webhook_deliveries == [(update["update_id"], 500), (update["update_id"], 200)]
        with pytest.raises(Conflict, match="webhook is active"):
            await bot.get_updates()
        with bad_request("bad webhook"):
            await bot.set_webhook("https://example.com/hook")
        assert await bot.delete_webhook()
        tg.send_text(USER, USER, "via polling")
        [polled] = await bot.get_updates()
        assert polled.message is not None and polled.message.text == "via polling"
    finally:
        await runner.cleanup()


async def test_webhook_gives_up_after_max_attempts(tg: FakeTelegram, bot: Bot) -> None:
    tg.webhook_retry_delay, tg.webhook_max_attempts = 0.01, 2
    assert await bot.set_webhook(f"http://127.0.0.1:{free_port()}/nobody-listens")
    update = tg.send_text(USER, USER, "lost")
    for _ in range(500):
        if len(tg.webhook_deliveries) == 2:
            break
        await asyncio.sleep(0.01)
    assert tg.webhook_deliveries == [(update["update_id"], None)] * 2
    info = await bot.get_webhook_info()
    assert info.pending_update_count == 0 and info.last_error_message


# ---------------------------------------------------------------------------- groups


async def test_delete_message_rules(tg: FakeTelegram, bot: Bot) -> None:
    own = await bot.send_message(USER, "mine")
    theirs = tg.send_text(USER, USER, "theirs")["message"]["message_id"]
    assert await bot.delete_message(USER, own.message_id)
    assert await bot.delete_message(USER, theirs)  # private chat: any message
    assert tg.is_deleted(USER, theirs) and tg.message(USER, theirs) is not None
    assert tg.bot_messages(USER) == [] and len(tg.bot_messages(USER, include_deleted=True)) == 1
    with bad_request("message to delete not found"):
        await bot.delete_message(USER, own.message_id)

    tg.add_group(GROUP, "Filiale")
    in_group = tg.send_text(GROUP, USER, "group message")["message"]["message_id"]
    bot_in_group = await bot.send_message(GROUP, "bot message")
    with bad_request("message can't be deleted"):
        await bot.delete_message(GROUP, in_group)
    assert await bot.delete_message(GROUP, bot_in_group.message_id)
    tg.set_bot_admin(GROUP)
    assert await bot.delete_message(GROUP, in_group)


async def test_forum_topics(tg: FakeTelegram, bot: Bot) -> None:
    tg.add_group(GROUP, "Supporto", bot_is_admin=True, is_forum=True)
    topic = await bot.create_forum_topic(GROUP, "Ticket #1")
    thread = topic.message_thread_id
    assert tg.topics[(GROUP, thread)].name == "Ticket #1"
    message = await bot.send_message(GROUP, "Benvenuta", message_thread_id=thread)
    assert message.message_thread_id == thread and message.is_topic_message
    assert tg.send_text(GROUP, USER, "grazie", message_thread_id=thread)["message"][
        "is_topic_message"
    ]
    assert await bot.close_forum_topic(GROUP, thread)
    assert tg.topics[(GROUP, thread)].closed
    with bad_request("TOPIC_CLOSED"):
        await bot.send_message(GROUP, "closed", message_thread_id=thread)
    with bad_request("message thread not found"):
        await bot.send_message(GROUP, "nowhere", message_thread_id=thread + 100)
    assert await bot.reopen_forum_topic(GROUP, thread)
    assert await bot.delete_forum_topic(GROUP, thread)
    assert tg.is_deleted(GROUP, message.message_id) and (GROUP, thread) not in tg.topics

    tg.add_group(GROUP - 1, "Non forum", bot_is_admin=True)
    with bad_request("the chat is not a forum"):
        await bot.create_forum_topic(GROUP - 1, "x")
    tg.add_group(GROUP - 2, "Forum, bot not admin", is_forum=True)
    with bad_request("not enough rights to create a topic"):
        await bot.create_forum_topic(GROUP - 2, "x")


async def test_chat_info_and_commands(tg: FakeTelegram, bot: Bot) -> None:
    tg.add_group(GROUP, "Filiale", bot_is_admin=True, username="filiale_centro")
    assert (await bot.get_chat("@filiale_centro")).title == "Filiale"
    member = await bot.get_chat_member(GROUP, tg.bot_id)
    assert member.status == "administrator"
    assert [m.user.id for m in await bot.get_chat_administrators(GROUP)] == [tg.bot_id]
    assert await bot.send_chat_action(USER, "typing")
    assert await bot.set_my_commands([("start", "Inizia")], language_code="it")
    assert [c.command for c in await bot.get_my_commands(language_code="it")] == ["start"]
    assert tg.commands[("default", "it")] == [{"command": "start", "description": "Inizia"}]
    with bad_request("BOT_COMMAND_INVALID"):
        await bot.set_my_commands([("Start!", "no")])
    assert await bot.set_my_description("Assistente bancario")
    assert tg.descriptions[""] == "Assistente bancario"


# ---------------------------------------------------------------------------- a real Application


async def test_application_echo_over_polling(tg: FakeTelegram) -> None:
    async def echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        assert update.effective_message is not None
        await update.effective_message.reply_text(update.effective_message.text or "")

    app = (
        ApplicationBuilder()
        .token(tg.token)
        .base_url(tg.base_url)
        .base_file_url(tg.base_file_url)
        .build()
    )
    app.add_handler(MessageHandler(filters.TEXT & ~filters.COMMAND, echo))
    await app.initialize()
    await app.start()
    assert app.updater is not None
    await app.updater.start_polling(poll_interval=0, timeout=5)
    try:
        tg.send_text(USER, USER, "eco?")
        [call] = await tg.wait_for("sendMessage", chat_id=USER, timeout=10)
        assert call.params["text"] == "eco?"
        assert [m["text"] for m in tg.bot_messages(USER)] == ["eco?"]
    finally:
        await app.updater.stop()
        await app.stop()
        await app.shutdown()
    assert tg.pending_updates == 0  # the last batch was confirmed on stop
