"""What the project's trainable NLU components share: their whole model is one JSON value,
written by `train` and read back by `load` (an untrained component gets None)."""

from __future__ import annotations

import json
from typing import Any, TypeVar

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.training_data.training_data import TrainingData

Component = TypeVar("Component", bound="JsonModelComponent")


class JsonModelComponent(GraphComponent):
    """A GraphComponent built as `cls(config, model_storage, resource, data)`."""

    MODEL_FILE = "model.json"

    def __init__(
        self, config: dict[str, Any], model_storage: ModelStorage, resource: Resource
    ) -> None:
        self._model_storage = model_storage
        self._resource = resource

    @classmethod
    def create(
        cls: type[Component],
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> Component:
        return cls(config, model_storage, resource)

    @classmethod
    def load(
        cls: type[Component],
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> Component:
        try:
            with model_storage.read_from(resource) as directory:
                data = json.loads((directory / cls.MODEL_FILE).read_text(encoding="utf-8"))
        except ValueError:  # nothing was trained
            data = None
        return cls(config, model_storage, resource, data)  # type: ignore[call-arg]

    def persist(self, data: object) -> Resource:
        """Writes `data` as the trained model; `train` returns this."""
        with self._model_storage.write_to(self._resource) as directory:
            text = json.dumps(data, ensure_ascii=False)
            (directory / self.MODEL_FILE).write_text(text, "utf-8")
        return self._resource

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        return training_data
