"""``mws-component feed``: prints the feed XML, or every problem and exit status 1."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from lxml import etree

from mws_component.cli import main

REPO = Path(__file__).resolve().parents[2]


def _items(tmp_path: Path, items, name: str = "items.json") -> str:
    path = tmp_path / name
    path.write_text(json.dumps(items), encoding="utf-8")
    return str(path)


def test_build_prints_valid_xml(tmp_path, capsysbinary, assert_xsd_valid):
    source = _items(tmp_path, [{"sku": "A", "quantity": 2}, {"sku": "B", "available": False}])
    assert main(["feed", "build", "inventory", "--input", source, "--merchant", "A1SELLER"]) == 0
    out, err = capsysbinary.readouterr()
    assert_xsd_valid(out.strip())
    document = etree.fromstring(out.strip())
    assert document.findtext("Header/MerchantIdentifier") == "A1SELLER"
    assert b"_POST_INVENTORY_AVAILABILITY_DATA_: 2 message(s)" in err
    assert b"ContentMD5Value" in err


def test_build_product_with_category_and_operation(tmp_path, capsysbinary, assert_xsd_valid):
    item = {"sku": "L-1", "descriptionData": {"title": "Lipstick"},
            "productData": {"beauty": {"productType": {"beautyMisc": {}}}}}
    source = _items(tmp_path, item)
    assert main(["feed", "build", "product", "--input", source, "--category", "Beauty",
                 "--operation", "PartialUpdate"]) == 0
    out, _ = capsysbinary.readouterr()
    assert_xsd_valid(out.strip())
    assert b"<OperationType>PartialUpdate</OperationType>" in out
    assert b"<MerchantIdentifier>EXAMPLE_SELLER_ID</MerchantIdentifier>" in out


def test_invalid_items_exit_1_naming_the_fields(tmp_path, capsys):
    source = _items(tmp_path, [{"sku": "A", "quantity": -1}, {"quantity": 1}])
    assert main(["feed", "build", "inventory", "--input", source]) == 1
    out, err = capsys.readouterr()
    assert out == ""
    assert "items[0].quantity: -1 is too small" in err
    assert "items[1].sku: required (SKU)" in err


def test_wrong_category_kind_and_operation_exit_1(tmp_path, capsys):
    source = _items(tmp_path, {"sku": "A"})
    assert main(["feed", "build", "product", "--input", source, "--category", "Garden"]) == 1
    assert "unknown category 'Garden'" in capsys.readouterr().err
    assert main(["feed", "build", "stock", "--input", source]) == 1
    assert "unknown feed kind 'stock'" in capsys.readouterr().err
    assert main(["feed", "build", "product", "--input", source, "--operation", "Upsertish"]) == 1
    assert "unknown operation 'Upsertish'" in capsys.readouterr().err


def test_unreadable_input_exits_1(tmp_path, capsys):
    assert main(["feed", "build", "inventory", "--input", str(tmp_path / "missing.json")]) == 1
    assert "cannot read --input" in capsys.readouterr().err
    broken = tmp_path / "broken.json"
    broken.write_text('[{"sku": "A",}]', encoding="utf-8")
    assert main(["feed", "build", "inventory", "--input", str(broken)]) == 1
    err = capsys.readouterr().err
    assert "is not valid JSON" in err and "line 1 column 14" in err
    latin = tmp_path / "latin.json"
    latin.write_bytes(b'[{"sku": "caf\xe9", "quantity": 1}]')
    assert main(["feed", "build", "inventory", "--input", str(latin)]) == 1
    assert "not UTF-8" in capsys.readouterr().err


def test_schema_and_categories_subcommands(capsys):
    assert main(["feed", "schema", "image"]) == 0
    schema = json.loads(capsys.readouterr().out)
    assert schema["properties"]["imageType"]["required"] is True
    assert main(["feed", "schema", "product", "--category", "Tools"]) == 0
    assert list(json.loads(capsys.readouterr().out)["properties"]["productData"]["properties"]) == ["tools"]
    assert main(["feed", "categories"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 30 and lines[0] == "Auto Accessories\tAutoAccessory"


def test_stdin_through_the_installed_entry_point(tmp_path):
    done = subprocess.run(
        [sys.executable, "-m", "mws_component.cli", "feed", "build", "price", "--input", "-"],
        input=json.dumps({"sku": "P", "standardPrice": {"value": "5", "currency": "GBP"}}),
        capture_output=True, text=True, timeout=60, cwd=REPO,
    )
    assert done.returncode == 0, done.stderr
    assert '<StandardPrice currency="GBP">5</StandardPrice>' in done.stdout
    failed = subprocess.run(
        [sys.executable, "-m", "mws_component.cli", "feed", "build", "price", "--input", "-"],
        input=json.dumps({"standardPrice": {"value": "5", "currency": "GBX"}}),
        capture_output=True, text=True, timeout=60, cwd=REPO,
    )
    assert failed.returncode == 1
    assert "items[0].standardPrice.currency" in failed.stderr and failed.stdout == ""
