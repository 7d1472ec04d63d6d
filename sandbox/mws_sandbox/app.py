"""The sandbox application: one object that answers every request, in-process or behind a server.

SP-API calls (``/sellers/...``, ``/orders/...``, ``/tokens/...``) and the LWA token endpoint go to
``spapi.dispatch`` over the same world, clock, faults and stats. A signed MWS call goes through, in order: decoding (``wire``), routing (``routes``), the
signature, timestamp and seller checks (``auth``, ``models.accounts``), throttling
(``throttle``), injected faults (``faults``), then its handler; any ``SandboxError`` on the way
becomes Amazon's ErrorResponse. ``GET /`` is the ping, ``/_sandbox/...`` the scenario API.
Feeds progress lazily: before each request, feeds that are now done get processed.
"""

from __future__ import annotations

import base64
import threading
import uuid
from dataclasses import dataclass

from . import console, feedcheck, scenario, spapi
from .auth import check_required, check_signature, check_timestamp
from .call import Call
from .clock import Clock, advanceable
from .errors import InternalError, RequestThrottled, SandboxError
from .faults import Draw, Faults
from .feedcheck import FeedValidator
from .feedrules import FeedContext
from .http import ConnectionDropped, RequestLike, Response
from .models import reports
from .models.accounts import Seller
from .models.backend import Backend, rng_for
from .models.feeds import FeedSubmission
from .params import Params
from .requestlog import RequestLog
from .responses.common import render_error, render_ping
from .routes import Route, check_version, namespace_for, resolve
from .schemas import default_validator
from .spapi import dispatch as spapi_dispatch
from .spapi import feedwork
from .spapi.feedschema import FeedSchemas
from .spapi.identity import Identity
from .spapi.quota import UsageQuota
from .stats import Stats
from .throttle import Throttle
from .timefmt import http_date, iso_ms, iso_offset
from .tokens import TokenStore
from .wire import WireRequest, decode, reject_duplicates


@dataclass(frozen=True)
class Reply:
    """A response plus what the transport must do with it: drop the connection, or wait first."""

    response: Response
    disconnect: bool = False
    delay: float = 0.0


