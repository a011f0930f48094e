"""What the guard finds: a kind of sensitive data at a span of the text."""

from __future__ import annotations

from dataclasses import dataclass

# Placeholder types, as they appear in redacted text: "[CARD_NUMBER]".
CARD_NUMBER = "CARD_NUMBER"
CARD_EXPIRY = "CARD_EXPIRY"
CARD_CVV = "CARD_CVV"
PIN = "PIN"
OTP = "OTP"
PASSWORD = "PASSWORD"
USERNAME = "USERNAME"
IBAN = "IBAN"
ACCOUNT_NUMBER = "ACCOUNT_NUMBER"
NATIONAL_ID = "NATIONAL_ID"
ID_DOCUMENT = "ID_DOCUMENT"

TYPES = (
    CARD_NUMBER,
    CARD_EXPIRY,
    CARD_CVV,
    PIN,
    OTP,
    PASSWORD,
    USERNAME,
    IBAN,
    ACCOUNT_NUMBER,
    NATIONAL_ID,
    ID_DOCUMENT,
)
# Findings that mean a payment card may be exposed: the customer is told to block it.
CARD_DATA = frozenset({CARD_NUMBER, CARD_EXPIRY, CARD_CVV, PIN})


@dataclass(frozen=True, order=True)
class Finding:
    """Sensitive data of `type` at text[start:end]."""

    start: int
    end: int
    type: str

    def overlaps(self, other: Finding) -> bool:
        return self.start < other.end and other.start < self.end
