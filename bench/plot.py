"""The picture for the README: requests over simulated time against the quota ceiling.

One panel per throttle group. Solid lines count the requests each client got through
(cumulative), dashed lines the 503 throttled answers it ran into, and the black line is the most
Amazon's quota allows since the start (burst, then one per restore period). A client that paces
well hugs the ceiling with a flat dashed line at zero.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt

from lib.mws.operations import quotas

from .quota import group_of
from .timeline import Event

TITLES = {"ListOrders": "ListOrders + ByNextToken", "ListOrderItems": "ListOrderItems + ByNextToken"}


@dataclass(frozen=True)
class Series:
    label: str
    group: str
    events: list[Event]
    color: str


def _cumulative(events: list[Event], outcome: str, start: float) -> tuple[list[float], list[int]]:
    hours, counts, n = [0.0], [0], 0
    for event in events:
        if event.outcome == outcome:
            n += 1
            hours.append((event.t - start) / 3600)
            counts.append(n)
    return hours, counts


def _panel(ax, group: str, series: list[Series], start: float) -> None:
    quota = quotas()[group]
    end = max((e.t for s in series for e in s.events), default=start)
    hours = [i * (end - start) / 3600 / 200 for i in range(201)]
    ax.plot(hours, [quota.burst + h * 3600 / quota.restore_seconds for h in hours], color="black", lw=1.2,
            label=f"quota ceiling (burst {quota.burst}, 1 per {quota.restore_seconds:g} s)")
    for s in series:
        mine = [e for e in s.events if group_of(e.action) == group]
        ax.step(*_cumulative(mine, "ok", start), where="post", color=s.color, lw=1.6, label=f"{s.label}: answered")
        ax.step(*_cumulative(mine, "throttled", start), where="post", color=s.color, lw=1.2, ls="--",
                label=f"{s.label}: throttled (503)")
    ax.set_title(TITLES.get(group, group))
    ax.set_xlabel("simulated hours since the start")
    ax.set_ylabel("requests (cumulative)")
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8, loc="upper left")


def draw(series: list[Series], start: float, path: Path) -> Path:
    """Write the PNG to ``path``: one panel per throttle group found in ``series``."""
    groups = list(dict.fromkeys(s.group for s in series))
    fig, axes = plt.subplots(1, len(groups), figsize=(6.5 * len(groups), 4.6), squeeze=False)
    for ax, group in zip(axes[0], groups, strict=True):
        _panel(ax, group, [s for s in series if s.group == group], start)
    fig.suptitle("Requests over simulated time against Amazon's quota (mws_sandbox, same seeded orders)")
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=110, metadata={"Software": None})
    plt.close(fig)
    return path
