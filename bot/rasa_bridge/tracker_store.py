"""Rasa tracker store that redacts sensitive data before anything is written.

Defence in depth: the gateway already redacts every customer message, but a message
that reaches Rasa another way (Rasa's own REST channel, `rasa shell`) is stored redacted
too. Configured in endpoints.yml as `type: bot.rasa_bridge.tracker_store.RedactingSQLTrackerStore`.
"""

from __future__ import annotations

from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.events import UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from bot.guard import screen


class RedactingSQLTrackerStore(SQLTrackerStore):
    """Rasa's SQL tracker store, with customer texts passed through the guard first."""

    async def save(self, tracker: DialogueStateTracker) -> None:
        redact_tracker(tracker)
        await super().save(tracker)


def redact_tracker(tracker: DialogueStateTracker) -> None:
    """Replaces sensitive data in every customer message of `tracker`, in place."""
    for event in tracker.events:
        if isinstance(event, UserUttered) and event.text:
            screened = screen(event.text)
            if screened.findings:
                event.text = screened.text
                if isinstance(event.parse_data, dict):
                    event.parse_data["text"] = screened.text
