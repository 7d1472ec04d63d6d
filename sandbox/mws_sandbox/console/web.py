"""Routing for ``/_sandbox/console``: pages (GET), actions (POST, then 303 back), static files.

An action reads the form, calls the ``Sandbox`` method the JSON scenario API calls, and redirects
to the page it came from (``back``) with a one-line ``notice`` or ``error``; htmx follows the
redirect and swaps the page in place.
"""

from __future__ import annotations

from collections.abc import Callable
from importlib import resources
from typing import TYPE_CHECKING
from urllib.parse import parse_qsl, urlencode, urlsplit

import jinja2

from ..http import RequestLike, Response
from . import actions, views

if TYPE_CHECKING:
    from ..app import Sandbox

PREFIX = "/_sandbox/console"
HTML = "text/html; charset=utf-8"
STATIC_TYPES = {".js": "text/javascript; charset=utf-8", ".css": "text/css; charset=utf-8",
                ".txt": "text/plain; charset=utf-8"}

# path -> (template, tab title, context builder)
PAGES: dict[str, tuple[str, str, Callable[[Sandbox, dict[str, str]], dict]]] = {
    "": ("orders.html", "Orders", views.orders),
    "/orders": ("orders.html", "Orders", views.orders),
    "/feeds": ("feeds.html", "Feeds", views.feed_page),
    "/quotas": ("quotas.html", "Quotas", views.quota_page),
    "/time": ("time.html", "Time and faults", views.time_page),
}

_env = jinja2.Environment(loader=jinja2.PackageLoader("mws_sandbox.console", "templates"),
                          autoescape=True, undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True)


def serves(request: RequestLike) -> bool:
    path = urlsplit(request.url).path
    return path == PREFIX or path.startswith(PREFIX + "/")


def handle(sandbox: Sandbox, request: RequestLike) -> Response:
    parts = urlsplit(request.url)
    path = parts.path[len(PREFIX):].rstrip("/")
    method = request.method.upper()
    if method in ("GET", "HEAD") and path.startswith("/static/"):
        return _static(path[len("/static/"):])
    if method in ("GET", "HEAD") and path in PAGES:
        return _html(200, render_page(sandbox, path, dict(parse_qsl(parts.query))))
    if method == "POST" and path in actions.ACTIONS:
        return _act(sandbox, path, dict(parse_qsl(request.body.decode("utf-8", errors="replace"))))
    return _html(404, _env.get_template("missing.html").render(prefix=PREFIX, path=parts.path, pages=PAGES))


def render_page(sandbox: Sandbox, path: str, query: dict[str, str]) -> str:
    """The HTML of the page at ``PREFIX + path`` for ``query`` (what a browser gets)."""
    template, title, build = PAGES[path]
    context = {**views.common(sandbox), **build(sandbox, query)}
    return _env.get_template(template).render(
        prefix=PREFIX, path=path or "/orders", title=title, pages=PAGES, query=query,
        notice=query.get("notice", ""), error=query.get("error", ""), **context)


def _act(sandbox: Sandbox, path: str, form: dict[str, str]) -> Response:
    back = form.get("back", "")
    if not back.startswith(PREFIX) or "//" in back:
        back = PREFIX + actions.ACTIONS[path][1]
    try:
        message = {"notice": actions.ACTIONS[path][0](sandbox, form)}
    except (TypeError, ValueError) as exc:
        message = {"error": str(exc)}
    target = urlsplit(back)
    query = [(k, v) for k, v in parse_qsl(target.query) if k not in ("notice", "error")]
    location = target.path + "?" + urlencode(query + list(message.items()))
    return Response.of(303, {"Location": location, "Content-Type": HTML}, b"")


def _html(status: int, page: str) -> Response:
    return Response.of(status, {"Content-Type": HTML, "Cache-Control": "no-store"}, page.encode("utf-8"))


def _static(name: str) -> Response:
    folder = resources.files("mws_sandbox.console") / "static"
    suffix = name[name.rfind("."):] if "." in name else ""
    if "/" in name or suffix not in STATIC_TYPES or not (folder / name).is_file():
        return _html(404, "no such file")
    return Response.of(200, {"Content-Type": STATIC_TYPES[suffix], "Cache-Control": "max-age=3600"},
                       (folder / name).read_bytes())
