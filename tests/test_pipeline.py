"""The pipeline when its neighbours fail: Rasa down, database down, odd input.

These use the real detector, responses and database, with Rasa pointed at a closed port;
tests/test_stack.py drives the whole running system.
"""

from __future__ import annotations

import sqlite3
from collections.abc import AsyncIterator
from dataclasses import replace
from pathlib import Path

import pytest

from bot.app import open_pipeline
from bot.pipeline import Inbound, Pipeline
from bot.responses import Responses
from bot.settings import Settings
from tests.conftest import free_port

RESPONSES = Responses.from_domain(Settings.from_env({}, dotenv=False).domain_path)


@pytest.fixture
async def pipeline_without_rasa(settings: Settings) -> AsyncIterator[Pipeline]:
    offline = replace(settings, rasa_url=f"http://127.0.0.1:{free_port()}", rasa_timeout_seconds=2)
    async with open_pipeline(offline) as pipeline:
        yield pipeline


@pytest.mark.parametrize(
    ("text", "language"),
    [("buongiorno", "it"), ("good morning", "en"), ("bonjour", "fr"), ("dzień dobry", "pl")],
)
async def test_rasa_down_gets_a_polite_reply_in_the_customers_language(
    pipeline_without_rasa: Pipeline, text: str, language: str
) -> None:
    replies = await pipeline_without_rasa.handle(Inbound("web", f"c-{language}", text))
    assert replies == [
        {
            "recipient_id": f"c-{language}",
            "text": RESPONSES.text("utter_service_unavailable", language),
        }
    ]


async def test_rasa_down_still_records_the_turn(
    pipeline_without_rasa: Pipeline, settings: Settings
) -> None:
    await pipeline_without_rasa.handle(Inbound("web", "c1", "bonjour"))
    database = settings.database_url.removeprefix("sqlite:///")
    with sqlite3.connect(database) as connection:
        rows = connection.execute("select text, outcome, language from turns").fetchall()
    assert rows == [("bonjour", "assistant_unavailable", "fr")]


async def test_database_down_still_answers(settings: Settings, tmp_path: Path) -> None:
    async with open_pipeline(settings) as pipeline:
        Path(settings.database_url.removeprefix("sqlite:///")).unlink()
        (tmp_path / "gateway.db").mkdir()  # the database file is now a folder: unusable
        replies = await pipeline.handle(Inbound("web", "c1", "good morning"))
    assert replies[0]["text"]  # a reply (here: Rasa is not running, so the polite apology)


async def test_too_long_message_is_refused_in_its_language(pipeline_without_rasa: Pipeline) -> None:
    replies = await pipeline_without_rasa.handle(Inbound("web", "c1", "vorrei sapere " * 1000))
    assert replies[0]["text"] == RESPONSES.text("utter_message_too_long", "it", max_chars=4096)
    assert "4096" in replies[0]["text"]


@pytest.mark.parametrize("text", ["", "   ", "\n\t"])
async def test_empty_message_gets_a_prompt(pipeline_without_rasa: Pipeline, text: str) -> None:
    replies = await pipeline_without_rasa.handle(Inbound("web", "c1", text, language_hint="en-GB"))
    assert replies[0]["text"] == RESPONSES.text("utter_empty_message", "en")


async def test_unsupported_language_names_the_supported_ones(
    pipeline_without_rasa: Pipeline,
) -> None:
    replies = await pipeline_without_rasa.handle(
        Inbound("web", "c1", "Guten Tag, ich möchte ein Konto eröffnen")
    )
    assert replies[0]["text"] == RESPONSES.text("utter_unsupported_language", "en")


