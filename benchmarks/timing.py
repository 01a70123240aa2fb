"""Timing a callable: median and 95th percentile after warm-up, and two side by side."""

from __future__ import annotations

import math
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext


@dataclass(frozen=True)
class Timing:
    median_ms: float
    p95_ms: float
    queries: int
    runs: int


def percentile(values: list[float], share: float) -> float:
    """Nearest rank: the smallest value with at least `share` of the values at or below."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


def timed(fn: Callable[[], Any], *, repeat: int, warmup: int) -> Timing:
    """Warm-up runs count the queries (the last one counts); the timed runs record nothing,
    so the timing carries no cost of recording queries."""
    return timed_together({"one": fn}, repeat=repeat, warmup=warmup)["one"]


def timed_together(
    fns: dict[str, Callable[[], Any]], *, repeat: int, warmup: int
) -> dict[str, Timing]:
    """Like `timed` for several functions, in turns (one run of each, then the next round),
    so that whatever else slows the machine for a while slows them all alike: the ratios
    between them (a page to the floor page) hold even on a shared machine."""
    queries = {}
    for key, fn in fns.items():
        for _ in range(max(1, warmup)):
            with CaptureQueriesContext(connection) as captured:
                fn()
            queries[key] = len(captured)
    times: dict[str, list[float]] = {key: [] for key in fns}
    for _ in range(repeat):
        for key, fn in fns.items():
            started = time.perf_counter()
            fn()
            times[key].append((time.perf_counter() - started) * 1000)
    return {
        key: Timing(
            median_ms=round(statistics.median(times[key]), 2),
            p95_ms=round(percentile(times[key], 0.95), 2),
            queries=queries[key],
            runs=repeat,
        )
        for key in fns
    }
