"""The project's own checks of its training data and responses (run by `make validate`).

* every intent has at least MIN_EXAMPLES examples in every language;
* every intent of the NLU data is declared in domain.yml, and the other way round;
* every response has exactly one variation per language, and nothing else;
* no example sits under two intents (compared lower-cased, spaces collapsed);
* the variations of a response use the same {placeholders};
* every value of the synonym tagger (config.yml) has synonyms in every language, and no
  form belongs to two values;
* every language has an `emergency_signal` lookup table, and every lost-card and fraud
  example holds one of its terms (the EmergencyGate component demotes those intents
  without one, so an example without a term would teach the model an answer it never gives);
* the catalogue passes its schema.
"""

from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path

import yaml

from bot.language import LANGUAGES
from bot.language._vocabulary import training_examples_by_intent
from bot.responses import variation_language

MIN_EXAMPLES = 25
PLACEHOLDER = re.compile(r"{([^{}\s]+)}")
# The EmergencyGate's defaults (bot/rasa_bridge/emergency_gate.py, which imports Rasa).
GATED_INTENTS = ("lost_stolen_card", "report_fraud")
EMERGENCY_LOOKUP = "emergency_signal"
# Intents Rasa provides or that are not trained from examples.
BUILT_IN_INTENTS = frozenset({"nlu_fallback"})


def lint(project_root: Path, min_examples: int = MIN_EXAMPLES) -> list[str]:
    """Every problem found, one line each; an empty list means the data is clean."""
    domain = yaml.safe_load((project_root / "domain.yml").read_text(encoding="utf-8")) or {}
    examples = {
        language: _examples_of(project_root / "data" / "nlu" / language) for language in LANGUAGES
    }
    return [
        *_check_intents(domain, examples, min_examples),
        *_check_responses(domain),
        *_check_placeholders(domain),
        *_check_conflicts(examples),
        *_check_synonyms(project_root),
        *_check_emergency_signals(project_root, examples),
        *_check_catalogue(project_root),
        *_check_lexicons(),
    ]


def _examples_of(folder: Path) -> dict[str, list[str]]:
    merged: dict[str, list[str]] = defaultdict(list)
    for path in sorted(folder.glob("*.yml")):
        for intent, texts in training_examples_by_intent(path).items():
            merged[intent].extend(texts)
    return merged


def _check_intents(
    domain: dict,
    examples: dict[str, dict[str, list[str]]],
    min_examples: int,
) -> list[str]:
    declared = {_name(i) for i in domain.get("intents") or []} - BUILT_IN_INTENTS
    trained = {intent for per_language in examples.values() for intent in per_language}
    problems = [
        f"intent {i!r} has examples but is not declared in domain.yml"
        for i in sorted(trained - declared)
    ]
    for intent in sorted(declared):
        for language in LANGUAGES:
            count = len(examples[language].get(intent, []))
            if count < min_examples:
                problems.append(
                    f"intent {intent!r} has {count} {language} examples "
                    f"(data/nlu/{language}/), at least {min_examples} needed"
                )
    return problems


def _check_responses(domain: dict) -> list[str]:
    problems = []
    for name, variations in (domain.get("responses") or {}).items():
        languages = [variation_language(v) for v in variations or []]
        for language in LANGUAGES:
            if languages.count(language) != 1:
                count = languages.count(language)
                problems.append(f"response {name!r} has {count} {language} variations, needs 1")
        extra = [lang for lang in languages if lang not in LANGUAGES]
        if extra:
            problems.append(
                f"response {name!r} has {len(extra)} variation(s) without a language condition"
            )
    return problems


def _check_conflicts(examples: dict[str, dict[str, list[str]]]) -> list[str]:
    seen: dict[str, set[str]] = defaultdict(set)
    for per_language in examples.values():
        for intent, texts in per_language.items():
            for text in texts:
                seen[_normalise(text)].add(intent)
    return [
        f"example {text!r} sits under {len(intents)} intents: {', '.join(sorted(intents))}"
        for text, intents in sorted(seen.items())
        if len(intents) > 1
    ]


