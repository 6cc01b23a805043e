"""A new database is usable at once: import a snapshot, then funnel, score, suggest, export.

The file is the shape of a snapshot export (an ed-tech lead table): no dates, no e-mail,
a yes/no outcome. Nothing is seeded and no definition is published by hand.
"""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from tests.cli.conftest import runner


def app_under_test():
    from cli import app

    return app


@pytest.fixture
def cli(tmp_path, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'new.db'}")
    monkeypatch.chdir(tmp_path)

    def run(*args):
        return runner.invoke(app_under_test(), [str(a) for a in args])

    return run


def snapshot(n: int = 300) -> pd.DataFrame:
    rng = np.random.default_rng(4)
    channel = rng.choice(["Website", "Mobile App", "Referral"], size=n)
    odds = pd.Series(channel).map({"Website": 0.5, "Mobile App": 0.1, "Referral": 0.3})
    return pd.DataFrame(
        {
            "ID": [f"EXT{i:04d}" for i in range(n)],
            "first_interaction": channel,
            "status": (rng.random(n) < odds.to_numpy()).astype(int),
        }
    )


def test_a_first_import_into_a_new_database_works_with_every_command(cli, tmp_path):
    raw = snapshot()
    raw.to_csv(tmp_path / "leads.csv", index=False)
    (tmp_path / "leads.json").write_text(
        json.dumps({"kind": "leads", "fields": {"external_id": "ID"}, "ignore": ["status"]})
    )
    (tmp_path / "won.json").write_text(
        json.dumps({"kind": "outcomes", "fields": {"lead_external_id": "ID", "won": "status"}})
    )

    leads = cli("import", "leads", "leads.csv", "--mapping", "leads.json", "--as-of", "2024-06-30")
    won = cli("import", "outcomes", "leads.csv", "--mapping", "won.json", "--as-of", "2024-06-30")
    assert leads.exit_code == 0 and "inserted 300 /" in leads.output, leads.output
    assert won.exit_code == 0 and "dated at the file's as-of date 2024-06-30" in won.output

    funnel = cli("funnel", "--json")
    assert funnel.exit_code == 0, funnel.output
    report = json.loads(funnel.output)
    assert report["definition_version"] == 1
    assert report["stages"]["Won"] == int(raw["status"].sum())
    assert cli("score", "--summary").exit_code == 0
    suggested = cli("suggest", "--outcome", "won")  # no e-mail column, no extra flags
    assert suggested.exit_code == 0, suggested.output
    assert "first_interaction is Website" in suggested.output
    assert "auc_holdout_suggested=" in suggested.output
    exported = cli("definition", "export", "published.json")
    assert exported.exit_code == 0 and (tmp_path / "published.json").is_file()


def test_seed_on_a_database_of_imported_leads_refuses_in_one_sentence(cli, tmp_path):
    snapshot(5).to_csv(tmp_path / "leads.csv", index=False)
    assert cli("import", "leads", "leads.csv").exit_code == 0

    result = cli("seed", "--leads", "50")

    assert result.exit_code == 1
    assert result.output.strip() == (
        "error: the database already has leads (5); seed loads demo data into an empty "
        "database only (add --reset to delete every lead first)"
    )


def test_an_unmapped_stage_value_is_listed_even_when_all_or_nothing_refuses(cli, tmp_path):
    (tmp_path / "leads.csv").write_text("id\nO1\nO2\n")
    (tmp_path / "deals.csv").write_text("id,deal_stage\nO1,Won\nO2,Stalled\n")
    (tmp_path / "deals.json").write_text(
        json.dumps(
            {
                "kind": "outcomes",
                "fields": {"lead_external_id": "id", "stage": "deal_stage"},
                "stages": {"Won": "won"},
            }
        )
    )
    assert cli("import", "leads", "leads.csv").exit_code == 0

    result = cli("import", "outcomes", "deals.csv", "--mapping", "deals.json", "--all-or-nothing")

    assert result.exit_code == 1
    assert "deal_stage values: Won 1 -> won; Stalled 1 -> not mapped (rejected)" in result.output
    assert "line 3, column 'deal_stage'" in result.output
