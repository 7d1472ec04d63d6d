"""The throughput bench runs end to end on the broker: both sides in processes of their own, alternated."""

from __future__ import annotations

import pytest

from bench.passthrough import input_body, measure_side, passthrough_throughput, same_output

from .conftest import AMQP_URI

pytestmark = pytest.mark.rabbitmq


def test_passthrough_throughput_reports_medians_spreads_and_startup():
    result = passthrough_throughput(40, AMQP_URI, prefetch=4, repeats=1)
    assert result["messages"] == 40 and result["prefetch"] == 4 and result["repeats"] == 1
    assert result["msgs_per_s"] > 0 and result["pika_baseline_msgs_per_s"] > 0
    assert result["message_bytes"] == len(input_body()) > 1000
    assert result["ratio"] == pytest.approx(result["msgs_per_s"] / result["pika_baseline_msgs_per_s"], rel=0.01)
    assert set(result["spread"]) == {"msgs_per_s", "pika_baseline_msgs_per_s", "ratio", "bare_msgs_per_s",
                                     "ratio_vs_bare"}
    assert result["spread"]["ratio"]["runs"] == [result["ratio"]]
    assert "pipelined" in result["baseline"] and "header table" in result["baseline"]
    assert result["same_output"] is True and result["output"]["baseline"] == result["output"]["sailor"]
    assert 0 < result["startup_seconds"] < 30


@pytest.mark.parametrize("side", ["sailor", "baseline", "bare"])
def test_each_side_moves_every_message(side):
    result = measure_side(side, 25, AMQP_URI, 5)  # wait_out would time out on a lost message
    assert result["side"] == side and result["messages"] == 25 and result["msgs_per_s"] > 0
    assert result["output"]["body_bytes"] > 1000 and "threadId" in result["output"]["headers"]


def test_same_output_tells_a_run_that_sent_other_headers_or_another_size():
    sent = {"headers": ["messageId", "parentMessageId", "threadId"], "body_bytes": 1752}
    assert same_output([{"output": sent}, {"output": dict(sent)}])
    assert not same_output([{"output": sent}, {"output": {**sent, "headers": ["messageId"]}}])
    assert not same_output([{"output": sent}, {"output": {**sent, "body_bytes": 1753}}])


def test_bench_refuses_zero_messages():
    with pytest.raises(ValueError, match="at least 1"):
        passthrough_throughput(0, AMQP_URI)
