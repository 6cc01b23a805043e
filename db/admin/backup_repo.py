"""A read-only backup of all lead data: a zip of CSVs in Baton's own import format.

The files re-import through the Data page (or `cli.py import`) with the "Generic" preset:
their headers are Baton's field names. Activities are read in chunks straight into the
zip, so a large activity log never sits in memory as one frame.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator

import pandas as pd
from sqlalchemy import Engine, select

from db.convert import plain_columns, utc_column
from db.definitions.definitions_repo import get_draft, get_published
from db.leads.leads_repo import load_leads
from db.leads.sales_repo import load_sales_facts, load_touches
from db.models import Activity, Lead, table_of
from domain.common.csv_safety import safe_csv

# Import order matters: the other files name their lead by its external id.
BACKUP_FILES = ("leads.csv", "activities.csv", "touches.csv", "outcomes.csv")
_ACTIVITY_COLUMNS = ("activity_type", "occurred_at", "content_stage", "asset", "duration_s")
_ACTIVITY_CHUNK = 100_000
_README = """Baton backup ({when} UTC)

Re-import in this order on the Data page (preset "Generic": the headers are Baton's
field names) or with `python cli.py import KIND FILE`:
  1. leads.csv       (leads; custom attribute columns come back as custom attributes)
  2. activities.csv  (activities)
  3. touches.csv     (sales touches)
  4. outcomes.csv    (outcomes: what sales recorded per lead)
definition-published.json (and definition-draft.json when there was a draft) restore with
`python cli.py definition import FILE.json [--publish ...]`. Deleting data keeps the
definitions in the database anyway.
"""


def backup_zip(engine: Engine) -> bytes:
    """Every lead, activity, touch and outcome plus the definitions, as zip bytes."""
    leads = load_leads(engine)
    external = leads.set_index("lead_id")["external_id"]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        when = f"{pd.Timestamp.now('UTC'):%Y-%m-%d %H:%M}"
        archive.writestr("README.txt", _README.format(when=when))
        archive.writestr("leads.csv", safe_csv(leads.drop(columns=["lead_id"])))
        with archive.open("activities.csv", "w") as handle:
            for number, chunk in enumerate(_activity_chunks(engine)):
                handle.write(safe_csv(chunk, header=number == 0).encode())
        archive.writestr("touches.csv", _by_external_id(load_touches(engine), external))
        archive.writestr("outcomes.csv", _by_external_id(load_sales_facts(engine), external))
        _write_definitions(engine, archive)
    return buffer.getvalue()


def _write_definitions(engine: Engine, archive: zipfile.ZipFile) -> None:
    published = get_published(engine)
    if published is not None:
        archive.writestr("definition-published.json", published[1].to_json())
    draft = get_draft(engine)
    if draft is not None:
        archive.writestr("definition-draft.json", draft.definition.to_json())


def _by_external_id(frame: pd.DataFrame, external: pd.Series) -> str:
    out = frame.drop(columns=["touch_id"], errors="ignore")
    out.insert(0, "lead_external_id", out.pop("lead_id").map(external))
    return safe_csv(out)


def _activity_chunks(engine: Engine) -> Iterator[pd.DataFrame]:
    activity = table_of(Activity)
    lead = table_of(Lead)
    statement = (
        select(lead.c.external_id.label("lead_external_id"))
        .add_columns(*plain_columns(activity, _ACTIVITY_COLUMNS))
        .join(lead, lead.c.id == activity.c.lead_id)
        .order_by(activity.c.id)
    )
    names = ["lead_external_id", *_ACTIVITY_COLUMNS]
    empty = True
    with engine.connect() as connection:
        result = connection.execution_options(yield_per=_ACTIVITY_CHUNK).execute(statement)
        for rows in result.partitions():
            frame = pd.DataFrame(rows, columns=names)
            frame["occurred_at"] = utc_column(frame["occurred_at"])
            empty = False
            yield frame
    if empty:  # still write the header, so the file says what it would hold
        yield pd.DataFrame(columns=names)
