"""Repeated, alternated runs and their spread: how every comparison in ``bench/run.py`` is measured.

One run per side, the baseline always first, tells little on a shared 2-core machine: whatever else
the machine does lands on one side. So each side runs ``repeats`` times (at least 3), the sides
take turns (ours, baseline, ours, baseline, ...), and each figure is reported as the median of its
runs with its spread (min, max, and the runs themselves), never as a single best or first run.
"""

from __future__ import annotations

import statistics
from collections.abc import Callable, Iterable, Mapping
from typing import Any

MIN_REPEATS = 3


def alternate(sides: Mapping[str, Callable[[], dict]], repeats: int) -> dict[str, list[dict]]:
    """Run each side ``repeats`` times, taking turns in the order given; each side's results in order.

    The side that goes first changes every round (ours first, then the baseline first, ...), so
    neither side always runs on a machine still busy with the other's clean-up.
    """
    if repeats < 1:
        raise ValueError(f"repeats must be at least 1, got {repeats}")
    names = list(sides)
    runs: dict[str, list[dict]] = {name: [] for name in names}
    for round_ in range(repeats):
        for name in names if round_ % 2 == 0 else reversed(names):
            runs[name].append(sides[name]())
    return runs


def spread(values: Iterable[float], digits: int = 3) -> dict[str, Any]:
    """``{median, min, max, spread_pct, runs}`` of one figure; ``spread_pct`` is (max - min) / median."""
    runs = [float(v) for v in values]
    if not runs:
        raise ValueError("no runs to summarise")
    middle = statistics.median(runs)
    width = max(runs) - min(runs)
    return {"median": round(middle, digits), "min": round(min(runs), digits), "max": round(max(runs), digits),
            "spread_pct": round(100 * width / middle, 1) if middle else 0.0,
            "runs": [round(v, digits) for v in runs]}


def figure(runs: list[dict], key: str, digits: int = 3) -> dict[str, Any]:
    """``spread`` of ``key`` over a side's runs."""
    return spread((run[key] for run in runs), digits)


def ratio(ours: list[dict], base: list[dict], key: str, digits: int = 3) -> dict[str, Any]:
    """``spread`` of ours / baseline for ``key``, run by run (the i-th of each were taken in one round)."""
    return spread((a[key] / b[key] for a, b in zip(ours, base, strict=True)), digits)


def summarize(runs: list[dict], keys: Iterable[str], digits: int = 4) -> dict[str, Any]:
    """One side's runs as one result: the median run's other fields, each of ``keys`` as its median,
    and ``spread`` with every one of ``keys`` (a key missing from a run, or not a number, is left out)."""
    if not runs:
        raise ValueError("no runs to summarise")
    if any("error" in run or "skipped" in run for run in runs):
        return next(run for run in runs if "error" in run or "skipped" in run)
    numeric = [k for k in keys if all(isinstance(run.get(k), int | float) and not isinstance(run.get(k), bool)
                                      for run in runs)]
    middle = sorted(range(len(runs)), key=lambda i: runs[i][numeric[0]])[len(runs) // 2] if numeric else 0
    result = dict(runs[middle])
    figures = {k: spread((run[k] for run in runs), digits) for k in numeric}
    for key, fig in figures.items():
        whole = all(isinstance(run[key], int) for run in runs) and float(fig["median"]).is_integer()
        result[key] = int(fig["median"]) if whole else fig["median"]
    return {**result, "repeats": len(runs), "spread": figures}
