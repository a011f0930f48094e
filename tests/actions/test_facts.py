"""Catalogue values for the answers, in each language's format, and the contact hours."""

from __future__ import annotations

from datetime import datetime, timezone
from zoneinfo import ZoneInfo

import pytest

from actions.facts import (
    PRODUCTS,
    contact_status,
    education_facts,
    overview_facts,
    product_facts,
    service_facts,
)
from bot.catalogue import load_catalogue
from bot.settings import PROJECT_ROOT

CATALOGUE = load_catalogue(PROJECT_ROOT / "catalogue" / "bank.yml")
ROME = ZoneInfo("Europe/Rome")
NBSP, NNBSP = "\u00a0", "\u202f"


@pytest.mark.parametrize(
    ("language", "fee", "under_30"),
    [("it", f"3,00{NBSP}€", f"0,00{NBSP}€"), ("en", "€3.00", "€0.00"),
     ("fr", f"3,00{NBSP}€", f"0,00{NBSP}€"), ("pl", f"3,00{NBSP}€", f"0,00{NBSP}€")],
)  # fmt: skip
def test_the_current_account_fee_in_each_format(language: str, fee: str, under_30: str) -> None:
    facts = product_facts(CATALOGUE, "current_account", language)
    assert facts["monthly_fee"] == fee
    assert facts["monthly_fee_under_30"] == under_30
    assert facts["name"] == "Conto Aurora"


@pytest.mark.parametrize(
    ("language", "amount", "payment", "tan"),
    [("it", f"10.000{NBSP}€", f"197,54{NBSP}€", "6,90%"), ("en", "€10,000", "€197.54", "6.90%"),
     ("fr", f"10{NNBSP}000{NBSP}€", f"197,54{NBSP}€", "6,90 %"),
     ("pl", f"10{NBSP}000{NBSP}€", f"197,54{NBSP}€", "6,90%")],
)  # fmt: skip
def test_the_representative_loan_example_is_computed_from_the_rate(
    language: str, amount: str, payment: str, tan: str
) -> None:
    facts = product_facts(CATALOGUE, "personal_loan", language)
    assert (facts["example_amount"], facts["example_payment"], facts["tan"]) == (
        amount, payment, tan,
    )  # fmt: skip
    assert facts["example_months"] == 60


@pytest.mark.parametrize("product", PRODUCTS)
@pytest.mark.parametrize("language", ["it", "en", "fr", "pl"])
def test_every_product_has_facts_in_every_language(product: str, language: str) -> None:
    facts = product_facts(CATALOGUE, product, language)
    assert facts["name"] and all(value not in (None, "") for value in facts.values())


def test_overview_service_and_education_facts() -> None:
    overview = overview_facts(CATALOGUE, "en")
    assert overview["credit_card_name"] == "Aurora Classic"
    assert overview["term_deposit_minimum"] == "€1,000"
    service = service_facts(CATALOGUE, "fr")
    assert service["block_phone"] == "+39 02 5550 0000"
    assert service["phone_hours"] == "lun.–ven. 08:00–20:00; sam. 09:00–13:00"
    assert service["instant_fee"] == f"1,00{NBSP}€"
    assert (service["days_general"], service["days_payment"]) == (60, 15)
    assert education_facts(CATALOGUE, "it")["taeg"] == "7,45%"


@pytest.mark.parametrize(
    ("local", "language", "response", "values"),
    [
        ((2026, 11, 23, 10, 0), "it", "utter_contact_open_now", {"until": "20:00"}),
        ((2026, 11, 28, 11, 0), "en", "utter_contact_open_now", {"until": "13:00"}),
        ((2026, 11, 23, 7, 0), "en", "utter_contact_opens_today", {"opens_time": "08:00"}),
        ((2026, 11, 27, 21, 0), "fr", "utter_contact_opens_tomorrow", {"opens_time": "09:00"}),
        ((2026, 11, 28, 15, 0), "en", "utter_contact_opens_on",
         {"opens_day": "Monday", "opens_time": "08:00"}),
        ((2026, 12, 7, 22, 0), "it", "utter_contact_opens_on",
         {"opens_day": "mercoledì", "opens_time": "08:00"}),  # 8 December is a holiday
        ((2026, 12, 24, 21, 0), "pl", "utter_contact_opens_on",
         {"opens_day": "poniedziałek", "opens_time": "08:00"}),
    ],
)  # fmt: skip
def test_contact_hours_in_the_banks_timezone(
    local: tuple[int, ...], language: str, response: str, values: dict[str, str]
) -> None:
    now = datetime(*local, tzinfo=ROME).astimezone(timezone.utc)  # the server's clock is UTC
    name, facts = contact_status(CATALOGUE, now, language)
    assert name == response
    assert {key: facts[key] for key in values} == values
    assert facts["phone"] == "+39 02 5550 1000"
