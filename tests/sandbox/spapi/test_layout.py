"""The SP-API side keeps the sandbox's moto-style split: its state modules import no HTTP or JSON wire
code, its handlers stay short, and nothing in it imports the client."""

from __future__ import annotations

import ast
from pathlib import Path

import mws_sandbox.spapi

PACKAGE = Path(mws_sandbox.spapi.__file__).parent
STATE_MODULES = ("identity.py", "plans.py", "quota.py", "statuses.py", "feedstore.py", "issues.py")
WIRE = {"json", "http", "requests", "urllib", "socket", "xml"}


def _imports(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names |= {a.name.split(".")[0] for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(("." * node.level) + node.module)
    return names


def test_state_modules_import_no_wire_code():
    for name in STATE_MODULES:
        imports = _imports(PACKAGE / name)
        assert not {i.split(".")[0] for i in imports} & WIRE, name
        assert not any(i.lstrip(".").startswith(("render", "http", "wire")) for i in imports), name


def test_handlers_are_short():
    for path in PACKAGE.glob("handlers*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef):
                assert node.end_lineno - node.lineno + 1 <= 15, f"{path.name}:{node.name}"


def test_nothing_imports_the_client():
    for path in PACKAGE.glob("*.py"):
        assert not {i for i in _imports(path) if i.startswith(("mws_component", "lib"))}, path.name
