"""``mws-component run STEP`` in this process, so the client shares the sandbox's simulated clock."""

from __future__ import annotations

import argparse
import io
import logging
import sys
from pathlib import Path
from typing import TextIO

from eiosdk.cli import add_run_arguments, run_command

from mws_component import COMPONENT_ROOT


def run_step(step: str, creds: Path, *extra: str, err: TextIO | None = None) -> tuple[int, str, str]:
    """``(exit code, stdout, stderr)``; stderr goes to ``err`` when given (a pty), and is then returned empty."""
    parser = argparse.ArgumentParser()
    add_run_arguments(parser)
    parser.set_defaults(installed_component=COMPONENT_ROOT)
    args = parser.parse_args([step, "--credentials", str(creds), *extra])
    out, captured = io.StringIO(), io.StringIO()
    saved = sys.stdout, sys.stderr
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level  # the command installs the stdlib bridge: undo it
    sys.stdout, sys.stderr = out, err or captured
    try:
        code = run_command(args)
    finally:
        sys.stdout, sys.stderr = saved
        root.handlers[:] = handlers
        root.setLevel(level)
    return code, out.getvalue(), captured.getvalue()
