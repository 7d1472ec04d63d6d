"""The ``platform`` command of a component's CLI: ``eiosdk.sailor.local_platform`` from the command line.

``add_arguments(parser)`` defines the options and ``command(args)`` runs them; a component's CLI
(e.g. ``mws-component platform``) wires both in. The step's ``cfg`` is built as ``run`` builds it:
the ``--credentials`` file with ``--cfg`` merged over it, checked against the step's required fields.
SIGTERM, like Ctrl-C, stops the run; what was declared is deleted either way.
"""

from __future__ import annotations

import argparse
import signal
from pathlib import Path
from typing import Any, NoReturn

from ..cli import add_cfg_argument, add_component_path_argument, component_root, guarded
from ..component import Component
from ..runner import UsageError, check_required, json_argument, json_object, load_credentials
from .local_platform import DEFAULT_AMQP_URI, LocalPlatform, StepRun

HELP = ("stand in for the platform around one step: declare its queues on RabbitMQ, serve its data, write "
        "its ELASTICIO_* environment for the sailor, send it messages and print what it emits")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("step", metavar="STEP", help="trigger or action id from component.json, e.g. listOrderItems")
    parser.add_argument("--credentials", metavar="FILE", help="JSON file with the credential fields")
    add_cfg_argument(parser)
    add_component_path_argument(parser, "component root (default: $ELASTICIO_COMPONENT_PATH, the installed "
                                        "component, or the current directory); also passed to the sailor")
    parser.add_argument("--env-out", required=True, metavar="FILE", type=Path,
                        help="write the step's ELASTICIO_* variables here as KEY=value lines (mode 0600; "
                             "holds the crypto password and API key), e.g. step.env")
    parser.add_argument("--body", metavar="JSON|@FILE", action="append",
                        help="body of an input message; repeat for several (default: one message, body {})")
    parser.add_argument("--amqp-uri", default=DEFAULT_AMQP_URI, metavar="URI",
                        help="the broker (default: %(default)s)")
    parser.add_argument("--expect", type=_positive, metavar="N",
                        help="exit after N outputs (data, error, snapshot or rebound); default: at --timeout")
    parser.add_argument("--timeout", type=float, default=120.0, metavar="S",
                        help="give up after S seconds (default %(default)g); with --expect, that fails the run")


def _positive(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError("must be 1 or more")
    return value


def command(args: argparse.Namespace) -> int:
    return guarded("platform", lambda: _run(args))


def _run(args: argparse.Namespace) -> int:
    if args.timeout <= 0:
        raise UsageError("--timeout must be more than 0 seconds")
    component = Component.load(component_root(args))
    cfg = {**load_credentials(args.credentials), **json_object(json_argument(args.cfg, "--cfg"), "--cfg")}
    check_required(component, args.step, cfg)
    bodies = [json_object(json_argument(body, "--body"), "--body") for body in args.body or ["{}"]]
    run = StepRun(function=args.step, cfg=cfg, env_out=args.env_out, bodies=bodies, amqp_uri=args.amqp_uri,
                  expect=args.expect, timeout=args.timeout,
                  component_path=Path(args.component_path) if args.component_path else None)
    signal.signal(signal.SIGTERM, _interrupt)
    return LocalPlatform(run).run()


def _interrupt(*_: Any) -> NoReturn:
    raise KeyboardInterrupt
