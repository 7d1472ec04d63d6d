"""The sailor's life cycle, in the Node sailor's order (``run.js`` ``putOutToSea``):

connect AMQP -> fetch step data -> load the step -> ``startup`` hook (when ``STARTUP_REQUIRED``) ->
``init`` hook -> consume until told to stop -> drain in-flight messages -> disconnect.

Threads: one ``LoopThread`` runs the asyncio loop that holds both AMQP connections and every
message's task (sync steps go out to its thread pool); the caller's thread only waits in ``run``.
``request_stop`` (SIGTERM/SIGINT in the CLI) stops consuming; messages already received finish and
are settled before ``run`` returns 0.
A start-up failure is published as an error with the container headers (when AMQP is up), logged as
fatal, and ``run`` returns 1 so the platform restarts the container.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import threading
from pathlib import Path
from typing import Any

from ..component import Component, LoadedStep
from ..executor import call_hook
from ..logging import Logger, get_logger, register_secret, register_secrets_in
from .amqp import Consumer, Publisher
from .bus import AmqpBus
from .crypto import MessageCipher
from .delivery import Delivery
from .execution import MessageHandler, StepState
from .headers import container_headers
from .loop import LoopThread
from .outgoing import error_messages
from .platform_api import PlatformApi
from .settings import Settings

YOUNG_GC_THRESHOLD = 10_000  # allocations between young-generation collections in a sailor's process (default 700)
SHUTDOWN_HOOK_SECONDS = 60.0
STARTUP_ERROR_SECONDS = 30.0
CLOSE_SECONDS = 60.0


def tune_gc() -> None:
    """Garbage collection for a process that runs one sailor (process-wide, so only then).

    What is alive once the sailor listens (modules, the step, the connections) stays alive: it is
    frozen out of the collector, so a full collection no longer walks it (one cost ~10-25 µs per
    message of a 3000-message run). The young generation is collected every ``YOUNG_GC_THRESHOLD``
    allocations instead of 700: a message allocates hundreds of objects, nearly all freed by
    reference counting, and collecting every few messages found nothing to free. A threshold
    someone already changed is left as it is.
    """
    gc.freeze()
    young, middle, old = gc.get_threshold()
    if young == 700:
        gc.set_threshold(YOUNG_GC_THRESHOLD, middle, old)


def component_root(settings: Settings, base: Path | str | None = None) -> Path:
    """``ELASTICIO_COMPONENT_PATH`` is relative to the working directory, as in the Node sailor."""
    return (Path(base or Path.cwd()) / settings.component_path).resolve()


def log_context(settings: Settings) -> dict[str, Any]:
    """The ``ELASTICIO_*`` identifiers every sailor log line carries (never a secret)."""
    return {"flowId": settings.flow_id, "execId": settings.exec_id, "stepId": settings.step_id,
            "compId": settings.comp_id, "function": settings.function, "containerId": settings.container_id,
            "workspaceId": settings.workspace_id, "userId": settings.user_id, **settings.log_context}


def register_secrets(settings: Settings, cfg: Any = None, component: Component | None = None) -> None:
    """Secrets the logger must cut out: API key, crypto password, secret-named and password cfg fields."""
    for value in settings.secrets:
        register_secret(value)
    if cfg:
        register_secrets_in(cfg)
    if component is not None and isinstance(cfg, dict):
        for name, spec in component.credential_fields.items():
            if isinstance(spec, dict) and spec.get("viewClass") == "PasswordFieldView":
                register_secret(cfg.get(name))


class Sailor:
    """Runs one flow step on the platform's message bus; ``run()`` blocks and returns the exit code."""

    def __init__(self, settings: Settings, root: Path | str | None = None, *, api: PlatformApi | None = None,
                 log: Logger | None = None, owns_process: bool | None = None) -> None:
        self.settings = settings
        # Whether the process is this sailor's (as under ``mws-component sailor``): then its garbage
        # collector is tuned for it (``tune_gc``). None: when ``run`` is called on the main thread.
        self.owns_process = owns_process
        self.root = Path(root) if root is not None else component_root(settings)
        self.api = api or PlatformApi.from_settings(settings)
        self.log = log or get_logger("sailor", **log_context(settings))
        self.cipher: MessageCipher | None = None
        self.publisher: Publisher | None = None
        self.consumer: Consumer | None = None
        self.loop: LoopThread | None = None
        self.handler: MessageHandler | None = None
        self.ready = threading.Event()
        self._stop = threading.Event()
        self._stopping = asyncio.Event()  # the loop's side of ``_stop``
        self._tasks: set[asyncio.Task] = set()  # one per message in flight (also keeps them referenced)
        self._fatal: BaseException | None = None
        register_secrets(settings)

    # -- life cycle -----------------------------------------------------------------------------
    def run(self) -> int:
        if self.settings.hook_shutdown:
            return self.run_shutdown_hook()
        try:
            self._start()
        except Exception as exc:  # any start-up failure: report, log fatal, let the platform restart us
            self._report_startup_error(exc)
            self._teardown()
            return 1
        try:
            self.loop.run(self._serve())
        except Exception as exc:
            self.log.fatal("the AMQP consumer failed", err=exc)
            self._teardown()
            return 1
        self.log.info("Finished shutdown. Disconnecting...")
        self._teardown()
        self.log.info("Successfully disconnected")
        return 0

    def request_stop(self) -> None:
        """Stop taking messages; in-flight ones finish (SIGTERM does this)."""
        if not self._stop.is_set():
            self.log.info("Scheduling shutdown...")
        self._stop.set()
        if self.loop is not None:
            with contextlib.suppress(RuntimeError):  # the loop is already closed: nothing left to stop
                self.loop.loop.call_soon_threadsafe(self._stopping.set)

    def _start(self) -> None:
        s = self.settings
        self.cipher = MessageCipher(s.message_crypto_password, s.message_crypto_iv)
        self.loop = LoopThread(workers=s.rabbitmq_prefetch_sailor + 4).start()
        self.publisher = Publisher(s.amqp_uri, s.publish_messages_to, retry_delay_ms=s.amqp_publish_retry_delay,
                                   max_retry_delay_ms=s.amqp_publish_max_retry_delay,
                                   retry_attempts=s.amqp_publish_retry_attempts,
                                   reconnect_attempts=s.amqp_reconnect_attempts,
                                   reconnect_delay_ms=s.amqp_reconnect_timeout, log=self.log)
        self.loop.run(self.publisher.start())
        self.consumer = Consumer(s.amqp_uri, s.listen_messages_on, s.rabbitmq_prefetch_sailor, self._on_delivery,
                                 reconnect_attempts=s.amqp_reconnect_attempts,
                                 reconnect_delay_ms=s.amqp_reconnect_timeout, log=self.log,
                                 on_fatal=self._on_consumer_fatal)
        self.loop.run(self.consumer.connect())
        step_data = self.api.step_data(s.flow_id, s.step_id)
        self.log.debug("Received step data")
        component = Component.load(self.root, steps=(s.function,))  # only this step's module
        step = component.load_step(s.function)
        register_secrets(s, step_data.get("config"), component)
        self._run_hooks(step, step_data)
        state = StepState(s, self.cipher, step, step_data, api=self.api, log=self.log)
        self.handler = MessageHandler(state, AmqpBus(self.consumer, self.publisher))
        self.loop.run(self._start_consuming())
        owns = self.owns_process
        if owns or (owns is None and threading.current_thread() is threading.main_thread()):
            tune_gc()
        self.ready.set()
        self.log.info("Sailor is listening", queue=s.listen_messages_on, prefetch=s.rabbitmq_prefetch_sailor)

    def _run_hooks(self, step: LoadedStep, step_data: dict[str, Any]) -> None:
        cfg = step_data.get("config") or {}
        if self.settings.startup_required:
            self.log.debug("Starting up component")
            result = self.loop.run(call_hook(step, "startup", cfg, logger=self.log))
            self.api.create_startup_data(self.settings.flow_id, result or {})
            self.log.debug("Component started up")
        self.loop.run(call_hook(step, "init", cfg, logger=self.log))
        self.log.debug("Component execution initialized successfully")

    async def _start_consuming(self) -> None:
        self.consumer.start()

    async def _serve(self) -> None:
        """Until told to stop: then stop consuming and wait for every message in flight to be settled."""
        if not self._stop.is_set():
            await self._stopping.wait()
        await self.consumer.cancel()
        while self._tasks:
            await asyncio.wait(set(self._tasks))
        if self._fatal is not None:
            raise self._fatal

    def _on_consumer_fatal(self, error: BaseException) -> None:
        """The read connection is gone for good: drain what can be drained, then ``run`` returns 1."""
        self._fatal = error
        self._stop.set()
        self._stopping.set()

    # -- messages -------------------------------------------------------------------------------
    def _on_delivery(self, delivery: Delivery) -> None:
        """Called on the loop for each delivery: one task per message, so prefetch > 1 runs them concurrently."""
        task = asyncio.get_running_loop().create_task(self.handler.handle(delivery))
        self._tasks.add(task)
        task.add_done_callback(self._on_done)

    def _on_done(self, task: asyncio.Task) -> None:
        self._tasks.discard(task)
        if not task.cancelled() and task.exception() is not None:
            self.log.error("message handling failed", err=task.exception())

    @property
    def in_flight(self) -> int:
        return len(self._tasks)

    # -- failures and teardown ------------------------------------------------------------------
    def _report_startup_error(self, exc: BaseException) -> None:
        """Publish the failure as an error message when the write connection is up (else only log it)."""
        if self.publisher is not None and self.publisher.connected and self.cipher is not None:
            try:
                for out in error_messages(exc, container_headers(self.settings), self.settings, self.cipher):
                    self.loop.run(asyncio.wait_for(self.publisher.publish(out), STARTUP_ERROR_SECONDS))
            except Exception as report_exc:
                self.log.error("could not publish the start-up error", err=report_exc)
        self.log.fatal("Sailor failed to start: %s", exc, err=exc)

    def _teardown(self) -> None:
        if self.loop is None:
            return
        try:
            self.loop.run(self._disconnect(), timeout=CLOSE_SECONDS)
        except Exception as exc:  # leaving anyway: the broker requeues whatever was not settled
            self.log.warn("could not close the AMQP connections cleanly", error=type(exc).__name__)
        self.loop.stop()

    async def _disconnect(self) -> None:
        if self.publisher is not None:
            await self.publisher.close()
        if self.consumer is not None:
            await self.consumer.close()

    # -- shutdown hook container ----------------------------------------------------------------
    def run_shutdown_hook(self) -> int:
        """``ELASTICIO_HOOK_SHUTDOWN``: step data, startup data, ``shutdown(cfg, data)``, delete; no AMQP."""
        s = self.settings
        loop = LoopThread(workers=2).start()
        try:
            step_data = self.api.step_data(s.flow_id, s.step_id)
            step = Component.load(self.root, steps=(s.function,)).load_step(s.function)
            register_secrets(s, step_data.get("config"))
            data = self.api.startup_data(s.flow_id)
            loop.run(call_hook(step, "shutdown", step_data.get("config") or {}, data, logger=self.log),
                     timeout=SHUTDOWN_HOOK_SECONDS)
            self.api.delete_startup_data(s.flow_id)
            self.log.debug("Shut down successfully")
            return 0
        except Exception as exc:
            self.log.fatal("shutdown hook failed: %s", exc, err=exc)
            return 1
        finally:
            loop.stop()
