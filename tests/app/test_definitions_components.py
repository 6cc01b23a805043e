"""Pure pieces of the definitions workspace: widget values and impact figures."""

import pandas as pd

from components.definitions.definition_form import (
    HALF_LIFE,
    HAND_RAISERS,
    MANDATORY,
    MIN_BANT,
    NOTES,
    THRESHOLD,
    apply_widgets,
    changed_keys,
    slider_range,
    widget_values,
)
from components.definitions.impact_charts import (
    build_histogram_spec,
    build_score_band_figure,
    build_workload_spec,
)
from components.definitions.impact_panel import stage_table_markdown
from domain.definitions.defaults import default_definition
from domain.funnel.impact import band_labels, compare
from tests.unit.funnel.test_impact import AS_OF, LEADS, result

DEFAULT = default_definition()


def test_unchanged_widgets_give_back_the_same_definition_object():
    values = widget_values(DEFAULT)
    assert changed_keys(DEFAULT, values) == set()
    assert apply_widgets(DEFAULT, values) is DEFAULT


def test_a_fractional_threshold_is_not_rewritten_by_an_untouched_integer_slider():
    fractional = DEFAULT.replace(mql_threshold=62.5)
    assert apply_widgets(fractional, widget_values(fractional)) is fractional


def test_changed_widgets_change_only_their_fields():
    values = widget_values(DEFAULT) | {
        THRESHOLD: 70,
        HALF_LIFE: 0,
        MIN_BANT: 2,
        MANDATORY["budget"]: True,
        NOTES["MQL"]: "  Ready for a sales call ",
        HAND_RAISERS: ["demo_request", "contact_form"],  # reordered, not changed
    }
    changed = apply_widgets(DEFAULT, values)
    assert changed.mql_threshold == 70
    assert changed.decay_half_life_days is None
    assert changed.sql_criteria.min_bant == 2
    assert changed.sql_criteria.mandatory == ("budget", "need")
    assert changed.stage_notes == {"MQL": "Ready for a sales call"}
    assert changed.hand_raisers == DEFAULT.hand_raisers
    assert changed.fit_rules == DEFAULT.fit_rules


def test_slider_bounds_widen_to_show_a_stored_value():
    assert slider_range(60, (0, 200)) == (0, 200)
    assert slider_range(250, (0, 200)) == (0, 250)
    assert slider_range(-5, (0, 200)) == (-5, 200)


def test_the_histogram_draws_both_thresholds_or_one_when_they_agree():
    histogram = pd.DataFrame(
        {"bin_start": [0.0, 5.0], "bin_end": [5.0, 10.0], "published": [3, 1], "draft": [2, 2]}
    )
    spec = build_histogram_spec(histogram, 60, 65)
    bins = spec["datasets"]["bins"]
    assert list(bins["definition"].unique()) == ["Published", "Draft"]
    assert list(bins.loc[bins["definition"] == "Draft", "leads"]) == [2, 2]
    assert sorted(spec["datasets"]["marks"]["x"]) == [60, 65]
    assert len(build_histogram_spec(histogram, 60, 60)["datasets"]["marks"]) == 1


def test_a_threshold_move_changes_only_the_histograms_data_not_its_spec():
    histogram = pd.DataFrame(
        {"bin_start": [0.0, 5.0], "bin_end": [5.0, 10.0], "published": [3, 1], "draft": [2, 2]}
    )
    first, second = build_histogram_spec(histogram, 60, 65), build_histogram_spec(histogram, 60, 66)
    # The browser swaps the data of an unchanged spec in place (cheap) instead of redrawing.
    assert first["layer"] == second["layer"]
    assert not first["datasets"]["marks"].equals(second["datasets"]["marks"])


def test_the_workload_chart_draws_capacity_as_a_line():
    weekly = pd.DataFrame(
        {
            "week_start": pd.to_datetime(["2024-02-01", "2024-02-08"], utc=True),
            "published": [10, 12],
            "draft": [14, 15],
        }
    )
    spec = build_workload_spec(weekly, capacity=13)
    weeks = spec["datasets"]["weeks"]
    assert list(weeks.loc[weeks["definition"] == "Draft", "week"]) == ["Feb 01", "Feb 08"]
    assert list(spec["datasets"]["capacity"]["y"]) == [13]
    assert spec["datasets"]["capacity"]["label"].iloc[0] == "capacity 13/week"
    assert build_workload_spec(weekly, capacity=0)["datasets"]["capacity"].empty


def test_the_score_band_figure_highlights_the_thresholds_band():
    bands = pd.DataFrame(
        {
            "band": band_labels(),
            "leads": [1] * 7,
            "sqls": [0] * 7,
            "won": [0] * 7,
            "sql_rate": [0.0] * 6 + [float("nan")],
            "won_rate": [0.0] * 7,
        }
    )
    figure = build_score_band_figure(bands, "60–80")
    (shade,) = figure.layout.shapes
    assert (shade.x0, shade.x1) == (60, 80)
    assert list(figure.data[0].y)[-1] == 0  # an empty band draws as zero, not a gap
    # Ticks are the band edges, short enough to stay level and apart in a narrow column.
    assert list(figure.layout.xaxis.ticktext) == ["0", "20", "40", "60", "80", "100"]
    assert figure.layout.xaxis.tickangle == 0


def test_the_stage_table_shows_counts_and_signed_changes() -> None:
    published = result(["Lead", "MQL", "SQL", "Won"], [40, 65, 70, 90])
    draft = result(["Lead", "Lead", "SQL", "Won"], [40, 55, 70, 90])
    table = stage_table_markdown(compare(LEADS, published, draft, AS_OF, capacity=1))
    assert "| MQL | 3 | 2 | **-1** |" in table
    assert "| Won | 1 | 1 | 0 |" in table
    assert table.splitlines()[1] == "|:--|--:|--:|--:|"
