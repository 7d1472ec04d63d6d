"""eiosdk: a Node-free Python SDK for elastic.io-style components.

The pieces: ``component`` (load and validate component.json, import steps), ``executor`` (run a
step's ``process`` with the platform's rules), ``service`` (verifyCredentials, getMetaModel, select
models), ``message`` (the message model), ``context`` (what a running step can do),
``logging`` (bunyan-style JSON lines that redact secrets), ``runner`` (the local runner behind
``mws-component run|exec|verify``). ``eiosdk.sailor`` runs steps on the platform's message bus.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .errors import ManifestError, SdkError, StepError

if TYPE_CHECKING:
    from .context import StepContext, current_context
    from .message import Message

_LAZY = {"Message": "message", "StepContext": "context", "current_context": "context"}


def __getattr__(name: str) -> Any:
    """``Message`` (pydantic) and the context are imported on first use: a sailor starting one step
    should not pay for what its first message needs (``import eiosdk.x`` runs this package first)."""
    home = _LAZY.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(f"{__name__}.{home}"), name)
    globals()[name] = value
    return value


__all__ = ["ManifestError", "Message", "SdkError", "StepContext", "StepError", "current_context"]
