"""The installed distributions carry the whole component and work from any directory (issue 12 §1, §2).

A fresh virtual environment gets the three distributions the way the README's first command installs
them (``pip install ./sdk ./sandbox .``, not editable); the third-party dependencies come from the
interpreter running the tests (``--system-site-packages``, ``--no-build-isolation``), so the test needs
no network. Every command then runs from a directory outside the clone, where nothing of the source
tree can be found by accident.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DISTRIBUTIONS = {"sdk": "eiosdk", "sandbox": "mws_sandbox", ".": "mws_component"}

pytestmark = pytest.mark.slow


def _run(args: list[str], cwd: Path, timeout: float = 240, env: dict | None = None) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "ELASTICIO_", "VIRTUAL_ENV"))}
    return subprocess.run(args, cwd=cwd, capture_output=True, text=True, timeout=timeout, env={**clean, **(env or {})})


@pytest.fixture(scope="module")
def wheels(tmp_path_factory) -> dict[str, Path]:
    """Each distribution's wheel, built as the before-stop check and a publisher would build it."""
    built = {}
    for source, package in DISTRIBUTIONS.items():
        out = tmp_path_factory.mktemp(package)
        done = _run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "--no-build-isolation",
                     str(ROOT / source), "-w", str(out)], cwd=out)
        assert done.returncode == 0, done.stderr
        (built[package],) = out.glob("*.whl")
    return built


@pytest.fixture(scope="module")
def venv(tmp_path_factory) -> Path:
    home = tmp_path_factory.mktemp("venv")
    assert _run([sys.executable, "-m", "venv", "--system-site-packages", str(home)], cwd=home).returncode == 0
    done = _run([str(home / "bin" / "python"), "-m", "pip", "install", "-q", "--no-build-isolation",
                 "--disable-pip-version-check", str(ROOT / "sdk"), str(ROOT / "sandbox"), str(ROOT)], cwd=home)
    assert done.returncode == 0, done.stderr
    return home


@pytest.fixture
def outside(tmp_path) -> Path:
    """A working directory with no component.json in it or above it."""
    assert not any((d / "component.json").exists() for d in (tmp_path, *tmp_path.parents))
    return tmp_path


def test_each_wheel_claims_only_its_own_top_level_name(wheels):
    for package, wheel in wheels.items():
        names = zipfile.ZipFile(wheel).namelist()
        tops = {n.split("/")[0] for n in names if ".dist-info" not in n.split("/")[0]}
        assert tops == {package}, (wheel.name, tops)


def test_the_component_wheel_carries_the_whole_component(wheels):
    names = set(zipfile.ZipFile(wheels["mws_component"]).namelist())
    manifest = json.loads((ROOT / "component.json").read_text(encoding="utf-8"))
    wanted = {"mws_component/component.json", "mws_component/verifyCredentials.py"}
    for kind in ("triggers", "actions"):
        for step in manifest[kind].values():
            wanted.add("mws_component/" + step["main"].removeprefix("./"))
            for ref in (step.get("metadata") or {}).values():
                if isinstance(ref, str):
                    wanted.add("mws_component/" + ref.removeprefix("./"))
    wanted |= {"mws_component/" + p.relative_to(ROOT).as_posix() for p in (ROOT / "schemas").glob("*.json")}
    wanted |= {"mws_component/" + p.relative_to(ROOT).as_posix() for p in (ROOT / "lib").rglob("*.json")}
    assert wanted - names == set()
    assert not any(n.startswith(("mws_component/tests", "mws_component/bench")) for n in names)


def test_the_runtime_distribution_does_not_need_the_sandbox(wheels):
    metadata = zipfile.ZipFile(wheels["mws_component"]).read(
        next(n for n in zipfile.ZipFile(wheels["mws_component"]).namelist() if n.endswith("METADATA"))).decode()
    requires = [line for line in metadata.splitlines() if line.startswith("Requires-Dist:")]
    sandbox = [line for line in requires if "mws-sandbox" in line]
    assert sandbox and all("extra ==" in line for line in sandbox), sandbox
    assert any(line.startswith("Requires-Dist: eiosdk") for line in requires)


