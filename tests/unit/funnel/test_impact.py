"""The draft against the published definition: counts, movers, bins, workload, bands."""

import numpy as np
import pandas as pd
import pytest

from domain.engine.scoring import ScoreResult
from domain.engine.stages import FUNNEL_STAGES, NEVER
from domain.funnel.impact import (
    WEEK_NS,
    band_labels,
    band_of,
    compare,
    score_bands,
    score_histogram,
    stage_changes,
    stage_deltas,
    weekly_counts,
    workload,
)
from tests.builders import definition, engagement, make_activities, make_leads, model_of

AS_OF = pd.Timestamp("2024-03-01", tz="UTC").value
DAY = 86_400 * 10**9
LEADS = pd.DataFrame(
    {
        "lead_id": [1, 2, 3, 4],
        "external_id": ["L1", "L2", "L3", "L4"],
        "name": ["Ann", "Bo", "Cy", "Di"],
        "company": ["A", "B", "C", "D"],
    }
)


def result(highest, total, mql_at=None, threshold=60.0) -> ScoreResult:
    """A hand-made result: stages by name, totals all fit, MQL times in days before AS_OF."""
    n = len(highest)
    mql = np.full(n, NEVER, dtype=np.int64)
    for i, days in enumerate(mql_at or []):
        if days is not None:
            mql[i] = AS_OF - int(days * DAY)
    return ScoreResult(
        lead_id=np.arange(1, n + 1),
        fit=np.asarray(total, dtype=float),
        engagement=np.zeros(n),
        mql_reason=np.zeros(n, dtype=np.int64),
        times={"mql_at": mql},
        highest=np.array([FUNNEL_STAGES.index(s) for s in highest]),
        current=np.zeros(n, dtype=np.int64),
        threshold=threshold,
    )


PUBLISHED = result(["Lead", "MQL", "SQL", "Won"], [40, 65, 70, 90], [None, 3, 10, 20])
DRAFT = result(["MQL", "Lead", "SQL", "Won"], [55, 62, 70, 90], [1, None, 10, 20], 50.0)


def test_stage_deltas_count_leads_reaching_each_stage_under_both():
    deltas = stage_deltas(PUBLISHED, DRAFT).set_index("stage")
    assert deltas.loc["MQL"].tolist() == [3, 3, 0]
    assert deltas.loc["Suspect"].tolist() == [4, 4, 0]
    draft = result(["Lead", "Lead", "SQL", "Won"], [0, 0, 0, 0])
    assert stage_deltas(PUBLISHED, draft).set_index("stage").loc["MQL", "delta"] == -1


def test_stage_changes_list_only_the_leads_whose_highest_stage_moves():
    changes = stage_changes(LEADS, PUBLISHED, DRAFT)
    assert changes["external_id"].tolist() == ["L1", "L2"]
    assert changes[["published_stage", "draft_stage", "direction"]].values.tolist() == [
        ["Lead", "MQL", "up"],
        ["MQL", "Lead", "down"],
    ]
    assert changes["draft_score"].tolist() == [55.0, 62.0]


def test_the_histogram_bins_every_score_under_both_definitions():
    histogram = score_histogram(np.array([-3.0, 0.0, 12.0, 59.9]), np.array([60.0, 7.0, 1, 2]))
    assert histogram["bin_start"].iloc[0] == -5.0
    assert histogram["bin_end"].iloc[-1] == 65.0
    assert histogram["published"].sum() == 4 and histogram["draft"].sum() == 4
    row = histogram[histogram["bin_start"] == 60.0]
    assert row["draft"].item() == 1 and row["published"].item() == 0


def test_weekly_counts_place_events_in_the_weeks_that_end_at_as_of():
    times = np.array([AS_OF, AS_OF - 1, AS_OF - WEEK_NS, AS_OF - 3 * WEEK_NS + 1, NEVER, AS_OF + 5])
    assert weekly_counts(times, AS_OF, weeks=3).tolist() == [1, 1, 2]


def test_workload_compares_expected_mqls_per_week_with_capacity():
    load = workload(PUBLISHED, DRAFT, AS_OF, capacity=2, weeks=4)
    # MQL 1, 10 and 20 days before as-of: one in each of the last three weeks.
    assert load.weekly["draft"].tolist() == [0, 1, 1, 1]
    assert load.weekly["published"].tolist() == [0, 1, 1, 1]
    assert load.expected_draft == pytest.approx(0.75)
    assert load.utilisation == pytest.approx(0.375)
    assert np.isnan(workload(PUBLISHED, DRAFT, AS_OF, capacity=0).utilisation)


def test_score_bands_show_how_often_each_band_reached_sql_and_won():
    bands = score_bands(DRAFT).set_index("band")
    assert bands.index.tolist() == band_labels()
    assert bands.loc["40–60"].tolist()[:3] == [1, 0, 0]
    assert bands.loc["80–100", "won_rate"] == 1.0
    assert bands.loc["60–80", "sql_rate"] == 0.5
    assert np.isnan(bands.loc["< 0", "sql_rate"])
    assert band_of(60) == "60–80" and band_of(-1) == "< 0" and band_of(100) == "100+"


def test_compare_leaves_its_inputs_untouched():
    before = (PUBLISHED.highest.copy(), DRAFT.fit.copy(), LEADS.copy())
    report = compare(LEADS, PUBLISHED, DRAFT, AS_OF, capacity=10)
    assert report.count("MQL") == 3 and report.count("MQL", "published") == 3
    assert (report.moved_up, report.moved_down, report.moved) == (1, 1, 2)
    assert len(report.changes()) == 2
    assert report.draft_threshold == 50.0 and report.published_threshold == 60.0
    assert np.array_equal(PUBLISHED.highest, before[0])
    assert np.array_equal(DRAFT.fit, before[1])
    pd.testing.assert_frame_equal(LEADS, before[2])


def test_raising_the_threshold_on_real_scores_only_moves_leads_down():
    leads = make_leads({}, {}, {})
    activities = make_activities(
        (1, "pricing_page_view", "2024-02-20"),
        (2, "pricing_page_view", "2024-02-20"),
        (2, "pricing_page_view", "2024-02-21"),
    )
    model = model_of(leads, activities)
    rules = [engagement("pricing_page_view", 10)]
    loose = model.score(definition(engagement_rules=rules, mql_threshold=10))
    strict = model.score(definition(engagement_rules=rules, mql_threshold=20))
    report = compare(model.leads, loose, strict, model.as_of.value, capacity=5)
    assert report.count("MQL", "published") == 2 and report.count("MQL") == 1
    assert report.changes()["external_id"].tolist() == ["L1"]
    assert (report.moved_up, report.moved_down) == (0, 1)
