"""The project's NLU pipeline (config.yml) on public intent data sets.

    .venv/bin/python benchmarks/public_intents.py [--data DIR] [--only clinc|banking77]

* CLINC150, banking + credit-card domains (30 intents, 100 training examples each) with the
  100 out-of-scope training examples as one more intent; scored on the 900 in-scope test
  utterances (accuracy) and the 1,000 out-of-scope ones (recall: predicted out_of_scope or
  below the fallback threshold).
* BANKING77: trained on train.csv (10,003), accuracy on test.csv (3,080).

Published figures (../shared/datasets/README.md) are for CLINC150's full 150 intents, a
harder task than these 30; BANKING77's are on the same split.
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import json
import logging
import os
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

from bot.settings import PROJECT_ROOT  # noqa: E402

OUT_OF_SCOPE = "out_of_scope"
FALLBACK = "nlu_fallback"


def clean(text: str) -> str:
    """Brackets would read as Rasa entity annotations."""
    return text.replace("[", "(").replace("]", ")").replace("\n", " ").strip()


def write_nlu(examples: list[tuple[str, str]], path: Path) -> None:
    by_intent: dict[str, list[str]] = {}
    for text, intent in examples:
        by_intent.setdefault(intent, []).append(clean(text))
    blocks = [
        {"intent": intent, "examples": "".join(f"- {text}\n" for text in texts)}
        for intent, texts in by_intent.items()
    ]
    path.write_text(
        yaml.safe_dump({"version": "3.1", "nlu": blocks}, allow_unicode=True, width=10_000)
    )


def clinc(data: Path) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    full = json.loads((data / "clinc150" / "data_full.json").read_text())
    domains = json.loads((data / "clinc150" / "domains.json").read_text())
    wanted = set(domains["banking"]) | set(domains["credit_cards"])
    train = [(t, i) for t, i in full["train"] if i in wanted]
    train += [(t, OUT_OF_SCOPE) for t, _ in full["oos_train"]]
    lines = (data / "clinc150" / "banking_creditcards_test_plus_oos.jsonl").read_text().splitlines()
    test = []
    for line in lines:
        row = json.loads(line)
        test.append((row["text"], OUT_OF_SCOPE if row["intent"] == "oos" else row["intent"]))
    return train, test


def banking77(data: Path) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    def read(name: str) -> list[tuple[str, str]]:
        with (data / "banking77" / name).open(encoding="utf-8") as handle:
            return [(row["text"], row["category"]) for row in csv.DictReader(handle)]

    return read("train.csv"), read("test.csv")


@dataclass
class Parsed:
    intents: list[str] = field(default_factory=list)  # after the fallback
    best: list[str] = field(default_factory=list)  # the best real intent
    confidence: list[float] = field(default_factory=list)  # of the best real intent
    seconds: list[float] = field(default_factory=list)  # parse time


async def predict(model: str, texts: list[str]) -> Parsed:
    from rasa.core.agent import Agent

    agent = Agent.load(model)
    parsed = Parsed()
    for text in texts:
        started = time.perf_counter()
        result = await agent.parse_message(clean(text))
        parsed.seconds.append(time.perf_counter() - started)
        parsed.intents.append(result["intent"]["name"])
        ranking = [r for r in result.get("intent_ranking", []) if r["name"] != FALLBACK]
        parsed.best.append(ranking[0]["name"] if ranking else FALLBACK)
        parsed.confidence.append(float(ranking[0]["confidence"]) if ranking else 0.0)
    return parsed


def threshold_curve(parsed: Parsed, test: list[tuple[str, str]]) -> str:
    """In-scope accuracy and out-of-scope recall had the fallback threshold been t."""
    cells = []
    for threshold in (0.0, 0.3, 0.4, 0.5, 0.6, 0.7):
        said = [
            b if c >= threshold else FALLBACK
            for b, c in zip(parsed.best, parsed.confidence, strict=True)
        ]
        pairs = list(zip(said, (t for _, t in test), strict=True))
        in_scope = [s == t for s, t in pairs if t != OUT_OF_SCOPE]
        out = [s in (OUT_OF_SCOPE, FALLBACK) for s, t in pairs if t == OUT_OF_SCOPE]
        cell = f"t={threshold:.1f}: {100 * sum(in_scope) / len(in_scope):.1f}"
        cells.append(cell + (f" / {100 * sum(out) / len(out):.1f}" if out else ""))
    return "    threshold curve (in-scope accuracy / out-of-scope recall): " + "; ".join(cells)


def run(name: str, train: list[tuple[str, str]], test: list[tuple[str, str]], config: Path) -> None:
    from rasa.model_training import train_nlu

    with tempfile.TemporaryDirectory() as tmp:
        os.environ["RASA_CACHE_DIRECTORY"] = str(Path(tmp) / "cache")
        nlu = Path(tmp) / "nlu.yml"
        write_nlu(train, nlu)
        started = time.perf_counter()
        model = train_nlu(
            str(config), str(nlu), str(Path(tmp) / "models"),
            fixed_model_name=name,
        )  # fmt: skip
        training = time.perf_counter() - started
        parsed = asyncio.run(predict(model, [text for text, _ in test]))
    guesses, best, seconds = parsed.intents, parsed.best, parsed.seconds
    in_scope = [(g, t) for g, (_, t) in zip(guesses, test, strict=True) if t != OUT_OF_SCOPE]
    out_scope = [g for g, (_, t) in zip(guesses, test, strict=True) if t == OUT_OF_SCOPE]
    accuracy = sum(g == t for g, t in in_scope) / len(in_scope)
    line = f"{name:<10} train {len(train):>6}  in-scope accuracy {100 * accuracy:5.1f} %"
    if out_scope:
        recall = sum(g in (OUT_OF_SCOPE, FALLBACK) for g in out_scope) / len(out_scope)
        line += f"  out-of-scope recall {100 * recall:5.1f} %"
    fallback = sum(g == FALLBACK for g, _ in in_scope) / len(in_scope)
    best_in_scope = [b for b, (_, t) in zip(best, test, strict=True) if t != OUT_OF_SCOPE]
    best_accuracy = sum(b == t for b, (_, t) in zip(best_in_scope, in_scope, strict=True)) / len(
        in_scope
    )
    seconds.sort()
    line += (
        f"  (in-scope fallbacks {100 * fallback:.1f} %, best-intent accuracy "
        f"{100 * best_accuracy:.1f} %; training {training:.0f} s; "
        f"parse p50 {1000 * statistics.median(seconds):.1f} ms)"
    )
    print(line, flush=True)
    print(threshold_curve(parsed, test), flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=PROJECT_ROOT.parent / "shared" / "datasets")
    parser.add_argument("--only", choices=["clinc", "banking77"])
    parser.add_argument("--config", type=Path, default=PROJECT_ROOT / "config.yml")
    args = parser.parse_args()
    logging.disable(logging.WARNING)
    print("Published: CLINC150 full (150 intents) Rasa NLU 2019 91.5 / 45.3, BERT 96.9 / 40.3; "
          "BANKING77 fine-tuned BERT 93.66")  # fmt: skip
    if args.only in (None, "clinc"):
        run("clinc150", *clinc(args.data), args.config)
    if args.only in (None, "banking77"):
        run("banking77", *banking77(args.data), args.config)


if __name__ == "__main__":
    main()
