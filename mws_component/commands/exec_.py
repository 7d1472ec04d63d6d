"""``mws-component exec getMetaModel|verifyCredentials|SELECT_MODEL_NAME [STEP] --credentials FILE [--cfg]``.

Prints what the platform's service mode would receive (``{"status": "success"|"error", "data": ...}``)
so dynamic metadata and select models can be tried locally; exit 1 when the call failed.
"""

from __future__ import annotations

import argparse

from eiosdk.cli import add_exec_arguments, exec_command

HELP = "call getMetaModel or a select model of a step (service mode, locally)"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_exec_arguments(parser)


def run(args: argparse.Namespace) -> int:
    return exec_command(args)
