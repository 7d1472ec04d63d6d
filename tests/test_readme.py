"""README.md runs as written (issue 12 §6): every command block is executed, verbatim, in a test.

Which fences count:

* ``sh``, ``bash``, ``shell``, ``console``, ``zsh`` and unlabelled fences are **command blocks**. Each runs
  verbatim as one ``bash -e`` script (so heredocs, ``&`` and ``until`` loops work as in a terminal), in a
  temporary working directory, with real loopback HTTP and a timeout. The README's commands are meant
  to be run from the clone's root; the only repository file a block reads (``examples/``) is linked
  into the working directory, so nothing a block writes lands in the clone.
* ``json`` blocks must parse, or be listed in ``JSON_SHAPES`` with the reason they cannot.
* ``python`` blocks must compile (they illustrate the SDK; they are not programs to run).
* Any other fence language fails ``test_every_fence_is_classified``: decide, then add it here.

Special command blocks:

* The two set-up commands are not re-run recursively. ``pip install ./sdk ./sandbox . && mws-component
  demo`` runs only its ``mws-component demo`` part here (the suite runs with the packages installed;
  ``tests/test_install.py`` performs that install in a fresh virtual environment); ``bash
  scripts/test.sh`` is what runs this test, so it is recognised and not executed. Both are checked
  against ``.ci/run`` and ``scripts/test.sh`` so the README cannot drift from CI.
* The sandbox block starts ``mws-component sandbox --port 0 ... &``, which serves until stopped. It runs
  first in a shared working directory; the blocks that use its ``creds.json`` (they say so in the
  README) run after it, in README order, in that directory; the sandbox's process group is stopped at
  the end of the module.
* The benchmark block (``python3 bench/run.py --json``, about a minute) runs with ``--quick`` (tiny
  sizes, seconds) and ``--results`` in the working directory, so the clone's ``bench/results`` is left
  alone; the full benchmark is not run here.
* A block preceded by ``<!-- tests/test_readme.py: ... -->`` is not run; the comment states why, and
  ``EXCLUDED`` lists those reasons so an exclusion cannot appear or change silently.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import signal
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
SHELL_LANGS = {"sh", "bash", "shell", "console", "zsh", ""}
MARKER = re.compile(r"<!--\s*tests/test_readme\.py:\s*(.*?)\s*-->")
FENCE = re.compile(r"^```([^\n`]*)\n(.*?)^```[ \t]*$", re.M | re.S)
TIMEOUT = 180

INSTALL_AND_DEMO = "python3 -m pip install ./sdk ./sandbox . && mws-component demo"
RUN_SUITE = "bash scripts/test.sh"
BENCH = "python3 bench/run.py --json"
SANDBOX_START = re.compile(r"^mws-component sandbox .*--credentials-out creds\.json.*&", re.M)
# Blocks not run, keyed by their first line, with the reason the README gives right above them.
EXCLUDED = {
    "docker build -t amazon-mws-component .":
        "not run: needs a Docker daemon and the network (pulls python:3.11-slim)",
}
# JSON blocks that document an output's shape with `...` elisions, so they are not JSON on purpose.
JSON_SHAPES = {
    '{"amazonOrderId": "058-1233752-8214740",': "List Order Items output shape, `...` elides values",
}


@dataclass(frozen=True)
class Block:
    lang: str
    text: str
    line: int
    marker: str | None

    @property
    def first(self) -> str:
        return self.text.splitlines()[0].strip() if self.text.strip() else ""

    @property
    def id(self) -> str:
        return f"L{self.line}-{self.lang or 'plain'}"


def blocks() -> list[Block]:
    source = README.read_text(encoding="utf-8")
    found = []
    for match in FENCE.finditer(source):
        before = source[:match.start()].rstrip("\n").rsplit("\n", 1)[-1]
        marker = MARKER.fullmatch(before.strip())
        found.append(Block(match.group(1).strip().lower(), match.group(2),
                           source.count("\n", 0, match.start()) + 1, marker.group(1) if marker else None))
    return found


ALL = blocks()
SHELL = [b for b in ALL if b.lang in SHELL_LANGS]


def kind(block: Block) -> str:
    if block.marker is not None:
        return "excluded"
    if block.text.strip() == INSTALL_AND_DEMO:
        return "install-demo"
    if block.text.strip() == RUN_SUITE:
        return "suite"
    if block.text.strip() == BENCH:
        return "bench"
    if SANDBOX_START.search(block.text):
        return "sandbox"
    if "creds.json" in block.text or "creds.sp-api.json" in block.text:
        return "needs-sandbox"
    return "standalone"


def env() -> dict[str, str]:
    """The suite's environment without platform variables, with this interpreter's scripts on PATH."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith("ELASTICIO_")}
    clean["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), clean.get("PATH", "")])
    return clean


@dataclass
class Ran:
    returncode: int
    stdout: str
    stderr: str


def run_block(script: str, cwd: Path, name: str) -> tuple[Ran, int]:
    """Run ``script`` verbatim with ``bash -e`` in its own process group; output goes to files, not pipes,
    so a background server the block leaves running cannot hold the run open. Returns the result and
    the process group id (the caller stops what is left in it)."""
    out, err = cwd / f".{name}.stdout", cwd / f".{name}.stderr"
    with out.open("wb") as o, err.open("wb") as e:
        proc = subprocess.Popen(["bash", "-e", "-c", script], cwd=cwd, env=env(), stdout=o, stderr=e,
                                stdin=subprocess.DEVNULL, start_new_session=True)
        try:
            code = proc.wait(timeout=TIMEOUT)
        except subprocess.TimeoutExpired:
            stop_group(proc.pid)
            code = -1
    return Ran(code, out.read_text(errors="replace"), err.read_text(errors="replace")), proc.pid


def stop_group(pgid: int) -> None:
    try:
        os.killpg(pgid, signal.SIGTERM)
    except ProcessLookupError:
        return


def workdir(base: Path) -> Path:
    base.mkdir(parents=True, exist_ok=True)
    for name in ("examples", "bench"):
        (base / name).symlink_to(ROOT / name, target_is_directory=True)
    return base


def explain(block: Block, ran: Ran) -> str:
    return (f"README.md line {block.line} block failed (exit {ran.returncode}):\n{block.text}\n"
            f"--- stdout\n{ran.stdout[-3000:]}\n--- stderr\n{ran.stderr[-3000:]}")


@pytest.fixture(scope="module")
def sandbox_dir(tmp_path_factory):
    """Runs the README's sandbox block (which leaves the sandbox serving) once; yields its directory
    and result; stops the sandbox's process group afterwards."""
    (block,) = [b for b in SHELL if kind(b) == "sandbox"]
    cwd = workdir(tmp_path_factory.mktemp("readme") / "clone")
    ran, pgid = run_block(block.text, cwd, "sandbox")
    yield cwd, block, ran
    stop_group(pgid)


def test_every_fence_is_classified():
    assert ALL, "no fenced blocks found in README.md"
    for block in ALL:
        assert block.lang in SHELL_LANGS | {"json", "python"}, (
            f"README.md line {block.line}: fence ```{block.lang} is neither run nor validated by "
            "tests/test_readme.py; classify it there")


def test_exclusions_are_exactly_the_listed_ones_with_their_reasons():
    excluded = {b.first: b.marker for b in SHELL if b.marker is not None}
    assert excluded == EXCLUDED
    markers_elsewhere = [b for b in ALL if b.marker is not None and b.lang not in SHELL_LANGS]
    assert not markers_elsewhere


@pytest.mark.parametrize("block", [b for b in ALL if b.lang == "json"], ids=lambda b: b.id)
def test_json_blocks_parse_or_are_documented_shapes(block):
    try:
        json.loads(block.text)
    except json.JSONDecodeError:
        assert block.first in JSON_SHAPES, f"README.md line {block.line}: JSON block does not parse"
        assert "..." in block.text
    else:
        assert block.first not in JSON_SHAPES, "parses now: drop it from JSON_SHAPES"


@pytest.mark.parametrize("block", [b for b in ALL if b.lang == "python"], ids=lambda b: b.id)
def test_python_blocks_compile(block):
    compile(block.text, f"README.md:{block.line}", "exec")


def test_setup_commands_are_the_ones_ci_runs():
    kinds = [kind(b) for b in SHELL]
    assert kinds[:2] == ["install-demo", "suite"], "the README must open with its two set-up commands"
    ci = [line for line in (ROOT / ".ci" / "run").read_text().splitlines() if line and not line.startswith("#")]
    assert ci[-1] == f"exec {RUN_SUITE} -q", ".ci/run must run the README's test command"
    script = (ROOT / "scripts" / "test.sh").read_text()
    install = INSTALL_AND_DEMO.split(" && ")[0]
    install_lines = [line.strip() for line in script.splitlines() if line.strip().startswith("python3 -m pip install")]
    assert len(install_lines) == 1, "scripts/test.sh installs the package once"
    tokens = shlex.split(install_lines[0])
    readme_tokens = shlex.split(install)
    # Same installer and the same three distributions (editable there, plus quiet flags and the test extra).
    assert tokens[:4] == readme_tokens[:4] == ["python3", "-m", "pip", "install"]
    assert [t for t in tokens[4:] if not t.startswith("-")] == ["./sdk", "./sandbox", ".[test]"]
    assert readme_tokens[4:] == ["./sdk", "./sandbox", "."]
    assert "python3 -m pytest" in script


@pytest.mark.parametrize("block", SHELL, ids=lambda b: b.id)
def test_command_block_runs(block, tmp_path, request):
    what = kind(block)
    if what == "excluded":
        assert EXCLUDED.get(block.first) == block.marker
        return
    if what == "suite":
        return  # running the suite from inside the suite would recurse; checked by test_setup_commands_...
    if what == "install-demo":
        ran, pgid = run_block(INSTALL_AND_DEMO.split(" && ", 1)[1], workdir(tmp_path / "clone"), "demo")
        stop_group(pgid)
        assert ran.returncode == 0, explain(block, ran)
        assert "_DONE_" in ran.stdout + ran.stderr
        return
    if what == "bench":
        cwd = workdir(tmp_path / "clone")
        ran, pgid = run_block(f"{BENCH} --quick --results bench-results", cwd, "bench")
        stop_group(pgid)
        assert ran.returncode == 0, explain(block, ran)
        assert isinstance(json.loads(ran.stdout), dict)
        assert (cwd / "bench-results").is_dir()
        return
    if what == "standalone":
        ran, pgid = run_block(block.text, workdir(tmp_path / "clone"), "block")
        stop_group(pgid)
        assert ran.returncode == 0, explain(block, ran)
        return
    cwd, sandbox_block, sandbox_ran = request.getfixturevalue("sandbox_dir")
    assert sandbox_ran.returncode == 0, explain(sandbox_block, sandbox_ran)
    if what == "sandbox":
        assert '"verified": true' in sandbox_ran.stdout
        assert json.loads((cwd / "state.json").read_text())
        return
    ran, pgid = run_block(block.text, cwd, f"L{block.line}")
    stop_group(pgid)  # a block that failed before its own `kill` leaves nothing running
    assert ran.returncode == 0, explain(block, ran)
    if "mws-component platform" in block.text:
        records = [json.loads(line) for line in ran.stdout.splitlines()]
        assert [r["event"] for r in records] == ["data"]
        assert records[0]["message"]["body"]["amazonOrderId"] == "058-1233752-8214740"
        assert records[0]["message"]["body"]["orderItems"]
    if "mws-component run listOrderItems" in block.text:
        items = [json.loads(line) for line in ran.stdout.splitlines() if '"orderItems"' in line]
        assert [i["amazonOrderId"] for i in items] == ["058-1233752-8214740"] * 2 and items[0]["orderItems"]
        assert any(json.loads(line).get("dryRun") is True for line in ran.stdout.splitlines()
                   if line.startswith("{"))
    if "creds.sp-api.json" in block.text:
        lines = ran.stdout.splitlines()
        assert json.loads(lines[0]) == {"verified": True}
        assert [json.loads(line)["amazonOrderId"] for line in lines[1:]]  # orders read through SP-API
    if "serve verifyCredentials" in block.text:
        posted = [json.loads(line) for line in ran.stdout.splitlines() if line.startswith('{"status"')]
        assert posted == [{"status": "success", "data": {"verified": True}}]
