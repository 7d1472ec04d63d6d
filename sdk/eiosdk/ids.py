"""Random message ids: the text of a version-4 UUID, as ``str(uuid.uuid4())`` gives, for less.

``uuid4`` reads 16 bytes from ``os.urandom`` for every id: a system call that also lets go of the
GIL, and the sailor made three ids per message. Here the same kind of random bytes (``os.urandom``)
are read 256 ids at a time and each id is cut from them, formatted as ``uuid4`` formats its UUID
(version 4, RFC 4122 variant). A forked child drops the bytes it inherited, so it never repeats an
id its parent gives out. Standard library only: importing it costs nothing.
"""

from __future__ import annotations

import os
import threading

_BATCH = 256  # ids per os.urandom call
_lock = threading.Lock()
_pool = b""
_offset = 0


def new_id() -> str:
    """``xxxxxxxx-xxxx-4xxx-[89ab]xxx-xxxxxxxxxxxx``, 122 random bits, like ``str(uuid.uuid4())``."""
    global _pool, _offset
    with _lock:
        if _offset >= len(_pool):
            _pool, _offset = os.urandom(16 * _BATCH), 0
        raw = _pool[_offset:_offset + 16]
        _offset += 16
    h = raw.hex()
    return f"{h[:8]}-{h[8:12]}-4{h[13:16]}-{'89ab'[int(h[16], 16) & 3]}{h[17:20]}-{h[20:]}"


def _forget() -> None:
    global _pool, _offset
    _pool, _offset = b"", 0


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_forget)
