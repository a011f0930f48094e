"""Detectors of numbers that carry their own proof: checksums and official formats.

Card numbers (Luhn), IBANs (MOD-97), Polish account numbers, national IDs and bank
accounts are recognised by python-stdnum's validators, so a random digit run, an amount,
a date or a phone number is left alone.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from stdnum import iban, luhn
from stdnum.fr import nir
from stdnum.it import codicefiscale
from stdnum.nz import bankaccount, ird
from stdnum.pl import pesel

from bot.guard._findings import ACCOUNT_NUMBER, CARD_NUMBER, IBAN, NATIONAL_ID, Finding

_DIGITS = re.compile(r"\d+")
_SEPARATORS = " -."
_CARD_DIGITS = range(13, 20)
_CARD_GROUP_DIGITS = range(3, 7)  # "4111 1111 1111 1111", "3782 822463 10005"

_IBAN = re.compile(r"\b[A-Z]{2}[ .-]?\d{2}(?:[ .-]?[A-Z0-9]){11,32}", re.IGNORECASE)
_CODICE_FISCALE = re.compile(
    r"\b[A-Z]{6}[0-9LMNPQRSTUV]{2}[A-EHLMPRST][0-9LMNPQRSTUV]{2}[A-Z][0-9LMNPQRSTUV]{3}[A-Z]\b",
    re.IGNORECASE,
)
_NIR = re.compile(r"\b[12] ?\d{2} ?\d{2} ?(?:\d{2}|2[AB]) ?\d{3} ?\d{3} ?\d{2}\b", re.IGNORECASE)
_NINO = re.compile(
    r"\b(?!BG|GB|NK|KN|TN|NT|ZZ)[A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z] ?\d{2} ?\d{2} ?\d{2} ?[A-D]\b",
    re.IGNORECASE,
)
_NZ_ACCOUNT = re.compile(r"\b\d{2}[- ]?\d{3,4}[- ]?\d{7}[- ]?\d{2,3}\b")
_UK_ACCOUNT = re.compile(
    r"sort\s*code[^\d\n]{0,12}?(\d{2}[- ]?\d{2}[- ]?\d{2})[^\d\n]{0,30}?(?<!\d)\d{8}(?!\d)",
    re.IGNORECASE,
)
_IRD = re.compile(r"\b\d{2,3}-\d{3}-\d{3}\b")
# Maestro cards can have 12 digits: only with a card word before them.
_SHORT_CARD = re.compile(
    r"\b(?:card|cards|cc|carta|carte|karta|karty|kart[eę]|maestro|bancomat|postepay|visa|mastercard)\b"
    r"[^\d\n]{0,30}?(?<![\d+])(\d{12})(?!\d)",
    re.IGNORECASE,
)
_PESEL = re.compile(r"(?<![\d+])\d{11}(?!\d)")


def find_numbers(text: str) -> Iterator[Finding]:
    """Every checksum-valid card number, IBAN, account number and national ID in `text`."""
    yield from _ibans(text)
    for chain in _digit_chains(text):
        if chain[0].start() > 0 and text[chain[0].start() - 1].isalpha():
            continue  # digits of an alphanumeric code such as an (invalid) IBAN
        yield from _cards_in(text, chain)
        yield from _polish_accounts_in(text, chain)
    for match in _SHORT_CARD.finditer(text):
        if luhn.is_valid(match.group(1)):
            yield Finding(match.start(1), match.end(1), CARD_NUMBER)
    yield from _validated(text, _CODICE_FISCALE, codicefiscale.is_valid, NATIONAL_ID)
    yield from _validated(text, _NIR, nir.is_valid, NATIONAL_ID)
    yield from _validated(text, _NINO, lambda _: True, NATIONAL_ID)
    yield from _validated(text, _PESEL, pesel.is_valid, NATIONAL_ID)
    yield from _validated(text, _IRD, ird.is_valid, NATIONAL_ID)
    yield from _validated(text, _NZ_ACCOUNT, bankaccount.is_valid, ACCOUNT_NUMBER)
    for match in _UK_ACCOUNT.finditer(text):  # sort code + account number
        yield Finding(match.start(1), match.end(), ACCOUNT_NUMBER)


def _validated(text: str, pattern: re.Pattern[str], is_valid, kind: str) -> Iterator[Finding]:  # type: ignore[no-untyped-def]
    for match in pattern.finditer(text):
        if is_valid(match.group().upper()):
            yield Finding(match.start(), match.end(), kind)


def _digit_chains(text: str) -> list[list[re.Match[str]]]:
    """Runs of digit groups joined by one separator each ("4111 1111-1111.1111")."""
    chains: list[list[re.Match[str]]] = []
    for match in _DIGITS.finditer(text):
        previous = chains[-1][-1] if chains else None
        if (
            previous is not None
            and match.start() - previous.end() == 1
            and text[previous.end()] in _SEPARATORS
        ):
            chains[-1].append(match)
        else:
            chains.append([match])
    return chains


def _cards_in(text: str, chain: list[re.Match[str]]) -> Iterator[Finding]:
    """Luhn-valid card numbers of 13-19 digits, plain or in groups with one separator kind."""
    i = 0
    while i < len(chain):
        end = _longest_card_from(text, chain, i)
        if end is None:
            i += 1
            continue
        yield Finding(chain[i].start(), chain[end].end(), CARD_NUMBER)
        i = end + 1


def _longest_card_from(text: str, chain: list[re.Match[str]], i: int) -> int | None:
    if i > 0 and text[chain[i].start() - 1] == "+":
        return None  # an international phone number
    best, digits, separator = None, "", None
    for j in range(i, len(chain)):
        if j > i:
            between = text[chain[j - 1].end()]
            if separator not in (None, between):
                break
            separator = between
            if len(chain[i].group()) not in _CARD_GROUP_DIGITS or len(chain[j].group()) > max(
                _CARD_GROUP_DIGITS
            ):
                break
        group = chain[j].group()
        digits += group
        if len(digits) > max(_CARD_DIGITS):
            break
        if len(digits) in _CARD_DIGITS and _could_be_card(digits):
            best = j
        if j > i and len(group) < min(_CARD_GROUP_DIGITS):
            break  # a short group ("... 0051 5") can only end a card number
    return best


def _could_be_card(digits: str) -> bool:
    """Luhn-valid, with a payment card's first digit (1 only for 15-digit UATP cards)."""
    first = digits[0]
    if first not in "123456" or (first == "1" and len(digits) != 15):
        return False
    return bool(luhn.is_valid(digits))


