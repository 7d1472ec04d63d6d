"""``mws-component run STEP --credentials FILE [--cfg] [--body] [--snapshot] [--fixture --fixture-name]``.

Runs one trigger or action locally like the platform would (see ``eiosdk.runner``): data bodies as
JSON lines on stdout, other events and logs on stderr, snapshot file rewritten atomically, exit 1 with
the error's message when the step emitted an error.
"""

from __future__ import annotations

import argparse

from eiosdk.cli import add_run_arguments, run_command

HELP = "run one trigger or action locally, like the platform would"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_run_arguments(parser)


def run(args: argparse.Namespace) -> int:
    return run_command(args)
