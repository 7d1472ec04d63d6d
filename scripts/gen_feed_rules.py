#!/usr/bin/env python3
"""Generate ``lib/feeds/data/rules.json`` from Amazon's MWS feed XSDs.

Why: the feed builder validates JSON items before anything is sent, with the rules Amazon's schemas
state (element order, cardinality, types, enumerations, length/number facets, choice groups). The
XSD files themselves are Amazon's and stay outside the repository; what we commit is this script's
own compact digest of them, one type per line so a regeneration shows up as a readable diff.

The output is deterministic: types are numbered in the order a depth-first walk from fixed roots
meets them, and structurally identical types share one number. Constructs the feed schemas do not
use (complexContent, xsd:any, repeated groups, mixed content) stop the generator with an error
instead of being approximated silently.

Usage::

    python scripts/gen_feed_rules.py [--xsd-dir DIR] [--out FILE] [--check]

``--check`` exits 1 when the committed file differs from what the XSDs produce.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import sys
from pathlib import Path

from lxml import etree

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from mws_component.lib.feeds.naming import json_name  # noqa: E402

DEFAULT_XSD_DIR = (REPO / ".." / "shared" / "mws-xsd").resolve()
DEFAULT_OUT = REPO / "lib" / "feeds" / "data" / "rules.json"
XS = "{http://www.w3.org/2001/XMLSchema}"
UNBOUNDED = -1

# Message payload elements we build or check, with the file that declares each, plus the header.
ROOTS = {
    "Header": "amzn-header.xsd",
    "Inventory": "Inventory.xsd",
    "Price": "Price.xsd",
    "ProductImage": "ProductImage.xsd",
    "Relationship": "Relationship.xsd",
    "Override": "Override.xsd",
    "Product": "Product.xsd",
    "OrderAcknowledgement": "OrderAcknowledgement.xsd",
    "OrderFulfillment": "OrderFulfillment.xsd",
    "ProcessingReport": "ProcessingReport.xsd",
}

# The 30 category names of the platform's Submit Product page -> ProductData elements
# (shared/reference/xsd.md section 6; the first element is the main one).
DISPLAY_CATEGORIES = {
    "Auto Accessories": ["AutoAccessory"],
    "Beauty": ["Beauty"],
    "Books": ["Books"],
    "Camera & Photo": ["CameraPhoto"],
    "Cell Phones & Accessories (Wireless)": ["Wireless"],
    "Clothing Accessories & Luggage": ["ClothingAccessories", "Luggage"],
    "Computers": ["Computers"],
    "Consumer Electronics": ["CE"],
    "Entertainment Collectibles": ["EntertainmentCollectibles"],
    "Grocery & Gourmet Food": ["FoodAndBeverages", "Gourmet"],
    "Health": ["Health"],
    "Home Improvement": ["HomeImprovement"],
    "Industrial & Scientific: Lab & Scientific Supplies": ["LabSupplies"],
    "Industrial & Scientific: Power Transmission": ["PowerTransmission"],
    "Industrial & Scientific: Raw Materials": ["RawMaterials"],
    "Jewelry": ["Jewelry"],
    "Lighting": ["Lighting"],
    "Miscellaneous": ["Miscellaneous"],
    "Musical Instruments": ["MusicalInstruments"],
    "Music": ["Music"],
    "Office": ["Office"],
    "Outdoors": ["Outdoors"],
    "Pet Supplies": ["PetSupplies"],
    "Shoes Handbags and Sunglasses": ["Shoes"],
    "Software and Video Games": ["SoftwareVideoGames"],
    "Sports": ["Sports"],
    "Sports Collectibles": ["SportsMemorabilia"],
    "Tires & Wheels": ["TiresAndWheels"],
    "Tools": ["Tools"],
    "Toys & Games": ["Toys"],
}

# Built-in XSD types -> (kind, whitespace, implicit facets).
_INT_BOUNDS = {
    "integer": {},
    "positiveInteger": {"minIn": "1"},
    "nonNegativeInteger": {"minIn": "0"},
    "negativeInteger": {"maxIn": "-1"},
    "nonPositiveInteger": {"maxIn": "0"},
    "long": {"minIn": str(-(2**63)), "maxIn": str(2**63 - 1)},
    "int": {"minIn": str(-(2**31)), "maxIn": str(2**31 - 1)},
    "short": {"minIn": "-32768", "maxIn": "32767"},
    "byte": {"minIn": "-128", "maxIn": "127"},
    "unsignedLong": {"minIn": "0", "maxIn": str(2**64 - 1)},
    "unsignedInt": {"minIn": "0", "maxIn": str(2**32 - 1)},
    "unsignedShort": {"minIn": "0", "maxIn": "65535"},
    "unsignedByte": {"minIn": "0", "maxIn": "255"},
}
_TOKENS = ("token", "language", "Name", "NCName", "NMTOKEN", "ID", "IDREF", "ENTITY")
_OTHER = {
    "decimal": "decimal", "boolean": "boolean", "date": "date", "dateTime": "dateTime",
    "anyURI": "anyURI", "float": "float", "double": "float",
}
_FACET_KEYS = {
    "length": "len", "minLength": "minLen", "maxLength": "maxLen", "totalDigits": "digits",
    "fractionDigits": "frac", "minInclusive": "minIn", "maxInclusive": "maxIn",
    "minExclusive": "minEx", "maxExclusive": "maxEx",
}
_XSD_CLASSES = {r"\p{IsBasicLatin}": r"\x00-\x7F", r"\p{IsLatin-1Supplement}": r"\x80-\xFF"}


class Unsupported(Exception):
    """A schema construct the rules format cannot express; fix the generator, do not approximate."""


def builtin(local: str) -> dict:
    """The flattened rule of a built-in XSD simple type."""
    if local in _INT_BOUNDS:
        return {"k": "integer", **_INT_BOUNDS[local]}
    if local in _TOKENS:
        return {"k": "string", "ws": "collapse"}
    if local == "normalizedString":
        return {"k": "string", "ws": "replace"}
    if local in ("string", "anySimpleType"):
        return {"k": "string"}
    if local in _OTHER:
        return {"k": _OTHER[local]}
    raise Unsupported(f"built-in type xsd:{local}")


def python_pattern(xsd_pattern: str) -> str:
    """An XSD regex (implicitly anchored) as a Python regex used with ``re.fullmatch``."""
    out = xsd_pattern
    for xsd_class, py_class in _XSD_CLASSES.items():
        out = out.replace(xsd_class, py_class)
    if re.search(r"\\[pPic]|\\[IC]", out):
        raise Unsupported(f"pattern {xsd_pattern!r}")
    re.compile(out)
    return out


class SchemaSet:
    """Every global declaration reachable from the roots, found by following xsd:include."""

    def __init__(self, xsd_dir: Path, roots: dict[str, str]) -> None:
        self.dir = xsd_dir
        self.files: list[str] = []
        self.globals: dict[tuple[str, str], etree._Element] = {}
        parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, remove_comments=True)
        for file in roots.values():
            self._load(file, parser)

    def _load(self, file: str, parser: etree.XMLParser) -> None:
        if file in self.files:
            return
        self.files.append(file)
        root = etree.parse(str(self.dir / file), parser).getroot()
        for node in root:
            if not isinstance(node.tag, str):
                continue
            kind = node.tag.replace(XS, "")
            if kind in ("include", "import"):
                self._load(node.get("schemaLocation"), parser)
            elif node.get("name"):
                key = (kind, node.get("name"))
                if key in self.globals:
                    raise Unsupported(f"{kind} {node.get('name')} is declared twice ({file})")
                self.globals[key] = node

    def get(self, kind: str, name: str) -> etree._Element:
        try:
            return self.globals[(kind, local_name(name))]
        except KeyError:
            raise Unsupported(f"no global {kind} named {name!r}") from None

    def fingerprint(self) -> str:
        """SHA-256 over the names and bytes of the files used, so stale data can be recognised."""
        digest = hashlib.sha256()
        for file in sorted(self.files):
            digest.update(file.encode() + b"\0" + (self.dir / file).read_bytes() + b"\0")
        return digest.hexdigest()


def local_name(qname: str) -> str:
    return qname.split(":", 1)[-1]


def is_builtin(qname: str) -> bool:
    return qname.startswith(("xsd:", "xs:"))


def occurs(node: etree._Element) -> tuple[int, int]:
    low = int(node.get("minOccurs", "1"))
    high = node.get("maxOccurs", "1")
    return low, UNBOUNDED if high == "unbounded" else int(high)


class Compiler:
    """Turns declarations into numbered, de-duplicated rule entries."""

    def __init__(self, schemas: SchemaSet) -> None:
        self.schemas = schemas
        self.types: list[dict] = []
        self.ids: dict[str, int] = {}
        self.named: dict[tuple[str, str], int] = {}
        self.active: set[str] = set()

    def intern(self, entry: dict) -> int:
        key = json.dumps(entry, sort_keys=True, separators=(",", ":"))
        if key not in self.ids:
            self.ids[key] = len(self.types)
            self.types.append(entry)
        return self.ids[key]

    # simple types -------------------------------------------------------------------------------
    def simple_by_name(self, qname: str) -> dict:
        if is_builtin(qname):
            return builtin(local_name(qname))
        return self.simple(self.schemas.get("simpleType", qname))

    def simple(self, node: etree._Element) -> dict:
        """Flatten a simpleType's restriction chain into one rule (facets of every level combined)."""
        body = next(c for c in node if isinstance(c.tag, str) and c.tag != XS + "annotation")
        kind = body.tag.replace(XS, "")
        if kind == "union":
            members = [self.intern(self.simple_by_name(n)) for n in body.get("memberTypes", "").split()]
            members += [self.intern(self.simple(c)) for c in body.findall(XS + "simpleType")]
            return {"k": "union", "of": members}
        if kind != "restriction":
            raise Unsupported(f"simpleType with {kind}")
        inline = body.find(XS + "simpleType")
        base = self.simple(inline) if inline is not None else self.simple_by_name(body.get("base"))
        return restrict(base, body)

    def simple_id(self, qname: str | None, inline: etree._Element | None) -> int:
        return self.intern(self.simple(inline) if inline is not None else self.simple_by_name(qname))

    # complex types ------------------------------------------------------------------------------
    def type_of(self, element: etree._Element) -> int:
        """The rule id of an element declaration's type (named, inline or anyType)."""
        qname = element.get("type")
        if qname:
            if is_builtin(qname):
                return self.intern(builtin(local_name(qname)) if local_name(qname) != "anyType" else {"k": "any"})
            if ("complexType", local_name(qname)) in self.schemas.globals:
                return self.named_complex(local_name(qname))
            return self.intern(self.simple_by_name(qname))
        inline_complex = element.find(XS + "complexType")
        if inline_complex is not None:
            return self.intern(self.complex(inline_complex))
        inline_simple = element.find(XS + "simpleType")
        if inline_simple is not None:
            return self.intern(self.simple(inline_simple))
        return self.intern({"k": "any"})

    def named_complex(self, name: str) -> int:
        if name in self.active:
            raise Unsupported(f"recursive complexType {name}")
        if ("complexType", name) not in self.named:
            self.active.add(name)
            entry = self.complex(self.schemas.get("complexType", name))
            self.active.discard(name)
            self.named[("complexType", name)] = self.intern(entry)
        return self.named[("complexType", name)]

    def complex(self, node: etree._Element) -> dict:
        if node.get("mixed") in ("true", "1"):
            raise Unsupported("mixed content")
        entry: dict = {}
        attrs = self.attributes(node)
        simple_content = node.find(XS + "simpleContent")
        if node.find(XS + "complexContent") is not None:
            raise Unsupported("complexContent")
        if simple_content is not None:
            entry["value"], inherited = self.simple_content(simple_content)
            attrs = inherited + attrs
        else:
            model = [c for c in node if c.tag in (XS + "sequence", XS + "choice", XS + "all", XS + "group")]
            if model:
                entry["model"] = self.particle(model[0])
        if attrs:
            entry["attrs"] = attrs
        check_names(entry)
        return entry

    def simple_content(self, node: etree._Element) -> tuple[int, list]:
        body = next(c for c in node if isinstance(c.tag, str) and c.tag != XS + "annotation")
        base = body.get("base")
        inherited: list = []
        if ("complexType", local_name(base)) in self.schemas.globals and not is_builtin(base):
            parent = self.types[self.named_complex(local_name(base))]
            value_rule, inherited = self.types[parent["value"]], list(parent.get("attrs", []))
        else:
            value_rule = self.simple_by_name(base)
        if body.tag == XS + "restriction":
            value_rule = restrict(value_rule, body)
        return self.intern(value_rule), inherited + self.attributes(body)

    def attributes(self, node: etree._Element) -> list:
        out = []
        for attr in node:
            if attr.tag == XS + "attributeGroup":
                out += self.attributes(self.schemas.get("attributeGroup", attr.get("ref")))
            elif attr.tag == XS + "attribute":
                if attr.get("ref"):
                    raise Unsupported("attribute ref")
                type_id = self.simple_id(attr.get("type", "xsd:string"), attr.find(XS + "simpleType"))
                out.append([attr.get("name"), type_id, 1 if attr.get("use") == "required" else 0])
            elif attr.tag == XS + "anyAttribute":
                raise Unsupported("anyAttribute")
        return out

    def particle(self, node: etree._Element):
        """``[name, type, min, max]`` for an element, ``{"seq"|"choice": [...], "min", "max"}`` for a group."""
        kind = node.tag.replace(XS, "")
        low, high = occurs(node)
        if kind == "element":
            if node.get("ref"):
                target = self.schemas.get("element", node.get("ref"))
                return [target.get("name"), self.type_of(target), low, high]
            return [node.get("name"), self.type_of(node), low, high]
        if kind == "group":
            group = self.schemas.get("group", node.get("ref"))
            inner = self.particle(next(c for c in group if c.tag in (XS + "sequence", XS + "choice")))
            return inner if (low, high) == (1, 1) else {**inner, "min": low, "max": high}
        if kind not in ("sequence", "choice", "all"):
            raise Unsupported(f"particle {kind}")
        if high != 1:
            raise Unsupported(f"repeated {kind}")
        children = [self.particle(c) for c in node if isinstance(c.tag, str) and c.tag != XS + "annotation"]
        group: dict = {"choice" if kind == "choice" else "seq": children}
        if low != 1:
            group["min"] = low
        return group


