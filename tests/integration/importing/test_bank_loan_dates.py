"""The bank loan leads file (dd/mm/yy dates, two-digit years) is read day first whole.

Its first rows are ambiguous ("04/07/16") and its birth dates span 1930-1999: read
month first, or with Python's %y pivot, 2,000+ leads would be born in 2030-2068.
"""

from __future__ import annotations

import pandas as pd
import pytest
from sqlalchemy import Engine

from db import repository as repo
from domain.importing import Mapping, parse_datetime, read_csv_source
from tests.integration.importing.test_olist_import import DATASETS

BANK = DATASETS / "bank-loan-leads" / "train.csv"
pytestmark = pytest.mark.skipif(not BANK.is_file(), reason=f"the bank loan file is not at {BANK}")


def test_birth_and_creation_dates_are_read_day_first_with_the_pivot_at_30():
    source = read_csv_source(BANK)
    profile = source.scan()
    assert profile.day_first("DOB") is True and profile.day_first("Lead_Creation_Date") is True
    raw = pd.read_csv(BANK, dtype=str, usecols=["DOB"])["DOB"]
    born = parse_datetime(raw, day_first=True)
    assert not born.bad.any()
    years = born.values.dropna().dt.year
    assert (years.min(), years.max()) == (1930, 1999)
    assert born.values.notna().sum() == raw.notna().sum()


def test_the_whole_file_imports_with_every_creation_date_in_summer_2016(sqlite_engine: Engine):
    mapping = Mapping(
        kind="leads",
        fields={"external_id": "ID", "created_at": "Lead_Creation_Date", "source": "Source"},
    )
    report = repo.import_csv(sqlite_engine, read_csv_source(BANK), mapping)
    assert (report.inserted, report.rejected) == (69_713, 0)
    created = repo.load_leads(sqlite_engine)["created_at"]
    assert created.min() == pd.Timestamp("2016-07-01", tz="UTC")
    assert created.max() == pd.Timestamp("2016-09-30", tz="UTC")
