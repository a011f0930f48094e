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
