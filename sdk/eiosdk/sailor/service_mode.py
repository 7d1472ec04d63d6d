"""Service mode (``serve.sh verifyCredentials|getMetaModel|selectModel``), as sailor-nodejs ``service.js``.

The platform starts a short-lived container with ``ELASTICIO_POST_RESULT_URL``, ``ELASTICIO_CFG`` (JSON)
and, for the model calls, ``ELASTICIO_ACTION_OR_TRIGGER`` / ``ELASTICIO_GET_MODEL_METHOD``. The answer
is POSTed as ``{"status": "success"|"error", "data": ...}``; credentials in the URL's userinfo are sent
as HTTP Basic instead. Validation failures are posted as errors too; only a missing result URL (nothing
to post to) or a refused POST ends with exit code 1.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit, urlunsplit

import requests

from .. import service
from ..component import Component
from ..logging import Logger, get_logger, redact_text, register_secret, register_secrets_in
from .platform_api import PlatformApi
from .settings import PREFIX, parse_int

METHODS = ("verifyCredentials", "getMetaModel", "selectModel")
POST_TIMEOUT = (10.0, 30.0)


class ServiceInputError(ValueError):
    """The service call's environment is incomplete; posted to the platform as an error."""


def split_userinfo(url: str) -> tuple[str, tuple[str, str] | None]:
    """The URL without ``user:pass@`` and the Basic-auth pair taken from it (``None`` when absent)."""
    parts = urlsplit(url)
    if parts.username is None:
        return url, None
    host = parts.hostname or ""
    if ":" in host:
        host = f"[{host}]"
    netloc = f"{host}:{parts.port}" if parts.port else host
    clean = urlunsplit((parts.scheme, netloc, parts.path, parts.query, parts.fragment))
    return clean, (unquote(parts.username), unquote(parts.password or ""))


def post_result(url: str, body: Mapping[str, Any], *, attempts: int = 3, delay_ms: int = 100,
                sleep: Callable[[float], None] = time.sleep, session: requests.Session | None = None) -> None:
    """POST the answer; retry network errors and 5xx; anything but 200 raises ``RuntimeError``."""
    target, auth = split_userinfo(url)
    if auth:
        register_secret(auth[1])
    http = session or requests.Session()
    problem = ""
    for attempt in range(max(1, attempts)):
        if attempt:
            sleep(delay_ms / 1000.0)
        try:
            resp = http.post(target, json=dict(body), auth=auth, timeout=POST_TIMEOUT)
        except requests.RequestException as exc:
            problem = type(exc).__name__
            continue
        if resp.status_code >= 500:
            problem = f"HTTP {resp.status_code}"
            continue
        if resp.status_code != 200:
            raise RuntimeError(f"Failed to POST data to {target} (HTTP {resp.status_code})")
        return
    raise RuntimeError(f"Failed to POST data to {target} ({problem})")


def read_call(method: str, environ: Mapping[str, str]) -> tuple[dict[str, Any], dict[str, str]]:
    """Check the environment for ``method``; return the parsed cfg and the call's parameters."""
    if method not in METHODS:
        raise ServiceInputError(f'Unknown service method "{method}"; use one of: {", ".join(METHODS)}')
    needed = ["CFG", "API_URI", "API_USERNAME", "API_KEY"]
    if method in ("getMetaModel", "selectModel"):
        needed.append("ACTION_OR_TRIGGER")
    if method == "selectModel":
        needed.append("GET_MODEL_METHOD")
    for name in needed:
        if not environ.get(PREFIX + name):
            raise ServiceInputError(f"{PREFIX}{name} is not provided")
    try:
        cfg = json.loads(environ[PREFIX + "CFG"])
    except json.JSONDecodeError:
        raise ServiceInputError("Unable to parse CFG: ELASTICIO_CFG must be a JSON object") from None
    if not isinstance(cfg, dict):
        raise ServiceInputError("Unable to parse CFG: ELASTICIO_CFG must be a JSON object")
    params = {"triggerOrAction": environ.get(PREFIX + "ACTION_OR_TRIGGER", ""),
              "getModelMethod": environ.get(PREFIX + "GET_MODEL_METHOD", "")}
    return cfg, params


async def call(method: str, component: Component, cfg: dict[str, Any], params: Mapping[str, str],
               api: PlatformApi | None, log: Logger) -> Any:
    """Run the component's function; ``updateKeys`` it emits is stored before the answer is posted."""

    async def emit(event: str, keys: Any) -> None:
        if api is None:
            log.warn("updateKeys emitted but no platform API is configured; keys not stored")
            return
        await asyncio.to_thread(api.update_account_keys, cfg.get("_account"), keys)

    if method == "verifyCredentials":
        return await service.averify_credentials(component, cfg, logger=log, emit=emit)
    if method == "getMetaModel":
        return await service.aget_meta_model(component, params["triggerOrAction"], cfg, logger=log, emit=emit)
    return await service.aselect_model(component, params["triggerOrAction"], params["getModelMethod"], cfg,
                                       logger=log, emit=emit)


def run_service(method: str, environ: Mapping[str, str], root: Path | str, *,
                log: Logger | None = None, session: requests.Session | None = None) -> int:
    """One service call from start to posted answer; returns the process exit code."""
    log = log or get_logger("sailor", function=method)
    for name in ("API_KEY", "MESSAGE_CRYPTO_PASSWORD"):
        register_secret(environ.get(PREFIX + name))
    url = environ.get(PREFIX + "POST_RESULT_URL")
    if not url:
        log.fatal("ELASTICIO_POST_RESULT_URL is not provided; nothing to post the result to")
        return 1
    answer = _answer(method, environ, Path(root), log)
    try:
        post_result(url, answer, attempts=parse_int(environ.get(PREFIX + "API_REQUEST_RETRY_ATTEMPTS"), 3),
                    delay_ms=parse_int(environ.get(PREFIX + "API_REQUEST_RETRY_DELAY"), 100), session=session)
    except RuntimeError as exc:
        log.fatal(redact_text(str(exc)))
        return 1
    log.info("service result posted", status=answer["status"])
    return 0


def _answer(method: str, environ: Mapping[str, str], root: Path, log: Logger) -> dict[str, Any]:
    try:
        cfg, params = read_call(method, environ)
        register_secrets_in(cfg)
        component = Component.load(root)
        api = PlatformApi(environ[PREFIX + "API_URI"], environ[PREFIX + "API_USERNAME"], environ[PREFIX + "API_KEY"])
        data = asyncio.run(call(method, component, cfg, params, api, log))
        return {"status": "success", "data": data}
    except Exception as exc:  # every failure is the platform's to show, as {status: error}
        log.error("service call %s failed: %s", method, exc, err=exc)
        return {"status": "error", "data": {"message": redact_text(str(exc)) or type(exc).__name__}}
