"""Presigned URLs on the sandbox itself, standing in for Amazon's S3 links (no SP-API headers needed).

A feed document's URL is ``http://<host>/sp-api-files/documents/<id>?X-Amz-Date=...&X-Amz-Expires=300
&X-Amz-Signature=...``: the signature (HMAC-SHA256 under the sandbox's own secret) binds the verb
(PUT to upload, GET to download), the document and the date, so an upload URL cannot download and
a URL expires five minutes of sandbox time after it was issued, as Amazon's do. Product type
schema links are plain (``/sp-api-files/product-types/<name>/<version>.json``).
"""

from __future__ import annotations

import hashlib
import hmac
from datetime import datetime, timezone
from urllib.parse import quote

from .feedstore import URL_SECONDS

PREFIX = "/sp-api-files/"
DOCUMENTS = PREFIX + "documents/"
PRODUCT_TYPES = PREFIX + "product-types/"
META_SCHEMA = PREFIX + "meta-schema/v1.json"
DATE_FORMAT = "%Y%m%dT%H%M%SZ"


def _signature(secret: bytes, verb: str, document_id: str, date: str) -> str:
    return hmac.new(secret, f"{verb}\n{document_id}\n{date}".encode(), hashlib.sha256).hexdigest()


def document_url(host: str, secret: bytes, verb: str, document_id: str, now: float) -> str:
    date = datetime.fromtimestamp(int(now), tz=timezone.utc).strftime(DATE_FORMAT)
    return (f"http://{host}{DOCUMENTS}{quote(document_id, safe='')}?X-Amz-Algorithm=AWS4-HMAC-SHA256"
            f"&X-Amz-Date={date}&X-Amz-Expires={URL_SECONDS}"
            f"&X-Amz-Signature={_signature(secret, verb, document_id, date)}")


def check(secret: bytes, verb: str, document_id: str, params: dict[str, str], now: float) -> str | None:
    """None when the URL is good for ``verb`` now; else what S3 would say is wrong."""
    date, signature = params.get("X-Amz-Date", ""), params.get("X-Amz-Signature", "")
    if not hmac.compare_digest(signature.encode(), _signature(secret, verb, document_id, date).encode()):
        return "SignatureDoesNotMatch"
    issued = datetime.strptime(date, DATE_FORMAT).replace(tzinfo=timezone.utc).timestamp()
    return "AccessDenied" if now > issued + URL_SECONDS else None


def schema_url(host: str, product_type: str, version: str, requirements: str) -> str:
    return f"http://{host}{PRODUCT_TYPES}{product_type}/{quote(version, safe='')}.json?requirements={requirements}"


def meta_schema_url(host: str) -> str:
    return f"http://{host}{META_SCHEMA}"
