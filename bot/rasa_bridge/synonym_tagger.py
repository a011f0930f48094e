"""Rasa NLU component: finds an entity by the synonyms the trainers list in data/nlu/<lang>/.

Trainers write the usual Rasa synonym blocks (`- synonym: credit_card` with its forms in each
language, every Polish case form included). This component matches those forms in a message,
longest first, ignoring case and accents, and emits the entity with its canonical value, e.g.
"la carte de credit" -> {"entity": "product", "value": "credit_card"}. Deterministic, so a new
form works as soon as it is added, and the intent classifier never has to learn it.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import ENTITIES, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.rasa_bridge._persisted import JsonModelComponent

FORMS_FILE = "forms.json"
# Letters that Unicode does not decompose but that customers type without their mark.
_PLAIN = {"ł": "l", "Ł": "l", "’": "'", "`": "'", "´": "'"}


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR], is_trainable=True)
class SynonymTagger(JsonModelComponent):
    """Tags `entity` wherever a synonym of one of `values` appears in the text."""

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {"entity": "product", "values": []}

    MODEL_FILE = FORMS_FILE

    def __init__(
        self,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        forms: dict[str, str] | None = None,
    ) -> None:
        super().__init__(config, model_storage, resource)
        self._entity = str(config["entity"])
        self._values = frozenset(config["values"])
        self._forms = forms or {}
        self._pattern = _pattern(self._forms)

    def train(self, training_data: TrainingData) -> Resource:
        return self.persist(
            {
                _spaced(fold(form)): value
                for form, value in training_data.entity_synonyms.items()
                if value in self._values
            }
        )

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            found = self.find(message.get(TEXT) or "")
            if found:
                message.set(ENTITIES, [*message.get(ENTITIES, []), *found], add_to_output=True)
        return messages

    def find(self, text: str) -> list[dict[str, Any]]:
        """The entities in `text`, in order, longest form first where forms overlap."""
        if self._pattern is None:
            return []
        folded = fold(text)
        return [
            {
                "entity": self._entity,
                "start": match.start(),
                "end": match.end(),
                "value": self._forms[_spaced(match.group(0))],
                "extractor": self.__class__.__name__,
            }
            for match in self._pattern.finditer(folded)
        ]


def fold(text: str) -> str:
    """Lower case without accents, one character for one, so offsets stay valid."""
    folded = []
    for char in text:
        plain = _PLAIN.get(char) or unicodedata.normalize("NFD", char)[0].lower()[:1] or char
        folded.append(plain)
    return "".join(folded)


def _spaced(text: str) -> str:
    return " ".join(text.split())


def _pattern(forms: dict[str, str]) -> re.Pattern[str] | None:
    if not forms:
        return None
    alternatives = sorted(forms, key=len, reverse=True)
    body = "|".join(r"\s+".join(re.escape(word) for word in form.split()) for form in alternatives)
    return re.compile(rf"(?<!\w)(?:{body})(?!\w)")
