"""Money, percentages and durations in the customer's locale, with Babel (no Rasa here)."""

from __future__ import annotations

from decimal import Decimal

from babel.numbers import format_currency, format_decimal

LOCALES = {"it": "it_IT", "en": "en_GB", "fr": "fr_FR", "pl": "pl_PL"}
DEFAULT_LANGUAGE = "it"


def money(amount: Decimal, language: str, currency: str = "EUR") -> str:
    """ "197,54 €" for an Italian reader, "€197.54" for an English one."""
    return str(format_currency(amount, currency, locale=_locale(language)))


def percent(value: Decimal, language: str) -> str:
    """A percentage with two decimals: "6,90 %" in French, "6.90%" in English."""
    number = format_decimal(value, format="#,##0.00", locale=_locale(language))
    return f"{number} %" if language == "fr" else f"{number}%"


def _locale(language: str) -> str:
    return LOCALES.get(language, LOCALES[DEFAULT_LANGUAGE])
