"""Language detection accuracy and speed on lingua's test files and Tatoeba sentences.

    .venv/bin/python benchmarks/langid.py [--data ../shared/datasets/langid]

Every text is judged on its own (no conversation, no channel hint), restricted to
it/en/fr/pl, as lingua's own figures restricted to the same four languages are.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.timing import percentiles_ms  # noqa: E402
from bot.language import LANGUAGES, LanguageDetector  # noqa: E402
from bot.settings import PROJECT_ROOT  # noqa: E402

# lingua-py restricted to it/en/fr/pl, mean of the four languages (issue #2).
LINGUA_FOUR = {"single-words": 88.9, "word-pairs": 97.8, "tatoeba": 99.3}


def load(data: Path) -> dict[str, list[tuple[str, str]]]:
    sets = {}
    for kind in ("single-words", "word-pairs", "sentences"):
        sets[kind] = [
            (language, line.strip())
            for language in LANGUAGES
            for line in (data / "lingua" / kind / f"{language}.txt").read_text("utf-8").splitlines()
            if line.strip()
        ]
    rows = (data / "tatoeba" / "langid_it_en_fr_pl.tsv").read_text("utf-8").splitlines()[1:]
    sets["tatoeba"] = [tuple(row.split("\t", 1)) for row in rows]  # type: ignore[misc]
    return sets


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--data", type=Path, default=PROJECT_ROOT.parent / "shared" / "datasets" / "langid"
    )
    args = parser.parse_args()
    started = time.perf_counter()
    detector = LanguageDetector.from_project(PROJECT_ROOT / "data" / "nlu")
    print(f"detector built in {time.perf_counter() - started:.2f} s")
    columns = ("it", "en", "fr", "pl", "mean")
    print(f"{'set':<13} " + " ".join(f"{c:>6}" for c in columns) + f" {'lingua':>7} {'ms/text':>8}")
    for kind, items in load(args.data).items():
        hits = {language: [0, 0] for language in LANGUAGES}
        timings = []
        for language, text in items:
            begin = time.perf_counter()
            guess = detector.detect(text)
            timings.append(time.perf_counter() - begin)
            hits[language][1] += 1
            hits[language][0] += guess == language
        accuracy = {language: 100 * ok / total for language, (ok, total) in hits.items()}
        mean = statistics.mean(accuracy.values())
        reference = LINGUA_FOUR.get(kind)
        print(
            f"{kind:<13} "
            + " ".join(f"{accuracy[lang]:6.1f}" for lang in LANGUAGES)
            + f" {mean:6.1f} {reference if reference else '-':>7} "
            + f"{1000 * statistics.mean(timings):8.3f}"
        )
    message = "buongiorno, vorrei sapere quanto costa un bonifico istantaneo"
    p50, p95 = percentiles_ms(lambda: detector.choose(message, current="it"), runs=2000)
    print(f"choose() on a 60-character chat message: p50 {p50:.3f} ms, p95 {p95:.3f} ms")


if __name__ == "__main__":
    main()
