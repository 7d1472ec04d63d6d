"""``mws-component platform``: a stand-in platform that lets a real sailor run a step on the local broker.

The first test runs the README's block (``README_BLOCK``) verbatim with bash: a real sandbox, a real
``mws-component platform`` and a real ``mws-component sailor`` process on the real RabbitMQ; the step's
output must be the order's items, exactly what ``mws-component run`` prints for the same order. The
others drive ``mws-component platform`` as a process against the sailor test component with an
in-process sailor: every kind of output, the env file, time-outs, SIGTERM, an unreachable broker.
Every run's flow has a fresh name, and each test checks that the flow is deleted afterwards.
"""

from __future__ import annotations

import json
import os
import shlex
import signal
import stat
import subprocess
import sys
from pathlib import Path

import pika
import pika.exceptions as px
import pytest
from eiosdk.sailor.local_platform import StepNames, decode_output
from eiosdk.sailor.settings import load_settings

from .conftest import AMQP_URI, FIXTURE_COMPONENT
from .harness import REPO, running_sailor, wait_for

pytestmark = pytest.mark.rabbitmq

ORDER_ID = "058-1233752-8214740"
# The block proposed for README.md "sail: running a step"; it runs after the sandbox block, with creds.json.
README_BLOCK = """\
rm -f step.env
mws-component platform listOrderItems --credentials creds.json --env-out step.env \\
    --body '{"amazonOrderId": "058-1233752-8214740"}' --expect 1 & platform=$!
until [ -s step.env ] || ! kill -0 "$platform" 2>/dev/null; do sleep 0.2; done
(set -a; . ./step.env; exec mws-component sailor >sailor.log) & sailor=$!
wait "$platform"                 # prints the step's output as a JSON line; exits 0 after 1 output
kill "$sailor"; wait "$sailor"   # SIGTERM: the sailor finishes what it holds and exits 0
"""
BLOCK_TIMEOUT = 120


