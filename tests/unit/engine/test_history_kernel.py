"""The compiled pass (ActivityHistory.row_counts) agrees with the NumPy path
(covered_counts), for any activity, half-life (short ones give later segments) and window."""

import numpy as np
import pandas as pd
from hypothesis import given
from hypothesis import strategies as st

from domain.engine.aggregate import aggregate_activities
from domain.engine.history_build import build_history
from tests.builders import AS_OF
from tests.unit.engine.test_scoring_properties import SETTINGS, TYPES, events_strategy, raw


def history(events):
    lead_ids = np.arange(1, 6)  # lead 5 never has activity
    return build_history(aggregate_activities(raw(events)), lead_ids, pd.Timestamp(AS_OF, tz="UTC"))


@SETTINGS
@given(
    events_strategy,
    st.lists(st.sampled_from(TYPES), min_size=1, max_size=3, unique=True),
    st.one_of(st.none(), st.floats(0.5, 90)),
    st.one_of(st.none(), st.integers(0, 60)),
)
def test_the_compiled_pass_matches_the_numpy_path(events, types, half_life, window_days):
    h = history(events)
    keys = h.key_mask(set(types))
    rows, as_of = h.row_counts(keys, half_life, window_days)
    want = h.covered_counts(keys, half_life, window_days)
    assert rows.dtype == np.float32
    np.testing.assert_allclose(rows, want.dense(np.float32), rtol=1e-6, atol=1e-6)
    np.testing.assert_allclose(as_of, want.as_of(), rtol=1e-9, atol=1e-9)


def test_a_later_segment_carries_the_total_before_it():
    # Two days 50 days apart: at a 1-day half-life the second starts a later segment.
    events = [(1, "email_open", 24), (1, "email_open", 25), (1, "email_open", 50 * 24)]
    events += [(2, "email_open", 30)]
    h = history(events)
    keys = h.key_mask({"email_open"})
    assert h._decay_plan(1.0).later.size
    rows, as_of = h.row_counts(keys, 1.0, None)
    want = h.covered_counts(keys, 1.0, None)
    np.testing.assert_allclose(rows, want.dense(np.float32), rtol=1e-6)
    np.testing.assert_allclose(as_of, want.as_of(), rtol=1e-9)
