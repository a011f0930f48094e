"""Sensitive-data guard: precision and recall per type, and time per message.

    .venv/bin/python benchmarks/guard.py

1. The project's labelled cases (tests/guard/cases/, four languages), per type and language.
1b. Their Unicode section: values disguised by Unicode spaces, invisible characters and other
   scripts' digits, and hard negatives such as "1 500,00 €" with narrow no-break spaces.
2. presidio-research's synthetic set (tests/guard/fixtures/), card numbers and IBANs,
   beside stock Presidio's published figures (cards 1.00 / 0.772, IBAN 1.00 / 1.00).
3. Time of `screen()` on 200-character messages, with and without sensitive data.
"""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.timing import percentiles_ms  # noqa: E402
from bot.guard import TYPES, find, screen  # noqa: E402
from tests.guard.conftest import (  # noqa: E402
    labelled_cases,
    outcome_counts,
    synthetic_pairs,
    unicode_cases,
)


def line(label: str, counts: Counter[tuple[str, str]], kind: str) -> str:
    tp, fp, fn = (counts[(kind, outcome)] for outcome in ("tp", "fp", "fn"))
    precision = tp / (tp + fp) if tp + fp else float("nan")
    recall = tp / (tp + fn) if tp + fn else float("nan")
    return f"{label:<16} {precision:9.3f} {recall:7.3f} {tp + fn:8d}"


def labelled() -> None:
    cases = labelled_cases()
    print(
        f"Labelled cases: {sum(bool(c.spans) for c in cases)} positive, "
        f"{sum(not c.spans for c in cases)} hard negative messages"
    )
    print(f"{'type':<16} {'precision':>9} {'recall':>7} {'support':>8}")
    pairs = [(set(c.spans), {(f.start, f.end, f.type) for f in find(c.text)}) for c in cases]
    counts = outcome_counts(pairs)
    for kind in TYPES:
        print(line(kind, counts, kind))
    untouched = sum(screen(c.text).text == c.text for c in cases if not c.spans)
    print(f"hard negatives left untouched: {untouched}/{sum(not c.spans for c in cases)}")
    for language in ("it", "en", "fr", "pl"):
        chosen = [pair for pair, c in zip(pairs, cases, strict=True) if c.language == language]
        per = outcome_counts(chosen)
        tp = sum(v for (k, o), v in per.items() if o == "tp")
        fp = sum(v for (k, o), v in per.items() if o == "fp")
        fn = sum(v for (k, o), v in per.items() if o == "fn")
        print(f"  {language}: precision {tp / (tp + fp):.3f}, recall {tp / (tp + fn):.3f}")


def unicode_section() -> None:
    cases = unicode_cases()
    positives = [c for c in cases if c.spans]
    print(
        f"\nUnicode section: {len(positives)} positive, {len(cases) - len(positives)} hard negative"
    )
    print(f"{'type':<16} {'precision':>9} {'recall':>7} {'support':>8}")
    pairs = [(set(c.spans), {(f.start, f.end, f.type) for f in find(c.text)}) for c in cases]
    counts = outcome_counts(pairs)
    for kind in TYPES:
        if counts[(kind, "tp")] + counts[(kind, "fn")] + counts[(kind, "fp")]:
            print(line(kind, counts, kind))
    whole = sum(
        {(s, e) for s, e, _ in gold} <= {(s, e) for s, e, _ in found}
        for gold, found in pairs
        if gold
    )
    print(f"values found whole (any type): {whole}/{len(positives)}")
    untouched = sum(screen(c.text).text == c.text for c in cases if not c.spans)
    print(f"hard negatives left untouched: {untouched}/{len(cases) - len(positives)}")


def synthetic() -> None:
    pairs = synthetic_pairs()
    counts = outcome_counts(pairs)
    print(f"\npresidio-research synthetic set ({len(pairs)} sentences)")
    print(f"{'type':<16} {'precision':>9} {'recall':>7} {'support':>8}   stock Presidio")
    print(line("CARD_NUMBER", counts, "CARD_NUMBER") + "   1.00 / 0.772")
    print(line("IBAN", counts, "IBAN") + "   1.00 / 1.00")


def timing() -> None:
    clean = (
        "Buongiorno, vorrei sapere quanto costa il conto corrente per un under 30 e se posso "
        "aprirlo online dall'app, oppure devo andare in filiale con un documento d'identità? "
    )
    dirty = (
        "Buongiorno, la mia carta 4111 1111 1111 1111 scade 09/27 e il pin è 1234: l'ho "
        "persa ieri, il mio IBAN è IT60 X054 2811 1010 0000 0123 456, cosa devo fare adesso? "
    )
    print("\nscreen() on 200-character messages, and a hostile 4,096-character one")
    hostile = ("IT60 " * 1000)[:4096]  # 4,096 characters that all look like IBAN starts
    cases = (("no sensitive data", clean[:200]), ("card, PIN, IBAN", dirty[:200]))
    for label, text in (*cases, ("hostile, 4096 chars", hostile)):
        runs = 10_000 if len(text) <= 200 else 50
        p50, p95 = percentiles_ms(lambda text=text: screen(text), runs)
        print(f"  {label:<18} p50 {p50:.3f} ms   p95 {p95:.3f} ms")


if __name__ == "__main__":
    labelled()
    unicode_section()
    synthetic()
    timing()
