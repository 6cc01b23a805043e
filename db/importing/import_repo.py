"""Importing a CSV file into the database in ONE transaction, and saved column mappings.

`import_csv` streams the file chunk by chunk (bounded memory), validates each chunk in the
domain, writes it on one connection and commits once at the end: a database error, an
unreadable stretch of the file or (with `all_or_nothing`) any rejected row rolls back
everything and raises `ImportAborted`, leaving the database exactly as it was.
"""

from __future__ import annotations

import copy
import gc
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from functools import partial

import pandas as pd
from sqlalchemy import Connection, Engine, select
from sqlalchemy.exc import SQLAlchemyError

from db.convert import dialect_insert
from db.importing.import_writers import write_chunk
from db.leads.attributes_repo import register_types
from db.meta_repo import bump_data_version, log_audit
from db.models import ImportMapping, table_of, utcnow
from db.overlap import Overlapped
from domain.importing import (
    ChunkResult,
    CsvSource,
    ImportFileError,
    Mapping,
    MappingError,
    empty_rejects,
    key_note,
    lead_key,
    resolve_types,
    validate_chunk,
)
from domain.importing.outcomes import undated_note
from domain.importing.scan_ahead import ScanAhead, scan_ahead

REJECTS_KEPT = 1_000
GC_THRESHOLD = 100_000
_mapping = table_of(ImportMapping)


@dataclass
class ImportReport:
    """What an import did (or, when aborted, would have done and why it stopped)."""

    kind: str
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: int = 0
    """Rows refused; `rejects` lists their cells, capped at REJECTS_KEPT rows."""
    rejects: pd.DataFrame = field(default_factory=empty_rejects)
    notes: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    key: str = "external_id"
    """How rows were matched to stored ones: "external_id", "email", "row_number",
    "derived" (a hash of all columns) or, for attributes files, the join_on field."""
    unmatched: int = 0
    """Attributes files: rows whose join value matched no lead (nothing written for them)."""
    unmatched_examples: list[str] = field(default_factory=list)
    types: dict[str, str] = field(default_factory=dict)
    """The custom attributes written, with their type (number, date, yes/no, text)."""
    seconds: float = 0.0
    rows_read: int = 0
    committed: bool = False
    aborted_reason: str | None = None
    stage_counts: Counter[str] = field(default_factory=Counter)
    """Outcomes with a stage field: every value of the stage column, with its count."""

    def summary(self) -> str:
        """One line: inserted N / updated N / unchanged N / rejected N."""
        line = (
            f"inserted {self.inserted} / updated {self.updated} / "
            f"unchanged {self.unchanged} / rejected {self.rejected}"
        )
        if self.kind == "attributes":
            line += f" / matched no lead {self.unmatched}"
        return line


class ImportAborted(Exception):
    """The import was rolled back; `report.aborted_reason` says why."""

    def __init__(self, report: ImportReport) -> None:
        self.report = report
        super().__init__(f"import rolled back, nothing was changed: {report.aborted_reason}")


class _ReadAgain(Exception):
    """The whole file's scan settles a column differently from the file's start."""


class _RollBack(Exception):
    """Raised inside the transaction to undo it (all-or-nothing with rejects)."""


def import_csv(
    engine: Engine,
    source: CsvSource,
    mapping: Mapping,
    *,
    all_or_nothing: bool = False,
    on_progress: Callable[[int, int], None] | None = None,
    actor: str = "system",
) -> ImportReport:
    """Import `source` as `mapping.kind` in one transaction; returns the counts.

    Raises MappingError when the mapping does not fit the file's header, and
    ImportAborted (the database unchanged) on a database error, a file that turns out
    unreadable midway, or any rejected row with `all_or_nothing`. `on_progress(bytes done,
    total bytes)` is called after each chunk.
    """
    problems = mapping.problems(source.header)
    if problems:
        raise MappingError("; ".join(problems))
    started = time.perf_counter()
    report = ImportReport(kind=mapping.kind)
    if mapping.kind in ("leads", "attributes"):
        report.key = lead_key(mapping) if mapping.kind == "leads" else next(iter(mapping.join_on))
        note = key_note(mapping) if mapping.kind == "leads" else None
        if note:
            report.warnings.append(note)
    else:
        unused = [c for c in source.header if c not in mapping.mapped_columns(source.header)]
        if unused:
            report.notes.append(
                f"not imported ({mapping.kind} keep no custom attributes; import them as "
                f"leads keyed by the same id to keep them): {', '.join(unused)}"
            )
    undated = undated_note(mapping) if mapping.kind == "outcomes" else None
    if undated:
        report.notes.append(undated)
    if mapping.kind == "leads" and mapping.as_of and "created_at" not in mapping.fields:
        report.notes.append(f"no creation date column: leads are created at {mapping.as_of}")
    rejects: list[pd.DataFrame] = []
    # A big file's whole-file scan runs in a second process while the rows go in.
    ahead = scan_ahead(source)
    initial = copy.deepcopy(report)
    rows_in = partial(_import_rows, engine, source, all_or_nothing, on_progress, actor)
    try:
        with _fewer_collections():
            try:
                mapping = rows_in(mapping, report, rejects, ahead)
            except _ReadAgain:  # the whole file reads differently from its start: again
                report, rejects = copy.deepcopy(initial), []
                mapping = rows_in(mapping, report, rejects, None)
    except (_RollBack, ImportFileError, SQLAlchemyError) as exc:
        _note_stages(report, mapping)
        report.rejects = _capped(rejects)
        report.aborted_reason = _reason(exc)
        report.seconds = time.perf_counter() - started
        raise ImportAborted(report) from exc
    finally:
        if ahead is not None:
            ahead.stop()
    _note_stages(report, mapping)
    report.committed = True
    report.seconds = time.perf_counter() - started
    return report


