"""A seller world for order tests: one simulated clock shared by the sandbox (over real loopback HTTP)
and the client, so quotas restore and pacing waits cost no real time.

Also where tests find the shared folder next to the repository (Amazon's XSDs, recorded responses):
``require_shared`` skips a test whose folder is missing, except under CI (``CI`` set), where it fails,
so a CI run never passes by skipping. ``MWS_XSD_DIR`` overrides where the XSDs are looked for.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import pytest
from eiosdk.component import Component
from eiosdk.testing import Collected, collect
from mws_sandbox import Sandbox, serve

from mws_component import COMPONENT_ROOT
from mws_component.lib.connection import override
from mws_component.lib.mws.clock import ManualClock

COMPONENT = Component.load(COMPONENT_ROOT)
RETAIL = "ATVPDKIKX0DER,A2EUQ1WTGCTBG2,A1AM78C64UM0Y8,A2Q3Y263D00KWC"
SHARED = (Path(__file__).resolve().parents[1] / ".." / "shared").resolve()
XSD_DIR = Path(os.environ.get("MWS_XSD_DIR") or SHARED / "mws-xsd").resolve()


def require_shared(path: Path, what: str) -> Path:
    """``path`` if it is a folder; else skip the test, or fail it when ``CI`` is set (never pass by skipping)."""
    if path.is_dir():
        return path
    message = f"{what} not found at {path} (the shared folder next to the repository)"
    if os.environ.get("CI"):
        pytest.fail(f"{message}; CI is set, so this is a failure, not a skip", pytrace=False)
    pytest.skip(message)


class Crash(Exception):
    """Stands for the process dying: raised from the emitter, it aborts ``process`` there, so nothing
    after it is emitted (the executor reports it as the step's error, which ``World.run`` drops)."""


@dataclass
class World:
    clock: ManualClock
    sandbox: Sandbox
    url: str
    api: str = "mws"  # whose credentials ``cfg`` holds: the same seller through MWS or SP-API

    @property
    def credentials(self) -> dict:
        if self.api == "sp-api":
            return self.sandbox.sp_api_credentials(self.url)
        return self.sandbox.credentials(self.url)

    @property
    def cfg(self) -> dict:
        personal = {"includePersonalData": True} if self.api == "sp-api" else {}  # MWS answers with it anyway
        return {**self.credentials, "marketplaceIds": RETAIL, **personal}

    def run(self, step_id: str, cfg: dict, snapshot: dict | None = None, body: dict | None = None,
            crash_after_snapshots: int | None = None, crash_when=None) -> Collected:
        """Run a step like the platform would; optionally die right after the n-th snapshot, or right
        after the first snapshot for which ``crash_when(snapshot)`` is true."""

        def maybe_crash(event, payload, out):
            if event != "snapshot":
                return
            if crash_after_snapshots is not None and len(out.snapshots) >= crash_after_snapshots:
                raise Crash()
            if crash_when is not None and crash_when(payload):
                raise Crash()

        with override(clock=self.clock):
            out = collect(COMPONENT.load_step(step_id), body, cfg, snapshot, maybe_crash)
        out.errors = [e for e in out.errors if not isinstance(e, Crash)]
        return out


@pytest.fixture
def world(request):
    """One seller's world in the sandbox; ``@pytest.mark.parametrize("world", ["mws", "sp-api"],
    indirect=True)`` runs a test through either API's credentials."""
    clock = ManualClock(1_767_225_600.0)  # 2026-01-01T00:00:00Z
    sandbox = Sandbox(clock=clock, seed=7, orders=300,  # the oracle checks feeds against Amazon's own XSDs
                      xsd_dir=str(XSD_DIR) if XSD_DIR.is_dir() else None)
    with serve(sandbox) as server:
        yield World(clock, sandbox, server.url, getattr(request, "param", "mws"))
