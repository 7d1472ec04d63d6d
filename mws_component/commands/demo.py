"""``mws-component demo``: the connector end to end against the embedded sandbox, in under 30 seconds.

It starts the MWS sandbox in-process on a loopback port, then drives the real steps exactly as the
platform would (through the SDK executor): verify credentials, poll listOrders, let the seller's
world move on (new orders, shipments, cancellations), poll again, read order items, and push an
inventory feed through to its processing report (one bad item refused before sending, one
unknown SKU reported by Amazon per message). Sandbox time is simulated, so Amazon's quotas
are respected without waiting for them; the account at the end says how much simulated time passed.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable
from datetime import datetime, timezone

from eiosdk.cli import add_component_path_argument, add_log_format_argument, component_root, logs_to_stderr
from eiosdk.component import Component
from eiosdk.testing import Collected, collect
from mws_sandbox import Sandbox, serve

from mws_component.lib.connection import override
from mws_component.lib.mws.clock import ManualClock
from mws_component.lib.mws.operations import format_timestamp

HELP = "try the connector end to end against the embedded MWS sandbox (no Amazon account, no network)"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--orders", type=int, default=40, help="orders the sandbox starts with (default 40)")
    parser.add_argument("--seed", type=int, default=42, help="sandbox seed: same seed, same data (default 42)")
    parser.add_argument("--api", choices=("mws", "sp-api"), default="mws",
                        help="which Amazon API the demo's credentials are for (default mws); the sandbox "
                             "serves both over the same seller's world")
    add_component_path_argument(parser, "component root (default: found from the installed package)")
    add_log_format_argument(parser)


def money(total: dict | None) -> str:
    return f"{total['amount']} {total['currencyCode']}" if total else "-"


def order_line(order: dict) -> str:
    return (f"  {order['amazonOrderId']}  {order['orderStatus']:<16} {money(order.get('orderTotal')):>14}"
            f"  {order.get('salesChannel', '')}")


class Demo:
    def __init__(self, component: Component, sandbox: Sandbox, url: str, clock: ManualClock,
                 say: Callable[[str], None], api: str = "mws") -> None:
        self.component, self.sandbox, self.url, self.clock, self.say = component, sandbox, url, clock, say
        self.api = api
        self.cfg = sandbox.sp_api_credentials(url) if api == "sp-api" else sandbox.credentials(url)
        self.started = clock.now()

    def step(self, step_id: str, body: dict | None = None, cfg: dict | None = None,
             snapshot: dict | None = None) -> Collected:
        out = collect(self.component.load_step(step_id), body, {**self.cfg, **(cfg or {})}, snapshot)
        if out.errors:
            raise SystemExit(f"demo: {step_id} failed: {out.errors[0]}")
        return out

    def verify(self) -> None:
        result = self.component.verify_credentials(self.cfg)
        self.say(f"1. {self.api.upper()} credentials for seller {self.cfg['sellerId']} verified: {result['verified']}")

    def poll_orders(self, title: str, snapshot: dict | None) -> dict:
        out = self.step("listOrders", cfg={"marketplaceIds": "A2EUQ1WTGCTBG2,A1AM78C64UM0Y8"}, snapshot=snapshot)
        self.say(f"{title}: {len(out.bodies)} order(s) emitted, one message each")
        for order in out.bodies[:8]:
            self.say(order_line(order))
        if len(out.bodies) > 8:
            self.say(f"  ... and {len(out.bodies) - 8} more")
        self.orders = out.bodies or getattr(self, "orders", [])
        self.seen = {**getattr(self, "seen", {}), **{o["amazonOrderId"]: o for o in out.bodies}}
        return out.snapshot

    def ship_one(self, snapshot: dict) -> dict:
        """The ERP's round trip: confirm a shipment, see the next poll bring the order as Shipped, read its fees."""
        open_ = [o for o in self.seen.values() if o["orderStatus"] == "Unshipped" and o.get("fulfillmentChannel") == "MFN"]
        if not open_:
            self.say("5. confirmShipment: no unshipped merchant-fulfilled order to ship in this world")
            return snapshot
        order_id = open_[0]["amazonOrderId"]
        shipped_at = format_timestamp(datetime.fromtimestamp(self.clock.now() - 600, timezone.utc))
        out = self.step("confirmShipment", {"amazonOrderId": order_id, "carrierCode": "UPS",
                                            "trackingNumber": "1Z999AA10123456784", "shipDate": shipped_at}).bodies[0]
        how = (f"feed {out['feedSubmissionId']} ({out['feedType']})" if out.get("feedSubmissionId")
               else f"Amazon answered {out.get('status', 'OK')}")
        self.say(f"5. confirmShipment for {order_id} (UPS 1Z999AA10123456784): {how}")
        if out.get("feedSubmissionId"):
            self.follow(out["feedSubmissionId"])
        self.clock.advance(180)  # past Amazon's two-minute horizon: the change is listed
        snapshot = self.poll_orders("6. listOrders, next poll (the shipped order comes again)", snapshot)
        shipped = self.seen[order_id]["orderStatus"]
        self.say(f"   {order_id} is now {shipped}; five minutes later Amazon has posted its money")
        self.clock.advance(300)
        fees = self.step("listFinancialEvents", cfg={"settleHours": 0}).bodies
        mine = [m for m in fees if m.get("amazonOrderId") == order_id]
        self.say(f"7. listFinancialEvents: {len(fees)} message(s); {order_id}'s posting:")
        for message in mine:
            for line in message["lines"][:6]:
                self.say(f"   {line['category']:<8} {line['type']:<28} {line['amount']:>9} {line['currencyCode']}")
            self.say("   total " + ", ".join(f"{t['amount']} {t['currencyCode']}" for t in message["totals"]))
        return snapshot

    def order_items(self) -> None:
        self.say("4. listOrderItems for three orders:")
        for order in self.orders[:3]:
            body = self.step("listOrderItems", {"amazonOrderId": order["amazonOrderId"]}).bodies[0]
            for item in body["orderItems"][:3]:
                price = money(item.get("itemPrice"))
                self.say(f"  {order['amazonOrderId']}  {item['quantityOrdered']} x {item.get('sellerSku', '')}"
                         f"  {item.get('title', '')[:40]:<40}  {price}")

    def follow(self, feed_id: str) -> dict:
        """Ask for a feed's status until Amazon has processed it; its processing report."""
        while True:
            status = self.step("getFeedSubmissionStatus", {"feedSubmissionId": feed_id}).bodies[0]
            self.say(f"   status {status['feedProcessingStatus']}")
            if status["feedProcessingStatus"] in ("_DONE_", "_CANCELLED_"):
                return self.step("getFeedSubmissionResult", {"feedSubmissionId": feed_id}).bodies[0]
            self.clock.advance(30)  # feeds take Amazon from seconds to minutes

    def feeds(self) -> None:
        skus = list(self.sandbox.catalogue())[:2]
        bad = collect(self.component.load_step("submitInventory"), {"sku": skus[0], "quantity": -5}, self.cfg)
        self.say(f"8. submitInventory refuses a bad item before sending anything:\n   {bad.errors[0]}")
        items = [{"sku": skus[0], "quantity": 12}, {"sku": skus[1], "quantity": 0},
                 {"sku": "NOT-IN-CATALOGUE", "quantity": 3}]
        out = self.step("submitInventory", {"items": items}).bodies[0]
        feed_id = out["feedSubmissionId"]
        self.say(f"9. submitInventory sent feed {feed_id} ({out['feedType']}, {out['messageCount']} messages): "
                 f"{out['feedProcessingStatus']}")
        report = self.follow(feed_id)
        summary = report["summary"]
        self.say(f"10. Processing report: {summary['messagesProcessed']} processed, "
                 f"{summary['messagesSuccessful']} successful, {summary['messagesWithError']} with errors")
        for result in report["results"]:
            self.say(f"   message {result['messageId']} ({result.get('sku', '')}): {result['resultCode']} "
                     f"{result['resultMessageCode']}: {result['resultDescription']}")
        stock = self.sandbox.catalogue()
        self.say(f"   Amazon's stock now: {skus[0]} = {stock[skus[0]]['quantity']}, {skus[1]} = {stock[skus[1]]['quantity']}")

    def run(self) -> None:
        self.verify()
        snapshot = self.poll_orders("2. listOrders, first poll (last 30 days)", None)
        changed_new = self.sandbox.create_orders(3)
        changed = self.sandbox.update_orders(5)
        self.clock.advance(300)
        self.say(f"   ...meanwhile on Amazon: {len(changed_new)} new orders, {len(changed)} orders moved on"
                 " (shipped, cancelled, paid); five minutes pass")
        snapshot = self.poll_orders("3. listOrders, next poll (only what changed; nothing repeated)", snapshot)
        self.order_items()
        self.ship_one(snapshot)
        self.feeds()
        stats = self.sandbox.stats()
        self.say(f"Sandbox saw {stats['requests']} requests, {stats['throttled']} throttled; "
                 f"{(self.clock.now() - self.started) / 60:.1f} minutes of simulated Amazon time.")


def run(args: argparse.Namespace) -> int:
    started = time.monotonic()
    component = Component.load(component_root(args))
    clock = ManualClock(time.time())
    sandbox = Sandbox(clock=clock, seed=args.seed, orders=args.orders)
    # warnings only: the account below is the demo's output (on a terminal, polls also show live progress)
    with logs_to_stderr(args, level="warn"), serve(sandbox) as server, override(clock=clock):
        print(f"Sandbox (MWS and SP-API) listening on {server.url} (seed {args.seed}); demo through "
              f"{args.api.upper()}; no Amazon account needed.\n")
        Demo(component, sandbox, server.url, clock, print, args.api).run()
    print(f"\nDone in {time.monotonic() - started:.1f} s.")
    return 0
