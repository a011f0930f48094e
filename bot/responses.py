"""Texts the gateway sends by itself, read from the responses in domain.yml.

Rasa renders its own responses; the gateway needs a few of them when it answers without
Rasa (an empty or oversized message, an unsupported language, Rasa being down).
"""

from __future__ import annotations

import string
from pathlib import Path

import yaml

from bot.errors import DataError
from bot.language import LANGUAGES


class Responses:
    """Localised response texts by name and language."""

    def __init__(self, texts: dict[str, dict[str, str]]) -> None:
        self._texts = texts

    @classmethod
    def from_domain(cls, domain_path: Path) -> Responses:
        return cls(load_response_texts(domain_path))

    def text(self, response: str, language: str, /, **values: object) -> str:
        """The response in `language`, with `{placeholders}` filled from `values`."""
        try:
            template = self._texts[response][language]
        except KeyError as error:
            raise DataError(f"domain.yml has no {language!r} variation of {response}") from error
        return string.Formatter().vformat(template, (), _Defaulting(values))


class _Defaulting(dict):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def load_response_texts(domain_path: Path) -> dict[str, dict[str, str]]:
    """{response name: {language: text}} for every response with language conditions."""
    domain = yaml.safe_load(domain_path.read_text(encoding="utf-8")) or {}
    texts: dict[str, dict[str, str]] = {}
    for name, variations in (domain.get("responses") or {}).items():
        for variation in variations or []:
            language = variation_language(variation)
            if language in LANGUAGES and "text" in variation:
                texts.setdefault(name, {})[language] = variation["text"]
    return texts


def variation_language(variation: dict) -> str | None:
    """The language a response variation is conditioned on, if any."""
    for condition in variation.get("condition") or []:
        if condition.get("type") == "slot" and condition.get("name") == "language":
            return str(condition.get("value"))
    return None
