"""Mapping files, presets for CRM exports, and suggestions from a header."""

import json
from pathlib import Path

import pytest

from domain.importing import (
    FIELDS,
    KINDS,
    Mapping,
    MappingError,
    detect_preset,
    field_names,
    suggest_mapping,
)

HUBSPOT = [
    "Record ID",
    "First Name",
    "Last Name",
    "Email",
    "Company Name",
    "Job Title",
    "Industry",
    "Number of Employees",
    "Country/Region",
    "Original Source",
    "Contact owner",
    "Create Date",
    "Lifecycle Stage",
]
SALESFORCE = [
    "Lead ID",
    "First Name",
    "Last Name",
    "Title",
    "Company / Account",
    "Email",
    "Lead Source",
    "Industry",
    "No. of Employees",
    "Country",
    "Lead Owner",
    "Create Date",
    "Lead Status",
]
README = Path(__file__).resolve().parents[3] / "README.md"


def test_a_mapping_file_round_trips_through_json():
    text = json.dumps(
        {
            "kind": "leads",
            "fields": {"external_id": "Id", "email": "E-mail"},
            "ignore": ["Notes"],
            "date_format": "%d/%m/%Y",
            "true_values": ["oui"],
        }
    )
    mapping = Mapping.from_json(text)
    assert mapping.fields == {"external_id": "Id", "email": "E-mail"}
    assert Mapping.from_json(mapping.to_json()) == mapping


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ("{not json", "not valid JSON"),
        ("[1, 2]", "JSON object"),
        ({"kind": "deals", "fields": {}}, "kind must be one of leads, activities"),
        ({"kind": "leads", "fields": {"mail": "Email"}}, "unknown leads field.*valid fields: "),
        ({"kind": "leads", "fields": {"email": 3}}, "must map Baton field names"),
        ({"kind": "leads", "fields": {}, "colour": 1}, "unknown key"),
        ({"kind": "leads", "fields": {}, "date_format": "dd/mm"}, "strftime"),
        ({"kind": "leads", "true_values": ["x"], "false_values": ["X"]}, "both true and false"),
    ],
)
def test_bad_mapping_files_are_refused_with_a_message_saying_what_to_fix(data, message):
    with pytest.raises(MappingError, match=message):
        Mapping.from_json(data if isinstance(data, dict) else data)


def test_problems_name_missing_columns_unmapped_required_fields_and_double_use():
    mapping = Mapping(
        kind="activities",
        fields={"lead_external_id": "lead", "activity_type": "what", "asset": "what"},
    )
    problems = mapping.problems(["lead", "what"])
    assert "required field occurred_at is not mapped to any column" in problems
    assert any("'what' is mapped to several fields" in p for p in problems)
    assert Mapping(kind="leads", fields={"email": "Mail"}).problems(["Email"]) == [
        "email is mapped to column 'Mail', which the file lacks"
    ]


def test_a_field_can_combine_columns_and_a_column_named_with_a_plus_is_taken_whole():
    mapping = Mapping(kind="leads", fields={"name": "First Name + Last Name"})
    assert mapping.source_columns("name", ["First Name", "Last Name"]) == [
        "First Name",
        "Last Name",
    ]
    assert mapping.source_columns("name", ["First Name + Last Name"]) == ["First Name + Last Name"]


def test_unmapped_unignored_lead_columns_become_custom_attributes():
    mapping = Mapping(kind="leads", fields={"email": "Email"}, ignore=("Secret",))
    assert mapping.custom_columns(["Email", "Secret", "Lifecycle Stage"]) == ["Lifecycle Stage"]


@pytest.mark.parametrize(
    ("header", "preset"), [(HUBSPOT, "HubSpot contacts"), (SALESFORCE, "Salesforce leads report")]
)
def test_crm_exports_are_recognised_by_their_header_and_fully_mapped(header, preset):
    assert detect_preset(header) == preset
    mapping = suggest_mapping("leads", header)
    assert mapping.problems(header) == []
    assert mapping.fields["name"] == "First Name + Last Name"
    assert set(mapping.fields) >= {"external_id", "email", "company", "owner", "created_at"}
    assert mapping.custom_columns(header) == [header[-1]]  # the lifecycle stage / status


def test_an_unknown_header_gets_a_generic_mapping_by_column_names():
    header = ["Lead Id", "E-mail", "Company", "Employees", "created", "Favourite colour"]
    assert detect_preset(header) is None
    mapping = suggest_mapping("leads", header)
    assert mapping.fields == {
        "external_id": "Lead Id",
        "email": "E-mail",
        "company": "Company",
        "company_size": "Employees",
        "created_at": "created",
    }


def test_a_preset_applies_only_where_the_file_has_the_columns():
    mapping = suggest_mapping("leads", ["Record ID", "Email"], preset="HubSpot contacts")
    assert mapping.fields == {"external_id": "Record ID", "email": "Email"}


def test_suggestions_for_activity_files_map_the_required_fields():
    header = ["lead_id", "type", "timestamp", "stage"]
    mapping = suggest_mapping("activities", header)
    assert mapping.problems(header) == []


def test_the_readme_documents_every_field_of_every_kind():
    text = README.read_text(encoding="utf-8")
    section = text[text.index("## Bring your own data") :]
    for kind in KINDS:
        for spec in FIELDS[kind]:
            assert f"`{spec.name}`" in section, (kind, spec.name)
            assert f"`{spec.name}` | {spec.kind}" in section, (kind, spec.name)
    assert field_names("leads")[0] == "external_id"
