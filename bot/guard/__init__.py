"""Sensitive-data guard: the first step of every customer message.

Card numbers, expiry dates, CVVs, PINs, one-time codes, passwords, user names, IBANs,
account numbers, national IDs and identity-document numbers are replaced by typed
placeholders ("[CARD_NUMBER]") before the message is stored, logged or sent anywhere.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.guard._findings import CARD_DATA, TYPES, Finding
from bot.guard._redact import find, redact
from bot.guard._split import Joined, SplitNumbers

_PLACEHOLDER = re.compile(r"\[(?:" + "|".join(TYPES) + r")\]")


@dataclass(frozen=True)
class Screened:
    """A customer message after the guard: `text` is what may be stored and sent on."""

    text: str
    findings: tuple[str, ...] = ()  # kinds of sensitive data removed, e.g. "CARD_NUMBER"

    @property
    def without_placeholders(self) -> str:
        """The text with the placeholders taken out, for language detection."""
        return _PLACEHOLDER.sub(" ", self.text) if self.findings else self.text

    @property
    def exposes_card(self) -> bool:
        """Whether card data was shared (the customer should block the card)."""
        return any(kind in CARD_DATA for kind in self.findings)


def screen(text: str) -> Screened:
    """`text` with its sensitive data replaced by placeholders, and what was found."""
    findings = find(text)
    if not findings:
        return Screened(text)
    return Screened(redact(text, findings), tuple(f.type for f in findings))


__all__ = [
    "CARD_DATA",
    "TYPES",
    "Finding",
    "Joined",
    "Screened",
    "SplitNumbers",
    "find",
    "redact",
    "screen",
]
