"""Frames <-> rows at the database edge: naive UTC in the tables, tz-aware UTC in frames."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import UTC, datetime
from typing import Any

import pandas as pd
from sqlalchemy import (
    ColumnElement,
    Connection,
    DateTime,
    Select,
    String,
    Table,
    type_coerce,
)
from sqlalchemy.dialects import postgresql, sqlite

from domain.engine.frames import TIMESTAMP_COLUMNS, to_utc

CHUNK_ROWS = 10_000
_UTC_NS = "datetime64[ns, UTC]"


def naive_utc(value: datetime) -> datetime:
    """A datetime as stored: UTC without tzinfo (naive input is taken to be UTC)."""
    if isinstance(value, pd.Timestamp):
        value = value.to_pydatetime()
    if value.tzinfo is None:
        return value
    return value.astimezone(UTC).replace(tzinfo=None)


def aware_utc(value: datetime) -> datetime:
    """A stored (naive UTC) datetime as a tz-aware UTC one."""
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def column_values(series: pd.Series, *, timestamp: bool = False) -> list[Any]:
    """Plain Python values for a DB driver: None for missing, naive UTC datetimes."""
    if timestamp:
        series = to_utc(series).dt.tz_localize(None).dt.to_pydatetime()
    plain = series.astype(object)
    values: list[Any] = plain.where(series.notna(), None).tolist()
    return values


def records(frame: pd.DataFrame, constants: dict[str, Any] | None = None) -> list[dict[str, Any]]:
    """Row dicts for an executemany; timestamp columns are converted to naive UTC."""
    columns = {
        name: column_values(frame[name], timestamp=name in TIMESTAMP_COLUMNS)
        for name in frame.columns
    }
    for name, value in (constants or {}).items():
        columns[name] = [value] * len(frame)
    names = list(columns)
    return [dict(zip(names, row, strict=True)) for row in zip(*columns.values(), strict=True)]


def chunks(rows: Sequence[dict[str, Any]], size: int = CHUNK_ROWS) -> Iterator[Sequence[Any]]:
    for start in range(0, len(rows), size):
        yield rows[start : start + size]


def read_frame(connection: Connection, statement: Select[Any]) -> pd.DataFrame:
    """Run a Core select into a frame, with its timestamp columns as tz-aware UTC."""
    return _with_utc(pd.read_sql(statement, connection))


def read_frame_in_parts(
    connection: Connection, statement: Select[Any], rows: int
) -> Iterator[pd.DataFrame]:
    """`read_frame` `rows` rows at a time (at least one frame, maybe empty): a caller
    that makes each part compact never holds the driver's rows of a whole large result
    (a few hundred bytes per row as Python objects)."""
    result = connection.execution_options(stream_results=True).execute(statement)
    columns = list(result.keys())
    empty = True
    for part in result.partitions(rows):
        empty = False
        # Plain tuples: pandas probes each SQLAlchemy Row for dict-like attributes, one
        # raised and caught AttributeError per row and probe: more than double the read time.
        yield _with_utc(pd.DataFrame.from_records([tuple(row) for row in part], columns=columns))
    if empty:
        yield _with_utc(pd.DataFrame(columns=columns))


def _with_utc(frame: pd.DataFrame) -> pd.DataFrame:
    for name in TIMESTAMP_COLUMNS.intersection(frame.columns):
        frame[name] = utc_column(frame[name])
    return frame


def utc_column(series: pd.Series) -> pd.Series:
    """Stored timestamps (datetimes, or ISO text from SQLite) as tz-aware UTC, vectorised."""
    first = series.dropna().head(1).tolist()
    if first and isinstance(first[0], str):
        # SQLite text has one ISO layout; "ISO8601" parses it in C, where
        # domain.engine.frames.to_utc's "mixed" would go row by row.
        parsed = pd.to_datetime(series, utc=True, format="ISO8601")
    else:
        parsed = pd.to_datetime(series, utc=True)
    return parsed.astype(_UTC_NS)


def plain_columns(table: Table, names: Sequence[str]) -> list[ColumnElement[Any]]:
    """Columns of `table` for a select, timestamps wrapped by `raw_timestamp`."""
    return [
        raw_timestamp(table.c[n]) if isinstance(table.c[n].type, DateTime) else table.c[n]
        for n in names
    ]


def raw_timestamp(column: ColumnElement[Any], name: str | None = None) -> ColumnElement[Any]:
    """`column` in a select without SQLAlchemy's per-row datetime parsing (same SQL text).

    SQLite then hands back ISO text that `read_frame` parses in one vectorised call;
    PostgreSQL's driver returns datetimes either way.
    """
    return type_coerce(column, String).label(name or column.key)


def require_columns(frame: pd.DataFrame, required: Sequence[str], *, what: str) -> None:
    missing = [c for c in required if c not in frame.columns]
    if missing:
        raise ValueError(f"{what}: missing column(s) {', '.join(missing)}")


def refuse_unknown_columns(frame: pd.DataFrame, allowed: Sequence[str], *, what: str) -> None:
    unknown = sorted(set(frame.columns) - set(allowed))
    if unknown:
        raise ValueError(
            f"{what}: unknown column(s) {', '.join(unknown)}; allowed: {', '.join(allowed)}"
        )


def examples(values: Sequence[Any] | pd.Series, limit: int = 5) -> str:
    shown = [str(v) for v in list(values)[:limit]]
    more = len(values) - len(shown)
    return ", ".join(shown) + (f" (and {more} more)" if more > 0 else "")


def dialect_insert(connection: Connection, table: Table) -> Any:
    """An INSERT that supports ON CONFLICT; SQLite and PostgreSQL share the same API."""
    if connection.dialect.name == "postgresql":
        return postgresql.insert(table)
    return sqlite.insert(table)


def coerce_frame(
    frame: pd.DataFrame,
    *,
    strings: Sequence[str] = (),
    floats: Sequence[str] = (),
    bools: Sequence[str] = (),
    ints: Sequence[str] = (),
) -> pd.DataFrame:
    """A copy with stable dtypes, whatever the driver returned (all-NULL columns included)."""
    out = frame.copy()
    for name in strings:
        if name in out:
            out[name] = out[name].astype("str").where(out[name].notna())
    for name in floats:
        if name in out:
            out[name] = pd.to_numeric(out[name], errors="raise").astype("float64")
    for name in bools:
        if name in out:
            out[name] = out[name].astype("boolean")
    for name in ints:
        if name in out:
            out[name] = out[name].astype("int64")
    return out
