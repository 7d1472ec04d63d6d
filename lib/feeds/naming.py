"""XSD element names to the JSON names users write (the issue's lowerCamelCase rule).

Acronyms count as one word, so ``SKU`` -> ``sku``, ``ParentSKU`` -> ``parentSku``,
``StandardProductID`` -> ``standardProductId``, ``MSRPWithTax`` -> ``msrpWithTax``. One function is
shared by the generator (which refuses a schema where two names collide) and the runtime, so the
committed data never has to store the JSON names.
"""

from __future__ import annotations

import re
from functools import cache

_WORDS = re.compile(r"[A-Z]+(?=[A-Z][a-z])|[A-Z]*[a-z]+|[A-Z]+|\d+")


@cache
def json_name(xml_name: str) -> str:
    """``ItemPackageQuantity`` -> ``itemPackageQuantity``; underscores and hyphens separate words."""
    words = _WORDS.findall(xml_name)
    if not words:
        return xml_name
    head, rest = words[0].lower(), words[1:]
    return head + "".join(w[:1].upper() + w[1:].lower() for w in rest)
