"""Errors raised by the SDK itself (not by steps), each saying what to fix.

::

    SdkError                 base
    ├── ManifestError        component.json breaks a rule; ``problems`` lists every one with its JSON path
    ├── StepLoadError        a step's ``main`` cannot be imported or has no ``process``
    ├── UnknownStepError     no trigger or action has that id (the message lists the valid ids)
    └── ServiceError         a service method (getMetaModel, a select model) cannot run or returned junk

``StepError`` is different: it is the exception the executor hands to ``emit("error", ...)`` when a
step reported its error as a string (the platform accepts ``Error`` or a string).
"""

from __future__ import annotations

from dataclasses import dataclass


class SdkError(Exception):
    """Base of errors the SDK raises about components, steps and service calls."""


@dataclass(frozen=True)
class Problem:
    """One broken rule in component.json: where (a JSON path such as ``$.actions.x.title``) and what."""

    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}"


class ManifestError(SdkError):
    """component.json is invalid; carries every problem found, not just the first."""

    def __init__(self, source: str, problems: list[Problem]) -> None:
        self.source = source
        self.problems = list(problems)
        lines = "\n".join(f"  - {p}" for p in self.problems)
        super().__init__(f"{source} has {len(self.problems)} problem(s):\n{lines}")


class StepLoadError(SdkError):
    """A step's ``main`` file is missing, fails to import, or lacks a required function."""


class UnknownStepError(SdkError, KeyError):
    """No trigger or action has the requested id."""

    def __str__(self) -> str:  # KeyError would otherwise repr() the message
        return str(self.args[0])


class ServiceError(SdkError):
    """A service-mode call (getMetaModel, select model) cannot be made or returned an unusable value."""


class StepError(Exception):
    """An error a step reported as a string (or whose text had to be redacted).

    ``name`` keeps the original exception's class name so the platform still shows e.g. ``ValueError``.
    """

    def __init__(self, message: str, name: str = "Error") -> None:
        super().__init__(message)
        self.message = message
        self.name = name
