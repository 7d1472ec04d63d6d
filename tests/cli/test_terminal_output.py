"""What a person sees on a terminal (issue 12 §5), with stderr on a real pseudo-terminal: readable log
lines, a live progress bar through quota waits ("waiting 60 s for ListOrders quota (6 burst used);
window 6 of about 6; 131 orders so far"), snapshots summarised; JSON off a terminal and with
``--log-format json``. Quota waits run in simulated time: the sandbox and the client share a ManualClock.
"""

from __future__ import annotations

import fcntl
import io
import json
import os
import re
import struct
import subprocess
import sys
import termios
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from eiosdk.runner import snapshot_summary
from mws_sandbox import Sandbox, serve

from mws_component.lib.connection import override
from mws_component.lib.mws.clock import ManualClock

from .inprocess import run_step

ROOT = Path(__file__).resolve().parents[2]
ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")
TEXT_LINE = re.compile(r"^\d\d:\d\d:\d\d (?:DEBUG|INFO |WARN |ERROR) \S+  ", re.MULTILINE)
WAIT_LINE = re.compile(r"\d\d:\d\d:\d\d INFO  listOrders  waiting (\d+) s for ListOrders quota \(6 burst used\); "
                       r"window (\d+) of about (\d+); (\d+) orders so far")


class Terminal:
    """A pseudo-terminal: ``file`` is its end a program writes to; ``text()`` what the screen got, escapes
    removed and each carriage-return-overwritten line split out (every frame of the live bar shows)."""

    def __init__(self, columns: int = 160) -> None:
        self._controller, terminal = os.openpty()
        fcntl.ioctl(terminal, termios.TIOCSWINSZ, struct.pack("HHHH", 40, columns, 0, 0))
        self.fd = terminal
        self.file = os.fdopen(terminal, "w", encoding="utf-8", closefd=False)
        self._got = bytearray()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        while True:
            try:
                chunk = os.read(self._controller, 65536)
            except OSError:
                return
            if not chunk:
                return
            self._got.extend(chunk)

    def close(self) -> None:
        self.file.close()
        os.close(self.fd)
        self._reader.join(5)
        os.close(self._controller)

    @property
    def raw(self) -> str:
        return self._got.decode("utf-8", "replace")

    def text(self) -> str:
        return "\n".join(part for part in re.split(r"[\r\n]+", ANSI.sub("", self.raw)) if part.strip())


@contextmanager
def terminal(columns: int = 160) -> Iterator[Terminal]:
    screen = Terminal(columns)
    try:
        yield screen
    finally:
        screen.close()


@pytest.fixture
def busy_seller(tmp_path):
    """A sandbox with 1,500 orders on a simulated clock shared with the client; yields (credentials file, clock)."""
    clock = ManualClock(1_767_225_600.0)  # 2026-01-01T00:00:00Z
    sandbox = Sandbox(clock=clock, seed=7, orders=1500)  # more pages than the burst of 6, windows as large as they are
    with serve(sandbox) as server, override(clock=clock):
        creds = tmp_path / "creds.json"
        creds.write_text(json.dumps(sandbox.credentials(server.url)))
        yield creds, clock


BUSY_CFG = '{"marketplaceIds": "A2EUQ1WTGCTBG2"}'  # two marketplaces: enough pages to run out of quota


def run_list_orders(creds: Path, err, *extra: str) -> tuple[int, str]:
    """``mws-component run listOrders`` in this process (so it shares the simulated clock); stderr to ``err``."""
    code, out, _ = run_step("listOrders", creds, "--cfg", BUSY_CFG, *extra, err=err)
    return code, out


def test_a_first_poll_on_a_terminal_reads_as_lines_with_a_live_bar_through_the_quota_waits(busy_seller,
                                                                                         monkeypatch):
    creds, clock = busy_seller
    monkeypatch.setenv("COLUMNS", "160")  # rich sizes by the process's own terminal, not the pty it writes to
    with terminal() as screen:
        code, out = run_list_orders(creds, screen.file)
    text = screen.text()
    assert code == 0, text
    emitted = len(out.splitlines())
    assert emitted > 100
    waits = WAIT_LINE.findall(text)
    assert waits, text[-3000:]
    for seconds, window, about, so_far in waits:
        assert 55 <= int(seconds) <= 61 and int(window) <= int(about) and int(so_far) <= emitted
    assert clock.slept >= 60 * len(waits) * 0.9  # the waits were slept, in simulated time
    assert f"poll done: {waits[-1][1]} window(s), {emitted} orders" in text
    bars = re.findall(r"listOrders [━╸╺ ]+ (\d+)/~?(\d+) windows .* (\d+) orders so far", text)
    assert bars, text[-3000:]
    assert bars[-1] == (waits[-1][1], waits[-1][1], str(emitted))  # the bar ends full, with the count
    assert "waiting 60 s for ListOrders quota" in "\n".join(line for line in text.splitlines()
                                                           if line.startswith("⠋ ") or "windows" in line)
    assert '{"name"' not in text and TEXT_LINE.search(text)
    assert re.search(r"^snapshot: [\d.]+ (bytes|KB), keys v, start, cursor", text, re.MULTILINE)
    assert '"cursor"' not in text  # the snapshot's values are not printed
    assert "\x1b[" in screen.raw  # a terminal: colours and cursor moves


