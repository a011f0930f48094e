"""Formal complaints: references and the legal deadlines for the bank's answer.

The rules come from the catalogue (`complaint_rules`): banking and financial services are
answered within 60 calendar days; payment services (cards, transfers) within 15 business days,
at most 35 with a holding reply. Business days skip weekends and the bank country's public
holidays.
"""

from __future__ import annotations

import re
from collections.abc import Container
from dataclasses import dataclass
from datetime import date, timedelta

from bot.catalogue import Catalogue

BANKING = "banking"
PAYMENT = "payment"
# AUR-2026-000042: the bank's prefix, the year, a number.
REFERENCE = re.compile(r"\b([A-Z]{2,6})-(\d{4})-(\d{6})\b", re.IGNORECASE)


@dataclass(frozen=True)
class DueDates:
    """When the bank must answer; `extended` only for payment services (holding reply)."""

    due_on: date
    extended: date | None = None


def category_of(catalogue: Catalogue, product: str | None) -> str:
    """Payment services for the products the catalogue lists as such, banking otherwise."""
    payment = catalogue.get("complaint_rules.payment_services.products")
    return PAYMENT if product in payment else BANKING


def due_dates(catalogue: Catalogue, category: str, filed_on: date) -> DueDates:
    """The deadlines of a complaint filed on `filed_on` (the day counts as day zero)."""
    if category == PAYMENT:
        holidays = catalogue.public_holidays()
        rules = "complaint_rules.payment_services"
        return DueDates(
            add_business_days(filed_on, catalogue.get(f"{rules}.days"), holidays),
            add_business_days(filed_on, catalogue.get(f"{rules}.exceptional_max_days"), holidays),
        )
    days = catalogue.get("complaint_rules.banking_and_financial_services.days")
    return DueDates(filed_on + timedelta(days=days))


def add_business_days(start: date, days: int, holidays: Container[date]) -> date:
    """The date `days` business days after `start` (weekends and holidays skipped)."""
    current = start
    remaining = days
    while remaining > 0:
        current += timedelta(days=1)
        if current.weekday() < 5 and current not in holidays:
            remaining -= 1
    return current


def make_reference(prefix: str, year: int, number: int) -> str:
    """AUR-2026-000042."""
    return f"{prefix}-{year}-{number:06d}"


def find_reference(text: str) -> str | None:
    """The first complaint reference in a customer's message, normalised to upper case."""
    match = REFERENCE.search(text)
    return match.group(0).upper() if match else None
