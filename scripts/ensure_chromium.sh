#!/usr/bin/env bash
# Make sure Debian's chromium is at /usr/bin/chromium, for the console's browser tests (tests/console/),
# which drive it with Playwright for Python through executable_path (Playwright cannot download its own
# browser here). Idempotent: nothing is done when it is there. Otherwise Debian's chromium package is
# installed (after apt-get update). Exit 0 when the browser runs; exit 1 with a message otherwise.
set -euo pipefail

BROWSER="${CHROMIUM_PATH:-/usr/bin/chromium}"

say() { echo "ensure_chromium: $*" >&2; }
# shellcheck source=scripts/lib/services.sh
. "$(dirname "$0")/lib/services.sh"

if [ ! -x "$BROWSER" ]; then
  say "no browser at ${BROWSER}; installing Debian's chromium package"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium >/dev/null
fi

if ! version="$("$BROWSER" --version 2>/dev/null)"; then
  say "${BROWSER} is there but does not run; see: ${BROWSER} --version"
  exit 1
fi
say "using ${version} at ${BROWSER}"
