"""End to end: the trained model, the action server and the gateway, driven through the
gateway's REST endpoint as a customer's widget would."""

from __future__ import annotations

import json
import sqlite3

import pytest
import requests

from bot.responses import Responses
from bot.settings import PROJECT_ROOT
from tests.conftest import RunningStack

pytestmark = pytest.mark.stack

TEXTS = Responses.from_domain(PROJECT_ROOT / "domain.yml")


def greeting(language: str) -> str:
    return TEXTS.text("utter_greet", language)


@pytest.mark.parametrize(
    ("message", "language"),
    [("buongiorno!", "it"), ("hi there", "en"), ("bonjour", "fr"), ("dzień dobry", "pl")],
)
def test_a_greeting_is_answered_in_its_language(
    running_stack: RunningStack, message: str, language: str
) -> None:
    assert running_stack.say(f"greet-{language}", message) == [greeting(language)]


def test_switching_language_mid_conversation_switches_the_answers(
    running_stack: RunningStack,
) -> None:
    sender = "switcher"
    assert running_stack.say(sender, "buongiorno") == [greeting("it")]
    assert running_stack.say(sender, "ok") == [TEXTS.text("utter_affirm", "it")]  # stays Italian
    assert running_stack.say(sender, "are you a bot?") == [TEXTS.text("utter_iamabot", "en")]
    assert running_stack.say(sender, "merci beaucoup") == [
        TEXTS.text("utter_you_are_welcome", "fr")
    ]
    assert running_stack.say(sender, "cześć") == [greeting("pl")]


def test_the_answer_has_the_rest_channel_shape(running_stack: RunningStack) -> None:
    response = running_stack.send("shape", "hello")
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("application/json")
    assert response.json() == [{"recipient_id": "shape", "text": greeting("en")}]


def test_integer_sender_is_accepted_like_rasa_does(running_stack: RunningStack) -> None:
    response = running_stack.send(12345, "hello")  # type: ignore[arg-type]
    assert response.json()[0]["recipient_id"] == "12345"


@pytest.mark.parametrize(
    ("body", "status"),
    [
        (b"{not json", 400),
        (b"[1, 2]", 400),
        (json.dumps({"message": "hi"}).encode(), 400),  # no sender
        (json.dumps({"sender": "x", "message": 42}).encode(), 400),
        (json.dumps({"sender": "x", "message": "hi", "metadata": "nope"}).encode(), 400),
        (json.dumps({"sender": "x" * 500, "message": "hi"}).encode(), 400),
        ("é".encode("latin-1"), 400),  # not UTF-8
        (b"x" * 300_000, 413),  # larger than any chat message
    ],
)
def test_malformed_requests_get_a_clear_4xx_and_the_next_message_works(
    running_stack: RunningStack, body: bytes, status: int
) -> None:
    response = requests.post(
        f"{running_stack.url}/webhooks/rest/webhook",
        data=body,
        headers={"Content-Type": "application/json"},
        timeout=30,
    )
    assert response.status_code == status
    assert "error" in response.json()
    assert running_stack.say("after-rubbish", "hello") == [greeting("en")]


@pytest.mark.parametrize(
    "message",
    ["", "   ", "🙂🙂🙂", "👍", "a" * 10_000, "ciao " * 2_000, "\u0000\u202e\ufeff", "漢字テスト"],
)
def test_rubbish_gets_a_polite_answer(running_stack: RunningStack, message: str) -> None:
    sender = f"rubbish-{abs(hash(message))}"
    running_stack.say(sender, "buongiorno")
    response = running_stack.send(sender, message)
    assert response.status_code == 200
    texts = [m["text"] for m in response.json()]
    assert len(texts) == 1 and texts[0].strip()
    assert running_stack.say(sender, "grazie") == [TEXTS.text("utter_you_are_welcome", "it")]


def test_unsupported_language_gets_the_list_of_languages(running_stack: RunningStack) -> None:
    texts = running_stack.say("german", "Guten Tag, ich möchte bitte ein Konto eröffnen")
    assert texts == [TEXTS.text("utter_unsupported_language", "en")]


def test_low_confidence_asks_to_rephrase(running_stack: RunningStack) -> None:
    running_stack.say("unsure", "buonasera")
    assert running_stack.say("unsure", "xqzt vbnm") == [TEXTS.text("utter_default", "it")]


