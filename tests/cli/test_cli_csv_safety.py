"""CSV from the CLI neutralises formula cells and keeps numbers as numbers."""

import io

import pandas as pd

from db import repository as repo
from db.engine import get_engine
from domain.follow_up.actions import Reassign
from tests.cli.conftest import AS_OF

OWNER = '=HYPERLINK("http://x.example/steal","open me")'


def test_followup_and_score_csv_quote_formula_cells(cli, database):
    first = pd.read_csv(io.StringIO(cli("followup", "--as-of", AS_OF, "--format", "csv").output))
    engine = get_engine(database)
    lead_id = repo.lead_id_for(engine, str(first["external_id"].iloc[0]))
    repo.apply_action(engine, lead_id=lead_id, action=Reassign(OWNER), actor="test")

    result = cli("followup", "--as-of", AS_OF, "--format", "csv")
    assert result.exit_code == 0, result.output
    leads = pd.read_csv(io.StringIO(result.output))
    assert "'" + OWNER in leads["owner"].tolist()
    assert OWNER not in leads["owner"].tolist()
    assert pd.api.types.is_numeric_dtype(leads["score"])

    scores = cli("score", "--as-of", AS_OF, "--format", "csv")
    assert scores.exit_code == 0, scores.output
    table = pd.read_csv(io.StringIO(scores.output))
    assert pd.api.types.is_numeric_dtype(table["engagement_score"])
    assert not table.astype(str).apply(lambda c: c.str.match(r"[=+@]")).any().any()
