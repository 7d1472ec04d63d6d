"""One seller's Amazon quota shared by every replica of every flow, through Redis.

Amazon counts a seller's requests per throttle group whichever process sent them, so the bucket
has to live where all replicas see it. ``RedisQuotaStore`` keeps, per seller x throttle group, the
same leaky bucket as the local ``Pacer`` (burst, one token per ``restore_seconds``, an hourly cap
over a sliding hour, a block until an announced reset) in four Redis keys under one hash tag::

    {prefix}:{<seller>:<group>}:bucket  hash: tokens, updated, blocked, seq
    {prefix}:{<seller>:<group>}:sent    sorted set: send times of the last hour (hourly groups only)
    {prefix}:{<seller>:<group>}:queue   sorted set: tickets of waiting replicas, scored by arrival
    {prefix}:{<seller>:<group>}:lease   hash: ticket -> time after which a silent waiter is dropped

Every decision is one Lua script (``EVALSHA``, loaded once), so refill, check and take are atomic
across replicas. Every write renews a ``PEXPIRE`` of the time a full refill (plus an hour for hourly
groups) takes: an expired key is exactly a full bucket, so nothing is kept for idle sellers.

Fairness. Without order, replicas that poll a busy bucket win by luck or by polling often (one
replica got 47 orders and another 7 in the issue's measure). A replica that finds no token, or finds
others waiting, takes a ticket (``seq``) and joins ``queue``. A waiter at position ``k`` may take a
token only while at least ``k + 1`` tokens are there: nobody ahead of it can then miss one, and a
slow head does not block those behind when tokens piled up. Each answer says how long to sleep,
``(k + 1 - tokens) * restore_seconds``, so waiters wake about when their turn comes rather than
hammering Redis. A waiter is served after at most the ``k`` grants ahead of it: no one starves. A
waiter that stops asking (its process died, or it gave up and rebounded the message) leaves the
queue with ``leave``, or its lease runs out (its announced wake-up plus ``lease_grace``) and it is
dropped from the head, so a dead replica cannot stall the others.

Time. All replicas must do the bucket's arithmetic on one clock, and machines' clocks disagree by
milliseconds to seconds. With the real clock (``SystemClock``) the script reads Redis's own
``TIME``: one clock for all, whatever the replicas' offsets; replicas only sleep the *durations* the
script returns, and durations do not depend on an offset. With an injected clock (tests'
``ManualClock``, the benchmark's scaled clock, which every process of a run shares by construction)
the replica passes its ``clock.now()``. Either way time in the script never runs backwards: an
earlier ``now`` than the last update counts as no time passed. A token taken from a full bucket
starts its restore ``pacing.transit`` later, as the local ``Pacer`` does (Amazon's bucket starts
restoring when the request arrives, not when we sent it).

Outage. A Redis that does not answer (refused, timed out, restarting) must not fail a message: the
store logs one warning and paces with its local, adaptive ``Pacer`` (``fallback``); every
``retry_seconds`` it tries Redis again and, when Redis answers, logs that and goes back to it.
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Callable
from typing import Any, TypeVar

from .clock import Clock, SystemClock
from .errors import QuotaWaitError
from .operations import Quota
from .pacing import HOUR, MAX_WAIT, Pacer, WaitObserver, wait_of

log = logging.getLogger("mws_component.mws.quota")

REDIS_URL_ENV = "REDIS_URL"
PREFIX_ENV = "MWS_QUOTA_PREFIX"
DEFAULT_PREFIX = "mws-quota"
SOCKET_SECONDS = 0.5  # a Redis that does not answer in this long counts as down for this call
T = TypeVar("T")

# ARGV: 1 action (take | leave | throttled | blocked), 2 now ('' = Redis TIME), 3 burst, 4 restore seconds,
# 5 hourly cap (0: none), 6 ticket ('' = none yet), 7 lease grace seconds, 8 key grace seconds,
# 9 blocked for (seconds from now, action blocked).
# Returns {wait, ticket, tokens, reason} as strings (Lua numbers would be truncated to integers).
SCRIPT = """
local action, burst, restore = ARGV[1], tonumber(ARGV[3]), tonumber(ARGV[4])
local hourly, ticket, lease_grace, key_grace = tonumber(ARGV[5]), ARGV[6], tonumber(ARGV[7]), tonumber(ARGV[8])
local now
if ARGV[2] == '' then
  local t = redis.call('TIME')
  now = tonumber(t[1]) + tonumber(t[2]) / 1000000
else
  now = tonumber(ARGV[2])