def _check_placeholders(domain: dict) -> list[str]:
    problems = []
    for name, variations in (domain.get("responses") or {}).items():
        found = {
            variation_language(v): frozenset(PLACEHOLDER.findall(str(v.get("text") or "")))
            for v in variations or []
        }
        if len(set(found.values())) > 1:
            shown = "; ".join(f"{lang}: {sorted(names)}" for lang, names in found.items())
            problems.append(f"response {name!r} has different placeholders per language ({shown})")
    return problems


def _check_synonyms(project_root: Path) -> list[str]:
    from bot.rasa_bridge.synonym_tagger import fold

    config = yaml.safe_load((project_root / "config.yml").read_text(encoding="utf-8")) or {}
    taggers = [c for c in config.get("pipeline") or [] if c["name"].endswith("SynonymTagger")]
    values = {v for tagger in taggers for v in tagger.get("values") or []}
    problems: list[str] = []
    owner: dict[str, str] = {}
    for language in LANGUAGES:
        synonyms = _synonyms_of(project_root / "data" / "nlu" / language)
        for value in sorted(values - set(synonyms.values())):
            problems.append(f"entity value {value!r} has no synonyms in data/nlu/{language}/")
        for form, value in synonyms.items():
            key = " ".join(fold(form).split())
            if owner.setdefault(key, value) != value:
                problems.append(
                    f"synonym {form!r} ({language}) belongs to {owner[key]!r} and {value!r}"
                )
    return problems


def _synonyms_of(folder: Path) -> dict[str, str]:
    synonyms = {}
    for path in sorted(folder.glob("*.yml")):
        for item in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("nlu") or []:
            if "synonym" in item:
                for line in str(item.get("examples") or "").splitlines():
                    form = line.strip().removeprefix("- ").strip()
                    if form:
                        synonyms[form] = str(item["synonym"])
    return synonyms


def _check_emergency_signals(
    project_root: Path, examples: dict[str, dict[str, list[str]]]
) -> list[str]:
    from bot.handover._signals import Matcher

    problems = []
    for language in LANGUAGES:
        folder = project_root / "data" / "nlu" / language
        paths = sorted(folder.glob("*.yml"))
        terms = [term for path in paths for term in _lookup(path, EMERGENCY_LOOKUP)]
        if not terms:
            problems.append(f"data/nlu/{language}/: no '{EMERGENCY_LOOKUP}' lookup table")
            continue
        matcher = Matcher(terms)
        for intent in GATED_INTENTS:
            for text in examples[language].get(intent, []):
                if not matcher.find(text):
                    problems.append(
                        f"{intent} example {text!r} (data/nlu/{language}/) holds no term of "
                        f"the '{EMERGENCY_LOOKUP}' lookup table"
                    )
    return problems


def _lookup(path: Path, name: str) -> list[str]:
    document = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return [
        line.strip()[2:]
        for block in document.get("nlu", []) or []
        if block.get("lookup") == name
        for line in str(block.get("examples", "")).splitlines()
        if line.strip().startswith("- ")
    ]


def _check_catalogue(project_root: Path) -> list[str]:
    from bot.catalogue import load_catalogue
    from bot.errors import DataError

    try:
        load_catalogue(project_root / "catalogue" / "bank.yml")
    except DataError as error:
        return [str(error)]
    return []


def _check_lexicons() -> list[str]:
    """The handover lexicons load, and no term is both strong and weak."""
    from bot.errors import DataError
    from bot.handover._signals import LEXICON_DIR, LISTS

    problems = []
    for language in LANGUAGES:
        path = LEXICON_DIR / f"{language}.yml"
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        except (OSError, yaml.YAMLError) as error:
            problems.append(f"{path}: {error}")
            continue
        try:
            from bot.handover import Lexicon

            Lexicon.load(path)
        except DataError as error:
            problems.append(str(error))
            continue
        lists = {name: {_normalise(t) for t in data[name]} for name in LISTS}
        for term in sorted(lists["frustration"] & (lists["insults"] | lists["threats"])):
            problems.append(f"{path.name}: {term!r} is both a frustration word and a strong signal")
    return problems


def _normalise(text: str) -> str:
    return re.sub(r"\s+", " ", text.strip().lower())


def _name(intent: object) -> str:
    return next(iter(intent)) if isinstance(intent, dict) else str(intent)
