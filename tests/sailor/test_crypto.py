"""Payload crypto is byte-compatible with sailor-nodejs (the §3.6 vector) for protocols 1 and 2."""

from __future__ import annotations

import base64
import hashlib

import pytest
from eiosdk.sailor.crypto import MessageCipher, PayloadError, to_json
from hypothesis import given
from hypothesis import strategies as st

NODE_VECTOR = "Tr4yMVgk/jAY3bMwHIA5g4FpYR72SnQxIwf+BG4ZmjQ="


def test_node_sailor_vector_encrypts_to_the_published_bytes(cipher):
    assert cipher.encode({"property1": "Hello world"}, 1) == NODE_VECTOR.encode()


def test_node_sailor_vector_decrypts(cipher):
    assert cipher.decode(NODE_VECTOR.encode(), 1) == {"property1": "Hello world"}


def test_protocol_2_is_the_raw_ciphertext(cipher):
    raw = cipher.encode({"property1": "Hello world"}, 2)
    assert raw == base64.b64decode(NODE_VECTOR)
    assert cipher.decode(raw, 2) == {"property1": "Hello world"}


def test_plaintext_is_compact_json_with_unescaped_unicode():
    assert to_json({"a": [1, 2], "name": "Zoë"}) == '{"a":[1,2],"name":"Zoë"}'


def test_empty_body_is_none(cipher):
    assert cipher.decode(b"", 1) is None


@pytest.mark.parametrize("body", [b"not base64 at all!!", base64.b64encode(b"0123456789abcdef"), b"\x00" * 5])
def test_undecryptable_payload_raises_payload_error(cipher, body):
    with pytest.raises(PayloadError):
        cipher.decode(body, 1)


def test_other_password_cannot_read_it(cipher):
    other = MessageCipher("anotherPassword", "iv=any16_symbols")
    with pytest.raises(PayloadError):
        other.decode(cipher.encode({"x": 1}), 1)


def test_iv_must_be_16_bytes():
    with pytest.raises(ValueError, match="16 bytes"):
        MessageCipher("pw", "short")


def test_repr_hides_key_material(cipher):
    assert "testCryptoPassword" not in repr(cipher)


json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-10**12, 10**12) | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=12)


@given(message=st.dictionaries(st.text(max_size=8), json_values, max_size=5), protocol=st.sampled_from([1, 2]))
def test_any_json_message_round_trips(message, protocol):
    cipher = MessageCipher("testCryptoPassword", "iv=any16_symbols")
    assert cipher.decode(cipher.encode(message, protocol), protocol) == message


@pytest.mark.parametrize("length", [0, 1, 15, 16, 17, 31, 32, 47])
def test_padding_is_pkcs7_as_the_library_pads(cipher, length):
    """The encrypt side pads by hand (cheaper per message); it must match cryptography's PKCS#7 byte for byte."""
    from cryptography.hazmat.primitives import padding
    from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

    plaintext = bytes(range(65, 65 + length))
    padder = padding.PKCS7(128).padder()
    padded = padder.update(plaintext) + padder.finalize()
    reference = Cipher(algorithms.AES(hashlib.sha256(b"testCryptoPassword").digest()),
                       modes.CBC(b"iv=any16_symbols")).encryptor()
    assert cipher.encrypt_bytes(plaintext) == reference.update(padded) + reference.finalize()
    assert cipher.decrypt_bytes(cipher.encrypt_bytes(plaintext)) == plaintext
