"""``mws-component sailor``: run the step named by ``ELASTICIO_FUNCTION`` on the platform's RabbitMQ.

This is the component image's ``sail`` entry point. All configuration comes from the ``ELASTICIO_*``
environment the platform sets; SIGTERM/SIGINT stop consuming, let in-flight messages finish and exit 0.

Start-up loads only the step's own module and what it imports; pydantic (the message model and the
credentials), xmltodict and requests (the MWS/SP-API transport) are imported where they are used,
and the platform API is called through ``eiosdk.light_http`` (the standard library's HTTP client).
Once the consumer is on the queue, ``warm_up`` imports those in a background thread, so the first
message rarely waits for them.
"""

from __future__ import annotations

import argparse
import contextlib
import logging
import os
import signal
import sys
import threading
from collections.abc import Iterable
from importlib import import_module
from pathlib import Path

#: What the first message needs that start-up leaves out: the message model and the credentials
#: (pydantic), the XML reader (xmltodict), requests (lib.mws.wire), the SP-API user agent.
WARM_UP = ("eiosdk.message", "mws_component.lib.mws.credentials", "mws_component.lib.spapi.credentials",
           "xmltodict", "mws_component.lib.mws.wire", "mws_component.lib.spapi.request:default_user_agent")

HELP = "run a step on the platform's message bus (RabbitMQ), configured by ELASTICIO_* variables"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    from eiosdk.cli import add_component_path_argument

    add_component_path_argument(parser, "directory holding component.json (default: ELASTICIO_COMPONENT_PATH "
                                        "relative to the working directory, else this installation's component)",
                                type=Path)


def bridge_stdlib_logs() -> None:
    """``lib.mws`` (retries, pacing) and pika (connection trouble) log through stdlib ``logging``; make
    those the same redacted bunyan lines on stdout, with pika's chatter below warnings left out."""
    from eiosdk.logging import install_stdlib_bridge

    install_stdlib_bridge()
    logging.getLogger("pika").setLevel(logging.WARNING)


def warm_up(ready: threading.Event, modules: Iterable[str] = WARM_UP) -> threading.Thread:
    """A daemon thread that, once ``ready`` is set (the consumer is on the queue), imports ``modules``
    (``module`` or ``module:function`` to also call a cached function); failures are left to the
    first message that needs the module, which reports them as it always did."""

    def work() -> None:
        ready.wait()
        for name in modules:
            module, _, function = name.partition(":")
            with contextlib.suppress(Exception):  # only a head start: the step imports it again when needed
                loaded = import_module(module)
                if function:
                    getattr(loaded, function)()

    thread = threading.Thread(target=work, name="sailor-warm-up", daemon=True)
    thread.start()
    return thread


def run(args: argparse.Namespace) -> int:
    from eiosdk.cli import component_root
    from eiosdk.light_http import Session
    from eiosdk.logging import get_logger
    from eiosdk.runner import UsageError
    from eiosdk.sailor.platform_api import PlatformApi
    from eiosdk.sailor.runtime import Sailor
    from eiosdk.sailor.settings import SettingsError, load_settings

    try:
        settings = load_settings(os.environ)
        root = component_root(args)
    except (SettingsError, UsageError) as exc:
        get_logger("sailor").fatal(str(exc))
        print(f"mws-component sailor: {exc}", file=sys.stderr)
        return 1
    bridge_stdlib_logs()
    # The platform API through the standard library: requests is not loaded before the first message.
    sailor = Sailor(settings, root, api=PlatformApi.from_settings(settings, session=Session()))
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: sailor.request_stop())
    warm_up(sailor.ready)
    return sailor.run()
