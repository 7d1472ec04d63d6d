"""The scale_out picture for the README: N replicas against one seller's quota, with and without Redis.

Left: aggregate efficiency against the quota ceiling, per N and mode. Middle: the share of requests
Amazon throttled. Right: min/max share of the work per replica (1.0: perfectly even). The dashed
lines are the issue's targets at N = 4.
"""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt

MODES = {"redis": ("shared quota (Redis)", "tab:blue"), "local": ("no Redis: adaptive rate", "tab:orange")}
PANELS = (("efficiency", "efficiency against the quota ceiling", 0.95),
          ("throttled_ratio", "throttled ratio", 0.02),
          ("min_max_share", "min/max messages per replica", 0.8))


def draw(result: dict, path: Path) -> Path:
    """Write the PNG to ``path`` from ``scale_out``'s result (its ``runs``)."""
    fig, axes = plt.subplots(1, len(PANELS), figsize=(15, 4.2))
    ns = sorted({r["replicas"] for r in result["runs"]})
    width = 0.38
    for ax, (key, title, target) in zip(axes, PANELS, strict=True):
        for k, (mode, (label, color)) in enumerate(MODES.items()):
            mine = {r["replicas"]: r[key] for r in result["runs"] if r["mode"] == mode}
            xs = [i + (k - 0.5) * width for i, n in enumerate(ns) if n in mine]
            ax.bar(xs, [mine[n] for n in ns if n in mine], width, color=color, label=label)
        ax.axhline(target, color="0.3", ls="--", lw=1, label=f"target at N = 4 ({target:g})")
        if key == "throttled_ratio":
            ax.axhline(0.10, color="tab:orange", ls=":", lw=1, label="target without Redis (0.10)")
        ax.set_xticks(range(len(ns)), [f"N = {n}" for n in ns])
        ax.set_title(title)
        ax.grid(alpha=0.3, axis="y")
        ax.legend(fontsize=8)
    fig.suptitle(f"listOrderItems replicas as separate processes against one sandbox seller "
                 f"({result['sim_seconds']:g} simulated s each)")
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=100, metadata={"Software": None})
    plt.close(fig)
    return path
