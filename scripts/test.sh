#!/usr/bin/env bash
# The whole test suite on a fresh machine: install the component with its test extras, make sure a
# RabbitMQ broker answers on 127.0.0.1:5672 (installing Debian's rabbitmq-server if none does) and a
# Redis on 127.0.0.1:6379 (the shared-quota tests; Debian's redis-server likewise), run pytest.
# Extra arguments go to pytest. Exit code: pytest's, except "no tests ran" (5) is a failure.
set -euo pipefail
cd "$(dirname "$0")/.."

python3 -m pip install --quiet --disable-pip-version-check -e ./sdk -e ./sandbox -e '.[test]'
bash scripts/ensure_rabbitmq.sh
bash scripts/ensure_redis.sh
bash scripts/ensure_chromium.sh

set +e
python3 -m pytest "$@"
status=$?
set -e
if [ "$status" -eq 5 ]; then
  echo "test.sh: pytest collected no tests; that is a failure, not a pass" >&2
  exit 1
fi
exit "$status"
