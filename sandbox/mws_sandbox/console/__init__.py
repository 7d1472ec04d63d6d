"""The sandbox console: HTML pages at ``/_sandbox/console`` to see and steer the seller's world.

Pages are rendered on the server (Jinja2 templates in ``templates/``); htmx, vendored in
``static/htmx.min.js`` with its licence, makes links and forms swap the page in place and keeps
the clock, quotas and unfinished feeds live by polling. Every form posts to an action that calls
the same ``Sandbox`` method as the JSON scenario API, then redirects back (so it all works without
JavaScript too). Nothing secret is shown: the request log keeps no signatures, keys or tokens
(``requestlog``), and feed content has the sandbox's own keys and tokens scrubbed (``secrets``).
"""

from .web import PREFIX, handle, serves

__all__ = ["PREFIX", "handle", "serves"]
