"""Running a sailor for a test: in-process on a thread, or as a real ``mws-component sailor`` process.

Also a loopback TCP proxy in front of the broker, so a test can cut the sailor's AMQP connections
(the way a broker restart or a network blip would) without touching the broker itself.
"""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

from eiosdk.sailor.runtime import Sailor
from eiosdk.sailor.settings import load_settings

from .conftest import FIXTURE_COMPONENT

REPO = Path(__file__).resolve().parents[2]


@contextlib.contextmanager
def running_sailor(env: dict[str, str], root: Path = FIXTURE_COMPONENT) -> Iterator[Sailor]:
    """A sailor consuming on a background thread; stopped (and required to exit 0) on leaving."""
    sailor = Sailor(load_settings(env), root)
    result: dict[str, int] = {}
    thread = threading.Thread(target=lambda: result.update(code=sailor.run()), daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not sailor.ready.wait(0.05):
        if not thread.is_alive() or time.monotonic() > deadline:
            raise AssertionError(f"sailor did not start (exit code {result.get('code')})")
    try:
        yield sailor
    finally:
        sailor.request_stop()
        thread.join(20)
    assert not thread.is_alive(), "sailor did not stop"
    assert result.get("code") == 0, f"sailor exited with {result.get('code')}"


def run_sailor_until_exit(env: dict[str, str], root: Path = FIXTURE_COMPONENT, timeout: float = 20) -> int:
    """Run a sailor that is expected to exit by itself (start-up failure); returns its exit code."""
    sailor = Sailor(load_settings(env), root)
    result: dict[str, int] = {}
    thread = threading.Thread(target=lambda: result.update(code=sailor.run()), daemon=True)
    thread.start()
    thread.join(timeout)
    if thread.is_alive():
        sailor.request_stop()
        thread.join(10)
        raise AssertionError("sailor kept running although its start-up should have failed")
    return result["code"]


class SailorProcess:
    """``python -m mws_component.cli sailor`` with the given environment; output captured to a file."""

    def __init__(self, env: dict[str, str], log_path: Path, root: Path = FIXTURE_COMPONENT) -> None:
        self.log_path = log_path
        self._log = log_path.open("wb")
        full_env = {**os.environ, **env, "PYTHONUNBUFFERED": "1"}
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "mws_component.cli", "sailor", "--component-root", str(root)],
            env=full_env, cwd=REPO, stdout=self._log, stderr=subprocess.STDOUT)

    def output(self) -> str:
        self._log.flush()
        return self.log_path.read_text(encoding="utf-8", errors="replace")

    def wait_listening(self, topology, timeout: float = 30) -> None:
        """Until the process consumes the input queue (consumer count from a passive declare)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise AssertionError(f"sailor exited with {self.proc.returncode}:\n{self.output()}")
            if topology.input_state()[1] >= 1:
                return
            time.sleep(0.05)
        raise AssertionError(f"sailor did not start consuming:\n{self.output()}")

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(10)
        self._log.close()


def wait_for(predicate, timeout: float = 10.0, interval: float = 0.02):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    return predicate()


class TcpProxy:
    """Forwards 127.0.0.1:<port> to the broker; ``drop_all`` cuts every live connection."""

    def __init__(self, target: tuple[str, int] = ("127.0.0.1", 5672)) -> None:
        self.target = target
        self._server = socket.create_server(("127.0.0.1", 0))
        self.port = self._server.getsockname()[1]
        self._sockets: list[socket.socket] = []
        self._lock = threading.Lock()
        self.accepted = 0
        threading.Thread(target=self._accept, daemon=True).start()

    def uri(self) -> str:
        return f"amqp://guest:guest@127.0.0.1:{self.port}/%2F"

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self._server.accept()
            except OSError:
                return
            upstream = socket.create_connection(self.target)
            with self._lock:
                self._sockets += [client, upstream]
                self.accepted += 1
            for src, dst in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pipe, args=(src, dst), daemon=True).start()

    @staticmethod
    def _pipe(src: socket.socket, dst: socket.socket) -> None:
        try:
            while data := src.recv(65536):
                dst.sendall(data)
        except OSError:
            pass
        finally:
            for s in (src, dst):
                with contextlib.suppress(OSError):
                    s.shutdown(socket.SHUT_RDWR)

    def drop_all(self) -> None:
        with self._lock:
            sockets, self._sockets = self._sockets, []
        for s in sockets:
            with contextlib.suppress(OSError):
                s.shutdown(socket.SHUT_RDWR)
            s.close()

    def close(self) -> None:
        """Stop listening (later connects are refused at once) and cut every live connection."""
        with contextlib.suppress(OSError):
            self._server.shutdown(socket.SHUT_RDWR)  # wakes the blocked accept(); close() alone would not
        self._server.close()
        self.drop_all()