def test_off_a_terminal_the_same_run_logs_bunyan_json_with_the_progress_fields(busy_seller):
    creds, _ = busy_seller
    err = io.StringIO()
    code, out = run_list_orders(creds, err)
    assert code == 0
    lines = [json.loads(line) for line in err.getvalue().splitlines() if line.startswith("{")]
    waits = [line for line in lines if "wait" in line.get("progress", {})]
    assert waits
    first = waits[0]
    assert first["level"] == 30 and first["stepId"] == "listOrders"
    assert re.fullmatch(r"waiting \d+ s for ListOrders quota \(6 burst used\); window \d+ of about \d+; "
                        r"\d+ orders so far", first["msg"])
    assert {"wait", "waitFor", "window", "windows", "orders"} <= set(first["progress"])
    assert lines[-1]["progress"]["finished"] is True and lines[-1]["progress"]["orders"] == len(out.splitlines())
    assert "\x1b[" not in err.getvalue()


def test_text_off_a_terminal_is_plain_lines_without_a_bar(busy_seller):
    creds, _ = busy_seller
    err = io.StringIO()
    code, _ = run_list_orders(creds, err, "--log-format", "text")
    assert code == 0
    written = err.getvalue()
    assert WAIT_LINE.search(written) and TEXT_LINE.search(written)
    assert "\x1b[" not in written and "━" not in written and '{"name"' not in written


def test_json_on_a_terminal_when_asked(busy_seller):
    creds, _ = busy_seller
    with terminal() as screen:
        code, _ = run_list_orders(creds, screen.file, "--log-format", "json")
    assert code == 0
    logs = [line for line in screen.text().splitlines() if line.startswith("{")]
    assert logs and all(json.loads(line)["v"] == 0 for line in logs)
    assert not TEXT_LINE.search(screen.text()) and "━" not in screen.text()


def test_a_snapshot_is_summarised_by_size_and_keys_never_by_values():
    snapshot = {"cursor": "2026-01-01T00:00:00Z", "token": "NextToken-value-that-is-secret", "v": 2}
    summary = snapshot_summary(snapshot)
    assert re.fullmatch(r"\d+ bytes, keys cursor, token, v", summary)
    assert "2026" not in summary and "secret" not in summary
    many = {f"k{i}": i for i in range(20)}
    assert snapshot_summary(many).endswith("keys k0, k1, k2, k3, k4, k5, k6, k7 and 12 more")
    assert snapshot_summary({"blob": "x" * 5000}).startswith("4.9 KB")
    assert snapshot_summary([1, 2]) == "6 bytes, a list"


def _cli_on_terminal(*args: str) -> tuple[subprocess.CompletedProcess, str]:
    """``mws-component ARGS`` as a subprocess whose stderr is a terminal (stdout piped, as into ``jq``)."""
    env = {k: v for k, v in os.environ.items() if k not in ("ELASTICIO_COMPONENT_PATH", "LOG_LEVEL")}
    with terminal() as screen:
        done = subprocess.run([sys.executable, "-m", "mws_component.cli", *args], stdout=subprocess.PIPE,
                              stderr=screen.fd, text=True, cwd=ROOT, timeout=120, env={**env, "COLUMNS": "160"})
    return done, screen.text()


def test_the_installed_command_on_a_terminal_picks_text_by_itself(tmp_path):
    sandbox = Sandbox(seed=3, orders=12)
    with serve(sandbox) as server:
        creds = tmp_path / "creds.json"
        creds.write_text(json.dumps(sandbox.credentials(server.url)))
        yesterday = (datetime.now(timezone.utc) - timedelta(hours=20)).strftime("%Y-%m-%dT%H:%M:%SZ")
        cfg = json.dumps({"startTime": yesterday})
        done, text = _cli_on_terminal("run", "listOrders", "--credentials", str(creds), "--cfg", cfg)
        assert done.returncode == 0, text
        assert re.search(r"^\d\d:\d\d:\d\d INFO  listOrders  poll done: \d+ window\(s\), \d+ orders$", text,
                         re.MULTILINE), text
        assert "windows" in text and '{"name"' not in text
        assert all(json.loads(line) for line in done.stdout.splitlines())  # data stays JSON on stdout
        done, text = _cli_on_terminal("run", "listOrders", "--credentials", str(creds), "--cfg", cfg,
                                      "--log-format", "json")
    assert done.returncode == 0
    assert any(json.loads(line)["msg"].startswith("poll done") for line in text.splitlines()
               if line.startswith("{"))


def test_the_demo_shows_its_polls_progress_on_a_terminal():
    done, text = _cli_on_terminal("demo", "--orders", "25", "--seed", "5")
    assert done.returncode == 0, text
    assert "verified: True" in done.stdout
    assert re.search(r"listOrders .*\d+/\d+ windows", text), text[-2000:]
    assert '{"name"' not in text
