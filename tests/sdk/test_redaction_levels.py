"""Secrets never reach a log line, at any level: registered ones, and those only their shape gives away
(a request's Signature is new every time), in messages, fields and chained stack traces.

The end-to-end tests run ``submitInventory`` sending real signed requests to a loopback sandbox with
LOG_LEVEL=trace and stdlib ``logging`` bridged at DEBUG, so urllib3 logs every signed URL it posts.
"""

from __future__ import annotations

import json
import logging
import time
from urllib.parse import quote, quote_plus

import pytest
import requests
from eiosdk import logging as sdk_logging
from eiosdk.component import Component
from eiosdk.logging import get_logger, redact, redact_text, register_secret, serialize_error
from eiosdk.sailor.outgoing import format_error

from mws_component import COMPONENT_ROOT
from mws_component.cli import main
from mws_component.lib.connection import override

from .conftest import cli, run_step
from .leaks import (
    INVENTORY,
    LEVELS,
    STDLIB_LEVELS,
    LoudTransport,
    UnreachableTransport,
    assert_clean,
    forbidden,
    recording_sandbox,
    stdlib_bridge,
)

SIG = "rhd1+56sHoj7LFuOLD14nVIgUU4JcwpiNpy8i/TWnBU="
ENC = quote(SIG, safe="")
KEY_ID = "AKIAEXAMPLE00000001"
TOKEN = "amzn.mws.4ea38b7b-f563-7709-4bae-87aeaEXAMPLE"
SP_TOKEN = "Atza|IwEBIExampleAccessToken"


@pytest.mark.parametrize("text, hidden", [
    (f'"POST /Feeds/2009-01-01?AWSAccessKeyId={KEY_ID}&Action=SubmitFeed&MWSAuthToken={TOKEN}'
     f'&Signature={ENC} HTTP/1.1" 200 501', (KEY_ID, TOKEN, ENC)),
    (f"Action=ListOrders&AWSAccessKeyId={KEY_ID}&Signature={ENC}&Timestamp=2026-01-01T00%3A00%3A00Z", (KEY_ID, ENC)),
    (f"signed with Signature={SIG} (not encoded)", (SIG,)),
    (f"next=https%3A%2F%2Fh%2Fp%3FAWSAccessKeyId%3D{KEY_ID}%26Signature%3D{quote(ENC, safe='')}%26a%3Db",
     (KEY_ID, quote(ENC, safe=""))),
    (f"https://b.s3.amazonaws.com/k?X-Amz-Credential={KEY_ID}%2F20260101%2Fus-east-1%2Fs3%2Faws4_request"
     "&X-Amz-Security-Token=FQoGZXIvYXdzEXAMPLE&X-Amz-Signature=9f1c3e5a7b", (KEY_ID, "FQoGZXIvYXdzEXAMPLE", "9f1c3e5a7b")),
    ("SecretKey=wJalrXUtnFEMIEXAMPLE&aws_secret_access_key=je7MtGbClwBF", ("wJalrXUtnFEMIEXAMPLE", "je7MtGbClwBF")),
    (f"params={{'AWSAccessKeyId': '{KEY_ID}', 'Signature': '{SIG}', 'SignatureMethod': 'HmacSHA256'}}", (KEY_ID, SIG)),
    (f'{{"x-amz-access-token": "{SP_TOKEN}", "Authorization": "Bearer eyJhbGciOiJIUzI1NiJ9.e30.x"}}',
     (SP_TOKEN, "eyJhbGciOiJIUzI1NiJ9")),
    (f"GET /orders/v0/orders HTTP/1.1\r\nhost: sellingpartnerapi-na.amazon.com\r\nx-amz-access-token: {SP_TOKEN}\r\n"
     f"Authorization: AWS4-HMAC-SHA256 Credential={KEY_ID}/20260101/us-east-1/execute-api/aws4_request, "
     "SignedHeaders=host;x-amz-date, Signature=5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7\r\n",
     (SP_TOKEN, KEY_ID, "5d672d79c15b1316")),
    (repr(f"send: POST / HTTP/1.1\r\nx-amz-access-token: {SP_TOKEN}\r\nAuthorization: Basic dXNlcjpwYXNz\r\n".encode()),
     (SP_TOKEN, "dXNlcjpwYXNz")),
    (repr(f"POST / HTTP/1.1\r\n\r\nAWSAccessKeyId={KEY_ID}&Signature={ENC}".encode()), (KEY_ID, ENC)),
])
def test_secret_shapes_are_masked_wherever_they_appear(text, hidden):
    safe = redact_text(text)
    assert [h for h in hidden if h in safe] == []
    assert "***" in safe


@pytest.mark.parametrize("text", [
    "SignatureMethod=HmacSHA256&SignatureVersion=2&NextToken=AAAAexampleToken&Merchant=A1B2C3",
    "secretKey: enter the Secret Key shown next to the Access Key ID",
    "accessKeyId=AKIA-is-an-identifier-field&marketplaceId=ATVPDKIKX0DER",
    "The request signature we calculated does not match the signature you provided.",
])
def test_ordinary_text_and_parameters_are_left_alone(text):
    assert redact_text(text) == text


def test_masking_keeps_the_parameter_names_readable():
    safe = redact_text(f"/Feeds/2009-01-01?AWSAccessKeyId={KEY_ID}&SignatureVersion=2&Signature={ENC}")
    assert safe == "/Feeds/2009-01-01?AWSAccessKeyId=***&SignatureVersion=2&Signature=***"


@pytest.mark.parametrize("text", ["token " + "a=" * 10_000, "token\n" + "Authorization: " * 2_000,
                                  "key " + "'a': '" * 5_000, "secret " + "x" * 200_000 + "="])
