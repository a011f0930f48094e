"""Sensitive data hidden by Unicode: the detectors read a normalised view of the text."""

from __future__ import annotations

import pytest

from bot.guard import screen
from bot.guard._view import view_of

NBSP, NNBSP, THIN, ZWSP, WJ, SHY = "\u00a0", "\u202f", "\u2009", "\u200b", "\u2060", "\u00ad"


def full_width(text: str) -> str:
    return "".join(chr(ord(c) + 0xFEE0) if c.isdigit() else c for c in text)


@pytest.mark.parametrize(
    "written",
    [
        NBSP.join(["4111", "1111", "1111", "1111"]),
        NNBSP.join(["4111", "1111", "1111", "1111"]),
        THIN.join(["4111", "1111", "1111", "1111"]),
        ZWSP.join(["4111", "1111", "1111", "1111"]),
        WJ.join(["4111", "1111", "1111", "1111"]),
        SHY.join(["4111", "1111", "1111", "1111"]),
        full_width("4111 1111 1111 1111"),
        full_width("4111111111111111"),
        "\u2011".join(["4111", "1111", "1111", "1111"]),  # non-breaking hyphens
        "٤١١١١١١١١١١١١١١١",  # Arabic-Indic digits
    ],
)
def test_card_numbers_hidden_by_unicode_are_redacted(written: str) -> None:
    screened = screen(f"la mia carta è {written}, grazie")
    assert screened.text == "la mia carta è [CARD_NUMBER], grazie"
    assert screened.findings == ("CARD_NUMBER",)


@pytest.mark.parametrize("space", [NBSP, NNBSP, THIN, ZWSP + " "])
def test_ibans_grouped_with_unicode_spaces_are_redacted(space: str) -> None:
    iban = space.join(["IT60", "X054", "2811", "1010", "0000", "0123", "456"])
    assert screen(f"IBAN: {iban}").text == "IBAN: [IBAN]"


@pytest.mark.parametrize(
    ("text", "redacted"),
    [
        (f"il mio PIN è {full_width('1234')}", "il mio PIN è [PIN]"),
        (f"kod z SMS {full_width('482913')}", "kod z SMS [OTP]"),
        (f"cvv{NBSP}{full_width('123')}", f"cvv{NBSP}[CARD_CVV]"),
        (f"PESEL {full_width('44051401359')}", "PESEL [NATIONAL_ID]"),
    ],
)
def test_other_kinds_read_unicode_digits_too(text: str, redacted: str) -> None:
    assert screen(text).text == redacted


@pytest.mark.parametrize(
    "text",
    [
        f"le total est de 1{NNBSP}500,00{NBSP}€",
        f"rata 1{THIN}200,50 € al mese",
        f"appuntamento alle {full_width('10:30')} del {full_width('12/03')}",
        f"tel. +39{NBSP}02{NBSP}5550{NBSP}0000",
        f"Café{ZWSP} crème, naïve façade ⁂ 🇮🇹",
    ],
)
def test_text_without_findings_comes_out_unchanged(text: str) -> None:
    screened = screen(text)
    assert screened.findings == ()
    assert screened.text == text


def test_the_view_maps_back_to_the_original_characters() -> None:
    view = view_of(f"a{ZWSP}b{NBSP}１")
    assert view.text == "ab 1"
    assert view.original_span(0, 4) == (0, 5)
    assert view.original_span(1, 2) == (2, 3)
    assert view_of("plain ascii").origins is None
