from __future__ import annotations

import json
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