def test_every_command_works_outside_the_clone(venv, outside):
    bin_ = venv / "bin"
    where = _run([str(bin_ / "python"), "-c", "import mws_component, eiosdk; print(mws_component.__file__); "
                  "print(eiosdk.__file__)"], cwd=outside)
    assert where.returncode == 0, where.stderr
    assert all(str(venv) in line for line in where.stdout.split()), where.stdout  # the wheels, not the clone
    assert not list(venv.glob("lib/python*/site-packages/lib"))

    demo = _run([str(bin_ / "mws-component"), "demo", "--orders", "12"], cwd=outside)
    assert demo.returncode == 0, demo.stderr
    assert "verified: True" in demo.stdout and "listOrders, next poll" in demo.stdout

    sandbox = subprocess.Popen([str(bin_ / "mws-component"), "sandbox", "--port", "0", "--credentials-out",
                                "creds.json", "--orders", "20", "--seed", "3"], cwd=outside,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        _wait_for(outside / "creds.json", sandbox)
        verify = _run([str(bin_ / "mws-component"), "verify", "--credentials", "creds.json"], cwd=outside)
        assert verify.returncode == 0, verify.stderr
        assert json.loads(verify.stdout) == {"verified": True}

        orders = _run([str(bin_ / "mws-component"), "run", "listOrders", "--credentials", "creds.json",
                       "--snapshot", "snap.json"], cwd=outside)
        assert orders.returncode == 0, orders.stderr
        emitted = [json.loads(line) for line in orders.stdout.splitlines()]
        assert emitted and all(o["amazonOrderId"] for o in emitted)

        meta = _run([str(bin_ / "mws-component"), "exec", "getMetaModel", "submitProduct", "--credentials",
                     "creds.json", "--cfg", '{"category": "Beauty"}'], cwd=outside)
        assert meta.returncode == 0, meta.stdout + meta.stderr
        assert json.loads(meta.stdout)["status"] == "success"
    finally:
        sandbox.terminate()
        sandbox.wait(timeout=30)


def test_without_the_sandbox_the_component_runs_and_the_demo_says_what_to_install(tmp_path):
    home = tmp_path / "venv"
    assert _run([sys.executable, "-m", "venv", "--system-site-packages", str(home)], cwd=tmp_path).returncode == 0
    done = _run([str(home / "bin" / "python"), "-m", "pip", "install", "-q", "--no-build-isolation",
                 "--disable-pip-version-check", str(ROOT / "sdk"), str(ROOT)], cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    blocker = tmp_path / "no_sandbox"  # the editable sandbox of the interpreter running the tests stays out
    blocker.mkdir()
    (blocker / "mws_sandbox.py").write_text("raise ModuleNotFoundError(name='mws_sandbox')\n")
    env = {"PYTHONPATH": str(blocker)}
    demo = _run([str(home / "bin" / "mws-component"), "demo"], cwd=tmp_path, env=env)
    assert demo.returncode == 2
    assert "needs the MWS sandbox" in demo.stderr and "pip install ./sandbox" in demo.stderr
    assert "Traceback" not in demo.stderr
    load = _run([str(home / "bin" / "python"), "-c", "from eiosdk.component import Component; "
                 "from mws_component import COMPONENT_ROOT; print(len(Component.load(COMPONENT_ROOT).step_ids()))"],
                cwd=tmp_path, env=env)
    manifest = json.loads((ROOT / "component.json").read_text(encoding="utf-8"))
    assert load.returncode == 0, load.stderr
    assert int(load.stdout) == len(manifest["triggers"]) + len(manifest["actions"])


def _wait_for(path: Path, process: subprocess.Popen, seconds: float = 60) -> None:
    import time

    deadline = time.monotonic() + seconds
    while not (path.is_file() and path.stat().st_size):
        assert process.poll() is None, f"the sandbox exited with {process.returncode}"
        assert time.monotonic() < deadline, "the sandbox did not write its credentials"
        time.sleep(0.1)
