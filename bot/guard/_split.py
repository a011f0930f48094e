"""Numbers split across two messages: "my card number is 4111 1111", then "1111 1111".

Neither half is a card number on its own. When a message ends with digits, its last few
characters are kept in memory (never on disk) for a short window; when the same
conversation's next message starts where they stopped and the two together make a
checksum-valid card number or IBAN, the new message's part is redacted and the caller is
told which characters of the earlier message to remove from what was already stored.
"""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass

from bot.guard._findings import CARD_NUMBER, IBAN, Finding
from bot.guard._numbers import find_numbers
from bot.guard._redact import choose, find, redact
from bot.guard._view import view_of

WINDOW_SECONDS = 120.0  # the second half must come within this time
TAIL_CHARS = 40  # of the earlier message: enough for 19 digits in groups, or an IBAN's start
HEAD_CHARS = 60
MAX_CONVERSATIONS = 10_000  # tails kept at once; the oldest go first
_SPLITTABLE = frozenset({CARD_NUMBER, IBAN})
_JOINS = (" ", "")  # "4111 1111" + "1111 1111"; "41111111" + "11111111"


@dataclass(frozen=True)
class Joined:
    """A message after the guard, with the earlier half of a number it completed, if any."""

    text: str
    findings: tuple[str, ...]
    # The earlier message's characters of the number, as they were stored; the caller
    # replaces them with `placeholder` wherever the earlier message went.
    earlier_fragment: str | None = None
    placeholder: str | None = None
    earlier_at: float | None = None  # time.time() of the earlier message


@dataclass(frozen=True)
class _Tail:
    text: str  # the end of the earlier message as stored (nothing of it was redacted)
    seen: float  # monotonic
    at: float  # wall clock


class SplitNumbers:
    """Remembers, per conversation, the digits a message ended with, for a short while."""

    def __init__(
        self,
        window_seconds: float = WINDOW_SECONDS,
        clock: Callable[[], float] = time.monotonic,
        wall_clock: Callable[[], float] = time.time,
    ) -> None:
        self._window = window_seconds
        self._clock = clock
        self._wall_clock = wall_clock
        self._tails: OrderedDict[Hashable, _Tail] = OrderedDict()

    def screen(self, conversation: Hashable, text: str) -> Joined:
        """`text` redacted, also for a number its beginning completes; remembers its end."""
        tail = self._take(conversation)
        candidates = find(text)
        joined = _join(tail, text) if tail is not None else None
        if joined is not None:
            candidates.append(joined[0])
        findings = choose(candidates)
        redacted = redact(text, findings) if findings else text
        self._remember(conversation, redacted)
        kinds = tuple(f.type for f in findings)
        if joined is None or joined[0] not in findings or tail is None:
            return Joined(redacted, kinds)
        head, fragment = joined
        return Joined(redacted, kinds, fragment, f"[{head.type}]", tail.at)

    def forget(self, conversation: Hashable) -> None:
        self._tails.pop(conversation, None)

    def _take(self, conversation: Hashable) -> _Tail | None:
        tail = self._tails.pop(conversation, None)
        if tail is None or self._clock() - tail.seen > self._window:
            return None
        return tail

    def _remember(self, conversation: Hashable, stored: str) -> None:
        end = stored.rstrip()[-TAIL_CHARS:]
        if not end or not view_of(end[-1]).text.isdigit():
            return
        self._tails[conversation] = _Tail(end, self._clock(), self._wall_clock())
        while len(self._tails) > MAX_CONVERSATIONS:
            self._tails.popitem(last=False)


def _join(tail: _Tail, text: str) -> tuple[Finding, str] | None:
    """The new message's part of a number that `tail` began (a finding in `text`), and the
    earlier message's part of it; None when the two do not make one number."""
    before, after = view_of(tail.text), view_of(text)
    start = len(after.text) - len(after.text.lstrip())
    head = after.text[start : start + HEAD_CHARS]
    if not head[:1].isalnum():
        return None
    for join in _JOINS:
        middle = len(before.text) + len(join)
        for number in find_numbers(before.text + join + head):
            if number.type in _SPLITTABLE and number.start < len(before.text) < number.end - len(
                join
            ):
                head_end = start + number.end - middle
                finding = Finding(*after.original_span(start, head_end), number.type)
                earlier = tail.text[before.original_span(number.start, len(before.text))[0] :]
                return finding, earlier
    return None
