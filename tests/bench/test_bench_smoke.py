"""Smoke test: ``bench/run.py --quick --json`` runs every benchmark at a tiny size, end to end.

It runs the script as a user would (a subprocess, so the peer's ``mws`` cannot be shadowed by
``tests/mws``), and checks the shape and the sense of what comes back, so the harness cannot rot.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from mws_sandbox import Sandbox

from bench.world import SEED

ROOT = Path(__file__).resolve().parents[2]
NAMES = ("orders_sync", "peer_orders_sync", "order_items", "feed_build_100k", "feed_build_1m", "sailor_throughput",
         "step_start")


def bench(*args: str, results: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "bench/run.py", *args, "--results", str(results)], cwd=ROOT,
                          capture_output=True, text=True, timeout=120, check=False)


@pytest.fixture(scope="module")
def quick(tmp_path_factory) -> tuple[dict, Path, subprocess.CompletedProcess]:
    results = tmp_path_factory.mktemp("bench")
    done = bench("--quick", "--json", results=results)
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout), results, done  # json.loads: stdout is exactly one JSON object


def test_every_benchmark_ran_without_error(quick):
    report, _, _ = quick
    assert set(NAMES) <= set(report)
    assert [n for n in NAMES if "error" in report[n]] == []
    assert report["meta"]["quick"] is True


def test_our_backfill_got_every_order_within_the_quota(quick):
    ours = quick[0]["orders_sync"]
    assert ours["complete"] and ours["orders"] == ours["orders_in_sandbox"] > 0
    assert ours["pages"] > ours["quota"]["burst"]  # past the burst: pacing was exercised
    assert ours["throttled"] == 0 and ours["step_errors"] == []
    assert 0 < ours["efficiency"] <= 1 and ours["pages"] <= ours["quota_allows"]
    assert 0 < ours["orders_efficiency"] <= 1 and ours["orders_ceiling"] >= ours["orders"]
    assert 0 < ours["peak_rss_mb"] < 1000 and ours["virtual_hours"] > 0
    assert ours["repeats"] == 1 and ours["spread"]["orders_efficiency"]["runs"] == [ours["orders_efficiency"]]


def test_the_peer_got_every_order_and_ran_into_the_quota(quick):
    peer = quick[0]["peer_orders_sync"]
    assert peer["complete"] and peer["failures"] == 0
    assert peer["throttled"] > 0  # no pacing of its own: the page after the burst is throttled
    assert peer["throttled_ratio"] == round(peer["throttled"] / peer["requests"], 4)


def test_order_items_paced_every_call(quick):
    items = quick[0]["order_items"]
    assert items["pages"] >= items["orders"] > items["quota"]["burst"]
    assert items["failed_orders"] == 0 and items["throttled"] == 0 and items["items"] >= items["orders"]


def test_both_feed_builders_wrote_the_same_bytes(quick):
    feed = quick[0]["feed_build_100k"]
    assert feed["same_bytes"] is True
    assert feed["seconds"] > 0 and feed["lxml_baseline_seconds"] > 0
    ours, base, half = feed["seconds"], feed["lxml_baseline_seconds"], 0.0005  # both rounded to ms
    low, high = (ours - half) / (base + half), (ours + half) / max(base - half, 1e-9)  # at quick sizes, ms matter
    assert low - 0.005 <= feed["ratio"] <= high + 0.005


def test_sailor_measured_or_said_why_not(quick):
    sailor = quick[0]["sailor_throughput"]
    if "skipped" in sailor:
        assert "RabbitMQ" in sailor["skipped"]
    else:
        assert sailor["msgs_per_s"] > 0 and sailor["pika_baseline_msgs_per_s"] > 0 and sailor["startup_seconds"] > 0
        assert "guest" not in json.dumps(sailor)  # the broker's password stays out
        # the judged baseline sent what the sailor sent: the platform's header table and the same body size
        out = sailor["output"]
        assert sailor["same_output"] is True and out["baseline"] == out["sailor"]
        assert {"threadId", "messageId", "parentMessageId", "execId", "stepId", "start", "end"} <= set(out["sailor"]["headers"])
        assert out["bare"]["headers"] == ["messageId", "parentMessageId", "threadId"]
        assert out["bare"]["body_bytes"] == out["sailor"]["body_bytes"]
        assert sailor["bare_msgs_per_s"] > 0 and sailor["ratio_vs_bare"] > 0


def test_targets_judge_every_goal_of_the_issue(quick):
    targets = quick[0]["targets"]
    assert {"orders_sync.orders_efficiency", "orders_sync.throttled_ratio", "feed_build_100k.ratio",
            "feed_build_100k.same_bytes", "feed_build_1m.peak_rss_mb", "sailor_throughput.ratio",
            "sailor_throughput.same_output",
            "step_start.step_start"} <= set(targets)
    assert all(t["pass"] in (True, False, None) for t in targets.values())


def test_results_file_and_plot_are_written(quick):
    report, results, done = quick
    assert json.loads((results / "latest.json").read_text()) == report
    assert (results / "orders_sync.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert report["meta"]["plot"].endswith("orders_sync.png")
    assert (results / "spread.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_no_secret_reaches_output(quick):
    _, results, done = quick
    creds = Sandbox(seed=SEED).credentials("http://unused")  # the same seed gives the same keys
    printed = done.stdout + done.stderr + (results / "latest.json").read_text()
    assert creds["secretKey"] not in printed and creds["mwsAuthToken"] not in printed


def test_only_runs_the_named_benchmarks_and_rejects_unknown_ones(tmp_path):
    done = bench("--quick", "--json", "--only", "feed_build_100k", results=tmp_path)
    assert done.returncode == 0, done.stderr[-2000:]
    assert set(json.loads(done.stdout)) == {"feed_build_100k", "targets", "meta"}
    wrong = bench("--only", "orders,feed_build_100k", results=tmp_path)
    assert wrong.returncode == 2 and "unknown benchmark(s) orders" in wrong.stderr
