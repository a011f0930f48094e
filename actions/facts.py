"""Catalogue values for the answers, formatted for the reader's language (no Rasa here).

Each function returns the placeholders of one family of responses in domain.yml: the
sentences live there, the numbers and names come from the catalogue through here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache
from typing import Any

from actions import finance
from bot.catalogue import Catalogue, CatalogueFile
from bot.complaints import make_reference
from bot.formatting import clock, day_name, money, percent, schedule

PRODUCTS = (
    "current_account", "savings_account", "term_deposit",
    "debit_card", "credit_card", "prepaid_card",
    "personal_loan", "mortgage", "overdraft",
)  # fmt: skip
FAMILIES = {
    "account": ("current_account", "savings_account", "term_deposit"),
    "card": ("debit_card", "credit_card", "prepaid_card"),
    "loan": ("personal_loan", "mortgage", "overdraft"),
}


@lru_cache(maxsize=1)
def _catalogue_file() -> CatalogueFile:
    from bot.settings import Settings

    return CatalogueFile(Settings.from_env().catalogue)


def catalogue() -> Catalogue:
    """The bank's catalogue as it is now on disk (re-read when the file changes)."""
    return _catalogue_file().current()


@dataclass(frozen=True)
class _Product:
    """Reads one product's keys, formatted for `lang`."""

    cat: Catalogue
    product: str
    lang: str

    def get(self, key: str) -> Any:
        return self.cat.get(f"products.{self.product}.{key}")

    def money(self, key: str) -> str:
        return money(self.get(key), self.lang)

    def pct(self, key: str) -> str:
        return percent(self.get(key), self.lang)


def product_facts(cat: Catalogue, product: str, lang: str) -> dict[str, Any]:
    """Every placeholder of the utter_fees_/utter_rate_/utter_open_<product> responses."""
    p = _Product(cat, product, lang)
    savings = _Product(cat, "savings_account", lang)
    return {
        "name": p.get("name"),
        "current_account_name": cat.get("products.current_account.name"),
        "savings_name": savings.get("name"),
        "savings_rate": savings.pct("gross_annual_interest_pct"),
        **_PRODUCT_FACTS[product](p),
    }


_PRODUCT_FACTS: dict[str, Callable[[_Product], dict[str, Any]]] = {
    "current_account": lambda p: {
        "monthly_fee": p.money("monthly_fee_eur"),
        "monthly_fee_under_30": p.money("monthly_fee_under_30_eur"),
        "online_minutes": p.get("open_online_minutes"),
    },
    "savings_account": lambda p: {
        "monthly_fee": p.money("monthly_fee_eur"),
        "rate": p.pct("gross_annual_interest_pct"),
    },
    "term_deposit": lambda p: {
        "minimum": p.money("minimum_eur"),
        "rate_12": p.pct("gross_annual_interest_pct.12_months"),
        "rate_24": p.pct("gross_annual_interest_pct.24_months"),
    },
    "debit_card": lambda p: {
        "annual_fee": p.money("annual_fee_eur"),
        "atm_own": p.money("atm_withdrawal_eur.aurora_atm"),
        "atm_other": p.money("atm_withdrawal_eur.other_banks_euro_area"),
        "atm_outside_pct": p.pct("atm_withdrawal_outside_euro_pct"),
        "daily_limit": p.money("daily_withdrawal_limit_eur"),
    },
    "credit_card": lambda p: {
        "annual_fee": p.money("annual_fee_eur"),
        "tan": p.pct("tan_pct"),
        "taeg": p.pct("taeg_pct"),
        "limit_min": p.money("credit_limit_eur.min"),
        "limit_max": p.money("credit_limit_eur.max"),
    },
    "prepaid_card": lambda p: {
        "issue_fee": p.money("issue_fee_eur"),
        "top_up_other": p.money("top_up_fee_eur.other"),
        "max_balance": p.money("max_balance_eur"),
    },
    "personal_loan": lambda p: {
        "tan": p.pct("tan_from_pct"),
        "taeg": p.pct("taeg_from_pct"),
        "amount_min": p.money("amount_eur.min"),
        "amount_max": p.money("amount_eur.max"),
        "term_min": p.get("term_months.min"),
        "term_max": p.get("term_months.max"),
        **representative_example(p.cat, p.lang),
    },
    "mortgage": lambda p: {
        "fixed_tan": p.pct("fixed_tan_from_pct"),
        "variable_spread": p.pct("variable_rate.spread_pct"),
        "max_ltv": p.pct("max_loan_to_value_pct"),
        "term_min": p.get("term_years.min"),
        "term_max": p.get("term_years.max"),
    },
    "overdraft": lambda p: {"max": p.money("max_eur"), "tan": p.pct("tan_pct")},
}


def representative_example(cat: Catalogue, lang: str) -> dict[str, Any]:
    """The personal loan's published example, its payment computed from the catalogue's TAN."""
    amount = cat.get("products.personal_loan.representative_example.amount_eur")
    months = cat.get("products.personal_loan.representative_example.months")
    plan = finance.loan(amount, cat.get("products.personal_loan.tan_from_pct"), months)
    return {
        "example_amount": money(amount, lang),
        "example_months": months,
        "example_payment": money(plan.monthly_payment, lang),
    }


