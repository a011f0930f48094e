"""The trainer's report: per-language, per-intent scores, confusion matrices, and the diff."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from bot.nlu_report._crossval import CrossValidation, Prediction

# A change in F1 smaller than this is noise between runs and is not listed in the diff.
DIFF_THRESHOLD = 0.01


@dataclass(frozen=True)
class Score:
    precision: float
    recall: float
    f1: float
    support: int


def scores(predictions: list[Prediction]) -> dict[str, dict[str, Score]]:
    """{language: {intent: Score}} plus a "macro" row per language, from the best intent."""
    from sklearn.metrics import precision_recall_fscore_support

    table: dict[str, dict[str, Score]] = {}
    for language in sorted({p.language for p in predictions}):
        rows = [p for p in predictions if p.language == language]
        intents = sorted({p.intent for p in rows})
        gold, best = [p.intent for p in rows], [p.best for p in rows]
        p, r, f, s = precision_recall_fscore_support(gold, best, labels=intents, zero_division=0)
        table[language] = {
            intent: Score(float(p[i]), float(r[i]), float(f[i]), int(s[i]))
            for i, intent in enumerate(intents)
        }
        table[language]["macro"] = Score(
            float(p.mean()), float(r.mean()), float(f.mean()), len(rows)
        )
    return table


def write_report(result: CrossValidation, folder: Path, previous: Path | None) -> Path:
    """Writes report.md, scores.json and confusion-<lang>.png into `folder`; returns report.md."""
    folder.mkdir(parents=True, exist_ok=True)
    table = scores(result.predictions)
    (folder / "scores.json").write_text(
        json.dumps(
            {lang: {i: asdict(s) for i, s in rows.items()} for lang, rows in table.items()},
            indent=1,
        ),
        encoding="utf-8",
    )
    for language in table:
        confusion_png(result.predictions, language, folder / f"confusion-{language}.png")
    lines = _summary(result, table)
    if previous is not None:
        lines += ["", f"## Changes since {previous.name}", "", *diff(_load(previous), table)]
    for language, rows in table.items():
        lines += ["", f"## {language}", "", "| intent | precision | recall | F1 | support |"]
        lines += ["|---|---|---|---|---|"]
        lines += [
            f"| {intent} | {s.precision:.3f} | {s.recall:.3f} | {s.f1:.3f} | {s.support} |"
            for intent, s in rows.items()
        ]
        lines += ["", f"![confusion matrix {language}](confusion-{language}.png)"]
    report = folder / "report.md"
    report.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return report


def diff(before: dict[str, dict[str, Score]], after: dict[str, dict[str, Score]]) -> list[str]:
    """One line per intent whose F1 moved by DIFF_THRESHOLD or more, was added or removed."""
    lines = []
    for language in sorted(set(before) | set(after)):
        old, new = before.get(language, {}), after.get(language, {})
        for intent in sorted(set(old) | set(new)):
            if intent not in old:
                lines.append(f"- {language} {intent}: new, F1 {new[intent].f1:.3f}")
            elif intent not in new:
                lines.append(f"- {language} {intent}: removed (was F1 {old[intent].f1:.3f})")
            elif abs(new[intent].f1 - old[intent].f1) >= DIFF_THRESHOLD:
                change = new[intent].f1 - old[intent].f1
                lines.append(
                    f"- {language} {intent}: F1 {old[intent].f1:.3f} → {new[intent].f1:.3f} "
                    f"({change:+.3f}; support {old[intent].support} → {new[intent].support})"
                )
    return lines or [f"No intent's F1 moved by {DIFF_THRESHOLD} or more."]


def confusion_png(predictions: list[Prediction], language: str, path: Path) -> None:
    """A confusion matrix of one language (rows: true intent; columns: predicted)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from sklearn.metrics import ConfusionMatrixDisplay

    rows = [p for p in predictions if p.language == language]
    labels = sorted({p.intent for p in rows} | {p.best for p in rows})
    size = max(6.0, 0.32 * len(labels) + 2)
    figure, axes = plt.subplots(figsize=(size, size))
    ConfusionMatrixDisplay.from_predictions(
        [p.intent for p in rows], [p.best for p in rows], labels=labels,
        ax=axes, colorbar=False, xticks_rotation="vertical", include_values=len(labels) <= 40,
    )  # fmt: skip
    axes.set_title(f"NLU cross-validation, {language}: true (rows) vs predicted (columns)")
    figure.tight_layout()
    figure.savefig(path, dpi=90)
    plt.close(figure)


def _summary(result: CrossValidation, table: dict[str, dict[str, Score]]) -> list[str]:
    fallbacks = {
        language: sum(
            p.answered == "nlu_fallback" for p in result.predictions if p.language == language
        )
        / max(1, sum(p.language == language for p in result.predictions))
        for language in table
    }
    seconds = sum(result.train_seconds) / max(1, len(result.train_seconds))
    lines = [
        "# NLU cross-validation report",
        "",
        f"{result.folds}-fold cross-validation of config.yml on data/nlu/ (stratified by language "
        f"and intent, seed 42); {seconds:.0f} s of training per fold. Scores are of the best "
        "real intent; 'fallback' is the share the assistant would ask to rephrase.",
        "",
        "| language | examples | macro precision | macro recall | macro F1 | fallback |",
        "|---|---|---|---|---|---|",
    ]
    for language, rows in table.items():
        m = rows["macro"]
        lines.append(
            f"| {language} | {m.support} | {m.precision:.3f} | {m.recall:.3f} | {m.f1:.3f} "
            f"| {fallbacks[language]:.1%} |"
        )
    return lines


def fallback_share(predictions: list[Prediction], language: str) -> float:
    """The share of a language's examples the assistant would ask to rephrase."""
    rows = [p for p in predictions if p.language == language]
    return sum(p.answered == "nlu_fallback" for p in rows) / max(1, len(rows))


def _load(folder: Path) -> dict[str, dict[str, Score]]:
    raw: dict[str, Any] = json.loads((folder / "scores.json").read_text(encoding="utf-8"))
    return {lang: {i: Score(**s) for i, s in rows.items()} for lang, rows in raw.items()}
