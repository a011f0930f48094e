"""Repeated timing of one call, reported as p50 and p95 in milliseconds."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable


def percentiles_ms(call: Callable[[], object], runs: int) -> tuple[float, float]:
    """(p50, p95) of `runs` timed calls, after one untimed warm-up call."""
    call()
    seconds = []
    for _ in range(runs):
        started = time.perf_counter()
        call()
        seconds.append(time.perf_counter() - started)
    seconds.sort()
    return 1000 * statistics.median(seconds), 1000 * seconds[int(0.95 * (len(seconds) - 1))]
