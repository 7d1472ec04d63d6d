"""The marketplaces the seeded sellers sell in: id and country from mws.md §2 (docs DG_Endpoints),
name, domain, currency and language as ListMarketplaceParticipations reports them (mws.md §5).

The sandbox's own table; the client keeps another (``lib/mws/data/marketplaces.json``) and
tests/sandbox/test_oracle_agreement.py checks that the two agree on every id both know.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Marketplace:
    id: str
    country: str
    name: str
    domain: str
    currency: str
    language: str


MARKETPLACES = {m.id: m for m in (
    # North America
    Marketplace("ATVPDKIKX0DER", "US", "Amazon.com", "www.amazon.com", "USD", "en_US"),
    Marketplace("A2EUQ1WTGCTBG2", "CA", "Amazon.ca", "www.amazon.ca", "CAD", "en_CA"),
    Marketplace("A1AM78C64UM0Y8", "MX", "Amazon.com.mx", "www.amazon.com.mx", "MXN", "es_MX"),
    Marketplace("A2Q3Y263D00KWC", "BR", "Amazon.com.br", "www.amazon.com.br", "BRL", "pt_BR"),
    # Europe
    Marketplace("A1PA6795UKMFR9", "DE", "Amazon.de", "www.amazon.de", "EUR", "de_DE"),
    Marketplace("A13V1IB3VIYZZH", "FR", "Amazon.fr", "www.amazon.fr", "EUR", "fr_FR"),
    Marketplace("APJ6JRA9NG5V4", "IT", "Amazon.it", "www.amazon.it", "EUR", "it_IT"),
    Marketplace("A1RKKUPIHCS9HS", "ES", "Amazon.es", "www.amazon.es", "EUR", "es_ES"),
    Marketplace("A1F83G8C2ARO7P", "GB", "Amazon.co.uk", "www.amazon.co.uk", "GBP", "en_GB"),
    Marketplace("A1805IZSGTT6HS", "NL", "Amazon.nl", "www.amazon.nl", "EUR", "nl_NL"),
    Marketplace("A2NODRKZP88ZB9", "SE", "Amazon.se", "www.amazon.se", "SEK", "sv_SE"),
    Marketplace("A1C3SOZRARQ6R3", "PL", "Amazon.pl", "www.amazon.pl", "PLN", "pl_PL"),
    Marketplace("AMEN7PMS3EDWL", "BE", "Amazon.com.be", "www.amazon.com.be", "EUR", "fr_BE"),
    Marketplace("A33AVAJ2PDY3EV", "TR", "Amazon.com.tr", "www.amazon.com.tr", "TRY", "tr_TR"),
)}
