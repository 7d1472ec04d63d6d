"""The spooled feed: items from a generator, bytes in a temporary file that closing deletes, the
MD5 counted while writing, SKUs packed, and text escaped exactly as lxml escapes it."""

from __future__ import annotations

import contextlib
import gc
import os
import tempfile
from pathlib import Path

import pytest
from lxml import etree

from mws_component.lib.feeds import FeedValidationError, build_feed, output
from mws_component.lib.feeds.content import escape_attribute, escape_text
from mws_component.lib.feeds.output import Skus
from mws_component.lib.mws.signing import content_md5


def _items(count: int) -> list[dict]:
    return [{"sku": f"SKU-{i:05d}", "quantity": i % 7, "fulfillmentLatency": 2} for i in range(count)]


def _open_files_under(folder: Path) -> int:
    """Descriptors of this process on files in ``folder`` (unlinked temporary files included)."""
    count = 0
    for fd in os.listdir("/proc/self/fd"):
        with contextlib.suppress(OSError):  # gone since listed
            count += os.readlink(f"/proc/self/fd/{fd}").startswith(str(folder))
    return count


@pytest.fixture
def spool_dir(tmp_path, monkeypatch) -> Path:
    """Temporary files go to ``tmp_path``, and any feed over 1 KB leaves memory for one."""
    if not Path("/proc/self/fd").is_dir():
        pytest.skip("needs /proc to see open files")
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    monkeypatch.setattr(output, "SPOOL_MEMORY", 1024)
    return tmp_path


def test_closing_the_feed_deletes_its_temporary_file(spool_dir):
    feed = build_feed("inventory", _items(200), merchant_id="M")
    assert feed.size > 1024 and _open_files_under(spool_dir) == 1
    assert feed.xml.startswith(b"<?xml") and len(feed.xml) == feed.size
    feed.close()
    assert feed.closed and _open_files_under(spool_dir) == 0 and not list(spool_dir.iterdir())
    with pytest.raises(ValueError, match="closed"):
        feed.open()


def test_a_dropped_feed_and_a_refused_one_leave_no_file(spool_dir):
    with build_feed("inventory", _items(200), merchant_id="M"):
        assert _open_files_under(spool_dir) == 1
    assert _open_files_under(spool_dir) == 0
    build_feed("inventory", _items(200), merchant_id="M")  # never kept: collected at once
    gc.collect()
    assert _open_files_under(spool_dir) == 0
    with pytest.raises(FeedValidationError):
        build_feed("inventory", [*_items(200), {"sku": "X", "quantity": -1}], merchant_id="M")
    assert _open_files_under(spool_dir) == 0


def test_md5_and_size_are_counted_while_writing():
    feed = build_feed("inventory", _items(50), merchant_id="M")
    assert feed.content_md5 == content_md5(feed.xml) and feed.size == len(feed.xml)
    assert feed.open().read() == feed.xml  # open() starts at the first byte every time


def test_a_generator_gives_the_same_feed_as_a_list():
    listed = build_feed("inventory", _items(1500), merchant_id="M")
    generated = build_feed("inventory", (item for item in _items(1500)), merchant_id="M")
    assert generated.xml == listed.xml and generated.message_count == 1500
    assert generated.skus == listed.skus == [f"SKU-{i:05d}" for i in range(1500)]


def test_a_generator_is_checked_item_by_item_and_read_once():
    def items():
        yield {"sku": "A", "quantity": 1}
        yield {"sku": "B", "quantity": "many"}
        yield "not an item"

    with pytest.raises(FeedValidationError) as caught:
        build_feed("inventory", items(), merchant_id="M")
    assert [(p.index, p.path, p.rule) for p in caught.value.problems] == [
        (1, "items[1].quantity", "type"), (2, "items[2]", "type")]


def test_an_empty_generator_is_refused_like_an_empty_list():
    with pytest.raises(FeedValidationError) as from_list:
        build_feed("inventory", [], merchant_id="M")
    with pytest.raises(FeedValidationError) as from_generator:
        build_feed("inventory", iter(()), merchant_id="M")
    assert str(from_generator.value) == str(from_list.value)
    assert from_generator.value.problems[0].rule == "minOccurs"


def test_text_is_refused_as_items():
    with pytest.raises(FeedValidationError, match="expected an item"):
        build_feed("inventory", "SKU-1", merchant_id="M")


def test_skus_are_packed_but_read_like_a_list():
    skus = Skus()
    skus.extend(["A", "ü-2", ""])
    skus.extend([])
    skus.extend(["last"])
    assert len(skus) == 4 and list(skus) == ["A", "ü-2", "", "last"]
    assert skus[1] == "ü-2" and skus[-1] == "last" and skus[1:3] == ["ü-2", ""]
    assert skus == ["A", "ü-2", "", "last"] and skus != ["A"]
    with pytest.raises(IndexError):
        skus[4]


EVERY_XML_CHARACTER = "".join(chr(c) for c in (9, 10, 13, *range(32, 0xD800), *range(0xE000, 0xFFFE))) + "\U0001F600"


def test_escaping_is_byte_for_byte_what_lxml_writes():
    """Text and attribute values the rules let through, serialised by libxml2 and by us."""
    element = etree.Element("x", y=EVERY_XML_CHARACTER)
    element.text = EVERY_XML_CHARACTER
    written = etree.tostring(element, encoding="UTF-8").decode("utf-8")
    assert written == f'<x y="{escape_attribute(EVERY_XML_CHARACTER)}">{escape_text(EVERY_XML_CHARACTER)}</x>'


def test_awkward_text_round_trips_through_a_parser():
    awkward = "Fish & Chips <b> \"5'\" ]]> \r\n\tend"
    feed = build_feed("price", {"sku": awkward[:40], "standardPrice": {"value": "1.00", "currency": "USD"}},
                      merchant_id="A&B")
    parsed = etree.fromstring(feed.xml)
    assert parsed.findtext("Message/Price/SKU") == feed.skus[0] == "Fish & Chips <b> \"5'\" ]]>    end"
    assert parsed.findtext("Header/MerchantIdentifier") == "A&B"  # the SKU type turns CR, LF, tab into spaces
