"""The catalogue, service and education actions, replaying trackers (no Rasa server)."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import yaml
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions import answers
from actions.answers import ActionAnswerProduct, ActionAnswerService, ActionExplain
from actions.facts import PRODUCTS
from bot.responses import Responses
from bot.settings import PROJECT_ROOT

DOMAIN: dict[str, Any] = yaml.safe_load((PROJECT_ROOT / "domain.yml").read_text(encoding="utf-8"))
TEXTS = Responses.from_domain(PROJECT_ROOT / "domain.yml")
EDUCATION = [i for i in DOMAIN["intents"] if str(i).startswith("edu_")]


def tracker(
    intent: str, products: tuple[str, ...] = (), language: str = "en", **slots: str
) -> Tracker:
    entities = [{"entity": "product", "value": p} for p in products]
    entities.append({"entity": "language", "value": language})
    return Tracker(
        sender_id="test",
        slots={"language": language, **slots},
        latest_message={
            "text": "…",
            "intent": {"name": intent, "confidence": 0.9},
            "entities": entities,
        },
        events=[],
        paused=False,
        followup_action=None,
        active_loop={},
        latest_action_name="action_listen",
    )


async def said(action: Any, track: Tracker) -> list[dict[str, Any]]:
    dispatcher = CollectingDispatcher()
    events = await action.run(dispatcher, track, DOMAIN)
    # Only the product answers remember something: the last question and product.
    assert {e["name"] for e in events} <= {"last_question", "last_product"}
    return dispatcher.messages


async def remembered(action: Any, track: Tracker) -> dict[str, Any]:
    events = await action.run(CollectingDispatcher(), track, DOMAIN)
    return {e["name"]: e["value"] for e in events}


@pytest.mark.parametrize("language", ["it", "en", "fr", "pl"])
@pytest.mark.parametrize(
    ("previous", "response"),
    [("ask_fees", "utter_fees_mortgage"), ("ask_interest_rate", "utter_rate_mortgage"),
     ("ask_open_product", "utter_open_mortgage"), ("ask_products", "utter_fees_mortgage")],
)  # fmt: skip
async def test_a_follow_up_naming_a_product_asks_the_last_question_again(
    previous: str, response: str, language: str
) -> None:
    track = tracker("ask_follow_up", ("mortgage",), language, last_question=previous,
                    last_product="current_account")  # fmt: skip
    [message] = await said(ActionAnswerProduct(), track)
    assert message["response"] == response
    assert await remembered(ActionAnswerProduct(), track) == {
        "last_question": previous, "last_product": "mortgage",
    }  # fmt: skip


@pytest.mark.parametrize(
    ("asked", "response"),
    [("ask_fees", "utter_fees_credit_card"), ("ask_interest_rate", "utter_rate_credit_card"),
     ("ask_open_product", "utter_open_credit_card")],
)  # fmt: skip
async def test_an_attribute_alone_is_asked_of_the_last_product(asked: str, response: str) -> None:
    track = tracker(asked, (), "it", last_question="ask_fees", last_product="credit_card")
    [message] = await said(ActionAnswerProduct(), track)
    assert message["response"] == response


async def test_a_follow_up_with_nothing_asked_before_offers_what_to_know() -> None:
    [message] = await said(ActionAnswerProduct(), tracker("ask_follow_up", ("credit_card",), "fr"))
    assert message["response"] == "utter_ask_what_about_product"
    assert message["product_name"] == "Carte de crédit"
    assert [b["payload"] for b in message["buttons"]] == [
        '/ask_fees{"product": "credit_card"}',
        '/ask_interest_rate{"product": "credit_card"}',
        '/ask_open_product{"product": "credit_card"}',
    ]
    assert [b["title"] for b in message["buttons"]] == ["Frais", "Taux", "Comment l'ouvrir"]


async def test_a_general_question_does_not_take_the_last_product() -> None:
    track = tracker("ask_products", (), "en", last_question="ask_fees", last_product="credit_card")
    [message] = await said(ActionAnswerProduct(), track)
    assert message["response"] == "utter_products_overview"


@pytest.mark.parametrize(
    ("intent", "response"),
    [("ask_fees", "utter_fees_credit_card"),
     ("ask_products", "utter_fees_credit_card"),
     ("ask_interest_rate", "utter_rate_credit_card"),
     ("ask_open_product", "utter_open_credit_card")],
)  # fmt: skip
async def test_a_named_product_gets_its_answer_with_catalogue_values(
    intent: str, response: str
) -> None:
    [message] = await said(ActionAnswerProduct(), tracker(intent, ("credit_card",), "it"))
    assert message["response"] == response
    assert message["name"] == "Aurora Classic"
    assert message["annual_fee"] == "30,00\u00a0€" and message["taeg"] == "16,90%"


async def test_no_product_asks_which_one_with_a_button_for_each() -> None:
    [message] = await said(ActionAnswerProduct(), tracker("ask_fees", (), "fr"))
    assert message["response"] == "utter_ask_which_product"
    assert len(message["buttons"]) == 9
    first = message["buttons"][0]
    assert first["title"] == TEXTS.text("utter_label_current_account", "fr")
    assert first["payload"] == '/ask_fees{"product": "current_account"}'
    intent, _, entities = first["payload"][1:].partition("{")
    assert intent == "ask_fees" and json.loads("{" + entities) == {"product": "current_account"}


async def test_a_family_asks_among_its_members() -> None:
    [message] = await said(ActionAnswerProduct(), tracker("ask_interest_rate", ("card",), "pl"))
    assert [b["payload"] for b in message["buttons"]] == [
        f'/ask_interest_rate{{"product": "{p}"}}'
        for p in ("debit_card", "credit_card", "prepaid_card")
    ]


async def test_two_products_ask_between_them_only() -> None:
    [message] = await said(
        ActionAnswerProduct(), tracker("ask_fees", ("credit_card", "prepaid_card"))
    )
    assert [b["title"] for b in message["buttons"]] == ["Credit card", "Prepaid card"]


@pytest.mark.parametrize(
    ("products", "response"),
    [((), "utter_products_overview"), (("card",), "utter_products_cards"),
     (("loan",), "utter_products_loans"), (("account",), "utter_products_accounts")],
)  # fmt: skip
async def test_what_do_you_offer_lists_products(products: tuple[str, ...], response: str) -> None:
    [message] = await said(ActionAnswerProduct(), tracker("ask_products", products))
    assert message["response"] == response
    assert message["credit_card_name"] == "Aurora Classic"


@pytest.mark.parametrize(
    ("intent", "response", "value"),
    [("lost_stolen_card", "utter_lost_card", ("block_phone", "+39 02 5550 0000")),
     ("report_fraud", "utter_report_fraud", ("phishing_email", "phishing@aurorabank.example")),
     ("ask_transfer", "utter_transfer", ("instant_fee", "€1.00")),
     ("online_banking_help", "utter_online_banking_help", ("phone", "+39 02 5550 1000")),
     ("ask_account_data", "utter_account_data", ("app", "Aurora Bank")),
     ("ask_complaint_status", "utter_complaint_status", ("days_general", 60))],
)  # fmt: skip
async def test_service_answers(intent: str, response: str, value: tuple[str, Any]) -> None:
    [message] = await said(ActionAnswerService(), tracker(intent))
    assert message["response"] == response
    assert message[value[0]] == value[1]


async def test_contact_says_when_the_line_opens(monkeypatch: pytest.MonkeyPatch) -> None:
    saturday_evening = datetime(2026, 11, 28, 18, 0, tzinfo=ZoneInfo("Europe/Rome"))
    monkeypatch.setattr(answers, "now", lambda: saturday_evening)
    status, details = await said(ActionAnswerService(), tracker("ask_contact", (), "it"))
    assert status["response"] == "utter_contact_opens_on"
    assert (status["opens_day"], status["opens_time"]) == ("lunedì", "08:00")
    assert details["response"] == "utter_contact_details"
    assert details["phone_hours"] == "lun–ven 08:00–20:00; sab 09:00–13:00"


@pytest.mark.parametrize("intent", EDUCATION)
async def test_every_education_topic_has_its_answer(intent: str) -> None:
    [message] = await said(ActionExplain(), tracker(intent, (), "pl"))
    assert message["response"] == f"utter_{intent}"
    assert message["response"] in DOMAIN["responses"]


async def test_apr_quotes_the_catalogues_loan() -> None:
    [message] = await said(ActionExplain(), tracker("edu_apr", (), "en"))
    assert (message["loan_name"], message["tan"], message["taeg"]) == (
        "Prestito Aurora", "6.90%", "7.45%",
    )  # fmt: skip


def test_every_response_the_actions_can_name_is_in_the_domain() -> None:
    named = {
        *(f"{prefix}_{p}" for prefix in set(answers.PRODUCT_ANSWERS.values()) for p in PRODUCTS),
        *(f"utter_label_{p}" for p in PRODUCTS),
        *answers.OVERVIEWS.values(),
        *answers.SERVICE_ANSWERS.values(),
        "utter_ask_which_product",
        "utter_contact_open_now",
        "utter_contact_opens_today",
        "utter_contact_opens_tomorrow",
        "utter_contact_opens_on",
        "utter_contact_details",
    }
    assert named - set(DOMAIN["responses"]) == set()
