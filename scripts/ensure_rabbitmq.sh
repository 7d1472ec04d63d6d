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

answers() {
  # bash's /dev/tcp needs no extra tool; the subshell keeps a failed connect from leaking an fd.
  (exec 3<>"/dev/tcp/${HOST}/${PORT}") 2>/dev/null
}

say() { echo "ensure_rabbitmq: $*" >&2; }

if answers; then
  say "a broker already answers on ${HOST}:${PORT}"
  exit 0
fi

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else
    say "need root to install rabbitmq-server (run as root or install sudo)"; exit 1; fi
}

if ! command -v rabbitmq-server >/dev/null 2>&1 && [ ! -x /usr/sbin/rabbitmq-server ]; then
  say "no broker on ${HOST}:${PORT} and rabbitmq-server is not installed; installing Debian's package"
  # Without systemd the package's post-install start would fail; forbid service starts during the
  # install (policy-rc.d exit 101) and start the broker ourselves below. Remove the policy afterwards.
  created_policy=0
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    as_root sh -c 'printf "#!/bin/sh\nexit 101\n" > /usr/sbin/policy-rc.d && chmod +x /usr/sbin/policy-rc.d'
    created_policy=1
  fi
  trap '[ "$created_policy" -eq 1 ] && as_root rm -f /usr/sbin/policy-rc.d' EXIT
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends rabbitmq-server >/dev/null
fi

export PATH="$PATH:/usr/sbin:/usr/lib/rabbitmq/bin"
say "starting rabbitmq-server -detached"
as_root rabbitmq-server -detached >/dev/null 2>&1 || say "rabbitmq-server -detached returned non-zero; waiting anyway"

for ((i = 0; i < WAIT_SECONDS; i++)); do
  if answers; then
    say "broker answers on ${HOST}:${PORT} after ${i}s"
    exit 0
  fi
  sleep 1
done

say "no broker answered on ${HOST}:${PORT} within ${WAIT_SECONDS}s; look at /var/log/rabbitmq/ for the reason"
exit 1
