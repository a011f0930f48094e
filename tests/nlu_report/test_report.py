"""The trainers' report: tables, confusion pictures and the diff; one real small run."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bot.__main__ import main
from bot.nlu_report import CrossValidation, Prediction, cross_validate, diff, scores, write_report
from bot.settings import PROJECT_ROOT

PNG = b"\x89PNG\r\n\x1a\n"


def predictions(wrong: int) -> list[Prediction]:
    """Ten greets and ten goodbyes in Italian, `wrong` goodbyes taken for greets."""
    rows = [Prediction("it", "greet", "greet", "greet") for _ in range(10)]
    rows += [Prediction("it", "goodbye", "goodbye", "goodbye") for _ in range(10 - wrong)]
    rows += [Prediction("it", "goodbye", "greet", "nlu_fallback") for _ in range(wrong)]
    return rows


def test_scores_per_language_and_intent() -> None:
    table = scores(predictions(wrong=2))
    assert table["it"]["goodbye"].recall == pytest.approx(0.8)
    assert table["it"]["greet"].precision == pytest.approx(10 / 12)
    assert table["it"]["goodbye"].support == 10
    assert table["it"]["macro"].support == 20


def test_diff_lists_what_moved_and_what_is_new() -> None:
    before, after = scores(predictions(wrong=0)), scores(predictions(wrong=4))
    after["it"]["edu_apr"] = after["it"]["greet"]
    lines = diff(before, after)
    assert any(line.startswith("- it goodbye: F1 1.000 → 0.750") for line in lines)
    assert "- it edu_apr: new, F1 0.833" in lines
    assert diff(before, before) == ["No intent's F1 moved by 0.01 or more."]


def test_report_files_and_the_diff_against_the_previous_one(tmp_path: Path) -> None:
    first = write_report(CrossValidation(predictions(0), [10.0], 5), tmp_path / "a", None)
    second = write_report(CrossValidation(predictions(3), [12.0], 5), tmp_path / "b", first.parent)
    text = second.read_text(encoding="utf-8")
    assert "| it | 20 |" in text and "| goodbye | 1.000 | 0.700 | 0.824 | 10 |" in text
    assert "## Changes since a" in text and "- it goodbye: F1 1.000 → 0.824" in text
    assert "15.0%" in text  # three of twenty fell under the fallback threshold
    assert (tmp_path / "b" / "confusion-it.png").read_bytes().startswith(PNG)
    assert "## Changes" not in first.read_text(encoding="utf-8")


def tiny_project(root: Path) -> Path:
    """Two intents per language from the real data, and a fast pipeline."""
    from bot.language._vocabulary import training_examples_by_intent

    for language in ("it", "en", "fr", "pl"):
        folder = root / "data" / "nlu" / language
        folder.mkdir(parents=True)
        source = training_examples_by_intent(
            PROJECT_ROOT / "data/nlu" / language / "conversation.yml"
        )
        lines = ['version: "3.1"', "nlu:"]
        for intent in ("greet", "thank"):
            lines += [f"- intent: {intent}", "  examples: |"]
            lines += [f"    - {text}" for text in source[intent][:12]]
        (folder / "conversation.yml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (root / "config.yml").write_text(
        "recipe: default.v1\nlanguage: xx\nassistant_id: test\npipeline:\n"
        "- name: WhitespaceTokenizer\n- name: CountVectorsFeaturizer\n"
        "  analyzer: char_wb\n  min_ngram: 1\n  max_ngram: 3\n"
        "- name: LogisticRegressionClassifier\npolicies: []\n",
        encoding="utf-8",
    )
    return root


def test_a_real_cross_validation_and_the_command(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    root = tiny_project(tmp_path / "project")
    result = cross_validate(root / "data" / "nlu", root / "config.yml", folds=2)
    assert len(result.predictions) == 4 * 2 * 12 and len(result.train_seconds) == 2
    assert {p.language for p in result.predictions} == {"it", "en", "fr", "pl"}
    correct = sum(p.best == p.intent for p in result.predictions) / len(result.predictions)
    assert correct > 0.7  # greetings and thanks are easy to tell apart

    shutil.copy(PROJECT_ROOT / "domain.yml", root / "domain.yml")
    monkeypatch.setenv("SPORTELLO_PROJECT_ROOT", str(root))
    out = tmp_path / "reports"
    assert main(["report", "--folds", "2", "--out", str(out)]) == 0
    assert main(["report", "--folds", "2", "--out", str(out)]) == 0
    first, second = sorted(out.glob("*/report.md"))
    assert "## Changes since" not in first.read_text(encoding="utf-8")
    assert f"## Changes since {first.parent.name}" in second.read_text(encoding="utf-8")
    assert "macro F1" in capsys.readouterr().out
    assert main(["report", "--folds", "1", "--out", str(out)]) == 1
