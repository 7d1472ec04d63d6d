"""scripts/gen_feed_rules.py: the committed data is exactly what it generates, and it fails loudly."""

from __future__ import annotations

import importlib.util
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from mws_component.lib.feeds.naming import json_name
from mws_component.lib.feeds.rules import DATA

REPO = Path(__file__).resolve().parents[2]
SCRIPT = REPO / "scripts" / "gen_feed_rules.py"


def _generator():
    spec = importlib.util.spec_from_file_location("gen_feed_rules", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


gen = _generator()


def test_committed_data_is_what_the_generator_produces(xsd_dir):
    assert gen.generate(xsd_dir) == DATA.read_text(encoding="utf-8"), "rules.json is stale: run scripts/gen_feed_rules.py"


def test_check_mode_in_a_fresh_process_with_another_hash_seed(xsd_dir):
    env = {**os.environ, "PYTHONHASHSEED": "12345"}
    done = subprocess.run([sys.executable, str(SCRIPT), "--xsd-dir", str(xsd_dir), "--check"], env=env,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "up to date" in done.stdout


def test_check_mode_reports_stale_data(xsd_dir, tmp_path):
    stale = tmp_path / "rules.json"
    stale.write_text("{}", encoding="utf-8")
    assert gen.main(["--xsd-dir", str(xsd_dir), "--out", str(stale), "--check"]) == 1
    assert gen.main(["--xsd-dir", str(xsd_dir), "--out", str(stale)]) == 0
    assert stale.read_text(encoding="utf-8") == DATA.read_text(encoding="utf-8")


def test_missing_xsd_folder_is_a_clear_error(tmp_path, capsys):
    assert gen.main(["--xsd-dir", str(tmp_path)]) == 2
    assert "no Product.xsd" in capsys.readouterr().err


def test_data_is_our_compact_digest_not_a_copy(xsd_dir):
    text = DATA.read_text(encoding="utf-8")
    assert len(text) < 400_000
    for xsd_only in ("xsd:", "AMAZON.COM CONFIDENTIAL", "documentation", "schemaLocation"):
        assert xsd_only not in text
    data = json.loads(text)
    assert data["xsdSha256"] == gen.SchemaSet(xsd_dir, gen.ROOTS).fingerprint()
    assert set(data["roots"]) == set(gen.ROOTS)
    assert len(data["categoryElements"]) == 54
    assert len(data["displayCategories"]) == 30


def _tiny_schema(tmp_path: Path, body: str) -> gen.SchemaSet:
    (tmp_path / "T.xsd").write_text(
        f'<xsd:schema xmlns:xsd="http://www.w3.org/2001/XMLSchema">{body}</xsd:schema>', encoding="utf-8")
    return gen.SchemaSet(tmp_path, {"T": "T.xsd"})


def test_restriction_chains_flatten_into_one_rule(tmp_path):
    schemas = _tiny_schema(tmp_path, """
      <xsd:simpleType name="Base"><xsd:restriction base="xsd:normalizedString"><xsd:maxLength value="10"/>
        <xsd:pattern value="[a-z]+"/></xsd:restriction></xsd:simpleType>
      <xsd:simpleType name="Derived"><xsd:restriction base="Base"><xsd:minLength value="2"/>
        <xsd:pattern value="a.*"/></xsd:restriction></xsd:simpleType>
      <xsd:element name="T" type="Derived"/>""")
    compiler = gen.Compiler(schemas)
    rule = compiler.types[compiler.type_of(schemas.get("element", "T"))]
    assert rule == {"k": "string", "ws": "replace", "maxLen": 10, "minLen": 2, "pat": ["[a-z]+", "a.*"]}


def test_simple_content_extension_keeps_attributes_in_order(tmp_path):
    schemas = _tiny_schema(tmp_path, """
      <xsd:complexType name="Amount"><xsd:simpleContent><xsd:extension base="xsd:decimal">
        <xsd:attribute name="currency" type="xsd:string" use="required"/></xsd:extension></xsd:simpleContent>
      </xsd:complexType>
      <xsd:element name="T"><xsd:complexType><xsd:simpleContent><xsd:extension base="Amount">
        <xsd:attribute name="zero" type="xsd:boolean"/></xsd:extension></xsd:simpleContent></xsd:complexType></xsd:element>""")
    compiler = gen.Compiler(schemas)
    rule = compiler.types[compiler.type_of(schemas.get("element", "T"))]
    assert [a[0] for a in rule["attrs"]] == ["currency", "zero"]
    assert [a[2] for a in rule["attrs"]] == [1, 0]
    assert compiler.types[rule["value"]] == {"k": "decimal"}


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ('<xsd:element name="T"><xsd:complexType><xsd:complexContent><xsd:extension base="X"/></xsd:complexContent>'
         "</xsd:complexType></xsd:element>", "complexContent"),
        ('<xsd:element name="T"><xsd:complexType><xsd:sequence><xsd:any/></xsd:sequence></xsd:complexType></xsd:element>',
         "particle any"),
        ('<xsd:element name="T"><xsd:complexType><xsd:sequence maxOccurs="3"><xsd:element name="A"/></xsd:sequence>'
         "</xsd:complexType></xsd:element>", "repeated sequence"),
        ('<xsd:element name="T"><xsd:complexType><xsd:sequence><xsd:element name="SKU"/><xsd:element name="Sku"/>'
         "</xsd:sequence></xsd:complexType></xsd:element>", "JSON name collision ['sku']"),
        ('<xsd:element name="T" type="Loop"/><xsd:complexType name="Loop"><xsd:sequence>'
         '<xsd:element name="Next" type="Loop" minOccurs="0"/></xsd:sequence></xsd:complexType>', "recursive"),
        ('<xsd:element name="T"><xsd:simpleType><xsd:list itemType="xsd:string"/></xsd:simpleType></xsd:element>',
         "simpleType with list"),
        ('<xsd:element name="T" type="xsd:duration"/>', "built-in type xsd:duration"),
        ('<xsd:element name="T"><xsd:simpleType><xsd:restriction base="xsd:string"><xsd:pattern value="\\i\\c*"/>'
         "</xsd:restriction></xsd:simpleType></xsd:element>", "pattern"),
    ],
    ids=["complexContent", "any", "repeated-group", "name-collision", "recursion", "list", "duration", "xsd-regex"],
)
def test_unsupported_constructs_stop_the_generator(tmp_path, body, message):
    schemas = _tiny_schema(tmp_path, body)
    with pytest.raises(gen.Unsupported, match=message.replace("[", r"\[").replace("]", r"\]")):
        gen.Compiler(schemas).type_of(schemas.get("element", "T"))


