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

# The component and its Python packages; installing them also installs the runtime dependencies.
COPY pyproject.toml README.md* ./
COPY lib ./lib
COPY eiosdk ./eiosdk
COPY mws_component ./mws_component
COPY mws_sandbox ./mws_sandbox
COPY schemas ./schemas
COPY component.json verifyCredentials.py ./
RUN pip install . \
 && printf '#!/bin/sh\nexec mws-component sailor "$@"\n' > /app/sail.sh \
 && printf '#!/bin/sh\nexec mws-component serve "$@"\n' > /app/serve.sh \
 && chmod 0755 /app/sail.sh /app/serve.sh \
 && python -c "from eiosdk.component import Component; Component.load('/app')"

# component.json's "main" paths resolve against the working directory (ELASTICIO_COMPONENT_PATH='').
RUN useradd --system --uid 10001 --home-dir /app --shell /usr/sbin/nologin sailor
USER sailor

ENTRYPOINT ["/usr/bin/tini", "-e", "143", "--"]
CMD ["mws-component", "sailor"]