end
local state = redis.call('HMGET', KEYS[1], 'tokens', 'updated', 'blocked')
local tokens = tonumber(state[1]) or burst
local updated = tonumber(state[2]) or now
local blocked = tonumber(state[3]) or 0
if restore > 0 then tokens = math.min(burst, tokens + math.max(0, now - updated) / restore) else tokens = burst end
updated = math.max(updated, now)
local margin = math.max(restore * 0.005, 0.002)
local function fmt(x) return string.format('%.6f', x) end
local function keep(extra)
  redis.call('HSET', KEYS[1], 'tokens', fmt(tokens), 'updated', fmt(updated))
  local ttl = math.ceil((burst * restore + (hourly > 0 and 3600 or 0) + key_grace + extra) * 1000)
  for i = 1, 4 do redis.call('PEXPIRE', KEYS[i], ttl) end
end
local function leave()
  if ticket ~= '' then redis.call('ZREM', KEYS[3], ticket); redis.call('HDEL', KEYS[4], ticket) end
end
if action == 'leave' then leave(); return {'0', '', fmt(tokens), 'left'} end
if action == 'throttled' then tokens = math.min(tokens, 0); updated = now; keep(0); return {'0', '', fmt(tokens), 'throttled'} end
if action == 'blocked' then
  redis.call('HSET', KEYS[1], 'blocked', fmt(now + tonumber(ARGV[9]))); keep(tonumber(ARGV[9]))
  return {'0', '', fmt(tokens), 'blocked'}
end
while true do  -- waiters whose lease ran out leave the head of the queue
  local head = redis.call('ZRANGE', KEYS[3], 0, 0)
  if #head == 0 or head[1] == ticket then break end
  local lease = tonumber(redis.call('HGET', KEYS[4], head[1]))
  if lease and lease >= now then break end
  redis.call('ZREM', KEYS[3], head[1]); redis.call('HDEL', KEYS[4], head[1])
end
local pos
if ticket == '' then
  pos = redis.call('ZCARD', KEYS[3])
else
  pos = redis.call('ZRANK', KEYS[3], ticket)
  if not pos then redis.call('ZADD', KEYS[3], tonumber(ticket), ticket); pos = redis.call('ZRANK', KEYS[3], ticket) end
end
local wait, reason = 0, 'quota'
if tokens < pos + 1 then wait = (pos + 1 - tokens) * restore + margin + (updated - now) end
local hour_wait = blocked - now
if hourly > 0 then
  redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', now - 3600)
  local sent = redis.call('ZCARD', KEYS[2])
  if sent + pos >= hourly then
    local idx = math.min(sent - 1, sent + pos - hourly)
    local oldest = redis.call('ZRANGE', KEYS[2], idx, idx, 'WITHSCORES')
    hour_wait = math.max(hour_wait, tonumber(oldest[2]) + 3600 - now + margin)
  end
end
if hour_wait >= wait and hour_wait > 0 then wait, reason = hour_wait, 'hourly' end
if wait <= 0 then
  local seq = redis.call('HINCRBY', KEYS[1], 'seq', 1)
  if hourly > 0 then redis.call('ZADD', KEYS[2], now, fmt(now) .. ':' .. seq) end
  if tokens >= burst then updated = now + math.min(restore * 0.1, 0.5) end  -- pacing.transit: a full bucket
  tokens = tokens - 1
  leave(); keep(0)
  return {'0', '', fmt(tokens), 'ok'}
end
if ticket == '' then
  ticket = tostring(redis.call('HINCRBY', KEYS[1], 'seq', 1))
  redis.call('ZADD', KEYS[3], tonumber(ticket), ticket)
