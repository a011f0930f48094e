"""Detection on the project's labelled multilingual cases: every type, every language."""

from __future__ import annotations

from collections import Counter

import pytest

from bot.guard import TYPES, find, screen
from tests.guard.conftest import Case, labelled_cases, unicode_cases

CASES = labelled_cases()
POSITIVES = [case for case in CASES if case.spans]
NEGATIVES = [case for case in CASES if not case.spans]


def _found(case: Case) -> set[tuple[int, int, str]]:
    return {(f.start, f.end, f.type) for f in find(case.text)}


def test_the_labelled_set_is_large_and_covers_every_type_and_language() -> None:
    assert len(POSITIVES) >= 200 and len(NEGATIVES) >= 200
    for language in ("it", "en", "fr", "pl"):
        kinds = {span[2] for case in POSITIVES if case.language == language for span in case.spans}
        assert kinds == set(TYPES), language


@pytest.mark.parametrize("kind", TYPES)
def test_precision_and_recall_per_type(kind: str) -> None:
    counts: Counter[str] = Counter()
    for case in CASES:
        gold = {span for span in case.spans if span[2] == kind}
        found = {span for span in _found(case) if span[2] == kind}
        counts["tp"] += len(gold & found)
        counts["fn"] += len(gold - found)
        counts["fp"] += len(found - gold)
    precision = counts["tp"] / max(1, counts["tp"] + counts["fp"])
    recall = counts["tp"] / max(1, counts["tp"] + counts["fn"])
    assert precision >= 0.95 and recall >= 0.95, (kind, counts)


@pytest.mark.parametrize("case", NEGATIVES, ids=lambda case: f"{case.language}:{case.text[:40]}")
def test_hard_negatives_pass_untouched(case: Case) -> None:
    assert screen(case.text).text == case.text


def test_redaction_replaces_only_the_values() -> None:
    screened = screen("la mia carta 4111 1111 1111 1111 è stata bloccata, perché?")
    assert screened.text == "la mia carta [CARD_NUMBER] è stata bloccata, perché?"
    assert screened.findings == ("CARD_NUMBER",)
    assert screened.exposes_card


def test_card_number_expiry_and_cvv_in_one_message() -> None:
    screened = screen("4111111111111111 09/27 123")
    assert screened.text == "[CARD_NUMBER] [CARD_EXPIRY] [CARD_CVV]"


def test_placeholders_are_removed_for_language_detection() -> None:
    assert screen("my pin is 4321 ok").without_placeholders == "my pin is   ok"


UNICODE = unicode_cases()


def _id(case: Case) -> str:
    return f"{case.language}:{case.text[:40]}"


def test_the_unicode_section_is_large_enough() -> None:
    assert sum(bool(c.spans) for c in UNICODE) >= 100
    assert sum(not c.spans for c in UNICODE) >= 50


@pytest.mark.parametrize("case", [c for c in UNICODE if c.spans], ids=_id)
def test_a_value_disguised_by_unicode_is_found_whole(case: Case) -> None:
    """Each value is found with its exact span (its type may be a neighbour's: OTP or CVV)."""
    assert {(s, e) for s, e, _ in case.spans} <= {(s, e) for s, e, _ in _found(case)}


@pytest.mark.parametrize("case", [c for c in UNICODE if not c.spans], ids=_id)
def test_unicode_hard_negatives_pass_untouched(case: Case) -> None:
    assert screen(case.text).text == case.text
