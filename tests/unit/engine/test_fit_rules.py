import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from domain.definitions.definition import FitRule
from domain.engine.fit import UnknownAttributeError, fit_mask
from tests.builders import make_leads

LEADS = make_leads(
    {
        "industry": "SaaS",
        "company_size": 500,
        "email": "ann@acme.com",
        "title": "VP Sales",
        "plan": "pro",
    },
    {"industry": " saas ", "company_size": 5000, "email": "bob@gmail.com", "title": "Student"},
    {"industry": "Retail", "company_size": None, "email": None, "title": None},
)


def matches(operator, value, attribute="industry"):
    rule = FitRule(id="r", attribute=attribute, operator=operator, value=value, points=1)
    return fit_mask(LEADS, rule).tolist()


def test_equals_ignores_case_and_surrounding_spaces():
    assert matches("equals", "SAAS") == [True, True, False]


def test_in_and_not_in_never_match_a_missing_value():
    assert matches("in", ("Retail", "Media")) == [False, False, True]
    assert matches("not_in", ("Retail",), attribute="title") == [True, True, False]


def test_numeric_operators_are_inclusive_and_skip_missing_values():
    assert matches("between", (500, 4999), "company_size") == [True, False, False]
    assert matches(">=", 5000, "company_size") == [False, True, False]
    assert matches("<=", 500, "company_size") == [True, False, False]
    assert matches("equals", 500, "company_size") == [True, False, False]


def test_text_operators_match_parts_of_the_text():
    assert matches("endswith", "@GMAIL.com", "email") == [False, True, False]
    assert matches("contains", "student", "title") == [False, True, False]


def test_custom_attributes_are_usable_like_core_ones():
    assert matches("equals", "pro", "plan") == [True, False, False]


def test_an_unknown_attribute_is_reported():
    with pytest.raises(UnknownAttributeError):
        matches("equals", "x", "favourite_colour")


def test_the_mask_is_a_boolean_array_per_lead():
    mask = fit_mask(
        LEADS, FitRule(id="r", attribute="industry", operator="equals", value="SaaS", points=1)
    )
    assert mask.dtype == np.bool_ and mask.shape == (3,)


def test_numeric_operators_read_numbers_held_as_text():
    leads = make_leads({"visits": "12"}, {"visits": "3"}, {"visits": None})
    rule = FitRule(id="r", attribute="visits", operator=">=", value=5, points=1)
    assert fit_mask(leads, rule).tolist() == [True, False, False]


def test_numeric_operators_on_a_date_read_its_age_in_days_at_creation():
    leads = make_leads(
        {"born": "23/07/79", "created_at": "2016-07-15"},  # two-digit year: 1979, day first
        {"born": "01/06/16", "created_at": "2016-07-15"},
        {"born": None, "created_at": "2016-07-15"},
    )
    rule = FitRule(id="r", attribute="born", operator=">=", value=30 * 365, points=1)
    assert fit_mask(leads, rule).tolist() == [True, False, False]
    young = FitRule(id="y", attribute="born", operator="between", value=(40, 50), points=1)
    assert fit_mask(leads, young).tolist() == [False, True, False]  # 44 days


def test_a_date_typed_attribute_is_read_as_age_in_days_too():
    leads = make_leads(
        {"signed_up": "2016-06-15", "created_at": "2016-07-15"},
        {"signed_up": "2016-07-10", "created_at": "2016-07-15"},
    )
    leads["signed_up"] = pd.to_datetime(leads["signed_up"], utc=True)
    rule = FitRule(id="r", attribute="signed_up", operator=">=", value=20, points=1)
    assert fit_mask(leads, rule).tolist() == [True, False]


WORDS = st.sampled_from(["SaaS", " saas ", "Retail", "retail", "Fin Tech", "fintech", "", "  "])
CELLS = st.one_of(WORDS, st.none(), st.just(np.nan))


@settings(max_examples=60)
@given(
    st.lists(CELLS, min_size=1, max_size=30),
    st.sampled_from(["equals", "in", "not_in", "contains", "endswith"]),
    st.lists(WORDS.filter(str.strip), min_size=1, max_size=2),
)
def test_text_operators_read_each_lead_as_its_casefolded_stripped_text(cells, operator, values):
    leads = pd.DataFrame({"industry": pd.Series(cells, dtype=object)})
    value = values[0] if operator in ("equals", "contains", "endswith") else tuple(values)
    rule = FitRule(id="r", attribute="industry", operator=operator, value=value, points=1)
    wanted = [v.casefold() for v in (values[:1] if isinstance(value, str) else values)]

    def reference(cell: object) -> bool:
        if cell is None or (isinstance(cell, float) and np.isnan(cell)):
            return False
        text = str(cell).strip().casefold()
        if operator == "contains":
            return wanted[0] in text
        if operator == "endswith":
            return text.endswith(wanted[0])
        return (text in wanted) != (operator == "not_in")

    assert fit_mask(leads, rule).tolist() == [reference(cell) for cell in cells]
