"""The seller's credentials, validated before any request and unable to leak their secrets.

Keys match ``component.json``'s credential fields: ``sellerId``, ``mwsAuthToken``, ``accessKeyId``,
``secretKey``, ``marketplaceId``, optional ``region`` and ``endpoint``. ``secretKey`` and
``mwsAuthToken`` are ``SecretStr``: their repr, str and JSON dump show ``**********``.
"""

from __future__ import annotations

from collections.abc import Mapping

from pydantic import BaseModel, ConfigDict, Field, SecretStr, ValidationError, field_validator

from .errors import ConfigurationError
from .regions import Endpoint, marketplace, resolve_endpoint

SECRET_FIELDS = ("secretKey", "mwsAuthToken", "password", "cryptoPassword")


class Credentials(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True, str_strip_whitespace=True)

    sellerId: str = Field(min_length=1)
    accessKeyId: str = Field(min_length=1)
    secretKey: SecretStr
    marketplaceId: str = Field(min_length=1)
    mwsAuthToken: SecretStr | None = None
    region: str | None = None
    endpoint: str | None = None

    @field_validator("mwsAuthToken", "region", "endpoint", mode="before")
    @classmethod
    def _blank_is_none(cls, value: object) -> object:
        return None if isinstance(value, str) and not value.strip() else value

    @field_validator("secretKey")
    @classmethod
    def _secret_not_blank(cls, value: SecretStr) -> SecretStr:
        if not value.get_secret_value().strip():
            raise ValueError("must not be empty")
        return value

    @property
    def resolved_endpoint(self) -> Endpoint:
        return resolve_endpoint(self.marketplaceId, self.region, self.endpoint)


_FIX = {
    "sellerId": "enter the Seller ID (Merchant Token) shown in Seller Central > Settings > Account Info",
    "accessKeyId": "enter the AWS Access Key ID of the developer account",
    "secretKey": "enter the Secret Key shown next to the Access Key ID",
    "marketplaceId": "choose the Marketplace ID of the Amazon site you sell on from the list",
}


def load_credentials(data: Mapping[str, object]) -> Credentials:
    """Validate ``data`` (a cfg or credentials JSON) into ``Credentials``, with errors naming the field."""
    try:
        creds = Credentials.model_validate(dict(data))
    except ValidationError as exc:
        first = exc.errors()[0]
        name = ".".join(str(p) for p in first["loc"]) or "credentials"
        empty = first["type"] in ("missing", "string_too_short") or "must not be empty" in first["msg"]
        problem = "is required" if empty else first["msg"].lower()
        fix = _FIX.get(name, "correct it")
        raise ConfigurationError(f"credentials field '{name}' {problem}: {fix}", field=name) from None
    marketplace(creds.marketplaceId)  # an unknown id fails here, listing the valid ones
    creds.resolved_endpoint  # noqa: B018 - validates region/endpoint now, before any request
    return creds
