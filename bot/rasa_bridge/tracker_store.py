"""Rasa tracker store that redacts sensitive data before anything is written.

Defence in depth: the gateway already redacts every customer message, but a message
that reaches Rasa another way (Rasa's own REST channel, `rasa shell`) is stored redacted
too. Configured in endpoints.yml as `type: bot.rasa_bridge.tracker_store.RedactingSQLTrackerStore`.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.events import Event, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from bot.guard import screen


class RedactingSQLTrackerStore(SQLTrackerStore):
    """Rasa's SQL tracker store, with customer texts passed through the guard first."""

    def _additional_events(self, session: Any, tracker: DialogueStateTracker) -> Iterator[Event]:
        """The events about to be written (only the new ones), redacted on the way."""
        for event in super()._additional_events(session, tracker):
            redact_event(event)
            yield event


def redact_event(event: Event) -> None:
    """Replaces sensitive data in a customer message event, in place."""
    if isinstance(event, UserUttered) and event.text:
        screened = screen(event.text)
        if screened.findings:
            event.text = screened.text
            if isinstance(event.parse_data, dict):
                event.parse_data["text"] = screened.text
