"""Fixtures of the handover tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import yaml

from tests.conftest import RunningStack


@pytest.fixture
def agents_on_shift(running_stack: RunningStack) -> Iterator[RunningStack]:
    """The stack's catalogue copy with agents on shift round the clock (restored after)."""
    catalogue = running_stack.settings.catalogue
    original = catalogue.read_text(encoding="utf-8")
    data = yaml.safe_load(original)
    data["contacts"]["live_chat_agents"] = {
        "hours": {"mon-sun": "00:00-23:59"},
        "closed_on_public_holidays": False,
    }
    catalogue.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    try:
        yield running_stack
    finally:
        catalogue.write_text(original, encoding="utf-8")
