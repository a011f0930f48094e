"""End to end on Telegram: the real python-telegram-bot Application, the fake Bot API server
(tests/fakes/telegram_api.py), the real pipeline, and the trained Rasa model behind it."""

from __future__ import annotations

import asyncio
import logging
import sqlite3
import sys
from dataclasses import replace
from pathlib import Path
from typing import Any

import aiohttp
import pytest

from actions.facts import product_facts
from bot.catalogue import load_catalogue
from bot.settings import PROJECT_ROOT
from bot.stack import environment
from tests.channels.telegram.conftest import TEXTS, TelegramWorld, texts
from tests.conftest import RunningStack, free_port
from tests.fakes.telegram_api import FakeTelegram

pytestmark = [pytest.mark.stack, pytest.mark.asyncio(loop_scope="module")]

CATALOGUE = load_catalogue(PROJECT_ROOT / "catalogue" / "bank.yml")
BOT = "sportello_test_bot"
FEE_QUESTIONS = {
    "it": "quanto costa il conto corrente al mese?",
    "en": "how much does the current account cost a month?",
    "fr": "combien coûte le compte courant par mois ?",
    "pl": "ile kosztuje konto osobiste miesięcznie?",
}


def fee_answer(language: str, product: str = "current_account") -> str:
    facts = product_facts(CATALOGUE, product, language)
    return TEXTS.text(f"utter_fees_{product}", language, **facts)


def keyboard(message: dict[str, Any]) -> list[dict[str, Any]]:
    rows = (message.get("reply_markup") or {}).get("inline_keyboard") or []
    return [button for row in rows for button in row]


# -- private chats ------------------------------------------------------------------------


@pytest.mark.parametrize("language", ["it", "en", "fr", "pl"])
async def test_a_private_chat_in_each_language(telegram: TelegramWorld, language: str) -> None:
    user = telegram.new_user(language_code=language)
    greeting = await telegram.say(user, "/start")
    assert texts(greeting) == [
        TEXTS.text("utter_greet", language),
        TEXTS.text("utter_help", language),
    ]
    answer = await telegram.say(user, FEE_QUESTIONS[language])
    assert texts(answer) == [fee_answer(language)]


async def test_the_command_menu_is_published_in_every_language(telegram: TelegramWorld) -> None:
    for language in ("it", "en", "fr", "pl"):
        [call] = [c for c in telegram.fake.calls_to("setMyCommands")
                  if c.params.get("language_code") == language]  # fmt: skip
        commands = {c["command"]: c["description"] for c in call.params["commands"]}
        assert list(commands) == ["start", "help", "language", "human", "complaint"]
        assert commands["human"] == TEXTS.text("utter_command_human", language)


async def test_commands_answer_in_the_users_language(telegram: TelegramWorld) -> None:
    user = telegram.new_user(language_code="fr")
    assert texts(await telegram.say(user, "/help")) == [TEXTS.text("utter_help", "fr")]
    assert texts(await telegram.say(user, "/nonsense")) == [TEXTS.text("utter_help", "fr")]
    assert texts(await telegram.say(user, "/complaint")) == [
        TEXTS.text("utter_complain", "fr"),
        TEXTS.text("utter_ask_complaint_description", "fr"),
    ]
    assert texts(await telegram.say(user, "annuler")) == [
        TEXTS.text("utter_complaint_stopped", "fr")
    ]
    # Nobody is online in the agents' queue here: the phone or a complaint is offered at once.
    human = await telegram.say(user, "/human")
    assert texts(human)[0] == TEXTS.text("utter_handover_no_agents", "fr")
    assert keyboard(human[-1])[0]["callback_data"] == "/complain"


async def test_the_language_menu_switches_the_conversation(telegram: TelegramWorld) -> None:
    user = telegram.new_user(language_code="it")
    [menu] = await telegram.say(user, "/language")
    assert menu["text"] == TEXTS.text("utter_choose_language", "it")
    buttons = {b["text"]: b["callback_data"] for b in keyboard(menu)}
    assert list(buttons) == ["Italiano", "English", "Français", "Polski"]
    fake = telegram.fake
    new = await telegram.after(
        user, lambda: fake.press_button(user, user, menu["message_id"], buttons["English"])
    )
    assert new == []  # the menu itself became the confirmation
    edited = fake.message(user, menu["message_id"])
    assert edited is not None and edited["text"] == TEXTS.text("utter_language_chosen", "en")
    assert keyboard(edited) == []
    assert fake.calls_to("answerCallbackQuery", ok=True)
    answer = await telegram.say(user, FEE_QUESTIONS["it"])  # Italian words, English answer
    assert texts(answer) == [fee_answer("en")]


