"""Size limits and NUL characters: the same rejections and values on SQLite and PostgreSQL."""

from __future__ import annotations

import pandas as pd
from sqlalchemy import Engine

from db import repository as repo
from domain.importing import GENERIC, read_csv_source, suggest_mapping
from domain.importing.validate import MAX_CELL, MAX_KEY


def test_long_ids_and_cells_are_rejected_and_nul_characters_dropped_alike(engine: Engine) -> None:
    rows = pd.DataFrame(
        {
            "external_id": ["ok-1", "x" * (MAX_KEY + 1), "ok-3", "ok-4", "k" * MAX_KEY],
            "name": ["Ann\x00 Lee", "Bob", "Cy", "Di", "Ed"],
            "company": ["Acme", "Acme", "c" * (MAX_CELL + 1), "Acme", "Acme"],
            "Notes": ["fine", "fine", "fine", "n" * (MAX_CELL + 1), "fine"],
        }
    )
    source = read_csv_source(rows.to_csv(index=False).encode())
    report = repo.import_csv(engine, source, suggest_mapping("leads", source.header, GENERIC))
    assert (report.inserted, report.rejected) == (2, 3)
    reasons = report.rejects.set_index("line")["reason"].to_dict()
    assert reasons == {
        3: f"longer than {MAX_KEY:,} characters",
        4: f"longer than {MAX_CELL:,} characters",
        5: f"longer than {MAX_CELL:,} characters",
    }
    assert report.rejects["value"].str.len().max() <= 81  # the start of the value only
    leads = repo.load_leads(engine).set_index("external_id")
    assert leads.loc["ok-1", "name"] == "Ann Lee"
    assert leads.loc["k" * MAX_KEY, "name"] == "Ed"
