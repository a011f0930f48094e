"""The agent page in a real browser (Debian's Chromium, driven by Playwright): an agent takes,
answers and closes a handover while the customer chats through the REST endpoint."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import pytest
import requests
from playwright.sync_api import Browser, Page, expect

from bot.responses import Responses
from bot.settings import PROJECT_ROOT
from tests.conftest import RunningStack

pytestmark = pytest.mark.stack

TEXTS = Responses.from_domain(PROJECT_ROOT / "domain.yml")


@pytest.fixture
def agent_page(browser: Browser, agents_on_shift: RunningStack) -> Iterator[Page]:
    context = browser.new_context()
    page = context.new_page()
    page.goto(agents_on_shift.url + "/agent")
    page.get_by_label("Name").fill("Giulia")
    page.get_by_label("Name").press("Tab")  # saved, and the page says Giulia is online
    yield page
    context.close()
    requests.post(  # Giulia goes home: later tests must not find her online
        f"{agents_on_shift.url}/agent/api/presence", json={"agent": "Giulia", "online": False},
        timeout=30,
    )  # fmt: skip


def collect(stack: RunningStack, sender: str, count: int, timeout: float = 20) -> list[str]:
    """What the web chat page would collect for the customer: `count` messages, or fewer."""
    collected: list[str] = []
    deadline = time.monotonic() + timeout
    while len(collected) < count and time.monotonic() < deadline:
        url = f"{stack.url}/webhooks/rest/outbox"
        messages: list[dict[str, Any]] = requests.get(
            url, params={"sender": sender}, timeout=30
        ).json()
        collected += [m["text"] for m in messages]
        time.sleep(0.3)
    return collected


def test_an_agent_takes_answers_and_closes_a_handover(
    agent_page: Page, agents_on_shift: RunningStack
) -> None:
    stack, page, sender = agents_on_shift, agent_page, "page-customer"
    # The page's heartbeat made Giulia available: the customer is queued for her.
    deadline = time.monotonic() + 20
    while True:
        replies = stack.say(sender, "I want to talk to a person, please")
        if replies and replies[0].startswith(
            TEXTS.text("utter_handover_queued", "en", place=1, minutes=1)[:20]
        ):
            break
        assert time.monotonic() < deadline, replies
        time.sleep(0.5)
    waiting = page.locator("#queue .item", has_text="request · en")
    expect(waiting).to_have_count(1)
    waiting.click()
    expect(page.locator("#card")).to_contain_text("web:" + sender)
    page.get_by_role("button", name="Take").click()
    expect(page.locator("#active .item", has_text="with Giulia")).to_have_count(1)

    page.get_by_label("Message to the customer").fill("Hello, I'm Giulia. How can I help?")
    page.get_by_role("button", name="Send").click()
    assert collect(stack, sender, 2) == [
        TEXTS.text("utter_handover_taken", "en", agent="Giulia"),
        TEXTS.text(
            "utter_agent_says", "en", agent="Giulia", text="Hello, I'm Giulia. How can I help?"
        ),
    ]
    assert stack.say(sender, "my transfer is late") == []
    expect(page.locator("#log .msg.customer", has_text="my transfer is late")).to_have_count(1)

    page.get_by_role("button", name="Close").click()
    expect(page.locator("#active .item")).to_have_count(0)
    assert collect(stack, sender, 2) == [
        TEXTS.text("utter_handover_closed", "en"),
        TEXTS.text("utter_ask_rating", "en"),
    ]
    assert stack.say(sender, '/rate{"score": 5}') == [TEXTS.text("utter_rating_thanks", "en")]
