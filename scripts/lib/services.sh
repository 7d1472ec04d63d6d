# Shared by scripts/ensure_*.sh: what installing and waiting for a Debian service takes, in one place.
# Source it after defining `say` (the caller's message prefix); every function exits 1 with a message
# on failure, as the callers promise.

# Run a command as root: directly, or through sudo.
as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else
    say "need root to install packages (run as root or install sudo)"; exit 1; fi
}

# apt-get install PACKAGE without letting its post-install start the service: without systemd that
# start fails the install, so service starts are forbidden meanwhile (policy-rc.d exit 101) and the
# caller starts the service itself. The policy is removed again, even on failure.
apt_install_unstarted() {
  local package="$1" created=0
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    as_root sh -c 'printf "#!/bin/sh\nexit 101\n" > /usr/sbin/policy-rc.d && chmod +x /usr/sbin/policy-rc.d'
    created=1
  fi
  as_root apt-get update -qq \
    && as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$package" >/dev/null
  local status=$?
  [ "$created" -eq 1 ] && as_root rm -f /usr/sbin/policy-rc.d
  return "$status"
}

# wait_until SECONDS CHECK...: run CHECK every quarter second until it succeeds (return 0) or SECONDS pass (1).
wait_until() {
  local seconds="$1" i
  shift
  for ((i = 0; i < seconds * 4; i++)); do
    if "$@"; then return 0; fi
    sleep 0.25
  done
  return 1
}
