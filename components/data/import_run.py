"""Validate (a dry run over every chunk, nothing written) and import one file with a
progress bar, then the report. Results live in session state: they survive reruns, and
the page reruns after an import so every other part (sidebar included) shows the new data.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

import pandas as pd
import streamlit as st
from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError

from components.common.literal import md
from components.data.import_source import PreparedFile
from components.shell.identity import writer
from domain.admin.access import AccessDenied
from domain.common.csv_safety import safe_csv
from domain.common.numbers import count, percent
from domain.importing import (
    REJECT_COLUMNS,
    CsvSource,
    ImportFileError,
    Mapping,
    MappingError,
    empty_rejects,
    resolve_types,
    validate_chunk,
)
from gateways import data as gateway

REJECTS_KEPT = 1_000
REJECTS_SHOWN = 50
Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class Validation:
    """A dry run's counts: rows read, valid and rejected, and the first rejected cells."""

    mapping_json: str
    rows: int
    valid: int
    rejected: int
    rejects: pd.DataFrame
    error: str | None = None
    notes: tuple[str, ...] = ()
    """How the whole file is read (decimal separator, date order), once scanned."""


@dataclass(frozen=True)
class Outcome:
    """An import's report, whether it was committed or rolled back."""

    mapping_json: str
    report: gateway.ImportReport | None
    error: str | None = None


def dry_run(source: CsvSource, mapping: Mapping, on_progress: Progress | None = None) -> Validation:
    """Validate every chunk without writing; unknown leads are found only by the import."""
    rows = valid = rejected = 0
    kept: list[pd.DataFrame] = []
    text = mapping.to_json()
    try:
        for chunk in source.chunks():
            if not rows:  # each custom column's type is decided once, as the import does
                types = resolve_types(chunk, mapping, decimal_comma=source.decimal_comma)
                mapping = replace(mapping, types=types)
            result = validate_chunk(chunk, mapping, decimal_comma=source.decimal_comma)
            rows += len(chunk)
            valid += len(result.rows)
            rejected += int(result.rejects["line"].nunique())
            if sum(len(k) for k in kept) < REJECTS_KEPT and len(result.rejects):
                kept.append(result.rejects)
            if on_progress is not None:
                on_progress(source.bytes_done, source.total_bytes)
    except ImportFileError as exc:
        return Validation(text, rows, valid, rejected, _joined(kept), error=str(exc))
    return Validation(text, rows, valid, rejected, _joined(kept), notes=tuple(source.notes))


def render_run(engine: Engine, prepared: PreparedFile, mapping: Mapping, actor: str) -> None:
    assert prepared.source is not None
    key, source = prepared.upload.key, prepared.source
    problems = mapping.problems(source.header)
    for problem in problems:
        st.warning(f"Fix the mapping: {md(problem)}.", icon=":material/warning:")
    left, middle, right = st.columns([1, 2, 1], vertical_alignment="center")
    validate = left.button("Validate", key=f"{key}_validate", disabled=bool(problems),
                           icon=":material/fact_check:")  # fmt: skip
    strict = middle.checkbox(
        "All or nothing",
        key=f"{key}_strict",
        help="Import nothing when any row is rejected. Otherwise valid rows are imported "
        "and the rejected ones are listed.",
    )
    start = right.button(
        f"Import {md(prepared.upload.name)}",
        key=f"{key}_import",
        type="primary",
        disabled=bool(problems),
        icon=":material/upload:",
    )
    if validate:
        bar = st.progress(0.0, text="Validating...")
        st.session_state[f"{key}_validation"] = dry_run(source, mapping, _advance(bar, "Checked"))
        bar.empty()
    if start:
        _import(engine, prepared, mapping, strict=strict, actor=actor)
    _show_validation(key, mapping)
    _show_outcome(key, mapping)


