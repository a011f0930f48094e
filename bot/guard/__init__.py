"""Sensitive-data guard: the first step of every customer message.

A pass-through seam for now: the sensitive-data issue fills it with detection and
redaction of card numbers, IBANs, PINs and the like, before anything is stored or sent on.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Screened:
    """A customer message after the guard: `text` is what may be stored and sent on."""

    text: str
    findings: tuple[str, ...] = ()  # kinds of sensitive data removed, e.g. "CARD_NUMBER"


def screen(text: str) -> Screened:
    """Removes sensitive data from `text` (nothing yet: see the module docstring)."""
    return Screened(text)
