"""Login with Amazon: the refresh token exchanged for short-lived access tokens, cached on the clock.

``LwaAuth.token()`` answers from the cache while the access token has more than ``REFRESH_MARGIN``
seconds left (on the injected clock, counted from before the exchange was sent), else exchanges
the refresh token again (``POST`` form-encoded to the token URL). ``expired(token)`` drops a token
Amazon called expired, so the next ``token()`` exchanges again. LWA's errors become the error tree
with a fix a person can act on. Neither the client secret, the refresh token nor an access token
ever appears in a repr, a log line or an error: the request body and the token are masked types,
and messages are scrubbed.
"""

from __future__ import annotations

import json
import logging
import threading
from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import urlencode

if TYPE_CHECKING:
    from pydantic import SecretStr

from mws_component.lib.mws.clock import Clock
from mws_component.lib.mws.errors import (
    AuthenticationError,
    MwsError,
    ResponseIntegrityError,
    ServiceError,
    ThrottledError,
)
from mws_component.lib.mws.transport import HttpRequest, HttpResponse, Transport

from .errors import scrub
from .request import Masked, MaskedBytes, default_user_agent

log = logging.getLogger("mws_component.spapi.auth")

OPERATION = "lwaToken"
REFRESH_MARGIN = 60.0  # seconds: a token this close to expiry is replaced before use
MAX_TOKEN_BYTES = 64 * 1024

_FIXES = {
    "invalid_grant": ("refreshToken", "the refresh token was revoked, has expired or belongs to another app: "
                      "authorise the app again in Seller Central (Develop Apps > Authorize) and paste the new "
                      "refresh token"),
    "invalid_client": ("lwaClientId", "the LWA client id or client secret is wrong: copy both from Developer "
                       "Central > your app > LWA credentials (the secret is rotated every 180 days)"),
    "unauthorized_client": ("lwaClientId", "this LWA client may not use refresh tokens, or the token was issued to "
                            "another app: check the client id belongs to the app the seller authorised"),
    "invalid_request": ("refreshToken", "LWA refused the request as malformed: re-enter the refresh token, client "
                        "id and client secret without extra characters"),
}


@dataclass(frozen=True)
class AccessToken:
    value: Masked
    expires_at: float  # on the injected clock

    def __repr__(self) -> str:
        return f"AccessToken(expires_at={self.expires_at})"


class LwaAuth:
    """One seller-app's access tokens: cached, refreshed before expiry and after an expired-token 403."""

    def __init__(self, client_id: str, client_secret: SecretStr, refresh_token: SecretStr, token_url: str,
                 transport: Transport, clock: Clock, user_agent: str | None = None) -> None:
        self.client_id = client_id
        self._secret = client_secret
        self._refresh = refresh_token
        self.token_url = token_url
        self.transport = transport
        self.clock = clock
        self.user_agent = user_agent or default_user_agent()
        self.exchanges = 0  # how many times the refresh token was exchanged (for tests and diagnostics)
        self._current: AccessToken | None = None
        self._lock = threading.Lock()

    def __repr__(self) -> str:
        return f"LwaAuth(client_id={self.client_id!r}, token_url={self.token_url!r})"

    @property
    def secrets(self) -> tuple[str, ...]:
        """Every secret this object holds, for scrubbing messages."""
        current = self._current.value if self._current else ""
        return self._secret.get_secret_value(), self._refresh.get_secret_value(), str(current)

    def token(self, time_left: float | None = None) -> str:
        """A valid access token, exchanged now only if the cached one is missing or about to expire."""
        with self._lock:
            now = self.clock.now()
            if self._current is None or now >= self._current.expires_at - REFRESH_MARGIN:
                self._current = self._exchange(time_left)
            return self._current.value

    def renew(self, time_left: float | None = None) -> str:
        """Exchange the refresh token now, whatever is cached: verification must prove it still works
        (a token cached before the seller revoked the app would otherwise pass for an hour)."""
        with self._lock:
            self._current = self._exchange(time_left)
            return self._current.value

    def expired(self, token: str) -> None:
        """Amazon said ``token`` expired: forget it (unless another thread already replaced it)."""
        with self._lock:
            if self._current is not None and self._current.value == token:
                self._current = None

    def _exchange(self, time_left: float | None) -> AccessToken:
        sent_at = self.clock.now()  # the lifetime counts from before sending: never trusted too long
        response = self.transport.send(self._request(time_left))
        self.exchanges += 1
        if response.status != 200:
            raise self._error(response)
        data = _json(response)
        token, lifetime = data.get("access_token"), data.get("expires_in")
        if not isinstance(token, str) or not token or not isinstance(lifetime, int | float) or lifetime <= 0:
            raise ResponseIntegrityError("the LWA answer lacks access_token or expires_in", operation=OPERATION)
        log.info("LWA access token obtained; valid for %d s", int(lifetime))
        return AccessToken(Masked(token), sent_at + float(lifetime))

    def _request(self, time_left: float | None) -> HttpRequest:
        form = urlencode({"grant_type": "refresh_token", "refresh_token": self._refresh.get_secret_value(),
                          "client_id": self.client_id, "client_secret": self._secret.get_secret_value()})
        headers = {"content-type": "application/x-www-form-urlencoded;charset=UTF-8",
                   "accept": "application/json", "user-agent": self.user_agent}
        return HttpRequest("POST", self.token_url, headers, MaskedBytes(form.encode("ascii")),
                           operation=OPERATION, time_left=time_left)

    def _error(self, response: HttpResponse) -> MwsError:
        try:
            data = _json(response)
        except ResponseIntegrityError:
            data = {}
        code = str(data.get("error") or "") or None
        said = scrub(str(data.get("error_description") or "")[:500], self.secrets)
        kw = dict(code=code, http_status=response.status, operation=OPERATION,
                  request_id=response.headers.get("x-amzn-requestid"))
        if code in _FIXES:
            field, fix = _FIXES[code]
            return AuthenticationError(f"Login with Amazon refused the refresh token{': ' + said if said else ''}",
                                       hint=fix, field=field, **kw)
        if response.status == 429:
            return ThrottledError("Login with Amazon is throttling token requests", **kw)
        if response.status >= 500:
            return ServiceError(f"Login with Amazon failed (HTTP {response.status})", **kw)
        return AuthenticationError(f"Login with Amazon refused the token exchange (HTTP {response.status})"
                                   f"{': ' + said if said else ''}", hint="check lwaEndpoint and the LWA credentials",
                                   **kw)


def _json(response: HttpResponse) -> dict:
    if len(response.body) > MAX_TOKEN_BYTES:
        raise ResponseIntegrityError(f"the LWA answer is {len(response.body)} bytes, more than a token answer "
                                     f"can be ({MAX_TOKEN_BYTES})", operation=OPERATION)
    try:
        data = json.loads(response.body)
    except (ValueError, UnicodeDecodeError):
        raise ResponseIntegrityError(f"the LWA answer (HTTP {response.status}) is not JSON",
                                     operation=OPERATION) from None
    if not isinstance(data, dict):
        raise ResponseIntegrityError("the LWA answer is not a JSON object", operation=OPERATION)
    return data
