"""The local runner behind ``mws-component run|exec|verify``: one step, like the platform would run it.

``run`` loads the component, builds ``cfg`` (credentials file, then fixture cfg, then ``--cfg``), the
incoming message (fixture ``msg``, with ``--body`` as its body) and the snapshot (``--snapshot`` file if
it exists, else the fixture's, else ``{}``), then runs ``startup -> init -> process -> shutdown`` (the
hooks the step defines), like elasticio-cli's ``cmp:process``.

Output: every ``data`` body is one JSON line on stdout (so it pipes into ``jq``); every other event is
a readable, redacted line on stderr, as are the step's log lines; a ``snapshot``/``updateSnapshot`` is
shown by size and top-level keys only (``snapshot_summary``: its values may hold tokens), and applied
to the snapshot file at once (atomically). The exit code is 0, or 1 with the error's message
when the step emitted an error, or 75 (EX_TEMPFAIL, "try again later") when it rebounded the message
without an error; bad arguments exit 2 with what to fix.

The component root is ``--component-path``, else ``$ELASTICIO_COMPONENT_PATH``, else the installed
component the command belongs to (``mws-component`` passes its own package directory), else the current
directory or its nearest parent holding component.json.
"""

from __future__ import annotations

import asyncio
import json
import os
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

from . import snapshot as snapshots
from .component import MANIFEST, Component, LoadedStep
from .errors import SdkError
from .executor import call_hook, execute
from .logging import get_logger, redact, redact_text, register_secrets_in, serialize_error

ENV_COMPONENT_PATH = "ELASTICIO_COMPONENT_PATH"


class UsageError(SdkError):
    """A command-line input is missing or malformed; the message says which and how to fix it."""


# -- locating and reading inputs ----------------------------------------------------------------
def find_component_root(explicit: str | os.PathLike[str] | None = None,
                        installed: Path | None = None) -> Path:
    """Where component.json is (order of precedence in the module docstring).

    ``installed`` is the root of the component a command ships with, so that command works from any
    directory after a plain ``pip install``; the SDK itself knows no component.
    """
    for candidate in (explicit, os.environ.get(ENV_COMPONENT_PATH)):
        if candidate:
            root = Path(candidate).expanduser().resolve()
            if not (root / MANIFEST).is_file():
                raise UsageError(f"{root} has no {MANIFEST}; point --component-path (or "
                                 f"{ENV_COMPONENT_PATH}) at the component's root directory")
            return root
    for root in (installed, *_cwd_and_parents()):
        if root is not None and (root / MANIFEST).is_file():
            return root
    raise UsageError(f"no {MANIFEST} found; run from the component directory or pass --component-path")


def _cwd_and_parents() -> list[Path]:
    cwd = Path.cwd().resolve()
    return [cwd, *cwd.parents]


def read_json_file(path: str | os.PathLike[str], what: str) -> Any:
    """Parsed JSON of ``path``; a ``UsageError`` naming ``what`` (e.g. ``--credentials``) otherwise."""
    file = Path(path).expanduser()
    try:
        text = file.read_text(encoding="utf-8")
    except OSError as exc:
        raise UsageError(f"{what}: cannot read {file}: {exc.strerror or exc}") from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise UsageError(f"{what}: {file} is not valid JSON ({exc})") from None


def json_argument(value: str | None, what: str) -> Any:
    """``--cfg``/``--body`` value: inline JSON, or ``@path`` to a JSON file; ``None`` stays ``None``."""
    if value is None:
        return None
    if value.startswith("@"):
        return read_json_file(value[1:], what)
    try:
        return json.loads(value)
    except json.JSONDecodeError as exc:
        raise UsageError(f"{what}: not valid JSON ({exc}); pass a JSON object or @file.json") from None


def json_object(value: Any, what: str) -> dict[str, Any]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise UsageError(f"{what} must be a JSON object, not {type(value).__name__}")
    return value


def load_credentials(path: str | os.PathLike[str] | None) -> dict[str, Any]:
    """The credentials file as a dict (its secret values are registered for redaction at once)."""
    if path is None:
        return {}
    credentials = json_object(read_json_file(path, "--credentials"), "--credentials file")
    register_secrets_in(credentials)
    return credentials


def load_fixture(path: str | os.PathLike[str], name: str | None, root: Path) -> dict[str, Any]:
    """``{msg, cfg, snapshot}`` of fixture ``name`` in an elasticio-cli fixture file.

    The file is ``{"fixtures": {name: {"msg": ..., "cfg": ..., "snapshot": ...}}}``; ``{{VAR}}``
    placeholders are filled from the environment, then from ``.env`` next to component.json.
    """
    fixtures = read_json_file(path, "--fixture")
    table = fixtures.get("fixtures") if isinstance(fixtures, dict) else None
    if not isinstance(table, dict) or not table:
        raise UsageError(f'--fixture: {path} must look like {{"fixtures": {{"name": {{"msg", "cfg", "snapshot"}}}}}}')
    if name is None and len(table) == 1:
        name = next(iter(table))
    if name not in table:
        raise UsageError(f"--fixture-name: choose one of {', '.join(table)} (got {name!r})")
    return fill_placeholders(table[name], _env_values(root))


