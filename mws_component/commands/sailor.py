"""``mws-component sailor``: run the step named by ``ELASTICIO_FUNCTION`` on the platform's RabbitMQ.

This is the component image's ``sail`` entry point. All configuration comes from the ``ELASTICIO_*``
environment the platform sets; SIGTERM/SIGINT stop consuming, let in-flight messages finish and exit 0.
"""

from __future__ import annotations

import argparse
import logging
import os
import signal
import sys
from pathlib import Path

HELP = "run a step on the platform's message bus (RabbitMQ), configured by ELASTICIO_* variables"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    from eiosdk.cli import add_component_path_argument

    add_component_path_argument(parser, "directory holding component.json (default: ELASTICIO_COMPONENT_PATH "
                                        "relative to the working directory, else this installation's component)",
                                type=Path)


def bridge_stdlib_logs() -> None:
    """``lib.mws`` (retries, pacing) and pika (connection trouble) log through stdlib ``logging``; make
    those the same redacted bunyan lines on stdout, with pika's chatter below warnings left out."""
    from eiosdk.logging import install_stdlib_bridge

    install_stdlib_bridge()
    logging.getLogger("pika").setLevel(logging.WARNING)


def run(args: argparse.Namespace) -> int:
    from eiosdk.cli import component_root
    from eiosdk.logging import get_logger
    from eiosdk.runner import UsageError
    from eiosdk.sailor.runtime import Sailor
    from eiosdk.sailor.settings import SettingsError, load_settings

    try:
        settings = load_settings(os.environ)
        root = component_root(args)
    except (SettingsError, UsageError) as exc:
        get_logger("sailor").fatal(str(exc))
        print(f"mws-component sailor: {exc}", file=sys.stderr)
        return 1
    bridge_stdlib_logs()
    sailor = Sailor(settings, root)
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: sailor.request_stop())
    return sailor.run()
