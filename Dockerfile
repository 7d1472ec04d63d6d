# Component image for an elastic.io-style platform: the Python sailor, no Node.
#
#   sail  (run a flow step):  mws-component sailor            (also ./sail.sh, the default command)
#   serve (service calls):    mws-component serve <method>    (also ./serve.sh <method>)
#
# The platform passes everything else as ELASTICIO_* environment variables; see README,
# "Deploying to the platform". tini is PID 1 so SIGTERM reaches the sailor (which drains in-flight
# messages and exits 0); "-e 143" makes a SIGTERM exit count as clean, as in the platform's images.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

RUN apt-get update \
 && apt-get install -y --no-install-recommends tini \
 && rm -rf /var/lib/apt/lists/*

WORKDIR /app

# The SDK and the component, installed as wheels (their runtime dependencies with them). The component
# package carries its manifest, schemas and credential check, so nothing of the source tree stays in
# the image; the sandbox (a development distribution) and the benchmarks are not installed at all.
COPY sdk /src/sdk
COPY pyproject.toml README.md component.json verifyCredentials.py /src/
COPY lib /src/lib
COPY schemas /src/schemas
COPY mws_component /src/mws_component
RUN pip install /src/sdk /src \
 && rm -rf /src \
 && printf '#!/bin/sh\nexec mws-component sailor "$@"\n' > /app/sail.sh \
 && printf '#!/bin/sh\nexec mws-component serve "$@"\n' > /app/serve.sh \
 && chmod 0755 /app/sail.sh /app/serve.sh \
 && python -c "from eiosdk.component import Component; from mws_component import COMPONENT_ROOT; Component.load(COMPONENT_ROOT)" \
 && ! python -c "import mws_sandbox" 2>/dev/null

# With ELASTICIO_COMPONENT_PATH unset, the commands use the installed component (its "main" paths
# resolve against the package directory, as they would against the repository root).
RUN useradd --system --uid 10001 --home-dir /app --shell /usr/sbin/nologin sailor
USER sailor

ENTRYPOINT ["/usr/bin/tini", "-e", "143", "--"]
CMD ["mws-component", "sailor"]
