"""Import a step's ``main`` file by path, the way the platform resolves ``main`` against the component root.

Why not a plain ``importlib.import_module``: ``main`` is a file path (``./lib/actions/x.py``), and a
component under test may live anywhere (fixtures, a temp dir). When the file sits in a package that is
importable under the same dotted name from the same directory, it is imported under that name so
relative imports work and it is never loaded twice. The dotted name starts at the root, or, when the
root is itself an importable package (an installed component such as ``mws_component``), at the root's
package: ``mws_component.lib.actions.x``. Regular packages only, with ``__init__.py`` at every level.
Otherwise the file gets a private name (``eiosdk_steps.<stem>_<hash>``) that cannot shadow real packages.
"""

from __future__ import annotations

import hashlib
import importlib.util
import os
import sys
from pathlib import Path
from types import ModuleType

from .errors import StepLoadError


def import_step_module(path: Path | str, root: Path | str) -> ModuleType:
    """The module at ``path`` (imported once per process); ``StepLoadError`` says why it failed."""
    path, root = Path(os.path.abspath(path)), Path(os.path.abspath(root))  # links kept: see _package_name
    if not path.is_file():
        raise StepLoadError(f"{_shown(path, root)} does not exist; create it or fix `main` in component.json")
    if not _is_package(root.name, root):
        _ensure_on_path(root)
    name = _package_name(path, root) or _private_name(path)
    existing = sys.modules.get(name)
    if existing is not None and _same_file(existing, path):
        return existing
    return _exec(name, path, root)


def _exec(name: str, path: Path, root: Path) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, path)
    if spec is None or spec.loader is None:
        raise StepLoadError(f"{_shown(path, root)} cannot be imported as a Python module")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    try:
        spec.loader.exec_module(module)
    except Exception as exc:
        sys.modules.pop(name, None)
        raise StepLoadError(f"importing {_shown(path, root)} failed: {type(exc).__name__}: {exc}") from exc
    return module


def _ensure_on_path(root: Path) -> None:
    """Let steps import siblings (``lib.mws``) even when the component is not pip-installed (a root that
    is itself an importable package is not added: its modules are imported under the package's name)."""
    if str(root) not in sys.path:
        sys.path.append(str(root))


def _package_name(path: Path, root: Path) -> str | None:
    """``path``'s dotted name when importing that name finds this very file, else None.

    Paths are compared as given under the root (a component may link ``lib`` into its package) and
    resolved only to check that the package found is this one.
    """
    try:
        parts = path.relative_to(root).with_suffix("").parts
    except ValueError:
        return None
    if not all(p.isidentifier() for p in parts):
        return None
    if not all((root.joinpath(*parts[:i]) / "__init__.py").is_file() for i in range(1, len(parts))):
        return None  # namespace packages are ambiguous across components: use a private name
    prefix = [root.name] if _is_package(root.name, root) else []
    dotted = [*prefix, *parts]
    if len(dotted) < 2:
        return None
    return ".".join(dotted) if _is_package(".".join(dotted[:-1]), path.parent) else None


def _is_package(name: str, directory: Path) -> bool:
    """Whether importing ``name`` finds the regular package in ``directory``."""
    if not all(p.isidentifier() for p in name.split(".")):
        return False
    if not (directory / "__init__.py").is_file():
        return False
    try:
        spec = importlib.util.find_spec(name)
    except (ImportError, ValueError):
        return False
    locations = [Path(p).resolve() for p in (spec.submodule_search_locations or [])] if spec else []
    return directory.resolve() in locations


def _private_name(path: Path) -> str:
    digest = hashlib.sha1(str(path).encode()).hexdigest()[:10]
    stem = "".join(c if c.isalnum() else "_" for c in path.stem)
    return f"eiosdk_steps.{stem}_{digest}"


def _same_file(module: ModuleType, path: Path) -> bool:
    file = getattr(module, "__file__", None)
    return bool(file) and Path(file).resolve() == path.resolve()


def _shown(path: Path, root: Path) -> str:
    try:
        return "./" + path.relative_to(root).as_posix()
    except ValueError:
        return str(path)
