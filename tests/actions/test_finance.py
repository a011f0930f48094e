"""Loan and savings maths against independently computed values."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from actions.finance import cents, loan, savings


def test_the_issue_example() -> None:
    """10,000 EUR over 60 months at 6.90 % costs 197.54 EUR a month."""
    plan = loan(Decimal(10_000), Decimal("6.90"), 60)
    assert plan.monthly_payment == Decimal("197.54")
    assert plan.total_paid == Decimal("11852.40")
    assert plan.total_interest == Decimal("1852.40")


@pytest.mark.parametrize(
    ("principal", "rate", "months", "payment"),
    [
        ("200000", "3.5", 360, "898.09"),  # the textbook 30-year mortgage example
        ("15000", "14.90", 36, "519.25"),  # float P*r/(1-(1+r)^-n) = 519.2457
        ("1200", "0", 12, "100.00"),
    ],
)
def test_known_payments(principal: str, rate: str, months: int, payment: str) -> None:
    assert loan(Decimal(principal), Decimal(rate), months).monthly_payment == Decimal(payment)


def simulate_loan_balance(
    principal: Fraction, rate: Fraction, months: int, payment: Fraction
) -> Fraction:
    balance = principal
    for _ in range(months):
        balance = balance * (1 + rate) - payment
    return balance


@settings(max_examples=100, deadline=None)
@given(
    st.integers(1_000, 500_000), st.integers(0, 2_000), st.integers(6, 360),
)  # fmt: skip
def test_the_payment_repays_the_loan_within_rounding(
    principal: int, basis_points: int, months: int
) -> None:
    """An independent month-by-month simulation in exact fractions ends at (almost) zero."""
    rate_pct = Decimal(basis_points) / 100
    plan = loan(Decimal(principal), rate_pct, months)
    monthly = Fraction(basis_points, 100 * 100 * 12)
    left = simulate_loan_balance(
        Fraction(principal), monthly, months, Fraction(plan.monthly_payment)
    )
    # Rounding the payment to a cent leaves at most half a cent a month, with interest.
    assert abs(left) <= Fraction(months, 100) * (1 + monthly) ** months


def test_savings_against_a_month_by_month_simulation() -> None:
    balance = Fraction(0)
    rate = Fraction(225, 100 * 100 * 12)
    for _ in range(60):
        balance = balance * (1 + rate) + 100
    plan = savings(Decimal("2.25"), 60, monthly_deposit=Decimal(100))
    assert plan.final_balance == cents(Decimal(balance.numerator) / Decimal(balance.denominator))
    assert plan.final_balance == Decimal("6344.23")
    assert plan.total_deposited == Decimal(6000)
    assert plan.interest_earned == Decimal("344.23")


def test_lump_sum_compounds_monthly() -> None:
    # 10,000 at 3 % for 12 months: 10000 * (1.0025)^12 = 10304.16
    plan = savings(Decimal(3), 12, initial_deposit=Decimal(10_000))
    assert plan.final_balance == Decimal("10304.16")


@pytest.mark.parametrize(
    "call",
    [
        lambda: loan(Decimal(0), Decimal(5), 12),
        lambda: loan(Decimal(1000), Decimal(5), 0),
        lambda: loan(Decimal(1000), Decimal(-1), 12),
        lambda: savings(Decimal(2), 12),
    ],
)
def test_impossible_inputs_are_refused(call) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValueError):
        call()
