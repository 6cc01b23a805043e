"""Normalising an attribute's spellings in the database, on SQLite and PostgreSQL."""

from sqlalchemy import Engine

from db import repository as repo
from tests.integration.builders import make_leads


def test_a_text_column_is_normalised_in_one_audited_bump(engine: Engine) -> None:
    repo.insert_leads(
        engine, make_leads("A", "B", "C", source=["organic_search", "ORGANIC SEARCH", "Paid"])
    )
    version = repo.data_version(engine)
    changed = repo.normalise_values(
        engine, "source", "Organic Search", ["organic_search", "ORGANIC SEARCH"], actor="ann"
    )
    assert changed == 2
    leads = repo.load_leads(engine).set_index("external_id")
    assert leads["source"].to_dict() == {"A": "Organic Search", "B": "Organic Search", "C": "Paid"}
    assert repo.data_version(engine) == version + 1
    audit = repo.list_audit(engine)
    assert audit.iloc[0]["action"] == "normalise values" and audit.iloc[0]["actor"] == "ann"


def test_a_custom_attribute_is_normalised_and_its_other_keys_stay(engine: Engine) -> None:
    custom = [{"Tier": "gold_plus", "Region": "EU"}, {"Tier": "Gold Plus"}, {"Region": "US"}]
    repo.insert_leads(engine, make_leads("A", "B", "C", custom=custom))
    changed = repo.normalise_values(engine, "Tier", "Gold Plus", ["gold_plus"], actor="cli")
    assert changed == 1
    leads = repo.load_leads(engine).set_index("external_id")
    assert leads.loc["A", "Tier"] == "Gold Plus" and leads.loc["A", "Region"] == "EU"
    assert leads["Tier"].isna().tolist() == [False, False, True]


def test_nothing_to_replace_writes_nothing(engine: Engine) -> None:
    repo.insert_leads(engine, make_leads("A"))
    version = repo.data_version(engine)
    assert repo.normalise_values(engine, "source", "webinar", ["webinar"], actor="x") == 0
    assert repo.normalise_values(engine, "source", "webinar", ["nope"], actor="x") == 0
    assert repo.data_version(engine) == version
