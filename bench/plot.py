"""The picture for the README: what each client got out of Amazon's quota over simulated time.

One column per throttle group. Top: the whole run under the most Amazon's quota allows since the
start (grey: the burst, then one per restore period). For ListOrders it counts orders delivered
against a full page (100) on every request the quota allows, since part-filled pages cost whole
requests; for other groups, requests answered. Dashed: the 503 throttled answers each client ran
into. Bottom: the first minutes close up, one mark per request (dot answered, cross throttled),
where pacing and retry loops differ.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
from matplotlib.ticker import MaxNLocator

from mws_component.lib.mws.operations import Quota, quotas

from .quota import ORDERS_PER_PAGE, group_of
from .timeline import Event

TITLES = {"ListOrders": "ListOrders + ByNextToken", "ListOrderItems": "ListOrderItems + ByNextToken"}
ZOOM_PERIODS = 12  # the close-up spans this many restore periods after the burst


@dataclass(frozen=True)
class Series:
    label: str
    group: str
    events: list[Event]
    color: str


def _cumulative(events: list[Event], outcome: str, start: float, scale: float) -> tuple[list[float], list[int]]:
    times, counts, n = [0.0], [0], 0
    for event in events:
        if event.outcome == outcome:
            n += 1
            times.append((event.t - start) / scale)
            counts.append(n)
    return times, counts


def _ceiling(ax, quota: Quota, seconds: float, scale: float, per_request: int = 1) -> None:
    steps = range(math.floor(seconds / quota.restore_seconds) + 2)
    unit = f", {per_request} orders each" if per_request > 1 else ""
    ax.step([k * quota.restore_seconds / scale for k in steps], [(quota.burst + k) * per_request for k in steps],
            where="post", color="0.6", lw=4, alpha=0.6, zorder=1,
            label=f"quota ceiling (burst {quota.burst}, 1 per {quota.restore_seconds:g} s{unit})")


def _delivered(events: list[Event], start: float, scale: float) -> tuple[list[float], list[int]]:
    times, counts, n = [0.0], [0], 0
    for event in events:
        if event.outcome == "ok":
            n += event.listed
            times.append((event.t - start) / scale)
            counts.append(n)
    return times, counts


def _whole_run(ax, quota: Quota, series: list[Series], start: float, orders: bool) -> None:
    end = max((e.t for s in series for e in s.events), default=start)
    _ceiling(ax, quota, end - start, 3600, ORDERS_PER_PAGE if orders else 1)
    for s in series:
        answered = _delivered(s.events, start, 3600) if orders else _cumulative(s.events, "ok", start, 3600)
        ax.step(*answered, where="post", color=s.color, lw=1.4, zorder=3,
                label=f"{s.label}: {'orders delivered' if orders else 'answered'}")
    side = ax.twinx() if orders else ax  # throttled answers are requests: their own axis beside orders
    for s in series:
        side.step(*_cumulative(s.events, "throttled", start, 3600), where="post", color=s.color, lw=1.4, ls="--",
                  zorder=2, label=f"{s.label}: throttled (503){', right axis' if orders else ''}")
    if orders:
        side.set_ylabel("throttled requests (cumulative)")
        lines, labels = ax.get_legend_handles_labels()
        more, more_labels = side.get_legend_handles_labels()
        ax.legend(lines + more, labels + more_labels, fontsize=8, loc="upper left")
    ax.set_xlabel("simulated hours since the start")
    ax.set_ylabel("orders delivered (cumulative)" if orders else "requests (cumulative)")


def _close_up(ax, quota: Quota, series: list[Series], start: float) -> None:
    seconds = ZOOM_PERIODS * quota.restore_seconds
    scale, unit = (60, "minutes") if seconds >= 300 else (1, "seconds")
    _ceiling(ax, quota, seconds, scale)
    for s in series:
        answered = 0
        for event in (e for e in s.events if e.t - start <= seconds):
            answered += event.outcome == "ok"
            ax.plot((event.t - start) / scale, answered, "o" if event.outcome == "ok" else "x", color=s.color,
                    ms=4 if event.outcome == "ok" else 7, mew=1.5, zorder=3)
        ax.plot([], [], "o", color=s.color, ms=4, label=f"{s.label}: answered")
        ax.plot([], [], "x", color=s.color, ms=7, mew=1.5, label=f"{s.label}: throttled")
    ax.set_xlim(-seconds / scale * 0.02, seconds / scale)
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_xlabel(f"simulated {unit} since the start (close-up)")
    ax.set_ylabel("requests answered so far")


def draw(series: list[Series], start: float, path: Path) -> Path:
    """Write the PNG to ``path``: one column per throttle group found in ``series``."""
    groups = list(dict.fromkeys(s.group for s in series))
    fig, axes = plt.subplots(2, len(groups), figsize=(6.8 * len(groups), 8.4), squeeze=False)
    for column, group in enumerate(groups):
        mine = [Series(s.label, s.group, [e for e in s.events if group_of(e.action) == group], s.color)
                for s in series if s.group == group]
        quota = quotas()[group]
        _whole_run(axes[0][column], quota, mine, start, orders=group == "ListOrders")
        _close_up(axes[1][column], quota, mine, start)
        axes[0][column].set_title(TITLES.get(group, group))
        for ax in axes[:, column]:
            ax.grid(alpha=0.3)
            if ax.get_legend() is None:
                ax.legend(fontsize=8, loc="upper left")
    fig.suptitle("Amazon's quota, used (sandbox, same seeded orders, simulated time)")
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=100, metadata={"Software": None})
    plt.close(fig)
    return path