async def test_sensitive_data_is_removed_before_storage_and_the_customer_warned(
    pipeline_without_rasa: Pipeline, settings: Settings
) -> None:
    outcome = await pipeline_without_rasa.respond(
        Inbound(
            "web",
            "c1",
            "la mia carta 4111 1111 1111 1111 è bloccata, perché?",
            None,
            can_delete=True,
        )
    )
    texts = [reply["text"] for reply in outcome.messages]
    assert texts[:2] == [
        RESPONSES.text("utter_sensitive_data_removed", "it"),
        RESPONSES.text("utter_block_card", "it", card_block_phone="+39 02 5550 0000"),
    ]
    assert "+39 02 5550 0000" in texts[1]  # from catalogue/bank.yml
    assert texts[2] == RESPONSES.text("utter_service_unavailable", "it")  # the rest still answered
    assert outcome.delete_original  # the channel deletes it once the warning is sent
    assert outcome.findings == ("CARD_NUMBER",)
    database = settings.database_url.removeprefix("sqlite:///")
    with sqlite3.connect(database) as connection:
        stored = connection.execute("select text from turns").fetchall()
        incidents = connection.execute(
            "select kind, channel, language from sensitive_incidents"
        ).fetchall()
    assert stored == [("la mia carta [CARD_NUMBER] è bloccata, perché?",)]
    assert incidents == [("CARD_NUMBER", "web", "it")]


async def test_a_message_of_only_sensitive_data_gets_only_the_warning(
    pipeline_without_rasa: Pipeline,
) -> None:
    await pipeline_without_rasa.handle(Inbound("web", "c2", "bonjour"))
    replies = await pipeline_without_rasa.handle(
        Inbound("web", "c2", "FR76 3000 6000 0112 3456 7890 189")
    )
    assert [reply["text"] for reply in replies] == [
        RESPONSES.text("utter_sensitive_data_removed", "fr")
    ]


async def test_an_over_long_message_is_stored_cut_and_screened(
    pipeline_without_rasa: Pipeline, settings: Settings
) -> None:
    # The cut at 4096 characters falls inside the card number: no fragment may survive.
    text = "a" * 4088 + " carta 4111 1111 1111 1111 " + "x" * 5000
    await pipeline_without_rasa.handle(Inbound("web", "long", text))
    database = settings.database_url.removeprefix("sqlite:///")
    with sqlite3.connect(database) as connection:
        (stored,) = connection.execute("select text from turns").fetchone()
    assert len(stored) <= 4096 + 4 and stored.endswith(" […]")
    assert "4111" not in stored


