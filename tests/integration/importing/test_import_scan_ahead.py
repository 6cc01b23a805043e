"""Big files: the whole-file scan runs in a second process while the rows go in, and the
import reads every row as the whole file says (forced here on small files)."""

from __future__ import annotations

import pandas as pd
import pytest
from sqlalchemy import Engine

import domain.importing.scan_ahead as scan_ahead
from db import repository as repo
from domain.importing import Mapping, read_csv_source

MAPPING = Mapping(kind="leads", fields={"external_id": "Id", "created_at": "Created"})
FILLER = 4_000  # rows of ambiguous dates: more than the first 64 KiB


@pytest.fixture(autouse=True)
def verdicts(monkeypatch: pytest.MonkeyPatch) -> list[bool]:
    """Scans ahead for any file; lists whether each scan agreed with the file's start."""
    monkeypatch.setattr(scan_ahead, "WORTH_IT_BYTES", 1)
    found: list[bool] = []
    agrees = scan_ahead.ScanAhead.agrees

    def recorded(self: scan_ahead.ScanAhead) -> bool:
        found.append(agrees(self))
        return found[-1]

    monkeypatch.setattr(scan_ahead.ScanAhead, "agrees", recorded)
    return found


def leads_file(last_date: str) -> bytes:
    rows = "".join(f"L{i},03/04/2024 10:00,note {i}\n" for i in range(FILLER))
    return f"Id,Created,Note\n{rows}LAST,{last_date},the end\n".encode()


def created(engine: Engine, lead: str) -> pd.Timestamp:
    leads = repo.load_leads(engine).set_index("external_id")
    return pd.Timestamp(leads.loc[lead, "created_at"])


def test_a_file_read_as_its_start_says_is_imported_once_with_the_whole_files_notes(
    engine: Engine, verdicts: list[bool]
) -> None:
    source = read_csv_source(leads_file("05/06/2024 10:00"), chunk_rows=1_000)
    report = repo.import_csv(engine, source, MAPPING)
    assert verdicts == [True]
    assert (report.inserted, report.rejected) == (FILLER + 1, 0)
    assert created(engine, "L0") == pd.Timestamp("2024-03-04 10:00", tz="UTC")  # month first
    assert [note.startswith("numbers") for note in report.notes].count(True) == 1


def test_a_file_whose_end_settles_the_date_order_is_read_as_the_end_says(
    engine: Engine, verdicts: list[bool]
) -> None:
    source = read_csv_source(leads_file("25/12/2024 10:00"), chunk_rows=1_000)
    assert source.sample_profile is not None
    assert source.sample_profile.day_first("Created") is None  # the start settles nothing
    report = repo.import_csv(engine, source, MAPPING)
    assert verdicts == [False]  # so the rows read as the start said were rolled back
    assert (report.inserted, report.rejected) == (FILLER + 1, 0)
    assert created(engine, "L0") == pd.Timestamp("2024-04-03 10:00", tz="UTC")  # day first
    assert created(engine, "LAST") == pd.Timestamp("2024-12-25 10:00", tz="UTC")
    assert any("read day first" in note for note in report.notes)


def test_a_file_unreadable_near_its_end_changes_nothing(engine: Engine) -> None:
    data = leads_file("12/31/2024 10:00") + b"BAD,\xff\xfe,x\n"
    with pytest.raises(repo.ImportAborted, match="not valid utf-8"):
        repo.import_csv(engine, read_csv_source(data, chunk_rows=1_000), MAPPING)
    assert repo.count_rows(engine)["lead"] == 0
