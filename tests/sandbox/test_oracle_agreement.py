"""The sandbox is an independent oracle: it keeps its own tables and its own SigV2, and these tests
compare them with the client's so that a wrong entry on either side is a failure, not a copy.

What is compared: quotas, sections and actions for every operation both know; marketplaces both
know; the client error class each code the sandbox emits maps to; the two signers (random inputs
and published vectors); Content-MD5; timestamps each side writes and the other reads. And the
seam itself: no sandbox module imports ``lib`` (the client's ``InProcessTransport`` runs the sandbox
in-process), and importing or serving the sandbox does not load the client.
"""

from __future__ import annotations

import ast
import inspect
import subprocess
import sys
from datetime import datetime, timezone
from pathlib import Path

import mws_sandbox
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from mws_sandbox import errors as sandbox_errors
from mws_sandbox import sigv2
from mws_sandbox.marketplaces import MARKETPLACES
from mws_sandbox.operations import OPERATIONS, QUOTAS
from mws_sandbox.timefmt import iso_ms, iso_offset, iso_z, parse_iso

import mws_component.lib.mws.errors as client_errors
from mws_component.lib.mws import signing
from mws_component.lib.mws.operations import format_timestamp, operations
from mws_component.lib.mws.regions import marketplaces
from mws_component.lib.mws.server_time import parse_iso as client_parse_iso

PACKAGE = Path(mws_sandbox.__file__).parent
AWS_SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"


# -- tables ------------------------------------------------------------------------------------------------

def test_every_sandbox_operation_is_one_the_client_knows():
    assert set(OPERATIONS) <= set(operations()), set(OPERATIONS) - set(operations())


@pytest.mark.parametrize("name", sorted(OPERATIONS))
def test_quota_section_and_action_agree(name):
    ours, theirs = OPERATIONS[name], operations()[name]
    assert (ours.quota.burst, ours.quota.restore_seconds, ours.quota.hourly) == \
        (theirs.quota.burst, theirs.quota.restore_seconds, theirs.quota.hourly), name
    assert ours.quota.group == theirs.quota.group and ours.action == theirs.action
    assert (ours.section.name, ours.section.path, ours.section.version, ours.section.namespace,
            ours.section.hourly_headers) == \
        (theirs.section.name, theirs.section.path, theirs.section.version, theirs.section.namespace,
         theirs.section.hourly_headers)


def test_operations_that_share_a_bucket_agree_on_sharing_it():
    ours = {name: op.quota.group for name, op in OPERATIONS.items()}
    theirs = {name: operations()[name].quota.group for name in OPERATIONS}
    assert ours == theirs
    assert set(QUOTAS) == set(ours.values())  # no quota without an operation


def test_marketplaces_agree():
    client = marketplaces()
    for mid, ours in MARKETPLACES.items():
        theirs = client[mid]
        assert (ours.country, ours.name, ours.domain, ours.currency, ours.language) == \
            (theirs.country, theirs.name, theirs.domain, theirs.currency, theirs.language), mid


# -- errors ------------------------------------------------------------------------------------------------

# What the client should make of each code the sandbox emits (mws.md §6.2, §6.4): written here, not
# read from either side, so a changed mapping on either side shows.
INTENDED = {
    "InvalidParameterValue": client_errors.InvalidRequestError,
    "MalformedInput": client_errors.InvalidRequestError,
    "UserAgentHeaderMalformed": client_errors.InvalidRequestError,
    "RequestExpired": client_errors.ClockSkewError,
    "NextTokenCorrupted": client_errors.NextTokenExpiredError,
    "ContentMD5Missing": client_errors.InvalidRequestError,
    "ContentMD5DoesNotMatch": client_errors.InvalidRequestError,
    "InvalidFeedType": client_errors.InvalidRequestError,
    "InvalidFeedSubmissionId": client_errors.InvalidRequestError,
    "FeedCanceled": client_errors.InvalidRequestError,
    "AccessDenied": client_errors.AuthenticationError,
    "InvalidAccessKeyId": client_errors.AuthenticationError,
    "SignatureDoesNotMatch": client_errors.AuthenticationError,
    "InvalidAddress": client_errors.EndpointError,
    "FeedProcessingResultNotReady": client_errors.NotReadyError,
    "InternalError": client_errors.ServiceError,
    "RequestThrottled": client_errors.ThrottledError,
    "QuotaExceeded": client_errors.QuotaExceededError,
}


