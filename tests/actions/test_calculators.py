"""The calculators' actions, replaying trackers (no Rasa server needed)."""

from __future__ import annotations

from typing import Any

import pytest
from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.calculators import (
    ActionCalculateLoan,
    ActionCalculateSavings,
    ValidateLoanForm,
    ValidateSavingsForm,
)

DOMAIN: dict[str, Any] = {
    "forms": {
        "loan_form": {"required_slots": ["loan_amount", "loan_rate", "loan_months"]},
        "savings_form": {
            "required_slots": [
                "savings_amount",
                "savings_lump_sum",
                "savings_rate",
                "savings_months",
            ]
        },
    },
    "slots": {},
}


def tracker(text: str, slots: dict[str, Any], form: str = "loan_form") -> Tracker:
    return Tracker(
        sender_id="test",
        slots={"language": "it", **slots},
        latest_message={"text": text, "intent": {"name": "calc_loan", "confidence": 1.0}},
        events=[],
        paused=False,
        followup_action=None,
        active_loop={"name": form},
        latest_action_name="action_listen",
    )


async def run_validation(
    action: Any, text: str, slots: dict[str, Any]
) -> tuple[dict[str, Any], list[str]]:
    dispatcher = CollectingDispatcher()
    form = "savings_form" if isinstance(action, ValidateSavingsForm) else "loan_form"
    events = await action.run(dispatcher, tracker(text, slots, form), DOMAIN)
    filled = {e["name"]: e["value"] for e in events if e.get("event") == "slot"}
    return filled, [m.get("response") for m in dispatcher.messages]


async def test_everything_in_one_message() -> None:
    filled, said = await run_validation(
        ValidateLoanForm(), "rata per 10.000 euro al 6,9% in 5 anni", {"requested_slot": None}
    )
    assert filled == {"loan_amount": "10000", "loan_rate": "6.9", "loan_months": 60}
    assert said == []


async def test_the_catalogue_rate_when_none_is_given() -> None:
    filled, _ = await run_validation(
        ValidateLoanForm(), "prestito di 8000 euro", {"requested_slot": None}
    )
    assert filled["loan_rate"] == "6.9"  # Prestito Aurora's TAN in catalogue/bank.yml


async def test_step_by_step_answers_fill_the_asked_slot() -> None:
    slots = {"requested_slot": "loan_months", "loan_amount": "10000", "loan_rate": "6.9"}
    filled, _ = await run_validation(ValidateLoanForm(), "60", slots)
    assert filled["loan_months"] == 60
    filled, _ = await run_validation(ValidateLoanForm(), "5", slots)
    assert filled["loan_months"] == 60  # a bare small number is years


@pytest.mark.parametrize(
    ("slots", "text", "slot", "response"),
    [
        ({"requested_slot": "loan_amount"}, "50", "loan_amount", "utter_invalid_amount"),
        (
            {"requested_slot": "loan_months", "loan_amount": "1000"},
            "100 anni",
            "loan_months",
            "utter_invalid_duration",
        ),
        (
            {"requested_slot": "loan_rate", "loan_amount": "1000"},
            "45%",
            "loan_rate",
            "utter_invalid_rate",
        ),
    ],
)
async def test_out_of_range_values_are_asked_again(
    slots: dict[str, Any], text: str, slot: str, response: str
) -> None:
    filled, said = await run_validation(ValidateLoanForm(), text, slots)
    assert filled[slot] is None
    assert response in said


async def test_savings_lump_sum_is_recognised() -> None:
    filled, _ = await run_validation(
        ValidateSavingsForm(),
        "se metto 10.000 euro una tantum per 3 anni?",
        {"requested_slot": None},
    )
    assert filled["savings_lump_sum"] is True
    assert filled["savings_amount"] == "10000"
    assert filled["savings_rate"] == "2.25"  # Risparmio Aurora's rate
    assert filled["savings_months"] == 36


@pytest.mark.parametrize(
    ("language", "payment"),
    [("it", "197,54\u00a0€"), ("en", "€197.54"), ("fr", "197,54\u00a0€"), ("pl", "197,54\u00a0€")],
)
async def test_loan_answer_in_the_customers_format(language: str, payment: str) -> None:
    dispatcher = CollectingDispatcher()
    slots = {"language": language, "loan_amount": "10000", "loan_rate": "6.90", "loan_months": 60}
    events = await ActionCalculateLoan().run(dispatcher, tracker("", slots), DOMAIN)
    (message,) = dispatcher.messages
    assert message["response"] == "utter_loan_result"
    assert message["payment"] == payment
    assert events == [
        SlotSet("loan_amount", None),
        SlotSet("loan_rate", None),
        SlotSet("loan_months", None),
    ]


async def test_savings_answer() -> None:
    dispatcher = CollectingDispatcher()
    slots = {
        "savings_amount": "100",
        "savings_rate": "2.25",
        "savings_months": 60,
        "savings_lump_sum": False,
    }
    await ActionCalculateSavings().run(dispatcher, tracker("", slots, "savings_form"), DOMAIN)
    (message,) = dispatcher.messages
    assert (message["response"], message["balance"], message["interest"]) == (
        "utter_savings_result", "6.344,23\u00a0€", "344,23\u00a0€",
    )  # fmt: skip


@pytest.mark.parametrize(
    ("text", "currency"),
    [
        ("ile wyniesie rata kredytu 50 tys. zł na 10 lat?", "PLN"),
        ("a loan of $20,000 over 5 years", "USD"),
        ("prêt de 15 000 francs suisses", "CHF"),
        ("prestito di 10.000 sterline", "GBP"),
    ],
)
async def test_an_amount_in_another_currency_is_never_taken_for_euros(
    text: str, currency: str
) -> None:
    filled, said = await run_validation(ValidateLoanForm(), text, {"requested_slot": None})
    assert filled["loan_amount"] is None
    assert said[0] == "utter_amount_in_euros"


async def test_an_amount_in_euros_is_taken() -> None:
    filled, said = await run_validation(
        ValidateLoanForm(), "50 tys. euro na 10 lat", {"requested_slot": None}
    )
    assert filled["loan_amount"] == "50000" and "utter_amount_in_euros" not in said


@pytest.mark.parametrize(
    ("text", "amount"),
    [
        ("twenty thousand", "20000"),
        ("ventimila", "20000"),
        ("vingt mille", "20000"),
        ("dwadzieścia tysięcy", "20000"),
        ("quindici mila", "15000"),
    ],
)
async def test_the_amount_asked_for_can_be_written_in_words(text: str, amount: str) -> None:
    filled, said = await run_validation(ValidateLoanForm(), text, {"requested_slot": "loan_amount"})
    assert filled["loan_amount"] == amount and said == []


async def test_a_duration_in_words_fills_the_months() -> None:
    slots = {"requested_slot": "loan_months", "loan_amount": "20000", "loan_rate": "6.9"}
    filled, _ = await run_validation(ValidateLoanForm(), "cinque anni", slots)
    assert filled["loan_months"] == 60
