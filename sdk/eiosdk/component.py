"""A component on disk: its validated component.json, its step definitions and their imported modules.

``Component.load(root)`` reads ``<root>/component.json``, checks every rule in ``eiosdk.manifest``
(importing each step's ``main`` to see what it exports) and raises ``ManifestError`` listing every
problem with its JSON path. A loaded component hands out ``StepDefinition`` (what component.json
says about a step, metadata files already read) and ``LoadedStep`` (definition + module), which is
what ``eiosdk.executor.execute`` runs.
"""

from __future__ import annotations

import json
from collections.abc import Collection
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any, Literal

from .errors import ManifestError, Problem, UnknownStepError
from .loader import import_step_module
from .manifest import KINDS, ManifestChecker, within

MANIFEST = "component.json"


@dataclass(frozen=True)
class StepDefinition:
    """One trigger or action as component.json declares it (``main`` resolved to an absolute path)."""

    id: str
    kind: Literal["trigger", "action"]
    title: str
    main: Path
    description: str = ""
    fields: dict[str, Any] = field(default_factory=dict)
    metadata: dict[str, Any] | None = None  # {"in": schema, "out": schema}, files already loaded
    dynamic_metadata: bool = False
    type: str | None = None  # triggers: "polling" | "webhook"
    raw: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class LoadedStep:
    """A step ready to run: its definition and its imported ``main`` module."""

    definition: StepDefinition
    module: ModuleType

    @property
    def id(self) -> str:
        return self.definition.id

    def function(self, name: str) -> Any:
        """The callable ``name`` exported by the step's module, or ``None``."""
        value = getattr(self.module, name, None)
        return value if callable(value) else None


class Component:
    """A validated component: ``root``, ``manifest`` (the parsed JSON), ``warnings`` and its steps."""

    def __init__(self, root: Path, manifest: dict[str, Any], steps: dict[str, StepDefinition],
                 modules: dict[str, ModuleType], warnings: list[str]) -> None:
        self.root = root
        self.manifest = manifest
        self.warnings = warnings
        self._steps = steps
        self._modules = modules

    @classmethod
    def load(cls, root: Path | str, steps: Collection[str] | None = None) -> Component:
        """Read and validate ``<root>/component.json``; ``ManifestError`` lists every problem.

        ``steps`` (ids) imports only those steps' modules, as a sailor running one step needs: the
        manifest is still checked whole, the other steps' modules are imported by ``load_step`` only.
        """
        root = Path(root).resolve()
        source = root / MANIFEST
        manifest = _read_manifest(source)
        checker = ManifestChecker(manifest, root, import_step_module, only=steps).run()
        if checker.problems:
            raise ManifestError(str(source), checker.problems)
        steps = {d.id: d for d in _definitions(manifest, root, checker.metadata)}
        return cls(root, manifest, steps, checker.modules, checker.warnings)

    @property
    def title(self) -> str:
        return str(self.manifest.get("title", ""))

    @property
    def credential_fields(self) -> dict[str, Any]:
        return dict((self.manifest.get("credentials") or {}).get("fields") or {})

    def step_ids(self) -> list[str]:
        return list(self._steps)

    def step(self, step_id: str) -> StepDefinition:
        """The definition of trigger/action ``step_id``; the error lists the ids that exist."""
        try:
            return self._steps[step_id]
        except KeyError:
            raise UnknownStepError(
                f"{self.title or self.root} has no trigger or action {step_id!r}; "
                f"choose one of: {', '.join(self._steps)}"
            ) from None

    def load_step(self, step_id: str) -> LoadedStep:
        """The step with its ``main`` module (imported once, from its file path)."""
        definition = self.step(step_id)
        module = self._modules.get(step_id)
        if module is None:
            module = import_step_module(definition.main, self.root)
            self._modules[step_id] = module
        return LoadedStep(definition, module)

    def verify_credentials(self, cfg: dict[str, Any]) -> dict[str, Any]:
        """Run the root's ``verifyCredentials.py`` with the platform's result rules (see eiosdk.service)."""
        from .service import verify_credentials

        return verify_credentials(self, cfg)


def _read_manifest(source: Path) -> Any:
    if not source.is_file():
        raise ManifestError(str(source), [Problem("$", f"{source} does not exist; a component needs "
                                                  "component.json in its root directory")])
    try:
        return json.loads(source.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise ManifestError(str(source), [Problem("$", f"not valid JSON: {exc}")]) from None


def _definitions(manifest: dict[str, Any], root: Path, metadata: dict[str, Any]) -> list[StepDefinition]:
    found = []
    for key, kind in KINDS:
        for step_id, raw in (manifest.get(key) or {}).items():
            found.append(StepDefinition(
                id=step_id, kind=kind, title=raw["title"], main=within(root, raw["main"]),
                description=raw.get("description", ""), fields=dict(raw.get("fields") or {}),
                metadata=metadata.get(step_id), dynamic_metadata=bool(raw.get("dynamicMetadata")),
                type=raw.get("type") if kind == "trigger" else None, raw=raw,
            ))
    return found
