"""How figures are repeated and summarised: sides take turns, medians with their spread, nothing hidden."""

from __future__ import annotations

import pytest

from bench import stats


def test_sides_take_turns_and_the_first_side_changes_every_round():
    order: list[str] = []
    runs = stats.alternate({"ours": lambda: order.append("ours") or {"n": len(order)},
                            "base": lambda: order.append("base") or {"n": len(order)}}, 3)
    assert order == ["ours", "base", "base", "ours", "ours", "base"]
    assert [r["n"] for r in runs["ours"]] == [1, 4, 5] and [r["n"] for r in runs["base"]] == [2, 3, 6]
    with pytest.raises(ValueError, match="repeats"):
        stats.alternate({"ours": dict}, 0)


def test_spread_is_the_median_with_min_max_and_every_run():
    fig = stats.spread([1.2, 1.0, 1.5])
    assert fig == {"median": 1.2, "min": 1.0, "max": 1.5, "spread_pct": round(100 * 0.5 / 1.2, 1),
                   "runs": [1.2, 1.0, 1.5]}
    with pytest.raises(ValueError):
        stats.spread([])


def test_a_ratio_is_taken_run_by_run_within_each_round():
    ours, base = [{"s": 2.0}, {"s": 3.0}, {"s": 2.0}], [{"s": 1.0}, {"s": 3.0}, {"s": 4.0}]
    assert stats.ratio(ours, base, "s")["runs"] == [2.0, 1.0, 0.5]


def test_summarize_reports_medians_keeps_whole_numbers_whole_and_shows_every_run():
    runs = [{"pages": 302, "eff": 0.99, "note": "a"}, {"pages": 304, "eff": 0.98, "note": "b"},
            {"pages": 303, "eff": 0.97, "note": "c"}]
    out = stats.summarize(runs, ("pages", "eff", "missing"))
    assert out["pages"] == 303 and isinstance(out["pages"], int) and out["eff"] == 0.98
    assert out["note"] == "c"  # the other fields come from the run whose first figure is the median
    assert out["repeats"] == 3 and out["spread"]["pages"]["runs"] == [302, 304, 303]
    assert "missing" not in out["spread"]


def test_a_failed_run_is_the_result_not_averaged_away():
    runs = [{"pages": 1}, {"error": "RuntimeError: boom"}, {"pages": 3}]
    assert stats.summarize(runs, ("pages",)) == {"error": "RuntimeError: boom"}
