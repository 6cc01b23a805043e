"""`cli.py suggest`: readable or JSON output, a definition file import accepts, clear errors."""

import json

from domain.definitions.definition import parse_definition
from tests.cli.conftest import AS_OF

# The CLI database has 800 leads: held out half, so that both halves have SQLs.
ARGS = ("suggest", "--outcome", "sql", "--holdout", "0.5", "--as-of", AS_OF)
AUC_KEYS = (
    "auc_holdout_current",
    "auc_holdout_suggested",
    "auc_train_current",
    "auc_train_suggested",
)


def test_suggest_prints_the_rules_and_the_four_aucs(cli):
    result = cli(*ARGS)
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    figures = dict(line.split("=") for line in lines if line.startswith("auc_"))
    assert tuple(figures) == AUC_KEYS
    assert all(0 <= float(value) <= 1 for value in figures.values())
    assert any(" per " in line and "at most" in line for line in lines)  # an activity rule
    assert "MQL threshold:" in result.output


def test_suggest_json_is_complete_and_the_same_every_run(cli):
    first = cli(*ARGS, "--json")
    assert first.exit_code == 0, first.output
    data = json.loads(first.output)
    assert set(AUC_KEYS) <= set(data)
    assert data["split"] == "time" and data["n_holdout"] > 0 and data["rules"]
    assert parse_definition(data["definition"]).fit_rules or data["definition"]["engagement_rules"]
    assert cli(*ARGS, "--json").output == first.output


def test_the_written_definition_is_accepted_by_definition_import(cli, tmp_path):
    suggested = tmp_path / "suggested.json"
    result = cli(*ARGS, "--out", str(suggested))
    assert result.exit_code == 0, result.output
    imported = cli("definition", "import", str(suggested))
    assert imported.exit_code == 0, imported.output
    exported = tmp_path / "draft.json"
    assert cli("definition", "export", str(exported), "--which", "draft").exit_code == 0
    assert parse_definition(exported.read_text()) == parse_definition(suggested.read_text())


def test_excluded_attributes_are_left_out(cli):
    result = cli(*ARGS, "--json", "--exclude", "title", "--exclude", "country")
    data = json.loads(result.output)
    assert {"title", "country"} <= set(data["excluded"])
    used = {rule["rule"].get("attribute") for rule in data["rules"]}
    assert not used & {"title", "country"}


def test_too_few_outcomes_give_a_one_line_error(cli):
    result = cli("suggest", "--outcome", "won", "--as-of", AS_OF)
    assert result.exit_code == 1
    assert result.output.strip().count("\n") == 0
    assert result.output.startswith("error: too few leads to learn from")


def test_an_unknown_outcome_is_refused(cli):
    result = cli("suggest", "--outcome", "mql")
    assert result.exit_code != 0


def test_a_suspect_column_is_left_out_with_why_and_include_uses_it(cli):
    plain = json.loads(cli(*ARGS, "--json").output)
    assert "owner" in plain["excluded"]
    assert any(leak["column"] == "owner" and leak["reason"] for leak in plain["leaks"])
    text = cli(*ARGS).output
    assert "warning: owner is left out" in text and "--include" in text
    included = json.loads(cli(*ARGS, "--json", "--include", "owner").output)
    assert "owner" not in included["excluded"]
