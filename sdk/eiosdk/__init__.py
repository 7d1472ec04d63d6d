"""eiosdk: a Node-free Python SDK for elastic.io-style components.

The pieces: ``component`` (load and validate component.json, import steps), ``executor`` (run a
step's ``process`` with the platform's rules), ``service`` (verifyCredentials, getMetaModel, select
models), ``message`` (the message model), ``context`` (what a running step can do),
``logging`` (bunyan-style JSON lines that redact secrets), ``runner`` (the local runner behind
``mws-component run|exec|verify``). ``eiosdk.sailor`` runs steps on the platform's message bus.
"""

from __future__ import annotations

from .context import StepContext, current_context
from .errors import ManifestError, SdkError, StepError
from .message import Message

__all__ = ["ManifestError", "Message", "SdkError", "StepContext", "StepError", "current_context"]
