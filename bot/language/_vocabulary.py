"""Reads the words of the project's NLU training data, per language."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from bot.language._model import LANGUAGES, words

_ANNOTATION = re.compile(r"\[([^\]]*)\]\([^)]*\)|\[([^\]]*)\]\{[^}]*\}")


def nlu_vocabulary(nlu_dir: Path) -> dict[str, set[str]]:
    """Words used in `nlu_dir/<lang>/*.yml` examples, keyed by language."""
    vocabulary: dict[str, set[str]] = {language: set() for language in LANGUAGES}
    for language in LANGUAGES:
        for path in sorted((nlu_dir / language).glob("*.yml")):
            for example in training_examples(path):
                vocabulary[language].update(words(example))
    return vocabulary


def training_examples(path: Path) -> list[str]:
    """The plain text of every example in a Rasa NLU file (entity annotations removed)."""
    return [text for texts in training_examples_by_intent(path).values() for text in texts]


def training_examples_by_intent(path: Path) -> dict[str, list[str]]:
    """{intent: example texts} of a Rasa NLU file, entity annotations removed."""
    document = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    examples: dict[str, list[str]] = {}
    for block in document.get("nlu", []) or []:
        if "intent" not in block:
            continue
        texts = examples.setdefault(str(block["intent"]), [])
        for line in str(block.get("examples", "")).splitlines():
            line = line.strip()
            if line.startswith("- "):
                texts.append(_ANNOTATION.sub(lambda m: m.group(1) or m.group(2), line[2:]))
    return examples
