"""The console in a real browser (Debian's chromium through Playwright): create, filter, move on and
cancel orders with the buttons; set the clock and faults with the forms and see the JSON API agree;
watch the request log update live; submit a feed with the CLI and see it with its processing report.

The CLI test also takes the README's screenshot: ``UPDATE_SCREENSHOT=1`` writes it to docs/console.png
(otherwise it goes to a temporary folder, so ordinary runs leave the committed one alone).
"""

from __future__ import annotations

import json
import os
import queue
import re
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

import pytest
from mws_sandbox import Sandbox, serve
from mws_sandbox.timefmt import parse_iso
from playwright.sync_api import expect

from .conftest import CONSOLE, ROOT, list_orders

SCREENSHOT = ROOT / "docs" / "console.png"
VIEWPORT = {"width": 1366, "height": 860}  # a laptop screen

pytestmark = pytest.mark.browser


def _json(url: str, data: dict | None = None):
    request = urllib.request.Request(url, data=None if data is None else json.dumps(data).encode())
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.loads(response.read())


@pytest.fixture
def live(browser):
    sandbox = Sandbox(seed=7, orders=12)
    with serve(sandbox) as server:
        tab = browser.new_page(viewport=VIEWPORT)
        tab.set_default_timeout(10_000)
        yield sandbox, server.url, tab
        tab.close()


def _ids(tab) -> list[str]:
    return tab.locator("#orders tbody tr[data-order]").evaluate_all("rows => rows.map(r => r.dataset.order)")


def test_create_orders_with_the_button_and_see_them_in_the_table(live):
    sandbox, url, tab = live
    tab.goto(url + CONSOLE)
    expect(tab.locator("#orders tbody tr[data-order]")).to_have_count(12)
    tab.fill("input[name=count] >> nth=0", "3")
    tab.click("#create-orders")
    expect(tab.locator(".flash.notice")).to_contain_text("created 3 order(s)")
    created = [o["amazonOrderId"] for o in _json(url + "/_sandbox/orders")[-3:]]
    expect(tab.locator("#orders tbody tr[data-order]")).to_have_count(15)
    assert set(created) <= set(_ids(tab))
    for order_id in created:
        expect(tab.locator(f'tr[data-order="{order_id}"] .badge')).to_have_text("Pending")


def test_filter_by_status_and_channel(live):
    sandbox, url, tab = live
    truth = _json(url + "/_sandbox/orders")
    tab.goto(url + CONSOLE + "/orders")
    tab.select_option("select[name=status]", "Shipped")
    expect(tab).to_have_url(re.compile(r"status=Shipped"))
    shipped = {o["amazonOrderId"] for o in truth if o["orderStatus"] == "Shipped"}
    expect(tab.locator("#orders tbody tr[data-order]")).to_have_count(len(shipped))
    assert set(_ids(tab)) == shipped
    tab.select_option("select[name=channel]", "AFN")
    expect(tab).to_have_url(re.compile(r"channel=AFN"))
    afn = {o.amazon_order_id for o in sandbox.backend.orders.orders.values() if o.channel == "AFN"}
    expect(tab.locator("#orders tbody tr[data-order]")).to_have_count(len(shipped & afn))
    expect(tab.locator("#order-count")).to_contain_text(f"{len(shipped & afn)} of 12 orders")


def test_move_on_and_cancel_orders_with_the_buttons_and_read_the_history(live):
    sandbox, url, tab = live
    first, second = sandbox.create_orders(2)
    tab.goto(url + CONSOLE + "/orders?status=Pending")
    tab.click(f'tr[data-order="{first}"] button.move')
    expect(tab.locator(".flash.notice")).to_contain_text(f"order {first} is now Unshipped")
    expect(tab.locator(f'tr[data-order="{first}"]')).to_have_count(0)  # the Pending filter stays on
    tab.click(f'tr[data-order="{second}"] button.cancel')
    expect(tab.locator(".flash.notice")).to_contain_text(f"order {second} is now Canceled")
    states = {o["amazonOrderId"]: o["orderStatus"] for o in _json(url + "/_sandbox/orders")}
    assert (states[first], states[second]) == ("Unshipped", "Canceled")
    tab.goto(url + CONSOLE + "/orders")
    expect(tab.locator(f'tr[data-order="{second}"] button.cancel')).to_have_count(0)
    tab.click(f'tr[data-order="{second}"] a')
    expect(tab.locator("#order-detail .history li")).to_have_count(2)
    expect(tab.locator("#order-detail .history")).to_contain_text("Canceled")