def _polish_accounts_in(text: str, chain: list[re.Match[str]]) -> Iterator[Finding]:
    """A Polish account number (NRB): 26 digits, plain or as "61 1090 1014 ... 2874"."""
    sizes = [len(group.group()) for group in chain]
    for i, size in enumerate(sizes):
        if size == 26:
            last = i
        elif size == 2 and sizes[i + 1 : i + 7] == [4] * 6:
            last = i + 6
        else:
            continue
        digits = "".join(group.group() for group in chain[i : last + 1])
        if iban.is_valid("PL" + digits, check_country=False):
            yield Finding(chain[i].start(), chain[last].end(), IBAN)


def _ibans(text: str) -> Iterator[Finding]:
    """IBANs of any country, compact or grouped, with the longest MOD-97-valid reading."""
    position = 0
    while match := _IBAN.search(text, position):
        position = match.start() + 1
        ends = [match.start() + i + 1 for i, ch in enumerate(match.group()) if ch not in " .-"]
        compact = "".join(ch for ch in match.group() if ch not in " .-")
        for length in reversed(_mod97_lengths(compact)):
            if _is_iban(compact[:length]):
                yield Finding(match.start(), ends[length - 1], IBAN)
                position = ends[length - 1]
                break


def _is_iban(compact: str) -> bool:
    """Country format and length (python-stdnum); all upper or all lower case, not "bANK"."""
    letters = [ch for ch in compact[4:] if ch.isalpha()]
    if any(ch.isupper() for ch in letters) and any(ch.islower() for ch in letters):
        return False
    return bool(iban.is_valid(compact.upper(), check_country=False))


def _mod97_lengths(compact: str) -> list[int]:
    """The lengths (15-34) at which a prefix of `compact` passes the IBAN checksum.

    One pass: the checksum of "BBAN + country + check digits" is built up character by
    character, so a long candidate costs O(n), not O(n^2).
    """
    if len(compact) < 15 or not compact[:2].isalpha() or not compact[2:4].isdigit():
        return []
    head = int(f"{int(compact[0], 36)}{int(compact[1], 36)}{compact[2:4]}")  # six digits
    lengths, remainder = [], 0
    for length in range(5, min(len(compact), 34) + 1):
        value = int(compact[length - 1], 36)
        remainder = (remainder * (100 if value >= 10 else 10) + value) % 97
        if length >= 15 and (remainder * 1_000_000 + head) % 97 == 1:
            lengths.append(length)
    return lengths