end
redis.call('HSET', KEYS[4], ticket, fmt(now + wait + lease_grace))
keep(wait + lease_grace)
return {fmt(wait), ticket, fmt(tokens), reason}
"""


class RedisQuotaStore:
    """The ``QuotaStore`` every replica of a seller shares: one bucket per seller x group in Redis."""

    def __init__(self, redis: Any, clock: Clock | None = None, *, prefix: str = DEFAULT_PREFIX,
                 fallback: Pacer | None = None, redis_time: bool | None = None, lease_grace: float = 5.0,
                 key_grace: float = 60.0, retry_seconds: float = 2.0) -> None:
        self.redis = redis
        self.clock = clock or SystemClock()
        self.prefix = prefix
        self.fallback = fallback or Pacer(self.clock, adaptive=True)
        self.redis_time = isinstance(self.clock, SystemClock) if redis_time is None else redis_time
        self.lease_grace, self.key_grace, self.retry_seconds = lease_grace, key_grace, retry_seconds
        self._script = redis.register_script(SCRIPT)
        self._down_since: float | None = None
        self._retry_at = 0.0
        self._lock = threading.Lock()

    def __repr__(self) -> str:
        return f"RedisQuotaStore(prefix={self.prefix!r}, up={self.up})"

    @property
    def up(self) -> bool:
        return self._down_since is None

    def keys(self, seller: str, group: str) -> list[str]:
        tag = f"{self.prefix}:{{{seller}:{group}}}"
        return [f"{tag}:bucket", f"{tag}:sent", f"{tag}:queue", f"{tag}:lease"]

    # ------------------------------------------------------------ QuotaStore

    def acquire(self, seller: str, quota: Quota, max_wait: float = MAX_WAIT,
                observer: WaitObserver | None = None) -> float:
        """Wait for a token of ``quota``'s group shared by all replicas; as ``Pacer.acquire``."""
        waited, ticket = 0.0, ""
        while True:
            answer = self._shared(lambda t=ticket: self._run("take", seller, quota, ticket=t))
            if answer is None:  # Redis is down: this process paces alone
                return waited + self.fallback.acquire(seller, quota, max(0.0, max_wait - waited), observer)
            wait, ticket, tokens, reason = answer
            if wait <= 0:
                return waited
            if waited + wait > max_wait:
                self._shared(lambda t=ticket: self._run("leave", seller, quota, ticket=t))
                raise _too_long(quota, wait, reason, max_wait - waited)
            if observer is not None:
                used = quota.burst - max(0, min(quota.burst, int(tokens)))
                observer.waiting(wait_of(quota, wait, reason == "hourly", used))
            self.clock.sleep(wait)
            waited += wait

    def throttled(self, seller: str, quota: Quota) -> None:
        """Amazon said 503/429: the shared bucket is empty, whatever it believed."""
        self.fallback.throttled(seller, quota)
        self._shared(lambda: self._run("throttled", seller, quota))

    def hourly_exhausted(self, seller: str, quota: Quota, until: float) -> None:
        """The hourly quota is used up until ``until`` (this process's clock), at most an hour from now."""
        self.fallback.hourly_exhausted(seller, quota, until)
        blocked_for = max(0.0, min(until - self.clock.now(), HOUR))
        self._shared(lambda: self._run("blocked", seller, quota, blocked_for=blocked_for))

    # ------------------------------------------------------------ Redis

    def _run(self, action: str, seller: str, quota: Quota, *, ticket: str = "",
             blocked_for: float = 0.0) -> tuple[float, str, float, str]:
        now = "" if self.redis_time else repr(self.clock.now())
        args = [action, now, quota.burst, repr(quota.restore_seconds), quota.hourly or 0, ticket,
                repr(self.lease_grace), repr(self.key_grace), repr(blocked_for)]
        wait, ticket, tokens, reason = (_text(v) for v in self._script(keys=self.keys(seller, quota.group),
                                                                           args=args))
        return float(wait), ticket, float(tokens), reason

    def _shared(self, call: Callable[[], T]) -> T | None:
        """``call()`` on Redis, or ``None`` while Redis is down (one warning when it goes, one when back)."""
        import redis.exceptions as rx

        if not self.up and self.clock.now() < self._retry_at:
            return None
        try:
            result = call()
        except (rx.ConnectionError, rx.TimeoutError, rx.BusyLoadingError, rx.ReadOnlyError) as err:
            with self._lock:
                if self.up:
                    self._down_since = self.clock.now()
                    log.warning("the shared quota store (Redis) does not answer (%s); pacing this process "
                                "alone until it does", type(err).__name__)
                self._retry_at = self.clock.now() + self.retry_seconds
            return None
        if not self.up:
            with self._lock:
                if not self.up:
                    log.warning("the shared quota store (Redis) answers again after %.0f s; pacing shared",
                                self.clock.now() - (self._down_since or 0.0))
                    self._down_since = None
        return result


def _text(value: Any) -> str:
    return value.decode() if isinstance(value, bytes) else str(value)


def _too_long(quota: Quota, wait: float, reason: str, allowed: float) -> QuotaWaitError:
    why = "the hourly quota is used up" if reason == "hourly" else "the request quota is used up"
    return QuotaWaitError(
        f"{why} for {quota.group} (shared by this seller's replicas): the next request may go in "
        f"{wait:.0f} s, longer than the {max(allowed, 0.0):.0f} s this call may still wait", retry_after=wait,
    )


def connect_redis(url: str) -> Any:
    """A Redis client for ``url`` that gives up fast: a down Redis must cost a message milliseconds."""
    import redis
    from redis.backoff import NoBackoff
    from redis.retry import Retry

    return redis.Redis.from_url(url, socket_timeout=SOCKET_SECONDS, socket_connect_timeout=SOCKET_SECONDS,
                                retry=Retry(NoBackoff(), 0), retry_on_timeout=False)


def store_from_env(clock: Clock, url: str | None = None, prefix: str | None = None,
                   environ: dict[str, str] | None = None) -> RedisQuotaStore | Pacer:
    """The process's quota store: shared through Redis when ``url`` or ``$REDIS_URL`` names one, else
    a local adaptive ``Pacer``. A Redis that is down at start is not an error: the store falls back."""
    env = os.environ if environ is None else environ
    url = url or env.get(REDIS_URL_ENV) or None
    if not url:
        return Pacer(clock, adaptive=True)
    prefix = prefix or env.get(PREFIX_ENV) or DEFAULT_PREFIX
    return RedisQuotaStore(connect_redis(url), clock, prefix=prefix)


__all__ = ["SCRIPT", "RedisQuotaStore", "connect_redis", "store_from_env"]
