"""Signs of a difficult conversation, read from each turn.

Strong signals escalate at once: a request for a person, anger (the express_anger intent or
an insult from the language's lexicon), a threat (press, lawyer, ombudsman, social media),
being stuck (fallbacks in a row, or the same question again and again). Weak signals (ALL
CAPS, "!!!", words of exasperation) only add to a per-conversation frustration score that
fades on calm turns; past a threshold it escalates too.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from bot.errors import DataError
from bot.rasa_bridge.synonym_tagger import fold

LEXICON_DIR = Path(__file__).resolve().parent / "lexicons"
LISTS = ("insults", "threats", "frustration")
OPTIONAL_LISTS = ("sarcasm",)  # markers that turn praise into sarcasm ("🙄", "as usual")
PRAISE_INTENT = "praise"

# Small talk: saying "hello" or "thanks" three times is not asking the same thing.
_SMALL_TALK = frozenset({"greet", "goodbye", "thank"})
FALLBACK_INTENT = "nlu_fallback"
# Turns the assistant could not help with: "I didn't understand", or "I can only help with
# banking" (out of scope). Two in a row: the customer is stuck.
_NOT_HELPED = frozenset({FALLBACK_INTENT, "out_of_scope"})
# Weak signals, in frustration points.
CAPS_POINTS = 1.0
EXCLAMATION_POINTS = 1.0
WORD_POINTS = 1.0
MAX_WORD_POINTS = 2.0  # per turn, however many words
CAPS_MIN_LETTERS = 8  # "IBAN" or "PIN" alone is not shouting
CAPS_SHARE = 0.7
RECENT_QUESTIONS = 5  # fingerprints kept per conversation
SARCASM_AFTER_FRUSTRATION = 1.0
# A single unknown word ("boh", "mah") can land on anger just above the fallback threshold:
# the classifier alone escalates only when it is surer than that (insults still count), and
# below it the turn counts as not understood (two in a row: stuck).
ANGER_MIN_CONFIDENCE = 0.5  # praise with this much frustration behind it is sarcasm


_SIGN = re.compile(r"[^\w\s'’.,!?*-]")  # a character that is neither a word's nor punctuation's


class Matcher:
    """Finds the terms of one list in a text, ignoring case and accents, on whole words."""

    def __init__(self, terms: Iterable[str]) -> None:
        patterns = [_pattern(term) for term in terms if term and term.strip()]
        self._regex = re.compile("|".join(patterns)) if patterns else None

    def find(self, text: str) -> list[str]:
        if self._regex is None:
            return []
        return [m.group(0) for m in self._regex.finditer(fold(text))]


def _pattern(term: str) -> str:
    words = re.findall(r"\w+", fold(term.strip().rstrip("*")))
    if not words:  # an emoji or a sign ("🙄"): matched as it is
        return re.escape(fold(term.strip())) if term.strip() else r"(?!x)x"
    if _SIGN.search(fold(term.strip())):  # "/s", ":-/": the sign is part of the term
        literal = fold(term.strip())
        before = r"(?<!\w)" if literal[0].isalnum() else ""
        return before + re.escape(literal) + (r"(?!\w)" if literal[-1].isalnum() else "")
    body = r"\W+".join(re.escape(w) for w in words)
    ending = r"\w*" if term.strip().endswith("*") else r"(?!\w)"
    return rf"(?<!\w){body}{ending}"


@dataclass(frozen=True)
class Lexicon:
    """One language's lists (bot/handover/lexicons/<lang>.yml)."""

    insults: Matcher
    threats: Matcher
    frustration: Matcher
    sarcasm: Matcher

    @classmethod
    def load(cls, path: Path) -> Lexicon:
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        except (OSError, yaml.YAMLError) as error:
            raise DataError(f"cannot read the lexicon {path}: {error}") from error
        for name in LISTS:
            terms = data.get(name)
            if not isinstance(terms, list) or not all(isinstance(t, str) for t in terms):
                raise DataError(f"{path}: '{name}' must be a list of terms")
        for name in OPTIONAL_LISTS:
            terms = data.get(name, [])
            if not isinstance(terms, list) or not all(isinstance(t, str) for t in terms):
                raise DataError(f"{path}: '{name}' must be a list of terms")
        return cls(*(Matcher(data.get(name) or []) for name in LISTS + OPTIONAL_LISTS))


def load_lexicons(languages: Iterable[str], directory: Path = LEXICON_DIR) -> dict[str, Lexicon]:
    return {language: Lexicon.load(directory / f"{language}.yml") for language in languages}


