"""The conversation's language as a `language` entity, from the message metadata.

The helpdesk router decides the reply language of every message (detector, history,
explicit choice) and sends it as `metadata.language`. This component turns it into a
`language` entity, so the `language` slot fills from it (`from_entity`) inside the engine
itself: no action-server round trip per turn (before, the slot's custom mapping called
`action_detect_language` on every message). A message whose text already carries a
`language` entity ("pakai bahasa Jawa") keeps it. Messages without metadata (rasa shell)
leave the slot as it was. The entity does not influence the dialogue (bot/domain.yml).
"""

from __future__ import annotations

from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import ENTITIES
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

SUPPORTED = ("id", "jv", "su", "en")
ENTITY = "language"


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR], is_trainable=False)
class ConversationLanguage(GraphComponent):
    """Adds the router's reply language (message metadata) as the `language` entity."""

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> ConversationLanguage:
        return cls()

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            metadata = message.get("metadata")
            language = metadata.get("language") if isinstance(metadata, dict) else None
            entities = list(message.get(ENTITIES) or [])
            if language not in SUPPORTED or any(e.get("entity") == ENTITY for e in entities):
                continue
            entities.append(
                {
                    "entity": ENTITY,
                    "value": language,
                    "start": 0,
                    "end": 0,
                    "confidence_entity": 1.0,
                    "extractor": type(self).__name__,
                }
            )
            message.set(ENTITIES, entities, add_to_output=True)
        return messages

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        return training_data
