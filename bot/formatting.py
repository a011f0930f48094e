"""Money, percentages, times and opening hours in the reader's locale, with Babel (no Rasa)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from babel import Locale
from babel.dates import format_date, format_time, get_day_names
from babel.numbers import format_currency, format_decimal

LOCALES = {"it": "it_IT", "en": "en_GB", "fr": "fr_FR", "pl": "pl_PL"}
DEFAULT_LANGUAGE = "it"
# Whole amounts from this size up read better without cents ("1.000 €", not "1.000,00 €").
WHOLE_FROM = Decimal(100)


def money(amount: Decimal, language: str, currency: str = "EUR") -> str:
    """ "197,54 €" for an Italian reader, "€197.54" for an English one; "€1,000" when whole."""
    locale = _locale(language)
    if amount >= WHOLE_FROM and amount == amount.to_integral_value():
        pattern = Locale.parse(locale).currency_formats["standard"].pattern.replace(".00", "")
        return str(
            format_currency(amount, currency, format=pattern, locale=locale, currency_digits=False)
        )
    return str(format_currency(amount, currency, locale=locale))


def percent(value: Decimal, language: str) -> str:
    """ "6,90 %" in French, "6.90%" in English; a whole percentage without decimals ("80%")."""
    pattern = "#,##0" if value == value.to_integral_value() else "#,##0.00"
    number = format_decimal(value, format=pattern, locale=_locale(language))
    return f"{number} %" if language == "fr" else f"{number}%"


def clock(moment: datetime, language: str) -> str:
    """A time of day on the 24-hour clock: "08:00"."""
    return str(format_time(moment, "HH:mm", locale=_locale(language)))


def day_name(moment: datetime, language: str) -> str:
    """The weekday's full name: "lunedì", "Monday", "lundi", "poniedziałek"."""
    return str(get_day_names("wide", locale=_locale(language))[moment.weekday()])


def schedule(hours: Any, language: str) -> str:
    """Weekly hours as "Mon–Fri 08:00–20:00; Sat 09:00–13:00" (a bot.catalogue Schedule)."""
    names = get_day_names("abbreviated", locale=_locale(language))
    parts = []
    for first, last, spans in hours.groups():
        days = names[first] if first == last else f"{names[first]}–{names[last]}"
        times = ", ".join(f"{s.start:%H:%M}–{s.end:%H:%M}" for s in spans)
        parts.append(f"{days} {times}")
    return "; ".join(parts)


def _locale(language: str) -> str:
    return LOCALES.get(language, LOCALES[DEFAULT_LANGUAGE])


def long_date(day: date, language: str) -> str:
    """A date as people write it: "15 dicembre 2026", "December 15, 2026"."""
    return format_date(day, format="long", locale=_locale(language))
