"""A real export's custom columns come in typed (ExtraaLearn: 4,612 leads, no dates):
visits and seconds on site are numbers with range rules, Yes/No channels are yes/no.
Counts are checked against pandas on the raw file."""

from __future__ import annotations

import pandas as pd
import pytest

from db import repository as repo
from domain.definitions.definition import FitRule
from domain.engine.fit import fit_mask
from domain.importing import Mapping, read_csv_source
from tests.integration.importing.test_olist_import import DATASETS

FILE = DATASETS / "extraalearn" / "ExtraaLearn.csv"
pytestmark = pytest.mark.skipif(not FILE.is_file(), reason=f"ExtraaLearn is not at {FILE}")
MAPPING = Mapping.from_json(
    {"kind": "leads", "fields": {"external_id": "ID"}, "ignore": ["status"]}
)


def test_extraalearn_columns_are_typed_and_range_rules_count_as_pandas_does(engine):
    raw = pd.read_csv(FILE)

    report = repo.import_csv(engine, read_csv_source(FILE), MAPPING, all_or_nothing=True)

    assert report.inserted == len(raw) == 4_612
    assert {c: report.types[c] for c in ("website_visits", "time_spent_on_website")} == {
        "website_visits": "number",
        "time_spent_on_website": "number",
    }
    assert report.types["page_views_per_visit"] == "number"
    assert report.types["print_media_type1"] == "yes/no"
    assert report.types["current_occupation"] == "text"
    leads = repo.load_leads(engine)
    visits = FitRule(id="v", attribute="website_visits", operator=">=", value=5, points=1)
    assert fit_mask(leads, visits).sum() == (raw["website_visits"] >= 5).sum()
    time_on_site = FitRule(
        id="t", attribute="time_spent_on_website", operator="between", value=(600, 1200), points=1
    )
    expected = raw["time_spent_on_website"].between(600, 1200).sum()
    assert fit_mask(leads, time_on_site).sum() == expected
    below = FitRule(id="p", attribute="page_views_per_visit", operator="<", value=2, points=1)
    assert fit_mask(leads, below).sum() == (raw["page_views_per_visit"] < 2).sum()
    assert leads["print_media_type1"].sum() == (raw["print_media_type1"] == "Yes").sum()