def test_turns_are_stored_with_intent_language_and_latency(running_stack: RunningStack) -> None:
    running_stack.say("stored", "bonsoir")
    running_stack.say("stored", "tu es un robot ?")
    database = running_stack.settings.database_url.removeprefix("sqlite:///")
    with sqlite3.connect(database) as connection:
        rows = connection.execute(
            "select t.text, t.intent, t.language, t.outcome, t.confidence, t.latency_ms"
            " from turns t join conversations c on c.id = t.conversation_id"
            " where c.external_id = 'stored' order by t.id"
        ).fetchall()
    assert [row[:4] for row in rows] == [
        ("bonsoir", "greet", "fr", "answered"),
        ("tu es un robot ?", "bot_challenge", "fr", "answered"),
    ]
    assert all(0 < row[4] <= 1 and row[5] > 0 for row in rows)


def test_rasa_and_the_action_server_listen_on_loopback_only(running_stack: RunningStack) -> None:
    listening = _listening_addresses()
    for port in (running_stack.settings.rasa_port, running_stack.settings.action_port):
        addresses = {address for address, p in listening if p == port}
        assert addresses and addresses <= {"127.0.0.1"}, (port, addresses)


def _listening_addresses() -> set[tuple[str, int]]:
    """(address, port) of every listening TCP socket, from /proc/net/tcp."""
    found = set()
    with open("/proc/net/tcp", encoding="ascii") as table:
        for line in list(table)[1:]:
            fields = line.split()
            if fields[3] == "0A":  # LISTEN
                address_hex, port_hex = fields[1].split(":")
                octets = [str(int(address_hex[i : i + 2], 16)) for i in (6, 4, 2, 0)]
                found.add((".".join(octets), int(port_hex, 16)))
    return found


def test_no_customer_text_in_any_log_at_info(running_stack: RunningStack) -> None:
    marker = "zebracorn quokka 4711"
    running_stack.say("logged", f"buongiorno {marker}")
    running_stack.say("logged", marker)
    logs = sorted((running_stack.var_dir / "log").glob("*.log"))
    assert {path.name for path in logs} == {"action.log", "rasa.log", "gateway.log"}
    for path in logs:
        assert "zebracorn" not in path.read_text(encoding="utf-8", errors="replace"), path.name


@pytest.mark.parametrize(
    ("language", "ask", "answer", "payment"),
    [
        (
            "it",
            "quanto pagherei al mese per un prestito?",
            "10.000 euro in 5 anni al 6,9%",
            "197,54\u00a0€",
        ),
        ("en", "calculate my loan payment please", "10,000 over 60 months at 6.9%", "€197.54"),
        ("fr", "je voudrais simuler un pret", "10 000 euros sur 5 ans a 6,9 %", "197,54\u00a0€"),
        ("pl", "chce obliczyc rate kredytu", "10 tys. na 5 lat, 6,9%", "197,54\u00a0€"),
    ],
)
def test_loan_calculator_step_by_step(
    running_stack: RunningStack, language: str, ask: str, answer: str, payment: str
) -> None:
    sender = f"loan-{language}"
    assert running_stack.say(sender, ask) == [TEXTS.text("utter_ask_loan_amount", language)]
    (reply,) = running_stack.say(sender, answer)
    assert payment in reply


def test_loan_calculator_in_one_message_with_the_catalogue_rate(
    running_stack: RunningStack,
) -> None:
    (reply,) = running_stack.say(
        "loan-one", "what would I pay a month for a 10000 euro loan over 5 years?"
    )
    assert "€197.54" in reply and "6.90%" in reply


def test_calculator_stops_when_asked(running_stack: RunningStack) -> None:
    running_stack.say("loan-stop", "vorrei calcolare la rata di un mutuo")
    assert running_stack.say("loan-stop", "no lascia stare") == [
        TEXTS.text("utter_calc_stopped", "it")
    ]


def test_savings_calculator(running_stack: RunningStack) -> None:
    (reply,) = running_stack.say(
        "savings", "if I save 100 a month for 5 years at 2.25% how much will I have?"
    )
    assert "€6,344.23" in reply
