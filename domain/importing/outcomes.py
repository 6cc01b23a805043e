"""Outcome files with yes/no columns and stage columns -> the dated sales facts Baton keeps.

A yes/no field (`won`, `lost`, `accepted`, `qualified`, `disqualified`) sets its date on a
"yes": the mapped date column's value, else (no date column, or a blank date) the stored
date when there is one, else the lead's creation time, or the mapping's `as_of`. A "no"
or a blank records nothing and leaves a stored date as it is: a stage once reached is kept
(the funnel's rule), so a file that says "Converted 0" never erases a recorded win.

A `stage` field maps each value through the mapping's `stages` onto a Baton stage and sets
that stage's date (from the stage's own date field when mapped and filled, else `stage_at`,
else as for an undated "yes"); the other dates are left as stored. A value missing from
`stages` rejects the row.

The rows leave here with two marker columns per date they touch, which the writer resolves
against what is stored: KEEP (the stored value stays) and UNDATED (a "yes" without a date).
"""

from __future__ import annotations

from collections import Counter

import pandas as pd

from domain.importing.fields import OUTCOME_FLAGS, OUTCOME_STAGES
from domain.importing.mapping import Mapping

KEEP = "_keep:"
UNDATED = "_undated:"
_STAGE_FIELDS = ("stage", "stage_at")


def stage_values(out: pd.DataFrame) -> Counter[str]:
    """How often each (non-blank) value of the stage column occurs, as written in the file."""
    if "stage" not in out:
        return Counter()
    values = out["stage"].dropna().astype(str)
    return Counter(values.tolist())


def unknown_stage(out: pd.DataFrame, mapping: Mapping) -> pd.Series:
    """Per row: a stage value the mapping's `stages` does not map (blank is not unknown)."""
    if "stage" not in out:
        return pd.Series(False, index=out.index)
    values = out["stage"]
    known = {v: mapping.stage_target(v) is not None for v in values.dropna().unique()}
    return values.map(lambda v: isinstance(v, str) and not known[v]).astype(bool)


def stage_reason(mapping: Mapping) -> str:
    mapped = ", ".join(repr(v) for v in mapping.stages)
    return f"stage value not in the mapping's stages (mapped: {mapped}); add it to map it"


def undated_note(mapping: Mapping) -> str | None:
    """What the report says about outcomes dated without a date column, or None."""
    undated = [
        f for f, d in OUTCOME_FLAGS.items() if f in mapping.fields and d not in mapping.fields
    ]
    if "stage" in mapping.fields and "stage_at" not in mapping.fields:
        undated.append("stage")
    if not undated:
        return None
    moment = (
        f"the file's as-of date {mapping.as_of}" if mapping.as_of else "the lead's creation time"
    )
    return (
        f"{', '.join(undated)} {'has' if len(undated) == 1 else 'have'} no date column: "
        f"each is dated at {moment} (a date already stored is kept)"
    )


def resolve_outcomes(out: pd.DataFrame, mapping: Mapping) -> pd.DataFrame:
    """Turn yes/no and stage fields into date columns with KEEP/UNDATED markers."""
    if not any(f in out for f in (*OUTCOME_FLAGS, "stage")):
        return out
    out = out.copy()
    setting: dict[str, pd.Series] = {}
    undated: dict[str, pd.Series] = {}
    no_rows = pd.Series(False, index=out.index)
    for flag, column in OUTCOME_FLAGS.items():
        if flag not in out:
            continue
        yes = out.pop(flag).astype("boolean").fillna(False).astype(bool)
        dates = out[column] if column in out else pd.Series(pd.NaT, index=out.index)
        out[column] = to_dates(dates).where(yes)
        setting[column] = yes
        undated[column] = yes & out[column].isna()
    if "stage" in out:
        targets = out.pop("stage").map(
            lambda v: mapping.stage_target(v) if isinstance(v, str) else None
        )
        stage_at = to_dates(
            out.pop("stage_at") if "stage_at" in out else pd.Series(pd.NaT, index=out.index)
        )
        for column in {c for c in OUTCOME_STAGES.values() if c is not None}:
            hit = (targets.map(OUTCOME_STAGES.get) == column).fillna(False).astype(bool)
            if not hit.any() and column not in setting:
                continue
            current = to_dates(out[column]) if column in out else pd.Series(pd.NaT, index=out.index)
            already = setting.get(column, no_rows if column not in out else ~no_rows)
            # The stage's own date column (e.g. HubSpot's "Became a Customer Date") wins.
            dated = current.where(current.notna(), stage_at)
            out[column] = current.where(~hit, dated)
            setting[column] = already | hit
            undated[column] = undated.get(column, no_rows) | (hit & dated.isna())
    for column, rows in setting.items():
        out[KEEP + column] = ~rows
        out[UNDATED + column] = undated[column]
    return out


def to_dates(values: pd.Series) -> pd.Series:
    """Parsed dates (or blanks) as tz-aware UTC timestamps."""
    return pd.to_datetime(values, utc=True).astype("datetime64[ns, UTC]")


def marker_columns(columns: list[str]) -> list[str]:
    """The KEEP/UNDATED marker columns among `columns`."""
    return [c for c in columns if c.startswith((KEEP, UNDATED))]
