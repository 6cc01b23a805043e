"""Bulk writes straight to the driver: the hot path of big CSV imports.

SQLAlchemy's executemany processes every parameter of every row in Python (about 2/3 of
an import's time at 100,000 rows). Here a frame's columns are converted once, vectorised,
to what the driver stores (SQLite: the same text SQLAlchemy writes; PostgreSQL: naive
datetimes), and the compiled statement runs through `exec_driver_sql`.
"""

from __future__ import annotations

import json
from typing import Any

import pandas as pd
from sqlalchemy import JSON, Connection, DateTime, Table, bindparam
from sqlalchemy.sql.dml import Insert

from db.engine import json_dumps
from domain.frames import to_utc

CHUNK_ROWS = 10_000
# One encoder for all rows: json.dumps with options builds a new one per call.
_ENCODER = json.JSONEncoder(separators=(",", ":"), allow_nan=False)
# SQLAlchemy's SQLite DATETIME storage format, so raw and ORM writes read back alike.
_SQLITE_DATETIME = "%Y-%m-%d %H:%M:%S.%f"


def with_bindparams(statement: Insert, columns: list[str]) -> Insert:
    """`statement` inserting one named bind parameter per column (compile it for bulk)."""
    return statement.values({name: bindparam(name) for name in columns})


def execute_frame(
    connection: Connection, statement: Insert, table: Table, frame: pd.DataFrame
) -> None:
    """Run `statement` (built by `with_bindparams` on `frame`'s columns) for every row."""
    if frame.empty:
        return
    compiled = statement.compile(dialect=connection.dialect)
    sqlite = connection.dialect.name == "sqlite"
    columns = {name: _driver_values(frame[name], table.c[name].type, sqlite) for name in frame}
    for name, value in compiled.params.items():
        if name not in columns:  # a literal of the statement, or a column's default
            columns[name] = [_default(table, name, value)] * len(frame)
    names = list(compiled.positiontup or []) if compiled.positional else list(columns)
    rows: list[Any] = list(zip(*(columns[n] for n in names), strict=True))
    if not compiled.positional:
        rows = [dict(zip(names, row, strict=True)) for row in rows]
    sql = str(compiled)
    for start in range(0, len(rows), CHUNK_ROWS):
        connection.exec_driver_sql(sql, rows[start : start + CHUNK_ROWS])


def _json(value: dict[str, Any]) -> str:
    """As db.engine.json_dumps writes it; imported custom values are plain text already."""
    try:
        return _ENCODER.encode(value)
    except (TypeError, ValueError):  # numpy scalars, NaN: the careful path
        return json_dumps(value)


def _default(table: Table, name: str, value: Any) -> Any:
    """A column missing from the frame gets its scalar Python-side default (e.g. 0)."""
    default = table.c[name].default if name in table.c else None
    if default is None:
        return value
    if not getattr(default, "is_scalar", False):
        raise ValueError(f"bulk insert: give column {name} a value (its default is computed)")
    return default.arg  # type: ignore[attr-defined]


def _driver_values(series: pd.Series, column_type: Any, sqlite: bool) -> list[Any]:
    """One column as plain driver values; missing values become None."""
    if isinstance(column_type, JSON):
        return [_json(v) if isinstance(v, dict) else "{}" for v in series]
    if isinstance(column_type, DateTime):
        stamps = to_utc(series).dt.tz_localize(None)
        values = stamps.dt.strftime(_SQLITE_DATETIME) if sqlite else stamps.dt.to_pydatetime()
        return (
            pd.Series(values, index=series.index)
            .astype(object)
            .where(stamps.notna(), None)
            .tolist()
        )
    plain = series.astype(object)
    return plain.where(series.notna(), None).tolist()  # type: ignore[no-any-return]
