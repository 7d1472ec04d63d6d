"""``mws-component run|exec|verify`` as real subprocesses: streams, exit codes, the snapshot file."""

from __future__ import annotations

import json

from .conftest import FIXTURES, REPO, cli

STYLES = str(FIXTURES / "styles")
CREDS = {"apiKey": "cli-api-key-secret-8675309"}


def test_run_persists_the_snapshot_across_runs(tmp_path, write_json):
    creds = write_json("creds.json", CREDS)
    snapshot = tmp_path / "state" / "counter.snapshot.json"
    first = cli("run", "counter", "--component-path", STYLES, "--credentials", str(creds), "--snapshot", str(snapshot))
    assert first.returncode == 0, first.stderr
    assert [json.loads(line) for line in first.stdout.splitlines()] == [{"n": 1}]
    assert json.loads(snapshot.read_text()) == {"n": 1}
    second = cli("run", "counter", "--component-path", STYLES, "--credentials", str(creds),
                 "--snapshot", str(snapshot), "--cfg", '{"replace": true}')
    assert [json.loads(line) for line in second.stdout.splitlines()] == [{"n": 2}]
    assert json.loads(snapshot.read_text()) == {"n": 2, "replaced": True}
    assert "updateSnapshot" in second.stderr and "saved to" in second.stderr
    assert [p.name for p in snapshot.parent.iterdir()] == [snapshot.name]  # no temp files left behind


def test_snapshot_is_kept_when_the_step_fails_after_saving(tmp_path, write_json):
    creds = write_json("creds.json", CREDS)
    snapshot = write_json("s.json", {"n": 5})
    result = cli("run", "counter", "--component-path", STYLES, "--credentials", str(creds),
                 "--snapshot", str(snapshot), "--cfg", '{"failAfterSnapshot": true}')
    assert result.returncode == 1
    assert result.stderr.count("RuntimeError: failed after poll 6") == 1  # printed once
    assert "error: RuntimeError: failed after poll 6" in result.stderr
    assert json.loads(snapshot.read_text()) == {"n": 6}
    assert result.stdout.strip() == '{"n": 6}'


def test_error_exits_non_zero_with_the_message(write_json):
    creds = write_json("creds.json", CREDS)
    result = cli("run", "raiseError", "--component-path", STYLES, "--credentials", str(creds),
                 "--body", '{"value": "x"}')
    assert result.returncode == 1
    assert result.stdout == ""
    assert result.stderr.count("ValueError: cannot handle 'x'") == 1  # printed once, as it happened
    assert "error: ValueError: cannot handle 'x'" in result.stderr


def test_fixture_file_drives_the_run_and_secrets_stay_out_of_output(tmp_path, write_json):
    (tmp_path / "body.json").write_text('{"value": "from file"}')
    fixture = write_json("fixture.json", {"fixtures": {
        "one": {"msg": {"body": {"value": "{{GREETING}}"}}, "cfg": {"apiKey": "{{API_KEY}}"}, "snapshot": {"s": 1}},
        "two": {"msg": {"body": {}}, "cfg": {}}}})
    creds = write_json("creds.json", {})
    result = cli("run", "logsSecret", "--component-path", STYLES, "--credentials", str(creds),
                 "--fixture", str(fixture), "--fixture-name", "one",
                 env={"GREETING": "hello", "API_KEY": "fixture-secret-value-2718"})
    assert result.returncode == 0, result.stderr
    assert "fixture-secret-value-2718" not in result.stdout + result.stderr
    assert json.loads(result.stdout) == {"leak": "key *** used", "ok": True}
    logs = [json.loads(line) for line in result.stderr.splitlines() if line.startswith("{")]
    assert logs and all(line["cfg"]["apiKey"] == "***" for line in logs if "cfg" in line)
    assert any(line["msg"] == "calling with key=***" for line in logs)
    bridged = [line for line in logs if line.get("logger") == "mws_component.mws"]
    assert [(b["level"], b["msg"]) for b in bridged] == [(40, "retrying a request signed with ***")]

    echo = cli("run", "returnBody", "--component-path", STYLES, "--credentials", str(creds),
               "--fixture", str(fixture), "--fixture-name", "one", "--body", f"@{tmp_path / 'body.json'}",
               env={"GREETING": "hello", "API_KEY": "k"})
    assert json.loads(echo.stdout)["echo"] == {"value": "from file"}
    assert json.loads(echo.stdout)["snapshot"] == {"s": 1}


