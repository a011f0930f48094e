"""Numbers as customers write them in chat, in it, en, fr and pl (no Rasa here).

"10.000", "10,000", "10k", "10 mila", "10 tys.", "€ 10 000", "1.500,50", "7,5%",
"5 anni", "60 mesi", "5 lat", "5 ans"; and in words ("twenty thousand", "ventimila",
"vingt mille", "dwadzieścia tysięcy", "cinque anni": actions/number_words.py).
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from actions.number_words import spell_digits

# Words that multiply the number before them.
_MULTIPLIERS = {
    "hundred": 100,
    "k": 1_000, "mila": 1_000, "mille": 1_000, "thousand": 1_000, "tys": 1_000, "tysiące": 1_000,
    "tysiace": 1_000, "tysięcy": 1_000, "tysiecy": 1_000, "tysiąc": 1_000, "tysiac": 1_000,
    "m": 1_000_000, "mln": 1_000_000, "milioni": 1_000_000, "milione": 1_000_000,
    "million": 1_000_000, "millions": 1_000_000, "milion": 1_000_000, "milionów": 1_000_000,
    "milionow": 1_000_000, "miliony": 1_000_000,
}  # fmt: skip
_YEARS = r"anni|anno|years?|yrs?|ans?|ann[ée]es?|lat[a]?|rok(?:u|i)?"
_MONTHS = r"mesi|mese|months?|mths?|mois|miesi[eę]cy|miesi[aą]ce|miesi[aą]c"
_SPACES = "\u00a0\u202f\u2009 "  # spaces, no-break and thin spaces inside "10 000"

# A number with optional grouping ("1.500,50", "10 000", "1,500.50") and an optional multiplier.
_NUMBER = re.compile(
    r"(?<![\d.,])(\d{1,3}(?:[.,'" + _SPACES + r"]\d{3})+(?:[.,]\d{1,2})?|\d+(?:[.,]\d+)?)"
    r"\s?(" + "|".join(sorted(_MULTIPLIERS, key=len, reverse=True)) + r")?\.?(?![\w])",
    re.IGNORECASE,
)
_PERCENT = re.compile(
    r"(\d+(?:[.,]\d+)?)\s*(?:%|percento|per\s?cento|per\s?cent|percent|pour\s?cent|procent\w*)",
    re.IGNORECASE,
)
_DURATION = re.compile(rf"(\d+(?:[.,]\d+)?)\s*({_YEARS}|{_MONTHS})\b", re.IGNORECASE)


def parse_amount(text: str) -> Decimal | None:
    """The first amount of money in `text`, e.g. "€ 10 000" -> 10000, "10 mila" -> 10000."""
    for match in _NUMBER.finditer(_without_percent_and_durations(spell_digits(text))):
        value = to_decimal(match.group(1))
        if value is None:
            continue
        multiplier = match.group(2)
        if multiplier:
            value *= _MULTIPLIERS[multiplier.lower()]
        return value
    return None


def parse_rate(text: str) -> Decimal | None:
    """A percentage, e.g. "7,5%" -> 7.5; a bare number is not taken for a rate."""
    match = _PERCENT.search(spell_digits(text))
    return to_decimal(match.group(1)) if match else None


def parse_duration_months(text: str) -> int | None:
    """A duration in months, e.g. "5 anni" -> 60, "60 mesi" -> 60, "2,5 lat" -> 30."""
    match = _DURATION.search(spell_digits(text))
    if not match:
        return None
    amount = to_decimal(match.group(1))
    if amount is None:
        return None
    months = amount * 12 if re.fullmatch(_YEARS, match.group(2), re.IGNORECASE) else amount
    return int(months) if months == int(months) else None


def to_decimal(written: str) -> Decimal | None:
    """Reads "1.500,50", "1,500.50", "10 000", "7,5" and "7.5"; groups are of three digits."""
    compact = written.strip()
    for space in _SPACES + "'":
        compact = compact.replace(space, "")
    separators = [ch for ch in compact if ch in ".,"]
    if separators:
        last = max(compact.rfind("."), compact.rfind(","))
        decimals = compact[last + 1 :]
        grouping_only = len(decimals) == 3 and (
            len(separators) > 1 or separators[0] == separators[-1]
        )
        if len(set(separators)) == 2 or not grouping_only:
            integer = re.sub(r"[.,]", "", compact[:last])
            compact = f"{integer}.{decimals}"
        else:
            compact = re.sub(r"[.,]", "", compact)
    try:
        return Decimal(compact)
    except InvalidOperation:
        return None


def _without_percent_and_durations(text: str) -> str:
    return _DURATION.sub(" ", _PERCENT.sub(" ", text))


_LUMP_SUM = re.compile(
    r"una\s+tantum|in\s+un[a]?\s+(?:volta|soluzione)|lump\s+sum|in\s+one\s+go|one[\s-]off|"
    r"d['’]un\s+coup|en\s+une\s+(?:fois|seule\s+fois)|jednorazowo|jednorazow\w+|od\s+razu",
    re.IGNORECASE,
)


def mentions_lump_sum(text: str) -> bool:
    """Whether the customer speaks of one deposit rather than monthly ones."""
    return bool(_LUMP_SUM.search(text))


def parse_bare_number(text: str) -> Decimal | None:
    """A message that is only a number ("7", "7,5", "60"), as an answer to a question."""
    match = re.fullmatch(r"\s*(\d+(?:[.,]\d+)?)\s*[.!]?\s*", spell_digits(text))
    return to_decimal(match.group(1)) if match else None


# Currencies other than the bank's (the catalogue's amounts are in euros), as customers write them.
_FOREIGN_CURRENCIES = {
    "PLN": r"z[łl](?:ot\w*)?|pln",
    "USD": r"\$|usd|dollar\w*|dolar\w*|dollari",
    "GBP": r"£|gbp|pounds?|sterlin\w*|funt\w*",
    "CHF": r"chf|franchi\s+svizzeri|francs?\s+suisses?|swiss\s+francs?|frank\w*\s+szwajcarsk\w*",
}
_CURRENCY = re.compile(
    "|".join(
        rf"(?P<{code}>(?:(?<!\w)|(?<=\d))(?:{pattern})(?:(?!\w)|(?=\d)))"
        for code, pattern in _FOREIGN_CURRENCIES.items()
    ),
    re.IGNORECASE,
)


def foreign_currency(text: str) -> str | None:
    """The ISO code of a currency other than the euro named in `text` ("50 tys. zł" -> "PLN")."""
    match = _CURRENCY.search(text)
    return match.lastgroup if match else None
