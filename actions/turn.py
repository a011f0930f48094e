"""What the customer's latest turn says, read from the tracker (shared by the actions)."""

from __future__ import annotations

from rasa_sdk import Tracker


def language(tracker: Tracker) -> str:
    """The conversation's language (the `language` slot the gateway's choice sets)."""
    return str(tracker.get_slot("language") or "it")


def text(tracker: Tracker) -> str:
    return str(tracker.latest_message.get("text") or "")


def intent(tracker: Tracker) -> str:
    return str((tracker.latest_message.get("intent") or {}).get("name") or "")
