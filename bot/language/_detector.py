"""Chooses the language of each customer message, sticky per conversation."""

from __future__ import annotations

import math
import threading
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from bot.language._model import LANGUAGES, Evidence, LanguageModel, words
from bot.language._vocabulary import nlu_vocabulary

# Log-odds bonuses (natural log) for what we already know about the customer.
CONVERSATION_PRIOR = 2.5  # the language the conversation is in
CHANNEL_HINT_PRIOR = 1.0  # e.g. Telegram's language_code for the user
# The winning language needs this posterior to replace the conversation's language.
SWITCH_CONFIDENCE = 0.9
# A message this short whose words all exist in the conversation's language keeps it.
SHORT_MESSAGE_WORDS = 2
# Unsupported-language check: only for messages with at least this many words of which
# fewer than this share are known to any of the four lexicons.
UNSUPPORTED_MIN_WORDS = 3
UNSUPPORTED_MAX_KNOWN_SHARE = 0.5
UNSUPPORTED_MIN_PROBABILITY = 0.8
# A conversation's first message of at most this many words ("merci", "ok", "taxi", "ok
# merci") is read word by word with wordfreq's everyday frequencies (Zipf scale): a word far
# more common in one language than in any other is distinctive and decides; words that the
# channel's hint language (else the default one) also uses leave it in charge.
SHORT_FIRST_MESSAGE_WORDS = 3
DISTINCTIVE_GAP_ZIPF = 0.65  # "hello": English 4.72, French 4.04; "ok" is 5.0-5.7 everywhere
DISTINCTIVE_MIN_ZIPF = 4.0  # an everyday word (once in ten thousand words)
HINT_USES_ZIPF = 3.0  # the hint's language uses the word too (once in a million words)...
HINT_USES_GAP_ZIPF = 2.5  # ...not hundreds of times less than elsewhere ("tak" in English)


@dataclass(frozen=True)
class LanguageChoice:
    """The language to answer in, and how it was chosen."""

    language: str
    confidence: float
    detected: str | None
    unsupported: str | None = None  # e.g. "de" when the customer wrote in German

    @property
    def is_supported(self) -> bool:
        return self.unsupported is None


class LanguageDetector:
    """Deterministic detector for it/en/fr/pl with conversation and channel priors."""

    def __init__(self, model: LanguageModel, default_language: str = "it") -> None:
        if default_language not in LANGUAGES:
            raise ValueError(f"default language must be one of {LANGUAGES}")
        self._model = model
        self._default = default_language
        self._world: Any = None  # langdetect's DetectorFactory, built on first use
        self._world_lock = threading.Lock()

    @classmethod
    def from_project(cls, nlu_dir: Path, default_language: str = "it") -> LanguageDetector:
        """Builds the detector with the vocabulary of the project's NLU data."""
        return cls(LanguageModel.build(nlu_vocabulary(nlu_dir)), default_language)

    def probabilities(
        self, text: str, *, current: str | None = None, hint: str | None = None
    ) -> dict[str, float]:
        """Posterior probability of each supported language for `text`."""
        return _posterior(_with_priors(self._model.evidence(text).scores, current, hint))

    def detect(self, text: str) -> str | None:
        """The most likely supported language of a text on its own, or None without letters."""
        evidence = self._model.evidence(text)
        if evidence.n_words == 0:
            return None
        return LANGUAGES[max(range(len(LANGUAGES)), key=evidence.scores.__getitem__)]

    def choose(
        self, text: str, *, current: str | None = None, hint: str | None = None
    ) -> LanguageChoice:
        """The language to answer `text` in, given the conversation's language and a hint."""
        current = current if current in LANGUAGES else None
        hint = _base_language(hint)
        fallback = current or (hint if hint in LANGUAGES else None) or self._default
        evidence = self._model.evidence(text)
        if evidence.n_words == 0:  # "123", "👍", "": nothing to go on
            return LanguageChoice(fallback, 0.0, None)
        posterior = _posterior(_with_priors(evidence.scores, current, hint))
        detected = max(posterior, key=posterior.__getitem__)
        unsupported = self._unsupported_language(text, evidence, detected)
        if unsupported is not None:
            return LanguageChoice(fallback, posterior[detected], detected, unsupported)
        if current is None and evidence.n_words <= SHORT_FIRST_MESSAGE_WORDS:
            return self._short_first_message(text, hint)
        keep_current = current is not None and (
            posterior[detected] < SWITCH_CONFIDENCE or _fits_anyway(evidence, current)
        )
        chosen = current if keep_current and current else detected
        return LanguageChoice(chosen, posterior[chosen], detected)

    def _short_first_message(self, text: str, hint: str | None) -> LanguageChoice:
        """A few words with nothing known yet: words the hint's language uses keep it ("ciao"
        from a Polish app); else a distinctive word decides ("merci"); else words the favoured
        language (the hint's, else the default) knows keep it ("ok")."""
        favoured = hint if hint in LANGUAGES else self._default
        tokens = words(text)
        scores = [sum(_zipf(word, language) for word in tokens) for language in LANGUAGES]
        posterior = _posterior([score * math.log(10) for score in scores])
        distinctive = {language for word in tokens if (language := _distinctive(word))}
        if hint in LANGUAGES and all(_hint_uses(word, hint) for word in tokens):
            chosen = hint  # "ciao" from a Polish app, "merci" from an Italian one: words both use
        elif len(distinctive) == 1:
            chosen = distinctive.pop()
        elif all(_zipf(word, favoured) > 0 or _rare(word) for word in tokens):
            chosen = favoured
        else:
            chosen = max(posterior, key=posterior.__getitem__)
        return LanguageChoice(chosen, posterior[chosen], chosen)

    def warm_up(self) -> None:
        """Loads the all-language profiles now rather than on the first foreign message."""
        self._world_ranking("warm up")

    def _unsupported_language(self, text: str, evidence: Evidence, detected: str) -> str | None:
        known_share = evidence.known_words[LANGUAGES.index(detected)] / evidence.n_words
        if evidence.n_words < UNSUPPORTED_MIN_WORDS or known_share >= UNSUPPORTED_MAX_KNOWN_SHARE:
            return None
        for guess in self._world_ranking(text):
            if guess.prob < UNSUPPORTED_MIN_PROBABILITY:
                return None
            return None if guess.lang in LANGUAGES else guess.lang
        return None

    def _world_ranking(self, text: str) -> list[Any]:
        """langdetect over all its languages, only to recognise an unsupported one."""
        from langdetect import DetectorFactory
        from langdetect.lang_detect_exception import LangDetectException

        with self._world_lock:
            if self._world is None:
                factory = DetectorFactory()
                factory.seed = 0
                factory.load_profile(_langdetect_profiles())
                self._world = factory
            detector = self._world.create()
        detector.append(text)
        try:
            return detector.get_probabilities()
        except LangDetectException:
            return []


