"""Restricted Data Tokens (Tokens API createRestrictedDataToken): the key to buyer and address data.

Amazon withholds personal data (buyer name and email, delivery address, buyer tax registrations)
unless the call carries an RDT in place of the access token, and grants an RDT only to an app the
seller authorised with a restricted role. ``RestrictedToken`` is a token source for one restricted
resource (method + path): it asks for an RDT when first needed, reuses it until shortly before
``expiresIn`` runs out (on the injected clock), and asks again after Amazon called it expired.
"""

from __future__ import annotations

import threading

from mws_component.lib.mws.errors import AuthenticationError, ResponseIntegrityError

from .auth import REFRESH_MARGIN, AccessToken
from .request import Masked

RDT_HINT = ("the seller has not granted this app the restricted role for personal data (buyer and address), or the "
            "app lacks it: add a restricted role (e.g. Direct-to-Consumer Shipping) to the app in Developer Central, "
            "authorise it again, or turn personal data off (orders then come without buyer and address)")


class RestrictedToken:
    """An RDT for one restricted resource, cached; used as ``SpApiClient.call(..., tokens=...)``."""

    def __init__(self, client, method: str, path: str, data_elements: tuple[str, ...] = ()) -> None:
        self.client = client
        self.resource = {"method": method, "path": path, **({"dataElements": list(data_elements)}
                                                             if data_elements else {})}
        self._current: AccessToken | None = None
        self._lock = threading.Lock()

    def __repr__(self) -> str:
        return f"RestrictedToken({self.resource['method']} {self.resource['path']})"

    def token(self, time_left: float | None = None) -> str:
        with self._lock:
            if self._current is None or self.client.clock.now() >= self._current.expires_at - REFRESH_MARGIN:
                self._current = self._create()
            return self._current.value

    def expired(self, token: str) -> None:
        with self._lock:
            if self._current is not None and self._current.value == token:
                self._current = None

    def _create(self) -> AccessToken:
        sent_at = self.client.clock.now()
        try:
            data = self.client.call("createRestrictedDataToken",
                                    body={"restrictedResources": [self.resource]}).data
        except AuthenticationError as err:
            err.hint = RDT_HINT
            raise
        token, lifetime = data.get("restrictedDataToken"), data.get("expiresIn")
        if not isinstance(token, str) or not token or not isinstance(lifetime, int | float) or lifetime <= 0:
            raise ResponseIntegrityError("the createRestrictedDataToken answer lacks restrictedDataToken or "
                                         "expiresIn", operation="createRestrictedDataToken")
        return AccessToken(Masked(token), sent_at + float(lifetime))
