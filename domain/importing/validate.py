"""One chunk of CSV strings -> clean, typed rows for the repository, and the rejected rows.

A row with any unreadable mapped value is rejected whole; each bad cell is reported once
(line, column, value, reason). Rows keep their line number as the index, so the
repository can reject more (an unknown lead) with the right line.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

import pandas as pd

from domain.definitions.definition import CONTENT_STAGES
from domain.importing.custom_columns import custom_values, resolve_types
from domain.importing.fields import FIELDS
from domain.importing.lead_keys import content_hashes, lead_ids, lead_key
from domain.importing.mapping import Mapping, MappingError
from domain.importing.outcomes import (
    resolve_outcomes,
    stage_reason,
    stage_values,
    unknown_stage,
)
from domain.importing.profile import FileProfile, Reading, reading_for, refuse_mixed_dates
from domain.importing.unique import parse_distinct
from domain.importing.values import (
    Parsed,
    blank_mask,
    parse_bool,
    parse_datetime,
    parse_number,
    parse_text,
)

REJECT_COLUMNS: tuple[str, ...] = ("line", "column", "value", "reason")
# The row-identity fields an idempotence key is derived from when the file has no id.
_IDENTITY = {
    "activities": ("lead_external_id", "activity_type", "occurred_at", "content_stage", "asset"),
    "touches": ("lead_external_id", "channel", "touched_at", "rep", "outcome"),
}
_OWN_ID = {"activities": "activity_id", "touches": "touch_id"}
# Size limits, the same on SQLite and PostgreSQL: a key (an id) up to 255 characters, any
# other cell up to 10,000. Longer cells reject their row, with the start of the value.
MAX_KEY = 255
MAX_CELL = 10_000
_KEYS = ("external_id", "lead_external_id", "activity_id", "touch_id")
_SHOWN = 80


@dataclass(frozen=True)
class ChunkResult:
    """Valid rows (typed, named for the repository, indexed by line) and rejected cells."""

    rows: pd.DataFrame
    rejects: pd.DataFrame
    stage_counts: Counter[str] = field(default_factory=Counter)
    """Outcomes with a stage field: every stage value seen in the chunk, with its count."""


def empty_rejects() -> pd.DataFrame:
    """A rejects frame with no rows."""
    return pd.DataFrame(
        {c: pd.Series(dtype="int64" if c == "line" else object) for c in REJECT_COLUMNS}
    )


def validate_chunk(
    frame: pd.DataFrame, mapping: Mapping, *, decimal_comma: bool = False
) -> ChunkResult:
    """Parse and check one chunk (strings indexed by line) against `mapping`.

    The whole file's reading decisions (`frame.attrs["profile"]`, set by
    `CsvSource.chunks`) say per column which date order and decimal separator to use.
    Raises MappingError when the mapping does not fit the chunk's columns, and
    ImportFileError when a date column mixes day-first and month-first dates.
    """
    header = [str(c) for c in frame.columns]
    problems_with_mapping = mapping.problems(header)
    if problems_with_mapping:
        raise MappingError("; ".join(problems_with_mapping))
    profile: FileProfile | None = frame.attrs.get("profile")
    refuse_mixed_dates(profile, mapping, header)
    values: dict[str, pd.Series] = {}
    problems: list[pd.DataFrame] = []
    for spec in FIELDS[mapping.kind]:
        if spec.name not in mapping.fields:
            continue
        label = mapping.fields[spec.name]
        columns = mapping.source_columns(spec.name, header)
        raw = _source(frame, columns)
        parsed = _parse(raw, spec.kind, mapping, reading_for(profile, columns, decimal_comma))
        problems.append(_cells(raw, parsed.bad, label, _reasons(parsed)))
        values[spec.name] = parsed.values.where(~parsed.bad)
        if spec.required:
            missing = blank_mask(raw)
            problems.append(_cells(raw, missing, label, f"{spec.name} is required"))
    types = resolve_types(frame, mapping, decimal_comma=decimal_comma)
    custom = custom_values(frame, mapping, types, decimal_comma)
    for column, parsed in custom.items():
        reason = f"{parsed.reason} (custom attribute {column} is typed {types[column]})"
        problems.append(_cells(frame[column], parsed.bad, column, reason))
    out = pd.DataFrame(values, index=frame.index)
    seen = stage_values(out)
    problems.extend(_kind_checks(out, frame, mapping))
    problems.extend(_oversized(frame, mapping, header))
    problems.append(_ragged(frame))
    rejects = _first_per_cell(problems)
    out = out[~out.index.isin(rejects["line"])]
    out = _finish(out, frame, mapping, {c: p.values for c, p in custom.items()})
    duplicates = _repeated_keys(out, mapping)
    if len(duplicates):
        rejects = _first_per_cell([rejects, duplicates])
        out = out[~out.index.isin(duplicates["line"])]
    return ChunkResult(rows=out, rejects=rejects.reset_index(drop=True), stage_counts=seen)


def _source(frame: pd.DataFrame, columns: list[str]) -> pd.Series:
    if len(columns) == 1:
        return frame[columns[0]]
    cells = [frame[c].tolist() for c in columns]
    try:  # text cells (always, from a CSV file): joined, runs of whitespace made one
        # space, trimmed; per row in plain Python, several times faster than `.str` regex.
        joined = [" ".join(" ".join(row).split()) for row in zip(*cells, strict=True)]
        return pd.Series(joined, index=frame.index, dtype=object, name=columns[0])
    except TypeError:  # a missing or non-text cell: the careful path
        pass
    parts = [frame[c].astype("string").str.strip().fillna("") for c in columns]
    joined = parts[0].str.cat(parts[1:], sep=" ")
    return joined.str.replace(r"\s+", " ", regex=True).str.strip()


def _parse(raw: pd.Series, kind: str, mapping: Mapping, reading: Reading) -> Parsed:
    return parse_distinct(raw, lambda cells: _parse_cells(cells, kind, mapping, reading))


def _parse_cells(raw: pd.Series, kind: str, mapping: Mapping, reading: Reading) -> Parsed:
    if kind == "number":
        return parse_number(raw, decimal_comma=reading.decimal_comma)
    if kind == "bool":
        return parse_bool(raw, mapping.true_values, mapping.false_values)
    if kind == "datetime":
        return parse_datetime(raw, mapping.date_format, day_first=reading.day_first)
    return parse_text(raw)


def _reasons(parsed: Parsed) -> str | pd.Series:
    return parsed.reason if parsed.reasons is None else parsed.reasons


def _cells(raw: pd.Series, bad: pd.Series, column: str, reason: str | pd.Series) -> pd.DataFrame:
    if not bad.any():
        return empty_rejects()
    picked = raw[bad.to_numpy()]
    why = reason[bad.to_numpy()].to_numpy() if isinstance(reason, pd.Series) else reason
    return pd.DataFrame(
        {
            "line": picked.index.to_numpy(),
            "column": column,
            "value": picked.to_numpy(),
            "reason": why,
        }
    )


def _kind_checks(out: pd.DataFrame, frame: pd.DataFrame, mapping: Mapping) -> list[pd.DataFrame]:
    found = []
    if mapping.kind == "leads" and lead_key(mapping) == "external_id":
        missing = out["external_id"].isna()
        found.append(
            _cells(
                frame[mapping.fields["external_id"]],
                missing,
                mapping.fields["external_id"],
                "external_id is empty (every lead needs its id)",
            )
        )
    if mapping.kind == "leads" and "email" in out:
        email = out["email"]
        label = mapping.fields["email"]
        if lead_key(mapping) == "email":
            reason = "no e-mail (leads are keyed by e-mail: the file has no id column)"
            found.append(_cells(_source(frame, [label]), email.isna(), label, reason))
        not_email = email.notna() & ~email.astype("string").str.contains("@", regex=False)
        found.append(_cells(email, not_email.fillna(False), label, "not an e-mail address"))
    if mapping.kind == "attributes":
        ((name, column),) = mapping.join_on.items()
        reason = f"{column} is empty (the row names no lead by its {name})"
        found.append(_cells(frame[column], blank_mask(frame[column]), column, reason))
    if mapping.kind == "activities" and "content_stage" in out:
        stage = out["content_stage"].astype("string").str.casefold()
        out["content_stage"] = stage.astype(object).where(stage.notna(), None)
        wrong = stage.notna() & ~stage.isin(CONTENT_STAGES)
        reason = f"content_stage must be one of {', '.join(CONTENT_STAGES)} or empty"
        found.append(_cells(stage, wrong.fillna(False), mapping.fields["content_stage"], reason))
    if mapping.kind == "outcomes" and "stage" in out:
        unknown = unknown_stage(out, mapping)
        label = mapping.fields["stage"]
        found.append(_cells(out["stage"], unknown, label, stage_reason(mapping)))
    return found


def _oversized(frame: pd.DataFrame, mapping: Mapping, header: list[str]) -> list[pd.DataFrame]:
    """Cells over the size limits, in the columns the import reads."""
    limits = {c: MAX_CELL for c in mapping.custom_columns(header) if mapping.kind == "leads"}
    for name in mapping.fields:
        for column in mapping.source_columns(name, header):
            limits[column] = min(
                limits.get(column, MAX_CELL), MAX_KEY if name in _KEYS else MAX_CELL
            )
    widest = frame.attrs.get("widest_row")  # the reader's longest row: no cell is longer
    if widest is not None and widest <= min(limits.values(), default=MAX_KEY):
        return []
    found = []
    for column, limit in limits.items():
        raw = frame[column]
        if _longest(raw) <= limit:  # almost always: no per-cell mask to build
            continue
        bad = raw.astype("string").str.len().gt(limit).fillna(False).astype(bool)
        if bad.any():
            shown = raw[bad].astype(str).str.slice(0, _SHOWN) + "…"
            reason = f"longer than {limit:,} characters"
            found.append(_cells(shown.reindex(raw.index), bad, column, reason))
    return found


def _longest(raw: pd.Series) -> int:
    """The longest cell's length (a list is measured several times faster than a Series)."""
    try:
        return max(map(len, raw.tolist()), default=0)
    except TypeError:  # a missing or non-string cell (never from a CSV file)
        return max(map(len, raw.dropna().astype(str).tolist()), default=0)