def test_bad_inputs_exit_2_naming_the_fix(tmp_path, write_json):
    creds = write_json("creds.json", CREDS)
    missing = cli("run", "counter", "--component-path", STYLES, "--credentials", str(write_json("c.json", {})))
    assert missing.returncode == 2 and "credential field 'apiKey' (API key)" in missing.stderr
    bad_json = cli("run", "counter", "--component-path", STYLES, "--credentials", str(creds), "--cfg", "{oops")
    assert bad_json.returncode == 2 and "--cfg: not valid JSON" in bad_json.stderr
    broken = cli("run", "x", "--component-path", str(FIXTURES / "broken"), "--credentials", str(creds))
    assert broken.returncode == 2 and "$.actions.noTitle.title" in broken.stderr
    unknown = cli("run", "nope", "--component-path", STYLES, "--credentials", str(creds))
    assert unknown.returncode == 2 and "choose one of: counter, returnBody" in unknown.stderr
    no_component = cli("run", "counter", "--credentials", str(creds), cwd=tmp_path,
                       env={"ELASTICIO_COMPONENT_PATH": str(tmp_path)})
    assert no_component.returncode == 2 and "has no component.json" in no_component.stderr


def test_component_root_from_environment(write_json):
    creds = write_json("creds.json", CREDS)
    result = cli("run", "returnBody", "--credentials", str(creds), env={"ELASTICIO_COMPONENT_PATH": STYLES})
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["echo"] == {}


def test_exec_select_model_and_dynamic_metadata(write_json):
    creds = write_json("creds.json", CREDS)
    model = cli("exec", "listColors", "models", "--component-path", STYLES, "--credentials", str(creds))
    assert model.returncode == 0, model.stderr
    assert json.loads(model.stdout) == {"status": "success",
                                        "data": {"red": "Red", "green": "Green", "prefix": ""}}
    meta = cli("exec", "getMetaModel", "models", "--component-path", STYLES, "--credentials", str(creds),
               "--cfg", '{"color": "blue"}')
    assert json.loads(meta.stdout)["data"]["in"]["properties"] == {"blue": {"type": "string"}}
    failing = cli("exec", "getMetaModel", "models", "--component-path", STYLES, "--credentials", str(creds),
                  "--cfg", '{"fail": true}')
    assert failing.returncode == 1
    assert json.loads(failing.stdout) == {"status": "error", "data": {"message": "no metadata for this configuration"}}


def test_exec_get_meta_model_of_a_static_real_step_is_an_error_result(write_json):
    creds = write_json("creds.json", {"sellerId": "S", "accessKeyId": "A", "secretKey": "exec-real-secret-1",
                                      "marketplaceId": "ATVPDKIKX0DER"})
    result = cli("exec", "getMetaModel", "listOrders", "--credentials", str(creds), cwd=REPO)
    assert result.returncode == 1
    assert "has no getMetaModel" in json.loads(result.stdout)["data"]["message"]


def test_verify_exit_codes(write_json):
    verify = str(FIXTURES / "verify")
    ok = cli("verify", "--component-path", verify, "--credentials", str(write_json("ok.json", {"mode": "true"})))
    assert (ok.returncode, json.loads(ok.stdout)) == (0, {"verified": True})
    creds = write_json("bad.json", {"mode": "raise", "secretKey": "verify-cli-secret-999"})
    bad = cli("verify", "--component-path", verify, "--credentials", str(creds))
    assert bad.returncode == 1
    assert json.loads(bad.stdout) == {"verified": False, "reason": "SignatureDoesNotMatch for secret ***"}
    assert "verify-cli-secret-999" not in bad.stdout + bad.stderr
    none = cli("verify", "--component-path", STYLES, "--credentials", str(write_json("c.json", CREDS)))
    assert none.returncode == 2 and "verifyCredentials.py not found" in none.stderr
