"""How a step gets its MWS client from ``cfg`` (credential fields merged with step fields).

``override`` lets the demo, tests and benchmarks run steps unchanged against the in-process sandbox
(transport) in simulated time (clock); steps on the platform never set it.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Any

from lib.mws.client import MwsClient
from lib.mws.credentials import load_credentials

_overrides: dict[str, Any] = {}


def connect(cfg: Mapping[str, Any], **options: Any) -> MwsClient:
    """A client for the seller in ``cfg``; bad credentials fail here, before any request.

    ``options`` (e.g. a retry ``policy``) go to the client, under any active ``override``.
    """
    return MwsClient(load_credentials(cfg), **{**options, **_overrides})


@contextmanager
def override(**client_options: Any) -> Iterator[None]:
    """Within the block, ``connect`` passes ``client_options`` (transport, clock, pacer) to the client."""
    saved = dict(_overrides)
    _overrides.update(client_options)
    try:
        yield
    finally:
        _overrides.clear()
        _overrides.update(saved)