def test_duplicate_global_declarations_are_refused(tmp_path):
    with pytest.raises(gen.Unsupported, match="declared twice"):
        _tiny_schema(tmp_path, '<xsd:element name="T"/><xsd:element name="T"/>')


def test_xsd_unicode_block_classes_become_python_ranges():
    pattern = gen.python_pattern(r"[\p{IsBasicLatin}\p{IsLatin-1Supplement}]*")
    assert re.fullmatch(pattern, "Caf\u00e9 &")
    assert not re.fullmatch(pattern, "\u0100")


@pytest.mark.parametrize(
    ("xml", "json"),
    [("SKU", "sku"), ("ParentSKU", "parentSku"), ("StandardProductID", "standardProductId"), ("MSRP", "msrp"),
     ("ItemPackageQuantity", "itemPackageQuantity"), ("MSRPWithTax", "msrpWithTax"), ("FEDAS_ID", "fedasId"),
     ("Amazon-Vendor-Only", "amazonVendorOnly"), ("Rental_0", "rental0"), ("ThreeDPrinting", "threeDPrinting"),
     ("CE", "ce"), ("iPodAccessory", "iPodAccessory"), ("unitOfMeasure", "unitOfMeasure"), ("MP3Player", "mp3Player")],
)
def test_json_names_follow_the_issue(xml, json):
    assert json_name(xml) == json


def test_every_root_compiles_from_the_data_alone():
    """The runtime needs no XSD: the committed data alone compiles every root (runs without shared/)."""
    from mws_component.lib.feeds.rules import Rules

    data = json.loads(DATA.read_text(encoding="utf-8"))
    fresh = Rules(data)
    for root in data["roots"]:
        assert fresh.root(root).ordered
    assert [f.key for f in fresh.root("Inventory").ordered] == [
        "sku", "fulfillmentCenterId", "available", "quantity", "lookup", "restockDate", "fulfillmentLatency",
        "switchFulfillmentTo"]
