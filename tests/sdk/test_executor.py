"""The process contract: return/raise/emit styles, sync and async, and the single final ``end``."""

from __future__ import annotations

import asyncio
import copy
import threading
import types

import pytest
from eiosdk.component import LoadedStep, StepDefinition
from eiosdk.errors import StepError
from eiosdk.executor import call_hook, execute
from eiosdk.logging import register_secret
from eiosdk.message import Message

from .conftest import Recorder, run_step


def test_returned_body_becomes_data_then_end(styles):
    events, result = run_step(styles, "returnBody", {"body": {"value": "x"}}, snapshot={"seen": 1})
    assert events.names == ["data", "end"]
    message = events.payloads("data")[0]
    assert isinstance(message, Message)
    assert message.body == {"echo": {"value": "x"}, "node": {"value": "x"}, "snapshot": {"seen": 1}}
    assert (result.data, result.errors) == (1, 0)


def test_returned_full_message_keeps_its_id_and_headers(styles):
    events, _ = run_step(styles, "returnMessage")
    message = events.payloads("data")[0]
    assert (message.id, message.body, message.headers) == ("fixed-id", {"ok": True}, {"x-eio-meta-trace": "t1"})


def test_raised_exception_becomes_error_then_end(styles):
    events, result = run_step(styles, "raiseError", {"body": {"value": 42}})
    assert events.names == ["error", "end"]
    error = events.payloads("error")[0]
    assert isinstance(error, ValueError) and str(error) == "cannot handle 42"
    assert (result.data, result.errors) == (0, 1)


def test_sync_step_emits_in_order_from_its_worker_thread(styles):
    events, result = run_step(styles, "emitSync")
    assert events.names == ["data", "data", "snapshot", "end"]
    assert [m.body for m in events.payloads("data")] == [{"i": 0}, {"i": 1}]
    assert events.payloads("snapshot") == [{"last": 1}]
    assert result.data == 2
    thread_names = styles.load_step("emitSync").module.THREADS
    assert thread_names and thread_names[-1] != threading.main_thread().name


def test_context_as_fourth_parameter_with_flow_variables(styles):
    events, _ = run_step(styles, "emitWithContext", flow_variables={"name": "orders-flow"})
    assert events.names == ["data", "httpReply", "updateKeys", "end"]
    assert events.payloads("data")[0].body == {"flow": "orders-flow"}
    assert events.payloads("httpReply") == [{"statusCode": 200, "body": "ok", "headers": {}}]
    assert events.payloads("updateKeys") == [{"oauth": {"access_token": "new-token"}}]


def test_async_step_return(styles):
    events, _ = run_step(styles, "asyncReturn")
    assert events.names == ["data", "end"]
    assert events.payloads("data")[0].body == {"async": True}


def test_step_that_ends_itself_gets_nothing_after_end(styles):
    events, result = run_step(styles, "asyncEmitEnd")
    assert events.names == ["data", "end"]
    assert events.payloads("data")[0].body == {"first": True}
    assert result.data == 1


def test_second_end_is_ignored(styles):
    events, _ = run_step(styles, "doubleEnd")
    assert events.names == ["end"]


def test_error_string_becomes_step_error_and_step_continues(styles):
    events, result = run_step(styles, "errorString")
    assert events.names == ["error", "data", "end"]
    error = events.payloads("error")[0]
    assert isinstance(error, StepError) and str(error) == "bad thing happened"
    assert (result.data, result.errors) == (1, 1)


def test_process_with_two_parameters_is_called_like_node(styles):
    events, _ = run_step(styles, "twoArgs", cfg={"value": "v"})
    assert events.payloads("data")[0].body == {"value": "v"}


def test_unknown_event_is_an_error_in_the_step(styles):
    events, _ = run_step(styles, "unknownEvent")
    assert events.names == ["error", "end"]
    assert "unknown event 'bogus'" in str(events.payloads("error")[0])


def test_sync_emit_on_the_loop_fails_clearly_instead_of_deadlocking(styles):
    events, _ = run_step(styles, "syncEmitOnLoop")
    assert events.names == ["error", "end"]
    assert "await context.aemit" in str(events.payloads("error")[0])


