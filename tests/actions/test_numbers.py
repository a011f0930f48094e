"""Numbers as customers write them, in four languages."""

from __future__ import annotations

from decimal import Decimal

import pytest

from actions.numbers import parse_amount, parse_duration_months, parse_rate


@pytest.mark.parametrize(
    ("text", "amount"),
    [
        ("10.000", "10000"), ("10,000", "10000"), ("10k", "10000"), ("10 mila", "10000"),
        ("10 tys.", "10000"), ("€ 10 000", "10000"), ("10\u00a0000 €", "10000"),
        ("1.500,50", "1500.50"), ("1,500.50", "1500.50"), ("2 mln", "2000000"),
        ("vorrei un prestito di 25.000 euro", "25000"), ("I need 12,500 pounds", "12500"),
        ("je voudrais emprunter 15 000 euros", "15000"), ("potrzebuję 20 tys. zł", "20000"),
        ("10 mille euros", "10000"), ("0,5", "0.5"), ("7.5", "7.5"),
        ("prestito di 10000 al 7,5% per 5 anni", "10000"),
    ],
)  # fmt: skip
def test_amounts(text: str, amount: str) -> None:
    assert parse_amount(text) == Decimal(amount)


@pytest.mark.parametrize("text", ["", "non lo so", "7,5%", "5 anni", "tanti soldi"])
def test_no_amount(text: str) -> None:
    assert parse_amount(text) is None


@pytest.mark.parametrize(
    ("text", "rate"),
    [
        ("7,5%", "7.5"), ("7.5 %", "7.5"), ("al 6,9 percento", "6.9"), ("3 pour cent", "3"),
        ("5 procent", "5"), ("a rate of 4.25 per cent", "4.25"),
    ],
)  # fmt: skip
def test_rates(text: str, rate: str) -> None:
    assert parse_rate(text) == Decimal(rate)


@pytest.mark.parametrize("text", ["7", "10.000 euro", "5 anni"])
def test_a_bare_number_is_no_rate(text: str) -> None:
    assert parse_rate(text) is None


@pytest.mark.parametrize(
    ("text", "months"),
    [
        ("5 anni", 60), ("60 mesi", 60), ("5 lat", 60), ("5 ans", 60), ("36 months", 36),
        ("2,5 lat", 30), ("1 anno", 12), ("18 miesięcy", 18), ("3 years", 36), ("24 mois", 24),
        ("10 rok", 120),
    ],
)  # fmt: skip
def test_durations(text: str, months: int) -> None:
    assert parse_duration_months(text) == months


@pytest.mark.parametrize("text", ["5", "presto", "1,3 anni"])
def test_no_duration(text: str) -> None:
    assert parse_duration_months(text) is None
