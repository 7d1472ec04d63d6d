"""A Python sailor: runs one component step on an elastic.io-style platform's RabbitMQ, no Node needed.

Wire-compatible with sailor-nodejs 2.7.x (elasticio.md §2-3): the same ``ELASTICIO_*`` environment,
AES-256-CBC payloads (protocol 1 base64 / 2 raw), headers, routing keys, ack/reject, rebound TTLs,
snapshots and service mode.

Modules, by role:

* ``settings``      the environment, parsed and checked (``load_settings``)
* ``crypto``        payload encryption (``MessageCipher``)
* ``headers``       incoming/outgoing AMQP headers
* ``delivery``      a received message and its decoding
* ``outgoing``      what each event publishes (pure functions)
* ``execution``     one delivery through the step (``MessageHandler``)
* ``amqp`` / ``bus``  pika connections on the step loop (pipelined confirms); the publish/settle interface
* ``runtime``       the life cycle (``Sailor``): connect, step data, hooks, consume, drain
* ``service_mode``  verifyCredentials / getMetaModel / selectModel posting to the platform
* ``platform_api``  the platform's REST API; ``bench`` throughput measurement
* ``local_platform`` a stand-in platform for one step on a local broker (``local_api``: its loopback REST
  API; ``local_command``: the ``platform`` command built on it)

Entry points: ``mws-component sailor`` and ``mws-component serve <method>``; ``mws-component platform``
stands in for the platform when trying a step locally.
"""

from __future__ import annotations

from .crypto import MessageCipher, PayloadError
from .settings import Settings, SettingsError, load_settings

__all__ = ["MessageCipher", "PayloadError", "Settings", "SettingsError", "load_settings"]
