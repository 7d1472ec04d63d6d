"""The import rules in pyproject.toml ([tool.importlinter]) hold: the SDK knows no component, the
sandbox shares nothing with the client, the component's run time needs no sandbox, nobody imports a
top-level ``lib``, and the component's layers import downwards only."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_import_contracts_are_kept():
    lint = shutil.which("lint-imports")
    assert lint, "import-linter is a test dependency: bash scripts/test.sh installs it"
    done = subprocess.run([lint, "--no-cache"], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "0 broken" in done.stdout and "4 kept" in done.stdout
