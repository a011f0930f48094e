"""Scores a text against the four supported languages.

Two evidence sources, both restricted to it/en/fr/pl:

* character 1-3-grams from langdetect's profiles of exactly those four languages
  (a detector built from four profiles, not a filter over langdetect's 55-language ranking);
* word frequencies from wordfreq's lists, extended with the project's own NLU vocabulary
  and with accent-free spellings ("perche", "dziekuje"), as customers type in chat.

Scoring is a deterministic naive-Bayes sum over all n-grams and words, so the same text
always gets the same answer (langdetect's own Detector samples n-grams at random).
"""

from __future__ import annotations

import json
import math
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from importlib import resources

LANGUAGES: tuple[str, ...] = ("it", "en", "fr", "pl")

_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")
_NGRAM_SMOOTHING = 1e-6
_WORD_FLOOR = 1e-9
_CHAR_WEIGHT = 0.3
# A word the project's own NLU data uses counts at least as often as a common word.
_NLU_WORD_FREQUENCY = 1e-4
# A word at least this frequent in a language is one of its everyday words (top ~10k).
_KNOWN_WORD_FREQUENCY = 1e-5
_MAX_SCORED_CHARS = 400
_POLISH_STROKE = str.maketrans({"ł": "l", "Ł": "L"})


def fold_accents(word: str) -> str:
    """Returns `word` without diacritics, the way many customers type on phones."""
    decomposed = unicodedata.normalize("NFKD", word.translate(_POLISH_STROKE))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def words(text: str) -> list[str]:
    """Lower-cased alphabetic words of `text`."""
    return _WORD.findall(text.lower())


@dataclass(frozen=True)
class Evidence:
    """What a text says about each language, in `LANGUAGES` order."""

    scores: list[float]  # log-likelihoods
    n_words: int
    known_words: list[int]  # everyday words of each language among them


class LanguageModel:
    """Log-likelihood of a text under each supported language."""

    def __init__(
        self,
        ngram_probabilities: Mapping[str, tuple[float, ...]],
        word_log_frequencies: Mapping[str, tuple[float, ...]],
    ) -> None:
        self._ngrams = {
            gram: tuple(_CHAR_WEIGHT * math.log(p + _NGRAM_SMOOTHING) for p in probs)
            for gram, probs in ngram_probabilities.items()
        }
        self._words = word_log_frequencies
        self._unknown_word = math.log(_WORD_FLOOR)
        self._known_word = math.log(_KNOWN_WORD_FREQUENCY)

    @classmethod
    def build(cls, extra_vocabulary: Mapping[str, Iterable[str]] | None = None) -> LanguageModel:
        """Loads langdetect's and wordfreq's data for the four languages (about 0.3 s)."""
        return cls(_load_ngram_probabilities(), _load_word_frequencies(extra_vocabulary or {}))

    def evidence(self, text: str) -> Evidence:
        """Per-language scores of `text`, and how many of its words each lexicon knows."""
        text = text[:_MAX_SCORED_CHARS].lower()
        scores = [0.0] * len(LANGUAGES)
        known = [0] * len(LANGUAGES)
        unknown = (self._unknown_word,) * len(LANGUAGES)
        tokens = words(text)
        for word in tokens:
            freqs = self._words.get(word)
            if freqs is None:
                freqs = self._words.get(fold_accents(word), unknown)
            for i, value in enumerate(freqs):
                scores[i] += value
                if value >= self._known_word:
                    known[i] += 1
        for gram in _ngrams(tokens):
            probs = self._ngrams.get(gram)
            if probs is not None:
                for i, value in enumerate(probs):
                    scores[i] += value
        return Evidence(scores, len(tokens), known)


def _ngrams(tokens: list[str]) -> Iterable[str]:
    for token in tokens:
        padded = f" {token} "
        for n in (1, 2, 3):
            for start in range(len(padded) - n + 1):
                gram = padded[start : start + n]
                if gram != " ":
                    yield gram


def _load_ngram_probabilities() -> dict[str, tuple[float, ...]]:
    profiles = resources.files("langdetect").joinpath("profiles")
    probabilities: dict[str, list[float]] = {}
    for index, language in enumerate(LANGUAGES):
        profile = json.loads(profiles.joinpath(language).read_text(encoding="utf-8"))
        totals = profile["n_words"]
        for gram, count in profile["freq"].items():
            if 1 <= len(gram) <= 3:
                row = probabilities.setdefault(gram, [0.0] * len(LANGUAGES))
                row[index] = count / totals[len(gram) - 1]
    return {gram: tuple(row) for gram, row in probabilities.items()}


def _load_word_frequencies(
    extra_vocabulary: Mapping[str, Iterable[str]],
) -> dict[str, tuple[float, ...]]:
    import wordfreq  # heavy data: loaded only when a model is built

    table: dict[str, list[float]] = {}

    def offer(word: str, index: int, frequency: float) -> None:
        row = table.setdefault(word, [0.0] * len(LANGUAGES))
        row[index] = max(row[index], frequency)

    for index, language in enumerate(LANGUAGES):
        for word, frequency in wordfreq.get_frequency_dict(language, "small").items():
            offer(word, index, frequency)
            folded = fold_accents(word)
            if folded != word:
                offer(folded, index, frequency)
        for word in extra_vocabulary.get(language, ()):
            offer(word, index, _NLU_WORD_FREQUENCY)
            offer(fold_accents(word), index, _NLU_WORD_FREQUENCY)
    return {word: tuple(math.log(f + _WORD_FLOOR) for f in row) for word, row in table.items()}
