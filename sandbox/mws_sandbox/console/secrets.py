"""The sandbox's own secrets, so pages can scrub them from anything a client sent (feed content).

The merchant (seller) id is not a secret; the developer's access key id and secret key, each
seller's MWS Auth Token and each LWA app's client id, client secret and refresh tokens are.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..requestlog import REDACTED

if TYPE_CHECKING:
    from ..app import Sandbox

MIN_LENGTH = 8  # shorter strings would scrub ordinary words


def known_secrets(sandbox: Sandbox) -> tuple[str, ...]:
    developer = sandbox.backend.developer
    found = [developer.access_key_id, developer.secret_key]
    found += [seller.auth_token for seller in developer.sellers.values()]
    for app in sandbox.identity.apps.values():
        found += [app.client_id, app.client_secret, app.refresh_token or "", *app.revoked]
    return tuple(sorted({s for s in found if len(s) >= MIN_LENGTH}, key=len, reverse=True))


def scrub(text: str, secrets: tuple[str, ...]) -> str:
    """``text`` with every known secret replaced by ``[redacted]``."""
    for secret in secrets:
        text = text.replace(secret, REDACTED)
    return text