def _import(
    engine: Engine, prepared: PreparedFile, mapping: Mapping, *, strict: bool, actor: str
) -> None:
    assert prepared.source is not None
    key, text = prepared.upload.key, mapping.to_json()
    bar = st.progress(0.0, text=f"Importing {prepared.upload.name}...")
    try:
        report = gateway.import_csv(
            engine,
            prepared.source,
            mapping,
            actor=writer(),
            all_or_nothing=strict,
            on_progress=_advance(bar, "Imported"),
        )
        outcome = Outcome(text, report)
    except gateway.ImportAborted as exc:
        outcome = Outcome(text, exc.report, error=str(exc))
    except (MappingError, ImportFileError, SQLAlchemyError, AccessDenied) as exc:
        outcome = Outcome(text, None, error=f"nothing was imported: {exc}")
    st.session_state[f"{key}_outcome"] = outcome
    st.session_state.pop(f"{key}_validation", None)
    # Everything drawn before this point (sidebar filters, counts) shows the old data.
    st.rerun()


def _advance(bar: object, verb: str) -> Progress:
    def update(done: int, total: int) -> None:
        share = min(done / total, 1.0) if total else 1.0
        bar.progress(share, text=f"{verb} {percent(share)} of the file")  # type: ignore[attr-defined]

    return update


def _show_validation(key: str, mapping: Mapping) -> None:
    found: Validation | None = st.session_state.get(f"{key}_validation")
    if found is None:
        return
    if found.mapping_json != mapping.to_json():
        st.caption("The mapping changed since the last validation: validate again.")
        return
    text = (
        f"Dry run, nothing written: **{count(found.rows)}** rows read, "
        f"**{count(found.valid)}** valid, **{count(found.rejected)}** rejected."
    )
    if found.error:
        st.error(f"{text} The file could not be read to the end: {md(found.error)}.")
    elif found.rejected:
        st.warning(text, icon=":material/rule:")
    else:
        st.success(text, icon=":material/check_circle:")
    if mapping.kind != "leads":
        st.caption("Rows naming a lead that is not imported yet are found by the import.")
    for note in found.notes:  # may quote the file's columns and values: shown literally
        st.text(note[:1].upper() + note[1:] + ".")
    _rejects(found.rejects, found.rejected, f"{key}_validation_rejects")


def _show_outcome(key: str, mapping: Mapping) -> None:
    outcome: Outcome | None = st.session_state.get(f"{key}_outcome")
    if outcome is None:
        return
    report = outcome.report
    if report is None:
        st.error(f"Import failed, {md(outcome.error)}.", icon=":material/error:")
        return
    if outcome.error:
        st.error(
            f"Import rolled back, the database is unchanged: {md(report.aborted_reason)}.",
            icon=":material/undo:",
        )
    else:
        st.success(
            f"Imported {report.kind} in {report.seconds:.1f} s: {md(report.summary())}.",
            icon=":material/check_circle:",
        )
    tiles = st.columns(4)
    for tile, (label, value) in zip(tiles, _counts(report), strict=True):
        tile.metric(label, f"{count(value)}")
    for warning in report.warnings:
        st.warning(md(warning.capitalize() + "."), icon=":material/warning:")
    for note in report.notes:
        st.caption(md(note[:1].upper() + note[1:] + "."))
    _rejects(report.rejects, report.rejected, f"{key}_import_rejects")


def _counts(report: gateway.ImportReport) -> list[tuple[str, int]]:
    return [
        ("Inserted", report.inserted),
        ("Updated", report.updated),
        ("Unchanged", report.unchanged),
        ("Rejected", report.rejected),
    ]


def _rejects(rejects: pd.DataFrame, rejected: int, key: str) -> None:
    if rejects.empty:
        return
    shown = rejects.head(REJECTS_SHOWN)
    st.dataframe(
        shown,
        key=key,
        hide_index=True,
        width="stretch",
        column_config={
            "line": st.column_config.NumberColumn("Line", format="%d"),
            "column": "Column",
            "value": "Value",
            "reason": "Why it was rejected",
        },
    )
    lines = int(rejects["line"].nunique())
    more = (
        f" (the first {count(lines)} of {count(rejected)} rejected rows)"
        if lines < rejected
        else ""
    )
    st.download_button(
        f"Download the rejected cells as CSV{more}",
        data=safe_csv(rejects),
        file_name="baton-import-rejects.csv",
        mime="text/csv",
        key=f"{key}_csv",
        icon=":material/download:",
        on_click="ignore",
    )


def _joined(kept: list[pd.DataFrame]) -> pd.DataFrame:
    if not kept:
        return empty_rejects()
    return pd.concat(kept, ignore_index=True).head(REJECTS_KEPT)[list(REJECT_COLUMNS)]
