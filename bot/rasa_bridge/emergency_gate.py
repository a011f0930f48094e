"""Rasa NLU component: the lost-card and fraud answers need a clear signal of one.

"e la carta di credito?" after a price question once got "block your card now": the
classifier saw a card and a short question. Those answers tell a customer to block a card
or call the fraud line, so they fire only when the message holds a term of loss, theft,
fraud or blocking from the `emergency_signal` lookup tables that trainers keep in
data/nlu/<lang>/products.yml. Without one, the gated intents leave the ranking and the rest
is renormalised, so the next intent (a follow-up, a product question) or the fallback that
asks to rephrase answers instead. With no table at all the gate judges nothing, so that a
slip in the data can never silence the lost-card answer.
"""

from __future__ import annotations

from typing import Any

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.handover._signals import Matcher
from bot.rasa_bridge._persisted import JsonModelComponent

TERMS_FILE = "terms.json"


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=True)
class EmergencyGate(JsonModelComponent):
    """Takes `intents` out of the ranking of a message without a term of `lookup`."""

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {"intents": ["lost_stolen_card", "report_fraud"], "lookup": "emergency_signal"}

    MODEL_FILE = TERMS_FILE

    def __init__(
        self,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        terms: list[str] | None = None,
    ) -> None:
        super().__init__(config, model_storage, resource)
        self._intents = frozenset(config["intents"])
        self._lookup = str(config["lookup"])
        self._terms = terms or []
        self._matcher = Matcher(self._terms)

    def train(self, training_data: TrainingData) -> Resource:
        return self.persist(
            sorted(
                {
                    str(term)
                    for table in training_data.lookup_tables
                    if table.get("name") == self._lookup and isinstance(table.get("elements"), list)
                    for term in table["elements"]
                }
            )
        )

    def process(self, messages: list[Message]) -> list[Message]:
        if not self._terms:  # data without the table (bot lint says so): judge nothing
            return messages
        for message in messages:
            intent = message.get(INTENT) or {}
            if intent.get("name") in self._intents and not self.signals(message.get(TEXT) or ""):
                self._demote(message)
        return messages

    def signals(self, text: str) -> bool:
        """Whether `text` holds a term of loss, theft, fraud or blocking."""
        return bool(self._matcher.find(text))

    def _demote(self, message: Message) -> None:
        ranking = message.get(INTENT_RANKING_KEY) or []
        kept = [r for r in ranking if r.get("name") not in self._intents]
        mass = sum(float(r.get("confidence") or 0.0) for r in kept)
        if not kept or mass <= 0:
            return
        renormalised = [{**r, "confidence": float(r["confidence"]) / mass} for r in kept]
        message.set(INTENT, renormalised[0], add_to_output=True)
        message.set(INTENT_RANKING_KEY, renormalised, add_to_output=True)