def _env_values(root: Path) -> dict[str, str]:
    values: dict[str, str] = {}
    env_file = root / ".env"
    if env_file.is_file():
        for line in env_file.read_text(encoding="utf-8").splitlines():
            key, sep, value = line.strip().partition("=")
            if sep and key and not key.startswith("#"):
                values[key.strip()] = value.strip().strip('"').strip("'")
    return {**values, **os.environ}


_PLACEHOLDER = re.compile(r"\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}")


def fill_placeholders(value: Any, env: dict[str, str]) -> Any:
    """Replace ``{{NAME}}`` in every string of ``value``; an unknown name is a ``UsageError``."""
    if isinstance(value, str):
        def lookup(match: re.Match[str]) -> str:
            if match.group(1) not in env:
                raise UsageError(f"fixture placeholder {{{{{match.group(1)}}}}} has no value; set it in "
                                 "the environment or in .env next to component.json")
            return env[match.group(1)]
        return _PLACEHOLDER.sub(lookup, value)
    if isinstance(value, dict):
        return {k: fill_placeholders(v, env) for k, v in value.items()}
    if isinstance(value, list):
        return [fill_placeholders(v, env) for v in value]
    return value


def check_required(component: Component, step_id: str, cfg: dict[str, Any]) -> None:
    """Refuse to run when a required credential or step field is empty, naming each one."""
    missing = [f"credential field {name!r} ({spec.get('label', name)})"
               for name, spec in component.credential_fields.items() if _missing(spec, cfg.get(name))]
    missing += [f"step field {name!r} ({spec.get('label', name)})"
                for name, spec in component.step(step_id).fields.items() if _missing(spec, cfg.get(name))]
    if missing:
        raise UsageError("required but empty: " + "; ".join(missing)
                         + ". Put credential fields in the --credentials file and step fields in --cfg")


def _missing(spec: Any, value: Any) -> bool:
    return isinstance(spec, dict) and spec.get("required") is True and value in (None, "", [])


# -- running a step -----------------------------------------------------------------------------
@dataclass
class RunInputs:
    """Everything one local run needs, already merged from files and flags."""

    msg: dict[str, Any]
    cfg: dict[str, Any]
    snapshot: Any
    snapshot_file: Path | None = None


TRY_LATER_EXIT = 75  # EX_TEMPFAIL (sysexits.h): nothing failed, the message is to be tried again later


@dataclass
class RunReport:
    """What a local run produced: counts, first error message, final snapshot, exit code."""

    data: int = 0
    errors: list[str] = field(default_factory=list)
    snapshot: Any = None
    rebounds: int = 0

    @property
    def exit_code(self) -> int:
        """1 on an error; 75 (EX_TEMPFAIL) when the message was put off for later, so scripts retry it."""
        return 1 if self.errors else TRY_LATER_EXIT if self.rebounds else 0


_SAME_WORD_SUFFIXES = re.compile(r"(Error|Exception|Failed|Failure)$")


def describe_error(error: Any) -> str:
    """``Name: message`` for an emitted error, saying a thing once.

    An error whose text already starts with a code that names the same thing as its class
    (``FeedValidationError`` with ``FeedValidationFailed: ...``) is shown as its text alone; a code that
    adds something (``AuthenticationError`` with ``SignatureDoesNotMatch: ...``) keeps both.
    """
    name = serialize_error(error)["name"] if isinstance(error, BaseException) else type(error).__name__
    message = str(error)
    code = getattr(error, "code", None)
    if (isinstance(code, str) and code and message.startswith(f"{code}: ")
            and _SAME_WORD_SUFFIXES.sub("", code) == _SAME_WORD_SUFFIXES.sub("", name)):
        return message
    return f"{name}: {message}" if message else name


