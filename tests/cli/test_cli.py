"""The command line on a small seeded SQLite database."""

import json

import pandas as pd
import pytest

from cli import app
from domain.definitions.defaults import default_definition
from tests.cli.conftest import AS_OF, runner


def test_funnel_json_reports_stages_rates_and_follow_up(cli):
    result = cli("funnel", "--json", "--as-of", AS_OF)
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    stages = list(report["stages"].values())
    assert report["stages"]["Suspect"] == 800
    assert stages == sorted(stages, reverse=True)
    mql_sql = report["conversion"]["MQL -> SQL"]
    assert mql_sql["from"] == report["stages"]["MQL"]
    assert mql_sql["converted"] == report["stages"]["SQL"]
    assert report["follow_up"]["mqls"] + report["mql_bypassed"] == report["stages"]["MQL"]


def test_score_summary_matches_the_funnel(cli):
    summary = json.loads(cli("score", "--summary", "--as-of", AS_OF).output)
    funnel = json.loads(cli("funnel", "--json", "--as-of", AS_OF).output)
    assert summary == funnel["stages"]


def test_score_writes_one_csv_row_per_lead_keyed_by_external_id(cli, tmp_path):
    out = tmp_path / "scores.csv"
    result = cli("score", "--as-of", AS_OF, "--out", str(out))
    assert result.exit_code == 0, result.output
    scores = pd.read_csv(out)
    assert len(scores) == 800
    assert scores.columns[0] == "external_id"
    assert scores["external_id"].is_unique
    assert {"score", "stage", "mql_at"} <= set(scores.columns)


def test_a_definition_file_changes_the_scores(cli, tmp_path):
    strict = tmp_path / "strict.json"
    strict.write_text(default_definition().replace(mql_threshold=95, hand_raisers=[]).to_json())
    loose = json.loads(cli("score", "--summary", "--as-of", AS_OF).output)
    tight = json.loads(
        cli("score", "--summary", "--as-of", AS_OF, "--definition", str(strict)).output
    )
    assert tight["MQL"] < loose["MQL"]


def test_definition_export_then_import_makes_the_working_draft(cli, tmp_path):
    file = tmp_path / "published.json"
    assert cli("definition", "export", str(file)).exit_code == 0
    imported = cli("definition", "import", str(file))
    assert imported.exit_code == 0, imported.output
    assert "working draft" in imported.output
    draft = json.loads(cli("score", "--summary", "--definition", "draft", "--as-of", AS_OF).output)
    assert draft == json.loads(cli("score", "--summary", "--as-of", AS_OF).output)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("score", "--as-of", "last tuesday"), "not a date"),
        (("score", "--definition", "missing.json"), "no such file"),
        (("definition", "import", "missing.json"), "no such file"),
        (("seed", "--leads", "10"), "already has leads"),
    ],
)
def test_mistakes_exit_non_zero_with_a_one_line_reason(cli, args, message):
    result = cli(*args)
    assert result.exit_code != 0
    assert message in result.output
    assert "Traceback" not in result.output


def test_an_invalid_definition_file_is_refused_naming_the_field(cli, tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"mql_threshold": "high", "sla_hours": -1}))
    result = cli("definition", "import", str(bad))
    assert result.exit_code == 1
    assert "mql_threshold" in result.output and "sla_hours" in result.output


def test_publishing_from_the_cli_needs_a_note(cli, tmp_path):
    file = tmp_path / "d.json"
    file.write_text(default_definition().to_json())
    refused = cli("definition", "import", str(file), "--publish")
    assert refused.exit_code == 1 and "--note" in refused.output
    done = cli("definition", "import", str(file), "--publish", "--note", "same again", "--force")
    assert done.exit_code == 0 and "published version" in done.output


def test_an_unsupported_database_url_is_a_clear_error(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "mysql://root@localhost/baton")
    result = runner.invoke(app, ["funnel", "--json"])
    assert result.exit_code != 0
    assert "not supported" in result.output
