"""Rules as editable rows, and rows back to rules with a reason for every bad row."""

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from domain.definitions.defaults import default_definition
from domain.definitions.definition import EngagementRule, FitRule
from domain.definitions.rule_tables import (
    FIT_COLUMNS,
    apply_editor_changes,
    apply_tables,
    engagement_rows,
    engagement_rules_from_rows,
    fit_rows,
    fit_rules_from_rows,
    has_changes,
    without_unknown_attributes,
)
from domain.definitions.rule_values import RowProblem, format_value, parse_value

DEFAULT = default_definition()
ATTRIBUTES = ("industry", "company_size", "country", "seniority", "email", "title")
ACTIVITIES = tuple(sorted({r.activity_type for r in DEFAULT.engagement_rules}))


def first_fit_row(**changes):
    return [{**fit_rows(DEFAULT.fit_rules)[0], **changes}]


def first_engagement_row(**changes):
    return [{**engagement_rows(DEFAULT.engagement_rules)[0], **changes}]


def test_the_default_rules_survive_rules_to_rows_to_rules_exactly():
    result = apply_tables(
        DEFAULT,
        fit_rows(DEFAULT.fit_rules),
        engagement_rows(DEFAULT.engagement_rules),
        ATTRIBUTES,
        ACTIVITIES,
    )
    assert result.ok
    assert result.definition.fingerprint() == DEFAULT.fingerprint()


@pytest.mark.parametrize(
    ("row", "reason"),
    [
        ({"attribute": "shoe_size"}, "attribute 'shoe_size' is not in the lead data"),
        ({"attribute": None}, "pick an attribute"),
        ({"operator": "like"}, "unknown operator 'like'"),
        ({"points": "ten"}, "points: 'ten' is not a number"),
        ({"points": None}, "points: enter a number"),
        ({"points": math.nan}, "points: enter a number"),
        ({"value": ""}, "'in' needs values separated by commas"),
        ({"operator": "between", "value": "500, 10"}, "'between' needs low <= high"),
        ({"operator": "between", "value": "many"}, "'between' needs two numbers"),
        ({"operator": ">=", "value": "lots"}, "'>=' needs a number, got 'lots'"),
    ],
)
def test_a_bad_fit_row_gets_a_reason_and_keeps_its_last_valid_rule(row, reason):
    table = fit_rules_from_rows(first_fit_row(**row), DEFAULT.fit_rules, ATTRIBUTES)
    assert reason in table.problems[0]
    assert table.rules == (DEFAULT.fit_rules[0],)


@pytest.mark.parametrize(
    ("row", "reason"),
    [
        ({"cap": -1}, "cap must be 0 or more"),
        ({"cap": "a lot"}, "cap: 'a lot' is not a number"),
        ({"window_days": 0}, "window must be a whole number of days above 0"),
        ({"window_days": 2.5}, "window must be a whole number of days above 0"),
        ({"activity_type": "carrier_pigeon"}, "no activity of type 'carrier_pigeon'"),
        ({"content_stage": "purchase"}, "content stage must be one of"),
        ({"points": "many"}, "points: 'many' is not a number"),
    ],
)
def test_a_bad_engagement_row_gets_a_reason_and_keeps_its_last_valid_rule(row, reason):
    rows = first_engagement_row(**row)
    table = engagement_rules_from_rows(rows, DEFAULT.engagement_rules, ACTIVITIES)
    assert reason in table.problems[0]
    assert table.rules == (DEFAULT.engagement_rules[0],)


def test_a_new_bad_row_is_left_out_until_it_is_valid():
    rows = [{"id": "fit-1", "attribute": "industry", "operator": "in", "value": "", "points": 5}]
    table = fit_rules_from_rows(rows, (), ATTRIBUTES)
    assert table.rules == ()
    assert 0 in table.problems


def test_valid_edits_apply_while_a_bad_row_elsewhere_waits():
    rows = fit_rows(DEFAULT.fit_rules)
    rows[0]["points"] = 40
    rows[1]["points"] = "ten"
    result = apply_tables(
        DEFAULT, rows, engagement_rows(DEFAULT.engagement_rules), ATTRIBUTES, ACTIVITIES
    )
    assert result.definition.fit_rules[0].points == 40
    assert result.definition.fit_rules[1] == DEFAULT.fit_rules[1]
    assert list(result.fit_problems) == [1]


def test_an_engagement_id_used_by_a_fit_rule_is_refused():
    engagement = engagement_rows(DEFAULT.engagement_rules)[:1]
    engagement[0]["id"] = DEFAULT.fit_rules[0].id
    result = apply_tables(DEFAULT, fit_rows(DEFAULT.fit_rules), engagement, ATTRIBUTES, ACTIVITIES)
    assert "used twice" in result.engagement_problems[0]
    assert result.definition.engagement_rules == ()


def test_numbers_typed_as_text_and_cleared_cells_are_understood():
    rows = first_engagement_row(points="12", cap="", window_days=None, content_stage="")
    rule = engagement_rules_from_rows(rows, (), ACTIVITIES).rules[0]
    assert (rule.points, rule.cap, rule.window_days, rule.content_stage) == (12, None, None, None)


