"""AES-256-CBC message payloads, byte-compatible with sailor-nodejs ``encryptor.js`` and sailor-jvm.

The platform and every other step read and write these bytes, so nothing here is a free choice:

* key = SHA-256 of the UTF-8 password; IV = the UTF-8 bytes of ``MESSAGE_CRYPTO_IV`` (16), the same IV
  for every message; PKCS#7 padding;
* plaintext = ``JSON.stringify(message)``: compact separators, non-ASCII characters left as they are;
* wire encoding by ``protocolVersion``: below 2 the AMQP body is the base64 text of the ciphertext,
  from 2 on it is the raw ciphertext.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
from typing import Any

from cryptography.hazmat.primitives import padding
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes


class PayloadError(ValueError):
    """A payload that cannot be decoded: wrong key/IV, not base64, bad padding, or not JSON."""


def to_json(value: Any) -> str:
    """Serialise like ``JSON.stringify``: no spaces, UTF-8 characters unescaped."""
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)


class MessageCipher:
    """Encrypts and decrypts message payloads with the flow's password and IV."""

    def __init__(self, password: str, iv: str) -> None:
        key = hashlib.sha256(password.encode("utf-8")).digest()
        iv_bytes = iv.encode("utf-8")
        if len(iv_bytes) != 16:
            raise ValueError(f"the message IV must be 16 bytes, got {len(iv_bytes)}")
        # Built once: key and IV never change, and each en/decryptor() is a fresh context anyway
        # (building the Cipher per message was a measurable share of the sailor's time per message).
        self._cipher = Cipher(algorithms.AES(key), modes.CBC(iv_bytes))

    def __repr__(self) -> str:  # never show key material
        return "MessageCipher(<hidden>)"

    def encrypt_bytes(self, plaintext: bytes) -> bytes:
        pad = 16 - len(plaintext) % 16  # PKCS#7: 1..16 bytes, each holding the pad length
        enc = self._cipher.encryptor()
        return enc.update(plaintext + bytes((pad,)) * pad) + enc.finalize()

    def decrypt_bytes(self, ciphertext: bytes) -> bytes:
        try:
            dec = self._cipher.decryptor()
            padded = dec.update(ciphertext) + dec.finalize()
            unpadder = padding.PKCS7(128).unpadder()
            return unpadder.update(padded) + unpadder.finalize()
        except ValueError:
            raise PayloadError("cannot decrypt the payload (wrong password/IV or damaged message)") from None

    def encode(self, message: Any, protocol_version: int = 1) -> bytes:
        """The AMQP body for ``message``: base64 text for protocol 1, raw ciphertext from 2 on."""
        raw = self.encrypt_bytes(to_json(message).encode("utf-8"))
        return raw if protocol_version >= 2 else base64.b64encode(raw)

    def encode_text(self, message: Any) -> str:
        """Base64 ciphertext as a string, as used inside error payloads (always protocol 1)."""
        return self.encode(message, 1).decode("ascii")

    def decode(self, body: bytes | str, protocol_version: int = 1) -> Any:
        """The message carried by ``body``; an empty body is ``None`` as in the Node sailor."""
        data = body.encode("ascii", "replace") if isinstance(body, str) else bytes(body)
        if not data:
            return None
        if protocol_version < 2:
            try:
                data = base64.b64decode(data, validate=False)
            except (binascii.Error, ValueError):
                raise PayloadError("the payload is not base64 (protocolVersion 1)") from None
        plaintext = self.decrypt_bytes(data)
        if not plaintext:
            return None
        try:
            return json.loads(plaintext.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError):
            raise PayloadError("the decrypted payload is not JSON") from None
