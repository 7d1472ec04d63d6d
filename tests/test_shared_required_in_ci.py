"""Under CI a missing shared folder (Amazon's XSDs) fails the run; elsewhere its tests are skipped."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
NEEDS_XSDS = "tests/feeds/test_generator.py::test_data_is_our_compact_digest_not_a_copy"


def run_pytest(tmp_path: Path, **env: str) -> subprocess.CompletedProcess:
    base = {k: v for k, v in os.environ.items() if k not in ("CI", "MWS_XSD_DIR")}
    return subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", NEEDS_XSDS],
                          capture_output=True, text=True, cwd=REPO, timeout=120,
                          env={**base, "MWS_XSD_DIR": str(tmp_path / "no-xsds"), **env})


def test_missing_xsds_fail_the_run_when_ci_is_set(tmp_path):
    done = run_pytest(tmp_path, CI="1")
    assert done.returncode == 1, done.stdout
    assert "1 error" in done.stdout and "skipped" not in done.stdout  # the fixture fails: an error, not a skip
    assert "CI is set, so this is a failure, not a skip" in done.stdout


def test_missing_xsds_only_skip_outside_ci(tmp_path):
    done = run_pytest(tmp_path)
    assert done.returncode == 0, done.stdout
    assert "1 skipped" in done.stdout


def test_the_xsds_are_found_where_they_should_be(tmp_path):
    done = run_pytest(tmp_path, CI="1", MWS_XSD_DIR="")  # empty: the default ../shared/mws-xsd
    assert done.returncode == 0 and "1 passed" in done.stdout, done.stdout
