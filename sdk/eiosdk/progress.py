"""A terminal's live progress display for log records that carry a ``progress`` field.

A step reports progress with ``logger.progress(msg, level=..., **state)`` (see ``eiosdk.logging``).
Off a terminal that is one more log line (bunyan JSON on the platform). On a terminal the local
commands install ``LiveProgress`` as the logging sink: log lines print as text above one live bar
per step, which keeps its spinner, elapsed time and any wait's countdown moving while the step
sleeps for quota, and estimates the time left from how fast the work advances.

The display reads these ``state`` keys, all optional: ``done`` and ``total`` (units of work, ``total``
an estimate that may change), ``unit`` (their name, e.g. ``windows``), ``note`` (short status, e.g.
``412 orders so far``), ``wait`` and ``waitFor`` (seconds the step is about to sleep, and for what),
``finished`` (the work is complete). Other keys are for the JSON reader and are ignored here.

Built on rich (``rich.progress``): it redraws from its own thread, so a countdown moves during a
blocking sleep, and it prints other output above the bar without tearing it.
"""

from __future__ import annotations

import sys
import threading
import time
from collections.abc import Callable, Mapping
from typing import Any, TextIO

from rich.console import Console
from rich.progress import (
    BarColumn,
    Progress,
    ProgressColumn,
    SpinnerColumn,
    Task,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.table import Column
from rich.text import Text

from .logging import text_line


class WaitColumn(ProgressColumn):
    """``waiting 41 s for ListOrders quota``, counting down on the display's own clock."""

    def __init__(self, clock: Callable[[], float]) -> None:
        super().__init__(table_column=Column(no_wrap=True))
        self.clock = clock

    def render(self, task: Task) -> Text:
        until, what = task.fields.get("wait_until"), task.fields.get("wait_for") or "quota"
        left = until - self.clock() if until else 0.0
        return Text(f"waiting {left:.0f} s for {what}" if left >= 0.5 else "", style="yellow")


class LiveProgress:
    """A ``eiosdk.logging.Sink`` for a terminal: text lines, and a live bar per step that reports progress.

    ``stream`` is the terminal (stderr). ``redirect_stdout``: whether stdout is the same terminal, so
    data lines written there while the bar is shown are printed above it instead of through it.
    ``clock`` drives the countdown and the estimate (wall time: the display is for a person).
    """

    def __init__(self, stream: TextIO, *, redirect_stdout: bool | None = None,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.console = Console(file=stream, highlight=False, soft_wrap=True)
        if redirect_stdout is None:
            redirect_stdout = _isatty(sys.stdout)
        self.clock = clock
        self.progress = Progress(
            SpinnerColumn(), _text("{task.description}"), BarColumn(bar_width=20), _text("{task.fields[counted]}"),
            TimeElapsedColumn(), _text("eta"), TimeRemainingColumn(), _text("{task.fields[note]}"), WaitColumn(clock),
            console=self.console, redirect_stdout=redirect_stdout, redirect_stderr=True, get_time=clock,
        )
        self._tasks: dict[str, TaskID] = {}
        self._lock = threading.Lock()
        self._started = False

    def write(self, record: dict[str, Any], *, shown: bool) -> None:
        state = record.get("progress")
        if isinstance(state, Mapping):  # the bar first: the line printed above it then matches it
            self.update(str(record.get("stepId") or record.get("name") or "progress"), state)
        if shown:
            self.console.print(Text(text_line(record)))

    def update(self, label: str, state: Mapping[str, Any]) -> None:
        """Move ``label``'s bar to ``state`` (keys in the module docstring); the first update shows it."""
        with self._lock:
            if not self._started:
                self.progress.start()
                self._started = True
            task = self._tasks.get(label)
            if task is None:
                task = self._tasks[label] = self.progress.add_task(label, total=None, counted="", note="")
            self.progress.update(task, **_task_fields(state, self.clock()), refresh=True)

    def close(self) -> None:
        """Stop redrawing and leave the bars' last state on the terminal."""
        with self._lock:
            if self._started:
                self.progress.stop()
                self._started = False


def _text(template: str) -> TextColumn:
    return TextColumn(template, table_column=Column(no_wrap=True))


def _task_fields(state: Mapping[str, Any], now: float) -> dict[str, Any]:
    done, total = _number(state.get("done")), _number(state.get("total"))
    if state.get("finished"):
        total = done = max(done or 0, total or 0, 1)
    fields: dict[str, Any] = {"note": str(state.get("note") or "")}
    if done is not None:
        fields["completed"] = done
    if total is not None:
        fields["total"] = max(total, done or 0)
        unit = f" {state['unit']}" if state.get("unit") else ""
        fields["counted"] = f"{done or 0:.0f}/{'' if state.get('finished') else '~'}{fields['total']:.0f}{unit}"
    wait = _number(state.get("wait"))
    fields["wait_until"] = now + wait if wait else None
    fields["wait_for"] = str(state.get("waitFor") or "")
    return fields


def _number(value: Any) -> float | None:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


def _isatty(stream: Any) -> bool:
    isatty = getattr(stream, "isatty", None)
    return bool(callable(isatty) and isatty())
