"""`cli.py import` on a fresh database, and the score export re-imported as CRM data."""

from __future__ import annotations

import pandas as pd
import pytest

from db.engine import get_engine
from db.migrate import upgrade
from tests.cli.conftest import runner
from tests.integration.importing.test_olist_import import DEALS, FIXTURES, MQLS

HUBSPOT = (
    "Record ID,First Name,Last Name,Email,Create Date,Contact owner,Lifecycle Stage\n"
    "101,Ann,Lee,ann@x.com,2024-01-15 09:30,rita,lead\n"
    "102,Bob,Ray,bob@x.com,01/16/2024 10:00,sam,customer\n"
    "103,Cy,,cy@x.com,soon,sam,lead\n"
)


@pytest.fixture
def cli(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'baton.db'}"
    upgrade(get_engine(url))
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.chdir(tmp_path)

    def run(*args):
        return runner.invoke(app_under_test(), [str(a) for a in args])

    return run


def app_under_test():
    from cli import app

    return app


def test_a_hubspot_export_imports_with_the_detected_preset_and_again_changes_nothing(cli, tmp_path):
    (tmp_path / "contacts.csv").write_text(HUBSPOT)
    first = cli("import", "leads", "contacts.csv")
    assert first.exit_code == 0, first.output
    assert "mapping: preset HubSpot contacts" in first.output
    assert "inserted 2 / updated 0 / unchanged 0 / rejected 1" in first.output
    assert "line 4, column 'Create Date': not a date" in first.output
    assert "custom attributes: Lifecycle Stage" in first.output
    again = cli("import", "leads", "contacts.csv")
    assert "inserted 0 / updated 0 / unchanged 2 / rejected 1" in again.output


@pytest.mark.parametrize(
    ("content", "args", "message"),
    [
        ("Email\n", [], "error: the file has a header but no rows"),
        (HUBSPOT, ["--mapping", "missing.json"], "error: no such mapping file"),
        (HUBSPOT, ["--mapping", "bad.json"], "error: not valid JSON"),
        (HUBSPOT, ["--preset", "Pipedrive"], "error: unknown preset 'Pipedrive'"),
        (HUBSPOT, ["--all-or-nothing"], "import rolled back, nothing was changed"),
    ],
)
def test_refusals_exit_non_zero_with_a_one_line_error(cli, tmp_path, content, args, message):
    (tmp_path / "contacts.csv").write_text(content)
    (tmp_path / "bad.json").write_text("{kind: leads")
    result = cli("import", "leads", "contacts.csv", *args)
    assert result.exit_code == 1
    assert message in result.output
    assert "Traceback" not in result.output
    assert "inserted" not in cli("import", "leads", "contacts.csv", *args).output.splitlines()[0]


def test_rows_of_an_unknown_lead_are_reported(cli, tmp_path):
    (tmp_path / "calls.csv").write_text("lead,at,channel\nNOPE,2024-01-01,call\n")
    mapping = tmp_path / "calls.json"
    mapping.write_text(
        '{"kind": "touches", "fields": {"lead_external_id": "lead", "touched_at": "at",'
        ' "channel": "channel"}}'
    )
    result = cli("import", "touches", "calls.csv", "--mapping", mapping)
    assert result.exit_code == 0, result.output
    assert "no lead with external id NOPE; import leads first" in result.output


@pytest.mark.skipif(not MQLS.is_file(), reason=f"the Olist dataset is not at {MQLS.parent}")
def test_the_olist_files_import_from_the_cli_and_the_scores_export_for_a_crm(cli, tmp_path):
    leads = cli("import", "leads", MQLS, "--mapping", FIXTURES / "olist_leads_mapping.json")
    deals = cli("import", "outcomes", DEALS, "--mapping", FIXTURES / "olist_outcomes_mapping.json")
    assert "inserted 8000 / updated 0" in leads.output
    assert "inserted 842 / updated 0" in deals.output
    result = cli("score", "--definition", "default", "--as-of", "2019-01-01", "--out", "scores.csv")
    assert result.exit_code == 0, result.output
    scores = pd.read_csv(tmp_path / "scores.csv")
    assert len(scores) == 8000 and scores["external_id"].is_unique
    assert (scores["stage"] == "Won").sum() == 842
    # The export goes back in as CRM data: external id, score, stage and MQL date.
    back = cli("import", "leads", "scores.csv")
    assert "inserted 0 / updated 8000" in back.output, back.output


def test_an_accounts_file_adds_typed_columns_to_the_leads_of_each_account(cli, tmp_path):
    (tmp_path / "leads.csv").write_text("id,company\nL1,Acme\nL2,ACME\nL3,Initech\n")
    (tmp_path / "accounts.csv").write_text(
        "account,sector,revenue\nAcme,Software,1200000\nGlobex,Energy,5\n"
    )
    (tmp_path / "accounts.json").write_text(
        '{"kind": "attributes", "join_on": {"company": "account"}}'
    )
    assert cli("import", "leads", "leads.csv").exit_code == 0

    result = cli("import", "attributes", "accounts.csv", "--mapping", "accounts.json")

    assert result.exit_code == 0, result.output
    assert "inserted 0 / updated 2 / unchanged 0 / rejected 0 / matched no lead 1" in result.output
    assert "revenue (number)" in result.output
    assert "warning: 1 row(s) matched no lead by company (column account)" in result.output
    from db import repository as repo

    leads = repo.load_leads(get_engine(f"sqlite:///{tmp_path / 'baton.db'}"))
    assert leads["revenue"].tolist()[:2] == [1_200_000.0, 1_200_000.0]
    assert len(leads) == 3


def test_an_attributes_import_without_a_mapping_says_what_to_give(cli, tmp_path):
    (tmp_path / "accounts.csv").write_text("account,sector\nAcme,Software\n")
    result = cli("import", "attributes", "accounts.csv")
    assert result.exit_code != 0
    assert "give --mapping with join_on" in result.output
