"""Realistic per-marketplace data for seeding: names, addresses, channels, tax and currency.

Unicode on purpose (Québec, São Paulo, Mérida, Łukasz): clients must survive it. Kept as data so
``seeding`` stays short.
"""

from __future__ import annotations

from decimal import Decimal

LOCALES: dict[str, dict] = {
    "ATVPDKIKX0DER": {
        "country": "US", "currency": "USD", "rate": Decimal("1"), "tax": Decimal("0.0825"),
        "channel": "Amazon.com", "email": "marketplace.amazon.com", "prefixes": ("111", "112", "113", "114"),
        "levels": ("Std US D2D Dom", "Expedited US D2D Dom", "SecondDay", "NextDay"),
        "names": ("Emily Johnson", "José García", "Zoë Müller", "Chloé Nguyen", "Renée O'Brien",
                  "Łukasz Nowak", "Siobhán Kelly", "DeShawn Williams"),
        "streets": ("1234 Pike St", "77 Elm Street Apt 4B", "500 Ocean Dr", "9 Rue Cañada Rd"),
        "cities": (("Seattle", "WA", "98101"), ("Austin", "TX", "78701"), ("Brooklyn", "NY", "11201"),
                   ("San José", "CA", "95112"), ("Miami", "FL", "33139")),
        "phone": "+1 206-555-{:04d}",
    },
    "A2EUQ1WTGCTBG2": {
        "country": "CA", "currency": "CAD", "rate": Decimal("1.36"), "tax": Decimal("0.13"),
        "channel": "Amazon.ca", "email": "marketplace.amazon.ca", "prefixes": ("701", "702"),
        "levels": ("Std CA Domestic", "Exp CA Domestic"),
        "names": ("Éloïse Tremblay", "François Gagnon", "Amélie Côté", "Noah Smith", "Zoé Bélanger"),
        "streets": ("1234 rue Sainte-Catherine O", "88 chemin de la Côte-des-Neiges", "12 Queen St W"),
        "cities": (("Montréal", "QC", "H2X 1Y4"), ("Québec", "QC", "G1R 4P5"), ("Toronto", "ON", "M5V 2T6"),
                   ("Vancouver", "BC", "V6B 1A1")),
        "phone": "+1 514-555-{:04d}",
    },
    "A1AM78C64UM0Y8": {
        "country": "MX", "currency": "MXN", "rate": Decimal("17.1"), "tax": Decimal("0.16"),
        "channel": "Amazon.com.mx", "email": "marketplace.amazon.com.mx", "prefixes": ("701", "702"),
        "levels": ("Std MX Dom", "Exp MX Dom"),
        "names": ("María José Hernández", "Begoña Ruíz", "Andrés López", "Sofía Martínez", "Ñuño Peña"),
        "streets": ("Av. Álvaro Obregón 123", "Calle Niños Héroes 45 Int. 3", "Paseo de la Reforma 222"),
        "cities": (("Ciudad de México", "CDMX", "06700"), ("Guadalajara", "Jalisco", "44100"),
                   ("Monterrey", "Nuevo León", "64000"), ("Mérida", "Yucatán", "97000")),
        "phone": "+52 55 5555 {:04d}",
    },
    "A2Q3Y263D00KWC": {
        "country": "BR", "currency": "BRL", "rate": Decimal("5.05"), "tax": Decimal("0"),
        "channel": "Amazon.com.br", "email": "marketplace.amazon.com.br", "prefixes": ("701", "702"),
        "levels": ("Std BR Dom", "Exp BR Dom"),
        "names": ("João Conceição", "Ana Luíza Araújo", "Gonçalo Simões", "Lívia Magalhães"),
        "streets": ("Rua Augusta, 1500", "Avenida Paulista, 900 - Bela Vista", "Rua das Flores, 12"),
        "cities": (("São Paulo", "SP", "01310-100"), ("Florianópolis", "SC", "88010-000"),
                   ("Brasília", "DF", "70040-010"), ("Belém", "PA", "66010-000")),
        "phone": "+55 11 95555-{:04d}",
    },
}

MARKETPLACE_WEIGHTS = {"ATVPDKIKX0DER": 60, "A2EUQ1WTGCTBG2": 20, "A1AM78C64UM0Y8": 12, "A2Q3Y263D00KWC": 8}

# Non-retail participation seen in real ListMarketplaceParticipations answers (mws.md §2).
IBA = {"marketplace_id": "A6W85IYQ5WB1C", "country": "US", "domain": "iba.login.amazon.com", "name": "IBA",
       "currency": "USD", "language": "en_US", "retail": False}

PRODUCTS = (
    ("Café Bustelo Espresso Ground Coffee", ("283 g", "1 kg")),
    ("Crème Brûlée Torch Kit", ("Silver", "Black")),
    ("Bio Müsli Nüsse & Früchte", ("750 g",)),
    ("Jalapeño Hot Sauce", ("3-Pack", "6-Pack")),
    ("抹茶 Matcha Green Tea Powder", ("100 g", "30 g")),
    ("B&W Ceramic Coffee Mug", ("11 oz", "15 oz")),
    ("Stainless Steel Water Bottle", ("500 ml", "750 ml", "1 l")),
    ("Merino Wool Socks", ("S", "M", "L")),
    ("USB-C Charging Cable", ("1 m", "2 m")),
    ("Bamboo Cutting Board", ("Small", "Large")),
    ("LED Desk Lamp", ("White", "Black")),
    ("Yoga Mat – Non-Slip", ("Purple", "Teal")),
    ("Piñata Party Set", ("Star",)),
    ("Noise-Cancelling Earbuds", ("Black", "White")),
    ("Cast Iron Skillet", ("10 in", "12 in")),
)

BRANDS = ("Acme", "Nordlicht", "Casa Sol", "Maple & Co", "Kōgei")
