"""The bank's catalogue (catalogue/bank.yml): products, contacts, hours, rules.

Loaded and checked against the schema (`_schema.SCHEMA`) at start-up; a missing or malformed
key stops start-up with a message naming it. `CatalogueFile` re-reads the file when it changes,
so the action server answers with a new fee without a restart or a retraining.
"""

from __future__ import annotations

import logging
from collections.abc import Container
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import holidays
import yaml

from bot.catalogue._schedule import Schedule, Span, parse_schedule
from bot.catalogue._schema import RANGES, SCHEMA
from bot.errors import DataError

__all__ = ["Catalogue", "CatalogueFile", "Schedule", "Span", "load_catalogue", "parse_schedule"]

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Catalogue:
    """The checked content of the catalogue file."""

    data: dict[str, Any]
    checked: dict[str, Any] = field(default_factory=dict)  # schema keys, converted

    def get(self, dotted: str) -> Any:
        """The value at a dotted path, e.g. "contacts.card_block.phone" (converted if in SCHEMA)."""
        if dotted in self.checked:
            return self.checked[dotted]
        return _lookup(self.data, dotted)

    @property
    def card_block_phone(self) -> str:
        return str(self.get("contacts.card_block.phone"))

    @property
    def timezone(self) -> ZoneInfo:
        return self.get("bank.timezone")

    def public_holidays(self) -> Container[date]:
        """The bank country's public holidays, any year (the `holidays` package)."""
        return holidays.country_holidays(self.get("bank.country"))


def load_catalogue(path: Path) -> Catalogue:
    """Reads and checks the catalogue; DataError names the first bad key."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as error:
        raise DataError(f"cannot read the catalogue {path}: {error}") from error
    if not isinstance(data, dict):
        raise DataError(f"the catalogue {path} must be a mapping")
    checked = {}
    for dotted, kind in SCHEMA.items():
        try:
            value = _lookup(data, dotted)
        except (KeyError, TypeError):
            raise DataError(f"catalogue {path.name}: missing key {dotted!r}") from None
        try:
            checked[dotted] = kind(value)
        except ValueError as error:
            raise DataError(
                f"catalogue {path.name}: {dotted!r} {error} (found {value!r})"
            ) from None
    for low, high in RANGES:
        if checked[low] > checked[high]:
            raise DataError(f"catalogue {path.name}: {low!r} is larger than {high!r}")
    return Catalogue(data, checked)


class CatalogueFile:
    """The catalogue at `path`, re-read whenever the file changes.

    A change that breaks the schema is logged and the last good catalogue kept, so a typo
    in production never takes answers down.
    """

    def __init__(self, path: Path) -> None:
        self._path = path
        self._stamp: tuple[int, int] | None = None
        self._catalogue: Catalogue | None = None

    def current(self) -> Catalogue:
        stat = self._path.stat()
        stamp = (stat.st_mtime_ns, stat.st_size)
        if self._catalogue is None or stamp != self._stamp:
            try:
                self._catalogue = load_catalogue(self._path)
            except DataError:
                if self._catalogue is None:
                    raise
                logger.exception("catalogue changed but is invalid: keeping the previous one")
            self._stamp = stamp
        return self._catalogue


def _lookup(data: Any, dotted: str) -> Any:
    value = data
    for key in dotted.split("."):
        if not isinstance(value, dict):
            raise KeyError(dotted)
        value = value[key]
    return value