def test_values_are_parsed_for_their_operator():
    assert parse_value("SaaS, Fintech ,", "in") == ("SaaS", "Fintech")
    assert parse_value("1, 2.5, true", "not_in") == (1, 2.5, True)
    assert parse_value("200-4999", "between") == (200, 4999)
    assert parse_value("-5 to 5", "between") == (-5, 5)
    assert parse_value(" 5000 ", ">=") == 5000
    assert parse_value("@Gmail.com", "endswith") == "@Gmail.com"
    assert parse_value("42", "equals") == 42
    with pytest.raises(RowProblem):
        parse_value(None, "contains")


def test_editor_changes_edit_delete_and_add_rows_with_fresh_ids():
    rows = fit_rows(DEFAULT.fit_rules[:3])
    original = [dict(r) for r in rows]
    changes = {
        "edited_rows": {"0": {"points": 99, "id": "hacked"}, 2: {"label": "big"}},
        "deleted_rows": [1],
        "added_rows": [{"attribute": "country"}, {}],
    }
    out = apply_editor_changes(rows, changes, FIT_COLUMNS, "fit", taken_ids={"fit-1"})
    assert [r["id"] for r in out] == ["ind-core", "size-mid", "fit-2", "fit-3"]
    assert out[0]["points"] == 99 and out[1]["label"] == "big"
    assert out[2]["attribute"] == "country" and out[3]["attribute"] is None
    assert rows == original  # the input is left untouched


def test_an_empty_change_list_is_no_change():
    assert not has_changes(None)
    assert not has_changes({"edited_rows": {}, "added_rows": [], "deleted_rows": []})
    assert has_changes({"deleted_rows": [0]})


def test_rules_on_missing_attributes_are_left_out_of_the_preview():
    preview = without_unknown_attributes(DEFAULT, ("industry",))
    assert {r.attribute for r in preview.fit_rules} == {"industry"}
    assert without_unknown_attributes(DEFAULT, ATTRIBUTES) is DEFAULT


# --- properties -----------------------------------------------------------------------

words = st.text(alphabet="abcdefgh XYZ@.-", min_size=1, max_size=8).map(str.strip).filter(bool)
numbers = st.one_of(st.integers(-10_000, 10_000), st.floats(-1e4, 1e4).map(lambda x: round(x, 2)))
scalars = st.one_of(words, numbers, st.booleans())


@st.composite
def fit_rules(draw, index: int = 0):
    operator = draw(st.sampled_from(["equals", "in", "not_in", "between", ">=", "<=", "contains"]))
    if operator in ("in", "not_in"):
        value = tuple(draw(st.lists(scalars, min_size=1, max_size=4)))
    elif operator == "between":
        low, high = sorted(draw(st.lists(numbers, min_size=2, max_size=2)))
        value = (low, high)
    elif operator in (">=", "<="):
        value = draw(numbers)
    elif operator == "equals":
        value = draw(scalars)
    else:
        value = draw(words)
    return FitRule(
        id=f"rule-{index}",
        attribute=draw(st.sampled_from(ATTRIBUTES)),
        operator=operator,
        value=value,
        points=draw(numbers),
        label=draw(st.one_of(st.just(""), words)),
    )


@st.composite
def engagement_rules(draw, index: int = 0):
    return EngagementRule(
        id=f"eng-{index}",
        activity_type=draw(st.sampled_from(ACTIVITIES)),
        points=draw(numbers),
        cap=draw(st.one_of(st.none(), st.integers(0, 100))),
        window_days=draw(st.one_of(st.none(), st.integers(1, 365))),
        content_stage=draw(st.sampled_from([None, "awareness", "consideration", "decision"])),
    )


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.integers(0, 10**6), max_size=5, unique=True).flatmap(
        lambda ids: st.tuples(*[fit_rules(i) for i in ids])
    )
)
def test_fit_rows_to_rules_to_rows_gives_the_same_rows(rules):
    rows = fit_rows(rules)
    table = fit_rules_from_rows(rows, (), ATTRIBUTES)
    assert table.problems == {}
    assert fit_rows(table.rules) == rows


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.integers(0, 10**6), max_size=5, unique=True).flatmap(
        lambda ids: st.tuples(*[fit_rules(i) for i in ids])
    )
)
def test_unchanged_fit_rows_give_back_exactly_the_stored_rules(rules):
    table = fit_rules_from_rows(fit_rows(rules), rules, ATTRIBUTES)
    assert [r.model_dump_json() for r in table.rules] == [r.model_dump_json() for r in rules]


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.integers(0, 10**6), max_size=5, unique=True).flatmap(
        lambda ids: st.tuples(*[engagement_rules(i) for i in ids])
    )
)
def test_engagement_rows_to_rules_to_rows_gives_the_same_rows(rules):
    rows = engagement_rows(rules)
    table = engagement_rules_from_rows(rows, (), ACTIVITIES)
    assert table.problems == {}
    assert engagement_rows(table.rules) == rows
    assert table.rules == tuple(rules)


@given(scalars)
def test_a_formatted_scalar_parses_back_to_the_same_text(value):
    assert format_value(parse_value(format_value(value), "equals")) == format_value(value)
