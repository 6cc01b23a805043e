"""The Data page never misreads silently: the malformed corpus gets sentences (never an
exception, never a half import) and the encoding can be chosen with its accented values
previewed."""

from __future__ import annotations

from sqlalchemy import Engine
from streamlit.testing.v1 import AppTest

from components.data.import_source import DETECTED, encoding_key
from db import repository as repo
from domain.importing import read_csv_source, suggest_mapping
from tests.app.test_data_page import app, click, engine, metric, texts, upload  # noqa: F401
from tests.fixtures.malformed import GOOD, Case, corpus

LATIN = "id,email,city\n1,ana@x.com,Logroño\n2,joao@x.com,São Paulo\n".encode("cp1252")


def plain(text: str) -> str:
    """Markdown shown literally (components.common.literal) read back as the text it shows."""
    return text.replace("\\", "").replace("\u2060", "")


def messages(at: AppTest) -> list[str]:
    return [plain(t) for t in texts(at.error) + texts(at.warning)]


def import_good(database: Engine) -> None:
    source = read_csv_source(GOOD.encode())
    repo.import_csv(database, source, suggest_mapping("leads", source.header))


def outcome_of(at: AppTest, case: Case) -> str:
    """Upload `case` and import it when the page lets you; what the page then says."""
    key = upload(at, (f"{case.name}.csv", case.data))
    button = next((b for b in at.button if b.key == f"{key}_import"), None)
    if button is None or button.disabled:
        return "refused"
    click(at, f"{key}_import")
    if any("rolled back" in m for m in texts(at.error)):
        return "refused"
    return "imported" if metric(at, "Rejected") == 0 else "rejected"


def test_every_malformed_file_gets_a_sentence_and_a_refused_one_changes_nothing(
    app: AppTest,  # noqa: F811
    engine: Engine,  # noqa: F811
) -> None:
    import_good(engine)
    for case in corpus():
        before = repo.count_rows(engine)
        got = outcome_of(app, case)
        assert not app.exception, (case.name, [e.value for e in app.exception])
        assert got == case.expect, (case.name, messages(app))
        if got == "refused":
            assert any(case.phrase in m for m in messages(app)), (case.name, messages(app))
            assert repo.count_rows(engine) == before, case.name
            assert not any("Traceback" in m for m in messages(app))


def test_the_encoding_can_be_chosen_and_the_accented_values_are_previewed(
    app: AppTest,  # noqa: F811
    engine: Engine,  # noqa: F811
) -> None:
    key = upload(app, ("latin.csv", LATIN))
    assert app.selectbox(key=encoding_key(key)).value == DETECTED
    preview = next(d.value for d in app.dataframe if "value" in d.value.columns)
    assert {"Logroño", "São Paulo"} <= set(preview["value"])
    app.selectbox(key=encoding_key(key)).set_value("cp1250").run()
    assert not app.exception
    preview = next(d.value for d in app.dataframe if "value" in d.value.columns)
    assert "Logrońo" in set(preview["value"])
    assert any("cp1250 (chosen)" in plain(m.value) for m in app.markdown)
    app.selectbox(key=encoding_key(key)).set_value("utf-8").run()
    assert any("not valid utf-8" in m for m in texts(app.error))
    app.selectbox(key=encoding_key(key)).set_value("cp1252").run()
    click(app, f"{key}_import")
    assert metric(app, "Inserted") == 2
    assert "São Paulo" in set(repo.load_leads(engine)["city"])


SPELLINGS = (
    b"id,email,Country,Lead Source\n"
    b"1,a@x.com,US,organic_search\n2,b@x.com,United States,Organic Search\n"
    b"3,c@x.com,us,Organic Search\n"
)


def test_the_value_check_lists_unmatched_values_and_normalises_in_one_click(
    app: AppTest,  # noqa: F811
    engine: Engine,  # noqa: F811
) -> None:
    key = upload(app, ("spellings.csv", SPELLINGS))
    click(app, f"{key}_import")
    unmatched = next(d.value for d in app.dataframe if "leads" in d.value.columns)
    assert ["country", "United States", 1] in unmatched.values.tolist()
    lines = [t.value for t in app.text]
    assert "country: 'us' (1) → 'US'" in lines
    button = next(b for b in app.button if b.key and b.key.startswith("data_values_"))
    click(app, button.key)
    assert any("country “US” written on 1 lead." in plain(s.value) for s in app.success)
    assert sorted(repo.load_leads(engine)["country"]) == ["US", "US", "United States"]


def test_validate_says_how_the_whole_file_is_read(app: AppTest) -> None:  # noqa: F811
    rows = "".join(f"{i},p{i}@x.com,03/04/2024\n" for i in range(1, 30))
    data = ("id,email,created\n" + rows + "99,z@x.com,25/03/2024\n").encode()
    key = upload(app, ("dates.csv", data))
    click(app, f"{key}_validate")
    lines = [t.value for t in app.text]
    assert any("Slash dates in 'created' are read day first" in t for t in lines), lines
    assert any("line 31: 25/03/2024" in t for t in lines)


def test_a_file_that_cannot_be_read_is_named_literally_in_the_error(app: AppTest) -> None:  # noqa: F811
    unreadable = next(case for case in corpus() if case.name == "quote open mid-file")
    name = "![t](http://host/x.png)[click](http://host/p).csv"

    upload(app, (name, unreadable.data))

    shown = [e.value for e in app.error if "cannot be read" in e.value]
    assert shown, messages(app)
    assert "](http" not in shown[0]  # escaped: no image or link is rendered
    assert name in plain(shown[0])
