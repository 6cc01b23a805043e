"""The fit-rule picker on the Definitions page: operators by attribute type, the column's
distribution, and a picked rule landing in the shared draft."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine
from streamlit.testing.v1 import AppTest

from components.definitions.definition_picker import PICK_ADD, PICK_ATTRIBUTE, literal, pick_key
from db import repository as repo
from domain.importing import Mapping, read_csv_source
from tests.app import test_definitions_page as page
from tests.app.test_definitions_page import draft, open_workspace

# The workspace tests' fixtures: a seeded SQLite copy per test.
engine = page.engine

TYPED = "id,visits,signed_up,opt_in,plan\n" + "".join(
    f"T{i},{i % 40},2024-0{1 + i % 6}-1{i % 9},{'yes' if i % 3 else 'no'},"
    f"{['pro', 'free', 'team'][i % 3]}\n"
    for i in range(120)
)


@pytest.fixture
def app(engine: Engine) -> AppTest:
    source = read_csv_source(TYPED.encode())
    repo.import_csv(engine, source, Mapping(kind="leads", fields={"external_id": "id"}))
    return open_workspace()


def pick(at: AppTest, attribute: str) -> None:
    at.selectbox(key=PICK_ATTRIBUTE).set_value(attribute).run()
    assert not at.exception, [e.value for e in at.exception]


def captions(at: AppTest) -> str:
    return " ".join(c.value for c in at.caption)


@pytest.mark.parametrize(
    ("attribute", "kind", "offered"),
    [
        ("visits", "number", ["at least (>=)", "below (<)", "between", "at most (<=)"]),
        ("signed_up", "date", ["at least (>=)", "below (<)", "between", "at most (<=)"]),
        ("opt_in", "yes/no", ["is yes", "is no"]),
        ("plan", "text", ["is", "is one of", "is none of", "contains", "ends with"]),
    ],
)
def test_picking_an_attribute_offers_the_operators_of_its_type_and_its_distribution(
    app: AppTest, attribute: str, kind: str, offered: list[str]
) -> None:
    pick(app, attribute)
    assert f"{literal(attribute)} is a **{kind}** attribute" in captions(app)
    assert app.selectbox(key=pick_key("op", kind)).options == offered
    assert app.get_by_key("defs_pick_chart") is not None


def test_a_numeric_range_picked_is_added_to_the_draft(app: AppTest, engine: Engine) -> None:
    pick(app, "visits")
    app.selectbox(key=pick_key("op", "number")).set_value("between").run()
    app.number_input(key=pick_key("low", "number")).set_value(10).run()
    app.number_input(key=pick_key("high", "number")).set_value(20).run()
    app.number_input(key=pick_key("points", "number")).set_value(15).run()
    app.button(key=PICK_ADD).click().run()
    assert not app.exception, [e.value for e in app.exception]
    app.run()

    rule = next(r for r in draft(engine).definition.fit_rules if r.attribute == "visits")
    assert (rule.operator, rule.value, rule.points) == ("between", (10, 20), 15)


def test_a_yes_no_rule_and_a_date_rule_are_added_to_the_draft(app: AppTest, engine: Engine) -> None:
    pick(app, "opt_in")
    app.selectbox(key=pick_key("op", "yes/no")).set_value("is no").run()
    app.button(key=PICK_ADD).click().run()
    pick(app, "signed_up")
    app.selectbox(key=pick_key("op", "date")).set_value("<").run()
    app.button(key=PICK_ADD).click().run()
    assert not app.exception, [e.value for e in app.exception]
    app.run()

    rules = {r.attribute: r for r in draft(engine).definition.fit_rules}
    assert (rules["opt_in"].operator, rules["opt_in"].value) == ("equals", False)
    assert rules["signed_up"].operator == "<"
    assert str(rules["signed_up"].value).startswith("2024-")
