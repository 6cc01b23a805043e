"""`cli.py values check` and `values normalise` after an import."""

from __future__ import annotations

import json

import pytest

from data.seed import ensure_published
from db.engine import get_engine
from db.migrate import upgrade
from tests.cli.conftest import runner

LEADS = (
    "id,email,Country,Lead Source\n"
    "1,a@x.com,US,organic_search\n"
    "2,b@x.com,United States,Organic Search\n"
    "3,c@x.com,US,ORGANIC SEARCH\n"
)


@pytest.fixture
def cli(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'baton.db'}"
    engine = get_engine(url)
    upgrade(engine)
    ensure_published(engine)
    monkeypatch.setenv("DATABASE_URL", url)
    (tmp_path / "leads.csv").write_text(LEADS)
    from cli import app

    def run(*args):
        return runner.invoke(app, [str(a) for a in args])

    assert run("import", "leads", tmp_path / "leads.csv").exit_code == 0
    return run


def test_values_check_lists_unmatched_values_with_counts(cli):
    result = cli("values", "check", "--json")
    assert result.exit_code == 0, result.output
    found = json.loads(result.stdout)
    assert "country" in found["attributes"]
    assert {"attribute": "country", "value": "United States", "leads": 1} in found["unmatched"]
    text = cli("values", "check").stdout
    assert "no rule matches: country = 'United States' (1 lead)" in text


def test_values_normalise_merges_the_spellings_of_one_value(cli):
    result = cli("values", "normalise", "source", "--to", "Organic Search")
    assert result.exit_code == 0, result.output
    assert "normalised 2 leads: source 'organic_search', 'ORGANIC SEARCH'" in result.stdout
    again = cli("values", "normalise", "source", "--to", "Organic Search")
    assert "nothing to normalise" in again.stdout


def test_values_normalise_with_explicit_values_maps_a_synonym(cli):
    result = cli("values", "normalise", "country", "--to", "US", "--from", "United States")
    assert "normalised 1 lead: country 'United States' -> 'US'" in result.stdout
    found = json.loads(cli("values", "check", "--json").stdout)
    assert not [u for u in found["unmatched"] if u["value"] == "United States"]


def test_an_unknown_attribute_is_a_one_line_error(cli):
    result = cli("values", "normalise", "nope", "--to", "x")
    assert result.exit_code == 1
    assert result.stderr.strip() == "error: no lead attribute named 'nope'"
