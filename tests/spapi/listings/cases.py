"""One input per feed action (the MWS actions' own JSON), shared by the mapping and document tests."""

SALE = {"startDate": "2026-02-01T00:00:00Z", "endDate": "2026-03-01T00:00:00Z",
        "salePrice": {"value": 8.5, "currency": "USD"}}
CASES = {
    "inventory": ("inventory", "Update", None, {"items": [
        {"sku": "SKU-1", "quantity": 7, "fulfillmentLatency": 3},
        {"sku": "SKU-2", "available": False},
        {"sku": "SKU-3", "lookup": "FulfillmentNetwork"}]}),
    "price": ("price", "Update", None, {"items": [
        {"sku": "SKU-1", "standardPrice": {"value": 19.99, "currency": "USD"}, "sale": SALE,
         "minimumSellerAllowedPrice": {"value": "10.00", "currency": "USD"},
         "maximumSellerAllowedPrice": {"value": "30", "currency": "USD"}},
        {"sku": "SKU-2", "standardPrice": {"value": 5, "currency": "USD"}}]}),
    "image": ("image", "Update", None, {"items": [
        {"sku": "SKU-1", "imageType": "Main", "imageLocation": "https://img.example.com/1.jpg"},
        {"sku": "SKU-1", "imageType": "PT3", "imageLocation": "https://img.example.com/1-3.jpg"},
        {"sku": "SKU-2", "imageType": "Swatch", "imageLocation": "https://img.example.com/2s.jpg"}]}),
    "image-delete": ("image", "Delete", None, {"items": [
        {"sku": "SKU-1", "imageType": "PT8"}, {"sku": "SKU-2", "imageType": "Main"}]}),
    "relationship": ("relationship", "Update", None, {"parentSku": "PARENT-1", "variationTheme": "SizeColor",
                                                      "relation": [{"sku": "CHILD-1", "type": "Variation"},
                                                                   {"sku": "CHILD-2", "type": "Variation"}]}),
    "relationship-delete": ("relationship", "Delete", None, {"parentSku": "PARENT-1",
                                                            "relation": [{"sku": "CHILD-1", "type": "Variation"}]}),
    "product": ("product", "Update", "Beauty", {"items": [
        {"sku": "SKU-1", "standardProductId": {"type": "UPC", "value": "012345678905"},
         "condition": {"conditionType": "New"},
         "descriptionData": {"title": "Rose face cream", "brand": "Acme", "bulletPoint": ["Soft", "Rosy"]},
         "productData": {"beauty": {}}},
        {"sku": "SKU-2", "descriptionData": {"title": "Lip balm", "brand": "Acme"},
         "attributes": {"bullet_point": [{"value": "Own", "marketplace_id": "ATVPDKIKX0DER"}]}}]}),
    "product-partial": ("product", "PartialUpdate", "Beauty", {"sku": "SKU-1",
                                                              "descriptionData": {"title": "New name"}}),
    "product-delete": ("product", "Delete", "Beauty", {"items": [{"sku": "SKU-1"}, {"sku": "SKU-2"}]}),
}
