"""Reading Amazon's Finances and GetOrder answers: every GetOrder sample in ../shared/mws-samples, and a
ListFinancialEvents answer with the event types Amazon's Finances reference documents (the samples
folder holds no ListFinancialEvents response, so this one is written here, in Amazon's shape: element
order as in its reference example, amounts as CurrencyAmount before CurrencyCode, empty lists)."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from mws_component.lib.finances import events as ev
from mws_component.lib.mws.parsing import as_list, parse_xml, root
from mws_component.lib.orders.convert import order_json
from tests.conftest import SHARED, require_shared

SAMPLES = SHARED / "mws-samples"


def samples(marker: str) -> list[Path]:
    if not SAMPLES.is_dir():
        return []
    return sorted(p for p in SAMPLES.rglob("*.xml") if marker in p.read_text(encoding="utf-8", errors="replace"))


def result_of(body: bytes | str, action: str) -> dict:
    name, content = root(parse_xml(body))
    assert name == f"{action}Response"
    return content[f"{action}Result"]


@pytest.mark.parametrize("path", samples("<GetOrderResponse"), ids=lambda p: f"{p.parent.name}/{p.name}")
def test_every_getorder_sample_gives_orders_as_listorders_emits_them(path):
    require_shared(SAMPLES, "MWS samples")
    result = result_of(path.read_bytes(), "GetOrder")
    orders = [order_json(o) for o in as_list((result.get("Orders") or {}).get("Order"))]
    assert orders and all(o["amazonOrderId"] and o["orderStatus"] for o in orders)
    assert all(isinstance(o.get("paymentMethodDetails", []), list) for o in orders)


def test_the_samples_folder_has_the_getorder_samples_it_lists():
    require_shared(SAMPLES, "MWS samples")
    assert {p.name for p in samples("<GetOrderResponse")} == {
        "orders_get_order.xml", "MarketplaceWebServiceOrders__GetOrderResponse.xml"}


def _money(amount: str) -> str:
    return f"<CurrencyAmount>{amount}</CurrencyAmount><CurrencyCode>USD</CurrencyCode>"


def _charge(kind: str, amount: str) -> str:
    return f"<ChargeComponent><ChargeType>{kind}</ChargeType><ChargeAmount>{_money(amount)}</ChargeAmount></ChargeComponent>"


def _fee(kind: str, amount: str) -> str:
    return f"<FeeComponent><FeeType>{kind}</FeeType><FeeAmount>{_money(amount)}</FeeAmount></FeeComponent>"


FINANCES = f"""<?xml version="1.0"?>
<ListFinancialEventsResponse xmlns="http://mws.amazonservices.com/Finances/2015-05-01">
  <ListFinancialEventsResult>
    <NextToken>2YgYW55IGNhcm5hbCBwbGVhc3VyZS4=</NextToken>
    <FinancialEvents>
      <ShipmentEventList>
        <ShipmentEvent>
          <AmazonOrderId>333-7777777-7777777</AmazonOrderId>
          <SellerOrderId>333-7777777-7777777</SellerOrderId>
          <MarketplaceName>Amazon.com</MarketplaceName>
          <OrderChargeList>{_charge("Principal", "10.0")}</OrderChargeList>
          <ShipmentFeeList>{_fee("FBAStorageFee", "-1.00")}</ShipmentFeeList>
          <DirectPaymentList><DirectPayment><DirectPaymentType>StoredValueCardRevenue</DirectPaymentType>
            <DirectPaymentAmount>{_money("5.5")}</DirectPaymentAmount></DirectPayment></DirectPaymentList>
          <PostedDate>2013-09-07T02:00:00.000-06:00</PostedDate>
          <ShipmentItemList>
            <ShipmentItem>
              <SellerSKU>CBA_OTF_1</SellerSKU>
              <OrderItemId>6882857EXAMPLE</OrderItemId>
              <QuantityShipped>2</QuantityShipped>
              <ItemChargeList>{_charge("Principal", "30.00")}{_charge("Tax", "2.48")}</ItemChargeList>
              <ItemTaxWithheldList><TaxWithheldComponent><TaxCollectionModel>MarketplaceFacilitator</TaxCollectionModel>
                <TaxesWithheld>{_charge("MarketplaceFacilitatorTax-Principal", "-2.48")}</TaxesWithheld>
              </TaxWithheldComponent></ItemTaxWithheldList>
              <ItemFeeList>{_fee("Commission", "-4.50")}{_fee("FBAPerUnitFulfillmentFee", "-6.44")}</ItemFeeList>
              <PromotionList><Promotion><PromotionType>Shipping</PromotionType><PromotionId>FREESHIP</PromotionId>
                <PromotionAmount>{_money("-0.10")}</PromotionAmount></Promotion></PromotionList>
            </ShipmentItem>
          </ShipmentItemList>
        </ShipmentEvent>
      </ShipmentEventList>
      <RefundEventList>
        <ShipmentEvent>
          <AmazonOrderId>333-7777777-7777777</AmazonOrderId>
          <PostedDate>2013-09-09T02:00:00Z</PostedDate>
          <ShipmentItemAdjustmentList><ShipmentItem><SellerSKU>CBA_OTF_1</SellerSKU><OrderItemId>6882857EXAMPLE</OrderItemId>
            <OrderAdjustmentItemId>99999</OrderAdjustmentItemId><QuantityShipped>1</QuantityShipped>
            <ItemChargeAdjustmentList>{_charge("Principal", "-15.00")}</ItemChargeAdjustmentList>
            <ItemFeeAdjustmentList>{_fee("Commission", "2.25")}{_fee("RefundCommission", "-0.45")}</ItemFeeAdjustmentList>
          </ShipmentItem></ShipmentItemAdjustmentList>
        </ShipmentEvent>
      </RefundEventList>
      <GuaranteeClaimEventList/>
      <ChargebackEventList/>
      <PayWithAmazonEventList/>
      <ServiceProviderCreditEventList/>
      <RetrochargeEventList/>
      <RentalTransactionEventList/>
      <PerformanceBondRefundEventList/>
      <ServiceFeeEventList>
        <ServiceFeeEvent><FeeReason>Subscription</FeeReason><FeeList>{_fee("Subscription", "-39.99")}</FeeList>
          <FeeDescription>Subscription fee</FeeDescription></ServiceFeeEvent>
        <ServiceFeeEvent><AmazonOrderId>333-7777777-7777777</AmazonOrderId><FeeReason>Label</FeeReason>
          <FeeList>{_fee("LabelingFee", "-0.20")}</FeeList><SellerSKU>CBA_OTF_1</SellerSKU></ServiceFeeEvent>
      </ServiceFeeEventList>
      <DebtRecoveryEventList/>
      <LoanServicingEventList/>
      <AdjustmentEventList>
        <AdjustmentEvent><AdjustmentType>ReserveDebit</AdjustmentType><AdjustmentAmount>{_money("-100.00")}</AdjustmentAmount>
          <AdjustmentItemList><AdjustmentItem><Quantity>1</Quantity><PerUnitAmount>{_money("-100.00")}</PerUnitAmount>
            <TotalAmount>{_money("-100.00")}</TotalAmount><SellerSKU>CBA_OTF_1</SellerSKU></AdjustmentItem></AdjustmentItemList>
          <PostedDate>2013-09-10T00:00:00Z</PostedDate>
        </AdjustmentEvent>
      </AdjustmentEventList>
    </FinancialEvents>
  </ListFinancialEventsResult>
  <ResponseMetadata><RequestId>1105b931-6f1c-4480-8e97-f3b467840a9e</RequestId></ResponseMetadata>
