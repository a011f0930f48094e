"""Numbers in words, in four languages: amounts, durations and rates as customers write them,
and the ordinary words ("un prêt", "sei sicuro?", "one of them") that must stay words."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest

from actions.number_words import spell_digits
from actions.numbers import parse_amount, parse_bare_number, parse_duration_months, parse_rate


@pytest.mark.parametrize(
    ("text", "amount"),
    [
        ("twenty thousand", 20_000),
        ("twenty-five thousand euros", 25_000),
        ("a hundred thousand", 100_000),
        ("two hundred and fifty thousand", 250_000),
        ("one million two hundred thousand", 1_200_000),
        ("ventimila", 20_000),
        ("ventimila euro", 20_000),
        ("centocinquantamila", 150_000),
        ("duemilacinquecento euro", 2_500),
        ("trecentocinquantamila", 350_000),
        ("un milione e duecentomila", 1_200_000),
        ("venti mila", 20_000),
        ("vingt mille", 20_000),
        ("vingt mille euros", 20_000),
        ("deux cent cinquante mille", 250_000),
        ("quatre-vingt mille", 80_000),
        ("quatre-vingt-dix mille", 90_000),
        ("soixante-quinze mille", 75_000),
        ("mille euros", 1_000),
        ("dwadzieścia tysięcy", 20_000),
        ("dwadziescia tysiecy", 20_000),
        ("sto tysięcy", 100_000),
        ("dwieście pięćdziesiąt tysięcy", 250_000),
        ("pięćdziesiąt tysięcy", 50_000),
        ("trzydzieści tys.", 30_000),
    ],
)
def test_amounts_in_words(text: str, amount: int) -> None:
    assert parse_amount(text) == Decimal(amount)
    if not re.search(r"euro|tys", text):  # the answer to "how much?" is a bare number too
        assert parse_bare_number(text) == Decimal(amount)


@pytest.mark.parametrize(
    ("text", "amount", "months"),
    [
        ("a loan of twenty thousand over five years", 20_000, 60),
        ("un prestito di ventimila euro per dieci anni", 20_000, 120),
        ("un prêt de vingt mille euros sur cinq ans", 20_000, 60),
        ("kredyt dwadzieścia tysięcy na dziesięć lat", 20_000, 120),
        ("30 mila in sei anni", 30_000, 72),
        ("15k for thirty six months", 15_000, 36),
    ],
)
def test_an_amount_and_a_duration_in_one_message(text: str, amount: int, months: int) -> None:
    assert parse_amount(text) == Decimal(amount)
    assert parse_duration_months(text) == months


@pytest.mark.parametrize(
    ("text", "months"),
    [
        ("cinque anni", 60),
        ("sei anni", 72),
        ("trentasei mesi", 36),
        ("five years", 60),
        ("one year", 12),
        ("100 a month for 5 years", 60),
        ("what would I pay a month for a 10000 euro loan over 5 years?", 60),
        ("eighteen months", 18),
        ("un an", 12),
        ("neuf ans", 108),
        ("quatre-vingt-quatre mois", 84),
        ("pięć lat", 60),
        ("dwadzieścia lat", 240),
        ("jeden rok", 12),
    ],
)
def test_durations_in_words(text: str, months: int) -> None:
    assert parse_duration_months(text) == months


@pytest.mark.parametrize(
    ("text", "rate"),
    [
        ("cinque per cento", "5"),
        ("cinq pour cent", "5"),
        ("three percent", "3"),
        ("dwa procent", "2"),
    ],
)
def test_rates_in_words(text: str, rate: str) -> None:
    assert parse_rate(text) == Decimal(rate)


@pytest.mark.parametrize(
    "text",
    [
        "un prêt pour une voiture",
        "sei sicuro?",
        "sei un mito",
        "one of them",
        "a loan please",
        "une carte neuve",
        "e la carta di credito?",
        "settembre o novembre",
        "a Milano centrale",
        "one-off",
        "jeden z nich",
        "jedna karta",
    ],
)
def test_ordinary_words_stay_words(text: str) -> None:
    assert spell_digits(text) == text
    assert parse_amount(text) is None


def test_digits_with_a_multiplier_word_are_left_to_the_number_reader() -> None:
    assert spell_digits("10 mila euro") == "10 mila euro"
    assert parse_amount("10 mila euro") == Decimal(10_000)
    assert parse_amount("5 hundred") == Decimal(500)
