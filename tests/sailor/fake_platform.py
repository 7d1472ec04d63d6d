"""The stand-in for the platform's REST API the sailor tests use: the SDK's ``PlatformApiServer``
(``eiosdk.sailor.local_api``) with fixed, known credentials.

It serves step data (``GET /v1/tasks/{flow}/steps/{step}``), the start-up hook data, account key updates
and service-mode results, and records every request (method, path, Basic credentials, JSON body) so
tests can assert on what the sailor sent. ``fail_next`` makes the next N requests answer 500.
"""

from __future__ import annotations

from eiosdk.sailor.local_api import ApiRequest, PlatformApiServer

Recorded = ApiRequest


class FakePlatform(PlatformApiServer):
    """``PlatformApiServer`` with the credentials the tests put in the sailor's environment."""

    def __init__(self, username: str = "api-user@example.com", key: str = "api-key-secret-1234") -> None:
        super().__init__(username=username, key=key)
