"""The Data page's backup: a zip that restores the same data through the import."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pandas as pd
import pytest
from sqlalchemy import Engine

from data.seed import seed_demo
from db import repository as repo
from db.admin.backup_repo import BACKUP_FILES, backup_zip
from db.engine import get_engine
from db.migrate import upgrade
from db.scoring.scoring_source import load_model
from domain.definitions.defaults import default_definition
from domain.definitions.definition import parse_definition
from domain.engine.frames import LEAD_CORE_COLUMNS
from domain.importing import GENERIC, read_csv_source, suggest_mapping

KINDS_BY_FILE = dict(zip(BACKUP_FILES, ("leads", "activities", "touches", "outcomes"), strict=True))


@pytest.fixture
def demo_engine(sqlite_engine: Engine) -> Engine:
    seed_demo(sqlite_engine, n_leads=150, as_of=pd.Timestamp("2026-06-30", tz="UTC"))
    return sqlite_engine


def restore(archive: zipfile.ZipFile, engine: Engine) -> None:
    """What a user does on the Data page: each file in order, preset Generic."""
    for name in BACKUP_FILES:
        source = read_csv_source(archive.read(name))
        mapping = suggest_mapping(KINDS_BY_FILE[name], source.header, GENERIC)
        report = repo.import_csv(engine, source, mapping)
        assert report.rejected == 0, report.rejects.head().to_dict("records")


def test_a_backup_restores_every_row_through_the_import(
    demo_engine: Engine, tmp_path: Path
) -> None:
    archive = zipfile.ZipFile(io.BytesIO(backup_zip(demo_engine)))
    assert {*BACKUP_FILES, "definition-published.json", "README.txt"} <= set(archive.namelist())
    other = get_engine(f"sqlite:///{tmp_path / 'restored.db'}")
    upgrade(other)
    restore(archive, other)
    tables = ("lead", "activity", "sales_touch", "sales_fact")
    before, after = repo.count_rows(demo_engine), repo.count_rows(other)
    assert {t: after[t] for t in tables} == {t: before[t] for t in tables}
    original, restored = repo.load_leads(demo_engine), repo.load_leads(other)
    columns = [c for c in original.columns if c != "lead_id"]
    assert set(columns) <= set(restored.columns)  # custom attributes come back as columns
    # Custom attributes come back as text (the import keeps them as read): compare as such.
    pd.testing.assert_frame_equal(
        as_text(restored[columns]), as_text(original[columns]), check_dtype=False
    )
    assert stage_counts(other) == stage_counts(demo_engine)


def as_text(leads: pd.DataFrame) -> pd.DataFrame:
    ordered = leads.sort_values("external_id", ignore_index=True)
    custom = [c for c in ordered.columns if c not in LEAD_CORE_COLUMNS]
    return ordered.astype({c: "string" for c in custom})


def stage_counts(engine: Engine) -> dict[str, int]:
    published = repo.get_published(engine)
    definition = default_definition() if published is None else published[1]
    result = load_model(engine).score(definition)
    return result.frame["highest_stage"].astype(str).value_counts().to_dict()


def test_the_backup_holds_the_published_definition(demo_engine: Engine) -> None:
    archive = zipfile.ZipFile(io.BytesIO(backup_zip(demo_engine)))
    published = repo.get_published(demo_engine)
    assert published is not None
    assert parse_definition(archive.read("definition-published.json")) == published[1]


def test_an_empty_database_backs_up_to_header_only_files(sqlite_engine: Engine) -> None:
    archive = zipfile.ZipFile(io.BytesIO(backup_zip(sqlite_engine)))
    header = archive.read("activities.csv").decode().strip()
    assert header == "lead_external_id,activity_type,occurred_at,content_stage,asset,duration_s"


FORMULAS = {
    "external_id": '=HYPERLINK("http://x.example","y")',
    "name": "+cmd|' /C calc'!A0",
    "company": "@SUM(A1:A9)",
    "title": "-2+3",
    "owner": "=IMPORTXML(A1)",
}


def test_a_backup_neutralises_formula_cells_and_still_restores_them(
    demo_engine: Engine, tmp_path: Path
) -> None:
    hostile = pd.DataFrame([FORMULAS])
    source = read_csv_source(hostile.to_csv(index=False).encode())
    repo.import_csv(demo_engine, source, suggest_mapping("leads", source.header, GENERIC))
    archive = zipfile.ZipFile(io.BytesIO(backup_zip(demo_engine)))
    raw = pd.read_csv(io.BytesIO(archive.read("leads.csv")), dtype=str, keep_default_na=False)
    row = raw[raw["name"].str.contains("calc")].iloc[0]
    for column, value in FORMULAS.items():
        assert row[column] == "'" + value  # a spreadsheet shows it, never runs it
    other = get_engine(f"sqlite:///{tmp_path / 'restored.db'}")
    upgrade(other)
    restore(archive, other)
    restored = repo.load_leads(other).set_index("external_id").loc[FORMULAS["external_id"]]
    for column in ("name", "company", "title", "owner"):
        assert restored[column] == FORMULAS[column]
