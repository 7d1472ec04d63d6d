"""The rules component.json must follow, checked all at once so one run reports every problem.

Rules follow elasticio-cli's ``cmp:validate`` (elasticio.md §1), made strict where the CLI only warns
about things that break a component at runtime:

* trigger/action ids match ``^[A-Za-z][\\w_]*$`` and are unique across triggers and actions;
* each step has a ``title`` and a ``main`` file inside the component that imports and defines
  ``process``; triggers' ``type`` is ``polling`` or ``webhook``;
* each step has ``metadata`` or ``dynamicMetadata: true`` (and then ``main`` exports ``getMetaModel``);
  a ``help``, when given, is ``{description, link}``; a field's ``order``, when given, is a number;
* every field has a known ``viewClass``; a select in *credentials* needs an object model; a string
  ``model`` must name a function exported by ``main``; select/multi-select fields need a model;
* metadata (inline or a ``./schemas/x.json`` path) is a schema in the platform's dialect: ``type``
  known, per-property ``required`` a boolean, objects with ``properties``, arrays with ``items``.

Missing descriptions and labels are warnings (the platform works without them).

``ManifestChecker(..., only=ids)`` imports only those steps' ``main`` (what a sailor running one step
does): every other rule is still checked for every step, but the other steps' modules are neither
imported nor checked for what they export.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable, Collection
from pathlib import Path
from types import ModuleType
from typing import Any

from .errors import Problem, StepLoadError

ID_PATTERN = re.compile(r"^[A-Za-z][\w_]*$", re.ASCII)
VIEW_CLASSES = frozenset({
    "TextFieldView", "TextFieldWithNoteView", "PasswordFieldView", "CheckBoxView", "CodeFieldView",
    "TextAreaView", "TextAreaWithNoteView", "SelectView", "MultiSelectView", "SelectTreeView",
    "SelectPropertyView", "OAuthFieldView", "WebHookPayloadView", "OutMetadataView",
    "InMetadataExtensionView", "CSVReadView", "CSVWriteView", "JSONataView", "RESTAPIView",
    "HTTPAuthView", "WebhookAuthView",
})
SELECT_VIEWS = frozenset({"SelectView", "MultiSelectView"})
TRIGGER_TYPES = frozenset({"polling", "webhook"})
SCHEMA_TYPES = frozenset({"string", "number", "integer", "boolean", "object", "array", "date", "null", "any"})
KINDS = (("triggers", "trigger"), ("actions", "action"))

Importer = Callable[[Path, Path], ModuleType]


def within(root: Path, ref: str) -> Path:
    """``ref`` (a path in component.json) under ``root``, normalised without following links: a
    component may link files into its package, and ``..`` is what would leave the component."""
    return Path(os.path.normpath(root / ref))


class ManifestChecker:
    """Collects ``problems`` (fatal) and ``warnings``; also the resolved metadata and imported modules."""

    def __init__(self, manifest: Any, root: Path, importer: Importer,
                 only: Collection[str] | None = None) -> None:
        self.manifest = manifest
        self.root = root
        self.importer = importer
        self.only = None if only is None else frozenset(only)  # None: import every step's main
        self.problems: list[Problem] = []
        self.warnings: list[str] = []
        self.metadata: dict[str, dict[str, Any] | None] = {}
        self.modules: dict[str, ModuleType] = {}

    def problem(self, path: str, message: str) -> None:
        self.problems.append(Problem(path, message))

    def warn(self, path: str, message: str) -> None:
        self.warnings.append(f"{path}: {message}")

    def run(self) -> ManifestChecker:
        if not isinstance(self.manifest, dict):
            self.problem("$", "component.json must hold a JSON object")
            return self
        for key in ("title", "description"):
            if not _text(self.manifest.get(key)):
                self.warn(f"$.{key}", f"the component has no {key}")
        self._credentials()
        self._steps()
        return self

    # -- credentials ----------------------------------------------------------------------------
    def _credentials(self) -> None:
        credentials = self.manifest.get("credentials")
        if credentials is None:
            self.warn("$.credentials", "the component has no credentials")
            return
        fields = credentials.get("fields") if isinstance(credentials, dict) else None
        if not isinstance(fields, dict):
            self.problem("$.credentials.fields", "credentials need a `fields` object: "
                         '{"credentials": {"fields": {"name": {...}}}}')
            return
        for name, field in fields.items():
            self._field(f"$.credentials.fields.{name}", field, module=None)

    # -- steps ----------------------------------------------------------------------------------
    def _steps(self) -> None:
        seen: dict[str, str] = {}
        for key, kind in KINDS:
            steps = self.manifest.get(key)
            if steps is None:
                continue
            if not isinstance(steps, dict):
                self.problem(f"$.{key}", f"{key} must be an object mapping ids to {kind} definitions")
                continue
            for step_id, step in steps.items():
                path = f"$.{key}.{step_id}"
                self._step_id(path, step_id, kind, seen)
                self._step(path, step_id, kind, step)
        if not seen:
            self.problem("$", "the component needs at least one trigger or action")

    def _step_id(self, path: str, step_id: str, kind: str, seen: dict[str, str]) -> None:
        if not ID_PATTERN.match(step_id):
            self.problem(path, f"{kind} id {step_id!r} is invalid: ids begin with a letter and contain only "
                         "letters, digits and underscores")
        if step_id in seen:
            self.problem(path, f"id {step_id!r} is used by a {seen[step_id]} and an {kind}; ids must be unique "
                         "across triggers and actions")
        seen.setdefault(step_id, kind)

    def _step(self, path: str, step_id: str, kind: str, step: Any) -> None:
        if not isinstance(step, dict):
            self.problem(path, f"a {kind} definition must be an object")
            return
        if not _text(step.get("title")):
            self.problem(f"{path}.title", f"{kind} {step_id!r} needs a title")
        if not _text(step.get("description")):
            self.warn(f"{path}.description", f"{kind} {step_id!r} has no description")
        if kind == "trigger" and step.get("type") is not None and step.get("type") not in TRIGGER_TYPES:
            self.problem(f"{path}.type", f"trigger type must be one of {sorted(TRIGGER_TYPES)}, "
                         f"not {step.get('type')!r}")
        module = self._main(path, step_id, step)
        self._dynamic_metadata(path, step, module)
        self._fields(path, step, module)
        self._help(path, step.get("help"))
        self.metadata[step_id] = self._metadata(path, kind, step)

    def _help(self, path: str, help_: Any) -> None:
        if help_ is None:
            return
        if not isinstance(help_, dict) or not all(_text(help_.get(k)) for k in ("description", "link")):
            self.problem(f"{path}.help", 'must be {"description": "...", "link": "..."} with both texts filled')

    def _main(self, path: str, step_id: str, step: dict) -> ModuleType | None:
        main = step.get("main")
        if not _text(main):
            self.problem(f"{path}.main", "needs `main`: the path of the step's Python file, "
                         "e.g. ./lib/actions/my_action.py")
            return None
        file = self._inside_root(f"{path}.main", main)
        if file is None:
            return None
        if file.suffix != ".py":
            self.problem(f"{path}.main", f"{main!r} is not a Python file (.py)")
            return None
        if self.only is not None and step_id not in self.only:
            return None
        try:
            module = self.importer(file, self.root)
        except StepLoadError as exc:
            self.problem(f"{path}.main", str(exc))
            return None
        if not callable(getattr(module, "process", None)):
            self.problem(f"{path}.main", f"{main} does not define process(msg, cfg, snapshot)")
        self.modules[step_id] = module
        return module

    def _inside_root(self, path: str, ref: str) -> Path | None:
        file = within(self.root, ref)
        if not file.is_relative_to(self.root):
            self.problem(path, f"{ref!r} points outside the component directory")
            return None
        if not file.is_file():
            self.problem(path, f"{ref!r} does not exist (looked for {file})")
            return None
        return file

    def _dynamic_metadata(self, path: str, step: dict, module: ModuleType | None) -> None:
        dynamic = step.get("dynamicMetadata")
        if dynamic is None:
            if step.get("metadata") is None:
                self.problem(path, "needs `metadata` ({in, out} schemas) or `dynamicMetadata: true`")
            return
        if not isinstance(dynamic, bool):
            self.problem(f"{path}.dynamicMetadata", "must be true or false")
        elif dynamic and module is not None and not callable(getattr(module, "getMetaModel", None)):
            self.problem(f"{path}.dynamicMetadata", "is true but main does not define getMetaModel(cfg)")

    # -- fields ---------------------------------------------------------------------------------
    def _fields(self, path: str, step: dict, module: ModuleType | None) -> None:
        fields = step.get("fields")
        if fields is None:
            return
        if not isinstance(fields, dict):
            self.problem(f"{path}.fields", "must be an object mapping field names to field definitions")
            return
        for name, field in fields.items():
            self._field(f"{path}.fields.{name}", field, module=module, in_step=True)

    def _field(self, path: str, field: Any, module: ModuleType | None, in_step: bool = False) -> None:
        if not isinstance(field, dict):
            self.problem(path, "a field definition must be an object")
            return
        view = field.get("viewClass")
        if not view:
            self.problem(f"{path}.viewClass", "missing; e.g. TextFieldView, SelectView, PasswordFieldView")
        elif view not in VIEW_CLASSES:
            self.problem(f"{path}.viewClass", f"{view!r} is not a known viewClass; use one of "
                         f"{', '.join(sorted(VIEW_CLASSES))}")
        if not _text(field.get("label")):
            self.warn(f"{path}.label", "field has no label")
        if "required" in field and not isinstance(field["required"], bool):
            self.problem(f"{path}.required", "must be true or false")
        order = field.get("order")
        if order is not None and (isinstance(order, bool) or not isinstance(order, int | float)):
            self.problem(f"{path}.order", "must be a number (higher renders first)")
        self._model(path, field, view, module, in_step)

    def _model(self, path: str, field: dict, view: Any, module: ModuleType | None, in_step: bool) -> None:
        model = field.get("model")
        if model is None:
            if view in SELECT_VIEWS:
                self.problem(f"{path}.model", f"a {view} needs a model: an object {{value: label}}"
                             + (" or the name of a function exported by main" if in_step else ""))
            return
        if isinstance(model, dict):
            bad = [k for k, v in model.items() if not isinstance(v, str)]
            if bad:
                self.problem(f"{path}.model", f"labels must be strings (check {', '.join(map(repr, bad))})")
            return
        if not isinstance(model, str) or not in_step:
            where = "credentials need an object model {value: label}" if not in_step else \
                "model must be an object {value: label} or the name of a function exported by main"
            self.problem(f"{path}.model", where)
            return
        if module is not None and not callable(getattr(module, model, None)):
            self.problem(f"{path}.model", f"names {model!r}, but main does not define a function {model}(cfg)")

    # -- metadata -------------------------------------------------------------------------------
    def _metadata(self, path: str, kind: str, step: dict) -> dict[str, Any] | None:
        metadata = step.get("metadata")
        if metadata is None:
            return None
        if isinstance(metadata, str):
            metadata = self._json_file(f"{path}.metadata", metadata)
            if metadata is None:
                return None
        if not isinstance(metadata, dict):
            self.problem(f"{path}.metadata", "must be an object {in, out} or the path of a JSON file holding one")
            return None
        resolved: dict[str, Any] = {}
        for part in ("in", "out"):
            if part not in metadata:
                if part == "out" or kind == "action":
                    self.warn(f"{path}.metadata", f"has no {part!r} schema")
                continue
            schema = self._schema_ref(f"{path}.metadata.{part}", metadata[part])
            if schema is not None:
                resolved[part] = schema
        return resolved

    def _schema_ref(self, path: str, ref: Any) -> dict | None:
        schema = self._json_file(path, ref) if isinstance(ref, str) else ref
        if schema is None:
            return None
        where = f"{path} ({ref})" if isinstance(ref, str) else path
        before = len(self.problems)
        check_schema(where, schema, self.problem, top=True)
        return schema if len(self.problems) == before else None

    def _json_file(self, path: str, ref: str) -> Any:
        file = self._inside_root(path, ref)
        if file is None:
            return None
        try:
            return json.loads(file.read_text(encoding="utf-8"))
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            self.problem(path, f"{ref} is not valid JSON: {exc}")
            return None


def check_schema(path: str, node: Any, problem: Callable[[str, str], None], top: bool = False) -> None:
    """Check one metadata schema node (and its children) against the platform's dialect."""
    if not isinstance(node, dict):
        problem(path, "must be a schema object")
        return
    types = _types(path, node, problem, top)
    if "required" in node and not isinstance(node["required"], bool):
        problem(f"{path}.required", "must be true or false: the platform's dialect puts `required: true` on "
                "each property instead of a list of names")
    if "title" in node and not isinstance(node["title"], str):
        problem(f"{path}.title", "must be a string")
    if "enum" in node and not (isinstance(node["enum"], list) and node["enum"]):
        problem(f"{path}.enum", "must be a non-empty list of allowed values")
    if "object" in types:
        _check_properties(path, node, problem)
    if "array" in types:
        if not isinstance(node.get("items"), dict):
            problem(f"{path}.items", "an array needs `items`: the schema of one element")
        else:
            check_schema(f"{path}.items", node["items"], problem)


def _types(path: str, node: dict, problem: Callable[[str, str], None], top: bool) -> set[str]:
    declared = node.get("type")
    if declared is None:
        if "$ref" not in node:
            problem(f"{path}.type", f"missing; use one of {', '.join(sorted(SCHEMA_TYPES))}")
        return set()
    types = set(declared) if isinstance(declared, list) else {declared}
    unknown = sorted(str(t) for t in types - SCHEMA_TYPES)
    if unknown:
        problem(f"{path}.type", f"unknown type {', '.join(unknown)}; use one of {', '.join(sorted(SCHEMA_TYPES))}")
    if top and types != {"object"}:
        problem(f"{path}.type", "the top of an in/out schema must be an object (type: object)")
    return {t for t in types if isinstance(t, str)}


def _check_properties(path: str, node: dict, problem: Callable[[str, str], None]) -> None:
    properties = node.get("properties", {})
    if not isinstance(properties, dict):
        problem(f"{path}.properties", "must be an object mapping property names to schemas")
        return
    for name, child in properties.items():
        check_schema(f"{path}.properties.{name}", child, problem)


def _text(value: Any) -> bool:
    return isinstance(value, str) and bool(value.strip())
