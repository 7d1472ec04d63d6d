"""Shared helpers for the SDK tests: fixture components, an in-memory emit, the CLI as a subprocess."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from eiosdk import logging as sdk_logging
from eiosdk.component import Component
from eiosdk.executor import ExecutionResult, execute

FIXTURES = Path(__file__).parent / "fixtures"
REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def styles() -> Component:
    return Component.load(FIXTURES / "styles")


class Recorder:
    """An ``emit`` that records ``(event, payload)`` in order."""

    def __init__(self) -> None:
        self.events: list[tuple[str, Any]] = []

    async def __call__(self, event: str, payload: Any) -> None:
        self.events.append((event, payload))

    @property
    def names(self) -> list[str]:
        return [name for name, _ in self.events]

    def payloads(self, event: str) -> list[Any]:
        return [payload for name, payload in self.events if name == event]


def run_step(component: Component, step_id: str, msg: dict | None = None, cfg: dict | None = None,
             snapshot: dict | None = None, **kwargs: Any) -> tuple[Recorder, ExecutionResult]:
    recorder = Recorder()
    step = component.load_step(step_id)
    result = asyncio.run(execute(step, msg or {"body": {}}, cfg or {}, snapshot or {}, recorder, **kwargs))
    return recorder, result


@pytest.fixture
def log_lines(capsys: pytest.CaptureFixture[str]):
    """Route SDK log lines to captured stdout and return a reader of the JSON lines so far."""
    sdk_logging.configure(stream=None)

    def read() -> list[dict]:
        out = capsys.readouterr().out
        return [json.loads(line) for line in out.splitlines() if line.startswith("{")]

    yield read
    sdk_logging.configure(stream=None)


def cli(*args: str, cwd: Path | None = None, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    """``mws-component ARGS`` in a subprocess (the real entry point, the real exit code)."""
    full_env = {k: v for k, v in os.environ.items() if k != "ELASTICIO_COMPONENT_PATH"}
    full_env.update(env or {})
    return subprocess.run([sys.executable, "-m", "mws_component.cli", *args], capture_output=True, text=True,
                          cwd=cwd or REPO, env=full_env, timeout=60)


@pytest.fixture
def write_json(tmp_path: Path):
    def write(name: str, data: Any) -> Path:
        path = tmp_path / name
        path.write_text(json.dumps(data), encoding="utf-8")
        return path

    return write
