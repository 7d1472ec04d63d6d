"""``mws-component sailor`` as a real process: crash safety, graceful SIGTERM, secrets kept out of logs."""

from __future__ import annotations

import signal

import pytest

from .conftest import CRYPTO_PASSWORD, sailor_env, step_data
from .harness import SailorProcess, wait_for

pytestmark = pytest.mark.rabbitmq


@pytest.fixture
def processes(tmp_path):
    started: list[SailorProcess] = []

    def start(env, name="sailor"):
        proc = SailorProcess(env, tmp_path / f"{name}.log")
        started.append(proc)
        return proc

    yield start
    for proc in started:
        proc.stop()


def test_sigkill_mid_message_leaves_it_to_be_redelivered(topology, platform, cipher, tmp_path, processes):
    marker = tmp_path / "started"
    platform.steps[("flow-1", "step_2")] = step_data({"marker": str(marker), "seconds": 60})
    sailor = processes(sailor_env(topology, platform, "slow"))
    sailor.wait_listening(topology)
    message_id = topology.publish_input({"body": {"n": 7}}, cipher=cipher)
    assert wait_for(marker.exists, timeout=15), sailor.output()
    assert topology.input_state()[0] == 0  # in the sailor's hands, not acked
    sailor.proc.send_signal(signal.SIGKILL)
    sailor.proc.wait(10)
    assert wait_for(lambda: topology.input_state()[0] == 1, timeout=10), "message was not returned to the queue"
    method, props, body = topology.channel.basic_get(topology.input_queue, auto_ack=True)
    assert method.redelivered is True
    assert props.headers["messageId"] == message_id
    assert cipher.decode(body, 1) == {"body": {"n": 7}}
    assert topology.get("data", timeout=0.2) is None


def test_sigterm_drains_in_flight_messages_and_exits_0(topology, platform, cipher, tmp_path, processes):
    marker = tmp_path / "started"
    platform.steps[("flow-1", "step_2")] = step_data({"marker": str(marker), "seconds": 1.5})
    sailor = processes(sailor_env(topology, platform, "slow", RABBITMQ_PREFETCH_SAILOR=2))
    sailor.wait_listening(topology)
    for n in (1, 2):
        topology.publish_input({"body": {"n": n}}, cipher=cipher)
    assert wait_for(lambda: marker.exists() and len(marker.read_text().split()) == 2, timeout=15), sailor.output()
    sailor.proc.send_signal(signal.SIGTERM)
    assert sailor.proc.wait(20) == 0, sailor.output()
    outs = [topology.get("data", timeout=2) for _ in range(2)]
    assert sorted(cipher.decode(body, 1)["body"]["done"] for _, body in outs) == [1, 2]
    assert topology.input_state() == (0, 0)  # both acked before the process left
    assert "Finished shutdown" in sailor.output()


def test_sigterm_stops_consuming_new_messages(topology, platform, cipher, tmp_path, processes):
    marker = tmp_path / "started"
    platform.steps[("flow-1", "step_2")] = step_data({"marker": str(marker), "seconds": 1})
    sailor = processes(sailor_env(topology, platform, "slow"))
    sailor.wait_listening(topology)
    topology.publish_input({"body": {"n": 1}}, cipher=cipher)
    assert wait_for(marker.exists, timeout=15)
    sailor.proc.send_signal(signal.SIGTERM)
    topology.publish_input({"body": {"n": 2}}, cipher=cipher)  # arrives while draining
    assert sailor.proc.wait(20) == 0, sailor.output()
    assert topology.depth(topology.input_queue) == 1  # left for the next container
    assert marker.read_text().split() == ["1"]


def test_secrets_never_reach_the_logs(topology, platform, cipher, processes):
    creds = {"apiKey": "cred-api-key-4242", "passphrase": "open-sesame-8080", "account": "acc-1"}
    platform.steps[("flow-1", "step_2")] = step_data(creds)
    outputs = []
    for function in ("passthrough", "fail"):
        sailor = processes(sailor_env(topology, platform, function, LOG_LEVEL="trace"), name=function)
        sailor.wait_listening(topology)
        topology.publish_input({"body": {"n": 1}}, cipher=cipher)
        assert topology.get("data" if function == "passthrough" else "error") is not None
        sailor.proc.send_signal(signal.SIGTERM)
        assert sailor.proc.wait(20) == 0
        outputs.append(sailor.output())
    logs = "\n".join(outputs)
    assert "passthrough got cfg" in logs and "acc-1" in logs  # the step did log its cfg
    for secret in ("cred-api-key-4242", "open-sesame-8080", platform.key, CRYPTO_PASSWORD):
        assert secret not in logs


def test_missing_variable_is_named_and_exits_1(topology, platform, processes):
    env = sailor_env(topology, platform, "passthrough")
    env["ELASTICIO_LISTEN_MESSAGES_ON"] = ""
    sailor = processes(env)
    assert sailor.proc.wait(30) == 1
    assert "ELASTICIO_LISTEN_MESSAGES_ON is missing" in sailor.output()
