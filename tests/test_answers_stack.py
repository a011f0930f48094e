"""End to end: answers from the catalogue through the gateway, Rasa and the action server."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from actions.facts import product_facts
from bot.catalogue import load_catalogue
from bot.responses import Responses
from bot.settings import PROJECT_ROOT
from tests.conftest import RunningStack

pytestmark = pytest.mark.stack

TEXTS = Responses.from_domain(PROJECT_ROOT / "domain.yml")
NBSP = "\u00a0"


def answer(stack: RunningStack, sender: str, message: str) -> list[dict[str, Any]]:
    response = stack.send(sender, message)
    assert response.status_code == 200, response.text
    return list(response.json())


def fee_sentence(stack: RunningStack, sender: str, message: str) -> str:
    [reply] = answer(stack, sender, message)
    return str(reply["text"])


@pytest.mark.parametrize(
    ("language", "question", "fee"),
    [
        ("it", "quanto costa il conto corrente al mese?", f"3,00{NBSP}€"),
        ("en", "how much does the current account cost a month?", "€3.00"),
        ("fr", "combien coûte le compte courant par mois ?", f"3,00{NBSP}€"),
        ("pl", "ile kosztuje konto osobiste miesięcznie?", f"3,00{NBSP}€"),
    ],
)
def test_a_fee_question_gets_the_catalogue_fee_in_the_languages_format(
    running_stack: RunningStack, language: str, question: str, fee: str
) -> None:
    text = fee_sentence(running_stack, f"fee-{language}", question)
    assert fee in text and "Conto Aurora" in text
    facts = product_facts(
        load_catalogue(PROJECT_ROOT / "catalogue" / "bank.yml"), "current_account", language
    )
    assert text == TEXTS.text("utter_fees_current_account", language, **facts)


def test_a_changed_fee_changes_the_answer_without_retraining(running_stack: RunningStack) -> None:
    catalogue: Path = running_stack.settings.catalogue
    original = catalogue.read_text(encoding="utf-8")
    model_files = sorted((PROJECT_ROOT / "models").glob("*.tar.gz"))
    data = yaml.safe_load(original)
    data["products"]["current_account"]["monthly_fee_eur"] = 4.75
    try:
        catalogue.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
        text = fee_sentence(running_stack, "fee-changed", "how much does the current account cost?")
        assert "€4.75" in text and "€3.00" not in text
    finally:
        catalogue.write_text(original, encoding="utf-8")
    assert sorted((PROJECT_ROOT / "models").glob("*.tar.gz")) == model_files  # nothing trained
    text = fee_sentence(running_stack, "fee-restored", "how much does the current account cost?")
    assert "€3.00" in text


def test_an_unclear_product_is_asked_about_with_buttons_that_answer_in_the_same_language(
    running_stack: RunningStack,
) -> None:
    [ask] = answer(running_stack, "which-card", "combien coûte la carte ?")
    assert ask["text"] == TEXTS.text("utter_ask_which_product", "fr")
    titles = [b["title"] for b in ask["buttons"]]
    assert titles == [
        TEXTS.text(f"utter_label_{p}", "fr") for p in ("debit_card", "credit_card", "prepaid_card")
    ]
    credit = ask["buttons"][1]["payload"]
    [reply] = answer(running_stack, "which-card", credit)
    assert "Aurora Classic" in reply["text"] and f"30,00{NBSP}€" in reply["text"]


def test_contact_hours_and_number(running_stack: RunningStack) -> None:
    status, details = answer(running_stack, "contact", "what's your customer service number?")
    assert "+39 02 5550 1000" in status["text"]
    assert re.search(r"\d\d:\d\d", status["text"])  # until 20:00, or when it opens next
    assert "Mon–Fri 08:00–20:00; Sat 09:00–13:00" in details["text"]


def test_a_lost_card_gets_the_blocking_number_first(running_stack: RunningStack) -> None:
    [reply] = answer(running_stack, "lost-pl", "zgubiłem kartę, co mam zrobić?")
    assert reply["text"].index("+39 02 5550 0000") < 60


def test_account_data_is_not_read_here_and_no_credentials_are_asked(
    running_stack: RunningStack,
) -> None:
    [reply] = answer(running_stack, "balance-it", "qual è il mio saldo?")
    assert reply["text"] == TEXTS.text(
        "utter_account_data", "it", app="Aurora Bank", website="https://www.aurorabank.example",
        phone="+39 02 5550 1000",
    )  # fmt: skip


def test_an_education_topic_offers_its_calculator(running_stack: RunningStack) -> None:
    [reply] = answer(running_stack, "edu-en", "what is compound interest?")
    assert reply["text"] == TEXTS.text("utter_edu_compound_interest", "en")
    assert [b["payload"] for b in reply["buttons"]] == ["/calc_savings"]
    [ask] = answer(running_stack, "edu-en", "/calc_savings")
    assert ask["text"] == TEXTS.text("utter_ask_savings_amount", "en")
