"""The value check: values no rule matches, and spellings that differ only in case,
spaces or underscores, with the spelling to keep."""

import pandas as pd
from hypothesis import given
from hypothesis import strategies as st

from domain.importing.value_check import check_values, spelling_key, variants_of
from tests.builders import definition, fit

RULES = definition(
    fit_rules=[
        fit("country", "in", ["US", "Canada"], 10),
        fit("source", "equals", "Organic Search", 5),
        fit("company_size", ">=", 100, 5),
        fit("seniority", "equals", "senior", 5),
    ]
)
LEADS = pd.DataFrame(
    {
        "country": ["US", "United States", "United States", "canada ", None, "France"],
        "source": ["Organic Search", "organic_search", "ORGANIC SEARCH", "Paid", "Paid", ""],
        "company_size": [10, 200, 300, 50, 1, 2],
    }
)


def test_values_no_rule_matches_are_listed_with_their_lead_counts():
    found = check_values(LEADS, RULES)
    assert found.attributes == ("country", "source")
    unmatched = found.unmatched.set_index(["attribute", "value"])["leads"].to_dict()
    assert unmatched == {
        ("country", "United States"): 2,
        ("country", "France"): 1,
        ("source", "organic_search"): 1,
        ("source", "Paid"): 2,
    }


def test_spellings_of_a_rule_value_are_merged_into_the_rules_spelling():
    variants = check_values(LEADS, RULES).variants
    source = variants[variants["attribute"] == "source"]
    assert set(source["value"]) == {"Organic Search", "organic_search", "ORGANIC SEARCH"}
    assert set(source["normalise_to"]) == {"Organic Search"}
    country = variants[variants["attribute"] == "country"]
    assert country[["value", "normalise_to"]].values.tolist() == [["canada ", "Canada"]]


def test_attributes_a_rule_uses_that_no_lead_has_are_named_and_clean_data_is_clean():
    found = check_values(LEADS, RULES)
    assert found.missing == ("seniority",)
    clean = check_values(pd.DataFrame({"country": ["US"], "source": ["Organic Search"]}), RULES)
    assert clean.clean


def test_without_a_rule_spelling_the_most_common_one_is_kept():
    rules = definition(fit_rules=[fit("source", "equals", "Paid", 5)])
    leads = pd.DataFrame({"source": ["web-site", "Web Site", "Web Site", "Paid"]})
    variants = check_values(leads, rules).variants
    assert set(variants["normalise_to"]) == {"Web Site"}
    assert variants_of(leads["source"], "Web Site") == ["web-site"]


def test_the_check_leaves_its_input_untouched():
    before = LEADS.copy()
    check_values(LEADS, RULES)
    pd.testing.assert_frame_equal(LEADS, before)


words = st.text(alphabet="abcXYZ", min_size=1, max_size=6)


@given(st.lists(words, min_size=1, max_size=4), st.lists(st.sampled_from([" ", "_", "-", "  "])))
def test_case_spaces_and_underscores_never_change_the_spelling_key(parts, separators):
    joined = " ".join(parts)
    other = parts[0].upper()
    for i, part in enumerate(parts[1:]):
        other += (separators[i] if i < len(separators) else "_") + part.swapcase()
    assert spelling_key(joined) == spelling_key(other)
