"""The merchant listings report (``_GET_MERCHANT_LISTINGS_ALL_DATA_`` / ``GET_MERCHANT_LISTINGS_ALL_DATA``)
read row by row from its bytes, never decoded whole.

The report is tab-separated text with a header row (``item-name``, ``seller-sku``, ``price``, ``asin1``...).
Its charset follows the marketplace: Amazon's NA and EU reports are Cp1252 (ISO-8859-1 in older
answers), JP's Shift_JIS (Amazon writes ``Windows-31J``, read as cp932, its superset), the others UTF-8. A charset named in the
answer's Content-Type wins; without one the marketplace's is used. Bytes that do not decode are
replaced (U+FFFD) rather than failing 100,000 listings for one bad title.

``rows(source)`` yields ``Row``s: the column values as Amazon wrote them (for digests) and, through
``message``, the listing in lowerCamelCase (``seller-sku`` -> ``sellerSku``, ``asin1`` -> ``asin``;
empty cells are ``None``; ``quantity`` and ``pendingQuantity`` are integers; ``price`` stays exact
decimal text). A source is a callable that opens the report's bytes afresh (a file-like object):
the trigger reads the report twice, and each read streams through ``gzip`` (when compressed), an
incremental decoder and ``csv`` in constant memory.
"""

from __future__ import annotations

import codecs
import csv
import gzip
import io
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import IO

from mws_component.lib.mws.errors import ResponseIntegrityError

ReportSource = Callable[[], IO[bytes]]

MWS_REPORT_TYPE = "_GET_MERCHANT_LISTINGS_ALL_DATA_"
SP_API_REPORT_TYPE = "GET_MERCHANT_LISTINGS_ALL_DATA"
SKU_COLUMN = "seller-sku"
RENAMED = {"asin1": "asin", "seller-sku": "sellerSku"}
INTEGERS = ("quantity", "pendingQuantity")
# Marketplace country -> the charset Amazon writes its flat-file reports in.
_CHARSET_BY_COUNTRY = {"JP": "cp932", **{c: "cp1252" for c in (
    "US", "CA", "MX", "BR", "GB", "UK", "DE", "FR", "IT", "ES", "NL", "SE", "PL", "BE", "IE")}}
# Windows-31J (cp932) is Shift_JIS with Microsoft's extensions (①, ～...): read every Shift_JIS name as it.
_ALIASES = {"windows-31j": "cp932", "ms932": "cp932", "x-sjis": "cp932", "sjis": "cp932", "shift_jis": "cp932",
            "iso-8859-1": "cp1252", "latin-1": "cp1252", "latin1": "cp1252"}  # Cp1252 is ISO-8859-1's superset
_CHARSET = re.compile(r"charset\s*=\s*\"?([\w.:-]+)", re.IGNORECASE)
csv.field_size_limit(1 << 20)  # an item description may be long; a row is never a whole report


def charset_for(country: str | None, content_type: str | None = None) -> str:
    """The codec to read a report in: the Content-Type's charset when given, else the country's."""
    match = _CHARSET.search(content_type or "")
    name = match.group(1).lower() if match else _CHARSET_BY_COUNTRY.get((country or "").upper(), "utf-8")
    name = _ALIASES.get(name, name)
    try:
        return codecs.lookup(name).name
    except LookupError:
        return "utf-8"


@lru_cache(maxsize=256)
def camel(column: str) -> str:
    """``item-name`` -> ``itemName``; ``asin1`` -> ``asin`` (the listing's ASIN)."""
    if column in RENAMED:
        return RENAMED[column]
    words = [w for w in re.split(r"[-_ ]+", column.strip().lower()) if w]
    return (words[0] + "".join(w.capitalize() for w in words[1:])) if words else "column"


@dataclass(frozen=True)
class Row:
    number: int  # 0 for the first listing
    header: tuple[str, ...]
    values: tuple[str, ...]

    @property
    def sku(self) -> str:
        return self.values[self.header.index(SKU_COLUMN)] if SKU_COLUMN in self.header else ""

    def content(self) -> str:
        """The row as Amazon wrote it (decoded): what a listing's digest is taken over."""
        return "\x1f".join(self.values)

    def message(self) -> dict:
        body = {}
        for column, value in zip(self.header, self.values, strict=False):
            key, value = camel(column), value.strip()
            body[key] = int(value) if key in INTEGERS and value.isdigit() else (value or None)
        return body


def text_stream(raw: IO[bytes], charset: str, compressed: bool) -> io.TextIOWrapper:
    """The report's text, decoded incrementally (and gunzipped on the way when ``compressed``)."""
    binary: IO[bytes] = gzip.GzipFile(fileobj=raw, mode="rb") if compressed else raw
    return io.TextIOWrapper(binary, encoding=charset, errors="replace", newline="")


def rows(source: ReportSource, charset: str, compressed: bool = False) -> Iterator[Row]:
    """Every listing row of the report, in order, streamed; a report without a ``seller-sku`` column is refused."""
    with source() as raw:
        reader = csv.reader(text_stream(raw, charset, compressed), delimiter="\t", quoting=csv.QUOTE_NONE)
        try:
            header = tuple(h.strip().lstrip("\ufeff") for h in next(reader, ()))
            if header and SKU_COLUMN not in header:
                raise ResponseIntegrityError(f"the listings report has no {SKU_COLUMN} column (columns: "
                                             f"{', '.join(header[:8])})", operation="GetReport")
            for number, values in enumerate(r for r in reader if any(r)):
                yield Row(number, header, tuple(values))
        except (OSError, EOFError, gzip.BadGzipFile) as err:
            raise ResponseIntegrityError(f"the listings report could not be read ({err})",
                                         operation="GetReport") from err
