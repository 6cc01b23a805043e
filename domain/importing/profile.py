"""A whole file's reading decisions, made from every row before any row is imported.

The importer streams a file in chunks; deciding "day first" or "decimal comma" per chunk
would read the first 100,000 rows one way and the rest another. `FileProfile` is built by a
first pass over the whole file and travels with each chunk (`frame.attrs["profile"]`), so
every chunk is read the same way.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

import pandas as pd

from domain.importing.fields import FIELDS
from domain.importing.formats import ColumnEvidence
from domain.importing.mapping import Mapping
from domain.importing.refusals import ImportFileError


@dataclass
class FileProfile:
    """Per column: which slash-date order and decimal separator its values settle on."""

    columns: dict[str, ColumnEvidence] = field(default_factory=dict)
    comma_by_default: bool = False
    """With no settling value anywhere: a decimal comma (semicolon files) or not."""
    rows: int = 0

    def __deepcopy__(self, memo: dict[int, object]) -> FileProfile:
        # Shared, not copied: pandas deep-copies a frame's attrs into every frame and
        # column made from it, and the profile is only read once the file is scanned.
        return self

    def add(self, frame: pd.DataFrame) -> None:
        """Count one chunk of string cells (indexed by line)."""
        self.rows += len(frame)
        for column in frame.columns:
            self.columns.setdefault(str(column), ColumnEvidence()).add(frame[column])

    def day_first(self, column: str) -> bool | None:
        """True/False when the column's dates settle the order, else None."""
        evidence = self.columns.get(column)
        return None if evidence is None else evidence.day_first_dates

    def mixed_dates(self, columns: Iterable[str]) -> list[str]:
        """One sentence per column (of `columns`) mixing day-first and month-first dates."""
        return [
            self.columns[c].mixed_dates_message(c)
            for c in columns
            if c in self.columns and self.columns[c].mixed_dates
        ]

    @property
    def decimal_comma(self) -> bool:
        """The file's decimal separator: what its numbers settle on, else the default."""
        vote = sum(e.decimal_vote for e in self.columns.values())
        return vote > 0 if vote else self.comma_by_default

    def column_decimal_comma(self, column: str) -> bool:
        """The column's own decimal separator when its numbers settle it, else the file's."""
        evidence = self.columns.get(column)
        vote = 0 if evidence is None else evidence.decimal_vote
        return vote > 0 if vote else self.decimal_comma

    def decisions(self) -> tuple[object, ...]:
        """Every reading decision the profile makes (two profiles with equal decisions
        read every cell alike)."""
        return (
            self.decimal_comma,
            sorted(
                (column, self.column_decimal_comma(column), e.day_first_dates, e.mixed_dates)
                for column, e in self.columns.items()
            ),
        )

    def date_notes(self) -> list[str]:
        """One note per column whose slash dates one order settles (what was decided)."""
        notes = []
        for column, evidence in self.columns.items():
            order = evidence.day_first_dates
            if order is not None:
                tally = evidence.day_first if order else evidence.month_first
                notes.append(
                    f"slash dates in {column!r} are read {'day' if order else 'month'} first, "
                    f"as {tally.count:,} of them can only be (e.g. {tally.shown()})"
                )
        return notes

    def decimal_note(self) -> str:
        """What the import says about numbers."""
        comma = sum(e.decimal_comma.count for e in self.columns.values())
        dot = sum(e.decimal_dot.count for e in self.columns.values())
        if not comma and not dot:
            how = "decimal comma" if self.comma_by_default else "decimal dot"
            return f"numbers: no value shows its decimal separator; read with a {how}"
        what = "comma (1.234,5)" if self.decimal_comma else "dot (1,234.5)"
        other = [c for c in self.columns if self.column_decimal_comma(c) != self.decimal_comma]
        besides = (
            f"; column(s) {', '.join(other)} with a decimal "
            f"{'dot' if self.decimal_comma else 'comma'}, as theirs show"
            if other
            else ""
        )
        return (
            f"numbers are read with a decimal {what}, as the values show "
            f"({dot:,} only readable with a dot, {comma:,} only with a comma){besides}"
        )


def profile_of(frames: Iterable[pd.DataFrame], *, comma_by_default: bool) -> FileProfile:
    """The profile of every row of `frames` (a whole file's chunks)."""
    profile = FileProfile(comma_by_default=comma_by_default)
    for frame in frames:
        profile.add(frame)
    return profile


@dataclass(frozen=True)
class Reading:
    """How to read one column: its decimal separator and slash-date order (None: unsettled)."""

    decimal_comma: bool = False
    day_first: bool | None = None


def reading_for(profile: FileProfile | None, columns: list[str], decimal_comma: bool) -> Reading:
    """How to read the column(s) feeding one field; the chunk's own view without a profile."""
    if profile is None or len(columns) != 1:
        return Reading(decimal_comma=decimal_comma)
    column = columns[0]
    return Reading(profile.column_decimal_comma(column), profile.day_first(column))


def refuse_mixed_dates(profile: FileProfile | None, mapping: Mapping, header: list[str]) -> None:
    """Stop (ImportFileError) when a column read as dates mixes both slash-date orders."""
    if profile is None or mapping.date_format:
        return
    dated = [
        column
        for spec in FIELDS[mapping.kind]
        if spec.kind == "datetime" and spec.name in mapping.fields
        for column in mapping.source_columns(spec.name, header)
    ]
    mixed = profile.mixed_dates(dated)
    if mixed:
        raise ImportFileError("; ".join(mixed))
