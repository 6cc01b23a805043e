"""The custom columns of a leads or attributes file: their types and typed values."""

from __future__ import annotations

import pandas as pd

from domain.importing.attribute_types import infer_type, parse_attribute
from domain.importing.mapping import Mapping
from domain.importing.profile import reading_for
from domain.importing.unique import parse_distinct
from domain.importing.values import Parsed


def resolve_types(
    frame: pd.DataFrame, mapping: Mapping, *, decimal_comma: bool = False
) -> dict[str, str]:
    """Every custom column's type: the mapping's `types`, else inferred from `frame`."""
    return {
        column: mapping.types.get(column)
        or infer_type(
            frame[column],
            decimal_comma=decimal_comma,
            date_format=mapping.date_format,
            true_values=mapping.true_values,
            false_values=mapping.false_values,
        )
        for column in mapping.custom_columns([str(c) for c in frame.columns])
    }


def custom_values(
    frame: pd.DataFrame, mapping: Mapping, types: dict[str, str], decimal_comma: bool
) -> dict[str, Parsed]:
    """Each custom column parsed as its type, read as the whole file's profile says."""
    profile = frame.attrs.get("profile")
    readings = {c: reading_for(profile, [c], decimal_comma) for c in types}
    return {
        column: parse_distinct(
            frame[column],
            lambda cells, kind=kind, reading=readings[column]: parse_attribute(  # type: ignore[misc]
                cells,
                kind,
                decimal_comma=reading.decimal_comma,
                day_first=reading.day_first,
                date_format=mapping.date_format,
                true_values=mapping.true_values,
                false_values=mapping.false_values,
            ),
        )
        for column, kind in types.items()
    }
