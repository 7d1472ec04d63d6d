"""``mws-component serve verifyCredentials|getMetaModel|selectModel``: the image's ``serve`` entry point.

Reads ``ELASTICIO_CFG`` (and ``ELASTICIO_ACTION_OR_TRIGGER``, ``ELASTICIO_GET_MODEL_METHOD``), runs the
component's function and POSTs ``{"status", "data"}`` to ``ELASTICIO_POST_RESULT_URL``.
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path

HELP = "service mode: verifyCredentials | getMetaModel | selectModel, result POSTed to the platform"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("method", help="verifyCredentials, getMetaModel or selectModel")
    parser.add_argument("extra", nargs="*", help=argparse.SUPPRESS)  # serve.sh passes up to 3 args
    from eiosdk.cli import add_component_path_argument

    add_component_path_argument(parser, "directory holding component.json (default as for `sailor`)", type=Path)


def run(args: argparse.Namespace) -> int:
    from eiosdk.cli import component_root, guarded
    from eiosdk.sailor.service_mode import run_service

    return guarded("serve", lambda: run_service(args.method, os.environ, component_root(args)))
