"""Run the benchmarks of issue 17 and report them as one JSON object, every figure with its spread.

    python bench/run.py --json                  # everything; JSON on stdout, progress on stderr
    python bench/run.py --only orders_sync,peer_orders_sync
    python bench/run.py --quick --json          # tiny sizes, one run each: the smoke test's run

Every comparison runs each side at least three times, the sides taking turns (``bench.stats``), and
reports the median with its spread (min, max, every run) under ``spread``. The baselines are meant to
be ones a skeptic accepts: the peer library as its users run it, lxml streaming the same bytes into
MD5, raw pika with pipelined confirms doing the same AES work. The result is also written to
``bench/results/latest.json`` (git-ignored) with the plots (``--results`` moves them). A benchmark
that raises is reported as ``{"error": ...}`` (exit status 1) and the others still run; ``targets``
says which of the issue's targets this run met (``bench/targets.py``).
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if __name__ == "__main__":  # run as a script: import bench as a package, and let none of its names shadow others
    sys.path[0] = str(ROOT)

import argparse  # noqa: E402
import contextlib  # noqa: E402
import gc  # noqa: E402
import json  # noqa: E402
import os  # noqa: E402
import platform  # noqa: E402
import time  # noqa: E402
import traceback  # noqa: E402
from collections.abc import Callable  # noqa: E402
from dataclasses import asdict, dataclass  # noqa: E402
from datetime import datetime, timezone  # noqa: E402
from typing import Any  # noqa: E402

from bench import feeds, items, listings, orders, peer, sailor, scale_out, startup, stats, targets  # noqa: E402
from bench.timeline import Event  # noqa: E402
from bench.world import START, progress, quiet_step_logs  # noqa: E402

RESULTS = ROOT / "bench" / "results"
PLOT_NAME = "orders_sync.png"
SCALE_OUT_PLOT = "scale_out.png"
SPREAD_PLOT = "spread.png"


@dataclass(frozen=True)
class Sizes:
    orders: int  # seeded orders for orders_sync and peer_orders_sync (~100 per ListOrders page)
    item_orders: int  # orders whose items order_items fetches (one ListOrderItems call or more each)
    feed_items: int
    sailor_messages: int
    scale_out: scale_out.Plan  # replicas (N), simulated seconds per run, seeded orders
    listings: int = 100_000  # listings in the merchant listings report list_products_100k reads
    repeats: int = stats.MIN_REPEATS  # runs of each side, alternated; figures are their medians
    million: int = 1_000_000  # SKUs in feed_build_1m's feed
    # the sailor's rate is the noisiest figure on a shared machine (one round's ratio ran 0.50 to 0.64):
    # its median is taken over more alternated rounds
    sailor_repeats: int = 5


FULL = Sizes(orders=30_000, item_orders=3_000, feed_items=100_000, sailor_messages=5_000, scale_out=scale_out.FULL)
QUICK = Sizes(orders=700, item_orders=40, feed_items=500, sailor_messages=20, scale_out=scale_out.QUICK,
              listings=2_000, repeats=1, million=2_000, sailor_repeats=1)
COLORS = {"orders_sync": "tab:blue", "peer_orders_sync": "tab:orange", "order_items": "tab:blue"}
LABELS = {"orders_sync": "ours (listOrders step)", "peer_orders_sync": "python-amazon-mws + tap loop",
          "order_items": "ours (listOrderItems step)"}
GROUPS = {"orders_sync": "ListOrders", "peer_orders_sync": "ListOrders", "order_items": "ListOrderItems"}

Run = Callable[[Sizes], tuple[dict, list | None]]


@dataclass(frozen=True)
class Bench:
    """One benchmark: its sides (ours first, then what it is compared with) and how they repeat.

    ``alternated``: the harness runs every side ``sizes.repeats`` times, taking turns
    (``stats.alternate``), and reports each side's ``keys`` as medians with their spread. Otherwise
    the benchmark alternates its own sides inside (each in a fresh process) and reports its spread.
    """

    sides: tuple[tuple[str, Run], ...]
    keys: tuple[str, ...] = ()
    alternated: bool = True


ORDER_KEYS = ("orders_efficiency", "throttled_ratio", "efficiency", "pages", "requests_to_last_order",
              "orders_per_virtual_hour", "virtual_hours", "peak_rss_mb", "real_seconds")
BENCHES = (
    Bench((("orders_sync", lambda s: orders.run(s.orders)), ("peer_orders_sync", lambda s: peer.run(s.orders))),
          ORDER_KEYS),
    Bench((("order_items", lambda s: items.run(s.item_orders)),),
          ("efficiency", "throttled_ratio", "pages", "virtual_hours", "real_seconds")),
    Bench((("feed_build_100k", lambda s: (feeds.run(s.feed_items, s.repeats), None)),), alternated=False),
    Bench((("feed_build_1m", lambda s: (feeds.run_million(s.million, s.repeats), None)),), alternated=False),
    Bench((("sailor_throughput", lambda s: (sailor.run(s.sailor_messages, s.sailor_repeats), None)),), alternated=False),
    Bench((("step_start", lambda s: (startup.run(max(s.repeats, 5)), None)),), alternated=False),
    Bench((("scale_out", lambda s: (scale_out.run(s.scale_out), None)),), alternated=False),
    Bench((("list_products_100k", lambda s: (listings.run(s.listings), None)),),
          ("rows_per_s", "peak_alloc_mib", "peak_alloc_mib_at_tenth")),
)
BENCHMARKS: dict[str, Run] = {name: run for bench in BENCHES for name, run in bench.sides}


def selected(only: str | None) -> list[str]:
    """The benchmarks ``--only`` names (comma-separated), in the standard order; all when absent."""
    if not only:
        return list(BENCHMARKS)
    wanted = [name.strip() for name in only.split(",") if name.strip()]
    unknown = [name for name in wanted if name not in BENCHMARKS]
    if unknown or not wanted:
        raise ValueError(f"--only: unknown benchmark(s) {', '.join(unknown) or '(none given)'}; "
                         f"choose from {', '.join(BENCHMARKS)}")
    return [name for name in BENCHMARKS if name in wanted]


def run_all(names: list[str], sizes: Sizes) -> tuple[dict[str, Any], dict[str, list[Event]]]:
    """Each benchmark's result, and the sandbox timelines of those that had one (each side's first run)."""
    results: dict[str, Any] = {}
    timelines: dict[str, list[Event]] = {}
    for bench in BENCHES:
        sides = {name: run for name, run in bench.sides if name in names}
        if not sides:
            continue
        began = time.perf_counter()
        runs = stats.alternate({name: _guarded(name, run, sizes) for name, run in sides.items()},
                               sizes.repeats if bench.alternated else 1)
        for name, outcomes in runs.items():
            events = next((e for _, e in outcomes if e), None)
            result = [r for r, _ in outcomes]
            results[name] = stats.summarize(result, bench.keys) if bench.alternated else result[0]
            if events:
                timelines[name] = events
        progress(f"{', '.join(sides)} done in {time.perf_counter() - began:.1f}s")
    return results, timelines


def _guarded(name: str, run: Run, sizes: Sizes) -> Callable[[], tuple[dict, list | None]]:
    """``run`` as one turn: a benchmark that raises is reported as ``{"error": ...}``, and the others go on."""
    def turn() -> tuple[dict, list | None]:
        gc.collect()  # the previous run's sandbox (tens of thousands of orders) goes before this one starts
        try:
            return run(sizes)
        except Exception as error:  # report it and go on: one broken benchmark must not hide the others
            traceback.print_exc(file=sys.stderr)
            return {"error": f"{name}: {type(error).__name__}: {error}"}, None
    return turn


def plot(timelines: dict[str, list[Event]], path: Path) -> Path:
    from bench.plot import Series, draw  # matplotlib only when there is something to draw

    return draw([Series(LABELS[n], GROUPS[n], events, COLORS[n]) for n, events in timelines.items()], START, path)


def plot_scale_out(result: dict | None, path: Path) -> Path | None:
    if not isinstance(result, dict) or not result.get("runs"):
        return None
    from bench.scale_out_plot import draw

    return draw(result, path)


def plot_spread(results: dict[str, Any], path: Path) -> Path | None:
    from bench.spread_plot import draw

    return draw(results, path)


def report(names: list[str], sizes: Sizes, quick: bool, results_dir: Path) -> dict[str, Any]:
    """Run ``names`` and assemble the one JSON object; write it and the plot under ``results_dir``."""
    started, began = datetime.now(timezone.utc), time.perf_counter()
    with contextlib.redirect_stdout(sys.stderr):  # whatever a step prints must not reach our stdout
        results, timelines = run_all(names, sizes)
        picture = plot(timelines, results_dir / PLOT_NAME) if timelines else None
        replicas = plot_scale_out(results.get("scale_out"), results_dir / SCALE_OUT_PLOT)
        results["targets"] = targets.evaluate(results)
        spreads = plot_spread(results, results_dir / SPREAD_PLOT)
    results["meta"] = {
        "quick": quick, "sizes": asdict(sizes), "repeats": sizes.repeats,
        "real_seconds": round(time.perf_counter() - began, 1),
        "started_utc": started.isoformat(timespec="seconds"), "python": platform.python_version(),
        "cpus": os.cpu_count(), "simulated_start": datetime.fromtimestamp(START, timezone.utc).isoformat(),
        "plot": _shown(picture) if picture else None,
        "scale_out_plot": _shown(replicas) if replicas else None,
        "spread_plot": _shown(spreads) if spreads else None,
    }
    results_dir.mkdir(parents=True, exist_ok=True)
    (results_dir / "latest.json").write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    return results


def _shown(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(ROOT))
    except ValueError:
        return str(path)


def summary(results: dict[str, Any]) -> str:
    """A few human lines: each benchmark's headline figures and each target's verdict."""
    lines = []
    for name, result in results.items():
        if name in ("targets", "meta"):
            continue
        keys = ("orders_efficiency", "efficiency", "throttled_ratio", "orders", "pages", "virtual_hours",
                "peak_rss_mb", "failures", "seconds", "lxml_baseline_seconds", "ratio", "same_bytes", "msgs_per_s",
                "pika_baseline_msgs_per_s", "step_start", "imports_seconds", "repeats", "skipped", "error",
                "redis_efficiency", "redis_throttled_ratio",
                "redis_min_max_share", "local_throttled_ratio", "local_failed_all", "redis_failed_all",
                "peak_alloc_mib", "peak_alloc_mib_at_tenth", "rows_per_s", "reemitted_per_change")
        lines.append(f"{name}: " + ", ".join(f"{k}={result[k]}" for k in keys if k in result))
    for name, verdict in results["targets"].items():
        state = {True: "PASS", False: "FAIL", None: "n/a"}[verdict["pass"]]
        goal = " (goal met)" if verdict["goal_met"] else ""
        lines.append(f"target {name} {verdict['target']}: {state}{goal} value={verdict['value']}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="bench/run.py", description=__doc__.split("\n\n")[0])
    parser.add_argument("--json", action="store_true", help="print exactly one JSON object on stdout")
    parser.add_argument("--only", metavar="NAME[,NAME]", help=f"run only these: {', '.join(BENCHMARKS)}")
    parser.add_argument("--quick", action="store_true", help="tiny sizes (seconds), for the smoke test")
    parser.add_argument("--results", type=Path, default=RESULTS, help="where latest.json and the PNG go")
    args = parser.parse_args(argv)
    try:
        names = selected(args.only)
    except ValueError as error:
        parser.error(str(error))
    quiet_step_logs()
    results = report(names, QUICK if args.quick else FULL, args.quick, args.results)
    print(json.dumps(results, indent=2) if args.json else summary(results))
    return 1 if any(isinstance(r, dict) and "error" in r for r in results.values()) else 0


if __name__ == "__main__":
    sys.exit(main())
