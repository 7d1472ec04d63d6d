"""listProducts: polling trigger that emits every listing of the seller, then each listing again when it changes.

Each poll reads the merchant listings report of the credentials' marketplace (MWS RequestReport,
GetReportRequestList, GetReport ``_GET_MERCHANT_LISTINGS_ALL_DATA_``; SP-API createReport,
getReport, getReportDocument ``GET_MERCHANT_LISTINGS_ALL_DATA``; the credentials choose) and
emits one message per listing, the report's columns in lowerCamelCase (``sellerSku``, ``asin``,
``itemName``, ``price``, ``quantity``, ``status``, ``openDate``, ``fulfillmentChannel``...).

Change detection within the platform's 5 KB snapshot (``lib.reports.state``): 512 bucket sums of
40-bit row digests, SKUs spread over the buckets by hash. A listing is emitted when its bucket's sum
changed since the last finished report: a changed listing is missed only on a 40-bit collision
(about 1e-12 per changed bucket), and an unchanged one comes again when it shares a bucket with a
change (on average listings/512 per change). The first poll emits every listing.

The report is streamed (``lib.reports.listings``: gunzip, incremental decoding in the report's
charset, ``csv``), read twice, never held as text or rows. A report not ready is waited for up to
``reportWaitSeconds``; then the poll ends and the next one checks the same report (its id is saved
before anything else). While emitting, the snapshot is saved every 500 report rows, so a run that
dies goes on with the same report from there.

Fields: ``reportWaitSeconds`` (0-3000, default 300).
"""

from __future__ import annotations

from eiosdk.message import Message

from mws_component.lib import fields, steps
from mws_component.lib.connection import connect
from mws_component.lib.mws.client import MwsClient
from mws_component.lib.mws.regions import marketplaces
from mws_component.lib.reports import state as st
from mws_component.lib.reports.sync import MwsReports, Tally, poll
from mws_component.lib.spapi.reports import SpApiReports

DEFAULT_WAIT = 300


def process(msg, cfg, snapshot, context):
    wait = fields.integer(cfg, "reportWaitSeconds", DEFAULT_WAIT, 0, 3000)
    client = connect(cfg)
    marketplace = client.credentials.marketplaceId
    known = marketplaces().get(marketplace)
    state = st.ensure(snapshot, marketplace)  # a corrupt snapshot fails here, before any request
    source = MwsReports(client) if isinstance(client, MwsClient) else SpApiReports(client)
    tally = Tally()
    with client.deadline(steps.POLL_SECONDS):
        try:
            for page in poll(source, state, client.clock, wait, known.country if known else None, tally):
                for body in page.messages:
                    context.emit("data", Message(body=body))
                context.emit("snapshot", page.state)
        except steps.TRY_LATER as err:
            context.logger.info(f"this poll ends early: {steps.try_later_reason(err)}; the next poll goes on "
                                "with the same report")
            return
    _log(context, tally)


def _log(context, tally: Tally) -> None:
    if tally.waiting:
        context.logger.info(f"report {tally.report_id} is not ready yet; the next poll checks it again")
    elif tally.failed:
        context.logger.warn(f"{tally.failed}; the next poll requests a new report")
    else:
        context.logger.info(f"poll done: report {tally.report_id}, {tally.rows} listings, "
                            f"{tally.changed_buckets} of {st.BUCKETS} buckets changed, {tally.emitted} emitted")
