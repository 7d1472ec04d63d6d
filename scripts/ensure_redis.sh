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
LOG="${TMPDIR:-/tmp}/ensure_redis.log"

say() { echo "ensure_redis: $*" >&2; }
# shellcheck source=scripts/lib/services.sh
. "$(dirname "$0")/lib/services.sh"

answers() {
  # A PING over bash's /dev/tcp: needs no redis-cli; the subshell keeps a failed connect from leaking an fd.
  (exec 3<>"/dev/tcp/${HOST}/${PORT}" && printf 'PING\r\n' >&3 && timeout 2 head -c 5 <&3 | grep -q '+PONG') 2>/dev/null
}

if answers; then
  say "Redis already answers on ${HOST}:${PORT}"
  exit 0
fi

if ! command -v redis-server >/dev/null 2>&1 && [ ! -x /usr/bin/redis-server ]; then
  say "no Redis on ${HOST}:${PORT} and redis-server is not installed; installing Debian's package"
  apt_install_unstarted redis-server || { say "installing redis-server failed"; exit 1; }
fi

say "starting redis-server on ${HOST}:${PORT}"
redis-server --bind "$HOST" --port "$PORT" --daemonize yes --save '' --appendonly no \
  --logfile "$LOG" >/dev/null || say "redis-server returned non-zero; waiting anyway"

if wait_until "$WAIT_SECONDS" answers; then
  say "Redis answers on ${HOST}:${PORT}"
  exit 0
fi
say "no Redis answered on ${HOST}:${PORT} within ${WAIT_SECONDS}s; see ${LOG}"
exit 1
