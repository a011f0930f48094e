"""Numbers split across two messages of one conversation."""

from __future__ import annotations

import pytest

from bot.guard import SplitNumbers


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


@pytest.mark.parametrize(
    ("first", "second", "fragment", "redacted", "kind"),
    [
        ("my card number is 4111 1111", "1111 1111", "4111 1111", "[CARD_NUMBER]", "CARD_NUMBER"),
        (
            "la mia carta 41111111",
            "11111111 grazie",
            "41111111",
            "[CARD_NUMBER] grazie",
            "CARD_NUMBER",
        ),
        (
            "ma carte 4111\u00a01111\u00a01111",
            "\u00a01111",
            "4111\u00a01111\u00a01111",
            "\u00a0[CARD_NUMBER]",
            "CARD_NUMBER",
        ),
        ("IBAN IT60 X054 2811", "1010 0000 0123 456", "IT60 X054 2811", "[IBAN]", "IBAN"),
    ],
)
def test_the_second_half_is_redacted_and_the_first_named(
    first: str, second: str, fragment: str, redacted: str, kind: str
) -> None:
    splits = SplitNumbers()
    earlier = splits.screen("c", first)
    assert earlier.text == first and earlier.earlier_fragment is None
    joined = splits.screen("c", second)
    assert joined.text == redacted
    assert joined.findings == (kind,)
    assert joined.earlier_fragment == fragment
    assert first.endswith(fragment)
    assert joined.placeholder == f"[{kind}]"


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("ho pagato 1200", "1500 euro il mese dopo"),  # two amounts
        ("my card number is 4111 1111", "thanks"),  # no second half
        ("chiamami al 333 1234567", "alle 18"),
        ("4111 1111 1111 1111", "1111"),  # the first message was a whole number already
    ],
)
def test_unrelated_numbers_are_left_alone(first: str, second: str) -> None:
    splits = SplitNumbers()
    splits.screen("c", first)
    assert splits.screen("c", second).earlier_fragment is None


def test_halves_of_different_conversations_are_not_joined() -> None:
    splits = SplitNumbers()
    splits.screen("alice", "my card is 4111 1111")
    joined = splits.screen("bob", "1111 1111")
    assert joined.text == "1111 1111" and joined.earlier_fragment is None


def test_the_second_half_must_come_within_the_window() -> None:
    clock = Clock()
    splits = SplitNumbers(window_seconds=120, clock=clock)
    splits.screen("c", "my card is 4111 1111")
    clock.now = 121
    assert splits.screen("c", "1111 1111").earlier_fragment is None


def test_only_a_message_ending_in_digits_is_remembered() -> None:
    splits = SplitNumbers()
    splits.screen("c", "my card is 4111 1111 please")
    assert splits.screen("c", "1111 1111").earlier_fragment is None
