"""Cross-validated intent F1 of the NLU pipeline in config.yml, per language.

    .venv/bin/python benchmarks/nlu_cv.py [--folds 5]

Trains one multilingual model per fold (as the assistant does) on data/nlu/*/, and scores
the held-out examples of each language separately. Folds are stratified by language and
intent, with a fixed seed.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

from bot.language import LANGUAGES  # noqa: E402
from bot.language._vocabulary import training_examples_by_intent  # noqa: E402
from bot.settings import PROJECT_ROOT  # noqa: E402

FALLBACK = "nlu_fallback"


def examples() -> list[tuple[str, str, str]]:
    """(language, intent, text) of every training example."""
    rows = []
    for language in LANGUAGES:
        for path in sorted((PROJECT_ROOT / "data" / "nlu" / language).glob("*.yml")):
            for intent, texts in training_examples_by_intent(path).items():
                rows.extend((language, intent, text) for text in texts)
    return rows


def write_nlu(rows: list[tuple[str, str, str]], path: Path) -> None:
    by_intent: dict[str, list[str]] = defaultdict(list)
    for _, intent, text in rows:
        by_intent[intent].append(text)
    lines = ['version: "3.1"', "nlu:"]
    for intent, texts in by_intent.items():
        lines += [f"- intent: {intent}", "  examples: |"]
        lines += [f"    - {text}" for text in texts]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


async def predict(model: str, texts: list[str]) -> list[tuple[str, str]]:
    """(intent after the fallback, best real intent) of each text."""
    from rasa.core.agent import Agent

    agent = Agent.load(model)
    predictions = []
    for text in texts:
        parsed = await agent.parse_message(text)
        ranking = [r["name"] for r in parsed.get("intent_ranking", []) if r["name"] != FALLBACK]
        predictions.append((parsed["intent"]["name"], ranking[0] if ranking else FALLBACK))
    return predictions


def main() -> None:
    from rasa.model_training import train_nlu
    from sklearn.metrics import precision_recall_fscore_support
    from sklearn.model_selection import StratifiedKFold

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--config", type=Path, default=PROJECT_ROOT / "config.yml")
    args = parser.parse_args()
    logging.disable(logging.WARNING)

    rows = examples()
    truth: list[tuple[str, str]] = []
    guesses: list[tuple[str, str]] = []
    train_seconds = []
    folds = StratifiedKFold(n_splits=args.folds, shuffle=True, random_state=42)
    labels = [f"{language}/{intent}" for language, intent, _ in rows]
    with tempfile.TemporaryDirectory() as tmp:
        # A cache of its own: each fold really trains, and training time is honest.
        os.environ["RASA_CACHE_DIRECTORY"] = str(Path(tmp) / "cache")
        for fold, (train_idx, test_idx) in enumerate(folds.split(rows, labels), start=1):
            nlu = Path(tmp) / f"fold{fold}.yml"
            write_nlu([rows[i] for i in train_idx], nlu)
            started = time.perf_counter()
            model = train_nlu(
                str(args.config),
                str(nlu),
                str(Path(tmp) / "models"),
                fixed_model_name=f"fold{fold}",
            )
            train_seconds.append(time.perf_counter() - started)
            held_out = [rows[i] for i in test_idx]
            guesses += asyncio.run(predict(model, [text for _, _, text in held_out]))
            truth += [(language, intent) for language, intent, _ in held_out]
            print(f"fold {fold}: trained in {train_seconds[-1]:.0f} s", flush=True)

    header = ("examples", "fallback", "accuracy", "macro P", "macro R", "macro F1")
    print("\nIntent F1 of the best intent; 'fallback' is the share the assistant would ask to")
    print("rephrase (confidence below the FallbackClassifier threshold), counted apart.")
    print(f"\n{'language':<9} " + " ".join(f"{h:>9}" for h in header))
    for language in (*LANGUAGES, "all"):
        scored = zip(truth, guesses, strict=True)
        rows_ = [(gold, g) for (lang, gold), g in scored if language in ("all", lang)]
        gold = [row[0] for row in rows_]
        best = [row[1][1] for row in rows_]
        fallback = sum(row[1][0] == FALLBACK for row in rows_) / len(rows_)
        p, r, f, _ = precision_recall_fscore_support(gold, best, average="macro", zero_division=0)
        accuracy = sum(a == b for a, b in zip(gold, best, strict=True)) / len(rows_)
        values = (fallback, accuracy, p, r, f)
        print(f"{language:<9} {len(rows_):>9} " + " ".join(f"{v:>9.3f}" for v in values))
    print(f"\ntraining time per fold: {statistics.mean(train_seconds):.0f} s (NLU only, 2 cores)")


if __name__ == "__main__":
    main()
