"""Escalation on the scripted conversations: recall and false escalations per language,
turns from a request for a person to the offer of one, and praise (never to be escalated)
and sarcasm (praise after a failure or with a marker such as 🙄, to be escalated).

    .venv/bin/python benchmarks/escalation.py

Trains (if needed) and starts its own stack on free loopback ports, then plays every
conversation of tests/handover/scripts/<lang>.yml through the gateway's REST endpoint.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

import requests

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.language import LANGUAGES  # noqa: E402
from bot.stack import Stack, train  # noqa: E402
from tests.handover.scripted import run, stored_outcomes  # noqa: E402


def main() -> None:
    from tests.conftest import isolated_settings

    var_dir = Path(tempfile.mkdtemp(prefix="sportello-bench-escalation-"))
    settings = isolated_settings(var_dir, log_level="WARNING")
    stack = Stack(settings, var_dir=var_dir, model=train(settings, quiet=True))
    stack.start()
    url = stack.gateway_url + "/webhooks/rest/webhook"

    def send(sender: str, text: str) -> None:
        response = requests.post(url, json={"sender": sender, "message": text}, timeout=60)
        response.raise_for_status()

    print("| language | escalate | recall | calm | escalated calm (of which stuck) | "
          "request -> offer (turns) | praise escalated | sarcasm recall | missed |")  # fmt: skip
    print("|---|---|---|---|---|---|---|---|---|")
    try:
        for language in LANGUAGES:
            started = time.monotonic()
            figures = run(language, send, stored_outcomes(var_dir / "gateway.db"), "bench")
            escalate = sum(r.expect == "escalate" for r in figures.results)
            calm = len(figures.results) - escalate
            offers = figures.turns_to_offer()
            praise = [r for r in figures.results if r.signal == "praise"]
            sarcasm = [r for r in figures.results if r.signal == "sarcasm"]
            praised_escalated = sum(r.escalated_at is not None for r in praise)
            sarcasm_missed = sum(r in figures.missed for r in sarcasm)
            print(
                f"| {language} | {escalate} | {figures.recall:.2f} | {calm} | "
                f"{len(figures.calm_escalated)} ({len(figures.calm_but_stuck)}) | "
                f"max {max((o for o in offers if o is not None), default=0)}, "
                f"{sum(o is None for o in offers)} never | "
                f"{praised_escalated}/{len(praise)} | "
                f"{len(sarcasm) - sarcasm_missed}/{len(sarcasm)} | "
                f"{', '.join(r.signal or '?' for r in figures.missed) or '-'} |"
                f"  ({time.monotonic() - started:.0f} s)",
                flush=True,
            )
    finally:
        stack.stop()


if __name__ == "__main__":
    main()
