"""The picture of a whole run: every judged figure, each run as a dot, its median, and its target.

One small panel per target whose figure has runs (``spread`` in the result): the runs as dots, the
median as a bar, the target as a dashed line, and the verdict in the title, so the README shows
how far each figure sits from its target and how much it moved between runs.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt

from .targets import TARGETS, Target

COLUMNS = 3


def judged(results: dict[str, Any]) -> list[tuple[Target, dict[str, Any], bool | None]]:
    """(target, its figure's spread, verdict) for every numeric target whose figure has runs."""
    verdicts = results.get("targets", {})
    out = []
    for target in TARGETS:
        result = results.get(target.benchmark)
        figure = (result or {}).get("spread", {}).get(target.figure) if isinstance(result, dict) else None
        if figure and target.op != "is":
            out.append((target, figure, verdicts.get(target.name, {}).get("pass")))
    return out


def draw(results: dict[str, Any], path: Path) -> Path | None:
    """Write the PNG to ``path``; None when no figure has runs to show."""
    panels = judged(results)
    if not panels:
        return None
    rows = math.ceil(len(panels) / COLUMNS)
    fig, axes = plt.subplots(rows, COLUMNS, figsize=(4.2 * COLUMNS, 1.9 * rows), squeeze=False)
    for ax, (target, figure, verdict) in zip(axes.flat, panels, strict=False):
        runs = figure["runs"]
        color = {True: "tab:green", False: "tab:red", None: "0.5"}[verdict]
        ax.barh([0], [figure["median"]], height=0.5, color=color, alpha=0.35)
        ax.plot(runs, [0] * len(runs), "o", color=color, ms=5)
        ax.axvline(float(target.target), color="0.2", ls="--", lw=1)
        low = min(min(runs), float(target.target))
        high = max(max(runs), float(target.target))
        ax.set_xlim(min(0.0, low), high * 1.15 if high > 0 else 1.0)
        ax.set_yticks([])
        state = {True: "met", False: "MISSED", None: "not judged"}[verdict]
        ax.set_title(f"{target.name} {target.op} {target.target:g}: {state}\n"
                     f"median {figure['median']:g}, runs {figure['min']:g} to {figure['max']:g}", fontsize=8)
        ax.tick_params(labelsize=7)
        ax.grid(axis="x", alpha=0.3)
    for ax in list(axes.flat)[len(panels):]:
        ax.axis("off")
    fig.suptitle("Each judged figure: runs (dots), median (bar), target (dashed)", fontsize=10)
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=100, metadata={"Software": None})
    plt.close(fig)
    return path
