"""End to end: difficult customers through the gateway and the trained assistant."""

from __future__ import annotations

import pytest

from bot.language import LANGUAGES
from tests.conftest import RunningStack
from tests.handover.scripted import run, stored_outcomes

pytestmark = pytest.mark.stack


@pytest.mark.parametrize("language", LANGUAGES)
def test_scripted_conversations_escalate_when_they_should_and_only_then(
    running_stack: RunningStack, language: str
) -> None:
    database = running_stack.var_dir / "gateway.db"
    figures = run(
        language,
        lambda sender, text: running_stack.say(sender, text),
        stored_outcomes(database),
        prefix="scripted",
    )
    print(
        f"\n{language}: recall {figures.recall:.2f}, false escalations {figures.false_rate:.2f},"
        f" missed {[r.name for r in figures.missed]},"
        f" false {[r.name for r in figures.false_escalations]},"
        f" calm but stuck {[r.name for r in figures.calm_but_stuck]},"
        f" request->offer {figures.turns_to_offer()}"
    )
    assert figures.false_escalations == []  # a calm customer who was understood: never
    assert len(figures.calm_but_stuck) <= 3  # the NLU's misses on follow-up questions
    assert figures.turns_to_offer() == [0] * 8  # a request for a person: offered at once
    assert figures.recall >= 0.9, [r.name for r in figures.missed]
