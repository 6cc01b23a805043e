import json

import pytest
from pydantic import ValidationError

from domain.definitions.defaults import default_definition
from domain.definitions.definition import (
    MAX_NAME,
    MAX_NOTE,
    MAX_RULES,
    DefinitionError,
    parse_definition,
)


def test_the_default_definition_survives_a_json_round_trip():
    original = default_definition()
    assert parse_definition(original.to_json()) == original


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"mql_threshold": "sixty"}, "mql_threshold"),
        ({"decay_half_life_days": 0}, "decay_half_life_days"),
        ({"decay_half_life_days": -3}, "decay_half_life_days"),
        ({"sql_criteria": {"min_bant": 5}}, "sql_criteria.min_bant"),
        ({"sql_criteria": {"min_bant": -1}}, "sql_criteria.min_bant"),
        ({"sla_hours": 0}, "sla_hours"),
        (
            {
                "engagement_rules": [
                    {"id": "o", "activity_type": "email_open", "points": 1, "cap": -1}
                ]
            },
            "engagement_rules.0.cap",
        ),
        (
            {
                "fit_rules": [
                    {
                        "id": "f",
                        "attribute": "industry",
                        "operator": "like",
                        "value": "x",
                        "points": 1,
                    }
                ]
            },
            "fit_rules.0.operator",
        ),
        (
            {
                "fit_rules": [
                    {
                        "id": "f",
                        "attribute": "company_size",
                        "operator": "between",
                        "value": [500, 10],
                        "points": 1,
                    }
                ]
            },
            "fit_rules.0.value",
        ),
        (
            {
                "fit_rules": [
                    {
                        "id": "f",
                        "attribute": "industry",
                        "operator": "in",
                        "value": "SaaS",
                        "points": 1,
                    }
                ]
            },
            "fit_rules.0.value",
        ),
    ],
)
def test_an_invalid_definition_is_refused_with_a_message_naming_the_field(change, field):
    data = json.loads(default_definition().to_json()) | change
    with pytest.raises(DefinitionError) as refused:
        parse_definition(data)
    assert field in refused.value.problems
    assert field in str(refused.value)


def test_rule_ids_must_be_unique():
    rule = {"id": "same", "activity_type": "email_open", "points": 1}
    with pytest.raises(DefinitionError, match="unique"):
        parse_definition({"engagement_rules": [rule, rule]})


def test_a_definition_is_immutable_and_replace_returns_a_new_value():
    original = default_definition()
    with pytest.raises(ValidationError):
        original.mql_threshold = 10  # type: ignore[misc]
    changed = original.replace(mql_threshold=70)
    assert changed.mql_threshold == 70
    assert original.mql_threshold == 60


def test_the_fingerprint_follows_content_not_identity():
    original = default_definition()
    assert original.fingerprint() == default_definition().fingerprint()
    assert original.replace(mql_threshold=61).fingerprint() != original.fingerprint()


def test_rules_may_name_any_attribute_including_custom_ones():
    parsed = parse_definition(
        {
            "fit_rules": [
                {
                    "id": "c",
                    "attribute": "favourite_colour",
                    "operator": "equals",
                    "value": "green",
                    "points": 3,
                }
            ]
        }
    )
    assert parsed.fit_rules[0].attribute == "favourite_colour"


def test_size_limits_and_nul_characters_are_refused_with_a_reason():
    base = default_definition().model_dump(mode="json")
    rule = {"attribute": "country", "operator": "equals", "value": "DE", "points": 1}
    too_many = [{**rule, "id": f"r{i}"} for i in range(MAX_RULES + 1)]
    long_value = {**rule, "id": "a", "value": "v" * (MAX_NAME + 1)}
    long_label = {**rule, "id": "a", "label": "L" * (MAX_NAME + 1)}
    cases = {
        "fit_rules": {**base, "fit_rules": too_many},
        "stage_notes.MQL": {**base, "stage_notes": {"MQL": "n" * (MAX_NOTE + 1)}},
        "stage_notes.SQL": {**base, "stage_notes": {"SQL": "bad\x00note"}},
        "fit_rules.0.value": {**base, "fit_rules": [long_value]},
        "fit_rules.0.label": {**base, "fit_rules": [long_label]},
    }
    for path, data in cases.items():
        with pytest.raises(DefinitionError) as refused:
            parse_definition(data)
        assert any(key.startswith(path.split(".")[0]) for key in refused.value.problems), path
