"""The fit-rule picker's pure parts: type from dtype, operators, distributions, figures."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from components.definitions.definition_picker import build_distribution_figure, literal
from domain.definitions.attribute_profile import (
    OPERATORS_BY_TYPE,
    column_type,
    default_range,
    distribution,
    rule_for,
)
from domain.definitions.definition import FitRule


@pytest.mark.parametrize(
    ("column", "kind"),
    [
        (pd.Series([1.0, None]), "number"),
        (pd.Series(pd.to_datetime(["2024-01-01", None], utc=True)), "date"),
        (pd.Series([True, None], dtype="boolean"), "yes/no"),
        (pd.Series(["a", None]), "text"),
    ],
)
def test_the_type_comes_from_the_loaded_column(column, kind):
    assert column_type(column) == kind


def test_numbers_and_dates_offer_ranges_yes_no_offers_is_yes_and_text_offers_is_and_in():
    assert OPERATORS_BY_TYPE["number"] == OPERATORS_BY_TYPE["date"] == (">=", "<", "between", "<=")
    assert OPERATORS_BY_TYPE["yes/no"] == ("is yes", "is no")
    assert OPERATORS_BY_TYPE["text"][:3] == ("equals", "in", "not_in")


@settings(deadline=None)  # the machine is shared: no timing in tests
@given(st.lists(st.one_of(st.none(), st.floats(-1e6, 1e6)), min_size=1, max_size=300))
def test_a_histogram_counts_every_present_value_once(values):
    column = pd.Series(values, dtype="float64")
    dist = distribution(column, "number")
    assert sum(dist.counts) + dist.missing == len(values)
    assert dist.missing == column.isna().sum()


def test_text_shows_the_top_values_and_groups_the_rest():
    column = pd.Series([f"v{i}" for i in range(20)] + ["v0"] * 5)
    dist = distribution(column, "text")
    assert dist.labels[0] == "v0" and dist.counts[0] == 6
    assert dist.labels[-1] == "(5 other values)" and sum(dist.counts) == 25


def test_dates_are_counted_per_month_and_yes_no_per_answer():
    dates = pd.Series(pd.to_datetime(["2024-01-05", "2024-01-20", "2024-03-01"], utc=True))
    assert distribution(dates, "date").labels == ("2024-01", "2024-03")
    answers = pd.Series([True, False, True, None], dtype="boolean")
    dist = distribution(answers, "yes/no")
    assert (dist.labels, dist.counts, dist.missing) == (("yes", "no"), (2, 1), 1)


@pytest.mark.parametrize(
    ("kind", "choice", "value", "expected"),
    [
        ("yes/no", "is no", True, ("equals", False)),
        ("number", "between", (1.5, 9.0), ("between", (1.5, 9.0))),
        ("date", "<", pd.Timestamp("2024-03-01").date(), ("<", "2024-03-01")),
        ("text", "in", ["a", "b"], ("in", ("a", "b"))),
    ],
)
def test_a_picker_choice_becomes_a_valid_rule(kind, choice, value, expected):
    operator, rule_value = rule_for(kind, choice, value)
    assert (operator, rule_value) == expected
    FitRule(id="r", attribute="x", operator=operator, value=rule_value, points=1)


def test_the_default_range_is_the_middle_half():
    assert default_range(pd.Series(range(101), dtype="float64")) == (25.0, 75.0)


def test_file_text_is_shown_literally_in_captions_and_charts():
    assert literal("**bold** [x](y)") == r"\*\*bold\*\* \[x\]\(y\)"
    dist = distribution(pd.Series(["<b>big</b>", "a"]), "text")
    figure = build_distribution_figure(dist, "x")
    assert "&lt;b&gt;big&lt;/b&gt;" in figure.data[0].y
