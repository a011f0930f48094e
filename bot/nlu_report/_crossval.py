"""K-fold cross-validation of the NLU pipeline, one multilingual model per fold."""

from __future__ import annotations

import asyncio
import logging
import os
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from bot.language import LANGUAGES
from bot.language._vocabulary import training_examples_by_intent

FALLBACK = "nlu_fallback"


@dataclass(frozen=True)
class Prediction:
    """One held-out example: its language and intent, and what the model said."""

    language: str
    intent: str
    best: str  # the best real intent, fallback aside
    answered: str  # the intent after the FallbackClassifier (may be nlu_fallback)


@dataclass(frozen=True)
class CrossValidation:
    predictions: list[Prediction]
    train_seconds: list[float]
    folds: int


def examples(nlu_dir: Path) -> list[tuple[str, str, str]]:
    """(language, intent, text) of every training example under nlu_dir/<lang>/."""
    rows: list[tuple[str, str, str]] = []
    for language in LANGUAGES:
        for path in sorted((nlu_dir / language).glob("*.yml")):
            for intent, texts in training_examples_by_intent(path).items():
                rows.extend((language, intent, text) for text in texts)
    return rows


def cross_validate(
    nlu_dir: Path,
    config: Path,
    *,
    folds: int = 5,
    progress: Callable[[str], None] = lambda line: None,
) -> CrossValidation:
    """Trains `folds` models (stratified by language and intent, fixed seed) and scores each
    on its held-out examples. Each run has a Rasa cache of its own, so every fold trains."""
    from rasa.model_training import train_nlu
    from sklearn.model_selection import StratifiedKFold

    rows = examples(nlu_dir)
    labels = [f"{language}/{intent}" for language, intent, _ in rows]
    splitter = StratifiedKFold(n_splits=folds, shuffle=True, random_state=42)
    predictions: list[Prediction] = []
    seconds: list[float] = []
    cache = os.environ.get("RASA_CACHE_DIRECTORY")
    logging.disable(logging.WARNING)
    try:
        with tempfile.TemporaryDirectory() as tmp:
            os.environ["RASA_CACHE_DIRECTORY"] = str(Path(tmp) / "cache")
            for fold, (train_idx, test_idx) in enumerate(splitter.split(rows, labels), start=1):
                data = Path(tmp) / f"fold{fold}.yml"
                _write_nlu([rows[i] for i in train_idx], data)
                started = time.perf_counter()
                model = train_nlu(
                    str(config),
                    str(data),
                    str(Path(tmp) / "models"),
                    fixed_model_name=f"fold{fold}",
                )
                seconds.append(time.perf_counter() - started)
                held_out = [rows[i] for i in test_idx]
                said = asyncio.run(_predict(str(model), [text for _, _, text in held_out]))
                predictions += [
                    Prediction(language, intent, best, answered)
                    for (language, intent, _), (answered, best) in zip(held_out, said, strict=True)
                ]
                progress(f"fold {fold}/{folds}: trained in {seconds[-1]:.0f} s")
    finally:
        logging.disable(logging.NOTSET)
        if cache is None:
            os.environ.pop("RASA_CACHE_DIRECTORY", None)
        else:
            os.environ["RASA_CACHE_DIRECTORY"] = cache
    return CrossValidation(predictions, seconds, folds)


def _write_nlu(rows: list[tuple[str, str, str]], path: Path) -> None:
    by_intent: dict[str, list[str]] = defaultdict(list)
    for _, intent, text in rows:
        by_intent[intent].append(text)
    lines = ['version: "3.1"', "nlu:"]
    for intent, texts in by_intent.items():
        lines += [f"- intent: {intent}", "  examples: |"]
        lines += [f"    - {text}" for text in texts]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


async def _predict(model: str, texts: list[str]) -> list[tuple[str, str]]:
    """(intent after the fallback, best real intent) of each text."""
    from rasa.core.agent import Agent

    agent = Agent.load(model)
    predictions = []
    for text in texts:
        parsed = await agent.parse_message(text)
        ranking = [r["name"] for r in parsed.get("intent_ranking", []) if r["name"] != FALLBACK]
        predictions.append((parsed["intent"]["name"], ranking[0] if ranking else FALLBACK))
    return predictions
