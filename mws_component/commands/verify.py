"""``mws-component verify --credentials FILE``: the platform's credential check, run locally.

Calls the component root's ``verifyCredentials.py`` through the SDK's service rules and prints the
JSON result (``{"verified": bool, "reason"?: str}``); exit 0 when verified, 1 when not, 2 on bad input.
"""

from __future__ import annotations

import argparse

from eiosdk.cli import add_component_arguments, verify_command

HELP = "check credentials the way the platform does on connect"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_component_arguments(parser)


def run(args: argparse.Namespace) -> int:
    return verify_command(args)
