"""Three real public exports imported with the mappings in tests/fixtures, checked against
what a user computes with pandas on the raw file.

- ExtraaLearn: a snapshot (no dates, no e-mail) with a 0/1 `status`, dated by `as_of`.
- Bank loan leads: 69,713 leads with dd/mm/yy creation dates and a 0/1 `Approved`.
- IBM sales win/loss: 78,025 opportunities, `Opportunity Result` Won / Loss through a
  stage map, no dates (`as_of`).

The files stay outside the repository: each test skips, saying why, when its file is absent
(BATON_DATASETS points at another copy). One test per file: the big ones take a while.
"""

from __future__ import annotations

import pandas as pd
import pytest

from db import repository as repo
from db.scoring.scoring_source import load_model
from domain.definitions.defaults import default_definition
from domain.engine.lead_table import lead_table
from domain.importing import Mapping, read_csv_source
from domain.suggest import suggest
from tests.integration.importing.test_olist_import import DATASETS, FIXTURES

EXTRAALEARN = DATASETS / "extraalearn" / "ExtraaLearn.csv"
BANK = DATASETS / "bank-loan-leads" / "train.csv"
IBM = DATASETS / "ibm-sales-win-loss" / "WA_Fn-UseC_-Sales-Win-Loss.csv"


def needs(path):
    return pytest.mark.skipif(not path.is_file(), reason=f"{path} is absent (see BATON_DATASETS)")


def import_with(engine, path, mapping_file: str) -> repo.ImportReport:
    """What `python cli.py import KIND FILE --mapping tests/fixtures/MAPPING` does."""
    mapping = Mapping.from_json((FIXTURES / mapping_file).read_text(encoding="utf-8"))
    return repo.import_csv(engine, read_csv_source(path), mapping)


def scored(engine, as_of: str) -> pd.DataFrame:
    """Every lead's attributes (custom ones too) and stages under the default definition."""
    model = load_model(engine, as_of=as_of)
    table = lead_table(model.leads, model.score(default_definition()))
    custom = model.leads.set_index("lead_id").drop(columns=list(table.columns), errors="ignore")
    return table.join(custom).reset_index()


@needs(EXTRAALEARN)
def test_extraalearn_snapshot_imports_and_suggests_with_no_extra_flags(sqlite_engine):
    leads = import_with(sqlite_engine, EXTRAALEARN, "extraalearn_leads_mapping.json")
    won = import_with(sqlite_engine, EXTRAALEARN, "extraalearn_outcomes_mapping.json")

    raw = pd.read_csv(EXTRAALEARN)
    assert (leads.inserted, leads.rejected) == (len(raw), 0) == (4_612, 0)
    assert (won.inserted, won.unchanged, won.rejected) == (1_377, 3_235, 0)
    table = scored(sqlite_engine, "2024-12-31")
    assert int((table["highest_stage"] == "Won").sum()) == int(raw["status"].sum()) == 1_377
    assert set(table["created_at"]) == {pd.Timestamp("2024-06-30", tz="UTC")}
    ours = (table["highest_stage"] == "Won").groupby(table["current_occupation"]).mean()
    expected = raw.groupby("current_occupation")["status"].mean()
    pd.testing.assert_series_equal(ours, expected, check_names=False)
    # `suggest --outcome won` as the CLI runs it: today, the published default, no flags.
    suggestion = suggest(load_model(sqlite_engine), default_definition(), outcome="won")
    assert suggestion.n_positive_train + suggestion.n_positive_holdout == 1_377
    assert suggestion.auc_holdout_suggested > 0.75
    assert not any(r.rule.attribute == "status" for r in suggestion.rules)


@needs(BANK)
def test_bank_loan_leads_import_with_day_first_dates_and_a_yes_no_outcome(sqlite_engine):
    leads = import_with(sqlite_engine, BANK, "bank_loan_leads_mapping.json")
    won = import_with(sqlite_engine, BANK, "bank_loan_outcomes_mapping.json")

    raw = pd.read_csv(BANK, dtype=str, keep_default_na=False)
    assert (leads.inserted, leads.rejected) == (len(raw), 0) == (69_713, 0)
    approved = raw["Approved"] == "1"
    assert (won.inserted, won.rejected) == (int(approved.sum()), 0) == (1_020, 0)
    table = scored(sqlite_engine, "2017-01-01")
    created = pd.to_datetime(raw["Lead_Creation_Date"], format="%d/%m/%y", utc=True)
    ours = table["created_at"].dt.strftime("%Y-%m").value_counts().sort_index()
    expected = created.dt.strftime("%Y-%m").value_counts().sort_index()
    pd.testing.assert_series_equal(ours, expected, check_names=False)
    assert list(expected.index) == ["2016-07", "2016-08", "2016-09"]
    is_won = table["highest_stage"] == "Won"
    assert int(is_won.sum()) == 1_020
    # An undated approval is dated at the lead's creation.
    facts = repo.load_sales_facts(sqlite_engine).merge(
        table[["lead_id", "created_at"]], on="lead_id"
    )
    assert (facts["won_at"] == facts["created_at"]).all()
    by_source = is_won.groupby(table["source"]).sum().sort_index()
    expected_source = approved.groupby(raw["Source"]).sum().sort_index()
    pd.testing.assert_series_equal(by_source, expected_source, check_names=False)


@needs(IBM)
def test_ibm_win_loss_stage_column_counts_won_and_lost_apart(sqlite_engine):
    leads = import_with(sqlite_engine, IBM, "ibm_win_loss_leads_mapping.json")
    outcomes = import_with(sqlite_engine, IBM, "ibm_win_loss_outcomes_mapping.json")

    raw = pd.read_csv(IBM)
    first = raw.drop_duplicates("Opportunity Number")  # a repeated id: the first row wins
    assert len(raw) == 78_025 and len(first) == 77_829
    assert (leads.inserted, leads.rejected) == (77_829, 196)
    assert (outcomes.inserted, outcomes.rejected) == (77_829, 196)
    result = raw["Opportunity Result"].value_counts()
    assert outcomes.stage_counts == {"Won": result["Won"], "Loss": result["Loss"]}
    assert any("Opportunity Result values: Loss 60,398 -> lost" in n for n in outcomes.notes)
    table = scored(sqlite_engine, "2016-06-30")
    expected = first["Opportunity Result"].value_counts()
    assert int((table["highest_stage"] == "Won").sum()) == expected["Won"] == 17_548
    assert int((table["stage"] == "Lost").sum()) == expected["Loss"] == 60_281
