"""Reading a turn for signs of a difficult customer, and the lexicons trainers edit."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from bot.errors import DataError
from bot.handover import Lexicon, SignalState, Thresholds, load_lexicons, read_turn
from bot.handover._signals import LEXICON_DIR, LISTS, Matcher
from bot.language import LANGUAGES
from bot.rasa_bridge.synonym_tagger import fold

LEXICONS = load_lexicons(LANGUAGES)
SCRIPTS = Path(__file__).parent / "scripts"
THRESHOLDS = Thresholds()


def test_terms_match_whole_words_ignoring_case_and_accents() -> None:
    matcher = Matcher(["uff", "idiot*", "vado dall'avvocato", "żałosne"])
    assert matcher.find("UFF, ancora!") == ["uff"]
    assert matcher.find("l'ufficio è chiuso") == []  # not a prefix without "*"
    assert matcher.find("che IDIOTI") == ["idioti"]
    assert matcher.find("domani vado   dall’avvocato") == ["vado   dall'avvocato"]  # typographic ’
    assert matcher.find("domani vado dall avvocato") == ["vado dall avvocato"]
    assert matcher.find("to jest zalosne") == ["zalosne"]


def test_anger_from_the_classifier_alone_needs_some_confidence() -> None:
    def strong(confidence: float) -> tuple[str, ...]:
        reading = read_turn(
            "boh", intent="express_anger", confidence=confidence, lexicon=LEXICONS["it"],
            state=SignalState(), thresholds=THRESHOLDS,
        )  # fmt: skip
        return reading.strong

    assert strong(0.46) == ()  # "boh": a shrug that landed on anger just above the fallback
    assert strong(0.9) == ("anger",)
    state = SignalState()
    for expected in [(), ("stuck",)]:  # two shrugs in a row: not understood twice
        reading = read_turn("boh", intent="express_anger", confidence=0.46,
                            lexicon=LEXICONS["it"], state=state, thresholds=THRESHOLDS)  # fmt: skip
        assert reading.strong == expected
    assert read("sei un idiota", "express_anger", "it")[0] == ("anger", "insult")


def test_emoji_and_signs_match_as_written() -> None:
    matcher = Matcher(["🙄", "/s", "as usual"])
    assert matcher.find("great, thanks 🙄") == ["🙄"]
    assert matcher.find("great job /s") == ["/s"]
    assert matcher.find("great job/s") == ["/s"]
    assert matcher.find("super, merci s'il vous plaît") == []  # "/s" is not the letter s
    assert matcher.find("as usual!") == ["as usual"]


@pytest.mark.parametrize(
    ("language", "praise", "marked"),
    [
        ("en", "well done", "well done 🙄"),
        ("en", "great job, very clear", "great job, as usual"),
        ("it", "complimenti, chiarissimo", "complimenti, come al solito"),
        ("fr", "bravo, c'est très clair", "bravo, comme d'habitude"),
        ("pl", "brawo, bardzo jasno wytłumaczone", "brawo, jak zwykle"),
    ],
)
def test_praise_is_no_signal_unless_sarcastic(language: str, praise: str, marked: str) -> None:
    assert read(praise, "praise", language) == ((), 0.0)  # sincere: thanked, never escalated
    assert read(marked, "praise", language)[0] == ("sarcasm",)  # a marker in the message
    after_failure = SignalState()
    read("xkqz plork", "nlu_fallback", language, state=after_failure)
    assert read(praise, "praise", language, state=after_failure)[0] == ("sarcasm",)
    after_anger = SignalState(frustration=1.5)
    assert read(praise, "praise", language, state=after_anger)[0] == ("sarcasm",)
    after_answer = SignalState()
    read("how much is the card?", "ask_fees", language, state=after_answer)
    assert read(praise, "praise", language, state=after_answer)[0] == ()


@pytest.mark.parametrize("language", LANGUAGES)
def test_each_language_has_its_three_lists_without_duplicates(language: str) -> None:
    data = yaml.safe_load((LEXICON_DIR / f"{language}.yml").read_text(encoding="utf-8"))
    for name in LISTS:
        terms = [fold(t.strip().rstrip("*")) for t in data[name]]
        assert len(terms) >= 25, name
        assert len(set(terms)) == len(terms), f"{language} {name} repeats a term"


def test_a_broken_lexicon_is_refused_naming_the_file(tmp_path: Path) -> None:
    path = tmp_path / "xx.yml"
    path.write_text("insults: idiot\nthreats: []\nfrustration: []\n", encoding="utf-8")
    with pytest.raises(DataError, match="xx.yml: 'insults' must be a list"):
        Lexicon.load(path)


def read(text: str, intent: str | None = None, language: str = "en",
         state: SignalState | None = None) -> tuple[tuple[str, ...], float]:  # fmt: skip
    state = state if state is not None else SignalState()
    reading = read_turn(
        text, intent=intent, lexicon=LEXICONS[language], state=state, thresholds=THRESHOLDS
    )
    return reading.strong, reading.frustration


def test_strong_signals() -> None:
    assert read("can I talk to someone", "request_human")[0] == ("request",)
    assert read("worst bank ever", "express_anger")[0] == ("anger",)
    assert read("sei un idiota", "out_of_scope", "it")[0] == ("insult",)
    assert read("je vais porter plainte contre vous", None, "fr")[0] == ("threat",)


def test_two_fallbacks_in_a_row_are_stuck_but_not_two_apart() -> None:
    state = SignalState()
    assert read("asdf", "nlu_fallback", state=state)[0] == ()
    assert read("qwer", "nlu_fallback", state=state)[0] == ("stuck",)
    state = SignalState()
    read("asdf", "nlu_fallback", state=state)
    read("how much is the card?", "ask_fees", state=state)
    assert read("qwer", "nlu_fallback", state=state)[0] == ()


def test_out_of_scope_counts_as_not_helped_but_nothing_counts_inside_a_form() -> None:
    state = SignalState()
    assert read("tell me a joke", "out_of_scope", state=state)[0] == ()
    assert read("mah", "nlu_fallback", state=state)[0] == ("stuck",)
    unsure = Thresholds(unsure=0.5)  # a bank may count unsure answers as not understood too
    state = SignalState()
    read_turn("boh", intent="greet", confidence=0.45, lexicon=None, state=state, thresholds=unsure)
    reading = read_turn("mah", intent="nlu_fallback", lexicon=None, state=state, thresholds=unsure)
    assert reading.strong == ("stuck",)
    state = SignalState()
    read_turn(
        "boh", intent="greet", confidence=0.45, lexicon=None, state=state, thresholds=THRESHOLDS
    )
    assert read("mah", "nlu_fallback", state=state)[0] == ()  # off by default
    state = SignalState()
    for amount in ("20 000 €", "8%", "5 lat"):  # a calculator's questions answered
        reading = read_turn(amount, intent="nlu_fallback", confidence=0.4, in_form=True,
                            lexicon=None, state=state, thresholds=THRESHOLDS)  # fmt: skip
        assert reading.strong == ()


def test_the_same_question_three_times_is_a_repeat_but_three_thanks_are_not() -> None:
    state = SignalState()
    for turn in ("Why doesn't it work?", "why doesnt it work", "WHY DOESN'T IT WORK??"):
        strong, _ = read(turn, "online_banking_help", state=state)
    assert strong == ("repeat",)
    state = SignalState()
    for _ in range(3):
        strong, _ = read("thanks", "thank", state=state)
    assert strong == ()
    state = SignalState()
    for _ in range(3):
        strong, _ = read("ok", "affirm", state=state)
    assert strong == ()  # not a question
    state = SignalState()
    for _ in range(3):
        strong, _ = read("perché non va?", "deny", "it", state=state)
    assert strong == ("repeat",)  # whatever the model made of it
    assert all(len(f) == 16 for f in state.recent_questions)  # hashes, never the text


def test_weak_signals_add_up_and_fade_on_calm_turns() -> None:
    state = SignalState()
    _, score = read("WHERE IS MY MONEY!!!", "ask_transfer", state=state)
    assert score == 2.0  # caps and exclamations
    assert not read_turn("ok", intent="affirm", lexicon=None, state=state,
                         thresholds=THRESHOLDS).escalates(THRESHOLDS)  # fmt: skip
    state = SignalState()
    read("WHERE IS MY MONEY!!!", "ask_transfer", state=state)
    reading = read_turn("this is ridiculous, still nothing", intent="ask_transfer",
                        lexicon=LEXICONS["en"], state=state, thresholds=THRESHOLDS)  # fmt: skip
    assert reading.escalates(THRESHOLDS) and reading.weak == ("words",)


@pytest.mark.parametrize(
    "text",
    [
        "IBAN",
        "Thanks a lot!",
        "My PIN doesn't work",
        "I reported the theft to the police, what now?",
        "my lawyer asked for a statement, how do I download it?",
        "😀😀",
        "ok",
    ],
)
def test_calm_turns_show_nothing(text: str) -> None:
    strong, score = read(text, "ask_account_data")
    assert strong == () and score < THRESHOLDS.frustration


@pytest.mark.parametrize("language", LANGUAGES)
def test_calm_scripted_conversations_never_trigger_the_lexicons(language: str) -> None:
    """The part of the scripted set that needs no model; tests/handover/test_handover_stack.py
    runs all of it through the trained assistant."""
    scripts = yaml.safe_load((SCRIPTS / f"{language}.yml").read_text(encoding="utf-8"))
    for conversation in scripts["conversations"]:
        if conversation["expect"] != "calm":
            continue
        state = SignalState()
        for turn in conversation["turns"]:
            reading = read_turn(turn, intent=None, lexicon=LEXICONS[language], state=state,
                                thresholds=THRESHOLDS)  # fmt: skip
            assert not reading.escalates(THRESHOLDS), (conversation["name"], turn, reading)
