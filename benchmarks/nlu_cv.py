"""Cross-validated intent F1 of the NLU pipeline in config.yml, per language and intent family.

    .venv/bin/python benchmarks/nlu_cv.py [--folds 5] [--config config.yml]

The same cross-validation as the trainers' report (`python -m bot report`, bot/nlu_report/):
one multilingual model per fold, held-out examples scored per language. This script adds the
macro F1 of each intent family (conversation, products and service, education, calculators).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

from bot.language import LANGUAGES  # noqa: E402
from bot.nlu_report import cross_validate, fallback_share, scores  # noqa: E402
from bot.settings import PROJECT_ROOT  # noqa: E402

FAMILIES = {
    "conversation": "conversation.yml",
    "products": "products.yml",
    "education": "education.yml",
    "calculators": "calculators.yml",
}


def family_of() -> dict[str, str]:
    """intent -> family, from the file its English examples live in."""
    from bot.language._vocabulary import training_examples_by_intent

    families = {}
    for family, file in FAMILIES.items():
        path = PROJECT_ROOT / "data" / "nlu" / "en" / file
        if path.exists():
            families.update(dict.fromkeys(training_examples_by_intent(path), family))
    return families


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--config", type=Path, default=PROJECT_ROOT / "config.yml")
    args = parser.parse_args()
    result = cross_validate(
        PROJECT_ROOT / "data" / "nlu", args.config, folds=args.folds, progress=print
    )
    families = family_of()
    table = scores(result.predictions)
    print("\nMacro F1 of the best intent; 'fb' is the share below the fallback threshold.\n")
    print(f"{'language':<9}{'all':>7}{'fb':>7}" + "".join(f"{f:>14}" for f in FAMILIES))
    for language in LANGUAGES:
        rows = table[language]
        fallback = fallback_share(result.predictions, language)
        cells = []
        for family in FAMILIES:
            f1 = [s.f1 for i, s in rows.items() if families.get(i) == family]
            cells.append(f"{statistics.mean(f1):>14.3f}" if f1 else f"{'-':>14}")
        print(f"{language:<9}{rows['macro'].f1:>7.3f}{fallback:>7.1%}" + "".join(cells))
    print(f"\ntraining time per fold: {statistics.mean(result.train_seconds):.0f} s (NLU, 2 cores)")


if __name__ == "__main__":
    main()
