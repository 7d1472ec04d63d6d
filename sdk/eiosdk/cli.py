"""The SDK side of ``mws-component run|exec|verify``: argument definitions and the three commands.

The ``mws_component.commands`` modules are thin wrappers around these, so any component built on
eiosdk gets the same local tooling. Every command prints what to fix and exits 2 on bad input
(missing file, invalid JSON, invalid component.json, unknown step); see ``eiosdk.runner`` for exit
codes of a run. Logs go to stderr as ``--log-format`` says (``logs_to_stderr``): readable lines and a
live progress display on a terminal, bunyan JSON elsewhere.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from . import logging as sdk_logging
from . import service
from .component import Component
from .errors import SdkError
from .logging import redact_text
from .runner import (
    build_inputs,
    find_component_root,
    json_argument,
    json_object,
    load_credentials,
    load_fixture,
    run,
)


def add_component_arguments(parser: argparse.ArgumentParser, *, credentials_required: bool = True) -> None:
    parser.add_argument("--credentials", required=credentials_required, metavar="FILE",
                        help="JSON file with the credential fields (sellerId, accessKeyId, secretKey, ...)")
    add_component_path_argument(parser, "component root (default: $ELASTICIO_COMPONENT_PATH, the installed "
                                        "component, or the current directory)")
    add_log_format_argument(parser)


def add_log_format_argument(parser: argparse.ArgumentParser) -> None:
    """``--log-format auto|text|json`` (``args.log_format``): how log lines on stderr look.

    ``auto`` (the default) is text, with a live progress display, when stderr is a terminal, and
    bunyan JSON (the platform's format) otherwise.
    """
    parser.add_argument("--log-format", choices=sdk_logging.FORMATS, default="auto",
                        help="log lines on stderr: text for a person (with live progress on a terminal) or "
                             "bunyan JSON as on the platform; auto (default): text on a terminal, else json")


COMPONENT_PATH_OPTION = "--component-path"
OLD_COMPONENT_PATH_OPTIONS = ("--component-root",)  # sailor and serve used to spell it so; still accepted


def add_component_path_argument(parser: argparse.ArgumentParser, help: str, **kwargs: Any) -> None:
    """``--component-path DIR`` (``args.component_path``), the one spelling on every command.

    The old spelling ``--component-root`` keeps working, hidden from ``--help``.
    """
    parser.add_argument(COMPONENT_PATH_OPTION, metavar="DIR", dest="component_path", help=help, **kwargs)
    parser.add_argument(*OLD_COMPONENT_PATH_OPTIONS, metavar="DIR", dest="component_path",
                        help=argparse.SUPPRESS, **kwargs)


def add_cfg_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--cfg", metavar="JSON|@FILE", help="step field values, merged over the credentials")


def add_run_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("step", metavar="STEP", help="trigger or action id from component.json, e.g. listOrders")
    add_component_arguments(parser)
    add_cfg_argument(parser)
    parser.add_argument("--body", metavar="JSON|@FILE", help="body of the incoming message")
    parser.add_argument("--snapshot", metavar="FILE",
                        help="snapshot file: read before the run, rewritten atomically on each snapshot event")
    parser.add_argument("--fixture", metavar="FILE",
                        help='elasticio-cli fixture file {"fixtures": {NAME: {"msg", "cfg", "snapshot"}}}')
    parser.add_argument("--fixture-name", metavar="NAME", help="which fixture of --fixture to use")


def add_exec_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("method", metavar="METHOD",
                        help="getMetaModel, verifyCredentials, or the name of a select-model function")
    parser.add_argument("step", metavar="STEP", nargs="?", help="trigger or action id (not for verifyCredentials)")
    add_component_arguments(parser)
    add_cfg_argument(parser)


INSTALLED_COMPONENT = "installed_component"


def component_root(args: argparse.Namespace) -> Path:
    """The component a command works on: ``--component-path``, ``$ELASTICIO_COMPONENT_PATH``, then the
    component the command ships with (a CLI sets ``installed_component`` as a parser default)."""
    return find_component_root(args.component_path, getattr(args, INSTALLED_COMPONENT, None))


def guarded(command: str, body: Callable[[], int]) -> int:
    """Run ``body``; an ``SdkError`` becomes a one-paragraph message on stderr and exit code 2."""
    try:
        return body()
    except SdkError as exc:
        print(f"mws-component {command}: {redact_text(str(exc))}", file=sys.stderr)
        return 2


@contextmanager
def logs_to_stderr(args: argparse.Namespace, level: str | int | None = None) -> Iterator[None]:
    """Within the block, logs go to stderr in ``--log-format``; stdout stays for data or the result.

    Text on a terminal comes with a live progress display (``eiosdk.progress``), stopped at the end
    of the block; text elsewhere and JSON are plain lines. The stdlib bridge is installed, so the
    client library's retries and waits show up too. Logging is set back to stdout JSON afterwards.
    """
    stream, saved_level = sys.stderr, sdk_logging.configured_level()
    text = sdk_logging.resolve_format(getattr(args, "log_format", "auto"), stream) == "text"
    live = None
    if text and _isatty(stream):
        from .progress import LiveProgress  # rich is loaded only for a person at a terminal

        live = LiveProgress(stream)
    sdk_logging.configure(stream=stream, level=level, format="text" if text else "json", sink=live)
    sdk_logging.install_stdlib_bridge()
    try:
        yield
    finally:
        if live is not None:
            live.close()
        sdk_logging.configure(stream=None)
        sdk_logging.set_level(saved_level)


def _isatty(stream: Any) -> bool:
    isatty = getattr(stream, "isatty", None)
    return bool(callable(isatty) and isatty())


def run_command(args: argparse.Namespace) -> int:
    def body() -> int:
        with logs_to_stderr(args):
            return _run(args)

    return guarded("run", body)


def _run(args: argparse.Namespace) -> int:
    component = Component.load(component_root(args))
    component.step(args.step)
    fixture = load_fixture(args.fixture, args.fixture_name, component.root) if args.fixture else None
    inputs = build_inputs(component, args.step, credentials=load_credentials(args.credentials),
                          cfg=json_argument(args.cfg, "--cfg"), body=json_argument(args.body, "--body"),
                          fixture=fixture, snapshot_file=args.snapshot)
    return run(component, args.step, inputs).exit_code  # each error is printed once, as it happens


def exec_command(args: argparse.Namespace) -> int:
    def body() -> int:
        with logs_to_stderr(args):
            return _exec(args)

    return guarded("exec", body)


def _exec(args: argparse.Namespace) -> int:
    component = Component.load(component_root(args))
    cfg = {**load_credentials(args.credentials), **json_object(json_argument(args.cfg, "--cfg"), "--cfg")}
    if args.method == "verifyCredentials":
        return _print_service(lambda: service.verify_credentials(component, cfg))
    if not args.step:
        raise SdkError(f"exec {args.method} needs STEP: the trigger or action id, e.g. submitProduct")
    component.step(args.step)
    if args.method == "getMetaModel":
        return _print_service(lambda: service.get_meta_model(component, args.step, cfg))
    return _print_service(lambda: service.select_model(component, args.step, args.method, cfg))


def _print_service(call: Callable[[], Any]) -> int:
    """Print what the platform's service mode would post: ``{"status": ..., "data": ...}``."""
    try:
        result = {"status": "success", "data": call()}
    except Exception as exc:  # a failing user function is a service *result*, as on the platform
        result = {"status": "error", "data": {"message": redact_text(str(exc)) or type(exc).__name__}}
    print(json.dumps(result, indent=2, ensure_ascii=False))
    return 0 if result["status"] == "success" else 1


def verify_command(args: argparse.Namespace) -> int:
    def body() -> int:
        with logs_to_stderr(args):
            return _verify(args)

    return guarded("verify", body)


def _verify(args: argparse.Namespace) -> int:
    component = Component.load(component_root(args))
    if not (component.root / service.VERIFY_FILE).is_file():
        raise SdkError(f"{service.VERIFY_FILE} not found in {component.root}; without it the platform "
                       "accepts any credentials, so there is nothing to verify against")
    result = component.verify_credentials(load_credentials(args.credentials))
    print(json.dumps(result, ensure_ascii=False))
    return 0 if result.get("verified") is True else 1
