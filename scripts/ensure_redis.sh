#!/usr/bin/env bash
# Make sure a Redis server answers on 127.0.0.1:6379, for the shared-quota tests (tests/scaleout/).
#
# Idempotent: when one already answers (CI machines and the sailor's host run one), nothing is done.
# Otherwise Debian's redis-server is installed when missing (after apt-get update), started
# daemonized on loopback without persistence, and waited for, up to REDIS_WAIT_SECONDS (default 30).
# Exit 0 when Redis answers; exit 1 with a message saying what failed otherwise.
set -euo pipefail

HOST=127.0.0.1
PORT=6379
WAIT_SECONDS="${REDIS_WAIT_SECONDS:-30}"

answers() {
  # A PING over bash's /dev/tcp: needs no redis-cli; the subshell keeps a failed connect from leaking an fd.
  (exec 3<>"/dev/tcp/${HOST}/${PORT}" && printf 'PING\r\n' >&3 && timeout 2 head -c 5 <&3 | grep -q '+PONG') 2>/dev/null
}

say() { echo "ensure_redis: $*" >&2; }

if answers; then
  say "Redis already answers on ${HOST}:${PORT}"
  exit 0
fi

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else
    say "need root to install redis-server (run as root or install sudo)"; exit 1; fi
}

if ! command -v redis-server >/dev/null 2>&1 && [ ! -x /usr/bin/redis-server ]; then
  say "no Redis on ${HOST}:${PORT} and redis-server is not installed; installing Debian's package"
  # Without systemd the package's post-install start would fail; forbid service starts during the
  # install (policy-rc.d exit 101) and start the server ourselves below. Remove the policy afterwards.
  created_policy=0
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    as_root sh -c 'printf "#!/bin/sh\nexit 101\n" > /usr/sbin/policy-rc.d && chmod +x /usr/sbin/policy-rc.d'
    created_policy=1
  fi
  trap '[ "$created_policy" -eq 1 ] && as_root rm -f /usr/sbin/policy-rc.d' EXIT
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends redis-server >/dev/null
fi

say "starting redis-server on ${HOST}:${PORT}"
redis-server --bind "$HOST" --port "$PORT" --daemonize yes --save '' --appendonly no \
  --logfile "${TMPDIR:-/tmp}/ensure_redis.log" >/dev/null || say "redis-server returned non-zero; waiting anyway"

for ((i = 0; i < WAIT_SECONDS * 4; i++)); do
  if answers; then
    say "Redis answers on ${HOST}:${PORT}"
    exit 0
  fi
  sleep 0.25
done

say "no Redis answered on ${HOST}:${PORT} within ${WAIT_SECONDS}s; see ${TMPDIR:-/tmp}/ensure_redis.log"
exit 1
