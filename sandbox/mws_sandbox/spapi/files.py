"""The sandbox's stand-in for S3: PUT and GET on presigned feed document URLs, GET on schema links.

No SP-API headers: the URL is the credential (``presign``). Errors are S3's XML (``AccessDenied``
for an expired URL, ``SignatureDoesNotMatch`` for a wrong one or a Content-Type other than the one
declared in createFeedDocument, ``NoSuchKey`` for an unknown document). Result documents are stored
GZIP-compressed and served as stored: the client decompresses, as getFeedDocument's
``compressionAlgorithm`` tells it to.
"""

from __future__ import annotations

import hashlib
import re
from typing import TYPE_CHECKING
from urllib.parse import unquote

from ..http import Response
from ..wire import WireRequest
from . import handlers_reports, presign
from .producttypes import REQUIREMENTS, meta_schema, product_types

if TYPE_CHECKING:
    from ..app import Sandbox

SCHEMA_PATH = re.compile(r"^" + re.escape(presign.PRODUCT_TYPES) + r"(?P<name>[A-Z0-9_]+)/(?P<version>[^/]+)\.json$")
S3_MESSAGES = {"AccessDenied": "Request has expired", "NoSuchKey": "The specified key does not exist.",
               "SignatureDoesNotMatch": "The request signature we calculated does not match the signature you "
               "provided. Check the URL and that Content-Type is the one declared in createFeedDocument.",
               "MethodNotAllowed": "The specified method is not allowed against this resource."}


def _normal(content_type: str | None) -> str:
    return re.sub(r"\s+", "", (content_type or "").lower())


def _s3_error(code: str, headers: dict[str, str]) -> Response:
    status = {"NoSuchKey": 404, "MethodNotAllowed": 405}.get(code, 403)
    body = (f"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>{code}</Code>"
            f"<Message>{S3_MESSAGES[code]}</Message></Error>").encode()
    return Response.of(status, headers | {"Content-Type": "application/xml"}, body)


def respond(sandbox: Sandbox, wire: WireRequest, now: float, headers: dict[str, str]) -> Response:
    if wire.path.startswith(handlers_reports.REPORT_FILES):  # report documents (handlers_reports)
        answer = handlers_reports.download(sandbox, wire, now, headers)
        return answer if isinstance(answer, Response) else _s3_error(answer, headers)
    if wire.path.startswith(presign.DOCUMENTS):
        return _document(sandbox, wire, now, headers)
    if wire.path == presign.META_SCHEMA and wire.method == "GET":
        return Response.of(200, headers | {"Content-Type": "application/json"}, meta_schema())
    match = SCHEMA_PATH.match(wire.path)
    pt = product_types().get(match["name"]) if match else None
    requirements = wire.params.get("requirements", "LISTING")
    if pt is None or unquote(match["version"]) != pt.version or requirements not in REQUIREMENTS:
        return _s3_error("NoSuchKey", headers)
    return Response.of(200, headers | {"Content-Type": "application/json"}, pt.schema_bytes(requirements))


def _document(sandbox: Sandbox, wire: WireRequest, now: float, headers: dict[str, str]) -> Response:
    if wire.method not in ("PUT", "GET"):
        return _s3_error("MethodNotAllowed", headers)
    store = sandbox.sp_feeds
    document_id = unquote(wire.path[len(presign.DOCUMENTS):])
    problem = presign.check(store.secret, wire.method, document_id, wire.params, now)
    document = store.documents.get(document_id)
    if problem is None and document is None:
        problem = "NoSuchKey"
    if problem is None and wire.method == "PUT" and _normal(wire.header("content-type")) != _normal(document.content_type):
        problem = "SignatureDoesNotMatch"
    if problem is None and wire.method == "GET" and document.content is None:
        problem = "NoSuchKey"
    if problem is not None:
        return _s3_error(problem, headers)
    if wire.method == "PUT":
        document.content = wire.body
        return Response.of(200, headers | {"ETag": f"\"{hashlib.md5(wire.body).hexdigest()}\""})
    return Response.of(200, headers | {"Content-Type": document.content_type}, document.content)