@contextmanager
def _fewer_collections() -> Iterator[None]:
    """Collect garbage less often while importing: a chunk makes millions of objects that
    live until it is written, and the collector walked them again and again (about 5% of
    an import). Cycles are still collected, a few thousand times less often."""
    thresholds = gc.get_threshold()
    gc.set_threshold(max(thresholds[0], GC_THRESHOLD), *thresholds[1:])
    try:
        yield
    finally:
        gc.set_threshold(*thresholds)


def _import_rows(  # noqa: PLR0913 (the import's settings, passed through)
    engine: Engine,
    source: CsvSource,
    all_or_nothing: bool,
    on_progress: Callable[[int, int], None] | None,
    actor: str,
    mapping: Mapping,
    report: ImportReport,
    rejects: list[pd.DataFrame],
    ahead: ScanAhead | None,
) -> Mapping:
    """Every chunk in one transaction; returns the mapping with its types pinned.

    Without `ahead`, the whole file is read once first: its date orders and decimal
    separators are the file's, and an unreadable file is refused before anything is
    written. With it, rows are read as the file's start says until the scan is back, and
    _ReadAgain (after a rollback) when the whole file says otherwise.
    """
    if ahead is None:
        source.scan()
        report.notes[:0] = source.notes
    chunks = source.chunks() if ahead is None else source.unscanned_chunks()
    with engine.begin() as connection:
        write = partial(_write_checked, connection, actor, report, rejects)
        # Chunk N is written on a second thread while chunk N+1 is read and checked.
        with Overlapped(write) as writer:
            for number, chunk in enumerate(chunks):
                if ahead is not None and ahead.done():
                    _settle(ahead, report)
                    ahead = None
                if not number:
                    mapping = _pin_types(mapping, chunk, source, report)
                checked = validate_chunk(chunk, mapping, decimal_comma=source.decimal_comma)
                writer.put((len(chunk), checked, mapping))
                if on_progress is not None:
                    on_progress(source.bytes_done, source.total_bytes)
            if ahead is not None:
                _settle(ahead, report)
        _finish_attributes(connection, mapping, report)
        report.rejects = _capped(rejects)
        if all_or_nothing and report.rejected:
            raise _RollBack(f"{report.rejected} row(s) rejected and all-or-nothing was chosen")
        if report.inserted or report.updated:
            bump_data_version(connection)
        log_audit(
            connection,
            actor=actor,
            action="import",
            entity=mapping.kind,
            entity_id=None,
            payload=_audit_payload(report, mapping),
        )
    return mapping


def _settle(ahead: ScanAhead, report: ImportReport) -> None:
    """The scan is back: go on if it reads the file as its start did (notes included),
    else _ReadAgain. Raises its ImportFileError for an unreadable file."""
    ahead.wait()
    if not ahead.agrees():
        raise _ReadAgain
    report.notes[:0] = ahead.source.notes


