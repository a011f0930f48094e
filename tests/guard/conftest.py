from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent


@dataclass(frozen=True)
class Case:
    language: str
    text: str
    spans: frozenset[tuple[int, int, str]]  # (start, end, type)


def labelled_cases() -> list[Case]:
    """The project's own labelled cases (tests/guard/cases/<lang>.jsonl)."""
    cases = []
    for path in sorted((HERE / "cases").glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                raw = json.loads(line)
                cases.append(Case(path.stem, raw["text"], _spans(raw["text"], raw["findings"])))
    return cases


def _spans(text: str, findings: list[dict[str, str]]) -> frozenset[tuple[int, int, str]]:
    spans: set[tuple[int, int, str]] = set()
    for finding in findings:
        start = text.find(finding["value"])
        while (start, start + len(finding["value"]), finding["type"]) in spans:
            start = text.find(finding["value"], start + 1)
        assert start >= 0, (text, finding)
        spans.add((start, start + len(finding["value"]), finding["type"]))
    return frozenset(spans)


def fixture(name: str) -> Path:
    return HERE / "fixtures" / name


SYNTHETIC_KINDS = {"CREDIT_CARD": "CARD_NUMBER", "IBAN_CODE": "IBAN"}


def synthetic_pairs() -> list[tuple[set[tuple[int, int, str]], set[tuple[int, int, str]]]]:
    """(labelled, found) card and IBAN spans of each sentence of presidio-research's set."""
    from bot.guard import find

    samples = json.loads(fixture("presidio_research_synth_dataset_v2.json").read_text())
    kinds = SYNTHETIC_KINDS
    pairs = []
    for sample in samples:
        gold = {
            (s["start_position"], s["end_position"], kinds[s["entity_type"]])
            for s in sample["spans"]
            if s["entity_type"] in kinds
        }
        found = {
            (f.start, f.end, f.type) for f in find(sample["full_text"]) if f.type in kinds.values()
        }
        pairs.append((gold, found))
    return pairs


def outcome_counts(
    pairs: list[tuple[set[tuple[int, int, str]], set[tuple[int, int, str]]]],
) -> Counter[tuple[str, str]]:
    """{(type, "tp" | "fp" | "fn"): count} over (labelled, found) span sets."""
    counts: Counter[tuple[str, str]] = Counter()
    for gold, found in pairs:
        for span in gold | found:
            outcome = "tp" if span in gold and span in found else "fn" if span in gold else "fp"
            counts[(span[2], outcome)] += 1
    return counts