def _sandbox_error_classes() -> list[type[sandbox_errors.SandboxError]]:
    return [cls for _, cls in inspect.getmembers(sandbox_errors, inspect.isclass)
            if issubclass(cls, sandbox_errors.SandboxError) and cls not in
            (sandbox_errors.SandboxError, sandbox_errors.SenderError)]


def test_every_code_the_sandbox_emits_has_an_intended_client_class():
    assert {cls.code for cls in _sandbox_error_classes()} == set(INTENDED)


@pytest.mark.parametrize("cls", _sandbox_error_classes(), ids=lambda c: c.code)
def test_error_codes_map_to_the_intended_client_class(cls):
    assert cls.code in client_errors.CODES, f"the client has no entry for {cls.code}"
    assert client_errors.error_for(cls.code, cls.status) is INTENDED[cls.code]


@pytest.mark.parametrize("cls", _sandbox_error_classes(), ids=lambda c: c.code)
def test_statuses_are_amazons(cls):
    """mws.md §6.2: retryable on the client side exactly when Amazon answers 5xx."""
    retryable = issubclass(INTENDED[cls.code], client_errors.RetryableError)
    assert retryable == (cls.status >= 500) or cls.code == "RequestExpired"  # skew: 400, resynchronise


# -- Signature Version 2 -----------------------------------------------------------------------------------

def test_aws_published_sigv2_example():
    """mws.md §1.4 (a): the AWS general-reference example, through both signers."""
    params = {"AWSAccessKeyId": "AKIAIOSFODNN7EXAMPLE", "Action": "DescribeJobFlows",
              "SignatureMethod": "HmacSHA256", "SignatureVersion": "2", "Timestamp": "2011-10-03T15:19:30",
              "Version": "2009-03-31"}
    host = "elasticmapreduce.amazonaws.com"
    ours = sigv2.signature(AWS_SECRET, sigv2.string_to_sign("GET", host, "/", params))
    theirs = signing.sign("GET", host, "/", params, AWS_SECRET).signature
    assert ours == theirs == "i91nKc4PWAt0JJIdXwz9HxZCJDdiy6cf/Mj6vPxyYIs="


def test_mws_orders_and_encoding_vectors():
    """mws.md §1.4 (c) and (d)."""
    common = {"AWSAccessKeyId": "AKIAIOSFODNN7EXAMPLE", "SellerId": "A2NEXAMPLETF53",
              "SignatureMethod": "HmacSHA256", "SignatureVersion": "2"}
    orders = {**common, "Action": "ListOrders", "CreatedAfter": "2017-02-01T18:12:21Z",
              "MarketplaceId.Id.1": "ATVPDKIKX0DER", "Timestamp": "2017-02-05T18:12:21Z", "Version": "2013-09-01"}
    products = {**common, "Action": "GetMatchingProductForId", "IdList.Id.1": "a b+c~d*é/", "IdType": "SellerSKU",
                "MarketplaceId": "A1PA6795UKMFR9", "Timestamp": "2017-02-05T18:12:21Z", "Version": "2011-10-01"}
    for host, path, params, expected in (
            ("mws.amazonservices.com", "/Orders/2013-09-01", orders, "hohfm+dHZIPyXr115M0cSI+G3v5nmYMpfqGfH3JIKcU="),
            ("mws-eu.amazonservices.com", "/Products/2011-10-01", products,
             "MXuTRzlpxKdIPm7KZx88HcN9zXsv3C/Rs5oyeB9znG4=")):
        assert sigv2.signature(AWS_SECRET, sigv2.string_to_sign("POST", host, path, params)) == expected
        assert signing.sign("POST", host, path, params, AWS_SECRET).signature == expected
    assert sigv2.encode("a b+c~d*é/") == "a%20b%2Bc~d%2A%C3%A9%2F"


def test_bizon_vectors_with_a_path_without_leading_slash():
    """mws.md §1.4 (b): string-to-sign given literally."""
    text = "POST\nmws-eu.amazonservices.com\nProducts/2011-10-01\nCool=Test%20with%20spaces"
    assert sigv2.signature("secret", text) == "JKuirYHlrTxwQYwG61ULhe+VkyngRdgokEOPSnnxieo="


TEXT = st.text(st.characters(blacklist_categories=("Cs",)), max_size=20)
NAMES = st.text(st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=12)
HOSTS = st.from_regex(r"[A-Za-z0-9.-]{1,20}(:[0-9]{1,5})?", fullmatch=True)
PATHS = st.from_regex(r"(/[A-Za-z0-9._~ %é-]{0,10}){0,3}", fullmatch=True)


