"""Short first messages as customers type them: the channel's hint decides when the words
are shared by several languages; a distinctive word wins; with neither, the default."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.language import LanguageDetector

NLU = Path(__file__).resolve().parents[2] / "data" / "nlu"


@pytest.fixture(scope="module")
def detector() -> LanguageDetector:
    return LanguageDetector.from_project(NLU, default_language="it")


SHARED = [
    "ok",
    "no",
    "taxi",
    "euro",
    "super",
    "info",
    "bravo",
    "wow",
    "menu",
    "bot",
    "123",
    "si",
    "iban",
]


@pytest.mark.parametrize("word", SHARED)
@pytest.mark.parametrize("hint", ["it", "en", "fr", "pl", "fr-FR", "en_GB", "PL"])
def test_a_shared_word_follows_the_hint(detector: LanguageDetector, word: str, hint: str) -> None:
    assert detector.choose(word, hint=hint).language == hint[:2].lower()


@pytest.mark.parametrize("word", SHARED)
def test_a_shared_word_without_hint_gets_the_default(detector: LanguageDetector, word: str) -> None:
    assert detector.choose(word).language == "it"
    assert detector.choose(word, hint="pt-br").language == "it"  # an unsupported hint


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("merci", "fr"),
        ("ok merci", "fr"),
        ("merci bcp", "fr"),
        ("ok grazie", "it"),
        ("grazie mille", "it"),
        ("thx dzięki", "pl"),
        ("ok dzieki", "pl"),
        ("thanks", "en"),
        ("ok thanks", "en"),
        ("bonjour", "fr"),
        ("oui", "fr"),
        ("tak", "pl"),
        ("nie", "pl"),
        ("ciao", "it"),
    ],
)
@pytest.mark.parametrize("hint", [None, "it", "en", "fr", "pl"])
def test_a_distinctive_word_wins_unless_the_hints_language_uses_it_too(
    detector: LanguageDetector, text: str, language: str, hint: str | None
) -> None:
    used_by_hint = {  # Italian chat says "merci" (goods) and "thanks"; Polish and French, "ciao"
        ("merci", "it"), ("ok merci", "it"), ("ciao", "fr"), ("ciao", "pl"),
        ("thanks", "it"), ("thanks", "fr"), ("thanks", "pl"),
        ("ok thanks", "it"), ("ok thanks", "fr"), ("ok thanks", "pl"),
    }  # fmt: skip
    expected = hint if (text, hint) in used_by_hint else language
    assert detector.choose(text, hint=hint).language == expected


@pytest.mark.parametrize(("word", "current"), [("ok", "fr"), ("merci", "fr"), ("taxi", "pl")])
def test_a_conversation_keeps_its_language_on_short_messages(
    detector: LanguageDetector, word: str, current: str
) -> None:
    assert detector.choose(word, current=current, hint="en").language == current
