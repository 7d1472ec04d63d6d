"""Pointing other MWS clients at a plain-http sandbox.

python-amazon-mws (PyPI ``mws``) signs ``self.domain`` with only ``https://`` stripped, so against
``http://127.0.0.1:PORT`` it would sign the host as ``http://127.0.0.1:PORT`` and be refused with
SignatureDoesNotMatch. Mix ``LoopbackSigning`` in front of its API class and it signs the host as
Amazon would see it, while the request still goes to the plain-http URL; nothing else changes::

    class SandboxOrders(LoopbackSigning, mws.Orders): ...
    SandboxOrders(key, secret, seller, domain="http://127.0.0.1:8080", auth_token=token)
"""

from __future__ import annotations


class LoopbackSigning:
    """Shows the client the ``https://`` form of its domain while it signs."""

    def calc_signature(self, method: str, request_description: str) -> bytes:
        domain = self.domain
        self.domain = domain.replace("http://", "https://", 1)
        try:
            return super().calc_signature(method, request_description)
        finally:
            self.domain = domain
