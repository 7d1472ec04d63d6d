"""The Selling Partner API client and its orders source, layered like ``lib.mws``.

Tables as data (``data/``: regions, operations and usage plans), validated credentials
(``credentials``), Login with Amazon (``auth``), a pure request builder (``request``), JSON error
mapping into the one error tree (``errors``), the client (``client``: pacing, retries, the shared
transport and clock), restricted data tokens (``tokens``), and on top the orders source
(``orders``, ``convert``) and the credential check (``verify``).
"""
