"""SP-API credentials (``api: sp-api``), validated before any request and unable to leak their secrets.

Fields: ``sellerId``, ``marketplaceId``, ``lwaClientId``, ``lwaClientSecret`` and ``refreshToken``
(``SecretStr``: repr, str and JSON show ``**********``), optional ``region`` (na, eu, fe; else the
marketplace's), ``endpoint`` (an SP-API-compatible base URL such as the emulator's) and
``lwaEndpoint`` (the token URL). No AWS keys or IAM role: Amazon dropped SigV4 for SP-API in 2023.
"""

from __future__ import annotations

from collections.abc import Mapping

from pydantic import BaseModel, ConfigDict, Field, SecretStr, ValidationError, field_validator

from mws_component.lib.mws.credentials import TEXT, TEXT_RULE
from mws_component.lib.mws.errors import ConfigurationError
from mws_component.lib.mws.regions import Endpoint

from .regions import endpoint_for, token_url

SECRET_FIELDS = ("lwaClientSecret", "refreshToken")
SECRET_LIMIT = 2048  # characters: refresh tokens are ~400, client secrets ~70


class SpApiCredentials(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True, str_strip_whitespace=True)

    sellerId: str = Field(min_length=1)
    marketplaceId: str = Field(min_length=1)
    lwaClientId: str = Field(min_length=1)
    lwaClientSecret: SecretStr
    refreshToken: SecretStr
    region: str | None = None
    endpoint: str | None = None
    lwaEndpoint: str | None = None

    @field_validator("sellerId", "marketplaceId", "lwaClientId", "lwaClientSecret", "refreshToken", mode="before")
    @classmethod
    def _text(cls, value: object) -> object:
        if value is None:
            return ""  # a null field is a missing one: "is required", with the fix
        if isinstance(value, str | SecretStr):
            return value
        raise ValueError(f"must be text, not {type(value).__name__}")

    @field_validator("region", "endpoint", "lwaEndpoint", mode="before")
    @classmethod
    def _blank_is_none(cls, value: object) -> object:
        if value is None:
            return None
        if not isinstance(value, str):
            raise ValueError(f"must be text, not {type(value).__name__}")
        return value.strip() or None

    @field_validator("sellerId", "marketplaceId", "lwaClientId")
    @classmethod
    def _plain(cls, value: str) -> str:
        if not TEXT.fullmatch(value):
            raise ValueError(TEXT_RULE)
        return value

    @field_validator("lwaClientSecret", "refreshToken")
    @classmethod
    def _secret(cls, value: SecretStr) -> SecretStr:
        secret = value.get_secret_value().strip()
        if not secret:
            raise ValueError("must not be empty")
        if len(secret) > SECRET_LIMIT or not all("\x21" <= c <= "\x7e" for c in secret):
            raise ValueError(f"must be printable ASCII without spaces, at most {SECRET_LIMIT} characters")
        return SecretStr(secret)

    @property
    def resolved_endpoint(self) -> Endpoint:
        return endpoint_for(self.marketplaceId, self.region, self.endpoint)

    @property
    def token_url(self) -> str:
        return token_url(self.lwaEndpoint)


_FIX = {
    "sellerId": "enter the Seller ID (Merchant Token) shown in Seller Central > Settings > Account Info",
    "marketplaceId": "choose the Marketplace ID of the Amazon site you sell on from the list",
    "lwaClientId": "paste the LWA client identifier (amzn1.application-oa2-client....) from Developer Central > "
                   "your app > LWA credentials",
    "lwaClientSecret": "paste the LWA client secret shown next to the client identifier (it is rotated every 180 "
                       "days: use the current one)",
    "refreshToken": "paste the refresh token (Atzr|...) Seller Central gave when you authorised the app "
                    "(Develop Apps > Authorize)",
    "region": "choose na, eu or fe, or leave it empty to follow the marketplace",
    "endpoint": "leave it empty for Amazon, or give the emulator's base URL such as http://127.0.0.1:PORT",
    "lwaEndpoint": "leave it empty for Amazon, or give the emulator's token URL such as "
                   "http://127.0.0.1:PORT/auth/o2/token",
}


def load_sp_api_credentials(data: Mapping[str, object]) -> SpApiCredentials:
    """Validate ``data`` (a cfg or credentials JSON), with errors naming the field and its fix."""
    try:
        creds = SpApiCredentials.model_validate(dict(data))
    except ValidationError as exc:
        first = exc.errors(include_url=False)[0]
        name = ".".join(str(p) for p in first["loc"]) or "credentials"
        empty = first["type"] in ("missing", "string_too_short") or "must not be empty" in first["msg"]
        reason = first.get("ctx", {}).get("error") if first["type"] == "value_error" else None
        problem = "is required" if empty else str(reason) if reason else first["msg"].lower()
        raise ConfigurationError(f"credentials field '{name}' {problem}: {_FIX.get(name, 'correct it')}",
                                 field=name) from None
    creds.resolved_endpoint  # noqa: B018 - marketplace, region and endpoint are checked now, before any request
    creds.token_url  # noqa: B018
    return creds
