"""Every catalogue key the answers use, with the kind of value it must hold.

A kind is a function that returns the checked value (money as Decimal, hours as a Schedule)
or raises ValueError saying what is wrong. Keys not listed here are allowed and ignored.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import holidays

from bot.catalogue._schedule import parse_schedule

Kind = Callable[[Any], Any]


def text(value: Any) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ValueError("must be a non-empty text")
    return value


def _decimal(value: Any) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        raise ValueError("must be a number")
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        raise ValueError("must be a number") from None
    if not number.is_finite() or number < 0:
        raise ValueError("must be a number of zero or more")
    return number


def money(value: Any) -> Decimal:
    return _decimal(value)


def percent(value: Any) -> Decimal:
    number = _decimal(value)
    if number > 100:
        raise ValueError("must be a percentage between 0 and 100")
    return number


def count(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ValueError("must be a whole number of zero or more")
    return value


def flag(value: Any) -> bool:
    if not isinstance(value, bool):
        raise ValueError("must be true or false")
    return value


def clock(value: Any) -> str:
    if not isinstance(value, str) or not re.fullmatch(r"([01]\d|2[0-3]):[0-5]\d", value):
        raise ValueError('must be a time like "16:00"')
    return value


def timezone(value: Any) -> ZoneInfo:
    try:
        return ZoneInfo(text(value))
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError("must be a timezone name like Europe/Rome") from None


def country(value: Any) -> str:
    if text(value) not in holidays.list_supported_countries():
        raise ValueError("must be a country code with known public holidays, like IT")
    return str(value)


def schedule(value: Any) -> Any:
    return parse_schedule(value)


def reference_prefix(value: Any) -> str:
    if not isinstance(value, str) or not re.fullmatch(r"[A-Z]{2,6}", value):
        raise ValueError("must be 2 to 6 capital letters, like AUR")
    return value


def product_list(value: Any) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
        raise ValueError("must be a list of product names")
    return tuple(value)


SCHEMA: dict[str, Kind] = {
    "bank.name": text,
    "bank.country": country,
    "bank.currency": text,
    "bank.timezone": timezone,
    "bank.website": text,
    "bank.app": text,
    "contacts.customer_service.phone": text,
    "contacts.customer_service.hours": schedule,
    "contacts.customer_service.closed_on_public_holidays": flag,
    "contacts.card_block.phone": text,
    "contacts.card_block.hours": text,
    "contacts.live_chat_agents.hours": schedule,
    "contacts.live_chat_agents.closed_on_public_holidays": flag,
    "contacts.branches.hours": schedule,
    "contacts.complaints.email": text,
    "contacts.complaints.web_form": text,
    "contacts.phishing_reports.email": text,
    "complaint_rules.reference_prefix": reference_prefix,
    "complaint_rules.banking_and_financial_services.days": count,
    "complaint_rules.payment_services.days": count,
    "complaint_rules.payment_services.exceptional_max_days": count,
    "complaint_rules.payment_services.products": product_list,
    "complaint_rules.ombudsman.name": text,
    "complaint_rules.ombudsman.website": text,
    "products.current_account.name": text,
    "products.current_account.monthly_fee_eur": money,
    "products.current_account.monthly_fee_under_30_eur": money,
    "products.current_account.open_online_minutes": count,
    "products.savings_account.name": text,
    "products.savings_account.gross_annual_interest_pct": percent,
    "products.savings_account.monthly_fee_eur": money,
    "products.term_deposit.name": text,
    "products.term_deposit.gross_annual_interest_pct.12_months": percent,
    "products.term_deposit.gross_annual_interest_pct.24_months": percent,
    "products.term_deposit.minimum_eur": money,
    "products.debit_card.name": text,
    "products.debit_card.annual_fee_eur": money,
    "products.debit_card.atm_withdrawal_eur.aurora_atm": money,
    "products.debit_card.atm_withdrawal_eur.other_banks_euro_area": money,
    "products.debit_card.atm_withdrawal_outside_euro_pct": percent,
    "products.debit_card.daily_withdrawal_limit_eur": money,
    "products.credit_card.name": text,
    "products.credit_card.annual_fee_eur": money,
    "products.credit_card.tan_pct": percent,
    "products.credit_card.taeg_pct": percent,
    "products.credit_card.credit_limit_eur.min": money,
    "products.credit_card.credit_limit_eur.max": money,
    "products.prepaid_card.name": text,
    "products.prepaid_card.issue_fee_eur": money,
    "products.prepaid_card.top_up_fee_eur.from_conto_aurora": money,
    "products.prepaid_card.top_up_fee_eur.other": money,
    "products.prepaid_card.max_balance_eur": money,
    "products.personal_loan.name": text,
    "products.personal_loan.amount_eur.min": money,
    "products.personal_loan.amount_eur.max": money,
    "products.personal_loan.term_months.min": count,
    "products.personal_loan.term_months.max": count,
    "products.personal_loan.tan_from_pct": percent,
    "products.personal_loan.taeg_from_pct": percent,
    "products.personal_loan.representative_example.amount_eur": money,
    "products.personal_loan.representative_example.months": count,
    "products.mortgage.name": text,
    "products.mortgage.fixed_tan_from_pct": percent,
    "products.mortgage.variable_rate.spread_pct": percent,
    "products.mortgage.max_loan_to_value_pct": percent,
    "products.mortgage.term_years.min": count,
    "products.mortgage.term_years.max": count,
    "products.overdraft.name": text,
    "products.overdraft.max_eur": money,
    "products.overdraft.tan_pct": percent,
    "transfers.sepa.fee_online_eur": money,
    "transfers.sepa.fee_branch_eur": money,
    "transfers.sepa.cut_off": clock,
    "transfers.sepa_instant.fee_eur": money,
    "transfers.sepa_instant.arrives_within_seconds": count,
    "transfers.international_swift.fee_eur": money,
    "transfers.international_swift.business_days.min": count,
    "transfers.international_swift.business_days.max": count,
}

# Pairs of keys whose values must not run backwards (minimum, maximum).
RANGES = [
    ("products.credit_card.credit_limit_eur.min", "products.credit_card.credit_limit_eur.max"),
    ("products.personal_loan.amount_eur.min", "products.personal_loan.amount_eur.max"),
    ("products.personal_loan.term_months.min", "products.personal_loan.term_months.max"),
    ("products.mortgage.term_years.min", "products.mortgage.term_years.max"),
    (
        "transfers.international_swift.business_days.min",
        "transfers.international_swift.business_days.max",
    ),
]
