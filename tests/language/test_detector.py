"""Language choice on short chat messages, stickiness, hints and unsupported languages."""

from __future__ import annotations

import time

import pytest

from bot.language import LanguageDetector
from bot.settings import PROJECT_ROOT


@pytest.fixture(scope="module")
def detector() -> LanguageDetector:
    return LanguageDetector.from_project(PROJECT_ROOT / "data" / "nlu")


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("buongiorno, vorrei aprire un conto", "it"),
        ("perche la mia carta nn funziona", "it"),  # no accents, chat abbreviations
        ("hi, how much does a transfer cost?", "en"),
        ("bonjour je voudrais ouvrir un compte", "fr"),
        ("slt c combien les frais", "fr"),
        ("dzien dobry, chce zalozyc konto", "pl"),  # Polish without diacritics
        ("dziękuję bardzo", "pl"),
        ("grazie mille", "it"),
    ],
)
def test_detects_clear_messages_without_history(
    detector: LanguageDetector, text: str, language: str
) -> None:
    assert detector.choose(text).language == language


@pytest.mark.parametrize("text", ["ok", "123", "👍", "", "   ", "?!", "taxi"])
@pytest.mark.parametrize("current", ["it", "en", "fr", "pl"])
def test_short_or_ambiguous_messages_keep_the_conversation_language(
    detector: LanguageDetector, text: str, current: str
) -> None:
    assert detector.choose(text, current=current).language == current


@pytest.mark.parametrize(
    ("current", "text", "language"),
    [
        ("it", "hello, I would like to open an account", "en"),
        ("en", "je voudrais parler avec un conseiller", "fr"),
        ("fr", "chciałbym porozmawiać z konsultantem", "pl"),
        ("pl", "vorrei sapere quanto costa il conto", "it"),
    ],
)
def test_a_clear_message_in_another_language_switches(
    detector: LanguageDetector, current: str, text: str, language: str
) -> None:
    assert detector.choose(text, current=current).language == language


def test_channel_hint_picks_the_language_of_an_empty_first_message(
    detector: LanguageDetector,
) -> None:
    assert detector.choose("👍", hint="pl-PL").language == "pl"
    assert detector.choose("👍", hint="de").language == "it"  # unsupported hint: default


def test_default_language_when_nothing_is_known() -> None:
    detector = LanguageDetector.from_project(PROJECT_ROOT / "data" / "nlu", default_language="fr")
    assert detector.choose("12345").language == "fr"


@pytest.mark.parametrize(
    ("text", "unsupported"),
    [
        ("Ich möchte ein Konto eröffnen, bitte", "de"),
        ("hola, quiero abrir una cuenta por favor", "es"),
        ("olá, quero abrir uma conta no banco", "pt"),
    ],
)
def test_recognises_unsupported_languages(
    detector: LanguageDetector, text: str, unsupported: str
) -> None:
    choice = detector.choose(text, current="en")
    assert choice.unsupported == unsupported
    assert choice.language == "en"  # the reply stays in the conversation's language


def test_detection_is_deterministic(detector: LanguageDetector) -> None:
    text = "ciao, je voudrais un prestito"
    assert len({detector.choose(text) for _ in range(20)}) == 1


def test_detection_is_fast(detector: LanguageDetector) -> None:
    """A loose guard against a pathological slowdown; benchmarks/ measures properly."""
    text = "buongiorno, vorrei sapere quanto costa il bonifico istantaneo verso un'altra banca " * 3
    started = time.perf_counter()
    for _ in range(200):
        detector.choose(text[:200], current="it")
    assert (time.perf_counter() - started) / 200 < 0.01
