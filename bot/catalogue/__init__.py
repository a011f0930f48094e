"""The bank's catalogue (catalogue/bank.yml): contacts, products, rules.

Loaded and checked once at start-up; a missing or malformed key stops start-up with a
message naming it. The answers issue extends the schema to products and rules.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from bot.errors import DataError

# Keys every catalogue must have, as dotted paths, with the type of their value.
REQUIRED: dict[str, type] = {
    "bank.name": str,
    "bank.timezone": str,
    "contacts.customer_service.phone": str,
    "contacts.card_block.phone": str,
    "contacts.card_block.hours": str,
    "contacts.complaints.email": str,
}


@dataclass(frozen=True)
class Catalogue:
    """The checked content of the catalogue file."""

    data: dict[str, Any]

    def get(self, dotted: str) -> Any:
        """The value at a dotted path, e.g. "contacts.card_block.phone"."""
        value: Any = self.data
        for key in dotted.split("."):
            value = value[key]
        return value

    @property
    def card_block_phone(self) -> str:
        return str(self.get("contacts.card_block.phone"))


def load_catalogue(path: Path) -> Catalogue:
    """Reads and checks the catalogue; DataError names the first bad key."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as error:
        raise DataError(f"cannot read the catalogue {path}: {error}") from error
    if not isinstance(data, dict):
        raise DataError(f"the catalogue {path} must be a mapping")
    catalogue = Catalogue(data)
    for dotted, kind in REQUIRED.items():
        try:
            value = catalogue.get(dotted)
        except (KeyError, TypeError):
            raise DataError(f"catalogue {path.name}: missing key {dotted!r}") from None
        if not isinstance(value, kind) or (isinstance(value, str) and not value.strip()):
            raise DataError(
                f"catalogue {path.name}: {dotted!r} must be a non-empty {kind.__name__}"
            )
    return catalogue
