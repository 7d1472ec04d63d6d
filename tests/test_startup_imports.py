"""Step start-up stays light (issue 17, "start-up"): what a sailor loads before it takes messages.

A sailor running listOrderItems imports its step module and what that module imports, and nothing of
the feed builder, the submit actions, the listings path or the heavy libraries only other steps or
the first message need (pydantic, lxml, jsonschema, xmltodict, requests). These are checked in a fresh
interpreter by module name, not by timing: ``bench/startup.py`` measures the seconds.
"""

from __future__ import annotations

import json
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from eiosdk.component import Component
from eiosdk.errors import ManifestError

from mws_component import COMPONENT_ROOT
from mws_component.commands.sailor import warm_up

FIXTURES = Path(__file__).parent / "sdk" / "fixtures"

#: Loaded by none of the sailor's start-up for listOrderItems (each is a prefix of module names).
NOT_AT_START = ("pydantic", "pydantic_core", "lxml", "jsonschema", "xmltodict", "attrs", "referencing",
                "requests", "urllib3", "charset_normalizer", "mws_component.lib.mws.wire",
                "eiosdk.message", "mws_component.lib.feeds.builder", "mws_component.lib.feeds.categories",
                "mws_component.lib.submission", "mws_component.lib.spapi.listings_send",
                "mws_component.lib.spapi.listings_feed", "mws_component.lib.mws.credentials",
                "mws_component.lib.actions.submit_product", "mws_component.lib.triggers.list_orders",
                "mws_component.lib.feeds.simple", "mws_component.lib.orders.sync", "mws_component.lib.spapi.orders")

#: What the sailor imports, then the step as the sailor loads it (``Sailor._start``).
START = """
import json, sys
import mws_component.cli, mws_component.commands.sailor, eiosdk.cli, eiosdk.sailor.runtime, eiosdk.sailor.settings
from eiosdk.component import Component
from mws_component import COMPONENT_ROOT
step = Component.load(COMPONENT_ROOT, steps=["listOrderItems"]).load_step("listOrderItems")
print(json.dumps({"modules": sorted(sys.modules), "step": step.module.__name__,
                  "process": callable(step.function("process"))}))
"""


@pytest.fixture(scope="module")
def started() -> dict:
    done = subprocess.run([sys.executable, "-c", START], capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_the_step_module_is_loaded_and_ready(started):
    assert started["step"] == "mws_component.lib.actions.list_order_items"
    assert started["process"] is True
    assert started["step"] in started["modules"]
    assert "mws_component.lib.connection" in started["modules"]  # really imported, not put off


@pytest.mark.parametrize("name", NOT_AT_START)
def test_start_up_does_not_import(started, name):
    loaded = [m for m in started["modules"] if m == name or m.startswith(name + ".")]
    assert loaded == [], f"the listOrderItems sailor imports {name} at start-up"


def test_loading_one_step_still_checks_the_whole_manifest():
    with pytest.raises(ManifestError) as caught:
        Component.load(FIXTURES / "broken", steps=["noTitle"])
    paths = {p.path for p in caught.value.problems}
    assert {"$.actions.noTitle.title", "$.actions.missingMain.main", "$.triggers.1poll",
            "$.actions.badFields.fields.shape.viewClass", "$.actions.escapes.main"} <= paths
    # what needs the other steps' modules is checked when they are loaded, not here
    assert not paths & {"$.actions.importFails.main", "$.actions.noProcess.main",
                        "$.actions.dynamicWithout.dynamicMetadata", "$.actions.badFields.fields.color.model"}


def test_other_steps_load_on_demand():
    component = Component.load(COMPONENT_ROOT, steps=["listOrderItems"])
    assert component.load_step("getOrder").function("process") is not None
    assert component.step_ids() == Component.load(COMPONENT_ROOT).step_ids()


def test_lazy_names_resolve_as_before():
    from mws_component.lib import feeds, fields
    from mws_component.lib.spapi import request

    assert callable(feeds.categories) and callable(feeds.build_feed)
    assert set(fields.SENT_FEED_TYPES) <= fields.FEED_TYPES
    assert request.default_user_agent() == request.USER_AGENT
    with pytest.raises(AttributeError):
        feeds.no_such_name  # noqa: B018


def test_warm_up_waits_for_ready_and_survives_bad_names():
    ready = threading.Event()
    thread = warm_up(ready, ["json", "module_that_does_not_exist",
                             "mws_component.lib.spapi.request:default_user_agent"])
    thread.join(0.05)
    assert thread.is_alive()  # nothing before the consumer is on the queue
    ready.set()
    thread.join(30)
    assert not thread.is_alive()
