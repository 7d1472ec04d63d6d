"""The platform's REST API as the sailor uses it: step data, start-up hook data, account keys.

Every call uses HTTP Basic ``API_USERNAME:API_KEY``, a timeout, and retries network errors and 5xx
answers (``API_REQUEST_RETRY_ATTEMPTS`` tries, ``API_REQUEST_RETRY_DELAY`` ms apart), as the Node
sailor's ``elasticio-rest-node`` and ``hooksData.js`` do. Errors name the call and the HTTP status,
never the credentials.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from typing import Any
from urllib.parse import quote

from ..lazy import requests  # imported on first use (the sailor's session is eiosdk.light_http)

DEFAULT_TIMEOUT = (10.0, 15.0)  # (connect, read) seconds; rest-node waits 15 s for the API


class PlatformApiError(RuntimeError):
    """The platform API refused a call or could not be reached after the retries."""

    def __init__(self, message: str, status: int | None = None) -> None:
        super().__init__(message)
        self.status = status


class PlatformApi:
    """A small client for ``ELASTICIO_API_URI``; ``sleep`` is injectable so tests do not wait."""

    def __init__(self, base_uri: str, username: str, key: str, *, attempts: int = 3, delay_ms: int = 100,
                 timeout: float | tuple[float, float] = DEFAULT_TIMEOUT,
                 sleep: Callable[[float], None] = time.sleep, session: requests.Session | None = None) -> None:
        self.base_uri = base_uri.rstrip("/")
        self._auth = (username, key)
        self.attempts = max(1, attempts)
        self.delay = max(0, delay_ms) / 1000.0
        self.timeout = timeout
        self._sleep = sleep
        self._session = session or requests.Session()

    def __repr__(self) -> str:
        return f"PlatformApi({self.base_uri!r})"

    @classmethod
    def from_settings(cls, settings, **kwargs) -> PlatformApi:
        return cls(settings.api_uri, settings.api_username, settings.api_key,
                   attempts=settings.api_request_retry_attempts, delay_ms=settings.api_request_retry_delay,
                   **kwargs)

    def step_data(self, flow_id: str, step_id: str) -> dict[str, Any]:
        """``GET /v1/tasks/{flow}/steps/{step}``: the step's ``config``, ``snapshot``, ``is_passthrough``..."""
        data = self.request("GET", f"/v1/tasks/{_seg(flow_id)}/steps/{_seg(step_id)}")
        if not isinstance(data, dict):
            raise PlatformApiError("step data from the platform API is not a JSON object")
        return data

    def update_account_keys(self, account_id: str, keys: Any) -> Any:
        """``PUT /v1/accounts/{id}`` with ``{keys}``: persists refreshed OAuth tokens (``updateKeys``)."""
        if not account_id:
            raise PlatformApiError("updateKeys needs cfg._account (the credential id); the step config has none")
        return self.request("PUT", f"/v1/accounts/{_seg(account_id)}", {"keys": keys})

    def create_startup_data(self, flow_id: str, data: Any) -> Any:
        """Stores the ``startup`` hook's result; an existing record (409) is replaced as Node does."""
        path = _startup_path(flow_id)
        try:
            return self.request("POST", path, data)
        except PlatformApiError as exc:
            if exc.status != 409:
                raise
            self.request("DELETE", path)
            return self.request("POST", path, data)

    def startup_data(self, flow_id: str) -> Any:
        return self.request("GET", _startup_path(flow_id))

    def delete_startup_data(self, flow_id: str) -> Any:
        return self.request("DELETE", _startup_path(flow_id))

    def request(self, method: str, path: str, body: Any = None) -> Any:
        """One API call with retries on network errors and 5xx; returns the JSON answer (or ``None``)."""
        url = self.base_uri + path
        last: PlatformApiError | None = None
        for attempt in range(self.attempts):
            if attempt:
                self._sleep(self.delay)
            try:
                resp = self._session.request(method, url, auth=self._auth, json=body, timeout=self.timeout,
                                             allow_redirects=False)
            except requests.RequestException as exc:
                last = PlatformApiError(f"{method} {path}: {type(exc).__name__} talking to the platform API")
                continue
            if resp.status_code >= 500:
                last = PlatformApiError(f"{method} {path}: HTTP {resp.status_code}", resp.status_code)
                continue
            if resp.status_code >= 400:
                raise PlatformApiError(f"{method} {path}: HTTP {resp.status_code} {_reason(resp)}",
                                       resp.status_code)
            return _json(resp)
        assert last is not None
        raise last

    def close(self) -> None:
        self._session.close()


def _startup_path(flow_id: str) -> str:
    return f"/sailor-support/hooks/task/{_seg(flow_id)}/startup/data"


def _seg(value: str) -> str:
    return quote(str(value), safe="")


def _json(resp: requests.Response) -> Any:
    if not resp.content:
        return None
    try:
        return resp.json()
    except (ValueError, json.JSONDecodeError):
        return None


def _reason(resp: requests.Response) -> str:
    """The API's ``error`` text when it gave one (bounded), for a message a person can act on."""
    data = _json(resp)
    if isinstance(data, dict) and isinstance(data.get("error"), str):
        return data["error"][:200]
    return ""