</ListFinancialEventsResponse>"""


def test_events_are_grouped_per_order_and_orderless_ones_stand_alone():
    found = ev.read(result_of(FINANCES, "ListFinancialEvents"))
    assert [(e.list_name, e.order_id) for e in found] == [
        ("ShipmentEventList", "333-7777777-7777777"), ("RefundEventList", "333-7777777-7777777"),
        ("ServiceFeeEventList", None), ("ServiceFeeEventList", "333-7777777-7777777"), ("AdjustmentEventList", None)]
    order, fee, adjustment = ev.messages(found, "2013-09-01T00:00:00Z", "2013-09-11T00:00:00Z")
    assert (order["kind"], order["amazonOrderId"]) == ("order", "333-7777777-7777777")
    assert set(order["events"]) == {"shipmentEventList", "refundEventList", "serviceFeeEventList"}
    assert (fee["kind"], adjustment["kind"]) == ("serviceFee", "adjustment") and "amazonOrderId" not in fee
    assert fee["totals"] == [{"currencyCode": "USD", "amount": "-39.99"}]
    assert adjustment["totals"] == [{"currencyCode": "USD", "amount": "-100.00"}]  # item amounts not counted twice


def test_every_typed_amount_is_a_line_and_the_totals_are_their_exact_sum():
    (order, *_), = [ev.messages(ev.read(result_of(FINANCES, "ListFinancialEvents")), "a", "b")]
    got = [(x["event"], x["category"], x["type"], x["amount"], x.get("orderItemId")) for x in order["lines"]]
    item = "6882857EXAMPLE"
    assert got == [
        ("shipment", "charge", "Principal", "10.0", None), ("shipment", "fee", "FBAStorageFee", "-1.00", None),
        ("shipment", "directPayment", "StoredValueCardRevenue", "5.5", None),
        ("shipment", "charge", "Principal", "30.00", item), ("shipment", "charge", "Tax", "2.48", item),
        ("shipment", "charge", "MarketplaceFacilitatorTax-Principal", "-2.48", item),
        ("shipment", "fee", "Commission", "-4.50", item), ("shipment", "fee", "FBAPerUnitFulfillmentFee", "-6.44", item),
        ("shipment", "promotion", "Shipping", "-0.10", item),
        ("refund", "charge", "Principal", "-15.00", item), ("refund", "fee", "Commission", "2.25", item),
        ("refund", "fee", "RefundCommission", "-0.45", item),
        ("serviceFee", "fee", "LabelingFee", "-0.20", None)]
    total = sum((Decimal(a) for _, _, _, a, _ in got), Decimal(0))
    assert order["totals"] == [{"currencyCode": "USD", "amount": str(total)}] and str(total) == "20.06"


def test_amazons_event_is_kept_in_lower_camel_case_with_lists_unwrapped_and_money_as_text():
    (order, *_), = [ev.messages(ev.read(result_of(FINANCES, "ListFinancialEvents")), "a", "b")]
    shipment = order["events"]["shipmentEventList"][0]
    assert shipment["postedDate"] == "2013-09-07T02:00:00.000-06:00"
    item = shipment["shipmentItemList"][0]
    assert item["quantityShipped"] == 2 and item["sellerSku"] == "CBA_OTF_1"
    assert item["itemChargeList"][1] == {"chargeType": "Tax", "chargeAmount": {"currencyCode": "USD", "amount": "2.48"}}
    withheld = item["itemTaxWithheldList"][0]["taxesWithheld"]
    assert withheld[0]["chargeType"] == "MarketplaceFacilitatorTax-Principal"


def test_an_empty_page_has_no_events():
    empty = ("<ListFinancialEventsByNextTokenResponse xmlns='http://mws.amazonservices.com/Finances/2015-05-01'>"
             "<ListFinancialEventsByNextTokenResult><FinancialEvents><ShipmentEventList/><RefundEventList/>"
             "</FinancialEvents></ListFinancialEventsByNextTokenResult></ListFinancialEventsByNextTokenResponse>")
    assert ev.read(result_of(empty, "ListFinancialEventsByNextToken")) == []


def test_an_unreadable_amount_is_left_out_of_the_totals_not_guessed():
    assert ev.totals([{"amount": "1.10", "currencyCode": "EUR", "type": "a"},
                      {"amount": "n/a", "currencyCode": "EUR", "type": "b"},
                      {"amount": "-0.1", "currencyCode": "EUR", "type": "c"}]) == [
        {"currencyCode": "EUR", "amount": "1.00"}]