def _write_checked(
    connection: Connection,
    actor: str,
    report: ImportReport,
    rejects: list[pd.DataFrame],
    item: tuple[int, ChunkResult, Mapping],
) -> None:
    """Write one checked chunk (of `rows` rows) and add what happened to `report`."""
    rows, checked, mapping = item
    counts = write_chunk(connection, checked.rows, mapping, actor=actor)
    report.rows_read += rows
    report.stage_counts.update(checked.stage_counts)
    report.unmatched += len(counts.unmatched)
    room = 5 - len(report.unmatched_examples)
    if room > 0:
        report.unmatched_examples += [str(v) for v in counts.unmatched.head(room)]
    report.inserted += counts.inserted
    report.updated += counts.updated
    report.unchanged += counts.unchanged
    chunk_rejects = pd.concat([checked.rejects, counts.rejects], ignore_index=True)
    report.rejected += chunk_rejects["line"].nunique()
    kept = sum(len(r) for r in rejects)
    if kept < REJECTS_KEPT and len(chunk_rejects):
        rejects.append(chunk_rejects.sort_values("line", kind="stable").head(REJECTS_KEPT - kept))


def _note_stages(report: ImportReport, mapping: Mapping) -> None:
    """List every value of the stage column with its count and where it went."""
    if not report.stage_counts:
        return
    shown = [
        f"{value} {count:,} -> {mapping.stage_target(value) or 'not mapped (rejected)'}"
        for value, count in report.stage_counts.most_common()
    ]
    column = mapping.fields.get("stage", "stage")
    report.notes.append(f"{column} values: {'; '.join(shown)}")


def _pin_types(
    mapping: Mapping, chunk: pd.DataFrame, source: CsvSource, report: ImportReport
) -> Mapping:
    """Decide each custom column's type once, from the first chunk (the mapping's `types`
    win), so every chunk stores a column the same way; a later value that does not fit
    rejects its row, saying how to keep the column as text."""
    types = resolve_types(chunk, mapping, decimal_comma=source.decimal_comma)
    if not types:
        return mapping
    report.types = types
    shown = ", ".join(f"{name} ({kind})" for name, kind in types.items())
    report.notes.append(f"kept as custom attributes: {shown}")
    return replace(mapping, types=types)


def _finish_attributes(connection: Connection, mapping: Mapping, report: ImportReport) -> None:
    register_types(connection, report.types)
    if report.unmatched:
        ((name, column),) = mapping.join_on.items()
        report.warnings.append(
            f"{report.unmatched} row(s) matched no lead by {name} (column {column}), so "
            f"nothing was added for them; for example: {', '.join(report.unmatched_examples)}"
        )


def _capped(rejects: list[pd.DataFrame]) -> pd.DataFrame:
    kept = [r for r in rejects if len(r)]
    if not kept:
        return empty_rejects()
    return pd.concat(kept, ignore_index=True).head(REJECTS_KEPT)


def _reason(exc: Exception) -> str:
    if isinstance(exc, SQLAlchemyError):
        origin = getattr(exc, "orig", None)
        return f"database error: {origin if origin is not None else str(exc).splitlines()[0]}"
    return str(exc)


def _audit_payload(report: ImportReport, mapping: Mapping) -> dict[str, object]:
    return {
        "inserted": report.inserted,
        "updated": report.updated,
        "unchanged": report.unchanged,
        "rejected": report.rejected,
        "key": report.key,
        "mapping": mapping.to_dict(),
    }


def save_mapping(engine: Engine, name: str, mapping: Mapping) -> None:
    """Save (or replace) a mapping under `name`."""
    if not name.strip():
        raise MappingError("a saved mapping needs a name")
    row = {"name": name.strip(), "kind": mapping.kind, "mapping_json": mapping.to_json()}
    with engine.begin() as connection:
        statement = dialect_insert(connection, _mapping).values(updated_at=utcnow(), **row)
        excluded = statement.excluded
        connection.execute(
            statement.on_conflict_do_update(
                index_elements=["name"],
                set_={c: excluded[c] for c in ("kind", "mapping_json", "updated_at")},
            )
        )


def list_mappings(engine: Engine, kind: str | None = None) -> list[str]:
    """Names of the saved mappings (of one kind, if given), sorted."""
    statement = select(_mapping.c.name).order_by(_mapping.c.name)
    if kind is not None:
        statement = statement.where(_mapping.c.kind == kind)
    with engine.connect() as connection:
        return list(connection.scalars(statement))


def load_mapping(engine: Engine, name: str) -> Mapping:
    """The mapping saved as `name`; LookupError when there is none."""
    statement = select(_mapping.c.mapping_json).where(_mapping.c.name == name)
    with engine.connect() as connection:
        text = connection.scalar(statement)
    if text is None:
        raise LookupError(f"no saved mapping named {name!r}")
    return Mapping.from_json(text)
