"""The shared-quota tests run against a real Redis on 127.0.0.1:6379 (``scripts/ensure_redis.sh``
starts one where none answers) and the sandbox. Every test works under its own key prefix and
deletes its keys afterwards, so tests (and other users of that Redis) never see each other's buckets.
"""

from __future__ import annotations

import sys
import uuid
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:  # bench/ (the scale-out runner) lives at the root, outside the packages
    sys.path.insert(0, str(ROOT))

REDIS_URL = "redis://127.0.0.1:6379/0"


@pytest.fixture
def redis_client():
    import redis

    client = redis.Redis.from_url(REDIS_URL, socket_timeout=2)
    try:
        client.ping()
    except redis.exceptions.ConnectionError:
        pytest.fail("Redis does not answer on 127.0.0.1:6379; run `bash scripts/ensure_redis.sh` "
                    "(installs Debian's redis-server if needed and starts it), then re-run the tests",
                    pytrace=False)
    return client


@pytest.fixture
def prefix(redis_client):
    name = f"test-{uuid.uuid4().hex[:12]}"
    yield name
    keys = list(redis_client.scan_iter(f"{name}:*"))
    if keys:
        redis_client.delete(*keys)