class ConsoleEmitter:
    """The ``emit`` a local run gives the executor: data to stdout, the rest to stderr, snapshot to disk."""

    def __init__(self, inputs: RunInputs, out: TextIO | None = None, err: TextIO | None = None) -> None:
        self.inputs = inputs
        self._out, self._err = out, err
        self.report = RunReport(snapshot=inputs.snapshot)

    @property
    def out(self) -> TextIO:
        """``sys.stdout`` when none was given, looked up at each write: a live progress display on the
        terminal redirects it so that lines print above the display."""
        return self._out or sys.stdout

    @property
    def err(self) -> TextIO:
        return self._err or sys.stderr

    async def __call__(self, event: str, payload: Any) -> None:
        if event == "data":
            self.report.data += 1
            self.out.write(json.dumps(payload.body, ensure_ascii=False) + "\n")
            self.out.flush()
        elif event == "error":
            self.fail(describe_error(payload))
        elif event in ("snapshot", "updateSnapshot"):
            self._snapshot(event, payload)
        elif event == "rebound":
            self.report.rebounds += 1
            self._say(f"rebound: {redact_text(str(payload))} (the platform would retry this message later)")
        elif event == "end":
            self._say(f"end: {self.report.data} data, {len(self.report.errors)} error(s)")
        else:
            self._say(f"{event}: {json.dumps(redact(payload), ensure_ascii=False)}")

    def fail(self, message: str) -> None:
        """Record an error and print it, once: the run's summary refers to it rather than repeating it."""
        message = redact_text(message)
        self.report.errors.append(message)
        self._say(f"error: {message}")

    def _snapshot(self, event: str, payload: Any) -> None:
        self.report.snapshot = snapshots.apply(self.report.snapshot, event, payload)
        where = ""
        if self.inputs.snapshot_file is not None:
            snapshots.write(self.inputs.snapshot_file, self.report.snapshot)
            where = f" (saved to {self.inputs.snapshot_file})"
        self._say(f"{event}: {snapshot_summary(payload)}{where}")

    def _say(self, line: str) -> None:
        self.err.write(line + "\n")
        self.err.flush()


MAX_KEYS_SHOWN = 8


def snapshot_summary(snapshot: Any) -> str:
    """``1.2 KB, keys cursor, window, windowSeconds``: what a snapshot is, never its values.

    A snapshot can hold tokens and a step's whole state; the file (``--snapshot``) has it all.
    """
    size = len(json.dumps(snapshot, ensure_ascii=False, default=str).encode("utf-8"))
    shown = f"{size} bytes" if size < 1024 else f"{size / 1024:.1f} KB"
    if isinstance(snapshot, dict):
        keys = [redact_text(str(key)) for key in snapshot]
        more = f" and {len(keys) - MAX_KEYS_SHOWN} more" if len(keys) > MAX_KEYS_SHOWN else ""
        return f"{shown}, keys {', '.join(keys[:MAX_KEYS_SHOWN])}{more}" if keys else f"{shown}, no keys"
    return f"{shown}, a {type(snapshot).__name__}"


async def run_step(step: LoadedStep, inputs: RunInputs, *, out: TextIO | None = None,
                   err: TextIO | None = None) -> RunReport:
    """Run hooks and ``process`` once; returns the report (the caller turns it into an exit code)."""
    emitter = ConsoleEmitter(inputs, out, err)
    logger = get_logger("component", stepId=step.id, function=step.id)
    try:
        startup_data = await call_hook(step, "startup", inputs.cfg, logger=logger)
        await call_hook(step, "init", inputs.cfg, logger=logger)
    except Exception as exc:
        emitter.fail(f"{describe_error(exc)} (in startup/init; process did not run)")
        return emitter.report
    await execute(step, inputs.msg, inputs.cfg, inputs.snapshot, emitter, logger=logger)
    try:
        await call_hook(step, "shutdown", inputs.cfg, startup_data if startup_data is not None else {},
                        logger=logger)
    except Exception as exc:  # the platform ignores shutdown errors; show them anyway
        emitter._say(redact_text(f"shutdown failed (ignored, as on the platform): {type(exc).__name__}: {exc}"))
    return emitter.report


def build_inputs(component: Component, step_id: str, *, credentials: dict[str, Any], cfg: Any = None,
                 body: Any = None, fixture: dict[str, Any] | None = None,
                 snapshot_file: str | os.PathLike[str] | None = None) -> RunInputs:
    """Merge credentials, fixture and flags into the run's ``cfg``, message and snapshot."""
    fixture = fixture or {}
    merged = {**credentials, **json_object(fixture.get("cfg"), "fixture cfg"), **json_object(cfg, "--cfg")}
    register_secrets_in(merged)
    check_required(component, step_id, merged)
    from .message import Message

    msg = Message.incoming(json_object(fixture.get("msg"), "fixture msg")).to_dict()
    if body is not None:
        msg["body"] = json_object(body, "--body")
    file = Path(snapshot_file).expanduser() if snapshot_file else None
    initial = fixture.get("snapshot") if fixture.get("snapshot") is not None else {}
    state = snapshots.read(file, default=initial) if file is not None else initial
    return RunInputs(msg=msg, cfg=merged, snapshot=state, snapshot_file=file)


def run(component: Component, step_id: str, inputs: RunInputs, *, out: TextIO | None = None,
        err: TextIO | None = None) -> RunReport:
    """Blocking entry point of ``mws-component run``."""
    step = component.load_step(step_id)
    return asyncio.run(run_step(step, inputs, out=out, err=err))