def _env() -> dict[str, str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("ELASTICIO_")}
    clean["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), clean.get("PATH", "")])
    return clean


def _stop_group(process: subprocess.Popen) -> None:
    try:
        os.killpg(process.pid, signal.SIGTERM)
    except ProcessLookupError:
        return
    try:
        process.wait(20)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(10)


@pytest.fixture
def sandbox_dir(tmp_path):
    """A directory with ``creds.json`` of a running sandbox, started as the README starts it."""
    log = (tmp_path / "sandbox.log").open("wb")
    sandbox = subprocess.Popen(["mws-component", "sandbox", "--port", "0", "--credentials-out", "creds.json",
                                "--orders", "3", "--seed", "1"], cwd=tmp_path, env=_env(), stdout=log,
                               stderr=subprocess.STDOUT, start_new_session=True)
    try:
        creds = tmp_path / "creds.json"
        assert wait_for(lambda: (creds.is_file() and creds.stat().st_size) or sandbox.poll() is not None, 60)
        assert sandbox.poll() is None, (tmp_path / "sandbox.log").read_text()
        yield tmp_path
    finally:
        _stop_group(sandbox)
        log.close()


def _read_env(path: Path) -> dict[str, str]:
    """The env file as the shell reads it (``KEY=value``, values shell-quoted where needed)."""
    pairs = (line.split("=", 1) for line in path.read_text(encoding="utf-8").splitlines() if line)
    return {key: (shlex.split(value) or [""])[0] for key, value in pairs}


def _flow_exists(names: list[str]) -> list[str]:
    """Which of these queues still exist on the broker."""
    left = []
    with pika.BlockingConnection(pika.URLParameters(AMQP_URI)) as connection:
        for queue in names:
            channel = connection.channel()
            try:
                channel.queue_declare(queue, passive=True)
            except px.ChannelClosedByBroker:
                continue
            left.append(queue)
            channel.close()
    return left


def _queues(env: dict[str, str]) -> list[str]:
    flow, step = env["ELASTICIO_FLOW_ID"], env["ELASTICIO_STEP_ID"]
    return [env["ELASTICIO_LISTEN_MESSAGES_ON"], *(f"{flow}:{step}:{r}" for r in ("data", "error", "snapshot", "rebound"))]


def _secrets(env: dict[str, str]) -> list[str]:
    return [env["ELASTICIO_MESSAGE_CRYPTO_PASSWORD"], env["ELASTICIO_API_KEY"]]


def test_the_readme_block_runs_a_step_through_a_real_sailor(sandbox_dir):
    out, err = sandbox_dir / "block.stdout", sandbox_dir / "block.stderr"
    with out.open("wb") as o, err.open("wb") as e:
        block = subprocess.Popen(["bash", "-e", "-c", README_BLOCK], cwd=sandbox_dir, env=_env(), stdout=o,
                                 stderr=e, stdin=subprocess.DEVNULL, start_new_session=True)
        try:
            code = block.wait(BLOCK_TIMEOUT)
        except subprocess.TimeoutExpired:
            code = None
        finally:
            _stop_group(block)  # whatever the block left running, also when it failed
    stdout, stderr = out.read_text(), err.read_text()
    sailor_log = (sandbox_dir / "sailor.log").read_text() if (sandbox_dir / "sailor.log").exists() else ""
    assert code == 0, f"exit {code}\n--- stdout\n{stdout}\n--- stderr\n{stderr}\n--- sailor.log\n{sailor_log[-3000:]}"

    records = [json.loads(line) for line in stdout.splitlines()]
    assert [r["event"] for r in records] == ["data"]
    body = records[0]["message"]["body"]
    assert body["amazonOrderId"] == ORDER_ID and body["orderItems"]
    direct = subprocess.run(["mws-component", "run", "listOrderItems", "--credentials", "creds.json", "--body",
                             json.dumps({"amazonOrderId": ORDER_ID})], cwd=sandbox_dir, env=_env(),
                            capture_output=True, text=True, timeout=60)
    assert direct.returncode == 0, direct.stderr
    assert [json.loads(line) for line in direct.stdout.splitlines()] == [body]  # same as `run` prints

    env_file = sandbox_dir / "step.env"
    assert stat.S_IMODE(env_file.stat().st_mode) == 0o600
    env = _read_env(env_file)
    assert env["ELASTICIO_FUNCTION"] == "listOrderItems"
    assert not _flow_exists(_queues(env)), "the platform must delete the flow it declared"
    secret_key = json.loads((sandbox_dir / "creds.json").read_text())["secretKey"]
    for secret in [*_secrets(env), secret_key]:
        assert secret not in stdout + stderr + sailor_log
    assert "could not cancel the consumer" not in sailor_log  # the sailor stopped promptly after the flow went


class PlatformProcess:
    """``mws-component platform`` as a process on the sailor test component."""

    def __init__(self, tmp_path: Path, step: str, *args: str, api_key: str = "key-0f3c9a7e55") -> None:
        self.env_file = tmp_path / f"{step}.env"
        creds = tmp_path / "creds.json"
        creds.write_text(json.dumps({"apiKey": api_key, "account": "acct-1"}))
        self.api_key = api_key
        self.out, self.err = tmp_path / f"{step}.stdout", tmp_path / f"{step}.stderr"
        with self.out.open("wb") as o, self.err.open("wb") as e:
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "mws_component.cli", "platform", step, "--credentials", str(creds),
                 "--component-path", str(FIXTURE_COMPONENT), "--env-out", str(self.env_file), *args],
                cwd=REPO, env=_env(), stdout=o, stderr=e)

    def wait_env(self) -> dict[str, str]:
        assert wait_for(lambda: self.env_file.exists() or self.proc.poll() is not None, 30)
        assert self.env_file.exists(), self.stderr()
        return _read_env(self.env_file)

    def wait(self, timeout: float = 30) -> int:
        return self.proc.wait(timeout)

    def records(self) -> list[dict]:
        return [json.loads(line) for line in self.out.read_text().splitlines()]

    def stderr(self) -> str:
        return self.err.read_text()

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(10)


@pytest.fixture
def platform_process(tmp_path):
    started: list[PlatformProcess] = []

    def start(step: str, *args: str) -> PlatformProcess:
        started.append(PlatformProcess(tmp_path, step, *args))
        return started[-1]

    yield start
    for process in started:
        process.stop()


def _run_step(platform_process, step: str, *args: str) -> tuple[PlatformProcess, dict[str, str], int]:
    """Start the platform, run an in-process sailor with the env it wrote until the platform exits."""
    platform = platform_process(step, *args)
    env = platform.wait_env()
    with running_sailor(env, FIXTURE_COMPONENT):
        code = platform.wait()
    return platform, env, code


def test_data_and_snapshot_outputs_are_printed_and_counted(platform_process):
    platform, env, code = _run_step(platform_process, "tick", "--expect", "2")
    assert code == 0, platform.stderr()
    records = platform.records()
    assert sorted(r["event"] for r in records) == ["data", "updateSnapshot"]
    by_event = {r["event"]: r for r in records}
    assert by_event["data"]["message"]["body"] == {"n": 1, "vars": {}}
    assert by_event["updateSnapshot"]["snapshot"] == {"n": 1}
    assert not _flow_exists(_queues(env))