def _ragged(frame: pd.DataFrame) -> pd.DataFrame:
    ragged: dict[int, int] = frame.attrs.get("ragged") or {}
    if not ragged:
        return empty_rejects()
    width = len(frame.columns)
    return pd.DataFrame(
        {
            "line": list(ragged),
            "column": "(row)",
            "value": "",
            "reason": [f"{n} fields where the header has {width}" for n in ragged.values()],
        }
    )


def _first_per_cell(problems: list[pd.DataFrame]) -> pd.DataFrame:
    kept = [p for p in problems if len(p)]
    if not kept:
        return empty_rejects()
    rejects = pd.concat(kept, ignore_index=True)
    rejects = rejects.drop_duplicates(subset=["line", "column"], keep="first")
    rejects["line"] = rejects["line"].astype("int64")
    return rejects.sort_values("line", kind="stable").reset_index(drop=True)


def _finish(
    out: pd.DataFrame, frame: pd.DataFrame, mapping: Mapping, custom: dict[str, pd.Series]
) -> pd.DataFrame:
    """Add the key and bookkeeping columns the repository needs."""
    kind = mapping.kind
    if kind in ("leads", "attributes"):
        if kind == "attributes":
            (column,) = mapping.join_on.values()
            out["join_value"] = parse_text(frame.loc[out.index, column]).values.astype(object)
        else:
            out["external_id"] = lead_ids(out, frame, mapping).astype(object)
            if mapping.as_of_time is not None:  # a snapshot: its undated leads are created then
                created = out.get("created_at", pd.Series(pd.NaT, out.index))
                out["created_at"] = pd.to_datetime(created, utc=True).fillna(mapping.as_of_time)
        if custom:
            names = list(custom)
            columns = [custom[c].loc[out.index].tolist() for c in names]
            rows = zip(*columns, strict=True)
            out["custom"] = [dict(zip(names, row, strict=True)) for row in rows]
        return out
    if kind == "outcomes":
        return resolve_outcomes(out, mapping)
    if kind in _IDENTITY:
        own = _OWN_ID[kind]
        if own in out:
            ids = out.pop(own)
            derived = _identity_keys(out, kind)
            out["import_key"] = [
                f"id:{i}" if isinstance(i, str) else d for i, d in zip(ids, derived, strict=True)
            ]
        else:
            out["import_key"] = _identity_keys(out, kind)
    return out