def test_hostile_text_costs_linear_time(text):
    started = time.perf_counter()
    redact_text(text)
    assert time.perf_counter() - started < 1.0  # a quadratic scan of these takes several seconds


def test_registered_secret_is_masked_in_its_url_encoded_spellings_too():
    secret = "wJalrXUtnFEMI/K7MDENG+bPx RfiCYEXAMPLE"
    register_secret(secret)
    text = f"a={quote(secret, safe='')}&b={quote_plus(secret, safe='')}&c={secret}"
    assert redact_text(text) == "a=***&b=***&c=***"


def test_every_secret_name_passes_the_cheap_precheck():
    names = sdk_logging._SECRET_NAMES | set(sdk_logging._SECRET_SUFFIXES)
    assert [n for n in names if not sdk_logging._may_name_a_secret(f"{n.upper()}=v")] == []


def test_stdlib_levels_map_to_bunyan_levels_below_debug_too(log_lines, monkeypatch):
    monkeypatch.setenv("LOG_LEVEL", "trace")
    handler = sdk_logging.BunyanHandler()
    for stdlib_level, bunyan in [(5, 10), (logging.DEBUG, 20), (logging.INFO, 30), (logging.WARNING, 40),
                                 (logging.ERROR, 50), (logging.CRITICAL, 60), (25, 30), (45, 50)]:
        handler.emit(logging.LogRecord("lib", stdlib_level, __file__, 1, "x", None, None))
        assert log_lines()[-1]["level"] == bunyan, stdlib_level


# ---------------------------------------------------------------- real signed requests

COMPONENT = Component.load(COMPONENT_ROOT)


@pytest.fixture
def sandbox():
    with recording_sandbox() as running:
        yield running


@pytest.fixture
def trace(monkeypatch):
    """LOG_LEVEL=trace with stdlib logging bridged (root at DEBUG); logger output restored afterwards."""
    monkeypatch.setenv("LOG_LEVEL", "trace")
    with stdlib_bridge():
        yield
    sdk_logging.configure(stream=None)


def json_lines(text: str) -> list[dict]:
    return [json.loads(line) for line in text.splitlines() if line.startswith("{")]


def signed_url_lines(lines: list[dict]) -> list[dict]:
    """urllib3's DEBUG lines for a POST with a signed query string: the leak this file is about."""
    return [line for line in lines if line.get("logger") == "urllib3.connectionpool" and "?" in line["msg"]]


@pytest.mark.parametrize("level", LEVELS)
def test_a_real_run_logs_no_secret_at_level(level, sandbox, trace, write_json, capsys):
    box, url, seen = sandbox
    cfg = box.credentials(url)
    loud = LoudTransport([level])
    with override(transport=loud):
        code = main(["run", "submitInventory", "--credentials", str(write_json("creds.json", cfg)),
                     "--component-path", str(COMPONENT_ROOT), "--body", json.dumps(INVENTORY)])
    out, err = capsys.readouterr()
    assert code == 0, err
    lines = json_lines(err)
    probes = [line for line in lines if line.get("probe") or line.get("logger") == "probe.http"]
    assert {line["level"] for line in probes} == {sdk_logging.LEVELS[level]}
    assert len(probes) == 2 * len(loud.sent) and all("Signature=***" in json.dumps(p) for p in probes)
    (urllib3,) = signed_url_lines(lines)
    assert "&Signature=*** HTTP/1.1" in urllib3["msg"] and "AWSAccessKeyId=***&" in urllib3["msg"]
    assert_clean(out + err, forbidden(cfg, [*seen, *loud.sent]))


def test_the_cli_at_trace_level_shows_no_secret(sandbox, write_json):
    box, url, seen = sandbox
    cfg = box.credentials(url)
    proc = cli("run", "submitInventory", "--credentials", str(write_json("creds.json", cfg)),
               "--component-path", str(COMPONENT_ROOT), "--body", json.dumps(INVENTORY), env={"LOG_LEVEL": "trace"})
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["feedType"] == "_POST_INVENTORY_AVAILABILITY_DATA_"
    assert "Signature=***" in signed_url_lines(json_lines(proc.stderr))[0]["msg"]
    assert len(seen) >= 2 and all("Signature=" in (r.url + r.body.decode()) for r in seen)
    assert_clean(proc.stdout + proc.stderr, forbidden(cfg, seen))


def test_an_error_chained_to_a_library_error_quoting_the_signed_url(sandbox, trace, log_lines):
    box, url, seen = sandbox
    cfg = box.credentials(url)
    unreachable = UnreachableTransport()
    with override(transport=unreachable):
        recorder, _ = run_step(COMPONENT, "submitInventory", {"body": INVENTORY}, cfg)
    (error,) = recorder.payloads("error")
    signed = unreachable.sent[-1].url
    assert isinstance(error.__context__, requests.ConnectionError)
    assert signed.split("?")[1].split("&Signature=")[1] in str(error.__context__)  # really quotes it
    probe = logging.getLogger("probe.err")
    probe.setLevel(1)  # trace-level (5) records too
    for level in LEVELS:
        getattr(get_logger("component"), level)("upload failed", err=error)
        probe.log(STDLIB_LEVELS[level], "upload failed: %s", error.__context__, exc_info=error)
    shapes = {"serialize_error": serialize_error(error), "sailor": format_error(error), "redact": redact(error)}
    logged = log_lines()
    assert len([line for line in logged if line["msg"].startswith("upload failed")]) == 2 * len(LEVELS)
    stack = shapes["sailor"]["stack"]
    assert "During handling of the above exception" in stack and "Signature=***" in stack
    assert_clean(json.dumps(shapes) + json.dumps(logged), forbidden(cfg, [*seen, *unreachable.sent]))
