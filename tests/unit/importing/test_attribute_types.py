"""Custom attribute types: inference, parsing to stored values, reading back, range rules."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from domain.definitions.definition import DefinitionError, FitRule, parse_definition
from domain.engine.fit import fit_mask
from domain.importing import Mapping, MappingError
from domain.importing.attribute_types import infer_type, parse_attribute, typed_column


def column(*values: str) -> pd.Series:
    return pd.Series(list(values), dtype=object)


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        (("3", "12.5", "", "1,200"), "number"),
        (("1", "0", "1"), "number"),  # 1/0 stays a number: ranges work on it
        (("Yes", "no", " "), "yes/no"),
        (("2024-01-15", "2024-02-01 09:30"), "date"),
        (("02134", "94105"), "text"),  # a leading zero is a code
        (("1700000000", "1700000100"), "number"),  # epoch-like numbers stay numbers
        (("pro", "free"), "text"),
        (("", " "), "text"),
        (("3", "three"), "text"),
    ],
)
def test_a_column_type_is_inferred_from_its_values(values, expected):
    assert infer_type(column(*values)) == expected


def test_the_mapping_own_yes_no_words_make_a_yes_no_column():
    assert infer_type(column("oui", "non"), true_values=("oui",), false_values=("non",)) == (
        "yes/no"
    )


@settings(deadline=None)  # the machine is shared: no timing in tests
@given(st.lists(st.floats(-1e9, 1e9, allow_nan=False).map(lambda x: round(x, 3)), min_size=1))
def test_numbers_are_inferred_as_numbers_and_round_trip(numbers):
    raw = column(*(repr(n) for n in numbers))
    assert infer_type(raw) in ("number", "text")  # "-0.0"-like leading zeros may be text
    parsed = parse_attribute(raw, "number")
    assert not parsed.bad.any()
    assert typed_column(parsed.values, "number").tolist() == pytest.approx(numbers)


def test_stored_values_are_plain_json_values_with_none_for_blanks():
    parsed = parse_attribute(column("3", "", "x"), "number")
    assert parsed.values.tolist() == [3.0, None, None] and parsed.bad.tolist() == [
        False,
        False,
        True,
    ]
    assert parse_attribute(column("yes", ""), "yes/no").values.tolist() == [True, None]
    assert parse_attribute(column("2024-01-15", ""), "date").values.tolist() == [
        "2024-01-15T00:00:00Z",
        None,
    ]


def test_values_stored_as_text_read_back_as_their_type():
    assert typed_column(pd.Series(["7", 8.0, None]), "number").tolist()[:2] == [7.0, 8.0]
    assert typed_column(pd.Series(["yes", True, "0"]), "yes/no").tolist() == [True, True, False]
    assert typed_column(pd.Series([74.0, 1.5, "a"]), "text").tolist() == ["74", "1.5", "a"]


def test_a_mapping_names_types_by_any_usual_spelling_and_refuses_unknown_ones():
    mapping = Mapping.from_json({"kind": "leads", "types": {"A": "numeric", "B": "boolean"}})
    assert mapping.types == {"A": "number", "B": "yes/no"}
    assert Mapping.from_json(mapping.to_json()) == mapping
    with pytest.raises(MappingError, match="unknown type 'money'"):
        Mapping.from_json({"kind": "leads", "types": {"A": "money"}})


@pytest.mark.parametrize(
    "bad",
    [
        {"kind": "leads", "key": "row_number", "fields": {"external_id": "Id"}},
        {"kind": "leads", "key": "random"},
        {"kind": "outcomes", "key": "row_number"},
        {"kind": "leads", "join_on": {"company": "account"}},
        {"kind": "attributes", "join_on": {"company": "a", "email": "b"}},
        {"kind": "attributes", "join_on": {"company_size": "employees"}},
    ],
)
def test_key_and_join_on_are_refused_where_they_do_not_apply(bad):
    with pytest.raises(MappingError):
        Mapping.from_json(bad)


LEADS = pd.DataFrame(
    {
        "visits": [1.0, 5.0, 9.0, None],
        "signed": pd.to_datetime(["2024-01-01", "2024-03-15", "2024-07-01", None], utc=True),
    }
)


@pytest.mark.parametrize(
    ("attribute", "operator", "value", "expected"),
    [
        ("visits", "<", 5, [True, False, False, False]),
        ("visits", ">=", 5, [False, True, True, False]),
        ("visits", "between", (2, 9), [False, True, True, False]),
        ("signed", "<", "2024-03-15", [True, False, False, False]),
        ("signed", "between", ("2024-03-01", "2024-12-31"), [False, True, True, False]),
        ("signed", ">=", "2024-03-15T00:00:00+00:00", [False, True, True, False]),
    ],
)
def test_range_rules_work_on_numbers_and_dates(attribute, operator, value, expected):
    rule = FitRule(id="r", attribute=attribute, operator=operator, value=value, points=1)
    assert fit_mask(LEADS, rule).tolist() == expected


def test_a_date_range_must_be_two_ordered_dates():
    rule = {"id": "r", "attribute": "signed", "operator": "between", "points": 1}
    with pytest.raises(DefinitionError, match="low <= high"):
        parse_definition({"fit_rules": [{**rule, "value": ["2024-06-01", "2024-01-01"]}]})
    with pytest.raises(DefinitionError, match="low <= high"):
        parse_definition({"fit_rules": [{**rule, "value": ["2024-06-01", 5]}]})
