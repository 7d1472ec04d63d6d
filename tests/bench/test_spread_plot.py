"""The run's picture shows every judged figure that has runs, and nothing when none has."""

from __future__ import annotations

from bench import spread_plot, stats, targets


def test_every_judged_figure_with_runs_gets_a_panel(tmp_path):
    results = {"sailor_throughput": {"ratio": 0.7, "spread": {"ratio": stats.spread([0.65, 0.7, 0.72])}},
               "feed_build_100k": {"same_bytes": True, "ratio": 0.8, "spread": {"ratio": stats.spread([0.8] * 3)}},
               "step_start": {"step_start": 0.5}}  # no runs: no panel
    results["targets"] = targets.evaluate(results)
    shown = [(t.name, verdict) for t, _, verdict in spread_plot.judged(results)]
    assert shown == [("feed_build_100k.ratio", True), ("sailor_throughput.ratio", True)]
    assert spread_plot.draw(results, tmp_path / "s.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert spread_plot.draw({"targets": {}}, tmp_path / "none.png") is None
