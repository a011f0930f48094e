"""The scripted conversations (tests/handover/scripts/<lang>.yml) run through a gateway, and
the figures they give: escalation recall, false escalations, turns to the offer."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

SCRIPTS = Path(__file__).parent / "scripts"
ESCALATED = ("escalated_", "queued_")  # recorded outcomes: escalated_<reason>, queued_request


def conversations(language: str) -> list[dict[str, Any]]:
    data = yaml.safe_load((SCRIPTS / f"{language}.yml").read_text(encoding="utf-8"))
    return list(data["conversations"])


@dataclass
class Result:
    name: str
    expect: str
    signal: str | None
    by_turn: int | None
    escalated_at: int | None  # the customer's turn (1-based) that was answered with an offer
    reason: str | None = None  # why: request, anger, threat, stuck, frustration


@dataclass
class Figures:
    language: str
    results: list[Result] = field(default_factory=list)

    @property
    def missed(self) -> list[Result]:
        return [r for r in self.results if r.expect == "escalate" and not self._in_time(r)]

    @property
    def false_escalations(self) -> list[Result]:
        """Calm customers offered a person although the assistant understood them."""
        return [r for r in self.calm_escalated if r.reason != "stuck"]

    @property
    def calm_but_stuck(self) -> list[Result]:
        """Calm customers the assistant failed to understand twice in a row: offered a person
        by design (a chatbot must not trap anyone in a loop); a shortfall of the NLU."""
        return [r for r in self.calm_escalated if r.reason == "stuck"]

    @property
    def calm_escalated(self) -> list[Result]:
        return [r for r in self.results if r.expect == "calm" and r.escalated_at is not None]

    @property
    def recall(self) -> float:
        escalate = [r for r in self.results if r.expect == "escalate"]
        return 1 - len(self.missed) / len(escalate)

    @property
    def false_rate(self) -> float:
        """Share of calm conversations escalated, for any reason."""
        calm = [r for r in self.results if r.expect == "calm"]
        return len(self.calm_escalated) / len(calm)

    def turns_to_offer(self, signal: str = "request") -> list[int | None]:
        """For each conversation of `signal`: turns from its trigger to the offer (0: the
        answer to that very message; an earlier offer counts as 0), None if never offered."""
        return [
            None if r.escalated_at is None else max(0, r.escalated_at - (r.by_turn or 0))
            for r in self.results
            if r.signal == signal
        ]

    @staticmethod
    def _in_time(result: Result) -> bool:
        return result.escalated_at is not None and result.escalated_at <= (result.by_turn or 0)


def run(
    language: str,
    send: Callable[[str, str], object],
    outcomes: Callable[[str], list[str]],
    prefix: str,
) -> Figures:
    """Plays every conversation of `language` with `send(sender, text)`; `outcomes(sender)`
    gives the stored outcome of each of that sender's turns, in order."""
    figures = Figures(language)
    for index, conversation in enumerate(conversations(language)):
        sender = f"{prefix}-{language}-{index}"
        for text in conversation["turns"]:
            send(sender, text)
        kinds = outcomes(sender)
        escalated = next(
            (i + 1 for i, kind in enumerate(kinds) if kind.startswith(ESCALATED)), None
        )
        reason = kinds[escalated - 1].split("_", 1)[1] if escalated else None
        figures.results.append(
            Result(
                conversation["name"],
                conversation["expect"],
                conversation.get("signal"),
                conversation.get("by_turn"),
                escalated,
                reason,
            )
        )
    return figures


def stored_outcomes(database: Path, channel: str = "web") -> Callable[[str], list[str]]:
    def outcomes(sender: str) -> list[str]:
        with sqlite3.connect(database) as connection:
            return [
                row[0]
                for row in connection.execute(
                    "select t.outcome from turns t join conversations c on c.id = t.conversation_id"
                    " where c.channel = ? and c.external_id = ? order by t.id",
                    (channel, sender),
                )
            ]

    return outcomes
