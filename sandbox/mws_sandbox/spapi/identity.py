"""Who may call SP-API: one self-authorised LWA app per seller, and the tokens it has been given.

State only (no HTTP, no JSON). Each seller of the world gets an LWA client id, client secret and
refresh token drawn from the sandbox seed, like its MWS keys. Exchanging the refresh token gives
an access token (``Atza|…``) valid for an hour of *sandbox* time; ``createRestrictedDataToken``
gives a restricted data token (``Atz.sprdt|…``) bound to the resources it names. A revoked refresh
token is ``invalid_grant`` from then on; access tokens already issued live out their hour.
"""

from __future__ import annotations

import random
import string
from collections.abc import Iterable
from dataclasses import dataclass, field

from ..models.accounts import Seller
from .errors import InvalidClient, InvalidGrant, Unauthorized

TOKEN_SECONDS = 3600
TOKEN_ALPHABET = string.ascii_letters + string.digits + "-_"
PII_ELEMENTS = ("buyerInfo", "shippingAddress", "buyerTaxInformation")


def _hex(rng: random.Random, n: int) -> str:
    return "".join(rng.choice("0123456789abcdef") for _ in range(n))


def _opaque(rng: random.Random, prefix: str, n: int) -> str:
    return prefix + "".join(rng.choice(TOKEN_ALPHABET) for _ in range(n))


@dataclass
class LwaApp:
    """A seller's self-authorised app: client credentials plus the seller's current refresh token."""

    seller_id: str
    client_id: str
    client_secret: str
    refresh_token: str | None
    restricted_role: bool = True
    revoked: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Resource:
    """One restricted resource of an RDT: method, path (``{name}`` matches any segment), PII kinds."""

    method: str
    path: str
    data_elements: tuple[str, ...] = ()

    def matches(self, method: str, path: str) -> bool:
        mine, theirs = self.path.rstrip("/").split("/"), path.rstrip("/").split("/")
        if self.method != method or len(mine) != len(theirs):
            return False
        return all(a == b or (a.startswith("{") and a.endswith("}")) for a, b in zip(mine, theirs, strict=True))


@dataclass(frozen=True)
class Grant:
    """An issued token: an LWA access token (no resources) or a restricted data token."""

    token: str
    seller_id: str
    expires: float
    resources: tuple[Resource, ...] = ()

    @property
    def restricted(self) -> bool:
        return bool(self.resources)

    def data_elements(self, method: str, path: str) -> frozenset[str]:
        """The PII kinds this token unlocks for a call (none for a plain access token)."""
        return frozenset(e for r in self.resources if r.matches(method, path) for e in r.data_elements)


class Identity:
    def __init__(self, apps: Iterable[LwaApp], rng: random.Random) -> None:
        self.apps = {app.client_id: app for app in apps}
        self.rng = rng
        self._grants: dict[str, Grant] = {}

    @classmethod
    def build(cls, sellers: Iterable[Seller], rng: random.Random, token_rng: random.Random) -> Identity:
        """One app per seller, in the world's seller order, all drawn from ``rng`` (the seed)."""
        apps = [LwaApp(s.seller_id, "amzn1.application-oa2-client." + _hex(rng, 32),
                       "amzn1.oa2-cs.v1." + _hex(rng, 64), _opaque(rng, "Atzr|IwEB", 300)) for s in sellers]
        return cls(apps, token_rng)

    def app_of(self, seller_id: str) -> LwaApp:
        return next(a for a in self.apps.values() if a.seller_id == seller_id)

    def exchange(self, client_id: str, client_secret: str, refresh_token: str, now: float) -> Grant:
        """The refresh-token grant: client first (invalid_client), then the token (invalid_grant)."""
        app = self.apps.get(client_id)
        if app is None or app.client_secret != client_secret:
            raise InvalidClient()
        if app.refresh_token is None or refresh_token != app.refresh_token:
            raise InvalidGrant()
        return self._issue(Grant(_opaque(self.rng, "Atza|IwEB", 340), app.seller_id, now + TOKEN_SECONDS))

    def restricted_token(self, grant: Grant, resources: tuple[Resource, ...], now: float) -> Grant:
        """An RDT for ``resources``; the seller must have granted the app the restricted role."""
        if grant.restricted or not self.app_of(grant.seller_id).restricted_role:
            raise Unauthorized(details="The application lacks the restricted role needed for personal data.")
        return self._issue(Grant(_opaque(self.rng, "Atz.sprdt|IwEB", 220), grant.seller_id,
                                 now + TOKEN_SECONDS, resources))

    def grant(self, token: str | None, now: float) -> Grant:
        """The grant behind an ``x-amz-access-token``; missing, unknown and expired are all 403."""
        found = self._grants.get(token or "")
        if found is None or now >= found.expires:
            raise Unauthorized()
        return found

    def revoke(self, seller_id: str) -> str | None:
        """The seller withdraws the app's authorisation: its refresh token stops working."""
        app = self.app_of(seller_id)
        if app.refresh_token is not None:
            app.revoked.append(app.refresh_token)
        app.refresh_token = None
        return app.revoked[-1] if app.revoked else None

    def authorize(self, seller_id: str) -> str:
        """The seller authorises the app again: a new refresh token (the old one stays dead)."""
        app = self.app_of(seller_id)
        if app.refresh_token is not None:
            app.revoked.append(app.refresh_token)
        app.refresh_token = _opaque(self.rng, "Atzr|IwEB", 300)
        return app.refresh_token

    def _issue(self, grant: Grant) -> Grant:
        self._grants[grant.token] = grant
        return grant
