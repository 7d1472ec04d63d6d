"""The listFinancialEvents cursor as pure functions: windows that abut, digests within budget, loading."""

from __future__ import annotations

import json

import pytest

from mws_component.lib.finances import state as st
from mws_component.lib.mws.errors import ConfigurationError

START = "2025-11-01T00:00:00Z"


@pytest.fixture
def cleared() -> dict:
    return st.initial(START, START)


@pytest.fixture
def dirty(cleared) -> dict:
    state = st.open_window(cleared, "2025-11-01T06:00:00Z")
    return st.page_emitted(state, [st.digest("a", 1), st.digest("a", 2)], "TOKEN")


def test_a_finished_window_moves_the_cursor_to_its_end_so_the_next_starts_there(dirty):
    assert st.seen(dirty, st.digest("a", 2)) and not st.seen(dirty, st.digest("a", 3))
    done = st.close_window(st.page_emitted(dirty, [], None))
    assert done["cursor"] == "2025-11-01T06:00:00Z" and "window" not in done
    assert done["windowSeconds"] == 4 * st.INITIAL_WINDOW  # 2 events: the next window grows, at most 4x


def test_an_open_window_keeps_its_end_and_a_lost_token_walks_it_again(dirty):
    assert st.open_window(dirty, "2030-01-01T00:00:00Z")["window"]["end"] == "2025-11-01T06:00:00Z"
    again = st.forget_token(dirty)
    assert again["window"]["token"] is None and not again["window"]["complete"] and again["window"]["done"]


def test_digests_stop_at_the_budget_and_the_snapshot_stays_under_5_kb(cleared):
    state = st.open_window(cleared, "2025-11-02T00:00:00Z")
    for page in range(10):
        state = st.page_emitted(state, [st.digest(f"{page}-{n}", 1) for n in range(100)], "T" * 600)
    assert state["window"]["overflow"] and state["window"]["count"] == 1000
    assert len(json.dumps(state)) < st.SNAPSHOT_CHARS


def test_another_version_or_start_time_starts_over_and_a_corrupt_snapshot_is_refused(dirty):
    assert st.ensure({}, START, lambda: START) == st.initial(START, START)
    assert st.ensure({**dirty, "start": "2025-01-01T00:00:00Z"}, START, lambda: "x")["cursor"] == "x"
    assert st.ensure({**dirty, "v": 99}, START, lambda: "x")["cursor"] == "x"
    assert st.ensure(dirty, START, lambda: "x") is dirty
    for bad in ({**dirty, "cursor": "soon"}, {**dirty, "window": {**dirty["window"], "done": "short"}},
                {**dirty, "windowSeconds": 1}, [1]):
        with pytest.raises(ConfigurationError) as caught:
            st.ensure(bad, START, lambda: "x")
        assert caught.value.field == "snapshot"