@dataclass
class SignalState:
    """What is remembered between turns, per conversation (stored with the conversation)."""

    frustration: float = 0.0
    fallback_streak: int = 0
    recent_questions: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Thresholds:
    """From the settings (SPORTELLO_HANDOVER_*)."""

    frustration: float = 3.0
    decay: float = 0.6  # share of the score a calm turn keeps
    fallbacks: int = 2
    repeats: int = 3
    unsure: float = 0.0  # an intent below this confidence counts as not understood (0: off)


@dataclass(frozen=True)
class Reading:
    """What one turn shows."""

    strong: tuple[str, ...]  # request, anger, insult, threat, stuck, repeat
    weak: tuple[str, ...]  # caps, exclamations, words
    frustration: float  # the conversation's score after this turn

    def only(self, *kinds: str) -> Reading:
        """The same reading with only these strong signals (and no frustration)."""
        return Reading(tuple(s for s in self.strong if s in kinds), self.weak, 0.0)

    def escalates(self, thresholds: Thresholds) -> bool:
        return bool(self.strong) or self.frustration >= thresholds.frustration

    @property
    def signals(self) -> tuple[str, ...]:
        return self.strong + self.weak


def read_turn(
    text: str,
    *,
    intent: str | None,
    lexicon: Lexicon | None,
    state: SignalState,
    thresholds: Thresholds,
    confidence: float | None = None,
    in_form: bool = False,
) -> Reading:
    """Reads one customer turn (after the guard) and updates `state` in place.

    While a form runs (a calculator asking for an amount) the assistant understands answers
    its NLU cannot classify: they count neither as fallbacks nor as repeated questions.
    """
    strong: list[str] = []
    if intent == PRAISE_INTENT and _sarcastic(text, lexicon, state):
        strong.append("sarcasm")
    if intent == "request_human":
        strong.append("request")
    shrug = (
        intent == "express_anger" and confidence is not None and confidence < ANGER_MIN_CONFIDENCE
    )
    if intent == "express_anger" and not shrug:
        strong.append("anger")
    if lexicon is not None and lexicon.insults.find(text):
        strong.append("insult")
    if lexicon is not None and lexicon.threats.find(text):
        strong.append("threat")
    unsure = (
        intent in _NOT_HELPED
        or shrug  # answered as if angry: the assistant did not understand it either
        or (confidence is not None and confidence < thresholds.unsure)
    )
    state.fallback_streak = state.fallback_streak + 1 if unsure and not in_form else 0
    if state.fallback_streak >= thresholds.fallbacks:
        strong.append("stuck")
    if not in_form and _asks(text, intent) and _repeated(text, state, thresholds.repeats):
        strong.append("repeat")
    weak, points = _weak_signals(text, lexicon)
    state.frustration = state.frustration * thresholds.decay + points
    return Reading(tuple(strong), tuple(weak), round(state.frustration, 3))


def _sarcastic(text: str, lexicon: Lexicon | None, state: SignalState) -> bool:
    """Praise right after the assistant failed the customer, after signs of frustration,
    or with a marker such as "🙄" or "as usual", is sarcasm (read before this turn counts)."""
    marked = lexicon is not None and bool(lexicon.sarcasm.find(text))
    return marked or state.fallback_streak > 0 or state.frustration >= SARCASM_AFTER_FRUSTRATION


def _asks(text: str, intent: str | None) -> bool:
    """A question or a request, not "ok", "hello" or "thanks" (which people do repeat)."""
    if intent in _SMALL_TALK:
        return False
    return "?" in text or len(re.findall(r"\w+", text)) >= 3


def _repeated(text: str, state: SignalState, times: int) -> bool:
    fingerprint = _fingerprint(text)
    if not fingerprint:
        return False
    state.recent_questions = [*state.recent_questions, fingerprint][-RECENT_QUESTIONS:]
    return state.recent_questions.count(fingerprint) >= times


def _fingerprint(text: str) -> str:
    """The same question typed again (case, accents, punctuation aside), as a short hash."""
    words = re.findall(r"\w+", fold(text).replace("'", "").replace("\u2019", ""))
    if not words:
        return ""
    return hashlib.sha256(" ".join(words).encode()).hexdigest()[:16]


def _weak_signals(text: str, lexicon: Lexicon | None) -> tuple[list[str], float]:
    weak: list[str] = []
    points = 0.0
    letters = [c for c in text if c.isalpha()]
    upper = sum(1 for c in letters if c.isupper())
    if len(letters) >= CAPS_MIN_LETTERS and upper >= CAPS_SHARE * len(letters):
        weak.append("caps")
        points += CAPS_POINTS
    if re.search(r"![\s?]*!", text):  # "!!", "!?!", "! !": one "!" is enthusiasm
        weak.append("exclamations")
        points += EXCLAMATION_POINTS
    words = lexicon.frustration.find(text) if lexicon is not None else []
    if words:
        weak.append("words")
        points += min(MAX_WORD_POINTS, WORD_POINTS * len(words))
    return weak, points
