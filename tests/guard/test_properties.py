"""Properties of redaction, checked on generated text with hypothesis."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st
from stdnum import luhn

from bot.guard import screen

_RUN = re.compile(r"\d+")


def card_numbers() -> st.SearchStrategy[str]:
    """Luhn-valid numbers of 13-19 digits with a card's first digit."""

    @st.composite
    def build(draw: st.DrawFn) -> str:
        length = draw(st.integers(13, 19))
        first = draw(st.sampled_from("23456"))
        body = draw(st.text("0123456789", min_size=length - 2, max_size=length - 2))
        partial = first + body
        return partial + luhn.calc_check_digit(partial)

    return build()


def grouped(number: str, separator: str, size: int) -> str:
    return separator.join(number[i : i + size] for i in range(0, len(number), size))


words = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="0123456789"),
    max_size=30,
)


@settings(max_examples=300, deadline=None)
@given(
    card_numbers(),
    st.sampled_from(["", " ", "-", "."]),
    st.sampled_from([4, 4, 4, 5, 6]),
    words,
    words,
)
def test_no_card_number_survives_redaction(
    number: str, separator: str, size: int, before: str, after: str
) -> None:
    written = grouped(number, separator, size) if separator else number
    redacted = screen(f"{before} {written} {after}").text
    digits = "".join(_RUN.findall(redacted))
    assert number not in digits
    for run in _RUN.findall(redacted.replace(" ", "").replace("-", "").replace(".", "")):
        assert not (13 <= len(run) <= 19 and run[0] in "23456" and luhn.is_valid(run)), redacted


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=200))
def test_redaction_is_idempotent(text: str) -> None:
    once = screen(text).text
    assert screen(once).text == once


@settings(max_examples=300, deadline=None)
@given(words)
def test_text_without_findings_is_unchanged(text: str) -> None:
    screened = screen(text)
    if not screened.findings:
        assert screened.text == text


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="0123456789 -./,€", max_size=60))
def test_digit_soup_without_valid_numbers_is_kept(text: str) -> None:
    """Amounts, dates and phone-like runs stay unless they hold a valid number."""
    screened = screen(text)
    for kind in screened.findings:
        assert kind in {"CARD_NUMBER", "IBAN", "NATIONAL_ID", "ACCOUNT_NUMBER"}, (text, kind)


_SPACES = ["\u00a0", "\u202f", "\u2009", "\u2007", "\u3000", "\u205f", " "]
_INVISIBLE = ["\u200b", "\u2060", "\u00ad", "\ufeff", "\u200c", "\u200d"]
# Decimal digit forms of other scripts: full-width, Arabic-Indic, Devanagari, mathematical bold.
_DIGIT_BASES = [0xFF10, 0x0660, 0x0966, 0x1D7CE, ord("0")]


@st.composite
def disguised(draw: st.DrawFn, number: str) -> str:
    """`number` in groups of four, each gap a Unicode space, invisible characters sprinkled
    between any two characters, and each digit in any script's form."""
    out = []
    for index, digit in enumerate(number):
        if index and index % 4 == 0:
            out.append(draw(st.sampled_from(_SPACES)))
        if index and draw(st.booleans()):
            out.append(draw(st.sampled_from(_INVISIBLE)))
        out.append(chr(draw(st.sampled_from(_DIGIT_BASES)) + int(digit)))
    return "".join(out)


def _ascii_digits(text: str) -> str:
    import unicodedata

    return "".join(str(unicodedata.decimal(ch)) for ch in text if unicodedata.category(ch) == "Nd")


@settings(max_examples=300, deadline=None)
@given(st.data(), card_numbers(), words, words)
def test_no_card_number_hidden_by_unicode_survives(
    data: st.DataObject, number: str, before: str, after: str
) -> None:
    written = data.draw(disguised(number))
    redacted = screen(f"{before} {written} {after}").text
    assert written not in redacted
    assert number not in _ascii_digits(redacted)


@settings(max_examples=200, deadline=None)
@given(
    st.data(),
    st.sampled_from(
        [
            "IT60X0542811101000000123456",
            "GB82WEST12345698765432",
            "FR1420041010050500013M02606",
            "PL61109010140000071219812874",
            "DE89370400440532013000",
        ]
    ),
)
def test_no_iban_hidden_by_unicode_survives(data: st.DataObject, iban: str) -> None:
    groups = [iban[i : i + 4] for i in range(0, len(iban), 4)]
    pieces = []
    for group in groups:
        digits = "".join(
            chr(data.draw(st.sampled_from([0xFF10, ord("0")])) + int(c)) if c.isdigit() else c
            for c in group
        )
        pieces.append(
            digits + (data.draw(st.sampled_from(_INVISIBLE)) if data.draw(st.booleans()) else "")
        )
    pieces[-1] = pieces[-1].rstrip("".join(_INVISIBLE))  # after the value: not part of it
    written = data.draw(st.sampled_from(_SPACES)).join(pieces)
    redacted = screen(f"IBAN {written} grazie").text
    assert redacted == "IBAN [IBAN] grazie", repr(written)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=200))
def test_any_unicode_text_is_idempotent_and_unchanged_without_findings(text: str) -> None:
    screened = screen(text)
    assert screen(screened.text).text == screened.text
    if not screened.findings:
        assert screened.text == text