def test_returning_a_list_is_reported_as_an_error(styles):
    events, _ = run_step(styles, "returnsList")
    assert events.names == ["error", "end"]
    assert "emit one data event per item" in str(events.payloads("error")[0])


def test_blocking_sync_step_does_not_stall_the_loop(styles):
    """While the step blocks its thread on a gate, the loop still runs the coroutine that opens it."""
    step = styles.load_step("blocking")
    gate = step.module.GATE
    gate.clear()

    async def scenario() -> list[str]:
        recorder = Recorder()
        running = asyncio.create_task(execute(step, {"body": {}}, {}, {}, recorder))
        await asyncio.sleep(0.01)  # the step is now parked on the gate in its worker thread
        assert recorder.names == []
        gate.set()  # only reachable if the loop is free
        await asyncio.wait_for(running, timeout=5)
        return recorder.names

    assert asyncio.run(scenario()) == ["data", "end"]


def test_concurrent_executions_keep_their_own_context(styles):
    step = styles.load_step("emitWithContext")

    async def scenario() -> list[dict]:
        recorders = [Recorder() for _ in range(5)]
        await asyncio.gather(*(execute(step, {}, {}, {}, r, flow_variables={"name": f"f{i}"})
                               for i, r in enumerate(recorders)))
        return [r.payloads("data")[0].body for r in recorders]

    assert asyncio.run(scenario()) == [{"flow": f"f{i}"} for i in range(5)]


def test_cfg_and_snapshot_are_copies(styles):
    cfg, snapshot = {"nested": {"a": 1}}, {"n": 1}

    def process(msg, cfg, snapshot):
        cfg["nested"]["a"] = 2
        snapshot["n"] = 99

    step = _inline_step(process)
    asyncio.run(execute(step, {}, cfg, snapshot, Recorder()))
    assert cfg == {"nested": {"a": 1}} and snapshot == {"n": 1}


def test_module_without_process_is_an_error_then_end():
    step = LoadedStep(StepDefinition(id="ghost", kind="action", title="Ghost", main=__import__("pathlib").Path("x.py")),
                      types.ModuleType("ghost"))
    recorder = Recorder()
    asyncio.run(execute(step, {}, {}, {}, recorder))
    assert recorder.names == ["error", "end"]
    assert "no process function" in str(recorder.payloads("error")[0])


def test_secret_in_error_message_and_data_is_cut_out():
    secret = "S3cr3t-executor-value-123"

    def process(msg, cfg, snapshot):
        from eiosdk import current_context

        current_context().emit("data", {"note": f"used {cfg['secretKey']}"})
        raise PermissionError(f"signature for {cfg['secretKey']} rejected")

    recorder = Recorder()
    asyncio.run(execute(_inline_step(process), {}, {"secretKey": secret}, {}, recorder))
    assert recorder.names == ["data", "error", "end"]
    assert recorder.payloads("data")[0].body == {"note": "used ***"}
    error = recorder.payloads("error")[0]
    assert secret not in str(error) and "***" in str(error) and error.name == "PermissionError"


def test_update_keys_keeps_registered_values():
    """updateKeys exists to carry refreshed credentials: it must not be redacted."""
    token = "refresh-token-kept-intact-987"
    register_secret(token)

    def process(msg, cfg, snapshot, context):
        context.emit("updateKeys", {"token": token})

    recorder = Recorder()
    asyncio.run(execute(_inline_step(process), {}, {}, {}, recorder))
    assert recorder.payloads("updateKeys") == [{"token": token}]


def test_update_snapshot_must_be_a_plain_object():
    def process(msg, cfg, snapshot, context):
        context.emit("updateSnapshot", ["not", "an", "object"])
        context.emit("updateSnapshot", {"$set": {"a": 1}})
        context.emit("updateSnapshot", {"a": 1})

    recorder = Recorder()
    asyncio.run(execute(_inline_step(process), {}, {}, {}, recorder))
    assert recorder.events == [("updateSnapshot", {"a": 1}), ("end", None)]


