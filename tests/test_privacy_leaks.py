"""Leak test: conversations full of sensitive values through the running system, then every
table of every database and every log file it wrote is searched for the raw values."""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path

import pytest
import requests

from tests.conftest import RunningStack
from tests.guard.conftest import labelled_cases

pytestmark = pytest.mark.stack

# One positive case per (language, type), so every kind is sent in every language.
CASES = list({(c.language, min(c.spans)[2]): c for c in labelled_cases() if c.spans}.values())
SHORT = 6  # a value shorter than this is searched with the words typed before it


def raw_values() -> set[str]:
    """What would betray a leak: long values as typed and as bare digits; short ones (a PIN,
    a CVV) with the text typed before them, so that "1234" in a timestamp is no false alarm."""
    values = set()
    for case in CASES:
        for start, end, _ in case.spans:
            value = case.text[start:end]
            if len(value) >= SHORT:
                values.add(value)
            else:  # the context stops at a previous finding, which is redacted itself
                before = max([0, start - 8] + [e for _, e, _ in case.spans if e <= start])
                values.add(case.text[before:end])
            digits = re.sub(r"\D", "", value)
            if len(digits) >= SHORT:
                values.add(digits)
    return values


def database_text(path: Path) -> str:
    """Every value of every row of every table, as text."""
    chunks = []
    with sqlite3.connect(path) as connection:
        tables = [
            row[0]
            for row in connection.execute("select name from sqlite_master where type='table'")
        ]
        for table in tables:
            for row in connection.execute(f'select * from "{table}"'):  # noqa: S608 (names from sqlite_master)
                chunks.extend(str(value) for value in row)
    return "\n".join(chunks)


def test_no_raw_sensitive_value_in_any_table_or_log(running_stack: RunningStack) -> None:
    assert len(CASES) >= 40
    for number, case in enumerate(CASES):
        response = running_stack.send(f"leak-{number % 7}", case.text)
        assert response.status_code == 200
    # Rasa's own REST channel bypasses the gateway: its tracker store must redact too.
    rasa = f"http://127.0.0.1:{running_stack.settings.rasa_port}/webhooks/rest/webhook"
    for number, case in enumerate(CASES[:12]):
        body = {"sender": f"bypass-{number}", "message": case.text}
        assert requests.post(rasa, json=body, timeout=60).status_code == 200

    databases = [Path(running_stack.settings.database_url.removeprefix("sqlite:///"))]
    databases.append(running_stack.settings.tracker_db)
    logs = sorted((running_stack.var_dir / "log").glob("*.log"))
    stored = {str(path): database_text(path) for path in databases}
    stored.update({str(path): path.read_text(encoding="utf-8", errors="replace") for path in logs})
    assert "[CARD_NUMBER]" in stored[str(running_stack.settings.tracker_db)]  # Rasa did store them

    patterns = [re.compile(rf"{re.escape(value)}(?!\w)") for value in raw_values()]
    leaks = [
        (where, content[max(0, match.start() - 60) : match.end() + 20])
        for where, content in stored.items()
        for pattern in patterns
        for match in pattern.finditer(content)
    ]
    assert leaks == []
