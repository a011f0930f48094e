"""Weekly opening hours ("mon-fri: 08:00-20:00") and when a line opens or closes next."""

from __future__ import annotations

import re
from collections.abc import Container, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_SPAN = re.compile(r"^\s*(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})\s*$")
# Far enough to find the next opening across any run of holidays and closed days.
_LOOKAHEAD_DAYS = 21


@dataclass(frozen=True)
class Span:
    """One opening period within a day; `end` is exclusive."""

    start: time
    end: time


@dataclass(frozen=True)
class Schedule:
    """Opening spans per weekday (0 = Monday), as the catalogue states them."""

    days: tuple[tuple[Span, ...], ...]

    def spans_on(self, day: date, holidays: Container[date]) -> tuple[Span, ...]:
        return () if day in holidays else self.days[day.weekday()]

    def open_until(self, now: datetime, holidays: Container[date]) -> datetime | None:
        """When the current opening ends, or None when closed at `now` (timezone-aware)."""
        for span in self.spans_on(now.date(), holidays):
            if span.start <= now.time() < span.end:
                return datetime.combine(now.date(), span.end, tzinfo=now.tzinfo)
        return None

    def next_opening(self, now: datetime, holidays: Container[date]) -> datetime | None:
        """The next time the line opens after `now`; None if it never opens."""
        for offset in range(_LOOKAHEAD_DAYS):
            day = now.date() + timedelta(days=offset)
            for span in self.spans_on(day, holidays):
                opening = datetime.combine(day, span.start, tzinfo=now.tzinfo)
                if opening > now:
                    return opening
        return None

    def groups(self) -> list[tuple[int, int, tuple[Span, ...]]]:
        """Runs of consecutive open weekdays with the same hours: (first, last, spans)."""
        runs: list[tuple[int, int, tuple[Span, ...]]] = []
        for weekday, spans in enumerate(self.days):
            if not spans:
                continue
            if runs and runs[-1][1] == weekday - 1 and runs[-1][2] == spans:
                runs[-1] = (runs[-1][0], weekday, spans)
            else:
                runs.append((weekday, weekday, spans))
        return runs


def parse_schedule(raw: object) -> Schedule:
    """Reads {"mon-fri": "08:00-20:00", "sun": "closed", ...}; a ValueError says what is wrong."""
    if not isinstance(raw, Mapping):
        raise ValueError("must be a mapping of days to hours")
    days: list[tuple[Span, ...] | None] = [None] * 7
    for key, hours in raw.items():
        spans = _parse_spans(str(hours))
        for weekday in _weekdays(str(key)):
            if days[weekday] is not None:
                raise ValueError(f"{DAYS[weekday]} is given twice")
            days[weekday] = spans
    missing = [DAYS[i] for i, spans in enumerate(days) if spans is None]
    if missing:
        raise ValueError(f"no hours for {', '.join(missing)}")
    return Schedule(tuple(spans or () for spans in days))


def _weekdays(key: str) -> list[int]:
    first, _, last = key.strip().lower().partition("-")
    if first not in DAYS or (last and last not in DAYS):
        raise ValueError(f"unknown day {key!r} (use mon..sun or a range like mon-fri)")
    start, end = DAYS.index(first), DAYS.index(last or first)
    if end < start:
        raise ValueError(f"day range {key!r} runs backwards")
    return list(range(start, end + 1))


def _parse_spans(hours: str) -> tuple[Span, ...]:
    if hours.strip().lower() == "closed":
        return ()
    spans: list[Span] = []
    for part in hours.split(","):
        match = _SPAN.match(part)
        if not match:
            raise ValueError(f"hours {hours!r} must look like 08:00-20:00, or closed")
        h1, m1, h2, m2 = (int(g) for g in match.groups())
        try:
            span = Span(time(h1, m1), time(h2, m2))
        except ValueError:
            raise ValueError(f"hours {hours!r} are not valid times") from None
        if span.end <= span.start or (spans and span.start < spans[-1].end):
            raise ValueError(f"hours {hours!r} must run forwards without overlapping")
        spans.append(span)
    return tuple(spans)
