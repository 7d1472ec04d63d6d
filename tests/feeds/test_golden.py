"""Golden files: the exact bytes of feeds built from golden/<name>.json, pinned in golden/<name>.xml.

A change of output (order, escaping, declaration, whitespace) must be deliberate: regenerate with
``UPDATE_GOLDEN=1 python -m pytest tests/feeds/test_golden.py`` and review the diff.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from mws_component.lib.feeds import build_feed

from .conftest import GOLDEN_DIR

REPO = Path(__file__).resolve().parents[2]
CASES = sorted(p.stem for p in GOLDEN_DIR.glob("*.json"))


def _build(name: str) -> bytes:
    spec = json.loads((GOLDEN_DIR / f"{name}.json").read_text(encoding="utf-8"))
    return build_feed(spec["kind"], spec["items"], **spec["options"]).xml


def test_there_is_a_golden_file_per_kind():
    kinds = {json.loads((GOLDEN_DIR / f"{n}.json").read_text())["kind"] for n in CASES}
    assert kinds == {"inventory", "price", "image", "relationship", "product", "override"}


@pytest.mark.parametrize("name", CASES)
def test_output_matches_golden_bytes(name, assert_xsd_valid):
    built = _build(name)
    golden = GOLDEN_DIR / f"{name}.xml"
    if os.environ.get("UPDATE_GOLDEN") == "1":
        golden.write_bytes(built)
    assert golden.is_file(), f"{golden} missing; run with UPDATE_GOLDEN=1 to create it"
    assert built == golden.read_bytes(), f"{name}: output differs from {golden.name}:\n{built.decode()}"
    assert_xsd_valid(built)


def test_same_bytes_across_processes_and_hash_seeds():
    """Nothing in the output may depend on dict/set iteration of a particular interpreter run."""
    script = (
        "import hashlib, json, sys; sys.path.insert(0, sys.argv[1]);"
        "from lib.feeds import build_feed;"
        "spec = json.load(open(sys.argv[2]));"
        "print(hashlib.sha256(build_feed(spec['kind'], spec['items'], **spec['options']).xml).hexdigest())"
    )
    golden = str(GOLDEN_DIR / "product_beauty.json")
    digests = set()
    for seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        out = subprocess.run([sys.executable, "-c", script, str(REPO), golden], env=env, capture_output=True,
                             text=True, timeout=60, check=True)
        digests.add(out.stdout.strip())
    assert len(digests) == 1
    import hashlib

    assert digests == {hashlib.sha256(_build("product_beauty")).hexdigest()}