def _identity_keys(out: pd.DataFrame, kind: str) -> list[str]:
    parts = []
    for name in _IDENTITY[kind]:
        column = out[name] if name in out else pd.Series("", index=out.index)
        if name.endswith("_at"):
            column = pd.to_datetime(column, utc=True).dt.strftime("%Y-%m-%dT%H:%M:%S.%f")
        parts.append(column)
    return ["h:" + h for h in content_hashes(parts)]


def _repeated_keys(out: pd.DataFrame, mapping: Mapping) -> pd.DataFrame:
    """Later rows repeating an earlier row's key in the chunk (the first one is kept)."""
    column = {"leads": "external_id", "outcomes": "lead_external_id"}.get(mapping.kind)
    if mapping.kind == "attributes":
        column = "join_value"
    if column is None or column not in out or out.empty:
        return empty_rejects()
    keys = out[column].astype("string")
    if mapping.kind == "attributes":  # matched to leads ignoring case and spaces
        keys = keys.str.strip().str.casefold()
    repeated = keys.duplicated(keep="first")
    if not repeated.any():
        return empty_rejects()
    first_line = pd.Series(keys.index, index=keys.values).groupby(level=0).min()
    label = mapping.fields.get(column, column)
    if mapping.kind == "attributes":
        ((column, label),) = mapping.join_on.items()
    lines = keys[repeated]
    return pd.DataFrame(
        {
            "line": lines.index.to_numpy(),
            "column": label,
            "value": lines.to_numpy(),
            "reason": [f"repeats the {column} of line {first_line[k]}" for k in lines],
        }
    )
