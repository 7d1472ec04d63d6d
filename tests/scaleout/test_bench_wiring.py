"""The scale_out benchmark is wired like the others: in bench/run.py, judged by bench/targets.py, drawn."""

from __future__ import annotations

from bench import run, scale_out, targets
from bench.scale_out_plot import draw


def _run(mode: str, n: int, throttled: float, share: float) -> dict:
    return {"mode": mode, "replicas": n, "efficiency": 0.99, "throttled_ratio": throttled, "failed": 0,
            "min_max_share": share}


def test_scale_out_runs_with_the_others_and_its_targets_are_judged_on_n_equal_4(tmp_path):
    assert "scale_out" in run.BENCHMARKS and run.QUICK.scale_out.replicas == (4,)
    result = scale_out.headline({"runs": [_run("redis", 1, 0.0, 1.0), _run("redis", 4, 0.03, 0.9),
                                          _run("local", 4, 0.05, 0.2), _run("local", 8, 0.2, 0.3)],
                                 "sim_seconds": 60.0})
    assert result["redis_throttled_ratio"] == 0.03 and result["local_worst_throttled_ratio"] == 0.2
    verdicts = targets.evaluate({"scale_out": result})
    assert verdicts["scale_out.redis_throttled_ratio"]["pass"] is False  # 3% is over the 2% target
    assert verdicts["scale_out.redis_min_max_share"]["pass"] is True
    assert verdicts["scale_out.local_throttled_ratio"]["pass"] is True
    assert draw(result, tmp_path / "s.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_without_redis_the_redis_targets_say_why_not():
    result = scale_out.headline({"runs": [_run("local", 4, 0.05, 0.2)], "sim_seconds": 60.0})
    verdict = targets.evaluate({"scale_out": result})["scale_out.redis_efficiency"]
    assert verdict["pass"] is None
