"""Which product a customer means, from the `product` entities of a message (no Rasa here)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from actions.facts import FAMILIES, PRODUCTS


@dataclass(frozen=True)
class Choice:
    """One product, or the options to offer when there is none or more than one."""

    product: str | None
    options: tuple[str, ...] = ()
    family: str | None = None  # "card", "account" or "loan" when only that was said


def resolve(values: Iterable[str]) -> Choice:
    """A single named product wins; otherwise ask among what was mentioned, never guess.

    "credit card" -> credit_card; "card" -> ask among the three cards; "credit or debit
    card" -> ask between those two; nothing -> ask among all products.
    """
    mentioned = list(dict.fromkeys(v for v in values if v in PRODUCTS or v in FAMILIES))
    products = [v for v in mentioned if v in PRODUCTS]
    families = [v for v in mentioned if v in FAMILIES]
    if len(products) == 1:
        return Choice(products[0])
    if products:
        return Choice(None, tuple(products))
    if len(families) == 1:
        return Choice(None, FAMILIES[families[0]], families[0])
    options = [p for family in families for p in FAMILIES[family]] if families else PRODUCTS
    return Choice(None, tuple(options))