def overview_facts(cat: Catalogue, lang: str) -> dict[str, Any]:
    """Placeholders of utter_products_overview / _accounts / _cards / _loans."""
    names = {f"{product}_name": cat.get(f"products.{product}.name") for product in PRODUCTS}
    return {
        **names,
        "bank_name": cat.get("bank.name"),
        "current_account_fee": money(cat.get("products.current_account.monthly_fee_eur"), lang),
        "savings_account_rate": percent(
            cat.get("products.savings_account.gross_annual_interest_pct"), lang
        ),
        "term_deposit_minimum": money(cat.get("products.term_deposit.minimum_eur"), lang),
        "credit_card_fee": money(cat.get("products.credit_card.annual_fee_eur"), lang),
        "prepaid_card_issue_fee": money(cat.get("products.prepaid_card.issue_fee_eur"), lang),
        "personal_loan_min": money(cat.get("products.personal_loan.amount_eur.min"), lang),
        "personal_loan_max": money(cat.get("products.personal_loan.amount_eur.max"), lang),
        "overdraft_max": money(cat.get("products.overdraft.max_eur"), lang),
    }


def service_facts(cat: Catalogue, lang: str) -> dict[str, Any]:
    """Placeholders of the service answers (contacts, cards, transfers, complaints)."""
    return {
        "phone": cat.get("contacts.customer_service.phone"),
        "block_phone": cat.get("contacts.card_block.phone"),
        "phishing_email": cat.get("contacts.phishing_reports.email"),
        "complaints_email": cat.get("contacts.complaints.email"),
        "complaints_web_form": cat.get("contacts.complaints.web_form"),
        "example_reference": make_reference(cat.get("complaint_rules.reference_prefix"), 2026, 42),
        "ombudsman": cat.get("complaint_rules.ombudsman.name"),
        "ombudsman_website": cat.get("complaint_rules.ombudsman.website"),
        "website": cat.get("bank.website"),
        "app": cat.get("bank.app"),
        "phone_hours": schedule(cat.get("contacts.customer_service.hours"), lang),
        "branch_hours": schedule(cat.get("contacts.branches.hours"), lang),
        "days_general": cat.get("complaint_rules.banking_and_financial_services.days"),
        "days_payment": cat.get("complaint_rules.payment_services.days"),
        "days_payment_max": cat.get("complaint_rules.payment_services.exceptional_max_days"),
        "sepa_branch_fee": money(cat.get("transfers.sepa.fee_branch_eur"), lang),
        "sepa_cut_off": cat.get("transfers.sepa.cut_off"),
        "instant_fee": money(cat.get("transfers.sepa_instant.fee_eur"), lang),
        "instant_seconds": cat.get("transfers.sepa_instant.arrives_within_seconds"),
        "swift_fee": money(cat.get("transfers.international_swift.fee_eur"), lang),
        "swift_days_min": cat.get("transfers.international_swift.business_days.min"),
        "swift_days_max": cat.get("transfers.international_swift.business_days.max"),
    }


def education_facts(cat: Catalogue, lang: str) -> dict[str, Any]:
    """Placeholders of the utter_edu_* responses that quote the bank's own products."""
    return {
        "savings_name": cat.get("products.savings_account.name"),
        "savings_rate": percent(
            cat.get("products.savings_account.gross_annual_interest_pct"), lang
        ),
        "loan_name": cat.get("products.personal_loan.name"),
        "tan": percent(cat.get("products.personal_loan.tan_from_pct"), lang),
        "taeg": percent(cat.get("products.personal_loan.taeg_from_pct"), lang),
        "block_phone": cat.get("contacts.card_block.phone"),
    }


def contact_status(cat: Catalogue, now: datetime, lang: str) -> tuple[str, dict[str, Any]]:
    """Which utter_contact_* response fits `now`, and its placeholders.

    "Open now until 20:00", or when it opens next: today, tomorrow or on a named day,
    in the bank's timezone and skipping the country's public holidays.
    """
    local = now.astimezone(cat.timezone)
    hours = cat.get("contacts.customer_service.hours")
    closed_days = (
        cat.public_holidays()
        if cat.get("contacts.customer_service.closed_on_public_holidays")
        else frozenset[date]()
    )
    facts: dict[str, Any] = {"phone": cat.get("contacts.customer_service.phone")}
    until = hours.open_until(local, closed_days)
    if until is not None:
        return "utter_contact_open_now", {**facts, "until": clock(until, lang)}
    opening = hours.next_opening(local, closed_days)
    if opening is None:  # a catalogue with no hours at all: give the number only
        return "utter_contact_details", {**facts, **service_facts(cat, lang)}
    facts["opens_time"] = clock(opening, lang)
    days_ahead = (opening.date() - local.date()).days
    if days_ahead == 0:
        return "utter_contact_opens_today", facts
    if days_ahead == 1:
        return "utter_contact_opens_tomorrow", facts
    return "utter_contact_opens_on", {**facts, "opens_day": day_name(opening, lang)}
