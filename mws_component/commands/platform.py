"""``mws-component platform STEP --env-out FILE [--credentials FILE] [--cfg] [--body ...] [--expect N]``.

A stand-in for the platform around one step, to try ``mws-component sailor`` on a local RabbitMQ:
declares a uniquely named flow's exchange and queues, serves the step's data on a loopback REST API,
writes the step's ``ELASTICIO_*`` environment to ``--env-out`` (mode 0600), publishes the input
messages once a sailor consumes, prints each output as a JSON line and deletes the flow on exit.
See ``eiosdk.sailor.local_platform``.
"""

from __future__ import annotations

import argparse

from eiosdk.sailor.local_command import HELP, add_arguments, command

__all__ = ["HELP", "add_arguments", "run"]


def run(args: argparse.Namespace) -> int:
    return command(args)
