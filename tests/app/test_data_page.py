"""The Data page through AppTest: upload, mapping, validate, import, export, demo and reset.

AppTest (1.67) drives `st.file_uploader` with `set_value((name, bytes, mime))`. The app
seeds demo data into an empty database on start; these tests stub that out so they run
on a database with only what each test puts there.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from sqlalchemy import Engine
from streamlit.testing.v1 import AppTest

from components.data.data_reset import CONFIRM_TEXT, DELETE_BUTTON, DEMO_LOAD, DEMO_SIZE
from components.data.import_mapping import NOT_MAPPED, editor_key, kind_key, start_key
from components.data.import_source import guess_kind, upload_from
from components.shell import state
from data.seed import ensure_published
from db import repository as repo
from db.engine import get_engine
from db.migrate import upgrade
from tests.plain_text import plain

APP = Path(__file__).resolve().parents[2] / "app.py"
PAGE = "pages/data.py"
HUBSPOT = (
    b"Record ID,First Name,Last Name,Email,Create Date,Contact owner,Original Source,"
    b"Job Title,Seniority\n"
    b"101,Ann,Lee,ann@example.com,2024-01-05,Sam Rivera,Organic Search,CTO,senior\n"
    b"102,Bob,Ray,bob@example.com,not a date,Sam Rivera,Paid Social,CEO,junior\n"
)
ACTIVITIES = b"lead_external_id,activity_type,occurred_at\n101,page_view,2024-01-06 10:00\n"


@pytest.fixture
def engine(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Engine:
    """A migrated database with the default definition and no leads, never demo-seeded."""
    url = f"sqlite:///{tmp_path / 'baton.db'}"
    engine = get_engine(url)
    upgrade(engine)
    ensure_published(engine)

    def no_demo(engine: Engine) -> bool:
        upgrade(engine)
        return False

    monkeypatch.setattr(state, "ensure_seeded", no_demo)
    monkeypatch.setenv("DATABASE_URL", url)
    return engine


@pytest.fixture
def app(engine: Engine) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=30)
    at.switch_page(PAGE).run()
    assert_no_exception(at)
    return at


def assert_no_exception(at: AppTest) -> None:
    assert not at.exception, [e.value for e in at.exception]


def upload(at: AppTest, *files: tuple[str, bytes]) -> str:
    """Upload files; returns the widget-key prefix of the first one."""
    at.file_uploader(key="data_upload").set_value([(n, d, "text/csv") for n, d in files]).run()
    assert_no_exception(at)
    return upload_from(*files[0]).key


def click(at: AppTest, key: str) -> None:
    at.button(key=key).click().run()
    assert_no_exception(at)


def texts(elements: object) -> list[str]:
    return [plain(e.value) for e in elements]  # type: ignore[attr-defined]


def table_with(at: AppTest, column: str) -> pd.DataFrame:
    """The first table on the page with `column` (display tables expose no key)."""
    return next(d.value for d in at.dataframe if column in d.value.columns)


def metric(at: AppTest, label: str) -> int:
    return int(next(m.value for m in at.metric if m.label == label).replace(",", ""))


def test_an_empty_database_says_to_upload_a_file_or_load_the_demo(app: AppTest) -> None:
    assert any("no lead data yet" in t for t in texts(app.info))
    assert any("no leads to export" in t for t in texts(app.info))


def test_a_hubspot_export_is_recognised_and_previewed(app: AppTest) -> None:
    key = upload(app, ("contacts.csv", HUBSPOT))
    detected = " ".join(texts(app.markdown))
    assert "HubSpot contacts" in detected and "about **2 rows**" in detected
    assert app.selectbox(key=kind_key(key)).value == "leads"
    assert app.selectbox(key=start_key(key)).value == "HubSpot contacts"
    preview = table_with(app, "Email")
    assert list(preview["Email"]) == ["ann@example.com", "bob@example.com"]
    mapping = app.get_by_key(editor_key(key)).value.set_index("field")["column"]
    assert mapping["name"] == "First Name + Last Name"
    assert mapping["email"] == "Email"
    assert any("Seniority" in t for t in texts(app.markdown))


def test_unmapping_a_field_in_the_table_keeps_its_column_as_a_custom_attribute(
    app: AppTest,
) -> None:
    key = upload(app, ("contacts.csv", HUBSPOT))
    title_row = 4  # FIELDS["leads"]: external_id, name, email, company, title
    app.session_state[editor_key(key)] = {
        "edited_rows": {title_row: {"column": NOT_MAPPED}},
        "added_rows": [],
        "deleted_rows": [],
    }
    app.run()
    assert_no_exception(app)
    custom = next(t for t in texts(app.markdown) if "custom lead attributes" in t)
    assert "Job Title" in custom and "Seniority" in custom


def test_validate_lists_the_bad_row_with_its_line_and_reason_and_writes_nothing(
    app: AppTest, engine: Engine
) -> None:
    key = upload(app, ("contacts.csv", HUBSPOT))
    click(app, f"{key}_validate")
    assert any("2** rows read, **1** valid, **1** rejected" in t for t in texts(app.warning))
    rejects = table_with(app, "reason")
    assert rejects.iloc[0]["line"] == 3
    assert rejects.iloc[0]["column"] == "Create Date"
    assert "date" in rejects.iloc[0]["reason"]
    assert repo.count_rows(engine)["lead"] == 0


def test_import_writes_the_valid_rows_and_a_second_import_changes_nothing(
    app: AppTest, engine: Engine
) -> None:
    key = upload(app, ("contacts.csv", HUBSPOT))
    click(app, f"{key}_import")
    assert (metric(app, "Inserted"), metric(app, "Rejected")) == (1, 1)
    leads = repo.load_leads(engine)
    assert list(leads["external_id"]) == ["101"]
    assert leads.loc[0, "name"] == "Ann Lee" and leads.loc[0, "Seniority"] == "senior"
    assert table_with(app, "reason").iloc[0]["line"] == 3
    click(app, f"{key}_import")
    assert (metric(app, "Inserted"), metric(app, "Unchanged")) == (0, 1)


def test_an_imported_custom_attribute_is_pickable_in_the_fit_rules(app: AppTest) -> None:
    key = upload(app, ("contacts.csv", HUBSPOT))
    click(app, f"{key}_import")
    app.switch_page("pages/definitions.py").run()
    assert_no_exception(app)
    assert '"Seniority"' in app.get_by_key("defs_fit_rules").proto.columns


def test_all_or_nothing_rolls_the_import_back_when_a_row_is_rejected(
    app: AppTest, engine: Engine
) -> None:
    key = upload(app, ("contacts.csv", HUBSPOT))
    app.checkbox(key=f"{key}_strict").check().run()
    click(app, f"{key}_import")
    assert any("rolled back" in t for t in texts(app.error))
    assert repo.count_rows(engine)["lead"] == 0


def test_a_header_only_file_is_refused_in_plain_words(app: AppTest) -> None:
    upload(app, ("empty.csv", b"Email,Name\n"))
    assert any("has a header but no rows" in t for t in texts(app.error))


def test_several_files_are_listed_leads_first(app: AppTest) -> None:
    upload(app, ("a-activities.csv", ACTIVITIES), ("z-contacts.csv", HUBSPOT))
    titles = [t for t in texts(app.subheader) if ".csv" in t]
    assert titles == ["1. z-contacts.csv · leads", "2. a-activities.csv · activities"]
    assert any("leads first" in t for t in texts(app.info))


def test_a_saved_mapping_is_offered_next_time(app: AppTest) -> None:
    key = upload(app, ("contacts.csv", HUBSPOT))
    app.text_input(key=f"{key}_save_name").input("Our HubSpot").run()
    click(app, f"{key}_save")
    assert any("Our HubSpot" in t for t in texts(app.success))
    assert "Saved: Our HubSpot" in app.selectbox(key=start_key(key)).options


def test_export_offers_one_row_per_lead(app: AppTest, engine: Engine) -> None:
    repo.insert_leads(engine, pd.DataFrame({"external_id": ["a", "b", "c"]}))
    app.run()
    assert_no_exception(app)
    assert app.get_by_key("data_export_csv").proto.label == "Download 3 scores as CSV"


def test_delete_needs_the_typed_confirmation_and_keeps_the_definitions(
    app: AppTest, engine: Engine
) -> None:
    repo.insert_leads(engine, pd.DataFrame({"external_id": ["a", "b"]}))
    app.run()
    assert app.get_by_key("data_backup_zip") is not None  # offered before the delete
    assert app.button(key=DELETE_BUTTON).disabled
    app.text_input(key=CONFIRM_TEXT).input("delete").run()
    assert app.button(key=DELETE_BUTTON).disabled
    app.text_input(key=CONFIRM_TEXT).input("DELETE").run()
    click(app, DELETE_BUTTON)
    assert repo.count_rows(engine)["lead"] == 0
    assert repo.get_published(engine) is not None
    assert any("deleted" in t for t in texts(app.success))


def test_the_demo_loads_only_into_an_empty_database(app: AppTest, engine: Engine) -> None:
    app.number_input(key=DEMO_SIZE).set_value(100).run()
    click(app, DEMO_LOAD)
    assert repo.count_rows(engine)["lead"] == 100
    assert app.button(key=DEMO_LOAD).disabled


@pytest.mark.parametrize(
    ("header", "kind"),
    [
        (["Email", "Company", "Job Title"], "leads"),
        (["lead_id", "activity_type", "occurred_at", "asset"], "activities"),
        (["lead", "touched_at", "channel", "outcome"], "touches"),
        (["mql_id", "won_date", "amount"], "outcomes"),
    ],
)
def test_what_a_file_holds_is_guessed_from_its_header(header: list[str], kind: str) -> None:
    assert guess_kind(header) == kind


def test_a_stage_column_offers_its_values_to_map_and_imports_them(
    app: AppTest, engine: Engine
) -> None:
    ids = [f"D{i}" for i in range(10)]
    stages = ["Won"] * 4 + ["Lost"] * 3 + ["Engaging"] * 2 + ["Stalled"]
    leads = ("id\n" + "".join(f"{i}\n" for i in ids)).encode()
    deals = "lead_external_id,stage,stage_at\n" + "".join(
        f"{i},{s},2024-03-0{n % 9 + 1}\n" for n, (i, s) in enumerate(zip(ids, stages, strict=True))
    )
    key = upload(app, ("leads.csv", leads))
    click(app, f"{key}_import")
    key = upload(app, ("deals.csv", deals.encode()))
    assert app.selectbox(key=kind_key(key)).value == "outcomes"  # guessed from the header

    editor = f"{key}_stages_stage_0"
    offered = app.get_by_key(editor).value
    assert offered[["value", "rows"]].values.tolist() == [
        ["Won", 4], ["Lost", 3], ["Engaging", 2], ["Stalled", 1]
    ]  # fmt: skip
    assert offered["stage"].tolist()[:2] == ["Won", "Lost"]  # guessed from their names
    app.session_state[editor] = {
        "edited_rows": {2: {"stage": "Opportunity"}},
        "added_rows": [],
        "deleted_rows": [],
    }
    app.run()
    click(app, f"{key}_import")

    assert (metric(app, "Inserted"), metric(app, "Rejected")) == (9, 1)
    assert table_with(app, "reason").iloc[0]["value"] == "Stalled"
    facts = repo.load_sales_facts(engine)
    assert (facts["won_at"].notna().sum(), facts["lost_at"].notna().sum()) == (4, 3)
    assert facts["opportunity_at"].notna().sum() == 2


def test_a_snapshot_date_creates_the_files_leads_on_that_day(app: AppTest, engine: Engine) -> None:
    from datetime import date

    key = upload(app, ("snapshot.csv", b"id,age\nA,31\nB,45\n"))
    app.date_input(key=f"{key}_as_of_0").set_value(date(2024, 6, 30)).run()
    click(app, f"{key}_import")

    assert metric(app, "Inserted") == 2
    created = repo.load_leads(engine)["created_at"]
    assert set(created) == {pd.Timestamp("2024-06-30", tz="UTC")}


ACCOUNTS = b"account,sector,revenue\nInitech,Software,1200000\nGlobex,Energy,5\n"
TYPED_LEADS = b"id,company,visits,plan\nL1,Initech,3,pro\nL2,initech ,12,free\nL3,Hooli,,pro\n"


def test_an_accounts_file_adds_its_columns_to_the_leads_of_each_account(
    app: AppTest, engine: Engine
) -> None:
    click(app, f"{upload(app, ('leads.csv', TYPED_LEADS))}_import")
    key = upload(app, ("accounts.csv", ACCOUNTS))
    app.selectbox(key=kind_key(key)).set_value("attributes").run()
    assert_no_exception(app)
    assert app.selectbox(key=f"{key}_join_field_1").value == "company"
    assert app.selectbox(key=f"{key}_join_column_1").value == "account"
    types = app.get_by_key(f"{key}_types_1").value.set_index("attribute")["type"]
    assert types.to_dict() == {"sector": "text", "revenue": "number"}

    click(app, f"{key}_import")

    assert metric(app, "Updated") == 2
    assert any("matched no lead 1" in t for t in texts(app.success))
    leads = repo.load_leads(engine).set_index("external_id")
    assert len(leads) == 3  # no lead created
    assert leads["revenue"].tolist()[:2] == [1_200_000.0, 1_200_000.0]
    assert leads.loc["L1", "visits"] == 3.0


def test_a_custom_column_type_can_be_changed_on_the_page(app: AppTest, engine: Engine) -> None:
    key = upload(app, ("leads.csv", TYPED_LEADS))
    types_key = f"{key}_types_0"
    assert app.get_by_key(types_key).value.set_index("attribute")["type"]["visits"] == "number"
    app.session_state[types_key] = {
        "edited_rows": {0: {"type": "text"}},
        "added_rows": [],
        "deleted_rows": [],
    }
    app.run()
    click(app, f"{key}_import")
    assert repo.load_leads(engine)["visits"].tolist()[:2] == ["3", "12"]
    assert repo.load_attribute_types(engine)["visits"] == "text"


def test_a_file_without_an_id_can_be_keyed_by_line_number(app: AppTest, engine: Engine) -> None:
    no_id = b"country,job,balance\nPT,admin,10\nPT,admin,20\nPT,admin,10\n"
    key = upload(app, ("campaign.csv", no_id))
    radio = app.radio(key=f"{key}_lead_key_0")
    assert radio.value == "all_columns"
    click(app, f"{key}_import")
    assert (metric(app, "Inserted"), metric(app, "Rejected")) == (2, 1)
    assert any("hash of all its columns" in t for t in texts(app.warning))

    key = upload(app, ("campaign2.csv", no_id.replace(b"balance", b"amount")))
    app.radio(key=f"{key}_lead_key_0").set_value("row_number").run()
    click(app, f"{key}_import")
    assert metric(app, "Inserted") == 3
    assert {"line-2", "line-3", "line-4"} <= set(repo.load_leads(engine)["external_id"])
