"""The moto-style split holds: models know nothing of XML or HTTP, handlers stay short, and every
routed operation exists in the sandbox's own operation table, with a quota."""

from __future__ import annotations

import ast
from pathlib import Path

import mws_sandbox
from mws_sandbox.operations import OPERATIONS
from mws_sandbox.routes import ROUTES

PACKAGE = Path(mws_sandbox.__file__).parent
WIRE_MODULES = ("xml", "lxml", "defusedxml", "http", "requests", "urllib", "socket", "socketserver")


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {a.name.split(".")[0] for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module.split(".")[0])
    return names


def test_models_import_no_xml_or_http():
    for path in (PACKAGE / "models").glob("*.py"):
        assert not _imports(path) & set(WIRE_MODULES), path.name


def test_handlers_are_short():
    for path in (PACKAGE / "handlers").glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef):
                assert node.end_lineno - node.lineno + 1 <= 15, f"{path.name}:{node.name}"


def test_every_route_has_an_operation_with_a_quota():
    for (path, action), route in ROUTES.items():
        op = OPERATIONS[route.operation]
        assert (op.section.path, op.action) == (path, action)
        assert op.quota.burst > 0


def test_untrusted_xml_is_parsed_only_with_defusedxml():
    for path in PACKAGE.rglob("*.py"):
        source = path.read_text(encoding="utf-8")
        assert "ET.fromstring" not in source and "etree.fromstring" not in source, path.name
        assert "ET.parse(" not in source and "XMLParser" not in source, path.name