async def test_rasa_buttons_become_an_inline_keyboard_that_answers(telegram: TelegramWorld) -> None:
    user = telegram.new_user(language_code="fr")
    [ask] = await telegram.say(user, "combien coûte la carte ?")
    assert ask["text"] == TEXTS.text("utter_ask_which_product", "fr")
    buttons = {b["text"]: b["callback_data"] for b in keyboard(ask)}
    credit = TEXTS.text("utter_label_credit_card", "fr")
    assert buttons[credit] == '/ask_fees{"product": "credit_card"}'
    fake = telegram.fake
    answer = await telegram.after(
        user, lambda: fake.press_button(user, user, ask["message_id"], buttons[credit])
    )
    assert texts(answer) == [fee_answer("fr", "credit_card")]


async def test_an_expired_button_says_so(telegram: TelegramWorld) -> None:
    user = telegram.new_user(language_code="en")
    [menu] = await telegram.say(user, "/language")
    fake = telegram.fake
    answer = await telegram.after(
        user, lambda: fake.press_button(user, user, menu["message_id"], "#0123456789abcdef")
    )
    assert answer == []
    call = fake.calls_to("answerCallbackQuery")[-1]
    assert call.params["text"] == TEXTS.text("utter_button_expired", "en")


async def test_an_edited_message_is_answered_as_a_new_message(telegram: TelegramWorld) -> None:
    user = telegram.new_user(language_code="it")
    fake = telegram.fake
    sent = fake.send_text(user, user, "ciao")
    await telegram.settle()
    answer = await telegram.after(
        user, lambda: fake.edit_text(user, sent["message"]["message_id"], FEE_QUESTIONS["it"])
    )
    assert texts(answer) == [fee_answer("it")]


async def test_pictures_and_files_are_refused_and_never_downloaded(
    telegram: TelegramWorld,
) -> None:
    user = telegram.new_user(language_code="en")
    fake = telegram.fake
    photo = await telegram.after(user, lambda: fake.send_photo(user, user))
    assert texts(photo) == [TEXTS.text("utter_no_pictures", "en")]
    document = await telegram.after(
        user, lambda: fake.send_document(user, user, caption=FEE_QUESTIONS["en"])
    )  # the caption is still answered
    assert texts(document) == [TEXTS.text("utter_no_pictures", "en"), fee_answer("en")]
    assert fake.calls_to("getFile") == []
    database = telegram.settings.database_url.removeprefix("sqlite:///")
    with sqlite3.connect(database) as connection:
        stored = [row[0] for row in connection.execute(
            "select t.text from turns t join conversations c on c.id = t.conversation_id"
            " where c.external_id = ? order by t.id", (str(user),))]  # fmt: skip
    assert stored == ["[photo]", "[document]", FEE_QUESTIONS["en"]]


async def test_voice_notes_and_stickers_get_text_only_please(telegram: TelegramWorld) -> None:
    user = telegram.new_user(language_code="pl")
    fake = telegram.fake
    voice = await telegram.after(user, lambda: fake.send_voice(user, user))
    sticker = await telegram.after(user, lambda: fake.send_sticker(user, user))
    assert texts(voice) == texts(sticker) == [TEXTS.text("utter_text_only", "pl")]


# -- sensitive data -----------------------------------------------------------------------

CARD = "4111 1111 1111 1111"


