"""What ``mws-component`` says, as a new user meets it (issue 12 §5), each checked on a real subprocess:
an error printed once; no Python list repr; "nothing was sent" only where something could have been;
"FeedValidation..." said once; one ``--component-path`` spelling; every missing ELASTICIO_* variable at
once; ``feed build --input`` taking the ``{"items": [...]}`` body ``run --body`` takes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from http.server import BaseHTTPRequestHandler
from pathlib import Path

import pytest
from mws_sandbox import Sandbox, serve

from .loopback import endpoint_credentials

ROOT = Path(__file__).resolve().parents[2]
STYLES = ROOT / "tests" / "sdk" / "fixtures" / "styles"
ORDER = '{"amazonOrderId": "058-1233752-8214740"}'


def cli(*args: str, env: dict[str, str] | None = None, stdin: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "mws_component.cli", *args], cwd=ROOT, capture_output=True,
                          text=True, timeout=120, env=env, input=stdin)


@pytest.fixture(scope="module")
def sandbox_creds(tmp_path_factory):
    """``(good, wrong secret)`` credentials files for a sandbox served for this module."""
    folder = tmp_path_factory.mktemp("creds")
    sandbox = Sandbox(seed=0, orders=3)
    with serve(sandbox) as server:
        creds = sandbox.credentials(server.url)
        good, bad = folder / "good.json", folder / "bad.json"
        good.write_text(json.dumps(creds))
        bad.write_text(json.dumps({**creds, "secretKey": "wrong" + creds["secretKey"][5:]}))
        yield good, bad


TWO_MESSAGES = (b'<?xml version="1.0"?><ErrorResponse><Error><Type>Sender</Type><Code>InvalidParameterValue</Code>'
                b"<Message>First part.</Message><Message>Second part.</Message></Error>"
                b"<RequestID>r-2</RequestID></ErrorResponse>")


@pytest.fixture
def two_messages(tmp_path):
    """Credentials for an endpoint whose every answer is an ErrorResponse with two Message elements."""
    class Answer(BaseHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def do_POST(self):
            self.rfile.read(int(self.headers.get("Content-Length", 0)))
            self.send_response(400)
            self.send_header("Content-Length", str(len(TWO_MESSAGES)))
            self.end_headers()
            self.wfile.write(TWO_MESSAGES)

    with endpoint_credentials(Answer, tmp_path) as creds:
        yield creds


def _items_file(tmp_path: Path, document: object) -> str:
    path = tmp_path / "items.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    return str(path)


# 1. an error is printed once ------------------------------------------------------------------------
def test_a_step_error_is_printed_once(sandbox_creds):
    _, bad = sandbox_creds
    done = cli("run", "listOrderItems", "--credentials", str(bad), "--body", ORDER)
    assert done.returncode == 1 and done.stdout == ""
    assert done.stderr.count("SignatureDoesNotMatch") == 1, done.stderr
    assert "error: AuthenticationError: SignatureDoesNotMatch: " in done.stderr
    assert "emitted an error" not in done.stderr
    assert "end: 0 data, 1 error(s)" in done.stderr


def test_a_user_error_in_a_fixture_step_is_printed_once(tmp_path):
    creds = tmp_path / "c.json"
    creds.write_text('{"apiKey": "k-1234567890"}')
    done = cli("run", "raiseError", "--component-path", str(STYLES), "--credentials", str(creds),
               "--body", '{"value": "x"}')
    assert done.returncode == 1
    assert done.stderr.count("cannot handle 'x'") == 1, done.stderr


# 2. no Python list repr -----------------------------------------------------------------------------
def test_verify_and_run_render_amazons_message_as_text(sandbox_creds):
    _, bad = sandbox_creds
    verify = cli("verify", "--credentials", str(bad))
    assert verify.returncode == 1
    reason = json.loads(verify.stdout)["reason"]
    assert reason.startswith("SignatureDoesNotMatch: The request signature we calculated"), reason
    assert "['" not in reason and "']" not in reason
    run = cli("run", "listOrderItems", "--credentials", str(bad), "--body", ORDER)
    assert "['" not in run.stderr and "SignatureDoesNotMatch: The request signature" in run.stderr


def test_several_message_elements_are_joined_as_text(two_messages):
    done = cli("run", "listOrderItems", "--credentials", str(two_messages), "--body", ORDER)
    assert done.returncode == 1
    assert "InvalidParameterValue: First part. Second part." in done.stderr, done.stderr
    assert "['" not in done.stderr
    verify = cli("verify", "--credentials", str(two_messages))
    assert json.loads(verify.stdout)["reason"].startswith("InvalidParameterValue: First part. Second part.")


# 3. "nothing was sent" only where something could have been sent -----------------------------------
def test_feed_build_and_schema_do_not_say_nothing_was_sent(tmp_path):
    build = cli("feed", "build", "inventory", "--input", _items_file(tmp_path, [{"sku": "A", "quantity": -1}]))
    assert build.returncode == 1
    assert "1 problem in the inventory items:" in build.stderr and "items[0].quantity" in build.stderr
    assert "nothing was sent" not in build.stderr
    schema = cli("feed", "schema", "product", "--category", "Garden")
    assert schema.returncode == 1 and "unknown category 'Garden'" in schema.stderr
    assert "nothing was sent" not in schema.stderr


def test_a_refused_action_says_nothing_was_sent(sandbox_creds):
    good, _ = sandbox_creds
    done = cli("run", "submitInventory", "--credentials", str(good), "--body", '{"sku": "A", "quantity": -1}')
    assert done.returncode == 1
    assert "1 problem in the inventory items; nothing was sent:" in done.stderr, done.stderr


# 4. "FeedValidationError: FeedValidationFailed:" said once ------------------------------------------
def test_feed_validation_is_named_once(sandbox_creds, tmp_path):
    good, _ = sandbox_creds
    run = cli("run", "submitInventory", "--credentials", str(good), "--body", '{"sku": "A", "quantity": -1}')
    assert "FeedValidationError: FeedValidationFailed" not in run.stderr
    assert run.stderr.count("FeedValidation") == 1, run.stderr
    build = cli("feed", "build", "inventory", "--input", _items_file(tmp_path, {"sku": "A", "quantity": -1}))
    assert "FeedValidation" not in build.stderr
    assert build.stderr.startswith("mws-component feed: 1 problem in the inventory items:")


# 5. one option name for the component path ----------------------------------------------------------
@pytest.mark.parametrize("command", ["run", "exec", "verify", "demo", "sailor", "serve"])
def test_every_command_spells_it_component_path(command):
    done = cli(command, "--help")
    assert done.returncode == 0
    assert "--component-path DIR" in done.stdout
    assert "--component-root" not in done.stdout


@pytest.mark.parametrize("option", ["--component-path", "--component-root"])
def test_sailor_takes_the_new_spelling_and_the_old_one(option, tmp_path):
    done = cli("sailor", option, str(tmp_path), env={"PATH": os.environ.get("PATH", "")})
    assert done.returncode == 1  # the options parsed (2 would be argparse refusing them); the env is empty
    assert "are missing" in done.stderr


def test_run_still_accepts_the_old_spelling(tmp_path):
    creds = tmp_path / "c.json"
    creds.write_text('{"apiKey": "k-1234567890"}')
    done = cli("run", "raiseError", "--component-root", str(STYLES), "--credentials", str(creds),
               "--body", '{"value": "x"}')
    assert done.returncode == 1 and "cannot handle 'x'" in done.stderr


# 6. every missing ELASTICIO_* variable at once ------------------------------------------------------
def test_sailor_names_every_missing_variable_at_once():
    env = {"PATH": os.environ.get("PATH", ""), "ELASTICIO_FLOW_ID": "f", "ELASTICIO_API_KEY": "k"}
    done = cli("sailor", env=env)
    assert done.returncode == 1
    message = done.stderr.strip().splitlines()[-1]
    for name in ("ELASTICIO_EXEC_ID", "ELASTICIO_FUNCTION", "ELASTICIO_AMQP_URI", "ELASTICIO_MESSAGE_CRYPTO_IV"):
        assert name in message
    assert "ELASTICIO_FLOW_ID" not in message and "ELASTICIO_API_KEY," not in message
    assert "are missing (18 variables)" in message


# 7. feed build --input takes the run --body shape ---------------------------------------------------
@pytest.mark.parametrize("document", [
    {"items": [{"sku": "A", "quantity": 1}, {"sku": "B", "quantity": 2}]},
    [{"sku": "A", "quantity": 1}, {"sku": "B", "quantity": 2}],
], ids=["items-body", "bare-array"])
def test_feed_build_takes_an_items_body_or_an_array(document, tmp_path):
    done = cli("feed", "build", "inventory", "--input", _items_file(tmp_path, document))
    assert done.returncode == 0, done.stderr
    assert "2 message(s)" in done.stderr and done.stdout.count("<SKU>") == 2


def test_feed_build_takes_one_item_and_stdin(tmp_path):
    one = cli("feed", "build", "inventory", "--input", _items_file(tmp_path, {"sku": "A", "quantity": 1}))
    assert one.returncode == 0 and "1 message(s)" in one.stderr
    piped = cli("feed", "build", "inventory", "--input", "-", stdin='{"items": [{"sku": "A", "quantity": 1}]}')
    assert piped.returncode == 0 and "1 message(s)" in piped.stderr


def test_feed_build_refuses_items_that_is_not_an_array(tmp_path):
    done = cli("feed", "build", "inventory", "--input", _items_file(tmp_path, {"items": {"sku": "A"}}))
    assert done.returncode == 1 and done.stdout == ""
    assert "'items' must be an array of items, got dict" in done.stderr


def test_a_verify_reason_given_as_a_list_is_printed_as_text(tmp_path):
    import shutil

    root = tmp_path / "component"
    shutil.copytree(ROOT / "tests" / "sdk" / "fixtures" / "verify", root)
    (root / "verifyCredentials.py").write_text(
        'def verify(credentials):\n    return {"verified": False, "reason": ["key revoked", "seller suspended"]}\n')
    creds = tmp_path / "c.json"
    creds.write_text("{}")
    done = cli("verify", "--component-path", str(root), "--credentials", str(creds))
    assert done.returncode == 1
    assert json.loads(done.stdout) == {"verified": False, "reason": "key revoked; seller suspended"}