async def test_an_unexpected_failure_still_gets_a_polite_answer(
    pipeline_without_rasa: Pipeline, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(text: str) -> None:
        raise RuntimeError("a bug")

    monkeypatch.setattr("bot.pipeline.guard.screen", broken)
    replies = await pipeline_without_rasa.handle(
        Inbound("web", "c9", "ciao", language_hint="pl-PL")
    )
    assert replies == [
        {"recipient_id": "c9", "text": RESPONSES.text("utter_service_unavailable", "pl")}
    ]


async def test_a_button_payload_keeps_the_conversations_language(
    pipeline_without_rasa: Pipeline,
) -> None:
    await pipeline_without_rasa.handle(Inbound("web", "buttons", "dzień dobry"))
    replies = await pipeline_without_rasa.handle(
        Inbound("web", "buttons", '/ask_fees{"product": "credit_card"}', language_hint="en-GB")
    )  # English-looking words, an English browser: still the conversation's Polish
    assert replies[0]["text"] == RESPONSES.text("utter_service_unavailable", "pl")


def _rows(settings: Settings, query: str) -> list[tuple]:
    with sqlite3.connect(settings.database_url.removeprefix("sqlite:///")) as connection:
        return connection.execute(query).fetchall()


async def test_a_chosen_language_is_kept_whatever_the_customer_writes(
    pipeline_without_rasa: Pipeline, settings: Settings
) -> None:
    outcome = await pipeline_without_rasa.respond(
        Inbound("telegram", "7", '/choose_language{"language": "pl"}', language_hint="it")
    )
    assert outcome.kind == "language_chosen"
    assert [m["text"] for m in outcome.messages] == [RESPONSES.text("utter_language_chosen", "pl")]
    replies = await pipeline_without_rasa.handle(
        Inbound("telegram", "7", "Hello, what are the fees of your credit card?")
    )
    assert replies[0]["text"] == RESPONSES.text("utter_service_unavailable", "pl")
    assert _rows(settings, "select language, language_chosen from conversations") == [("pl", 1)]


async def test_a_language_that_is_not_offered_is_an_ordinary_message(
    pipeline_without_rasa: Pipeline,
) -> None:
    outcome = await pipeline_without_rasa.respond(
        Inbound("telegram", "8", '/choose_language{"language": "de"}', language_hint="fr")
    )
    assert outcome.kind == "assistant_unavailable"  # went on to Rasa, which is down here


PUBLIC = "https://t.me/sportello_test_bot?start={topic}"


@pytest.mark.parametrize(
    ("can_delete", "warning"),
    [(True, "utter_public_sensitive_data_removed"), (False, "utter_public_sensitive_data_shared")],
)
async def test_sensitive_data_in_a_group_moves_the_customer_to_a_private_chat(
    pipeline_without_rasa: Pipeline, settings: Settings, can_delete: bool, warning: str
) -> None:
    outcome = await pipeline_without_rasa.respond(
        Inbound(
            "telegram_group",
            "-1001:42",
            "@sportello_test_bot la mia carta 4111 1111 1111 1111 non funziona",
            language_hint="it",
            can_delete=can_delete,
            private_chat_url=PUBLIC,
        )
    )
    phone = "+39 02 5550 0000"
    assert outcome.kind == "moved_to_private"
    assert [m["text"] for m in outcome.messages] == [
        RESPONSES.text(warning, "it"),
        RESPONSES.text("utter_block_card", "it", card_block_phone=phone),
        RESPONSES.text("utter_continue_in_private", "it"),
    ]
    assert outcome.messages[-1]["buttons"] == [
        {
            "title": RESPONSES.text("utter_button_private_chat", "it"),
            "url": "https://t.me/sportello_test_bot?start=private",
        }
    ]
    assert outcome.delete_original is can_delete
    assert all("4111" not in str(row) for row in _rows(settings, "select * from turns"))


async def test_a_group_message_not_for_the_assistant_is_only_screened(
    pipeline_without_rasa: Pipeline, settings: Settings
) -> None:
    quiet = await pipeline_without_rasa.screen_public(
        Inbound(
            "telegram_group",
            "-1001:5",
            "qualcuno sa a che ora apre la filiale?",
            "it",
            can_delete=True,
            private_chat_url=PUBLIC,
        )  # fmt: skip
    )
    assert quiet.kind == "ignored" and quiet.messages == []
    warned = await pipeline_without_rasa.screen_public(
        Inbound(
            "telegram_group",
            "-1001:6",
            "my IBAN is GB82 WEST 1234 5698 7654 32",
            "en",
            can_delete=True,
            private_chat_url=PUBLIC,
        )  # fmt: skip
    )
    assert [m["text"] for m in warned.messages] == [
        RESPONSES.text("utter_public_sensitive_data_removed", "en")
    ]
    assert warned.delete_original and warned.findings == ("IBAN",)
    assert _rows(settings, "select count(*) from turns") == [(0,)]  # nothing stored
    assert _rows(settings, "select kind, channel from sensitive_incidents") == [
        ("IBAN", "telegram_group")
    ]


async def test_a_notice_answers_in_the_conversations_language_and_is_recorded(
    pipeline_without_rasa: Pipeline, settings: Settings
) -> None:
    await pipeline_without_rasa.handle(Inbound("telegram", "9", "bonjour"))
    replies = await pipeline_without_rasa.notice(
        Inbound("telegram", "9", "[photo]", language_hint="pl"), "utter_no_pictures",
        kind="file_refused",
    )  # fmt: skip
    assert [m["text"] for m in replies] == [RESPONSES.text("utter_no_pictures", "fr")]
    assert _rows(settings, "select text, outcome, language from turns order by id")[-1] == (
        "[photo]",
        "file_refused",
        "fr",
    )
