"""Opening hours: parsing the catalogue's weekly hours, and when a line opens or closes."""

from __future__ import annotations

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import holidays
import pytest

from bot.catalogue import Span, parse_schedule

ROME = ZoneInfo("Europe/Rome")
LINE = parse_schedule({"mon-fri": "08:00-20:00", "sat": "09:00-13:00", "sun": "closed"})
BRANCH = parse_schedule({"mon-fri": "08:30-13:30, 14:30-16:00", "sat": "closed", "sun": "closed"})
ITALY = holidays.country_holidays("IT")


def at(*args: int) -> datetime:
    return datetime(*args, tzinfo=ROME)


def test_days_and_spans_are_read() -> None:
    assert LINE.days[0] == (Span(time(8), time(20)),)
    assert LINE.days[5] == (Span(time(9), time(13)),)
    assert LINE.days[6] == ()
    assert BRANCH.days[2] == (Span(time(8, 30), time(13, 30)), Span(time(14, 30), time(16)))


@pytest.mark.parametrize(
    ("now", "until"),
    [
        (at(2026, 11, 23, 10, 0), at(2026, 11, 23, 20, 0)),  # Monday morning
        (at(2026, 11, 23, 8, 0), at(2026, 11, 23, 20, 0)),  # the minute it opens
        (at(2026, 11, 28, 12, 59), at(2026, 11, 28, 13, 0)),  # Saturday, just before closing
        (at(2026, 11, 23, 20, 0), None),  # the minute it closes
        (at(2026, 11, 29, 11, 0), None),  # Sunday
        (at(2026, 12, 8, 11, 0), None),  # Immaculate Conception, a Tuesday
    ],
)
def test_open_until(now: datetime, until: datetime | None) -> None:
    assert LINE.open_until(now, ITALY) == until


@pytest.mark.parametrize(
    ("now", "opening"),
    [
        (at(2026, 11, 23, 6, 30), at(2026, 11, 23, 8, 0)),  # early Monday: today
        (at(2026, 11, 27, 21, 0), at(2026, 11, 28, 9, 0)),  # Friday night: Saturday 09:00
        (at(2026, 11, 28, 15, 0), at(2026, 11, 30, 8, 0)),  # Saturday afternoon: Monday
        (at(2026, 12, 7, 22, 0), at(2026, 12, 9, 8, 0)),  # skips the 8 December holiday
        (at(2026, 12, 24, 21, 0), at(2026, 12, 28, 8, 0)),  # Christmas and St Stephen
        (at(2027, 3, 28, 10, 0), at(2027, 3, 30, 8, 0)),  # Easter Sunday, then Easter Monday
    ],
)
def test_next_opening_skips_closed_days_and_holidays(now: datetime, opening: datetime) -> None:
    assert LINE.next_opening(now, ITALY) == opening


def test_a_lunch_break_is_closed() -> None:
    assert BRANCH.open_until(at(2026, 11, 23, 14, 0), ITALY) is None
    assert BRANCH.next_opening(at(2026, 11, 23, 14, 0), ITALY) == at(2026, 11, 23, 14, 30)


def test_without_holidays_a_holiday_is_an_ordinary_day() -> None:
    assert LINE.open_until(at(2026, 12, 8, 11, 0), frozenset[date]()) == at(2026, 12, 8, 20, 0)


def test_a_line_that_never_opens_has_no_next_opening() -> None:
    never = parse_schedule({"mon-sun": "closed"})
    assert never.next_opening(at(2026, 11, 23, 10, 0), ITALY) is None


def test_groups_join_days_with_the_same_hours() -> None:
    assert [(a, b) for a, b, _ in LINE.groups()] == [(0, 4), (5, 5)]


@pytest.mark.parametrize(
    ("raw", "complaint"),
    [
        ({"mon-fri": "08:00-20:00", "fri-sun": "closed"}, "fri is given twice"),
        ({"monday": "08:00-20:00"}, "unknown day"),
        ({"fri-mon": "closed"}, "runs backwards"),
        ({"mon-sun": "25:00-26:00"}, "not valid times"),
        ({"mon-sun": "08:00-12:00, 11:00-13:00"}, "without overlapping"),
        (["mon"], "must be a mapping"),
    ],
)
def test_bad_hours_say_what_is_wrong(raw: object, complaint: str) -> None:
    with pytest.raises(ValueError, match=complaint):
        parse_schedule(raw)