def test_several_bodies_are_published_in_order(platform_process):
    platform, env, code = _run_step(platform_process, "passthrough", "--body", '{"a": 1}', "--body", '{"a": 2}',
                                    "--expect", "2")
    assert code == 0, platform.stderr()
    assert [r["message"]["body"] for r in platform.records()] == [{"a": 1}, {"a": 2}]
    assert "published 2 message(s)" in platform.stderr()
    output = platform.out.read_text() + platform.stderr()
    for secret in [*_secrets(env), platform.api_key]:
        assert secret not in output


def test_an_error_is_decrypted_with_its_input_and_fails_the_run(platform_process):
    platform, env, code = _run_step(platform_process, "fail", "--body", '{"x": 1}', "--expect", "1")
    assert code == 1
    (record,) = platform.records()
    assert record["event"] == "error" and record["error"]["name"] == "ValueError"
    assert record["errorInput"]["body"] == {"x": 1}
    assert platform.api_key not in platform.out.read_text() + platform.stderr()
    assert not _flow_exists(_queues(env))


def test_a_rebound_shows_reason_iteration_and_message(platform_process):
    platform, _env_, code = _run_step(platform_process, "rebound", "--body", '{"y": 2}', "--expect", "1")
    assert code == 0, platform.stderr()
    (record,) = platform.records()
    assert record["event"] == "rebound" and record["reason"] == "resource locked, try later"
    assert record["iteration"] == 1 and record["expiration"] == 15000
    assert record["message"]["body"] == {"y": 2}


def test_the_env_file_is_a_complete_sailor_environment_readable_by_the_shell(platform_process):
    platform = platform_process("tick", "--timeout", "30")
    env = platform.wait_env()
    assert stat.S_IMODE(platform.env_file.stat().st_mode) == 0o600
    settings = load_settings(env)  # raises on a missing variable
    assert settings.function == "tick" and len(env["ELASTICIO_MESSAGE_CRYPTO_IV"].encode()) == 16
    assert env["ELASTICIO_COMPONENT_PATH"] == str(FIXTURE_COMPONENT.resolve())
    sourced = subprocess.run(["bash", "-c", f"set -a; . {shlex.quote(str(platform.env_file))}; env"],
                             capture_output=True, text=True, env={"PATH": os.environ["PATH"]})
    shell = dict(line.split("=", 1) for line in sourced.stdout.splitlines() if line.startswith("ELASTICIO_"))
    assert shell == env
    assert _flow_exists(_queues(env)) == _queues(env)
    os.kill(platform.proc.pid, signal.SIGTERM)  # SIGTERM stops it and deletes the flow
    assert platform.wait() == 130
    assert not _flow_exists(_queues(env))
    assert "deleted" in platform.stderr()


def test_without_a_sailor_it_times_out_and_deletes_the_flow(platform_process):
    platform = platform_process("tick", "--expect", "1", "--timeout", "1")
    env = platform.wait_env()
    assert platform.wait() == 1
    assert "no sailor consumed" in platform.stderr()
    assert platform.records() == []
    assert not _flow_exists(_queues(env))


def test_an_unreachable_broker_is_one_line_without_the_password(platform_process):
    platform = platform_process("tick", "--amqp-uri", "amqp://guest:pw-9d1e77@127.0.0.1:1/%2F")
    assert platform.wait() == 2
    assert "cannot connect to RabbitMQ at 127.0.0.1:1" in platform.stderr()
    assert "pw-9d1e77" not in platform.stderr() and "Traceback" not in platform.stderr()
    assert not platform.env_file.exists()


def test_a_missing_required_credential_or_unknown_step_is_bad_input(tmp_path):
    base = [sys.executable, "-m", "mws_component.cli", "platform", "--component-path", str(FIXTURE_COMPONENT),
            "--env-out", str(tmp_path / "x.env")]
    missing = subprocess.run([*base, "tick"], capture_output=True, text=True, cwd=REPO, env=_env(), timeout=60)
    assert missing.returncode == 2 and "apiKey" in missing.stderr
    unknown = subprocess.run([*base, "nope"], capture_output=True, text=True, cwd=REPO, env=_env(), timeout=60)
    assert unknown.returncode == 2 and "nope" in unknown.stderr
    assert not (tmp_path / "x.env").exists()


def test_names_are_unique_per_run_and_outputs_decode_without_a_broker(cipher):
    assert StepNames.fresh().flow_id != StepNames.fresh().flow_id
    props = pika.BasicProperties(headers={"protocolVersion": 2})
    message = {"id": "m1", "body": {"z": 3}}
    assert decode_output("data", props, cipher.encode(message, 2), cipher) == {"event": "data", "message": message}
    assert decode_output("data", pika.BasicProperties(headers={}), b"junk", cipher)["undecodable"]
    snapshot = pika.BasicProperties(headers={"snapshotEvent": "snapshot"})
    assert decode_output("snapshot", snapshot, b'{"n": 2}', cipher) == {"event": "snapshot", "snapshot": {"n": 2}}