def test_clock_and_fault_forms_agree_with_the_json_api(live):
    sandbox, url, tab = live
    before = sandbox.clock.now()
    tab.goto(url + CONSOLE + "/time")
    tab.fill("#advance-seconds", "3600")
    tab.click("#advance")
    expect(tab.locator(".flash.notice")).to_contain_text("sandbox time is now")
    assert parse_iso(_json(url + "/_sandbox/clock")["now"]) - before >= 3600
    tab.fill("#throttleRate", "0.3")
    tab.fill("#errorRate", "0.05")
    tab.fill("#slowSeconds", "1.5")
    tab.click("#set-faults")
    expect(tab.locator(".flash.notice")).to_contain_text("faults set")
    assert _json(url + "/_sandbox/faults") == {"throttleRate": 0.3, "errorRate": 0.05, "disconnectRate": 0.0,
                                                "slowRate": 0.0, "slowSeconds": 1.5}
    expect(tab.locator("#clock .badge")).to_have_text("faults on")


def test_the_request_log_and_buckets_update_live(live):
    sandbox, url, tab = live
    tab.goto(url + CONSOLE + "/quotas")
    expect(tab.locator("#request-log tbody")).to_contain_text("No API calls yet")
    host = url.removeprefix("http://")
    for _ in range(3):
        list_orders(sandbox, host)
    expect(tab.locator("#request-log tbody tr")).to_have_count(3)  # polled in, no reload
    expect(tab.locator('tr[data-bucket="ListOrders"]')).to_contain_text("3.0 / 6")
    tab.select_option("select[name=op]", "ListOrders")
    expect(tab).to_have_url(re.compile(r"op=ListOrders"))
    expect(tab.locator("svg.plot rect.ok")).to_have_count(1)


# -- the whole flow with the CLI ---------------------------------------------------------------------

def _lines_until(proc: subprocess.Popen, marker: str, timeout: float = 30.0) -> list[str]:
    """stdout lines up to the one holding ``marker`` (read on a thread: a pipe's buffer hides lines from select)."""
    lines: queue.Queue[str] = queue.Queue()
    threading.Thread(target=lambda: [lines.put(line) for line in proc.stdout], daemon=True).start()
    seen, deadline = [], time.monotonic() + timeout
    while not any(marker in line for line in seen):
        try:
            seen.append(lines.get(timeout=max(deadline - time.monotonic(), 0.01)))
        except queue.Empty:
            pytest.fail(f"mws-component sandbox printed no {marker!r} line: {seen}")
    return seen


@pytest.fixture
def cli_sandbox(tmp_path):
    proc = subprocess.Popen([sys.executable, "-m", "mws_component.cli", "sandbox", "--port", "0",
                             "--credentials-out", "creds.json", "--orders", "10", "--seed", "2"],
                            cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        lines = _lines_until(proc, "console at ")
        yield tmp_path, lines
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def _screenshot_path(tmp_path: Path) -> Path:
    return SCREENSHOT if os.environ.get("UPDATE_SCREENSHOT") == "1" else tmp_path / "console.png"


def test_a_feed_submitted_with_the_cli_shows_with_its_report_and_no_secret(cli_sandbox, browser):
    folder, lines = cli_sandbox
    url = lines[0].split()[4]
    console = next(line for line in lines if "console at " in line).split()[2]
    assert console == url + CONSOLE
    creds = json.loads((folder / "creds.json").read_text())
    sku = next(iter(_json(url + "/_sandbox/catalogue")))
    body = json.dumps({"items": [{"sku": sku, "quantity": 7}, {"sku": "NOT-IN-THE-CATALOGUE", "quantity": 1}]})
    ran = subprocess.run([sys.executable, "-m", "mws_component.cli", "run", "submitInventory", "--credentials",
                          "creds.json", "--body", body], cwd=folder, capture_output=True, text=True, timeout=120)
    assert ran.returncode == 0, ran.stdout + ran.stderr
    feed_id = _json(url + "/_sandbox/feeds")[-1]["feedSubmissionId"]
    _json(url + "/_sandbox/clock", {"advanceSeconds": 120})

    tab = browser.new_page(viewport=VIEWPORT)
    try:
        tab.goto(console + "/feeds")
        feed = tab.locator(f"#feed-{feed_id}")
        expect(feed.locator(".feed-status")).to_have_text("_DONE_")
        expect(feed.locator("tr.result-error")).to_contain_text("NOT-IN-THE-CATALOGUE")
        feed.locator("details.content summary").click()
        expect(feed.locator("details.content pre")).to_contain_text(sku)
        tab.goto(console + "/quotas")
        expect(tab.locator("#request-log")).to_contain_text("SubmitFeed")
        html = tab.content()
        for secret in (creds["secretKey"], creds["accessKeyId"], creds["mwsAuthToken"]):
            assert secret not in html
        assert "Signature=[redacted]" in html
        tab.goto(console + "/orders")
        tab.locator("#orders tbody tr[data-order] a").first.click()
        expect(tab.locator("#order-detail")).to_be_visible()
        tab.screenshot(path=str(_screenshot_path(folder)))
    finally:
        tab.close()


def test_the_committed_screenshot_exists():
    assert SCREENSHOT.is_file(), "run UPDATE_SCREENSHOT=1 python3 -m pytest tests/console to take it"
    assert SCREENSHOT.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and SCREENSHOT.stat().st_size > 20_000
