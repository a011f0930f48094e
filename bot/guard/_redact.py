"""Finds sensitive data in a message and replaces it with typed placeholders."""

from __future__ import annotations

from bot.guard._context import find_after_card, find_in_context
from bot.guard._findings import CARD_NUMBER, Finding
from bot.guard._numbers import find_numbers
from bot.guard._view import view_of


def find(text: str) -> list[Finding]:
    """Non-overlapping findings in text order, as spans of `text`; the longer one wins an
    overlap. The detectors read the normalised view of the text (bot/guard/_view.py)."""
    view = view_of(text)
    findings = find_in_view(view.text)
    if view.origins is None:
        return findings
    return [Finding(*view.original_span(f.start, f.end), f.type) for f in findings]


def find_in_view(text: str) -> list[Finding]:
    """The findings in an already normalised text."""
    candidates = list(find_numbers(text))
    for card in [f for f in candidates if f.type == CARD_NUMBER]:
        candidates.extend(find_after_card(text, card.end))
    candidates.extend(find_in_context(text))
    return choose(candidates)


def choose(candidates: list[Finding]) -> list[Finding]:
    """Non-overlapping findings in text order; the longer one wins an overlap."""
    chosen: list[Finding] = []
    taken = bytearray(max((f.end for f in candidates), default=0))  # 1 where already covered
    for finding in sorted(candidates, key=lambda f: (-(f.end - f.start), f.start)):
        if not any(taken[finding.start : finding.end]):
            chosen.append(finding)
            taken[finding.start : finding.end] = b"\x01" * (finding.end - finding.start)
    return sorted(chosen)


def redact(text: str, findings: list[Finding]) -> str:
    """`text` with every finding replaced by its placeholder, e.g. "[CARD_NUMBER]"."""
    parts, position = [], 0
    for finding in findings:
        parts += [text[position : finding.start], f"[{finding.type}]"]
        position = finding.end
    parts.append(text[position:])
    return "".join(parts)
