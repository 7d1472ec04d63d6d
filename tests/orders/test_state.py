"""The listOrders cursor functions, with no client and no clock (dirty / cleared / finalized states)."""

from __future__ import annotations

import json
from datetime import timedelta

from mws_component.lib.orders import state as st

START = "2024-01-01T00:00:00Z"
END = "2024-01-02T00:00:00Z"


def fresh():
    return st.ensure(None, "", START)


def emitted(s, orders, token="next-page"):
    return st.page_emitted(s, orders, token)


def test_new_or_changed_start_setting_starts_over_but_same_setting_continues():
    s = st.close_window(emitted(st.open_window(fresh(), END), [], None))
    assert st.ensure(s, "", "2030-01-01T00:00:00Z")["cursor"] == END  # default look-back moved; cursor kept
    assert st.ensure(s, "2023-06-01", "2023-06-01T00:00:00Z")["cursor"] == "2023-06-01T00:00:00Z"
    assert st.ensure({"v": 0, "cursor": "x"}, "", START)["cursor"] == START


def test_dirty_window_remembers_what_was_emitted_and_the_token_to_continue():
    s = st.open_window(fresh(), END)
    s = emitted(s, [("111-0000001-0000001", "2024-01-01T05:00:00Z")], "tok+/=")
    resumed = json.loads(json.dumps(s))  # survives the snapshot round trip
    assert st.open_window(resumed, END) is resumed
    assert resumed["window"]["token"] == "tok+/=" and not resumed["window"]["complete"]
    assert st.seen(resumed, "111-0000001-0000001", "2024-01-01T05:00:00Z")
    assert st.seen(resumed, "111-0000001-0000001", "2024-01-01T05:00:00.000Z")  # same instant, other spelling
    assert not st.seen(resumed, "111-0000001-0000001", "2024-01-01T06:00:00Z")  # a newer version is new
    assert not st.seen(resumed, "111-0000002-0000002", "2024-01-01T05:00:00Z")


def test_an_expired_token_falls_back_to_walking_the_window_again_with_the_digests():
    s = emitted(st.open_window(fresh(), END), [("A", "2024-01-01T05:00:00Z")], "tok")
    s = st.forget_token(s)
    assert s["window"]["token"] is None and st.seen(s, "A", "2024-01-01T05:00:00Z")


def test_the_last_page_completes_the_window():
    s = emitted(st.open_window(fresh(), END), [("A", "2024-01-01T05:00:00Z")], None)
    assert s["window"]["complete"] is True and s["window"]["count"] == 1


def test_finalized_window_moves_cursor_and_keeps_only_orders_at_the_boundary():
    s = st.open_window(fresh(), END)
    s = emitted(s, [("A", "2024-01-01T05:00:00Z"), ("B", END)], None)
    s = st.close_window(s)
    assert s["cursor"] == END and "window" not in s
    assert st.seen(s, "B", END)  # the next window includes END again: B is not repeated
    assert not st.seen(s, "A", "2024-01-01T05:00:00Z")  # A is out of the next window anyway
    assert len(s["atCursor"]) == st.DIGEST_CHARS  # one order remembered


def test_boundary_orders_emitted_before_a_crash_are_still_remembered():
    s = emitted(st.open_window(fresh(), END), [("B", "2024-01-02T00:00:00.000Z")])
    s = st.close_window(json.loads(json.dumps(s)))
    assert st.seen(s, "B", END)


def test_empty_window_at_the_same_instant_carries_boundary_orders():
    s = st.close_window(emitted(st.open_window(fresh(), END), [("B", END)], None))
    s = st.close_window(emitted(st.open_window(s, END), [], None))  # polled again within the same instant
    assert st.seen(s, "B", END)


def test_windows_resize_towards_the_target_within_bounds():
    hour = 3600.0
    assert st.resize(hour, 0) == st.MAX_GROWTH ** 2 * hour  # nothing at all: cross the quiet stretch fast
    assert st.resize(hour, 1) == st.MAX_GROWTH * hour  # one order: grow, but not on one order's evidence alone
    assert st.resize(86400, 8 * st.TARGET_PER_WINDOW) == 86400 / 4
    assert st.resize(86400, 2 * st.TARGET_PER_WINDOW) == 86400 / 2
    assert st.resize(86400, st.TARGET_PER_WINDOW) == 86400
    assert st.resize(st.MIN_WINDOW, 10 * st.TARGET_PER_WINDOW) == st.MIN_WINDOW
    assert st.resize(st.MAX_WINDOW, 0) == st.MAX_WINDOW


def test_the_target_is_half_a_page_under_a_whole_number_of_pages():
    """Steady orders land near the aim: aiming at a page boundary would often pay a request for a few."""
    assert st.TARGET_PER_WINDOW % 100 == 50


def test_a_short_remainder_joins_the_window_before_it():
    s = st.initial("", "2024-01-01T00:00:00Z", 10 * 86400)
    cursor = st.as_datetime(s["cursor"])
    far, near = cursor + timedelta(days=30), cursor + timedelta(days=14)
    assert st.next_end(s, far) == cursor + timedelta(days=10)  # 20 days would remain: a window of its own
    assert st.next_end(s, near) == near  # 4 days would remain, under half a window: taken into this one
    assert st.next_end(s, cursor + timedelta(days=3)) == cursor + timedelta(days=3)  # never past the limit
    assert st.next_end(s) == cursor + timedelta(days=10)


def test_snapshot_stays_under_5_kb_however_big_the_window():
    s = st.open_window(fresh(), END)
    token = "N" * 600  # Amazon's NextTokens run to about 500 characters
    for page in range(30):  # 3,000 orders in one window
        s = emitted(s, [(f"111-{page:03d}{i:04d}-0000001", "2024-01-01T05:00:00Z") for i in range(100)], token)
    assert len(json.dumps(s)) < 5 * 1024
    assert s["window"]["overflow"] is True and s["window"]["count"] == 3000
    assert st.seen(s, "111-0000000-0000001", "2024-01-01T05:00:00Z")  # within the budget: remembered
