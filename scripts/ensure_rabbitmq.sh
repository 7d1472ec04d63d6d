#!/usr/bin/env bash
# Make sure a RabbitMQ broker answers on 127.0.0.1:5672 (guest/guest), for the sailor's tests.
#
# Idempotent: when one already answers (CI machines start one), nothing is done. Otherwise Debian's
# rabbitmq-server is installed when missing (after apt-get update), started with `rabbitmq-server
# -detached` (no systemd needed) and waited for, up to RABBITMQ_WAIT_SECONDS (default 120).
# Exit 0 when a broker answers; exit 1 with a message saying what failed otherwise.
set -euo pipefail

HOST=127.0.0.1
PORT=5672
WAIT_SECONDS="${RABBITMQ_WAIT_SECONDS:-120}"

say() { echo "ensure_rabbitmq: $*" >&2; }
# shellcheck source=scripts/lib/services.sh
. "$(dirname "$0")/lib/services.sh"

answers() {
  # bash's /dev/tcp needs no extra tool; the subshell keeps a failed connect from leaking an fd.
  (exec 3<>"/dev/tcp/${HOST}/${PORT}") 2>/dev/null
}

if answers; then
  say "a broker already answers on ${HOST}:${PORT}"
  exit 0
fi

if ! command -v rabbitmq-server >/dev/null 2>&1 && [ ! -x /usr/sbin/rabbitmq-server ]; then
  say "no broker on ${HOST}:${PORT} and rabbitmq-server is not installed; installing Debian's package"
  apt_install_unstarted rabbitmq-server || { say "installing rabbitmq-server failed"; exit 1; }
fi

export PATH="$PATH:/usr/sbin:/usr/lib/rabbitmq/bin"
say "starting rabbitmq-server -detached"
as_root rabbitmq-server -detached >/dev/null 2>&1 || say "rabbitmq-server -detached returned non-zero; waiting anyway"

if wait_until "$WAIT_SECONDS" answers; then
  say "broker answers on ${HOST}:${PORT}"
  exit 0
fi
say "no broker answered on ${HOST}:${PORT} within ${WAIT_SECONDS}s; look at /var/log/rabbitmq/ for the reason"
exit 1
