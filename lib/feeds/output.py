"""A built feed's bytes: spooled to a temporary file and hashed while they are written.

A 1,000,000-SKU inventory feed is about 140 MB of XML. Holding it as ``bytes`` (and a Python list of
its SKUs beside it) would make memory grow with the feed, so the builder writes into a
:class:`Spool`: the first :data:`SPOOL_MEMORY` bytes stay in memory (an order feed never touches
the disk), the rest go to an anonymous temporary file, and MD5 and size are counted on the way, so
ContentMD5Value is known without reading the feed again. The :class:`Feed` owns that file: closing
it (``with build_feed(...) as feed``, ``feed.close()``, or the garbage collector) deletes it.
"""

from __future__ import annotations

import base64
import hashlib
import tempfile
import weakref
from array import array
from collections.abc import Iterable, Iterator, Sequence
from typing import BinaryIO, overload

SPOOL_MEMORY = 4 * 1024 * 1024  # bytes of a feed kept in memory before the spool moves to a temporary file
_SEPARATOR = "\0"  # never in a SKU: the simple rules refuse every character XML 1.0 cannot carry


class Spool:
    """Bytes written to a temporary file (in memory up to ``memory`` bytes), with their MD5 and size."""

    def __init__(self, memory: int | None = None) -> None:
        memory = SPOOL_MEMORY if memory is None else memory
        # Owned by the Feed that outlives this call (closed by it, or by discard()): no context manager.
        self.file: BinaryIO = tempfile.SpooledTemporaryFile(max_size=memory, prefix="mws-feed-")  # type: ignore[assignment]  # noqa: SIM115
        self.size = 0
        self._md5 = hashlib.md5(usedforsecurity=False)

    def write(self, data: bytes) -> None:
        self._md5.update(data)
        self.file.write(data)
        self.size += len(data)

    def content_md5(self) -> str:
        """Base64 of the MD5 digest, the ContentMD5Value form (``lib.mws.signing.content_md5``'s)."""
        return base64.b64encode(self._md5.digest()).decode("ascii")

    def discard(self) -> None:
        self.file.close()


class Skus(Sequence[str]):
    """The SKU of each message in order, packed: one UTF-8 buffer, NUL-separated, instead of a list of
    1,000,000 ``str`` objects (~75 MB). Positions are found on the first lookup by index, not before."""

    def __init__(self) -> None:
        self._data = bytearray()
        self._count = 0
        self._ends: array | None = None

    def extend(self, skus: Iterable[str]) -> None:
        batch = list(skus)
        if batch:
            self._data += (_SEPARATOR.join(batch) + _SEPARATOR).encode("utf-8")
            self._count += len(batch)
            self._ends = None

    def __len__(self) -> int:
        return self._count

    @overload
    def __getitem__(self, index: int) -> str: ...

    @overload
    def __getitem__(self, index: slice) -> list[str]: ...

    def __getitem__(self, index: int | slice) -> str | list[str]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(self._count))]
        if index < 0:
            index += self._count
        if not 0 <= index < self._count:
            raise IndexError("SKU index out of range")
        ends = self._index()
        start = ends[index - 1] + 1 if index else 0
        return self._data[start:ends[index]].decode("utf-8")

    def __iter__(self) -> Iterator[str]:
        start = 0
        data = self._data
        for _ in range(self._count):
            end = data.index(0, start)
            yield data[start:end].decode("utf-8")
            start = end + 1

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Sequence) and not isinstance(other, str):
            return len(self) == len(other) and all(a == b for a, b in zip(self, other, strict=True))
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        shown = ", ".join(repr(s) for s in self[:5]) + (", ..." if self._count > 5 else "")
        return f"Skus([{shown}], {self._count} in all)"

    def _index(self) -> array:
        if self._ends is None:
            ends, at, data = array("Q"), -1, self._data
            for _ in range(self._count):
                at = data.index(0, at + 1)
                ends.append(at)
            self._ends = ends
        return self._ends


class Feed:
    """A built feed, ready for SubmitFeed; its bytes live in a temporary spool until it is closed.

    ``xml``: the exact bytes to send (UTF-8, XML declaration), read from the spool (fine for a small
    feed; a large one is sent with :meth:`open`); ``size``: their length; ``content_md5``: base64 MD5 of
    them (the ContentMD5Value parameter); ``feed_type``: the FeedType parameter; ``content_type``:
    the Content-Type header; ``skus``: the SKU (ParentSKU for relationships) of message n at index
    n-1, to match processing-report results by ``messageId``.

    ``size``, ``content_md5`` and ``open()`` make a feed a body ``lib.mws.client`` streams (re-read
    from byte 0 for each attempt) instead of holding it in memory.
    """

    content_type = "text/xml; charset=UTF-8"

    def __init__(self, spool: Spool, *, feed_type: str, message_type: str, message_count: int, skus: Skus,
                 kind: str, operation: str) -> None:
        self.feed_type, self.message_type, self.kind, self.operation = feed_type, message_type, kind, operation
        self.message_count = message_count
        self.skus = skus
        self.size = spool.size
        self.content_md5 = spool.content_md5()
        self._file = spool.file
        self._closer = weakref.finalize(self, self._file.close)

    @property
    def xml(self) -> bytes:
        """The whole feed as bytes."""
        return self.open().read()

    def open(self) -> BinaryIO:
        """The spooled bytes from the first one on (the same file each time: one reader at a time)."""
        if not self._closer.alive:
            raise ValueError("the feed is closed; its temporary file is gone")
        self._file.seek(0)
        return self._file

    @property
    def closed(self) -> bool:
        return not self._closer.alive

    def close(self) -> None:
        """Delete the temporary file now (otherwise when the feed is garbage collected)."""
        self._closer()

    def __enter__(self) -> Feed:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return (f"Feed(feed_type={self.feed_type!r}, message_type={self.message_type!r}, "
                f"message_count={self.message_count}, size={self.size}, content_md5={self.content_md5!r}, "
                f"kind={self.kind!r}, operation={self.operation!r})")
