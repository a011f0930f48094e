"""Texts the gateway sends by itself, read from the responses in domain.yml.

Rasa renders its own responses; the gateway needs a few of them when it answers without
Rasa (an empty or oversized message, an unsupported language, Rasa being down).
"""

from __future__ import annotations

import string
from pathlib import Path
from typing import Any

import yaml

from bot.errors import DataError
from bot.language import LANGUAGES


class Responses:
    """Localised response texts by name and language."""

    def __init__(
        self,
        texts: dict[str, dict[str, str]],
        buttons: dict[str, dict[str, list[dict[str, str]]]] | None = None,
    ) -> None:
        self._texts = texts
        self._buttons = buttons or {}

    @classmethod
    def from_domain(cls, domain_path: Path) -> Responses:
        domain = yaml.safe_load(domain_path.read_text(encoding="utf-8")) or {}
        return cls(response_texts(domain), response_buttons(domain))

    def text(self, response: str, language: str, /, **values: object) -> str:
        """The response in `language`, with `{placeholders}` filled from `values`."""
        try:
            template = self._texts[response][language]
        except KeyError as error:
            raise DataError(f"domain.yml has no {language!r} variation of {response}") from error
        return string.Formatter().vformat(template, (), _Defaulting(values))

    def message(self, response: str, language: str, /, **values: object) -> dict[str, Any]:
        """The response as a REST-channel message: `text`, and `buttons` when it has some."""
        message: dict[str, Any] = {"text": self.text(response, language, **values)}
        buttons = self._buttons.get(response, {}).get(language)
        if buttons:
            message["buttons"] = [dict(button) for button in buttons]
        return message


class _Defaulting(dict):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def load_response_texts(domain_path: Path) -> dict[str, dict[str, str]]:
    """{response name: {language: text}} for every response with language conditions."""
    return response_texts(yaml.safe_load(domain_path.read_text(encoding="utf-8")) or {})


def response_texts(domain: dict[str, Any]) -> dict[str, dict[str, str]]:
    """{response name: {language: text}} of a parsed domain."""
    texts: dict[str, dict[str, str]] = {}
    for name, variations in (domain.get("responses") or {}).items():
        for variation in variations or []:
            language = variation_language(variation)
            if language in LANGUAGES and "text" in variation:
                texts.setdefault(name, {})[language] = variation["text"]
    return texts


def response_buttons(domain: dict[str, Any]) -> dict[str, dict[str, list[dict[str, str]]]]:
    """{response name: {language: buttons}} for the variations that have buttons."""
    buttons: dict[str, dict[str, list[dict[str, str]]]] = {}
    for name, variations in (domain.get("responses") or {}).items():
        for variation in variations or []:
            language = variation_language(variation)
            if language in LANGUAGES and variation.get("buttons"):
                buttons.setdefault(name, {})[language] = [
                    {"title": str(b["title"]), "payload": str(b["payload"])}
                    for b in variation["buttons"]
                ]
    return buttons


def variation_language(variation: dict) -> str | None:
    """The language a response variation is conditioned on, if any."""
    for condition in variation.get("condition") or []:
        if condition.get("type") == "slot" and condition.get("name") == "language":
            return str(condition.get("value"))
    return None
