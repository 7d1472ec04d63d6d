"""Financial events over SP-API (Finances v0 listFinancialEvents) for the listFinancialEvents trigger.

``SpApiListing`` is a ``lib.finances.sync.Listing``: the trigger walks the same windows and keeps the
same snapshot whichever API reads the pages, so the guarantees are the same (usage plan: 0.5 requests
per second, burst 30; paced by the client). A follow-up page repeats the window's arguments with the
``NextToken``, as Amazon requires; a token Amazon refuses (400 InvalidInput) restarts the window.

Amazon's JSON uses the MWS element names as keys, with lists as arrays and amounts as JSON numbers.
``mws_shaped`` turns a page into the dict the MWS parser gives (each list wrapped once, every leaf
text), so ``lib.finances.events`` reads both. An amount is written back with the digits Amazon sent
(Python's shortest round-trip form of the number, exact for up to 15 significant digits, far more
than any amount has), never carried as a float.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from mws_component.lib.finances.events import WRAPPERS
from mws_component.lib.mws.errors import InvalidRequestError, NextTokenExpiredError, ResponseIntegrityError

from .client import SpApiClient

OPERATION = "listFinancialEvents"


def mws_shaped(value: Any, name: str = "") -> Any:
    """SP-API's JSON in the shape ``lib.mws.parsing`` gives for the same MWS XML."""
    if isinstance(value, list):
        items = [mws_shaped(v) for v in value]
        return {"member": items} if name.endswith("List") or name in WRAPPERS else items
    if isinstance(value, dict):
        return {k: mws_shaped(v, k) for k, v in value.items() if v is not None}
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    return value


class SpApiListing:
    def __init__(self, client: SpApiClient) -> None:
        self.client = client

    def pages(self, after: str, before: str, per_page: int, token: str | None) -> Iterator[tuple[dict, str | None]]:
        params = {"PostedAfter": after, "PostedBefore": before, "MaxResultsPerPage": per_page}
        seen: set[str] = set()
        while True:
            payload = self._call({**params, "NextToken": token}, resumed=token is not None)
            token = payload.get("NextToken") if isinstance(payload.get("NextToken"), str) else None
            events = payload.get("FinancialEvents") if isinstance(payload.get("FinancialEvents"), dict) else {}
            yield {"FinancialEvents": mws_shaped(events)}, token or None
            if not token:
                return
            if token in seen:
                raise ResponseIntegrityError("listFinancialEvents repeated a NextToken: the listing loops",
                                             operation=OPERATION)
            seen.add(token)

    def _call(self, params: dict, resumed: bool) -> dict:
        try:
            data = self.client.call(OPERATION, params).data
        except InvalidRequestError as err:
            if not resumed:
                raise
            raise NextTokenExpiredError(f"Amazon refused the saved NextToken ({err.message}); the window is walked "
                                        "again, skipping the events already emitted", operation=OPERATION,
                                        request_id=err.request_id) from err
        payload = data.get("payload")
        return payload if isinstance(payload, dict) else {}
