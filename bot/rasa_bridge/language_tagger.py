"""Rasa NLU component: turns the gateway's language metadata into a `language` entity.

The `language` slot maps from that entity, so it is set in-process on every turn, with no
round trip to the action server. The gateway has already chosen the language
(bot.language); this component only carries the choice into Rasa.
"""

from __future__ import annotations

from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import ENTITIES, METADATA
from rasa.shared.nlu.training_data.message import Message

LANGUAGE_ENTITY = "language"
SUPPORTED = frozenset({"it", "en", "fr", "pl"})


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR], is_trainable=False)
class LanguageTagger(GraphComponent):
    """Adds `{"entity": "language", "value": <code>}` from `metadata["language"]`."""

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> LanguageTagger:
        return cls()

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            language = _metadata_language(message)
            if language is not None:
                entity = {
                    "entity": LANGUAGE_ENTITY,
                    "value": language,
                    "extractor": self.__class__.__name__,
                }
                message.set(ENTITIES, [*message.get(ENTITIES, []), entity], add_to_output=True)
        return messages


def _metadata_language(message: Message) -> str | None:
    metadata = message.get(METADATA) or {}
    language = metadata.get("language") if isinstance(metadata, dict) else None
    return language if language in SUPPORTED else None
