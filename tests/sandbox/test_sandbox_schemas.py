"""The sandbox's default feed validators: Amazon's real XSDs when configured (``xsd_dir`` or
``MWS_XSD_DIR``), its own structural checks otherwise; callers' ``feed_validator`` still wins."""

from __future__ import annotations

import pytest
from defusedxml.ElementTree import fromstring
from mws_sandbox import Sandbox
from mws_sandbox.schemas import XsdValidator, default_validator, structural_problems

from mws_component.lib.mws.clock import ManualClock
from tests.conftest import XSD_DIR, require_shared

from .conftest import Raw, feed_xml
from .test_sandbox_feeds import inventory, processed, results


@pytest.fixture(scope="module")
def xsd_dir():
    return require_shared(XSD_DIR, "Amazon's MWS XSDs")


def _raw(sandbox: Sandbox, clock: ManualClock) -> Raw:
    return Raw(sandbox.handle, sandbox.credentials("http://h"), clock, "h")


def message(xml: str):
    return fromstring(xml)


def test_xsd_dir_reports_amazons_schema_errors_as_5001(xsd_dir):
    clock = ManualClock(1_700_000_000)
    sandbox = Sandbox(clock, seed=3, xsd_dir=str(xsd_dir))
    raw = _raw(sandbox, clock)
    sku = next(iter(sandbox.catalogue()))
    bad = (f"<Message><MessageID>2</MessageID><Inventory><SKU>{sku}</SKU><Quantity>4</Quantity>"
           "<Colour>red</Colour></Inventory></Message>")
    _, report = processed(raw, feed_xml("Inventory", inventory(1, sku, "3"), bad, inventory(3, sku, "x")))
    assert [r[:3] for r in results(report)] == [(2, "Error", 5001), (3, "Error", 5001)]
    descriptions = [r.findtext("ResultDescription") for r in report.findall("Result")]
    assert "Colour" in descriptions[0] and "nonNegativeInteger" in descriptions[1]
    assert sandbox.catalogue()[sku]["quantity"] == 3


def test_environment_variable_turns_the_xsds_on(xsd_dir, monkeypatch):
    monkeypatch.setenv("MWS_XSD_DIR", str(xsd_dir))
    validator = default_validator()
    assert isinstance(validator, XsdValidator)
    assert validator("Inventory", message("<Message><MessageID>1</MessageID><Inventory><SKU>A</SKU>"
                                          "<Quantity>2</Quantity></Inventory></Message>")) == []


def test_xsd_validator_never_reparses_the_feed(xsd_dir):
    """The payload is copied node by node: an entity-looking text stays text."""
    validator = XsdValidator(xsd_dir)
    problems = validator("Inventory", message("<Message><MessageID>1</MessageID><Inventory><SKU>&amp;x;</SKU>"
                                              "<Quantity>2</Quantity></Inventory></Message>"))
    assert problems == []


def test_a_wrong_xsd_dir_is_an_error_but_a_stale_environment_is_ignored(tmp_path, monkeypatch):
    with pytest.raises(ValueError, match="holds no amzn-envelope.xsd"):
        Sandbox(ManualClock(0), xsd_dir=str(tmp_path))
    monkeypatch.setenv("MWS_XSD_DIR", str(tmp_path / "missing"))
    assert default_validator() is structural_problems


def test_without_xsds_the_default_is_the_structural_check(monkeypatch):
    monkeypatch.delenv("MWS_XSD_DIR", raising=False)
    assert Sandbox(ManualClock(0)).feed_validator is structural_problems


@pytest.mark.parametrize(("xml", "problem"), [
    ("<Message><MessageID>1</MessageID><Inventory/></Message>", "payload is empty"),
    ("<Message><MessageID>1</MessageID><Inventory>text<SKU>A</SKU></Inventory></Message>", "both text and child"),
    ("<Message><MessageID>1</MessageID><Inventory><SKU>A<B>c</B></SKU></Inventory></Message>", "both text and child"),
])
def test_structural_problems(xml, problem):
    (found,) = structural_problems("Inventory", message(xml))
    assert problem in found


def test_structural_check_accepts_empty_marker_elements():
    """``<BeautyMisc/>`` is valid in Amazon's Beauty.xsd: empty elements are not flagged."""
    xml = ("<Message><MessageID>1</MessageID><Product><SKU>A</SKU><ProductData><Beauty><ProductType>"
           "<BeautyMisc/></ProductType></Beauty></ProductData></Product></Message>")
    assert structural_problems("Product", message(xml)) == []


def test_feed_validator_argument_still_wins(xsd_dir):
    sandbox = Sandbox(ManualClock(0), xsd_dir=str(xsd_dir), feed_validator=structural_problems)
    assert sandbox.feed_validator is structural_problems
