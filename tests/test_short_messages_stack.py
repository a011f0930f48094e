"""End to end: short messages as customers type them (the issue's table and its neighbours).

The channel's hint decides the language of shared words; praise is thanked, never offered a
person; amounts in words and in other currencies; filing a complaint starts the form while
following one asks for its reference; one answer per need when a card number is lost.
"""

from __future__ import annotations

import re
from functools import cache

import pytest
import yaml

from actions.facts import service_facts
from bot.catalogue import load_catalogue
from bot.responses import Responses, response_texts
from bot.settings import PROJECT_ROOT
from tests.conftest import RunningStack

pytestmark = pytest.mark.stack

TEXTS = Responses.from_domain(PROJECT_ROOT / "domain.yml")
CATALOGUE = load_catalogue(PROJECT_ROOT / "catalogue" / "bank.yml")
HANDOVER = ("utter_handover_offer", "utter_handover_no_agents", "utter_handover_queued")


@cache
def _templates() -> list[tuple[str, str, re.Pattern[str]]]:
    domain = yaml.safe_load((PROJECT_ROOT / "domain.yml").read_text(encoding="utf-8"))
    found = []
    for name, by_language in response_texts(domain).items():
        for language, text in by_language.items():
            parts = re.split(r"{[^{}\s]+}", text)
            found.append((name, language, re.compile(".+?".join(map(re.escape, parts)), re.S)))
    return found


def said(text: str) -> set[tuple[str, str]]:
    """Which (response, language) a reply's text is."""
    return {(n, lang) for n, lang, pattern in _templates() if pattern.fullmatch(text)}


def say(stack: RunningStack, sender: str, text: str, hint: str | None = None) -> list[str]:
    extra = {"metadata": {"language_hint": hint}} if hint else {}
    response = stack.send(sender, text, **extra)
    assert response.status_code == 200, response.text
    return [m["text"] for m in response.json() if m.get("text")]


def languages(texts: list[str]) -> set[str]:
    return {language for text in texts for _, language in said(text)}


def names(texts: list[str]) -> set[str]:
    return {name for text in texts for name, _ in said(text)}


@pytest.mark.parametrize(
    ("text", "hint", "language"),
    [
        ("merci", "fr-FR", "fr"),
        ("merci", None, "fr"),
        ("ok merci", None, "fr"),
        ("ok grazie", "en", "it"),
        ("thx dzięki", None, "pl"),
        ("ok", None, "it"),
        ("ok", "pl", "pl"),
        ("ok", "fr", "fr"),
        ("no", "en", "en"),
        ("no", "pl-PL", "pl"),
        ("taxi", "en", "en"),
        ("euro", "pl", "pl"),
        ("super", "it", "it"),
        ("info", "fr", "fr"),
        ("ciao", "pl", "pl"),
    ],
)
def test_a_short_first_message_is_answered_in_the_language_it_belongs_to(
    running_stack: RunningStack, text: str, hint: str | None, language: str
) -> None:
    sender = f"short-{text}-{hint}"
    texts = say(running_stack, sender, text, hint)
    assert texts and languages(texts) == {language}, texts


@pytest.mark.parametrize(
    ("language", "question", "praise"),
    [
        ("it", "quanto costa il conto corrente?", "complimenti, chiarissimo"),
        ("it", None, "bravo!"),
        ("en", None, "well done"),
        ("en", "how much does the credit card cost?", "wow, that's cheap. great job!"),
        ("en", "how do i open a current account?", "great job, very clear"),
        ("fr", "combien coûte le compte courant ?", "bravo, c'est très clair"),
        ("fr", None, "bien joué !"),
        ("pl", "ile kosztuje konto osobiste?", "brawo, bardzo jasno wytłumaczone"),
        ("pl", None, "świetna robota"),
    ],
)
def test_praise_is_thanked_and_never_offered_a_person(
    running_stack: RunningStack, language: str, question: str | None, praise: str
) -> None:
    sender = f"praise-{language}-{praise}"
    if question:
        say(running_stack, sender, question)
    texts = say(running_stack, sender, praise, hint=language)
    assert texts == [TEXTS.text("utter_praise_thanks", language)]
    assert not names(texts) & set(HANDOVER)


@pytest.mark.parametrize(
    ("language", "nonsense", "sarcasm"),
    [
        ("en", "xkqz plork", "well done, really helpful"),
        ("it", "xkqz plork", "bravo, utilissimo"),
    ],
)
def test_praise_right_after_a_failure_is_read_as_sarcasm(
    running_stack: RunningStack, language: str, nonsense: str, sarcasm: str
) -> None:
    sender = f"sarcasm-{language}"
    say(running_stack, sender, nonsense, hint=language)
    texts = say(running_stack, sender, sarcasm, hint=language)
    assert names(texts) & set(HANDOVER), texts


@pytest.mark.parametrize(
    ("language", "start", "amount"),
    [
        ("en", "calculate my loan payment please", "twenty thousand"),
        ("it", "vorrei calcolare la rata di un prestito", "ventimila"),
        ("fr", "je voudrais simuler un pret", "vingt mille"),
        ("pl", "chce obliczyc rate kredytu", "dwadzieścia tysięcy"),
    ],
)
def test_an_amount_in_words_is_taken(
    running_stack: RunningStack, language: str, start: str, amount: str
) -> None:
    sender = f"words-{language}"
    assert say(running_stack, sender, start) == [TEXTS.text("utter_ask_loan_amount", language)]
    assert say(running_stack, sender, amount) == [TEXTS.text("utter_ask_loan_months", language)]


def test_an_amount_in_zloty_is_not_computed_as_euros(running_stack: RunningStack) -> None:
    texts = say(running_stack, "zloty", "ile wyniesie rata kredytu 50 tys. zł na 10 lat?")
    assert texts[0] == TEXTS.text("utter_amount_in_euros", "pl", currency="PLN")
    assert not any("€" in t and "50" in t for t in texts[1:])


@pytest.mark.parametrize(
    ("language", "filing", "following"),
    [
        ("fr", "je voudrais déposer une réclamation", "où en est ma réclamation ?"),
        ("it", "vorrei presentare un reclamo", "a che punto è il mio reclamo?"),
        ("en", "i want to file a complaint", "what's the status of my complaint?"),
        ("pl", "chcę złożyć reklamację", "jaki jest status mojej reklamacji?"),
    ],
)
def test_filing_a_complaint_starts_the_form_and_following_one_asks_for_it(
    running_stack: RunningStack, language: str, filing: str, following: str
) -> None:
    texts = say(running_stack, f"file-{language}", filing)
    assert "utter_ask_complaint_description" in names(texts), texts
    texts = say(running_stack, f"follow-{language}", following)
    assert names(texts) & {"utter_complaint_status"}, texts


def test_a_lost_card_with_its_number_is_told_to_block_it_once(running_stack: RunningStack) -> None:
    texts = say(running_stack, "lost-once", "ho perso la carta 4111 1111 1111 1111")
    facts = service_facts(CATALOGUE, "it")
    assert texts == [
        TEXTS.text("utter_sensitive_data_removed", "it"),
        TEXTS.text("utter_lost_card", "it", **facts),
    ]
