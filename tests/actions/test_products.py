"""Which product the customer means: one named product, or the options to ask about."""

from __future__ import annotations

import pytest

from actions.facts import FAMILIES, PRODUCTS
from actions.products import Choice, resolve


@pytest.mark.parametrize(
    ("values", "choice"),
    [
        (["credit_card"], Choice("credit_card")),
        (["credit_card", "card"], Choice("credit_card")),  # "la carta di credito, quella carta"
        (["mortgage", "mortgage"], Choice("mortgage")),
        (["card"], Choice(None, FAMILIES["card"], "card")),
        (["account"], Choice(None, FAMILIES["account"], "account")),
        (["credit_card", "debit_card"], Choice(None, ("credit_card", "debit_card"))),
        (["card", "loan"], Choice(None, FAMILIES["card"] + FAMILIES["loan"])),
        ([], Choice(None, PRODUCTS)),
        (["language", "bitcoin"], Choice(None, PRODUCTS)),  # not products: ignored
    ],
)
def test_resolve_never_guesses(values: list[str], choice: Choice) -> None:
    assert resolve(values) == choice
