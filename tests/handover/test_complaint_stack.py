"""A formal complaint end to end: the Rasa form, the ticket in the database, its status."""

from __future__ import annotations

import re
import sqlite3
from datetime import datetime, timezone
from typing import Any

import pytest

from bot.catalogue import load_catalogue
from bot.complaints import BANKING, PAYMENT, due_dates
from bot.formatting import long_date
from bot.responses import Responses
from bot.settings import PROJECT_ROOT
from tests.conftest import RunningStack

pytestmark = pytest.mark.stack

TEXTS = Responses.from_domain(PROJECT_ROOT / "domain.yml")
CATALOGUE = load_catalogue(PROJECT_ROOT / "catalogue" / "bank.yml")
REFERENCE = re.compile(r"AUR-\d{4}-\d{6}")


def answer(stack: RunningStack, sender: str, text: str) -> list[dict[str, Any]]:
    response = stack.send(sender, text)
    assert response.status_code == 200, response.text
    return list(response.json())


def texts(messages: list[dict[str, Any]]) -> list[str]:
    return [m["text"] for m in messages if m.get("text")]


def ticket(stack: RunningStack, reference: str) -> dict[str, Any]:
    with sqlite3.connect(stack.var_dir / "gateway.db") as connection:
        connection.row_factory = sqlite3.Row
        row = connection.execute(
            "select * from complaints where reference = ?", (reference,)
        ).fetchone()
    assert row is not None, reference
    return dict(row)


def test_a_payment_complaint_gets_a_reference_the_due_date_and_the_ombudsman(
    running_stack: RunningStack,
) -> None:
    stack, sender = running_stack, "complaint-it"
    assert texts(answer(stack, sender, "voglio fare un reclamo formale")) == [
        TEXTS.text("utter_complain", "it"),
        TEXTS.text("utter_ask_complaint_description", "it"),
    ]
    assert texts(answer(stack, sender, "boh")) == [
        TEXTS.text("utter_complaint_too_short", "it"),
        TEXTS.text("utter_ask_complaint_description", "it"),
    ]
    [ask] = answer(
        stack, sender, "mi avete addebitato due volte la commissione del bonifico di lunedì"
    )
    assert ask["text"] == TEXTS.text("utter_ask_complaint_product", "it")
    buttons = {b["title"]: b["payload"] for b in ask["buttons"]}
    assert buttons[TEXTS.text("utter_label_transfers", "it")] == '/complain{"product": "transfers"}'
    assert buttons[TEXTS.text("utter_label_other", "it")] == '/complain{"product": "none"}'
    [ask] = answer(stack, sender, buttons[TEXTS.text("utter_label_transfers", "it")])
    assert ask["text"] == TEXTS.text("utter_ask_complaint_reply_via", "it")
    [filed] = answer(stack, sender, ask["buttons"][0]["payload"])
    [reference] = REFERENCE.findall(filed["text"])
    today = datetime.now(timezone.utc).astimezone(CATALOGUE.timezone).date()
    dates = due_dates(CATALOGUE, PAYMENT, today)
    facts = {"ombudsman": CATALOGUE.get("complaint_rules.ombudsman.name"),
             "ombudsman_website": CATALOGUE.get("complaint_rules.ombudsman.website")}  # fmt: skip
    assert filed["text"] == TEXTS.text(
        "utter_complaint_filed_payment", "it", reference=reference,
        due_on=long_date(dates.due_on, "it"), extended_on=long_date(dates.extended or today, "it"),
        **facts,
    )  # fmt: skip
    stored = ticket(stack, reference)
    assert (stored["category"], stored["product"], stored["reply_via"], stored["language"]) == (
        PAYMENT,
        "transfers",
        "chat",
        "it",
    )
    assert stored["due_on"] == dates.due_on.isoformat()
    assert "commissione del bonifico" in stored["description"]
    assert "voglio fare un reclamo formale" in stored["transcript"]

    # Its status, by reference, nothing personal in the answer.
    assert texts(answer(stack, "someone-else", f"a che punto è il reclamo {reference}?")) == [
        TEXTS.text(
            "utter_complaint_status_open",
            "it",
            reference=reference,
            due_on=long_date(dates.due_on, "it"),
        )  # fmt: skip
    ]


def test_a_banking_complaint_in_english_and_an_unknown_reference(
    running_stack: RunningStack,
) -> None:
    stack, sender = running_stack, "complaint-en"
    answer(stack, sender, "I want to make a formal complaint")
    answer(stack, sender, "the mortgage valuation took three months and nobody told me why")
    [ask] = answer(stack, sender, "the mortgage")  # typed, not tapped
    assert ask["text"] == TEXTS.text("utter_ask_complaint_reply_via", "en")
    [filed] = answer(stack, sender, '/complain{"reply_via": "contact"}')
    [reference] = REFERENCE.findall(filed["text"])
    stored = ticket(stack, reference)
    assert (stored["category"], stored["product"], stored["reply_via"]) == (
        BANKING,
        "mortgage",
        "contact",
    )
    today = datetime.now(timezone.utc).astimezone(CATALOGUE.timezone).date()
    assert stored["due_on"] == due_dates(CATALOGUE, BANKING, today).due_on.isoformat()
    unknown = texts(answer(stack, sender, "what's the status of AUR-1999-999999?"))
    assert unknown == [
        TEXTS.text(
            "utter_complaint_status_unknown",
            "en",
            reference="AUR-1999-999999",
            complaints_email=CATALOGUE.get("contacts.complaints.email"),
        )  # fmt: skip
    ]


@pytest.mark.parametrize(
    ("language", "start", "stop"),
    [
        ("it", "voglio presentare un reclamo", "annulla"),
        ("en", "I want to complain", "cancel"),
        ("fr", "je veux faire une réclamation", "annuler"),
        ("pl", "chcę złożyć reklamację", "anuluj"),
    ],
)
def test_the_complaint_can_be_stopped(
    running_stack: RunningStack, language: str, start: str, stop: str
) -> None:
    sender = f"complaint-stop-{language}"
    started = texts(answer(running_stack, sender, start))
    assert started[0] == TEXTS.text("utter_complain", language)
    assert texts(answer(running_stack, sender, stop)) == [
        TEXTS.text("utter_complaint_stopped", language)
    ]