def test_unserialisable_snapshot_is_an_error():
    def process(msg, cfg, snapshot, context):
        context.emit("snapshot", {"lock": threading.Lock()})

    recorder = Recorder()
    asyncio.run(execute(_inline_step(process), {}, {}, {}, recorder))
    assert recorder.names == ["error", "end"]
    assert "snapshot payload cannot be turned into JSON" in str(recorder.payloads("error")[0])


def test_caller_emit_failure_becomes_the_steps_error():
    """A publish failure (e.g. message too large) surfaces in the step, as on the platform."""
    def process(msg, cfg, snapshot):
        return {"big": "x"}

    seen: list[str] = []

    async def emit(event, payload):
        seen.append(event)
        if event == "data":
            raise OverflowError("message too large")

    asyncio.run(execute(_inline_step(process), {}, {}, {}, emit))
    assert seen == ["data", "error", "end"]


def test_hooks_sync_and_async_in_platform_order(styles):
    step = styles.load_step("hooks")
    calls = step.module.CALLS
    calls.clear()

    async def scenario():
        data = await call_hook(step, "startup", {"apiKey": "hook-api-key-value"})
        await call_hook(step, "init", {})
        await execute(step, {}, {}, {}, Recorder())
        await call_hook(step, "shutdown", {}, data)
        return data

    assert asyncio.run(scenario()) == {"started": True}
    assert calls == [("startup", True), ("init",), ("process",), ("shutdown", {"started": True})]


def test_missing_hook_is_none_and_unknown_hook_is_refused(styles):
    step = styles.load_step("returnBody")
    assert asyncio.run(call_hook(step, "init", {})) is None
    with pytest.raises(ValueError, match="unknown hook 'teardown'"):
        asyncio.run(call_hook(step, "teardown", {}))


def _inline_step(process) -> LoadedStep:
    module = types.ModuleType("inline_step")
    module.process = process
    definition = StepDefinition(id="inline", kind="action", title="Inline", main=__import__("pathlib").Path("inline.py"))
    return LoadedStep(definition, module)


@pytest.mark.parametrize("style", ["sync", "async"])
@pytest.mark.parametrize(("cfg", "snapshot"), [({}, {}), ({}, None), ({"a": {"b": [1]}}, {"n": {"m": [1]}}),
                                                ({"a": 1}, [1, {"x": 2}])])
def test_the_step_gets_cfg_and_snapshot_of_its_own_even_empty_ones(style, cfg, snapshot):
    seen = []

    def change(msg, cfg_in, snap_in):
        seen.append(copy.deepcopy((cfg_in, snap_in)))
        cfg_in["added"] = True
        if isinstance(snap_in, dict):
            snap_in["added"] = True
            for value in snap_in.values():
                if isinstance(value, dict):
                    value["deep"] = True
        elif isinstance(snap_in, list):
            snap_in.append("added")
            snap_in[1]["deep"] = True
        for value in cfg_in.values():
            if isinstance(value, dict):
                value["deep"] = True

    async def achange(msg, cfg_in, snap_in):
        change(msg, cfg_in, snap_in)

    before = (repr(cfg), repr(snapshot))
    events = Recorder()
    asyncio.run(execute(_inline_step(change if style == "sync" else achange), {"body": {}}, cfg, snapshot, events))
    assert events.names == ["end"]
    assert (repr(cfg), repr(snapshot)) == before  # the caller's state is untouched
    assert seen[0] == (cfg, {} if snapshot is None else snapshot)


def test_a_step_output_that_is_not_json_is_still_the_steps_error():
    events = Recorder()
    asyncio.run(execute(_inline_step(lambda msg: {"when": object()}), {"body": {}}, {}, {}, events))
    assert events.names == ["error", "end"]
    assert "data payload cannot be turned into JSON" in str(events.payloads("error")[0])
    events = Recorder()
    asyncio.run(execute(_inline_step(lambda msg: [1, 2]), {"body": {}}, {}, {}, events))
    assert events.names == ["error", "end"]
    assert "data payload must be a dict" in str(events.payloads("error")[0])