async def test_sensitive_data_is_deleted_after_the_warning_in_a_private_chat(
    telegram: TelegramWorld, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    user = telegram.new_user(language_code="it")
    fake = telegram.fake
    update = fake.send_text(user, user, f"la mia carta {CARD} è bloccata, perché?")
    message_id = update["message"]["message_id"]
    await telegram.settle()
    replies = fake.bot_messages(user)
    assert texts(replies)[:2] == [
        TEXTS.text("utter_sensitive_data_removed", "it"),
        TEXTS.text("utter_block_card", "it", card_block_phone=CATALOGUE.card_block_phone),
    ]
    assert fake.is_deleted(user, message_id)
    sends = [c for c in fake.calls if c.method == "sendMessage" and c.chat_id == user]
    [delete] = fake.calls_to("deleteMessage", chat_id=user)
    assert sends[0].at < delete.at  # warned first, then deleted
    _assert_nowhere(telegram, CARD, CARD.replace(" ", ""))  # not "4111": timestamps hold it
    assert (
        CARD not in caplog.text and CARD.replace(" ", "") not in caplog.text and caplog.records
    )  # the gateway's log lines say how, not what


async def test_sensitive_data_in_a_group_is_deleted_where_the_bot_is_an_admin(
    telegram: TelegramWorld, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    fake = telegram.fake
    admin_group, plain_group = (
        telegram.new_group(bot_is_admin=True),
        telegram.new_group(bot_is_admin=False),
    )
    user = telegram.new_user(language_code="en")
    text = "my IBAN is GB82 WEST 1234 5698 7654 32, can someone send me money?"
    # Not addressed to the bot: screened only.
    update = fake.send_text(admin_group, user, text)
    await telegram.settle()
    assert texts(fake.bot_messages(admin_group)) == [
        TEXTS.text("utter_public_sensitive_data_removed", "en")
    ]
    assert fake.is_deleted(admin_group, update["message"]["message_id"])
    update = fake.send_text(plain_group, user, text)
    await telegram.settle()
    assert texts(fake.bot_messages(plain_group)) == [
        TEXTS.text("utter_public_sensitive_data_shared", "en")
    ]
    assert not fake.is_deleted(plain_group, update["message"]["message_id"])
    assert fake.calls_to("deleteMessage", chat_id=plain_group) == []
    _assert_nowhere(telegram, "WEST 1234", "WEST12345698")
    assert "WEST" not in caplog.text


def _assert_nowhere(telegram: TelegramWorld, *values: str) -> None:
    """No raw value in any table of the gateway's database or Rasa's tracker store."""
    databases = [
        telegram.settings.database_url.removeprefix("sqlite:///"),
        str(telegram.settings.tracker_db),
    ]
    for database in databases:
        with sqlite3.connect(database) as connection:
            tables = [
                r[0]
                for r in connection.execute("select name from sqlite_master where type='table'")
            ]
            for table in tables:
                for row in connection.execute(f'select * from "{table}"'):  # noqa: S608
                    for value in values:
                        assert value not in str(row), f"{value!r} found in {database}:{table}"


# -- the bank's public group --------------------------------------------------------------


async def test_a_group_gets_general_answers_and_personal_topics_go_private(
    telegram: TelegramWorld,
) -> None:
    fake = telegram.fake
    group = telegram.new_group(bot_is_admin=False)
    user = telegram.new_user(language_code="it")
    assert await telegram.say(user, "qualcuno sa quanto costa il conto?", chat_id=group) == []
    update = fake.send_text(group, user, f"@{BOT} {FEE_QUESTIONS['it']}")
    await telegram.settle()
    [answer] = fake.bot_messages(group)
    assert answer["text"] == fee_answer("it")
    assert answer["reply_to_message"]["message_id"] == update["message"]["message_id"]

    [moved] = await telegram.say(user, f"@{BOT} voglio fare un reclamo formale", chat_id=group)
    assert moved["text"] == TEXTS.text("utter_continue_in_private", "it")
    [link] = keyboard(moved)
    assert link["url"] == f"https://t.me/{BOT}?start=complain"
    assert link["text"] == TEXTS.text("utter_button_private_chat", "it")
    # A reply to the bot's message counts as addressed to it.
    [reply] = await telegram.after(
        group,
        lambda: fake.send_text(
            group,
            user,
            "e la carta di credito quanto costa?",
            reply_to_message_id=answer["message_id"],
        ),  # fmt: skip
    )
    assert reply["text"] == fee_answer("it", "credit_card")
    # Following the link: the private chat carries on with the complaint.
    assert texts(await telegram.say(user, "/start complain")) == [
        TEXTS.text("utter_complain", "it"),
        TEXTS.text("utter_ask_complaint_description", "it"),
    ]
    group_texts = " ".join(texts(fake.bot_messages(group)))
    assert TEXTS.text("utter_complain", "it") not in group_texts


# -- delivery -------------------------------------------------------------------------------


async def test_the_same_update_delivered_twice_gets_one_reply(telegram: TelegramWorld) -> None:
    user = telegram.new_user(language_code="en")
    update = telegram.fake.send_text(user, user, FEE_QUESTIONS["en"])
    telegram.fake.push_update(update)  # Telegram sends it again
    await telegram.settle()
    assert texts(telegram.fake.bot_messages(user)) == [fee_answer("en")]


async def test_a_burst_of_429s_still_delivers_every_reply_in_order(telegram: TelegramWorld) -> None:
    fake = telegram.fake
    user = telegram.new_user(language_code="it")
    fake.fail_next("sendMessage", status=429, times=4, retry_after=1)
    for text in ("ciao", FEE_QUESTIONS["it"], "grazie mille"):
        fake.send_text(user, user, text)
    await telegram.settle()
    assert texts(fake.bot_messages(user)) == [
        TEXTS.text("utter_greet", "it"),
        fee_answer("it"),
        TEXTS.text("utter_you_are_welcome", "it"),
    ]
    assert len(fake.calls_to("sendMessage", ok=False)) == 4


async def test_telegram_server_errors_are_retried(telegram: TelegramWorld) -> None:
    fake = telegram.fake
    user = telegram.new_user(language_code="fr")
    fake.fail_next("sendMessage", status=502, times=2)
    assert texts(await telegram.say(user, "bonjour")) == [TEXTS.text("utter_greet", "fr")]


async def test_customers_are_answered_concurrently_each_in_order(telegram: TelegramWorld) -> None:
    fake = telegram.fake
    users = [telegram.new_user(language_code="en") for _ in range(5)]
    for user in users:
        for text in ("hello", FEE_QUESTIONS["en"], "thank you"):
            fake.send_text(user, user, text)
    await telegram.settle()
    for user in users:
        assert texts(fake.bot_messages(user)) == [
            TEXTS.text("utter_greet", "en"),
            fee_answer("en"),
            TEXTS.text("utter_you_are_welcome", "en"),
        ]


# -- webhook --------------------------------------------------------------------------------


async def test_the_webhook_answers_updates_from_telegram(telegram_webhook: TelegramWorld) -> None:
    [call] = telegram_webhook.fake.calls_to("setWebhook")
    assert call.params["url"] == telegram_webhook.webhook_url
    assert call.params["secret_token"] == "s3cret-for-the-tests"
    user = telegram_webhook.new_user(language_code="pl")
    assert texts(await telegram_webhook.say(user, FEE_QUESTIONS["pl"])) == [fee_answer("pl")]
    assert {status for _, status in telegram_webhook.fake.webhook_deliveries} == {200}


@pytest.mark.parametrize("secret", [None, "", "wrong", "s3cret-for-the-tests-not", "sécret"])
async def test_the_webhook_refuses_a_missing_or_wrong_secret(
    telegram_webhook: TelegramWorld, secret: str | None
) -> None:
    headers = {} if secret is None else {"X-Telegram-Bot-Api-Secret-Token": secret}
    sender = {"id": 5, "is_bot": False, "first_name": "X"}
    message = {"message_id": 1, "date": 0, "text": "hi", "chat": {"id": 5, "type": "private"}}
    update = {"update_id": 1, "message": {**message, "from": sender}}
    assert telegram_webhook.webhook_url is not None
    async with (
        aiohttp.ClientSession() as session,
        session.post(telegram_webhook.webhook_url, json=update, headers=headers) as response,
    ):
        assert response.status == 403
    assert telegram_webhook.fake.bot_messages(5) == []


@pytest.mark.parametrize(
    "body",
    [
        b"not json",
        b"[1, 2]",
        b'{"update_id": "x"}',
        b'{"update_id": 5, "message": {"chat": 3}}',
        b"{}",
    ],
)
async def test_the_webhook_never_answers_a_5xx(
    telegram_webhook: TelegramWorld, body: bytes
) -> None:
    headers = {"X-Telegram-Bot-Api-Secret-Token": "s3cret-for-the-tests"}
    assert telegram_webhook.webhook_url is not None
    async with (
        aiohttp.ClientSession() as session,
        session.post(telegram_webhook.webhook_url, data=body, headers=headers) as response,
    ):
        assert response.status < 500


# -- the real gateway process -----------------------------------------------------------------


async def test_the_gateway_process_runs_telegram_with_nothing_but_a_token(
    running_stack: RunningStack, tmp_path: Path
) -> None:
    async with FakeTelegram() as fake:
        settings = replace(
            running_stack.settings,
            port=free_port(),
            database_url=f"sqlite:///{tmp_path / 'gateway.db'}",
            telegram_token=fake.token,
            telegram_api_url=fake.base_url,
        )
        log = tmp_path / "gateway.log"
        with log.open("wb") as output:
            process = await asyncio.create_subprocess_exec(
                sys.executable, "-m", "bot", "serve", env=environment(settings),
                cwd=PROJECT_ROOT, stdout=output, stderr=asyncio.subprocess.STDOUT,
            )  # fmt: skip
        try:
            await fake.wait_polling(timeout=90)
            fake.add_user(900_001, language_code="en")
            fake.send_text(900_001, 900_001, "/start")
            await fake.wait_for("sendMessage", 2, chat_id=900_001, timeout=60)
            card = fake.send_text(900_001, 900_001, f"is my card {CARD} blocked? my PIN is 4921")
            await fake.wait_for("deleteMessage", 1, chat_id=900_001, timeout=60)
        finally:
            process.terminate()
            await asyncio.wait_for(process.wait(), 30)
    replies = texts(fake.bot_messages(900_001))
    assert replies[:3] == [
        TEXTS.text("utter_greet", "en"),
        TEXTS.text("utter_help", "en"),
        TEXTS.text("utter_sensitive_data_removed", "en"),
    ]
    assert fake.is_deleted(900_001, card["message"]["message_id"])
    written = log.read_text(encoding="utf-8")
    assert "Telegram channel on as @sportello_test_bot (polling)" in written
    assert fake.token not in written and "TEST-TOKEN" not in written
    sent = " ".join(str(c.params) for c in fake.calls if c.method != "getUpdates")
    # Not in the log, the database, or anything sent to Telegram. (Whole values: a bare "4111"
    # can occur inside a timestamp.)
    for raw in (CARD, CARD.replace(" ", ""), "PIN is 4921"):
        assert raw not in written and raw not in sent
    with sqlite3.connect(tmp_path / "gateway.db") as connection:
        assert "PIN is 4921" not in str(connection.execute("select * from turns").fetchall())


async def test_a_long_answer_with_markup_characters_reaches_telegram_in_valid_pieces(
    telegram: TelegramWorld,
) -> None:
    """No Rasa answer is this long today; the channel's delivery is driven directly, and the
    fake server checks each piece as Telegram would (HTML entities, 4096 characters)."""
    from telegram import Chat, User

    from bot.channels.telegram._channel import _Where
    from bot.pipeline import Outcome

    user = telegram.new_user(language_code="en")
    paragraph = "Rates < 5 % & fees > 0 € apply to <b>everyone</b>. " * 30
    text = "\n\n".join([paragraph.strip()] * 6)  # about 9,700 characters
    buttons = [{"title": "Help", "payload": "/help"}]
    where = _Where(Chat(user, Chat.PRIVATE), User(user, "Anna", False), None)
    outcome = Outcome("answered", "en", [{"text": text, "buttons": buttons}])
    before = len(telegram.fake.calls_to("sendMessage", ok=True))
    await telegram.channel._deliver(where, outcome)
    pieces = telegram.fake.bot_messages(user)
    assert len(pieces) == 3 and len(telegram.fake.calls_to("sendMessage", ok=True)) == before + 3
    assert "\n\n".join(p["text"] for p in pieces) == text  # cut between paragraphs, unescaped
    assert [bool(keyboard(p)) for p in pieces] == [False, False, True]
