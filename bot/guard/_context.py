"""Detectors of secrets that only their words give away, in it, en, fr and pl.

"il mio PIN è 1234", "my password is hunter2", "kod z SMS 482913": a keyword, a few
linking words, then the value. Only the value is reported, so the rest of the message
still makes sense to the assistant.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator
from functools import lru_cache

from bot.guard._findings import (
    CARD_CVV,
    CARD_EXPIRY,
    ID_DOCUMENT,
    OTP,
    PASSWORD,
    PIN,
    USERNAME,
    Finding,
)

_FLAGS = re.IGNORECASE | re.UNICODE

# Up to a few words without digits between a keyword and its value ("della carta è").
_FILLER = r"[^\d\n\[\]]{0,40}?"

_EXPIRY_WORDS = (
    r"scad\w*|expir\w*|exp\b|valid\s+(?:thru|through|until|till)|good\s+thru|valable\s+jusqu|"
    r"date\s+d['’]expiration|data\s+wa[zż]no[sś]ci|wa[zż]n[aey]\s+do|termin\s+wa[zż]no[sś]ci"
)
_DATE = r"(?<!\d)(0[1-9]|1[0-2])\s?(?:[/\-.]\s?)?(\d{2}|20\d{2})(?!\d)"
_CVV_WORDS = (
    r"(?:cvv2?|cvc2?|cid|cvn|crypto)\b|codice\s+(?:di\s+)?sicurezza|codice\s+cvv|security\s+code|"
    r"card\s+verification|cryptogramme|code\s+de\s+s[eé]curit[eé]|kod\s+(?:cvv|cvc|bezpiecze[nń]stwa)|"
    r"(?:3|tre|three|trois|trzy)\s+(?:cifre|digits|chiffres|cyfry)"
)
# "codice postale", "code promo", "kod rabatowy": codes that are not secrets.
_NOT_A_CODE = (
    r"postale?|pocztowy|fiscale|cliente|client|promo\w*|sconto|rabatowy|iban|bic|swift|abi|cab|"
    r"ateco|iva|prodotto|product|produit|produktu|pin|confidentiel|secret|segreto|error|errore|"
    r"erreur|b[łl][eę]du|cvv|cvc|di\s+sicurezza|de\s+s[eé]curit[eé]"
)
_PIN_WORDS = (
    r"\bpin\b(?!\s+(?:à|a|de|massif)\b)|"
    r"code\s+secret|code\s+confidentiel|codice\s+segreto|kod\s+pin"
)
_OTP_WORDS = (
    r"\botp\b|one[\s-]?time\s+(?:code|password|passcode)|verification\s+code|sms\s+code|passcode|"
    r"code\s+3d\s*secure|code\s+d['’]authentification|"
    r"code\s+(?:from|in)\s+(?:the\s+)?(?:text|sms|message)|"
    r"codice\s+(?:otp|sms|di\s+verifica|di\s+conferma|temporaneo|ricevuto|che\s+mi\s+(?:è|e)\s+arrivato)|"
    r"code\s+(?:sms|otp|de\s+v[eé]rification|de\s+confirmation|re[cç]u|[aà]\s+usage\s+unique)|"
    r"kod\s+(?:sms|z\s+sms\w*|weryfikacyjny|autoryzacyjny|jednorazowy|potwierdzaj[aą]cy|blik)|"
    r"\b(?:codice|code|kod)\b(?!\s+(?:" + _NOT_A_CODE + r")\b)"
)
_PASSWORD_WORDS = (
    r"password|passwd|\bpwd\b|\bpass\b|parola\s+(?:d['’]ordine|chiave)|mot\s+de\s+passe|\bmdp\b|"
    r"has[lł][oa]|has[lł]em"
)
_USERNAME_WORDS = (
    r"user\s?name|user\s?id|\blogin\b|nome\s+utente|\butente\b|identifiant|nom\s+d['’]utilisateur|"
    r"nazwa\s+u[zż]ytkownika|\blogin(?:em|u)?\b|identyfikator|numer\s+klienta|codice\s+utente"
)
_ID_WORDS = (
    r"carta\s+d['’]?\s?identit[aà]|carta\s+di\s+identit[aà]|documento\s+(?:d['’]identit[aà]|di\s+identit[aà])|"
    r"passaporto|passport|id\s+card|identity\s+card|driving\s+licen[cs]e|patente|"
    r"carte\s+d['’]identit[eé]|passeport|permis\s+de\s+conduire|"
    r"dow[oó]d\w*(?:\s+osobist\w+)?|paszport\w*|prawo\s+jazdy|\bcni\b"
)

_EXPIRY = re.compile(rf"\b(?:{_EXPIRY_WORDS}){_FILLER}{_DATE}", _FLAGS)
_CVV = re.compile(rf"\b(?:{_CVV_WORDS}){_FILLER}(?<!\d)(\d{{3,4}})(?!\d)", _FLAGS)
_PIN = re.compile(rf"(?:{_PIN_WORDS}){_FILLER}(?<!\d)(\d{{4,6}})(?!\d)", _FLAGS)
_OTP = re.compile(
    rf"(?:{_OTP_WORDS}){_FILLER}(?<![\d.,])"
    rf"(\d{{2,4}}(?:[ -]\d{{2,4}}){{1,3}}|\d{{4,8}})(?![\d.,]\d)",
    _FLAGS,
)
_PASSWORD = re.compile(rf"\b(?:{_PASSWORD_WORDS})", _FLAGS)
_USERNAME = re.compile(rf"\b(?:{_USERNAME_WORDS})", _FLAGS)
_TOKEN = re.compile(r"\S+")
# Words between "password" and the password itself: "is", "è", "to", "pour", ":" ...
_LINK_WORDS = frozenset(
    ["is", "was", "are", "e", "è", "é", "era", "sono", "est", "c'est", "c’est", "to", "jest"]
    + ["było", "byla", "była", "czyli", "na", "pour", "per", "for", ":", "=", "-", "–"]
)
_WORDS_TO_VALUE = 5
_ID_NUMBER = re.compile(
    rf"\b(?:{_ID_WORDS}){_FILLER}\b((?-i:[A-Z]{{1,3}}) \d{{5,10}}|(?=[A-Z]*\d)[A-Z0-9]{{6,12}})\b",
    _FLAGS,
)

# After a card number, a date and a 3-4 digit number are its expiry and CVV, when only
# punctuation or the matching word stands between them ("4111... 09/27 cvv 123").
_AFTER_CARD = re.compile(rf"[\s,;:/\-]*(?:(?:{_EXPIRY_WORDS})[\s:]*)?{_DATE}", _FLAGS)
_CVV_AFTER_CARD = re.compile(
    rf"[\s,;:/\-]*(?:(?:{_CVV_WORDS})[\s:]*)?(?<![\d/])(\d{{3,4}})(?![\d/])", _FLAGS
)

_TRAILING_PUNCTUATION = ".,;:)\"'»”"


def find_in_context(text: str) -> Iterator[Finding]:
    """Expiry dates, CVVs, PINs, one-time codes, passwords, user names and ID document numbers."""
    yield from _groups(_EXPIRY, text, CARD_EXPIRY, group=1, until_group=2)
    yield from _groups(_CVV, text, CARD_CVV)
    yield from _groups(_PIN, text, PIN)
    yield from _groups(_OTP, text, OTP)
    yield from _tokens(_PASSWORD, text, PASSWORD)
    yield from _tokens(_USERNAME, text, USERNAME)
    yield from _groups(_ID_NUMBER, text, ID_DOCUMENT)


def find_after_card(text: str, card_end: int) -> Iterator[Finding]:
    """The expiry date and CVV customers often type right after a card number."""
    position = card_end
    date = _AFTER_CARD.match(text, position)  # anchored at `position`
    if date:
        yield Finding(date.start(1), date.end(2), CARD_EXPIRY)
        position = date.end()
    cvv = _CVV_AFTER_CARD.match(text, position)
    if cvv:
        yield Finding(cvv.start(1), cvv.end(1), CARD_CVV)


def _groups(
    pattern: re.Pattern[str], text: str, kind: str, group: int = 1, until_group: int | None = None
) -> Iterator[Finding]:
    for match in pattern.finditer(text):
        yield Finding(match.start(group), match.end(until_group or group), kind)


def _tokens(pattern: re.Pattern[str], text: str, kind: str) -> Iterator[Finding]:
    """The value a few words after a keyword: secret-looking, or a rare word right after it."""
    for match in pattern.finditer(text):
        right_after_keyword = True
        for word in itertools.islice(_TOKEN.finditer(text, match.end()), _WORDS_TO_VALUE):
            token = word.group().rstrip(_TRAILING_PUNCTUATION)
            if token.rstrip("!?").isalpha():
                token = token.rstrip("!?")  # "rinnovo?" is a word, "Tr3ntino!" a password
            if token.lower() in _LINK_WORDS or not token:
                right_after_keyword = True
                continue
            if token.startswith("["):
                break  # already redacted
            if _looks_secret(token, kind) or (right_after_keyword and not _is_everyday_word(token)):
                if len(token) >= 3:
                    yield Finding(word.start(), word.start() + len(token), kind)
                break
            right_after_keyword = False


def _looks_secret(token: str, kind: str) -> bool:
    """ "hunter2", "Tr0ub4dor&3", "mario.rossi85", a numeric customer id."""
    has_digit = any(ch.isdigit() for ch in token)
    if token.isdigit():
        return len(token) >= (5 if kind == USERNAME else 4)
    return (
        has_digit
        and any(ch.isalpha() for ch in token)
        or (any(not ch.isalnum() for ch in token) and sum(ch.isalpha() for ch in token) >= 3)
    )


def _is_everyday_word(token: str) -> bool:
    if not token.isalpha():
        return False  # "hunter2", "Gatto!2024", "mario.rossi85"
    return _word_frequency(token.lower()) >= 2.0


@lru_cache(maxsize=4096)
def _word_frequency(word: str) -> float:
    """Highest Zipf frequency of `word` in it, en, fr, pl (3 = once per million words)."""
    import wordfreq

    return max(
        wordfreq.zipf_frequency(word, language, wordlist="small")
        for language in ("it", "en", "fr", "pl")
    )
