"""The NLU component that keeps the lost-card and fraud answers for messages that signal one."""

from __future__ import annotations

from pathlib import Path

import pytest
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.loading import load_data
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.rasa_bridge.emergency_gate import EmergencyGate
from bot.settings import PROJECT_ROOT


def trained(tmp_path: Path, data: TrainingData) -> EmergencyGate:
    """Trains, persists and loads the gate as Rasa does."""
    storage, resource = LocalModelStorage(tmp_path), Resource("emergency_gate")
    context = ExecutionContext(GraphSchema({}), "test")
    config = EmergencyGate.get_default_config()
    EmergencyGate.create(config, storage, resource, context).train(data)
    return EmergencyGate.load(config, storage, resource, context)


@pytest.fixture(scope="module")
def gate(tmp_path_factory: pytest.TempPathFactory) -> EmergencyGate:
    return trained(tmp_path_factory.mktemp("model"), load_data(str(PROJECT_ROOT / "data" / "nlu")))


def classified(gate: EmergencyGate, text: str, ranking: list[tuple[str, float]]) -> Message:
    entries = [{"name": name, "confidence": confidence} for name, confidence in ranking]
    message = Message(data={TEXT: text, INTENT: entries[0], INTENT_RANKING_KEY: entries})
    gate.process([message])
    return message


@pytest.mark.parametrize(
    "text",
    [
        "e la carta di credito?",
        "a karta kredytowa?",
        "and the credit card?",
        "et la carte de crédit ?",
        "quanto costa la carta?",
        "what's the card limit",
    ],
)
def test_a_product_question_never_gets_the_lost_card_answer(gate: EmergencyGate, text: str) -> None:
    message = classified(gate, text, [("lost_stolen_card", 0.6), ("ask_follow_up", 0.3),
                                      ("ask_fees", 0.1)])  # fmt: skip
    assert message.get(INTENT)["name"] == "ask_follow_up"
    assert message.get(INTENT)["confidence"] == pytest.approx(0.75)  # renormalised
    assert [r["name"] for r in message.get(INTENT_RANKING_KEY)] == ["ask_follow_up", "ask_fees"]


@pytest.mark.parametrize(
    "text",
    [
        "ho perso la carta",
        "mi hanno rubato il portafoglio",
        "I lost my card",
        "someone stole my wallet",
        "on m'a volé ma carte",
        "j'ai perdu ma CB",
        "zgubiłem kartę",
        "ukradziono mi portfel",
        "there's a payment i didn't make",
    ],
)
def test_a_message_with_a_signal_keeps_its_intent(gate: EmergencyGate, text: str) -> None:
    message = classified(gate, text, [("lost_stolen_card", 0.6), ("ask_fees", 0.4)])
    assert message.get(INTENT) == {"name": "lost_stolen_card", "confidence": 0.6}


def test_other_intents_are_left_alone(gate: EmergencyGate) -> None:
    message = classified(gate, "e la carta di credito?", [("ask_fees", 0.7), ("greet", 0.3)])
    assert message.get(INTENT) == {"name": "ask_fees", "confidence": 0.7}


def test_every_gated_training_example_keeps_its_intent(gate: EmergencyGate) -> None:
    data = load_data(str(PROJECT_ROOT / "data" / "nlu"))
    gated = [
        m for m in data.intent_examples if m.get(INTENT) in ("lost_stolen_card", "report_fraud")
    ]
    assert len(gated) >= 4 * 2 * 25
    assert [m.get(TEXT) for m in gated if not gate.signals(m.get(TEXT))] == []


def test_a_gate_without_terms_demotes_nothing(tmp_path: Path) -> None:
    """Data without the lookup table (bot lint says so) must not silence the lost-card answer."""
    gate = trained(tmp_path, TrainingData())
    message = classified(gate, "ho perso la carta", [("lost_stolen_card", 0.6), ("ask_fees", 0.4)])
    assert message.get(INTENT) == {"name": "lost_stolen_card", "confidence": 0.6}