def restrict(base: dict, body: etree._Element) -> dict:
    """Apply one restriction step's facets to a flattened base rule."""
    rule = dict(base)
    enums = [f.get("value") for f in body.findall(XS + "enumeration")]
    if enums:
        rule["enum"] = enums
    patterns = [python_pattern(f.get("value")) for f in body.findall(XS + "pattern")]
    if patterns:
        joined = patterns[0] if len(patterns) == 1 else "|".join(f"(?:{p})" for p in patterns)
        rule["pat"] = [*rule.get("pat", []), joined]
    for facet in body:
        key = _FACET_KEYS.get(facet.tag.replace(XS, "")) if isinstance(facet.tag, str) else None
        if key:
            rule[key] = facet.get("value")
    whitespace = body.find(XS + "whiteSpace")
    if whitespace is not None:
        rule["ws"] = whitespace.get("value")
    for key in ("len", "minLen", "maxLen", "digits", "frac"):
        if key in rule:
            rule[key] = int(rule[key])
    return rule


def model_elements(particle) -> list[list]:
    if isinstance(particle, list):
        return [particle]
    return [e for child in particle.get("seq", particle.get("choice", [])) for e in model_elements(child)]


def check_names(entry: dict) -> None:
    """Refuse a type whose children or attributes would share one JSON name (the JSON is flat)."""
    names = [json_name(e[0]) for e in model_elements(entry["model"])] if "model" in entry else []
    names += [json_name(a[0]) for a in entry.get("attrs", [])]
    if "value" in entry:
        names.append("value")
    duplicates = sorted({n for n in names if names.count(n) > 1})
    if duplicates:
        raise Unsupported(f"JSON name collision {duplicates} in {entry}")


