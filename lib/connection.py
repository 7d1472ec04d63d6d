"""How a step gets its Amazon client from ``cfg`` (credential fields merged with step fields).

The credentials choose the API: ``api`` ``mws`` (the default, today's fields) gives an ``MwsClient``,
``sp-api`` an ``SpApiClient``; both answer ``server_now``, ``sync_clock``, ``deadline`` and
``observed``, and every step runs on either.

One client per credentials (and options) per process: it keeps what it learnt about Amazon's clock
and its pooled HTTP connections from one message to the next, so a skewed machine does not meet
RequestExpired on every message, and each message does not open a new connection. The cache is
small and keyed by a digest of the credentials, so it holds no extra copy of a secret.

Amazon's quotas are per seller, shared by every replica of every flow: ``Connections`` chooses the
process's quota store once per clock (``quota_store``) and hands it to every client it makes, shared
through Redis when ``REDIS_URL`` (or ``Connections(redis_url=...)``) names one, else a local adaptive
``Pacer`` (``lib.mws.shared_quota``). An explicit ``pacer`` option (tests, benchmarks) wins.

``override`` lets the demo, tests and benchmarks run steps unchanged against the in-process sandbox
(transport) in simulated time (clock); steps on the platform never set it.
"""

from __future__ import annotations

import hashlib
import threading
import weakref
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterator, Mapping
from contextlib import ExitStack, contextmanager
from contextvars import ContextVar
from typing import Any

from mws_component.lib.mws.client import MwsClient
from mws_component.lib.mws.clock import Clock, SystemClock
from mws_component.lib.mws.errors import ConfigurationError
from mws_component.lib.mws.pacing import QuotaStore
from mws_component.lib.mws.shared_quota import store_from_env
from mws_component.lib.spapi.client import SpApiClient

Client = MwsClient | SpApiClient


def _mws_credentials(cfg: Mapping[str, Any]) -> Any:
    """``lib.mws.credentials.load_credentials``; its module (pydantic) is imported on the first connect."""
    from mws_component.lib.mws.credentials import load_credentials

    return load_credentials(cfg)


def _sp_api_credentials(cfg: Mapping[str, Any]) -> Any:
    """``lib.spapi.credentials.load_sp_api_credentials``, imported on the first connect like the MWS one."""
    from mws_component.lib.spapi.credentials import load_sp_api_credentials

    return load_sp_api_credentials(cfg)


APIS = {"mws": (_mws_credentials, MwsClient), "sp-api": (_sp_api_credentials, SpApiClient)}

_SYSTEM_CLOCK = SystemClock()
MAX_CLIENTS = 32  # distinct credentials one process serves at once (one per connected account, in practice)

_step: ContextVar[tuple[ExitStack, float] | None] = ContextVar("mws_step_deadline", default=None)


class Connections:
    """The clients of one process, one per credentials and options, and the options every client gets.

    An object rather than module state so a test, a benchmark or an embedding program can build its
    own; the steps use the process's one instance through ``connect`` and ``override`` below, because
    the platform calls ``process(msg, cfg, snapshot)`` with nothing else to hand a dependency over.
    """

    def __init__(self, max_clients: int = MAX_CLIENTS, *, redis_url: str | None = None,
                 quota_prefix: str | None = None) -> None:
        self.max_clients = max_clients
        self.redis_url, self.quota_prefix = redis_url, quota_prefix
        self._options: dict[str, Any] = {}
        self._clients: OrderedDict[Hashable, Client] = OrderedDict()
        self._stores: weakref.WeakKeyDictionary[Clock, QuotaStore] = weakref.WeakKeyDictionary()
        self._lock = threading.Lock()

    def quota_store(self, clock: Clock | None = None) -> QuotaStore:
        """The one quota store of this process for ``clock`` (the real clock when None), made on first use:
        ``RedisQuotaStore`` when a Redis URL is configured (option, else ``$REDIS_URL``), else a ``Pacer``."""
        clock = clock or _SYSTEM_CLOCK
        with self._lock:
            if clock not in self._stores:
                self._stores[clock] = store_from_env(clock, self.redis_url, self.quota_prefix)
            return self._stores[clock]

    def connect(self, cfg: Mapping[str, Any], **options: Any) -> Client:
        """The client for the seller in ``cfg``; bad credentials fail here, before any request.

        ``options`` (e.g. a retry ``policy``) go to the client, under any active ``override``. The same
        credentials and options give the same client for the life of the process.
        """
        load, kind = APIS[api_of(cfg)]
        credentials = load(cfg)
        merged = {**options, **self._options}
        if merged.get("pacer") is None:
            merged["pacer"] = self.quota_store(merged.get("clock"))
        key = _key(credentials, merged)
        if key is None:  # options that cannot be compared (none of ours): a client of its own
            client = kind(credentials, **merged)
        else:
            client = self._cached(key, lambda: kind(credentials, **merged))
        _bound_by_step(client)
        return client

    def _cached(self, key: Hashable, build: Callable[[], Client]) -> Client:
        with self._lock:
            client = self._clients.get(key)
            if client is None:
                client = self._clients[key] = build()
                while len(self._clients) > self.max_clients:
                    self._clients.popitem(last=False)
            self._clients.move_to_end(key)
            return client

    @contextmanager
    def override(self, **client_options: Any) -> Iterator[None]:
        """Within the block, ``connect`` passes ``client_options`` (transport, clock, pacer) to every
        client it makes: the demo, tests and benchmarks run steps unchanged against the sandbox."""
        saved = dict(self._options)
        self._options.update(client_options)
        try:
            yield
        finally:
            self._options = saved


def api_of(cfg: Mapping[str, Any]) -> str:
    """``mws`` or ``sp-api`` from the credentials' ``api`` field (empty: ``mws``)."""
    raw = cfg.get("api")
    api = raw.strip().lower() if isinstance(raw, str) else raw
    if api in (None, ""):
        return "mws"
    if api not in APIS:
        raise ConfigurationError(f"credentials field 'api' must be mws or sp-api; got {raw!r}", field="api")
    return api


PROCESS = Connections()
connect = PROCESS.connect
override = PROCESS.override


@contextmanager
def step_deadline(seconds: float) -> Iterator[None]:
    """Within the block, every client ``connect`` gives out ends its calls within ``seconds`` (on its clock)."""
    with ExitStack() as stack:
        token = _step.set((stack, seconds))
        try:
            yield
        finally:
            _step.reset(token)


def _bound_by_step(client: Client) -> None:
    frame = _step.get()
    if frame is not None:
        stack, seconds = frame
        stack.enter_context(client.deadline(seconds))


def _key(credentials: Any, options: Mapping[str, Any]) -> Hashable | None:
    secrets = {k: v.get_secret_value() for k, v in credentials if hasattr(v, "get_secret_value")}
    dump = type(credentials).__name__ + credentials.model_dump_json() + repr(sorted(secrets.items()))
    key = (hashlib.sha256(dump.encode()).hexdigest(), frozenset(options.items()))
    try:
        hash(key)
    except TypeError:
        return None
    return key
