"""The trainers' NLU report: cross-validation per language and intent, with a diff.

`python -m bot report` writes reports/nlu/<UTC time>/report.md (tables), scores.json and one
confusion-matrix picture per language, and lists what changed since the previous report.
"""

from __future__ import annotations

from bot.nlu_report._crossval import CrossValidation, Prediction, cross_validate, examples
from bot.nlu_report._report import Score, diff, fallback_share, scores, write_report

__all__ = [
    "CrossValidation",
    "Prediction",
    "Score",
    "cross_validate",
    "diff",
    "examples",
    "fallback_share",
    "scores",
    "write_report",
]