def _langdetect_profiles() -> str:
    from importlib import resources

    return str(resources.files("langdetect").joinpath("profiles"))


@lru_cache(maxsize=8192)
def _zipf(word: str, language: str) -> float:
    """How common `word` is in `language` (Zipf scale: 3 is once per million words)."""
    import wordfreq

    return float(wordfreq.zipf_frequency(word, language, wordlist="small"))


def _rare(word: str) -> bool:
    """No language uses `word` every day ("iban", "thx", a name, a code): no evidence."""
    return max(_zipf(word, language) for language in LANGUAGES) < DISTINCTIVE_MIN_ZIPF


def _hint_uses(word: str, hint: str) -> bool:
    """`word` is in use in the hint's language too ("ciao" in Polish, "merci" in Italian)."""
    used = _zipf(word, hint)
    best = max(_zipf(word, language) for language in LANGUAGES)
    return used >= HINT_USES_ZIPF and best - used <= HINT_USES_GAP_ZIPF


def _distinctive(word: str) -> str | None:
    """The language in which `word` is an everyday word far more than in any other."""
    ranked = sorted(((_zipf(word, language), language) for language in LANGUAGES), reverse=True)
    (best, language), (second, _) = ranked[0], ranked[1]
    if best >= DISTINCTIVE_MIN_ZIPF and best - second >= DISTINCTIVE_GAP_ZIPF:
        return language
    return None


def _fits_anyway(evidence: Evidence, current: str) -> bool:
    """A short message whose every word the conversation's language also uses ("ok", "taxi")."""
    return (
        evidence.n_words <= SHORT_MESSAGE_WORDS
        and evidence.known_words[LANGUAGES.index(current)] == evidence.n_words
    )


def _base_language(tag: str | None) -> str | None:
    """'pt-br' -> 'pt', 'IT' -> 'it'."""
    if not tag:
        return None
    return tag.replace("_", "-").split("-")[0].lower() or None


def _with_priors(scores: list[float], current: str | None, hint: str | None) -> list[float]:
    adjusted = list(scores)
    for index, language in enumerate(LANGUAGES):
        if language == current:
            adjusted[index] += CONVERSATION_PRIOR
        if language == hint:
            adjusted[index] += CHANNEL_HINT_PRIOR
    return adjusted


def _posterior(scores: list[float]) -> dict[str, float]:
    top = max(scores)
    weights = [math.exp(s - top) for s in scores]
    total = sum(weights)
    return {language: w / total for language, w in zip(LANGUAGES, weights, strict=True)}
