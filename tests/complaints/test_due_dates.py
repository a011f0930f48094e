"""Complaint deadlines across weekends, Italian holidays and year ends."""

from __future__ import annotations

from datetime import date

import pytest

from bot.catalogue import load_catalogue
from bot.complaints import (
    BANKING,
    PAYMENT,
    add_business_days,
    category_of,
    due_dates,
    find_reference,
    make_reference,
)
from bot.settings import PROJECT_ROOT

CATALOGUE = load_catalogue(PROJECT_ROOT / "catalogue" / "bank.yml")
HOLIDAYS = CATALOGUE.public_holidays()


@pytest.mark.parametrize(
    ("filed", "due"),
    [
        (date(2026, 11, 23), date(2027, 1, 22)),  # 60 calendar days, across the year end
        (date(2024, 1, 1), date(2024, 3, 1)),  # a leap year
    ],
)
def test_banking_complaints_have_60_calendar_days(filed: date, due: date) -> None:
    assert due_dates(CATALOGUE, BANKING, filed).due_on == due
    assert due_dates(CATALOGUE, BANKING, filed).extended is None


@pytest.mark.parametrize(
    ("filed", "due", "extended"),
    [
        # Mon 23 Nov 2026 + 15 business days: Tue 8 Dec (Immacolata) skipped -> Tue 15 Dec;
        # 35: Christmas, New Year's Day and Epiphany skipped too (24 and 31 Dec are not holidays).
        (date(2026, 11, 23), date(2026, 12, 15), date(2027, 1, 15)),
        # Fri 18 Dec 2026: across the year end.
        (date(2026, 12, 18), date(2027, 1, 13), date(2027, 2, 10)),
        # Filed on a Saturday: the count starts on Monday.
        (date(2026, 4, 4), date(2026, 4, 27), date(2026, 5, 26)),  # Easter Monday 6 Apr, 25 Apr Sat
    ],
)
def test_payment_complaints_have_15_business_days_and_35_with_a_holding_reply(
    filed: date, due: date, extended: date
) -> None:
    dates = due_dates(CATALOGUE, PAYMENT, filed)
    assert (dates.due_on, dates.extended) == (due, extended)


def test_business_days_skip_weekends_and_holidays() -> None:
    assert add_business_days(date(2026, 11, 27), 1, HOLIDAYS) == date(2026, 11, 30)  # Fri -> Mon
    assert add_business_days(date(2026, 12, 7), 1, HOLIDAYS) == date(2026, 12, 9)  # 8 Dec
    assert add_business_days(date(2026, 8, 14), 1, HOLIDAYS) == date(2026, 8, 17)  # Ferragosto Sat
    assert add_business_days(date(2026, 5, 29), 1, HOLIDAYS) == date(2026, 6, 1)
    assert add_business_days(date(2026, 6, 1), 1, HOLIDAYS) == date(2026, 6, 3)  # 2 June


def test_cards_and_transfers_are_payment_services() -> None:
    assert category_of(CATALOGUE, "credit_card") == PAYMENT
    assert category_of(CATALOGUE, "transfers") == PAYMENT
    assert category_of(CATALOGUE, "mortgage") == BANKING
    assert category_of(CATALOGUE, None) == BANKING


def test_references_are_made_and_found_in_messages() -> None:
    assert make_reference("AUR", 2026, 42) == "AUR-2026-000042"
    assert find_reference("a che punto è il reclamo aur-2026-000042?") == "AUR-2026-000042"
    assert find_reference("il mio reclamo di ieri") is None


@pytest.mark.parametrize(
    "text", ["AUR-2026-000042", "il reclamo AUR-2026-000042?", "ref: aur-2026-123456 please"]
)
def test_the_guard_lets_complaint_references_through(text: str) -> None:
    from bot.guard import screen

    assert screen(text).findings == ()
