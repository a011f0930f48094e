"""The trainers' lint: passes on the project, catches each kind of problem."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bot.lint import lint
from bot.settings import PROJECT_ROOT


@pytest.fixture
def project_copy(tmp_path: Path) -> Path:
    shutil.copy(PROJECT_ROOT / "domain.yml", tmp_path / "domain.yml")
    shutil.copy(PROJECT_ROOT / "config.yml", tmp_path / "config.yml")
    shutil.copytree(PROJECT_ROOT / "data", tmp_path / "data")
    shutil.copytree(PROJECT_ROOT / "catalogue", tmp_path / "catalogue")
    return tmp_path


def test_the_project_data_is_clean() -> None:
    assert lint(PROJECT_ROOT) == []


def test_too_few_examples_in_one_language(project_copy: Path) -> None:
    path = project_copy / "data" / "nlu" / "fr" / "conversation.yml"
    text = path.read_text(encoding="utf-8")
    start = text.index("- intent: thank")
    end = text.index("- intent:", start + 1)
    path.write_text(text[:start] + text[end:], encoding="utf-8")
    assert lint(project_copy) == [
        "intent 'thank' has 0 fr examples (data/nlu/fr/), at least 25 needed"
    ]


def test_example_under_two_intents(project_copy: Path) -> None:
    path = project_copy / "data" / "nlu" / "en" / "extra.yml"
    path.write_text('version: "3.1"\nnlu:\n- intent: goodbye\n  examples: |\n    - Hello There\n')
    problems = lint(project_copy)
    assert any("'hello there' sits under 2 intents: goodbye, greet" in p for p in problems)


def test_response_missing_a_language(project_copy: Path) -> None:
    domain = project_copy / "domain.yml"
    text = domain.read_text(encoding="utf-8")
    start = text.index("  utter_greet:")
    pl = text.index("value: pl}]", start)
    line_start = text.rindex("\n", 0, pl) + 1
    line_end = text.index("\n", text.index("text:", pl)) + 1
    domain.write_text(text[:line_start] + text[line_end:], encoding="utf-8")
    assert lint(project_copy) == ["response 'utter_greet' has 0 pl variations, needs 1"]


def test_undeclared_intent(project_copy: Path) -> None:
    path = project_copy / "data" / "nlu" / "it" / "extra.yml"
    path.write_text(
        'version: "3.1"\nnlu:\n- intent: order_pizza\n  examples: |\n    - una margherita\n'
    )
    assert "intent 'order_pizza' has examples but is not declared in domain.yml" in lint(
        project_copy
    )


def test_placeholders_differ_between_languages(project_copy: Path) -> None:
    domain = project_copy / "domain.yml"
    text = domain.read_text(encoding="utf-8")
    domain.write_text(
        text.replace("la rata mensile sarebbe di {payment}", "la rata sarebbe {rata}"), "utf-8"
    )
    [problem] = lint(project_copy)
    assert problem.startswith(
        "response 'utter_loan_result' has different placeholders per language"
    )
    assert "'rata'" in problem


def test_a_synonym_under_two_values_and_a_value_without_synonyms(project_copy: Path) -> None:
    path = project_copy / "data" / "nlu" / "pl" / "extra.yml"
    path.write_text(
        'version: "3.1"\nnlu:\n- synonym: mortgage\n  examples: |\n    - Karta Kredytowa\n',
        encoding="utf-8",
    )
    problems = lint(project_copy)
    assert any("belongs to 'mortgage' and 'credit_card'" in p for p in problems), problems
    products = project_copy / "data" / "nlu" / "fr" / "products.yml"
    products.write_text(
        products.read_text(encoding="utf-8").replace("synonym: overdraft", "synonym: x"), "utf-8"
    )
    assert "entity value 'overdraft' has no synonyms in data/nlu/fr/" in lint(project_copy)


def test_a_broken_catalogue_is_named(project_copy: Path) -> None:
    catalogue = project_copy / "catalogue" / "bank.yml"
    catalogue.write_text(
        catalogue.read_text(encoding="utf-8").replace("tan_pct: 14.90", "tan_pct: lots"), "utf-8"
    )
    assert lint(project_copy) == [
        "catalogue bank.yml: 'products.credit_card.tan_pct' must be a number (found 'lots')"
    ]


def test_a_lexicon_term_both_strong_and_weak_is_reported(
    project_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from bot.handover import _signals

    lexicons = tmp_path / "lexicons"
    shutil.copytree(_signals.LEXICON_DIR, lexicons)
    path = lexicons / "en.yml"
    path.write_text(path.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    text = path.read_text(encoding="utf-8").replace(
        "frustration:\n", "frustration:\n  - you idiot\n", 1
    )
    path.write_text(text.replace("insults:\n", "insults:\n  - you idiot\n", 1), encoding="utf-8")
    (lexicons / "pl.yml").write_text(
        "insults: kurwa\nthreats: []\nfrustration: []\n", encoding="utf-8"
    )
    monkeypatch.setattr(_signals, "LEXICON_DIR", lexicons)
    problems = lint(project_copy)
    assert "en.yml: 'you idiot' is both a frustration word and a strong signal" in problems
    assert any("pl.yml: 'insults' must be a list" in p for p in problems)
