"""Loan and savings arithmetic in Decimal, rounded to cents (no Rasa here)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, localcontext

CENT = Decimal("0.01")
MONTHS_PER_YEAR = 12


@dataclass(frozen=True)
class LoanPlan:
    """An annuity loan: the same payment every month."""

    monthly_payment: Decimal
    total_paid: Decimal
    total_interest: Decimal


@dataclass(frozen=True)
class SavingsPlan:
    """Savings with monthly compounding and deposits at the end of each month."""

    final_balance: Decimal
    total_deposited: Decimal
    interest_earned: Decimal


def loan(principal: Decimal, annual_rate_pct: Decimal, months: int) -> LoanPlan:
    """Monthly payment and interest of an annuity loan (French amortisation)."""
    _check_positive(principal=principal, months=Decimal(months))
    with localcontext() as context:
        context.prec = 34
        rate = monthly_rate(annual_rate_pct)
        if rate == 0:
            payment = principal / months
        else:
            payment = principal * rate / (1 - (1 + rate) ** -months)
    payment = cents(payment)
    total = payment * months
    return LoanPlan(payment, total, total - principal)


def savings(
    annual_rate_pct: Decimal, months: int, *, monthly_deposit: Decimal = Decimal(0),
    initial_deposit: Decimal = Decimal(0),
) -> SavingsPlan:  # fmt: skip
    """Balance after `months` of monthly compounding, deposits at the end of each month."""
    _check_positive(months=Decimal(months))
    if monthly_deposit < 0 or initial_deposit < 0 or monthly_deposit + initial_deposit == 0:
        raise ValueError("a deposit is needed")
    with localcontext() as context:
        context.prec = 34
        rate = monthly_rate(annual_rate_pct)
        growth = (1 + rate) ** months
        annuity = Decimal(months) if rate == 0 else (growth - 1) / rate
        balance = initial_deposit * growth + monthly_deposit * annuity
    deposited = initial_deposit + monthly_deposit * months
    final = cents(balance)
    return SavingsPlan(final, deposited, final - deposited)


def monthly_rate(annual_rate_pct: Decimal) -> Decimal:
    """A nominal annual percentage (TAN) as a monthly fraction: 6.90 -> 0.00575."""
    if annual_rate_pct < 0:
        raise ValueError("the rate cannot be negative")
    return annual_rate_pct / 100 / MONTHS_PER_YEAR


def cents(amount: Decimal) -> Decimal:
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


def _check_positive(**values: Decimal) -> None:
    for name, value in values.items():
        if value <= 0:
            raise ValueError(f"{name} must be positive")
