from __future__ import annotations

import json
import random
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


# The Unicode section of the labelled set: the positives above with their values disguised as
# customers' apps, PDFs and keyboards write them (a fixed seed, so always the same cases), and
# hand-written hard negatives (tests/guard/unicode/negatives.jsonl) that must pass untouched.
UNICODE_SPACES = ("\u00a0", "\u202f", "\u2009", "\u2007", "\u3000", "\u2002", "\u205f")
INVISIBLE = ("\u200b", "\u2060", "\u00ad", "\ufeff", "\u200c")
DIGIT_ZEROS = (0xFF10, 0x0660, 0x06F0, 0x0966, 0x09E6, 0x1D7CE)  # full-width, Arabic, ...


def unicode_cases(count: int = 150) -> list[Case]:
    import random

    rng = random.Random(16)  # the number: the same cases on every run
    positives = [case for case in labelled_cases() if case.spans]
    chosen = rng.sample(positives, min(count, len(positives)))
    cases = [_disguised(case, rng) for case in chosen]
    for line in (HERE / "unicode" / "negatives.jsonl").read_text(encoding="utf-8").splitlines():
        if line.strip():
            raw = json.loads(line)
            cases.append(Case(raw["language"], raw["text"], frozenset()))
    return cases


def _disguised(case: Case, rng: random.Random) -> Case:
    """`case` with each value's spaces, digits or gaps changed; spans follow the new text."""
    pieces, spans, done = [], set(), 0
    for start, end, kind in sorted(case.spans):
        pieces.append(case.text[done:start])
        value = _disguise(case.text[start:end], rng)
        offset = sum(map(len, pieces))
        spans.add((offset, offset + len(value), kind))
        pieces.append(value)
        done = end
    pieces.append(case.text[done:])
    return Case(case.language, "".join(pieces), frozenset(spans))


def _disguise(value: str, rng: random.Random) -> str:
    how = rng.choice(("spaces", "digits", "invisible", "all"))
    out = value
    if how in ("spaces", "all") and " " in out:
        out = "".join(rng.choice(UNICODE_SPACES) if ch == " " else ch for ch in out)
    if how in ("digits", "all") or " " not in value:
        zero = rng.choice(DIGIT_ZEROS)
        out = "".join(chr(zero + int(ch)) if ch.isdigit() and ch.isascii() else ch for ch in out)
    if how in ("invisible", "all") and len(out) > 2:
        mark = rng.choice(INVISIBLE)
        out = out[0] + "".join(mark + ch if ch.isspace() or i % 4 == 0 else ch
                               for i, ch in enumerate(out[1:], 1))  # fmt: skip
    return out
