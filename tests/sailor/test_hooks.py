"""The shutdown-hook container (``ELASTICIO_HOOK_SHUTDOWN``): no AMQP, startup data in, hook, data deleted."""

from __future__ import annotations

import json

from eiosdk.sailor.runtime import Sailor
from eiosdk.sailor.settings import load_settings

from .conftest import FIXTURE_COMPONENT, step_data


def hook_env(platform) -> dict[str, str]:
    ids = {"FLOW_ID": "flow-9", "EXEC_ID": "e", "STEP_ID": "step_1", "CONTAINER_ID": "c", "WORKSPACE_ID": "w",
           "USER_ID": "u", "COMP_ID": "comp", "FUNCTION": "tick"}
    return {**{f"ELASTICIO_{k}": v for k, v in ids.items()}, "ELASTICIO_API_URI": platform.url,
            "ELASTICIO_API_USERNAME": platform.username, "ELASTICIO_API_KEY": platform.key,
            "ELASTICIO_HOOK_SHUTDOWN": "true"}


def test_shutdown_hook_gets_startup_data_then_it_is_deleted(platform, tmp_path):
    marker = tmp_path / "shutdown"
    platform.steps[("flow-9", "step_1")] = step_data({"shutdown_marker": str(marker)})
    platform.startup["flow-9"] = {"startedWith": "acc-3"}
    assert Sailor(load_settings(hook_env(platform)), FIXTURE_COMPONENT).run() == 0
    assert json.loads(marker.read_text()) == {"startedWith": "acc-3"}
    assert "flow-9" not in platform.startup
    assert [r.method for r in platform.requests] == ["GET", "GET", "DELETE"]


def test_shutdown_hook_failure_exits_1(platform, tmp_path):
    platform.steps[("flow-9", "step_1")] = step_data({})  # no marker path: the hook raises KeyError
    platform.startup["flow-9"] = {}
    assert Sailor(load_settings(hook_env(platform)), FIXTURE_COMPONENT).run() == 1
    assert "flow-9" in platform.startup  # not deleted when the hook failed
