"""Step start-up: seconds from spawning the sailor for a real step to its consumer on the input queue.

``run(repeats)`` spawns ``python -m mws_component.cli sailor`` for the component's own
``listOrderItems`` (the installed component, not a toy step) ``repeats`` times on the real broker,
with the loopback stand-in for the platform API that ``bench.passthrough`` uses (its topology, step
data server and environment are reused from there), and times spawn -> the broker reports a
consumer on the step's input queue. That is when the step can take its first message: the sailor
registers its consumer only after the step module is imported and its hooks ran.

``imports_seconds`` is the import part alone: a fresh interpreter that imports what the sailor
imports and loads the step (``Component.load(root, steps=[step]).load_step(step)``), from spawn to
the end of those imports (wall clock read in both processes; the child's exit is not counted).
Start-ups and import runs alternate (``bench.stats.alternate``); each figure is a median with its
spread. After the last start-up one message goes to the running sailor and its reply is awaited, so
the figure is that of a sailor that works: the step data has no credentials, so the reply is the
step's error message (no Amazon, no sandbox needed). ``interpreter_seconds`` is the floor on this
machine at the time: ``python -c pass`` timed the same way (site hooks included), in the same rounds.

Both figures are taken twice: as this environment runs Python (``step_start``, ``imports_seconds``;
here PYTHONDONTWRITEBYTECODE=1, so our own modules are compiled from source at every start), and
with their bytecode cached (``bytecode_cached``), which is what the Docker image runs (pip compiles
every module when it installs the component). ``python -m bench.startup [REPEATS]``.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Mapping
from typing import Any

from mws_component import COMPONENT_ROOT

from .passthrough import IV, PASSWORD, _env, _StepDataServer, _Topology, _wait
from .sailor import broker_uri, unreachable
from .stats import MIN_REPEATS, alternate, spread

STEP = "listOrderItems"
TIMEOUT = 60.0
IMPORTS = ("import mws_component.cli, mws_component.commands.sailor, eiosdk.cli, eiosdk.sailor.runtime, "
           "eiosdk.sailor.settings; from eiosdk.component import Component; from mws_component import "
           "COMPONENT_ROOT as r; Component.load(r, steps=[{step!r}]).load_step({step!r})")
DONE = "; import sys, time; sys.stdout.write(repr(time.time()))"  # the moment the imports were done


def run(repeats: int = 5, step: str = STEP, uri: str | None = None) -> dict[str, Any]:
    """``{step, repeats, step_start, imports_seconds, interpreter_seconds, spread: {...}, bytecode_cached:
    {step_start, imports_seconds, spread}, reply}``; ``{skipped, step}`` without a broker."""
    uri = uri or broker_uri()
    reason = unreachable(uri)
    if reason:
        return {"skipped": reason, "step": step}
    repeats = max(repeats, MIN_REPEATS)
    with tempfile.TemporaryDirectory(prefix="startup-pyc-") as cache:
        imports_seconds(step, cache=cache)  # untimed: writes the bytecode the cached runs read
        runs = alternate({
            "start": lambda: {"seconds": step_start(uri, step)},
            "imports": lambda: {"seconds": imports_seconds(step)},
            "interpreter": lambda: {"seconds": imports_seconds(step, "pass")},
            "start_cached": lambda: {"seconds": step_start(uri, step, cache=cache)},
            "imports_cached": lambda: {"seconds": imports_seconds(step, cache=cache)},
        }, repeats)
    reply = step_start(uri, step, send_one=True)
    figures = {key: spread(r["seconds"] for r in found) for key, found in runs.items()}
    names = {"step_start": "start", "imports_seconds": "imports", "interpreter_seconds": "interpreter"}
    cached = {"step_start": "start_cached", "imports_seconds": "imports_cached"}
    return {"step": step, "repeats": repeats, **{name: figures[key]["median"] for name, key in names.items()},
            "spread": {name: figures[key] for name, key in names.items()},
            "bytecode_cached": {**{name: figures[key]["median"] for name, key in cached.items()},
                                "spread": {name: figures[key] for name, key in cached.items()}},
            "reply": reply}


def imports_seconds(step: str = STEP, code: str = IMPORTS, *, cache: str | None = None) -> float:
    """Seconds from spawning a fresh interpreter to it having imported the sailor and loaded ``step``
    (its exit, which unloads all of that, is not counted)."""
    began = time.time()
    done = subprocess.run([sys.executable, "-c", code.format(step=step) + DONE], check=True, timeout=TIMEOUT,
                          env=_child_env(os.environ, cache), stdout=subprocess.PIPE, text=True)
    return float(done.stdout) - began


def step_start(uri: str, step: str = STEP, *, send_one: bool = False, cache: str | None = None) -> Any:
    """Seconds from spawning the sailor for ``step`` to its consumer on the input queue; with
    ``send_one``, instead ``{ready_seconds, reply_seconds, reply}`` after one message went through."""
    topo = _Topology(uri)
    api = _StepDataServer()
    errors = f"{topo.name}:error"
    try:
        topo.channel.queue_declare(errors, durable=True)
        topo.channel.queue_bind(errors, topo.exchange, routing_key=f"{topo.name}.error")
        env = _child_env({**os.environ, **_env(topo, api.url, uri, 1), "ELASTICIO_FUNCTION": step}, cache)
        began = time.perf_counter()
        proc = subprocess.Popen([sys.executable, "-m", "mws_component.cli", "sailor",
                                 "--component-root", str(COMPONENT_ROOT)],
                                env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            _wait(lambda: proc.poll() is not None or topo.consumers() > 0, TIMEOUT)
            if topo.consumers() == 0:
                raise RuntimeError(f"the sailor for {step} did not start (exit code {proc.poll()})")
            ready = time.perf_counter() - began
            return _one_reply(topo, errors, ready) if send_one else ready
        finally:
            proc.send_signal(signal.SIGTERM)
            proc.wait(30)
    finally:
        api.close()
        topo.channel.queue_delete(errors)
        topo.close()


def _one_reply(topo: _Topology, errors: str, ready: float) -> dict[str, Any]:
    """Send one message to the ready sailor; what came back (data or the step's error) and how fast."""
    from eiosdk.sailor.crypto import MessageCipher

    cipher = MessageCipher(PASSWORD, IV)
    sent = time.perf_counter()
    topo.fill(1, cipher.encode({"body": {"amazonOrderId": "058-1233752-8214740"}}))
    reply: dict[str, Any] = {}

    def came() -> bool:
        for kind, queue in (("data", topo.outq), ("error", errors)):
            method, _props, body = topo.channel.basic_get(queue, auto_ack=True)
            if method is not None:
                error = cipher.decode(json.loads(body)["error"], 1) if kind == "error" else {}
                reply.update(kind=kind, error=error.get("name"))
                return True
        return False

    _wait(came, TIMEOUT)
    if not reply:
        raise RuntimeError(f"the sailor took no message within {TIMEOUT}s")
    return {"ready_seconds": round(ready, 3), "reply_seconds": round(time.perf_counter() - sent, 3), **reply}


def _child_env(env: Mapping[str, str], cache: str | None = None) -> dict[str, str]:
    """The component is the installed one: no ELASTICIO_COMPONENT_PATH from the caller's shell. With a
    ``cache`` directory, bytecode is read from (and written to) there, as in the image, where pip
    compiled it at install, whatever PYTHONDONTWRITEBYTECODE says here; the tree gets no __pycache__."""
    child = {k: v for k, v in env.items() if k != "ELASTICIO_COMPONENT_PATH"}
    if cache is not None:
        child.pop("PYTHONDONTWRITEBYTECODE", None)
        child["PYTHONPYCACHEPREFIX"] = cache
    return child


if __name__ == "__main__":
    if len(sys.argv) > 2 or not all(a.isdigit() for a in sys.argv[1:]):
        sys.exit("usage: python -m bench.startup [REPEATS]")
    print(json.dumps(run(*(int(a) for a in sys.argv[1:])), indent=2))