@settings(max_examples=300, deadline=None)
@given(method=st.sampled_from(["GET", "POST", "post"]), host=HOSTS, path=PATHS,
       params=st.dictionaries(NAMES, TEXT, max_size=8), secret=TEXT,
       algorithm=st.sampled_from(["HmacSHA256", "HmacSHA1"]))
def test_signers_agree_on_random_requests(method, host, path, params, secret, algorithm):
    params = {**params, "SignatureMethod": algorithm}
    ours = sigv2.string_to_sign(method, host, path, params)
    theirs = signing.string_to_sign(method, host, path, params)
    assert ours == theirs
    assert sigv2.canonical_query(params) == signing.canonical_query(params)
    assert sigv2.signature(secret, ours, algorithm) == signing.hmac_signature(secret, theirs, algorithm)


@settings(max_examples=100, deadline=None)
@given(st.binary(max_size=200))
def test_content_md5_agrees(body):
    assert sigv2.content_md5(body) == signing.content_md5(body)


def test_content_md5_vectors():
    """mws.md §1.4 (f)."""
    assert sigv2.content_md5(b"abc\tdef") == "Zj+Bh1BJ8HzBb9ToK28qFQ=="
    assert sigv2.content_md5(b"") == "1B2M2Y8AsgTpgAmY7PhCfg=="


# -- timestamps --------------------------------------------------------------------------------------------

MOMENTS = st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2099, 12, 31),  # noqa: DTZ001 (naive bounds: hypothesis wants them)
                       timezones=st.just(timezone.utc))


@settings(max_examples=200, deadline=None)
@given(MOMENTS)
def test_the_sandbox_reads_the_clients_timestamps(moment):
    assert parse_iso(format_timestamp(moment)) == pytest.approx(moment.timestamp(), abs=1e-3)


@settings(max_examples=200, deadline=None)
@given(MOMENTS)
def test_the_client_reads_the_sandboxs_timestamps(moment):
    epoch = moment.timestamp()
    for text, precision in ((iso_ms(epoch), 1e-3), (iso_z(epoch), 1.0), (iso_offset(epoch), 1.0)):
        assert abs(client_parse_iso(text).timestamp() - epoch) < precision, text


def test_plus_0000_is_refused_by_the_sandbox():
    """mws.md §1.1: since 2018-03 Amazon rejects ``+0000``; ``Z`` and ``+00:00`` are fine."""
    assert parse_iso("2024-01-01T00:00:00+0000") is None
    base = datetime(2024, 1, 1, tzinfo=timezone.utc)
    assert parse_iso("2024-01-01T01:00:00+01:00") == base.timestamp()
    assert parse_iso("2024-01-01T00:00:00Z") == base.timestamp()


# -- the seam ----------------------------------------------------------------------------------------------

def _is_lib(module: str | None) -> bool:
    return module is not None and (module == "lib" or module.startswith("lib."))


def _lib_imports(path: Path) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [a.name for a in node.names if _is_lib(a.name)]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and _is_lib(node.module):
            found.append(node.module)
    return found


def test_no_sandbox_module_imports_the_client():
    offenders = {str(p.relative_to(PACKAGE)): _lib_imports(p) for p in PACKAGE.rglob("*.py")}
    assert {k: v for k, v in offenders.items() if v} == {}


def test_a_dropped_connection_reaches_the_client_as_a_transport_error():
    from mws_sandbox import ConnectionDropped

    from mws_component.lib.mws.errors import TransportError
    from mws_component.lib.mws.transport import HttpRequest, InProcessTransport

    class Dropping:
        def handle(self, request):
            raise ConnectionDropped("dropped mid-response")

    with pytest.raises(TransportError, match="dropped mid-response") as caught:
        InProcessTransport(Dropping()).send(HttpRequest("POST", "http://sandbox/Orders/2013-09-01"))
    assert caught.value.__context__ is None  # raised outside the except block, as the real transport does


def test_importing_and_serving_the_sandbox_does_not_load_the_client():
    code = ("import sys, mws_sandbox\n"
            "sb = mws_sandbox.Sandbox(seed=1)\n"
            "with mws_sandbox.serve(sb) as server: pass\n"
            "loaded = sorted(m for m in sys.modules if m == 'lib' or m.startswith('lib.'))\n"
            "assert not loaded, loaded\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60,
                          cwd=PACKAGE.parent)
    assert done.returncode == 0, done.stderr
