"""The assistant never asks for a PIN, password, card number, CVV or code, in any language."""

from __future__ import annotations

import re

import pytest

from bot.responses import load_response_texts
from bot.settings import PROJECT_ROOT

SECRETS = {
    "it": r"pin|password|numero (?:della|di) carta|cvv|cvc|codic[ei]|credenziali|iban",
    "en": r"pin|password|card number|cvv|cvc|codes?|credentials|iban",
    "fr": r"pin|mot de passe|num[ée]ro de carte|cvv|cvc|codes?|identifiants|iban",
    "pl": r"pin\w*|has[łl]\w*|numer\w* karty|cvv|cvc|kod\w*|iban",
}
ASKING = {
    "it": r"\b(?:inviami|mandami|scrivimi|dimmi|inserisci|indica|comunicami|fornisci|condividi"
    r"|digita)\b",
    "en": r"\b(?:send|give|tell|type|enter|share|provide|confirm|write)\b",
    "fr": r"\b(?:envoyez|donnez|indiquez|saisissez|tapez|communiquez|partagez|écrivez|confirmez)\b",
    "pl": r"\b(?:poda[cćjw]\w*|wpis\w*|przes[łl]\w*|wys[łl]\w*|napisz\w*|udost[eę]pni\w*"
    r"|potwierd[zź]\w*)",
}
NEGATION = {
    "it": r"\b(?:non|mai)\b",
    "en": r"\b(?:never|not|don't|do not)\b",
    "fr": r"\b(?:ne|n'|jamais)\b",
    "pl": r"\b(?:nie|nigdy)\b",
}
TEXTS = load_response_texts(PROJECT_ROOT / "domain.yml")


def asks_for_secrets(text: str, language: str) -> bool:
    """A sentence that names a secret and asks for it without a negation."""
    for sentence in re.split(r"(?<=[.!?:;])\s+", text.lower()):
        if (
            re.search(SECRETS[language], sentence)
            and re.search(ASKING[language], sentence)
            and not re.search(NEGATION[language], sentence)
        ):
            return True
    return False


@pytest.mark.parametrize("name", sorted(TEXTS))
@pytest.mark.parametrize("language", ["it", "en", "fr", "pl"])
def test_no_response_asks_for_secrets(name: str, language: str) -> None:
    assert not asks_for_secrets(TEXTS[name][language], language)


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Per verificare la tua identità, inviami il PIN della carta.", "it"),
        ("Please type your password to continue.", "en"),
        ("Indiquez le code reçu par SMS.", "fr"),
        ("Proszę podać numer karty i kod CVV.", "pl"),
    ],
)
def test_the_check_catches_a_request(text: str, language: str) -> None:
    assert asks_for_secrets(text, language)
