"""The compiled passes agree with the NumPy path (numpy_reference.covered_counts): row_counts
for any activity, half-life and window, with segments as long as the compiled pass takes
them and short enough to give later segments, also when it overwrites an earlier result;
a term added to the rows with Term.apply."""

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.engine import engagement, history_decay
from domain.engine import history as history_module
from domain.engine.aggregate import aggregate_activities
from domain.engine.engagement import Source, Term, _patch
from domain.engine.history_build import build_history
from tests.builders import AS_OF
from tests.unit.engine.numpy_reference import covered_counts
from tests.unit.engine.test_scoring_properties import SETTINGS, TYPES, events_strategy, raw


def history(events):
    lead_ids = np.arange(1, 6)  # lead 5 never has activity
    return build_history(aggregate_activities(raw(events)), lead_ids, pd.Timestamp(AS_OF, tz="UTC"))


@SETTINGS
@given(
    events_strategy,
    st.lists(st.sampled_from(TYPES), min_size=1, max_size=3, unique=True),
    # Down to ~500 half-lives between the first and last day (events span 59 days).
    st.one_of(st.none(), st.floats(0.12, 90)),
    st.one_of(st.none(), st.integers(0, 60)),
    st.sampled_from([history_decay.KERNEL_HALF_LIVES_PER_SEGMENT, 2.0]),
)
def test_the_compiled_pass_matches_the_numpy_path(
    events, types, half_life, window_days, per_segment
):
    h = history(events)
    keys = h.key_mask(set(types))
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(history_module, "KERNEL_HALF_LIVES_PER_SEGMENT", per_segment)
        rows, as_of = h.row_counts(keys, half_life, window_days)
    want = covered_counts(h, keys, half_life, window_days)
    assert rows.dtype == np.float32
    np.testing.assert_allclose(rows, want.dense(np.float32), rtol=1e-6, atol=1e-6)
    np.testing.assert_allclose(as_of, want.as_of(), rtol=1e-9, atol=1e-9)


def test_a_later_segment_carries_the_total_before_it(monkeypatch):
    # Two days 50 days apart: at a 1-day half-life and segments of 8 half-lives, the
    # second starts a later segment.
    monkeypatch.setattr(history_module, "KERNEL_HALF_LIVES_PER_SEGMENT", 8.0)
    events = [(1, "email_open", 24), (1, "email_open", 25), (1, "email_open", 50 * 24)]
    events += [(2, "email_open", 30)]
    h = history(events)
    keys = h.key_mask({"email_open"})
    assert h._decay_plan(1.0, 8.0).later.size
    rows, as_of = h.row_counts(keys, 1.0, None)
    want = covered_counts(h, keys, 1.0, None)
    np.testing.assert_allclose(rows, want.dense(np.float32), rtol=1e-6)
    np.testing.assert_allclose(as_of, want.as_of(), rtol=1e-9)


@SETTINGS
@given(
    events_strategy,
    st.sampled_from(TYPES),
    st.floats(0.5, 90),
    st.floats(0.5, 90),
    st.one_of(st.none(), st.integers(0, 60)),
)
def test_overwriting_an_earlier_result_of_the_same_keys_gives_fresh_values(
    events, activity, first_half_life, half_life, window_days
):
    h = history(events)
    keys = h.key_mask({activity})
    earlier = h.row_counts(keys, first_half_life, None)
    rows, as_of = h.row_counts(keys, half_life, window_days, out=earlier)
    fresh_rows, fresh_as_of = h.row_counts(keys, half_life, window_days)
    assert rows is earlier[0] and as_of is earlier[1]
    np.testing.assert_array_equal(rows, fresh_rows)
    np.testing.assert_array_equal(as_of, fresh_as_of)


@SETTINGS
@given(
    st.lists(st.floats(0, 50, width=32), max_size=40),
    st.floats(-20, 20),
    st.one_of(st.none(), st.floats(0, 30)),
    st.one_of(st.none(), st.integers(1, 5)),
    st.sampled_from([-2, -1, 1, 3]),
)
def test_the_compiled_term_adds_what_the_numpy_term_gives(counts, points, cap, min_count, times):
    values = np.array(counts, dtype=np.float32)
    start = np.linspace(-3, 3, values.size)
    term = Term(Source("email_open", None, None, None), points, cap, min_count)
    want = start.copy()
    applied = term.apply(values)
    if abs(times) != 1:
        applied *= abs(times)
    want = want - applied if times < 0 else want + applied
    got = start.copy()
    _patch(got, [(values, term, times)], 0, values.size)
    np.testing.assert_array_equal(got, want)
    as_of = values.astype(np.float64)  # per-lead counts (EngagementCache.now) are float64
    got = start.copy()
    _patch(got, [(as_of, term, times)], 0, as_of.size)
    np.testing.assert_array_equal(got, want)


@SETTINGS
@given(events_strategy, st.lists(st.sampled_from(TYPES), max_size=3, unique=True))
def test_entry_count_counts_the_entries_of_the_keys(events, types):
    h = history(events)
    keys = h.key_mask(set(types))
    assert h.entry_count(keys) == h._positions(keys).size


def test_a_decay_change_reuses_dropped_counts_but_never_ones_still_held(monkeypatch):
    events = [(1, "email_open", 24), (1, "email_open", 500), (2, "page_view", 30)]
    events += [(2, "email_open", 90), (3, "page_view", 700)]
    h = history(events)
    monkeypatch.setattr(engagement, "_CACHE_BYTES", 0)  # every unused entry is dropped
    cache = engagement.EngagementCache(h)
    sources = [Source(t, None, 7.0, None) for t in ("email_open", "page_view")]
    cache._in_use = frozenset(sources)  # as `now` and `rows` set them
    cache.prefetch(sources)
    reusable = id(cache.counts(sources[0])[0])  # an id only: holding it would keep it
    held = cache.counts(sources[1])[0]
    before = held.copy()
    changed = [Source(t, None, 30.0, None) for t in ("email_open", "page_view")]
    cache._in_use = frozenset(changed)
    cache.prefetch(changed)
    np.testing.assert_array_equal(held, before)  # page_view's old rows: still held
    assert id(cache.counts(changed[0])[0]) == reusable  # email_open's were overwritten
    fresh = engagement.EngagementCache(h)
    for source in changed:
        for got, want in zip(cache.counts(source), fresh.counts(source), strict=True):
            np.testing.assert_array_equal(got, want)
