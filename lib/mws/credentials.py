"""The seller's credentials, validated before any request and unable to leak their secrets.

Keys match ``component.json``'s credential fields: ``sellerId``, ``mwsAuthToken``, ``accessKeyId``,
``secretKey``, ``marketplaceId``, optional ``region`` and ``endpoint``. ``secretKey`` and
``mwsAuthToken`` are ``SecretStr``: their repr, str and JSON dump show ``**********``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from pydantic import BaseModel, ConfigDict, Field, SecretStr, ValidationError, ValidationInfo, field_validator

from .errors import ConfigurationError
from .regions import ENDPOINT_HELP, Endpoint, marketplace, resolve_endpoint

SECRET_FIELDS = ("secretKey", "mwsAuthToken", "password", "cryptoPassword")


TEXT = re.compile(r"[\x21-\x7e]{1,256}", re.ASCII)  # printable ASCII without spaces
TEXT_RULE = "must be printable ASCII without spaces, at most 256 characters"


class Credentials(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True, str_strip_whitespace=True)

    sellerId: str = Field(min_length=1)
    accessKeyId: str = Field(min_length=1)
    secretKey: SecretStr
    marketplaceId: str = Field(min_length=1)
    mwsAuthToken: SecretStr | None = None
    region: str | None = None
    endpoint: str | None = None

    @field_validator("sellerId", "accessKeyId", "secretKey", "marketplaceId", mode="before")
    @classmethod
    def _text(cls, value: object, info: ValidationInfo) -> object:
        if value is None or isinstance(value, str) or (isinstance(value, SecretStr) and info.field_name == "secretKey"):
            return value
        raise ValueError(f"must be text, not {_kind(value)}")

    @field_validator("mwsAuthToken", "region", "endpoint", mode="before")
    @classmethod
    def _blank_is_none(cls, value: object) -> object:
        if value is None or isinstance(value, SecretStr):
            return value
        if not isinstance(value, str):
            raise ValueError(f"must be text, not {_kind(value)}")
        return None if not value.strip() else value

    @field_validator("sellerId", "accessKeyId", "marketplaceId", "region")
    @classmethod
    def _plain(cls, value: str | None) -> str | None:
        if value is not None and not TEXT.fullmatch(value):
            raise ValueError(TEXT_RULE)
        return value

    @field_validator("secretKey", "mwsAuthToken")
    @classmethod
    def _secret(cls, value: SecretStr | None) -> SecretStr | None:
        if value is None:
            return value
        secret = value.get_secret_value().strip()
        if not secret:
            raise ValueError("must not be empty")
        if not TEXT.fullmatch(secret):
            raise ValueError(TEXT_RULE)
        return SecretStr(secret)

    @property
    def resolved_endpoint(self) -> Endpoint:
        return resolve_endpoint(self.marketplaceId, self.region, self.endpoint)


_FIX = {
    "sellerId": "enter the Seller ID (Merchant Token) shown in Seller Central > Settings > Account Info",
    "accessKeyId": "enter the AWS Access Key ID of the developer account",
    "secretKey": "enter the Secret Key shown next to the Access Key ID",
    "marketplaceId": "choose the Marketplace ID of the Amazon site you sell on from the list",
    "mwsAuthToken": "paste the MWS Auth Token the seller issued (amzn.mws....), or leave it empty for your own keys",
    "region": "choose a region from the list, or leave it empty to follow the marketplace",
    "endpoint": ENDPOINT_HELP,
}


def _kind(value: object) -> str:
    return {bool: "a boolean", int: "a number", float: "a number", list: "an array", dict: "an object"}.get(
        type(value), type(value).__name__)


def load_credentials(data: Mapping[str, object]) -> Credentials:
    """Validate ``data`` (a cfg or credentials JSON) into ``Credentials``, with errors naming the field."""
    try:
        creds = Credentials.model_validate(dict(data))
    except ValidationError as exc:
        first = exc.errors(include_url=False)[0]
        name = ".".join(str(p) for p in first["loc"]) or "credentials"
        empty = first["type"] in ("missing", "string_too_short") or "must not be empty" in first["msg"]
        reason = first.get("ctx", {}).get("error") if first["type"] == "value_error" else None
        problem = "is required" if empty else str(reason) if reason else first["msg"].lower()
        fix = _FIX.get(name, "correct it")
        raise ConfigurationError(f"credentials field '{name}' {problem}: {fix}", field=name) from None
    marketplace(creds.marketplaceId)  # an unknown id fails here, listing the valid ones
    creds.resolved_endpoint  # noqa: B018 - validates region/endpoint now, before any request
    return creds
