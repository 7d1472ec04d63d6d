"""SP-API (Orders 2026-01-01) orders and items to exactly the JSON the MWS path emits.

Output: ``schemas/list_orders.out.json`` (one order) and ``schemas/list_order_items.out.json``
(``orderItems`` entries), the same as ``lib.orders.convert`` makes from MWS. Money stays
``{currencyCode, amount}`` with the amount as exact decimal text. Fields with no value are left
out, as MWS leaves out absent elements. ``[DATASET]`` names the ``includedData`` an SP-API field
comes with; ``BUYER``, ``RECIPIENT`` and ``TAX`` are personal data, sent only with a restricted
data token (``lib.spapi.tokens``): without one, the fields marked (PII) are withheld.

Orders (SP-API ``Order`` -> ``list_orders.out.json``):

=============================================================  ==================================================
SP-API                                                         ours
=============================================================  ==================================================
orderId                                                        amazonOrderId
orderAliases[aliasType=SELLER_ORDER_ID].aliasId                sellerOrderId
createdTime                                                    purchaseDate
lastUpdatedTime                                                lastUpdateDate
fulfillment.fulfillmentStatus [FULFILLMENT]                    orderStatus: PENDING_AVAILABILITY->PendingAvailability,
                                                               PENDING->Pending, UNSHIPPED->Unshipped,
                                                               PARTIALLY_SHIPPED->PartiallyShipped, SHIPPED->Shipped,
                                                               CANCELLED->Canceled, UNFULFILLABLE->Unfulfillable
                                                               (InvoiceUnconfirmed: no SP-API status, never emitted)
fulfillment.fulfilledBy [FULFILLMENT]                          fulfillmentChannel: AMAZON->AFN, MERCHANT->MFN
fulfillment.fulfillmentServiceLevel [FULFILLMENT]              shipmentServiceLevelCategory: EXPEDITED->Expedited,
                                                               FREE_ECONOMY->FreeEconomy, NEXT_DAY->NextDay,
                                                               SAME_DAY->SameDay, SECOND_DAY->SecondDay,
                                                               SCHEDULED->Scheduled, STANDARD->Standard
                                                               (PRIORITY: no counterpart, left out)
fulfillment.shipByWindow.earliest/latestDateTime               earliestShipDate / latestShipDate
fulfillment.deliverByWindow.earliest/latestDateTime            earliestDeliveryDate / latestDeliveryDate
salesChannel.marketplaceId                                     marketplaceId
salesChannel.marketplaceName (channelName AMAZON)              salesChannel ("Non-Amazon" for NON_AMAZON)
proceeds.grandTotal [PROCEEDS]                                 orderTotal
sum of orderItems[].fulfillment.quantityFulfilled              numberOfItemsShipped
sum of orderItems[].fulfillment.quantityUnfulfilled            numberOfItemsUnshipped
payment.paymentExecutions[] [PAYMENT]                          paymentExecutionDetail [{payment: paymentAmount,
                                                               paymentMethod}], paymentMethodDetails (the methods),
                                                               paymentMethod (COD, CVS, else Other)
programs PRIME / AMAZON_BUSINESS / PREMIUM                     isPrime / isBusinessOrder / isPremiumOrder (booleans)
programs PREORDER                                              orderType Preorder (else StandardOrder)
associatedOrders[REPLACEMENT_ORIGINAL_ID].orderId              replacedOrderId, isReplacementOrder (boolean)
buyer.buyerName / buyerEmail (PII) [BUYER]                     buyerName / buyerEmail
buyer.buyerPurchaseOrderNumber (PII) [BUYER]                   purchaseOrderNumber
recipient.deliveryAddress (PII) [RECIPIENT]                    shippingAddress: name, addressLine1-3, city,
                                                               districtOrCounty->county, stateOrRegion,
                                                               municipality, postalCode, countryCode, phone,
                                                               addressType RESIDENTIAL->Residential,
                                                               COMMERCIAL->Commercial
recipient.deliveryAddress.addressType PICKUP_POINT (PII)       isAccessPointOrder true (otherwise false)
tax.taxRegistrations[entityType=BUYER] (PII) [TAX]             buyerTaxInfo {companyLegalName: legalName,
                                                               taxClassifications [{name: taxRegistrationType,
                                                               value: taxRegistrationNumber}]}
=============================================================  ==================================================

No counterpart on SP-API (never emitted there): orderChannel, shipServiceLevel, buyerCounty, district,
defaultShipFromLocationAddress, shippedByAmazonTfm, tfmShipmentStatus, easyShipShipmentStatus,
cbaDisplayableShippingLabel, isGlobalExpressEnabled, promiseResponseDueDate, isEstimatedShipDateSet,
isSoldByAb, isIba, orderType SourcingOnDemandOrder, orderStatus InvoiceUnconfirmed. No counterpart on
our side (dropped): salesChannel.channelName beyond Non-Amazon, programs other than the four above
(AMAZON_BAZAAR, AMAZON_EASY_SHIP, AMAZON_HAUL, DELIVERY_BY_AMAZON, FBM_SHIP_PLUS, INVOICE_BY_AMAZON,
IN_STORE_PICK_UP), associatedOrders EXCHANGE_ORIGINAL_ID, buyer.buyerCompanyName, deliveryAddress
companyName and extendedFields, recipient.deliveryPreference, proceeds.breakdowns, fulfillment
labelPrintingWindow, packages, fulfillmentOrders, payment acquirerId/cardBrand/authorizationCode,
tax.taxInvoicing, other tax registrations.

Items (SP-API ``OrderItem`` -> an entry of ``orderItems``):

=============================================================  ==================================================
SP-API                                                         ours
=============================================================  ==================================================
orderItemId / quantityOrdered                                  orderItemId / quantityOrdered
product.asin / sellerSku / title                               asin / sellerSku / title
fulfillment.quantityFulfilled [FULFILLMENT]                    quantityShipped
proceeds.breakdowns[type=ITEM].subtotal [PROCEEDS]             itemPrice (unit price x quantity, as MWS); without
                                                               it, product.price.unitPrice x quantityOrdered
proceeds.breakdowns[SHIPPING / GIFT_WRAP / COD_FEE].subtotal   shippingPrice / giftWrapPrice / codFee
breakdowns[TAX].detailedBreakdowns[ITEM/SHIPPING/GIFT_WRAP/    itemTax / shippingTax / giftWrapTax /
DISCOUNT]                                                      promotionDiscountTax (a TAX without details: itemTax)
breakdowns[DISCOUNT].detailedBreakdowns[ITEM / SHIPPING]       promotionDiscount / shippingDiscount (a DISCOUNT
                                                               without details: promotionDiscount); amounts
                                                               without sign, as MWS reports discounts
expense.pointsCost.pointsGranted [EXPENSE]                     pointsGranted {pointsNumber, pointsMonetaryValue}
promotion.breakdowns[].promotionId [PROMOTION]                 promotionIds
fulfillment.packing.giftOption [FULFILLMENT]                   isGift (false without it), giftMessageText,
                                                               giftWrapLevel
product.condition.conditionType                                conditionId: NEW->New, USED->Used,
                                                               COLLECTIBLE->Collectible, REFURBISHED->Refurbished,
                                                               PREORDER->Preorder, CLUB->Club
product.condition.conditionSubtype / conditionNote             conditionSubtypeId (VERY_GOOD->VeryGood, OEM->OEM,
                                                               ...) / conditionNote
fulfillment.shipping.scheduledDeliveryWindow                   scheduledDeliveryStartDate / EndDate
product.price.priceDesignation BUSINESS_PRICE                  priceDesignation BusinessPrice
product.customization.customizedUrl                            buyerCustomizedInfo.customizedUrl
tax.taxCollections[0] {model, responsibleParty}                taxCollection (MARKETPLACE_FACILITATOR ->
                                                               MarketplaceFacilitator)
fulfillment.packing.serialNumberRequirement REQUIRED           serialNumberRequired true
programs TRANSPARENCY                                          isTransparency (boolean)
fulfillment.shipping.internationalShipping.iossNumber          iossNumber
=============================================================  ==================================================

No counterpart on SP-API: productInfo.numberOfItems, invoiceData, shippingDiscountTax, codFeeDiscount.
Dropped: measurement, associatedOrderItems, programs SUBSCRIBE_AND_SAVE, product.serialNumbers,
cancellation, fulfillment.picking (substitutions), shippingConstraints, tax.taxCalculationBreakdowns,
proceeds.proceedsTotal (the sum of the breakdowns).
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

STATUSES = {"PENDING_AVAILABILITY": "PendingAvailability", "PENDING": "Pending", "UNSHIPPED": "Unshipped",
            "PARTIALLY_SHIPPED": "PartiallyShipped", "SHIPPED": "Shipped", "CANCELLED": "Canceled",
            "UNFULFILLABLE": "Unfulfillable"}
STATUS_FILTER = {ours: theirs for theirs, ours in STATUSES.items()}  # our status -> fulfillmentStatuses value
CHANNELS = {"AMAZON": "AFN", "MERCHANT": "MFN"}
CHANNEL_FILTER = {ours: theirs for theirs, ours in CHANNELS.items()}  # AFN/MFN -> fulfilledBy value
SERVICE_LEVELS = {"EXPEDITED": "Expedited", "FREE_ECONOMY": "FreeEconomy", "NEXT_DAY": "NextDay",
                  "SAME_DAY": "SameDay", "SECOND_DAY": "SecondDay", "SCHEDULED": "Scheduled", "STANDARD": "Standard"}
ADDRESS_TYPES = {"RESIDENTIAL": "Residential", "COMMERCIAL": "Commercial"}
CONDITIONS = {"NEW": "New", "USED": "Used", "COLLECTIBLE": "Collectible", "REFURBISHED": "Refurbished",
              "PREORDER": "Preorder", "CLUB": "Club"}
SUBTYPE_SPELLING = {"OEM": "OEM"}
ADDRESS_FIELDS = {"name": "name", "addressLine1": "addressLine1", "addressLine2": "addressLine2",
                  "addressLine3": "addressLine3", "city": "city", "districtOrCounty": "county",
                  "stateOrRegion": "stateOrRegion", "municipality": "municipality", "postalCode": "postalCode",
                  "countryCode": "countryCode", "phone": "phone"}
PRICES = {"ITEM": "itemPrice", "SHIPPING": "shippingPrice", "GIFT_WRAP": "giftWrapPrice", "COD_FEE": "codFee"}
TAXES = {"ITEM": "itemTax", "SHIPPING": "shippingTax", "GIFT_WRAP": "giftWrapTax", "DISCOUNT": "promotionDiscountTax"}
DISCOUNTS = {"ITEM": "promotionDiscount", "SHIPPING": "shippingDiscount"}


def camel(value: str) -> str:
    """``VERY_GOOD`` -> ``VeryGood`` (Amazon's MWS spelling of the same enum values)."""
    return SUBTYPE_SPELLING.get(value) or "".join(w.capitalize() for w in value.split("_"))


def _dig(data: Any, *path: str) -> Any:
    for key in path:
        data = data.get(key) if isinstance(data, dict) else None
    return data


def _list(value: Any) -> list:
    return value if isinstance(value, list) else []


def _compact(data: dict) -> dict:
    """Without the fields that have no value (None, "", {} or []), as MWS omits absent elements."""
    return {k: v for k, v in data.items() if v not in (None, "", {}, [])}


def money(value: Any, unsigned: bool = False) -> dict | None:
    """``{currencyCode, amount}`` with the amount as exact decimal text (numbers are not floated)."""
    if not isinstance(value, dict) or value.get("amount") is None:
        return None
    amount = str(value["amount"]).strip()
    if unsigned:
        amount = amount.lstrip("-")
    return _compact({"currencyCode": value.get("currencyCode"), "amount": amount})


def _window(window: Any, start: str, end: str) -> dict:
    return {start: _dig(window, "earliestDateTime"), end: _dig(window, "latestDateTime")}


def _address(address: Any) -> dict | None:
    if not isinstance(address, dict):
        return None
    out = {ours: address.get(theirs) for theirs, ours in ADDRESS_FIELDS.items()}
    out["addressType"] = ADDRESS_TYPES.get(address.get("addressType"))
    return _compact(out) or None


def _alias(order: dict, kind: str) -> str | None:
    return next((a.get("aliasId") for a in _list(order.get("orderAliases")) if _dig(a, "aliasType") == kind), None)


def _replaced(order: dict) -> str | None:
    return next((a.get("orderId") for a in _list(order.get("associatedOrders"))
                 if _dig(a, "associationType") == "REPLACEMENT_ORIGINAL_ID"), None)


def _item_counts(order: dict) -> dict:
    counted = [i.get("fulfillment") for i in _list(order.get("orderItems")) if isinstance(i, dict)]
    counted = [f for f in counted if isinstance(f, dict)]
    if not counted:
        return {}
    return {"numberOfItemsShipped": sum(int(f.get("quantityFulfilled") or 0) for f in counted),
            "numberOfItemsUnshipped": sum(int(f.get("quantityUnfulfilled") or 0) for f in counted)}


def _payment(order: dict) -> dict:
    executions = [e for e in _list(_dig(order, "payment", "paymentExecutions")) if isinstance(e, dict)]
    methods = [e["paymentMethod"] for e in executions if e.get("paymentMethod")]
    if not executions:
        return {}
    method = next((m for m in ("COD", "CVS") if m in methods), "Other")
    detail = [_compact({"payment": money(e.get("paymentAmount")), "paymentMethod": e.get("paymentMethod")})
              for e in executions]
    return {"paymentExecutionDetail": detail, "paymentMethod": method, "paymentMethodDetails": methods}


def _buyer(order: dict) -> dict:
    buyer = order.get("buyer") if isinstance(order.get("buyer"), dict) else {}
    out = {"buyerName": buyer.get("buyerName"), "buyerEmail": buyer.get("buyerEmail"),
           "purchaseOrderNumber": buyer.get("buyerPurchaseOrderNumber")}
    registration = next((r for r in _list(_dig(order, "tax", "taxRegistrations"))
                         if _dig(r, "entityType") == "BUYER"), None)
    if registration:
        classes = [_compact({"name": registration.get("taxRegistrationType"),
                             "value": registration.get("taxRegistrationNumber")})]
        out["buyerTaxInfo"] = _compact({"companyLegalName": registration.get("legalName"),
                                        "taxClassifications": [c for c in classes if c]})
    return out


def _recipient(order: dict) -> dict:
    address = _dig(order, "recipient", "deliveryAddress")
    if not isinstance(address, dict):
        return {}
    return {"shippingAddress": _address(address), "isAccessPointOrder": address.get("addressType") == "PICKUP_POINT"}


def _sales_channel(order: dict) -> str | None:
    channel = order.get("salesChannel") if isinstance(order.get("salesChannel"), dict) else {}
    return "Non-Amazon" if channel.get("channelName") == "NON_AMAZON" else channel.get("marketplaceName")


def order_json(order: dict) -> dict:
    """One SP-API order as ``list_orders.out.json``."""
    fulfillment = order.get("fulfillment") if isinstance(order.get("fulfillment"), dict) else {}
    programs = set(_list(order.get("programs")))
    out = {
        "amazonOrderId": order.get("orderId"),
        "sellerOrderId": _alias(order, "SELLER_ORDER_ID"),
        "purchaseDate": order.get("createdTime"),
        "lastUpdateDate": order.get("lastUpdatedTime"),
        "orderStatus": STATUSES.get(fulfillment.get("fulfillmentStatus")),
        "fulfillmentChannel": CHANNELS.get(fulfillment.get("fulfilledBy")),
        "salesChannel": _sales_channel(order),
        "marketplaceId": _dig(order, "salesChannel", "marketplaceId"),
        "shipmentServiceLevelCategory": SERVICE_LEVELS.get(fulfillment.get("fulfillmentServiceLevel")),
        **_window(fulfillment.get("shipByWindow"), "earliestShipDate", "latestShipDate"),
        **_window(fulfillment.get("deliverByWindow"), "earliestDeliveryDate", "latestDeliveryDate"),
        "orderTotal": money(_dig(order, "proceeds", "grandTotal")),
        **_item_counts(order),
        **_payment(order),
        "orderType": "Preorder" if "PREORDER" in programs else "StandardOrder",
        "isPrime": "PRIME" in programs,
        "isBusinessOrder": "AMAZON_BUSINESS" in programs,
        "isPremiumOrder": "PREMIUM" in programs,
        "replacedOrderId": _replaced(order),
        "isReplacementOrder": _replaced(order) is not None,
        **_buyer(order),
        **_recipient(order),
    }
    return _compact(out)


# ---------------------------------------------------------------- items

def _breakdown(item: dict, kind: str) -> dict | None:
    return next((b for b in _list(_dig(item, "proceeds", "breakdowns")) if _dig(b, "type") == kind), None)


def _details(breakdown: dict | None, names: dict[str, str], whole: str, unsigned: bool = False) -> dict:
    """A breakdown's detailed parts under our names; without details, the whole under ``whole``."""
    if not breakdown:
        return {}
    parts = [d for d in _list(breakdown.get("detailedBreakdowns")) if isinstance(d, dict)]
    if not parts:
        return {whole: money(breakdown.get("subtotal"), unsigned)}
    return {names[d["subtype"]]: money(d.get("value"), unsigned) for d in parts if d.get("subtype") in names}


def _unit_total(item: dict) -> dict | None:
    unit = money(_dig(item, "product", "price", "unitPrice"))
    try:
        total = Decimal(unit["amount"]) * int(item.get("quantityOrdered") or 0) if unit else None
    except (InvalidOperation, ValueError, TypeError):
        return None
    return None if total is None else {**unit, "amount": str(total)}


def _prices(item: dict) -> dict:
    out = {ours: money(_dig(_breakdown(item, kind), "subtotal")) for kind, ours in PRICES.items()}
    out["itemPrice"] = out["itemPrice"] or _unit_total(item)
    out.update(_details(_breakdown(item, "TAX"), TAXES, "itemTax"))
    out.update(_details(_breakdown(item, "DISCOUNT"), DISCOUNTS, "promotionDiscount", unsigned=True))
    return out


def _points(item: dict) -> dict | None:
    granted = _dig(item, "expense", "pointsCost", "pointsGranted")
    if not isinstance(granted, dict):
        return None
    return _compact({"pointsNumber": granted.get("pointsNumber"),
                     "pointsMonetaryValue": money(granted.get("pointsMonetaryValue"))})


def _gift(item: dict) -> dict:
    gift = _dig(item, "fulfillment", "packing", "giftOption")
    if not isinstance(gift, dict):
        return {"isGift": False} if isinstance(item.get("fulfillment"), dict) else {}  # known only with FULFILLMENT
    return {"isGift": True, "giftMessageText": gift.get("giftMessage"), "giftWrapLevel": gift.get("giftWrapLevel")}


def _condition(item: dict) -> dict:
    condition = _dig(item, "product", "condition") or {}
    subtype = _dig(condition, "conditionSubtype")
    return {"conditionId": CONDITIONS.get(_dig(condition, "conditionType")),
            "conditionSubtypeId": camel(subtype) if isinstance(subtype, str) and subtype else None,
            "conditionNote": _dig(condition, "conditionNote")}


def _tax_collection(item: dict) -> dict | None:
    first = next(iter(_list(_dig(item, "tax", "taxCollections"))), None)
    if not isinstance(first, dict):
        return None
    model = first.get("model")
    return _compact({"model": camel(model) if isinstance(model, str) else None,
                     "responsibleParty": first.get("responsibleParty")})


def item_json(item: dict) -> dict:
    """One SP-API order item as an entry of ``list_order_items.out.json``'s ``orderItems``."""
    product = item.get("product") if isinstance(item.get("product"), dict) else {}
    shipping = _dig(item, "fulfillment", "shipping") or {}
    designation = _dig(product, "price", "priceDesignation")
    out = {
        "orderItemId": item.get("orderItemId"),
        "asin": product.get("asin"),
        "sellerSku": product.get("sellerSku"),
        "title": product.get("title"),
        "quantityOrdered": item.get("quantityOrdered"),
        "quantityShipped": _dig(item, "fulfillment", "quantityFulfilled"),
        "pointsGranted": _points(item),
        **_prices(item),
        "promotionIds": [b["promotionId"] for b in _list(_dig(item, "promotion", "breakdowns"))
                         if isinstance(b, dict) and b.get("promotionId")],
        **_gift(item),
        **_condition(item),
        **_window(_dig(shipping, "scheduledDeliveryWindow"), "scheduledDeliveryStartDate",
                  "scheduledDeliveryEndDate"),
        "priceDesignation": camel(designation) if isinstance(designation, str) else None,
        "buyerCustomizedInfo": _compact({"customizedUrl": _dig(product, "customization", "customizedUrl")}),
        "taxCollection": _tax_collection(item),
        "serialNumberRequired": (_dig(item, "fulfillment", "packing", "serialNumberRequirement", "requirementType")
                                 == "REQUIRED") or None,
        "isTransparency": "TRANSPARENCY" in _list(item.get("programs")),
        "iossNumber": _dig(shipping, "internationalShipping", "iossNumber"),
    }
    return _compact(out)
