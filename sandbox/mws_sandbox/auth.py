"""Signature Version 2 checked the way MWS checks it, with the sandbox's own implementation (``sigv2``).

Nothing is shared with the client's signer, so a canonicalisation bug on one side is a
SignatureDoesNotMatch, not a silent agreement. Here: the parameters come form-decoded
from query and body (``wire``), ``Signature`` is dropped, the host is taken as received with and
without its port (clients disagree on that), HmacSHA256 and HmacSHA1 are both accepted, and the
comparison is constant-time. The ``Timestamp`` (or ``Expires``) must be within 15 minutes.
"""

from __future__ import annotations

import hmac
import re

from .errors import InvalidParameterValue, RequestExpired, SignatureDoesNotMatch, UserAgentHeaderMalformed
from .sigv2 import DIGESTS, signature, string_to_sign
from .timefmt import iso_ms, parse_iso
from .wire import WireRequest

MAX_SKEW_SECONDS = 15 * 60  # Timestamp within 15 min of the server clock, both ways (mws.md §1.1)
USER_AGENT = re.compile(r"^[^\s/]+/[^\s/]+")  # AppName/Version, then anything (DG_ClientLibraries)
REQUIRED = ("AWSAccessKeyId", "Signature", "SignatureVersion", "SignatureMethod")


def host_variants(host: str) -> list[str]:
    """The received Host, and the same without a port (the official Orders library drops it)."""
    bare = host.rsplit(":", 1)[0] if host.count(":") == 1 else host
    return [host] if bare == host else [host, bare]


def check_required(wire: WireRequest) -> None:
    """The User-Agent and the common parameters every signed call carries (mws.md §1.1, §1.3)."""
    if not USER_AGENT.match(wire.header("user-agent") or ""):
        raise UserAgentHeaderMalformed()
    for name in REQUIRED:
        if not wire.params.get(name):
            raise InvalidParameterValue(f"Parameter {name} is required; sign every request with "
                                        "Signature Version 2 (mws.md §1).")
    if "Timestamp" not in wire.params and "Expires" not in wire.params:
        raise InvalidParameterValue("Parameter Timestamp is required (ISO 8601 UTC, e.g. 2017-02-05T18:12:21Z).")
    if wire.params["SignatureVersion"] != "2":
        raise InvalidParameterValue(f"Value {wire.params['SignatureVersion']} for parameter SignatureVersion "
                                    "is invalid; only 2 is supported.")
    if wire.params["SignatureMethod"] not in DIGESTS:
        raise InvalidParameterValue(f"Value {wire.params['SignatureMethod']} for parameter SignatureMethod is "
                                    "invalid; use HmacSHA256 or HmacSHA1.")
    _reject_raw_delimiters(wire.raw_query)


def _reject_raw_delimiters(raw_query: str) -> None:
    """An unencoded ``=`` in a query value (a raw base64 Signature) is refused, as Amazon did."""
    for chunk in raw_query.split("&"):
        if chunk.count("=") > 1:
            name = chunk.split("=", 1)[0]
            raise InvalidParameterValue(f"Value for parameter {name} is invalid. Reason: the value of a query "
                                        "string parameter may not contain a '=' delimiter; percent-encode it.")


def check_signature(wire: WireRequest, secret: str) -> None:
    """Recompute the signature over every host variant; any match passes, compared in constant time."""
    params = {k: v for k, v in wire.params.items() if k != "Signature"}
    received = wire.params["Signature"].encode("utf-8")
    method = wire.params["SignatureMethod"]
    for host in host_variants(wire.host):
        expected = signature(secret, string_to_sign(wire.method, host, wire.path, params), method)
        if hmac.compare_digest(expected.encode("ascii"), received):
            return
    raise SignatureDoesNotMatch()


def check_timestamp(wire: WireRequest, now: float) -> None:
    """``Timestamp`` within 15 minutes of the sandbox clock either way, or ``Expires`` not yet past."""
    if "Timestamp" in wire.params:
        moment = _parse(wire.params["Timestamp"], "Timestamp")
        if abs(now - moment) > MAX_SKEW_SECONDS:
            raise RequestExpired(f"Request has expired. Timestamp date is {wire.params['Timestamp']}, server "
                                 f"time is {iso_ms(now)}: it must be within 15 minutes; check the clock.")
    else:
        expires = _parse(wire.params["Expires"], "Expires")
        if now > expires:
            raise RequestExpired(f"Request has expired. Expires date is {wire.params['Expires']}.")


def _parse(value: str, name: str) -> float:
    moment = parse_iso(value)
    if moment is None:
        raise InvalidParameterValue(f"{name} {value} must be in ISO8601 format")
    return moment
