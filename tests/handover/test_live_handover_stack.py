"""A live handover end to end: a web-chat customer, the trained assistant, an agent on the
agent API; the conversation goes to the agent and back, and ends with a rating."""

from __future__ import annotations

from typing import Any

import pytest
import requests

from bot.responses import Responses
from bot.settings import PROJECT_ROOT
from tests.conftest import RunningStack

pytestmark = pytest.mark.stack

TEXTS = Responses.from_domain(PROJECT_ROOT / "domain.yml")


def agent(stack: RunningStack, path: str, body: dict[str, Any] | None = None) -> requests.Response:
    url = f"{stack.url}/agent/api{path}"
    if body is None:
        return requests.get(url, timeout=30)
    return requests.post(url, json=body, timeout=30)


def texts(messages: list[dict[str, Any]]) -> list[str]:
    return [m["text"] for m in messages if m.get("text")]


def test_a_customer_is_handed_to_an_agent_and_back(agents_on_shift: RunningStack) -> None:
    stack = agents_on_shift
    assert agent(stack, "/presence", {"agent": "Marta"}).status_code == 200
    assert stack.say("live-1", "buongiorno") == [TEXTS.text("utter_greet", "it")]
    queued = stack.say("live-1", "voglio parlare con un operatore")
    assert queued[0].startswith(TEXTS.text("utter_handover_queued", "it", place=1, minutes=6)[:30])
    [view] = [
        v for v in agent(stack, "/handovers").json()["handovers"] if v["customer"] == "web:live-1"
    ]
    assert (view["status"], view["reason"], view["language"]) == ("queued", "request", "it")
    assert view["transcript"][0]["customer"] == "buongiorno"

    # Waiting: the assistant does not answer, the message is kept for the agent.
    waiting = stack.say("live-1", "la mia carta 4111 1111 1111 1111 è stata addebitata due volte")
    assert waiting[0] == TEXTS.text("utter_sensitive_data_removed", "it")
    assert "in coda" in waiting[-1]

    taken = [
        agent(stack, f"/handovers/{view['id']}/take", {"agent": name}) for name in ("Marta", "Luca")
    ]
    assert [r.status_code for r in taken] == [200, 409]  # one agent wins
    assert (
        agent(
            stack,
            f"/handovers/{view['id']}/messages",
            {"agent": "Marta", "text": "Buongiorno, la aiuto io."},
        ).status_code
        == 200
    )
    polled = requests.get(
        f"{stack.url}/webhooks/rest/outbox", params={"sender": "live-1"}, timeout=30
    ).json()
    assert texts(polled) == [
        TEXTS.text("utter_handover_taken", "it", agent="Marta"),
        TEXTS.text("utter_agent_says", "it", agent="Marta", text="Buongiorno, la aiuto io."),
    ]
    assert stack.say("live-1", "grazie, aspetto") == []  # to the agent, not to the assistant
    detail = agent(stack, f"/handovers/{view['id']}").json()
    assert [m["text"] for m in detail["messages"]] == [
        "la mia carta [CARD_NUMBER] è stata addebitata due volte",
        "Buongiorno, la aiuto io.",
        "grazie, aspetto",
    ]

    assert agent(stack, f"/handovers/{view['id']}/return", {"agent": "Luca"}).status_code == 409
    assert agent(stack, f"/handovers/{view['id']}/return", {"agent": "Marta"}).status_code == 200
    response = stack.send("live-1", "4")  # the rating asked when the assistant took over again
    replies = response.json()
    assert texts(replies) == [
        TEXTS.text("utter_handover_returned", "it"),
        TEXTS.text("utter_ask_rating", "it"),
        TEXTS.text("utter_rating_thanks", "it"),
    ]
    assert [b["payload"] for b in replies[1]["buttons"]] == [
        f'/rate{{"score": {n}}}' for n in range(1, 6)
    ]
    assert stack.say("live-1", "grazie mille") == [TEXTS.text("utter_you_are_welcome", "it")]
    agent(stack, "/presence", {"agent": "Marta", "online": False})


def test_the_agent_api_refuses_bad_requests(running_stack: RunningStack) -> None:
    assert agent(running_stack, "/handovers/999999").status_code == 404
    assert agent(running_stack, "/handovers/1/take", {"agent": ""}).status_code == 400
    assert agent(running_stack, "/handovers/999999/take", {"agent": "Marta"}).status_code == 409
    response = requests.post(f"{running_stack.url}/agent/api/presence", data=b"nope", timeout=30)
    assert response.status_code == 400
