"""`cli.py followup` and `cli.py touch` on a small seeded SQLite database."""

import io
import json

import pandas as pd
import pytest

from db import repository as repo
from db.engine import get_engine
from tests.cli.conftest import AS_OF


def counts(cli, *args):
    result = cli("followup", "--as-of", AS_OF, *args)
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def leads_csv(cli, *args):
    result = cli("followup", "--as-of", AS_OF, "--format", "csv", *args)
    assert result.exit_code == 0, result.output
    return pd.read_csv(io.StringIO(result.output))


def test_json_counts_the_waiting_leads_per_status(cli):
    report = counts(cli)
    assert set(report["counts"]) == {"on_time", "due_soon", "overdue", "never"}
    assert sum(report["counts"].values()) == report["waiting"] > 0
    assert report["definition_version"] == 1 and report["sla_hours"] == 24.0


def test_csv_lists_the_same_leads_external_id_first_most_urgent_first(cli):
    leads = leads_csv(cli)
    assert leads.columns[0] == "external_id"
    assert len(leads) == counts(cli)["waiting"]
    order = {"overdue": 0, "due_soon": 1, "on_time": 2, "never": 3}
    ranks = leads["status"].map(order).tolist()
    assert ranks == sorted(ranks)
    assert {"email", "owner", "score", "mql_because"} <= set(leads.columns)


def test_status_and_owner_narrow_both_outputs(cli):
    everyone = leads_csv(cli)
    owner = everyone["owner"].value_counts().index[0]
    mine = leads_csv(cli, "--owner", owner, "--status", "never")
    assert set(mine["owner"]) == {owner} and set(mine["status"]) == {"never"}
    report = counts(cli, "--owner", owner, "--status", "never")
    assert report["waiting"] == len(mine) == report["counts"]["never"]


def test_a_touch_from_the_cli_takes_the_lead_out_of_the_never_list(cli, database):
    never = leads_csv(cli, "--status", "never")
    external_id = never["external_id"].iloc[0]

    at = "2026-06-29T15:00:00+02:00"
    result = cli(
        "touch", external_id, "--channel", "call", "--outcome", "no answer",
        "--rep", "Dialer", "--at", at, "--key", "dial-1",
    )  # fmt: skip

    assert result.exit_code == 0, result.output
    logged = json.loads(result.output)
    assert logged["logged"] and logged["lead"] == external_id
    assert external_id not in set(leads_csv(cli, "--status", "never")["external_id"])
    touches = repo.load_touches(get_engine(database))
    touch = touches[touches["touch_id"] == logged["touch_id"]].iloc[0]
    assert touch["touched_at"] == pd.Timestamp("2026-06-29T13:00:00Z")
    assert (touch["rep"], touch["outcome"]) == ("Dialer", "no_answer")


def test_retrying_a_touch_with_the_same_key_logs_it_once(cli):
    external_id = leads_csv(cli)["external_id"].iloc[-1]
    first = json.loads(cli("touch", external_id, "--channel", "email", "--key", "k-2").output)
    again = json.loads(cli("touch", external_id, "--channel", "email", "--key", "k-2").output)
    assert first["logged"] and not again["logged"]
    assert again["touch_id"] == first["touch_id"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("touch", "NO-SUCH-LEAD", "--channel", "call"), "no lead with external id"),
        (("touch", "L000001", "--channel", "fax"), "fax"),
        (("touch", "L000001"), "--channel"),
        (("followup", "--owner", "Nobody At All"), "no lead is owned by"),
        (("followup", "--status", "late"), "late"),
        (("touch", "L000001", "--channel", "call", "--at", "soon"), "not a date"),
    ],
)
def test_mistakes_exit_non_zero_with_a_reason(cli, args, message):
    result = cli(*args)
    assert result.exit_code != 0
    assert message in result.output
    assert "Traceback" not in result.output
