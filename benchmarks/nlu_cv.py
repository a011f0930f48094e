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


async def predict(model: str, texts: list[str]) -> list[str]:
    from rasa.core.agent import Agent

    agent = Agent.load(model)
    return [(await agent.parse_message(text))["intent"]["name"] for text in texts]


def main() -> None:
    from rasa.model_training import train_nlu
    from sklearn.metrics import precision_recall_fscore_support
    from sklearn.model_selection import StratifiedKFold

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--folds", type=int, default=5)
    args = parser.parse_args()
    logging.disable(logging.WARNING)

    rows = examples()
    truth: list[tuple[str, str]] = []
    guesses: list[str] = []
    train_seconds = []
    folds = StratifiedKFold(n_splits=args.folds, shuffle=True, random_state=42)
    labels = [f"{language}/{intent}" for language, intent, _ in rows]
    with tempfile.TemporaryDirectory() as tmp:
        for fold, (train_idx, test_idx) in enumerate(folds.split(rows, labels), start=1):
            nlu = Path(tmp) / f"fold{fold}.yml"
            write_nlu([rows[i] for i in train_idx], nlu)
            started = time.perf_counter()
            model = train_nlu(
                str(PROJECT_ROOT / "config.yml"),
                str(nlu),
                str(Path(tmp) / "models"),
                fixed_model_name=f"fold{fold}",
            )
            train_seconds.append(time.perf_counter() - started)
            held_out = [rows[i] for i in test_idx]
            guesses += asyncio.run(predict(model, [text for _, _, text in held_out]))
            truth += [(language, intent) for language, intent, _ in held_out]
            print(f"fold {fold}: trained in {train_seconds[-1]:.0f} s", flush=True)

    header = ("examples", "accuracy", "macro P", "macro R", "macro F1", "weighted F1")
    print(f"\n{'language':<9} " + " ".join(f"{h:>11}" for h in header))
    for language in (*LANGUAGES, "all"):
        scored = zip(truth, guesses, strict=True)
        pairs = [(gold, guess) for (lang, gold), guess in scored if language in ("all", lang)]
        gold = [p[0] for p in pairs]
        pred = [p[1] for p in pairs]
        p, r, f, _ = precision_recall_fscore_support(gold, pred, average="macro", zero_division=0)
        _, _, wf, _ = precision_recall_fscore_support(
            gold, pred, average="weighted", zero_division=0
        )
        accuracy = sum(a == b for a, b in pairs) / len(pairs)
        values = (accuracy, p, r, f, wf)
        print(f"{language:<9} {len(pairs):>11} " + " ".join(f"{v:>11.3f}" for v in values))
    print(f"\ntraining time per fold: {statistics.mean(train_seconds):.0f} s (NLU only, 2 cores)")


if __name__ == "__main__":
    main()