def generate(xsd_dir: Path) -> str:
    """The text of rules.json for the XSD set in ``xsd_dir``."""
    schemas = SchemaSet(xsd_dir, ROOTS)
    compiler = Compiler(schemas)
    roots = {name: compiler.type_of(schemas.get("element", name)) for name in ROOTS}
    product = compiler.types[roots["Product"]]
    product_data = next(e for e in model_elements(product["model"]) if e[0] == "ProductData")
    elements = [e[0] for e in model_elements(compiler.types[product_data[1]]["model"])]
    for display, targets in DISPLAY_CATEGORIES.items():
        missing = [t for t in targets if t not in elements]
        if missing:
            raise Unsupported(f"category {display!r} maps to unknown ProductData elements {missing}")
    head = {
        "about": "Generated by scripts/gen_feed_rules.py from Amazon's MWS feed XSDs; do not edit by hand.",
        "xsdSha256": schemas.fingerprint(),
        "files": len(schemas.files),
        "roots": roots,
        "categoryElements": elements,
    }
    return render(head, DISPLAY_CATEGORIES, compiler.types)


def render(head: dict, display: dict, types: list[dict]) -> str:
    """One JSON document, one short line per entry, so regenerated data diffs line by line."""
    compact = {"sort_keys": True, "separators": (",", ":")}
    lines = [f" {json.dumps(k)}: {json.dumps(v, **compact)}," for k, v in head.items()]
    lines.append(' "displayCategories": {')
    lines.append(",\n".join(f"  {json.dumps(k)}: {json.dumps(v)}" for k, v in display.items()))
    lines.append(" },")
    lines.append(' "types": [')
    lines.append(",\n".join(json.dumps(t, **compact) for t in types))
    lines.append(" ]")
    return "{\n" + "\n".join(lines) + "\n}\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--xsd-dir", type=Path, default=DEFAULT_XSD_DIR, help="folder holding amzn-envelope.xsd etc.")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="where to write rules.json")
    parser.add_argument("--check", action="store_true", help="exit 1 if --out differs from the generated text")
    args = parser.parse_args(argv)
    if not (args.xsd_dir / "Product.xsd").is_file():
        print(f"gen_feed_rules: no Product.xsd in {args.xsd_dir}; pass --xsd-dir", file=sys.stderr)
        return 2
    text = generate(args.xsd_dir)
    if args.check:
        same = args.out.is_file() and args.out.read_text(encoding="utf-8") == text
        print(f"{args.out}: {'up to date' if same else 'STALE - rerun scripts/gen_feed_rules.py'}")
        return 0 if same else 1
    args.out.write_text(text, encoding="utf-8")
    print(f"wrote {args.out} ({len(text):,} bytes, {text.count(chr(10)):,} lines)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
