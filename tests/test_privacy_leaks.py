"""Leak test: conversations full of sensitive values through the running system, then every
table of every database and every log file it wrote is searched for the raw values."""

from __future__ import annotations

import json
import re
import sqlite3
import unicodedata
from pathlib import Path

import pytest
import requests

from tests.conftest import RunningStack
from tests.guard.conftest import labelled_cases

pytestmark = pytest.mark.stack

# One positive case per (language, type), so every kind is sent in every language.
CASES = list({(c.language, min(c.spans)[2]): c for c in labelled_cases() if c.spans}.values())
SHORT = 6  # a value shorter than this is searched with the words typed before it
# Numbers as copied from an app, a PDF or a French text: no-break, narrow and thin spaces,
# zero-width spaces and word joiners, full-width digits (the issue of the bad-input report).
FW = str.maketrans("0123456789", "\uff10\uff11\uff12\uff13\uff14\uff15\uff16\uff17\uff18\uff19")
UNICODE_VALUES = {  # message -> the value in it, as typed
    "ma carte {} est bloquée": "4111\u00a01111\u00a01111\u00a01111",
    "carta {}": "5555\u202f5555\u202f5555\u202f4444",
    "card {} please": "4012\u200b8888\u200b8888\u200b1881",
    "karta {} zablokowana": "3782\u2060822463\u206010005",
    "my card is {}": "4111 1111 1111 1111".translate(FW),
    "IBAN {}": "IT60\u00a0X054\u00a02811\u00a01010\u00a00000\u00a00123\u00a0456",
    "mon IBAN {}": "FR14\u20092004\u20091010\u20090505\u20090001\u20093M02\u2009606",
}
UNICODE_VARIANTS = [text.format(value) for text, value in UNICODE_VALUES.items()]
# A card number in two messages of one conversation.
SPLIT = ("my card number is 4539 1488", "0343 6467")


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
    for value in UNICODE_VALUES.values():
        values.add(value)  # as typed, and as its bare characters read by a machine
        values.add(unicodedata.normalize("NFKC", re.sub(r"[\s\u200b\u2060]", "", value)))
    values.update({"4539 1488", "0343 6467", "45391488", "03436467"})
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
                chunks.extend(_readable(value) for value in row)
    return "\n".join(chunks)


def _readable(value: object) -> str:
    """A stored value as text; JSON (Rasa's events) with its \\u escapes decoded, so that a
    number with no-break spaces or full-width digits is found as typed."""
    text = str(value)
    if text.startswith(("{", "[")):
        try:
            return json.dumps(json.loads(text), ensure_ascii=False)
        except ValueError:
            pass
    return text


def test_no_raw_sensitive_value_in_any_table_or_log(running_stack: RunningStack) -> None:
    assert len(CASES) >= 40
    for number, case in enumerate(CASES):
        response = running_stack.send(f"leak-{number % 7}", case.text)
        assert response.status_code == 200
    for number, text in enumerate(UNICODE_VARIANTS):
        assert running_stack.send(f"leak-unicode-{number}", text).status_code == 200
    for half in SPLIT:
        assert running_stack.send("leak-split", half).status_code == 200
    # Rasa's own REST channel bypasses the gateway: its tracker store must redact too.
    rasa = f"http://127.0.0.1:{running_stack.settings.rasa_port}/webhooks/rest/webhook"
    for number, text in enumerate([c.text for c in CASES[:12]] + UNICODE_VARIANTS):
        body = {"sender": f"bypass-{number}", "message": text}
        assert requests.post(rasa, json=body, timeout=60).status_code == 200

    databases = [Path(running_stack.settings.database_url.removeprefix("sqlite:///"))]
    databases.append(running_stack.settings.tracker_db)
    logs = sorted((running_stack.var_dir / "log").glob("*.log"))
    stored = {str(path): database_text(path) for path in databases}
    stored.update({str(path): path.read_text(encoding="utf-8", errors="replace") for path in logs})
    assert "[CARD_NUMBER]" in stored[str(running_stack.settings.tracker_db)]  # Rasa did store them

    leaks = find_leaks(stored, raw_values())
    assert leaks == []


def find_leaks(stored: dict[str, str], values: set[str]) -> list[tuple[str, str]]:
    """Where a whole value occurs: not inside a longer number or word, so that the digits of
    a model's confidence (0.0002893031666736104) or of a timestamp are never taken for one."""
    patterns = [re.compile(_whole(value)) for value in values]
    return [
        (where, content[max(0, match.start() - 60) : match.end() + 20])
        for where, content in stored.items()
        for pattern in patterns
        for match in pattern.finditer(content)
    ]


def _whole(value: str) -> str:
    before = r"(?<!\w)(?<!\d[.,])" if re.match(r"\w", value) else ""
    after = r"(?!\w)(?![.,]\d)" if re.search(r"\w$", value) else ""
    return before + re.escape(value) + after


def test_a_leak_is_a_whole_value_never_digits_inside_a_number() -> None:
    values = {"4111111111111111", "736104", "PIN 1234", "IT60\u00a0X054"}
    stored = {
        "confidences": '{"name": "x", "confidence": 0.0002893031666736104, "t": 1736104.5}',
        "amounts": "736104.50 EUR, 1.736104, 4111111111111111999, X4111111111111111",
        "clean": "PIN 12345 and [PIN]",
    }
    assert find_leaks(stored, values) == []
    leaked = {
        "json": '{"text": "my card 4111111111111111"}',
        "sentence": "code 736104.",
        "typed": "my PIN 1234, thanks; IT60\u00a0X054",
    }
    assert sorted(where for where, _ in find_leaks(leaked, values)) == [
        "json", "sentence", "typed", "typed"
    ]  # fmt: skip
