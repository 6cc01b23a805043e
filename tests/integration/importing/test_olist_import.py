"""A real two-file CRM export (Olist: 8,000 MQLs, 842 won deals) imported without code.

The files stay outside the repository: the test skips, saying why, when the folder is
absent; BATON_DATASETS points at another copy of the datasets folder.
"""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd
import pytest

from db import repository as repo
from db.scoring.scoring_source import load_model
from domain.definitions.defaults import default_definition
from domain.engine.lead_table import lead_table
from domain.importing import Mapping, read_csv_source

REPO = Path(__file__).resolve().parents[3]
DATASETS = Path(os.environ.get("BATON_DATASETS", REPO.parent / "shared" / "datasets"))
OLIST = DATASETS / "olist-marketing-funnel"
MQLS = OLIST / "olist_marketing_qualified_leads_dataset.csv"
DEALS = OLIST / "olist_closed_deals_dataset.csv"
FIXTURES = REPO / "tests" / "fixtures"

pytestmark = pytest.mark.skipif(
    not (MQLS.is_file() and DEALS.is_file()),
    reason=f"the Olist dataset is not at {OLIST} (set BATON_DATASETS to its parent folder)",
)


def import_with(engine, kind_file: Path, mapping_file: str) -> repo.ImportReport:
    """What `python cli.py import KIND FILE --mapping MAPPING` does."""
    mapping = Mapping.from_json((FIXTURES / mapping_file).read_text(encoding="utf-8"))
    return repo.import_csv(engine, read_csv_source(kind_file), mapping, all_or_nothing=True)


def test_the_olist_export_imports_and_gives_the_numbers_a_user_checks(sqlite_engine):
    leads = import_with(sqlite_engine, MQLS, "olist_leads_mapping.json")
    won = import_with(sqlite_engine, DEALS, "olist_outcomes_mapping.json")
    extras = import_with(sqlite_engine, DEALS, "olist_deal_attributes_mapping.json")

    assert (leads.inserted, leads.rejected) == (8_000, 0)
    assert (won.inserted, won.rejected) == (842, 0)
    assert (extras.inserted, extras.updated) == (0, 842)  # deal columns joined onto leads
    model = load_model(sqlite_engine, as_of="2019-01-01")
    table = lead_table(model.leads, model.score(default_definition()))
    assert len(table) == 8_000
    assert int((table["highest_stage"] == "Won").sum()) == 842
    assert set(model.leads["business_segment"].dropna()) >= {"pet", "car_accessories"}

    raw_leads = pd.read_csv(MQLS, dtype=str, keep_default_na=False)
    raw_deals = pd.read_csv(DEALS, dtype=str, keep_default_na=False)
    raw_leads["won"] = raw_leads["mql_id"].isin(raw_deals["mql_id"])
    origin = raw_leads["origin"].replace("", None)
    expected = raw_leads.groupby(origin, dropna=False)["won"].mean()
    ours = (table["highest_stage"] == "Won").groupby(table["source"], dropna=False).mean()
    pd.testing.assert_series_equal(
        ours.sort_index(), expected.sort_index(), check_names=False, check_index_type=False
    )
