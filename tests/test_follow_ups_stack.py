"""End to end: follow-up questions carry the last question over, in four languages.

"how much is the current account?" then "and the credit card?" gets the card's fee;
"how much is the credit card?" then "and its rate?" gets the card's rate; a follow-up with
nothing asked before asks what the customer wants to know, with buttons. A price question
about a card is never answered with the lost-card or fraud answer.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from actions.facts import product_facts, service_facts
from bot.catalogue import load_catalogue
from bot.responses import Responses
from bot.settings import PROJECT_ROOT
from tests.conftest import RunningStack

pytestmark = pytest.mark.stack

TEXTS = Responses.from_domain(PROJECT_ROOT / "domain.yml")
CATALOGUE = load_catalogue(PROJECT_ROOT / "catalogue" / "bank.yml")
ANSWER = {"fees": "utter_fees", "rate": "utter_rate", "open": "utter_open"}
EMERGENCIES = ("utter_lost_card", "utter_report_fraud")

# (language, attribute): the first question and its product, then follow-ups naming only a product.
SAME_QUESTION = {
    ("it", "fees"): [
        ("quanto costa il conto corrente?", "current_account"),
        ("e la carta di credito?", "credit_card"),
        ("e per la carta prepagata?", "prepaid_card"),
        ("il bancomat?", "debit_card"),
    ],
    ("it", "rate"): [
        ("che tasso ha il mutuo?", "mortgage"),
        ("e il prestito personale?", "personal_loan"),
        ("invece il deposito vincolato?", "term_deposit"),
    ],
    ("it", "open"): [
        ("come si apre il conto corrente?", "current_account"),
        ("e la carta di debito?", "debit_card"),
        ("e x il mutuo", "mortgage"),
    ],
    ("en", "fees"): [
        ("how much is the current account?", "current_account"),
        ("and the credit card?", "credit_card"),
        ("what about the prepaid card?", "prepaid_card"),
        ("debit card?", "debit_card"),
    ],
    ("en", "rate"): [
        ("what's the interest rate on the mortgage?", "mortgage"),
        ("and the personal loan?", "personal_loan"),
        ("how about a term deposit?", "term_deposit"),
    ],
    ("en", "open"): [
        ("how do i open a current account?", "current_account"),
        ("and a debit card?", "debit_card"),
        ("what about the mortgage?", "mortgage"),
    ],
    ("fr", "fees"): [
        ("combien coûte le compte courant ?", "current_account"),
        ("et la carte de crédit ?", "credit_card"),
        ("et pour la carte prepayee ?", "prepaid_card"),
        ("la carte bleue ?", "debit_card"),
    ],
    ("fr", "rate"): [
        ("quel est le taux du prêt immobilier ?", "mortgage"),
        ("et pour un prêt perso ?", "personal_loan"),
        ("et le dépôt à terme ?", "term_deposit"),
    ],
    ("fr", "open"): [
        ("comment ouvrir un compte courant ?", "current_account"),
        ("et la carte bleue ?", "debit_card"),
        ("et pour un prêt immobilier ?", "mortgage"),
    ],
    ("pl", "fees"): [
        ("ile kosztuje konto osobiste?", "current_account"),
        ("a karta kredytowa?", "credit_card"),
        ("a dla karty przedpłaconej?", "prepaid_card"),
        ("karta debetowa?", "debit_card"),
    ],
    ("pl", "rate"): [
        ("jakie jest oprocentowanie kredytu hipotecznego?", "mortgage"),
        ("a kredyt gotówkowy?", "personal_loan"),
        ("a dla lokaty?", "term_deposit"),
    ],
    ("pl", "open"): [
        ("jak otworzyć konto osobiste?", "current_account"),
        ("a karta debetowa?", "debit_card"),
        ("a kredyt hipoteczny?", "mortgage"),
    ],
}

# (language): a question about a product, then other attributes of the same product.
SAME_PRODUCT = {
    "it": ("credit_card", [("quanto costa la carta di credito?", "fees"),
                           ("e il TAEG?", "rate"), ("come si richiede?", "open")]),
    "en": ("credit_card", [("how much does the credit card cost?", "fees"),
                           ("and its rate?", "rate"), ("and how do i get one?", "open")]),
    "fr": ("credit_card", [("combien coûte la carte de crédit ?", "fees"),
                           ("et le TAEG ?", "rate"), ("comment l'obtenir ?", "open")]),
    "pl": ("credit_card", [("ile kosztuje karta kredytowa?", "fees"),
                           ("a oprocentowanie?", "rate"), ("a jak ją zamówić?", "open")]),
}  # fmt: skip

NO_CONTEXT = {
    "it": "e la carta di credito?",
    "en": "and the credit card?",
    "fr": "et la carte de crédit ?",
    "pl": "a karta kredytowa?",
}


def expected(attribute: str, product: str, language: str) -> str:
    facts = product_facts(CATALOGUE, product, language)
    return TEXTS.text(f"{ANSWER[attribute]}_{product}", language, **facts)


def replies(stack: RunningStack, sender: str, text: str) -> list[dict[str, Any]]:
    response = stack.send(sender, text)
    assert response.status_code == 200, response.text
    return list(response.json())


def no_emergency(texts: list[str], language: str) -> None:
    for name in EMERGENCIES:
        assert TEXTS.text(name, language, **service_facts(CATALOGUE, language)) not in texts, name


@pytest.mark.parametrize(("language", "attribute"), sorted(SAME_QUESTION))
def test_a_follow_up_naming_a_product_asks_the_last_question_again(
    running_stack: RunningStack, language: str, attribute: str
) -> None:
    sender = f"follow-{language}-{attribute}"
    for text, product in SAME_QUESTION[(language, attribute)]:
        texts = [r.get("text") for r in replies(running_stack, sender, text)]
        no_emergency(texts, language)
        assert texts == [expected(attribute, product, language)], text


@pytest.mark.parametrize("language", sorted(SAME_PRODUCT))
def test_a_follow_up_naming_an_attribute_asks_it_of_the_last_product(
    running_stack: RunningStack, language: str
) -> None:
    product, turns = SAME_PRODUCT[language]
    for text, attribute in turns:
        texts = [r.get("text") for r in replies(running_stack, f"attr-{language}", text)]
        assert texts == [expected(attribute, product, language)], text


@pytest.mark.parametrize("language", sorted(NO_CONTEXT))
def test_a_follow_up_with_nothing_asked_before_asks_what_to_know_with_buttons(
    running_stack: RunningStack, language: str
) -> None:
    sender = f"no-context-{language}"
    [ask] = replies(running_stack, sender, NO_CONTEXT[language])
    name = TEXTS.text("utter_label_credit_card", language)
    assert ask["text"] == TEXTS.text("utter_ask_what_about_product", language, product_name=name)
    product = json.dumps({"product": "credit_card"})
    assert ask["buttons"] == [
        {"title": TEXTS.text(f"utter_button_{intent}", language), "payload": f"/{intent}{product}"}
        for intent in ("ask_fees", "ask_interest_rate", "ask_open_product")
    ]
    [answer] = replies(running_stack, sender, ask["buttons"][1]["payload"])
    assert answer["text"] == expected("rate", "credit_card", language)
