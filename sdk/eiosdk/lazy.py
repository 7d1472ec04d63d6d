"""Modules imported when first used, for names a module needs only on rare paths.

``from eiosdk.lazy import requests`` gives an object that stands for the requests package: the first
attribute read (``requests.Session``, ``requests.RequestException`` in an ``except`` clause that is
reached) imports it. The sailor's platform API client names requests in its signature and its error
handling, but the sailor itself talks to the API through ``eiosdk.light_http``; so requests is not
imported at start-up unless something really uses it.
"""

from __future__ import annotations

import importlib
import types
from typing import Any


class LazyModule(types.ModuleType):
    """Stands for module ``name``; imports it on the first attribute read, then forwards to it."""

    def __getattr__(self, attribute: str) -> Any:
        if attribute.startswith("__"):  # copy, pickle and inspect probe dunders: do not import for them
            raise AttributeError(attribute)
        return getattr(importlib.import_module(self.__name__), attribute)


requests = LazyModule("requests")
