"""The intent classifier: trained, persisted and loaded as Rasa does, on the project's data."""

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

from bot.rasa_bridge.linear_intent_classifier import LinearIntentClassifier
from bot.settings import PROJECT_ROOT


def trained(tmp_path: Path, data: TrainingData) -> LinearIntentClassifier:
    tmp_path.mkdir(parents=True, exist_ok=True)
    storage, resource = LocalModelStorage(tmp_path), Resource("intents")
    context = ExecutionContext(GraphSchema({}), "test")
    config = LinearIntentClassifier.get_default_config()
    LinearIntentClassifier.create(config, storage, resource, context).train(data)
    return LinearIntentClassifier.load(config, storage, resource, context)


@pytest.fixture(scope="module")
def classifier(tmp_path_factory: pytest.TempPathFactory) -> LinearIntentClassifier:
    return trained(tmp_path_factory.mktemp("model"), load_data(str(PROJECT_ROOT / "data" / "nlu")))


def parse(classifier: LinearIntentClassifier, text: str) -> Message:
    message = Message(data={TEXT: text})
    classifier.process([message])
    return message


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("buongiorno", "greet"),
        ("quanto costa la carta di credito?", "ask_fees"),
        ("how do I open a current account?", "ask_open_product"),
        ("j'ai perdu ma carte bancaire", "lost_stolen_card"),
        ("co to jest inflacja?", "edu_inflation"),
        ("what's the weather like in Rome", "out_of_scope"),
    ],
)
def test_clear_messages_in_four_languages(
    classifier: LinearIntentClassifier, text: str, intent: str
) -> None:
    assert parse(classifier, text).get(INTENT)["name"] == intent


def test_the_ranking_is_sorted_probabilities(classifier: LinearIntentClassifier) -> None:
    message = parse(classifier, "ile kosztuje karta kredytowa?")
    ranking = message.get(INTENT_RANKING_KEY)
    confidences = [r["confidence"] for r in ranking]
    assert len(ranking) == 10 and confidences == sorted(confidences, reverse=True)
    assert 0 < sum(confidences) <= 1.0 + 1e-9
    assert message.get(INTENT) == ranking[0]
    assert "intent" in message.as_dict(only_output_properties=True)


def test_the_same_data_gives_the_same_model(tmp_path: Path) -> None:
    data = TrainingData(
        [
            Message(data={TEXT: text, INTENT: intent})
            for intent, texts in {
                "greet": ["hello", "hi there", "good morning", "ciao"],
                "thank": ["thanks", "thank you", "grazie", "merci"],
            }.items()
            for text in texts
        ]
    )
    first, second = trained(tmp_path / "a", data), trained(tmp_path / "b", data)
    a, b = parse(first, "hello, thanks"), parse(second, "hello, thanks")
    assert a.get(INTENT_RANKING_KEY) == b.get(INTENT_RANKING_KEY)
    assert parse(first, "thank you so much").get(INTENT)["name"] == "thank"


def test_without_two_intents_messages_are_left_alone(tmp_path: Path) -> None:
    data = TrainingData([Message(data={TEXT: "hello", INTENT: "greet"})])
    message = parse(trained(tmp_path, data), "hello")
    assert message.get(INTENT) is None
