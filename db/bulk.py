"""Bulk writes straight to the driver: the hot path of big CSV imports.

SQLAlchemy's executemany processes every parameter of every row in Python (about 2/3 of
an import's time at 100,000 rows). Here a frame's columns are converted once, vectorised,
to what the driver stores (SQLite: the same text SQLAlchemy writes; PostgreSQL: naive
datetimes), and the compiled statement runs through `exec_driver_sql`.

`staged` goes further: rows into a temp table (COPY on PostgreSQL), so the caller's
set-based SQL (upsert, join, count) does the rest without a row crossing back.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pandas as pd
from sqlalchemy import (
    JSON,
    BigInteger,
    Column,
    Connection,
    DateTime,
    MetaData,
    Table,
    Text,
    bindparam,
    insert,
)
from sqlalchemy.exc import DBAPIError
from sqlalchemy.sql.dml import Insert

from db.engine import json_dumps
from domain.engine.frames import to_utc

CHUNK_ROWS = 10_000
STAGE = "baton_stage"
# One encoder for all rows: json.dumps with options builds a new one per call.
_ENCODER = json.JSONEncoder(separators=(",", ":"), allow_nan=False)
# Its C core, made once: JSONEncoder.encode makes a new one for every value, which was
# most of the cost of encoding a million rows' custom attributes. None without the C
# accelerator (then the encoder above does it).
_C_ENCODE = (
    json.encoder.c_make_encoder(  # type: ignore[attr-defined]
        None,
        _ENCODER.default,
        json.encoder.encode_basestring_ascii,
        None,
        ":",
        ",",
        False,
        False,
        False,
    )
    if json.encoder.c_make_encoder is not None  # type: ignore[attr-defined]
    else None
)
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


@contextmanager
def staged(connection: Connection, table: Table, frame: pd.DataFrame) -> Iterator[None]:
    """`frame` in a temp table STAGE for the block's set-based SQL, in the caller's
    transaction; dropped after the block (and on PostgreSQL at commit or rollback).

    Columns named like `table`'s keep their type; other integer columns become BIGINT,
    the rest TEXT. PostgreSQL loads it with COPY.
    """
    stage = Table(
        STAGE,
        MetaData(),
        *(Column(name, _stage_type(table, frame[name])) for name in frame.columns),
        prefixes=["TEMPORARY"],
        postgresql_on_commit="DROP",
    )
    connection.exec_driver_sql(f"DROP TABLE IF EXISTS {STAGE}")
    stage.create(connection)
    if connection.dialect.name == "postgresql":
        _copy(connection, stage, frame)
    else:
        execute_frame(connection, with_bindparams(insert(stage), list(frame)), stage, frame)
    yield
    connection.exec_driver_sql(f"DROP TABLE {STAGE}")


def _copy(connection: Connection, stage: Table, frame: pd.DataFrame) -> None:
    # Imported here: only PostgreSQL's COPY needs the driver, and loading it took a
    # SQLite server ~0.2 s at start (its first page after a restart waits for that).
    import psycopg

    columns = [_driver_values(frame[n], stage.c[n].type, as_text=True) for n in frame]
    sql = f"COPY {STAGE} ({', '.join(frame.columns)}) FROM STDIN"
    cursor = connection.connection.driver_connection.cursor()  # type: ignore[union-attr]
    try:
        with cursor.copy(sql) as copy:
            for row in zip(*columns, strict=True):
                copy.write_row(row)  # psycopg's C code formats it: cheaper than text built here
    except psycopg.Error as exc:  # reported like the errors SQLAlchemy wraps
        raise DBAPIError(sql, None, exc) from exc
    finally:
        cursor.close()


def _stage_type(table: Table, series: pd.Series) -> Any:
    if series.name in table.c:
        return table.c[series.name].type
    return BigInteger() if pd.api.types.is_integer_dtype(series) else Text()


def _json(value: dict[str, Any]) -> str:
    """As db.engine.json_dumps writes it; imported custom values are plain text already."""
    try:
        return "".join(_C_ENCODE(value, 0)) if _C_ENCODE else _ENCODER.encode(value)
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


def _driver_values(series: pd.Series, column_type: Any, as_text: bool) -> list[Any]:
    """One column as plain driver values; missing values become None. `as_text` gives
    timestamps as text (what SQLite stores; COPY parses it too), else naive datetimes.
    """
    if isinstance(column_type, JSON):
        return [_json(v) if isinstance(v, dict) else "{}" for v in series]
    if isinstance(column_type, DateTime):
        stamps = to_utc(series).dt.tz_localize(None)
        values = stamps.dt.strftime(_SQLITE_DATETIME) if as_text else stamps.dt.to_pydatetime()
        return (
            pd.Series(values, index=series.index)
            .astype(object)
            .where(stamps.notna(), None)
            .tolist()
        )
    plain = series.astype(object)
    return plain.where(series.notna(), None).tolist()  # type: ignore[no-any-return]