class Sandbox:
    """One emulated MWS: a developer key authorised by two sellers, seeded orders and catalogue, feeds.

    Args:
        clock: sandbox time; a ``ManualClock`` in tests, default real time plus an advanceable offset.
        seed: makes credentials, data, NextTokens, request ids and faults repeatable.
        orders: how many orders the first seller starts with (and gets back on ``reset``).
        feed_validator: ``(message_type, message_element) -> [problem, ...]`` run on each structurally
            sound ``<Message>`` (an ElementTree element parsed by defusedxml); each problem becomes a
            5001 Error result. Default: validation against Amazon's XSDs in ``xsd_dir`` (or
            ``$MWS_XSD_DIR``), else the sandbox's own structural checks (``schemas``); pass
            ``lambda *_: []`` to check structure and business rules only.
        xsd_dir: a directory holding Amazon's feed XSDs (``amzn-envelope.xsd`` and what it includes).
        feed_schema_dir: a directory holding Amazon's SP-API listings feed schemas (``listings-feed-schema-v2.json``,
            its message and processing report schemas); default ``$SP_API_FEED_SCHEMA_DIR``, else the
            sandbox's own structural checks (``spapi.feedschema``).
    """

    def __init__(self, clock: Clock | None = None, seed: int = 0, orders: int = 0,
                 feed_validator: FeedValidator | None = None, xsd_dir: str | None = None,
                 feed_schema_dir: str | None = None) -> None:
        self.clock = advanceable(clock)
        self.seed = seed
        self.initial_orders = orders
        self.feed_validator = feed_validator if feed_validator is not None else default_validator(xsd_dir)
        self.feed_schemas = FeedSchemas.default(feed_schema_dir)
        self._lock = threading.RLock()
        self.reset()

    # -- scenario API (Python side) ------------------------------------------------------------

    def reset(self) -> None:
        """Back to the state of a fresh sandbox with this seed: data, tokens, quotas, faults, stats."""
        with self._lock:
            self.backend = Backend.build(self.seed, self.initial_orders, self.clock.now())
            self.tokens = TokenStore(rng_for(self.seed, "tokens"))
            self.identity = Identity.build(self.backend.accounts.sellers(), rng_for(self.seed, "lwa"),
                                           rng_for(self.seed, "lwa-tokens"))
            self.usage_quota = UsageQuota()
            self.throttle_state = Throttle()
            self.fault_state = Faults(rng_for(self.seed, "faults"))
            self.request_log = RequestLog()
            self.stats_state = Stats(self.request_log)
            self._ids = rng_for(self.seed, "request-ids")
            self.sp_feeds = feedwork.fresh_store(self.seed)

    def credentials(self, endpoint: str, seller: int = 0) -> dict:
        """Credentials that work against this sandbox at ``endpoint`` (seller 0: the one with orders)."""
        with self._lock:
            account = self.backend.seller(seller)
            return {"sellerId": account.seller_id, "mwsAuthToken": account.auth_token,
                    "accessKeyId": self.backend.developer.access_key_id,
                    "secretKey": self.backend.developer.secret_key,
                    "marketplaceId": account.home_marketplace, "endpoint": endpoint}

    def sp_api_credentials(self, endpoint: str, seller: int = 0) -> dict:
        """SP-API credentials for the same seller and world, with this sandbox as API and LWA endpoint."""
        with self._lock:
            account = self.backend.seller(seller)
            app = self.identity.app_of(account.seller_id)
            return {"api": "sp-api", "sellerId": account.seller_id, "marketplaceId": account.home_marketplace,
                    "lwaClientId": app.client_id, "lwaClientSecret": app.client_secret,
                    "refreshToken": app.refresh_token, "endpoint": endpoint,
                    "lwaEndpoint": endpoint.rstrip("/") + spapi.routes.LWA_PATH}

    def revoke_refresh_token(self, seller: int = 0) -> str:
        """The seller revokes the app in Seller Central: its refresh token is invalid_grant from now on."""
        with self._lock:
            seller_id = self.backend.seller(seller).seller_id
            self.identity.revoke(seller_id)
            return seller_id

    def authorize_app(self, seller: int = 0) -> str:
        """The seller authorises the app again; returns the new refresh token."""
        with self._lock:
            return self.identity.authorize(self.backend.seller(seller).seller_id)

    def set_restricted_role(self, seller: int, granted: bool) -> bool:
        """Whether the seller's app may get restricted data tokens (buyer and address data)."""
        with self._lock:
            self.identity.app_of(self.backend.seller(seller).seller_id).restricted_role = granted
            return granted

    def create_orders(self, n: int) -> list[str]:
        with self._lock:
            return self.backend.create_orders(n, self.clock.now())

    def update_orders(self, n: int) -> list[str]:
        with self._lock:
            return self.backend.update_orders(n, self.clock.now())

    def orders_truth(self) -> list[dict]:
        with self._lock:
            return [o.truth() for o in self.backend.orders.of_seller(self.backend.primary.seller_id)]

    def move_order(self, amazon_order_id: str) -> str:
        """One of the seller's open orders one step on (never to Canceled); returns its new status."""
        with self._lock:
            return self.backend.move_order(amazon_order_id, self.clock.now())

    def cancel_order(self, amazon_order_id: str) -> str:
        """Cancel a Pending or Unshipped order of the seller; returns its new status."""
        with self._lock:
            return self.backend.cancel_order(amazon_order_id, self.clock.now())

    def finances_truth(self, before: float | None = None) -> dict:
        """The primary seller's posted money (posted before ``before``, epoch seconds, if given): per order
        ``{currency: total}``, and the events without an order."""
        with self._lock:
            seller = self.backend.primary
            return self.backend.post_finances(seller, self.clock.now()).truth(seller.seller_id, before)

    def advance(self, seconds: float) -> str:
        """Move sandbox time on (quotas restore, feeds progress); returns the new time."""
        self.clock.advance(seconds)
        with self._lock:
            self._tick(self.clock.now())
        return self.now_iso()

    def now_iso(self) -> str:
        return iso_ms(self.clock.now())

    def set_faults(self, **settings: float) -> dict:
        with self._lock:
            return self.fault_state.configure(**settings)

    def faults_settings(self) -> dict:
        with self._lock:
            return self.fault_state.as_dict()

    def stats(self) -> dict:
        with self._lock:
            return self.stats_state.as_dict()

    def feeds(self) -> list[dict]:
        with self._lock:
            now = self.clock.now()
            self._tick(now)
            return [_feed_dict(f, now) for f in self.backend.feeds.feeds.values()]

    def catalogue(self) -> dict[str, dict]:
        with self._lock:
            self._tick(self.clock.now())
            return self.backend.catalogues[self.backend.primary.seller_id].as_dict()

    def seed_listings(self, count: int) -> int:
        """Add ``count`` listings to the first seller's catalogue (large reports); returns its size."""
        with self._lock:
            seller = self.backend.primary
            return reports.add_bulk_listings(self.backend.catalogues[seller.seller_id], count,
                                             seller.participations[0].currency, self.seed)

    def update_listing(self, sku: str, **changes: object) -> dict:
        """Change a listing of the first seller (``price``, ``quantity``, ``title``), as an accepted feed would."""
        with self._lock:
            return reports.update_listing(self.backend.catalogues[self.backend.primary.seller_id], sku, changes)

    # -- requests ---------------------------------------------------------------------------------

    def handle(self, request: RequestLike) -> Response:
        """The whole app in-process; a disconnect fault raises ConnectionDropped, a slow one sleeps."""
        reply = self.respond(request)
        if reply.delay:
            self.clock.sleep(reply.delay)
        if reply.disconnect:
            raise ConnectionDropped("the sandbox dropped the connection mid-response (disconnect fault)")
        return reply.response

    def respond(self, request: RequestLike) -> Reply:
        """The response and the fault to act out; servers and transports call this."""
        if console.serves(request):
            return Reply(console.handle(self, request))
        if scenario.is_scenario(request):
            return Reply(scenario.handle(self, request))
        with self._lock:
            now = self.clock.now()
            wire = decode(request)
            self.request_log.start(now, wire)
            if wire.path == "/" and wire.method in ("GET", "HEAD") and not wire.params:
                return Reply(Response.of(200, self._headers(self._request_id(), now, "text/xml"), render_ping(now)))
            self._tick(now)
            if spapi.serves(wire.path):
                response, draw = spapi_dispatch.respond(self, wire, now, self._request_id())
                return Reply(response, draw.disconnect, draw.delay)
            return self._mws(wire, now)

    def _mws(self, wire: WireRequest, now: float) -> Reply:
        request_id, route, draw, quota = self._request_id(), None, Draw(), {}
        try:
            reject_duplicates(wire)
            route = resolve(wire.path, wire.params.get("Action"))
            seller = self._authenticate(wire, route, now)
            quota = self.throttle_state.take(seller.seller_id, route.op, now)
            draw = self.fault_state.draw()
            _inject(draw)
            call = Call(route.op, Params(wire.params), wire, seller, self.backend, self.tokens, now, request_id)
            answer = route.handler(call)
            status, body, content_type, extra, code = 200, answer.body, answer.content_type, answer.headers, None
        except SandboxError as err:
            status, content_type, extra, code = err.status, "text/xml", err.headers, err.code
            body = render_error(err, namespace_for(wire.path), request_id)
        self.stats_state.record(route.operation if route else "(unrouted)", status, code)
        headers = self._headers(request_id, now, content_type) | quota | extra
        return Reply(Response.of(status, headers, body), draw.disconnect, draw.delay)

    def _authenticate(self, wire: WireRequest, route: Route, now: float) -> Seller:
        check_required(wire)
        developer = self.backend.accounts.developer(wire.params["AWSAccessKeyId"])
        check_signature(wire, developer.secret_key)
        check_timestamp(wire, now)
        check_version(route, wire.params.get("Version"))
        seller_id = wire.params.get("SellerId") or wire.params.get("Merchant")
        return self.backend.accounts.authorize(developer, seller_id, wire.params.get("MWSAuthToken"))

    def _tick(self, now: float) -> None:
        """Process every feed that is done by now but has no report yet, oldest first."""
        for feed in self.backend.feeds.due(now):
            ctx = FeedContext(feed.feed_id, feed.seller_id, feed.seller_id,
                              self.backend.catalogues[feed.seller_id], self.backend.orders, self.backend.feeds, now)
            feed.report = feedcheck.process(feed, ctx, self.feed_validator)
        feedwork.tick(self, now)

    def _request_id(self) -> str:
        return str(uuid.UUID(int=self._ids.getrandbits(128), version=4))

    def _headers(self, request_id: str, now: float, content_type: str) -> dict[str, str]:
        context = base64.b64encode(self._ids.getrandbits(8 * 48).to_bytes(48, "big")).decode("ascii")
        return {"x-mws-request-id": request_id, "x-mws-timestamp": iso_ms(now),
                "x-mws-response-context": context, "Content-Type": content_type, "Date": http_date(now)}


def _inject(draw: Draw) -> None:
    if draw.throttle:
        raise RequestThrottled()
    if draw.error:
        raise InternalError()


def _text(content: bytes) -> str:
    try:
        return content.decode("utf-8")
    except UnicodeDecodeError:
        return content.decode("iso-8859-1")


def _feed_dict(feed: FeedSubmission, now: float) -> dict:
    report = feed.report
    return {
        "feedSubmissionId": feed.feed_id, "feedType": feed.feed_type, "status": feed.status(now),
        "submittedDate": iso_offset(feed.submitted), "sellerId": feed.seller_id,
        "contentType": feed.content_type, "content": _text(feed.content),
        "marketplaceIds": list(feed.marketplace_ids), "purgeAndReplace": feed.purge_and_replace,
        "report": None if report is None else {
            "statusCode": report.status_code, "processed": report.processed, "successful": report.successful,
            "withError": report.with_error, "withWarning": report.with_warning,
            "results": [{"messageId": r.message_id, "resultCode": r.code, "resultMessageCode": r.message_code,
                         "description": r.description, "sku": r.sku, "amazonOrderId": r.order_id}
                        for r in report.results]},
    }
