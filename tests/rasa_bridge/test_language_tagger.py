"""The NLU component that carries the gateway's language choice into Rasa."""

from __future__ import annotations

import pytest
from rasa.shared.nlu.constants import ENTITIES, METADATA, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.rasa_bridge.language_tagger import LanguageTagger


def tag(metadata: object) -> list[dict]:  # type: ignore[type-arg]
    message = Message(data={TEXT: "ciao", METADATA: metadata})
    LanguageTagger().process([message])
    return message.get(ENTITIES, [])


@pytest.mark.parametrize("language", ["it", "en", "fr", "pl"])
def test_supported_language_becomes_an_entity(language: str) -> None:
    assert tag({"language": language}) == [
        {"entity": "language", "value": language, "extractor": "LanguageTagger"}
    ]


@pytest.mark.parametrize("metadata", [None, {}, {"language": "de"}, {"language": 3}, "it"])
def test_no_entity_without_a_supported_language(metadata: object) -> None:
    assert tag(metadata) == []


def test_keeps_other_entities() -> None:
    message = Message(
        data={
            TEXT: "mutuo",
            METADATA: {"language": "it"},
            ENTITIES: [{"entity": "product", "value": "mortgage"}],
        }
    )
    LanguageTagger().process([message])
    assert [e["entity"] for e in message.get(ENTITIES)] == ["product", "language"]
