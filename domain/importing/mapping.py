"""A mapping: which CSV column feeds which Baton field, as the JSON file users keep.

    {"kind": "leads", "fields": {"<baton field>": "<csv column>", ...},
     "ignore": ["<csv column>", ...], "date_format": "<optional strftime>",
     "true_values": [...], "false_values": [...],
     "stages": {"<file's stage value>": "<Baton stage>", ...}, "as_of": "2024-06-30",
     "types": {"<custom column>": "number|date|yes/no|text"}, "key": "row_number"}

    {"kind": "attributes", "join_on": {"<lead field or attribute>": "<csv column>"}, ...}

A field may combine columns with " + " ("name": "First Name + Last Name"): their non-blank
values are joined with one space. A column whose own name contains " + " is taken whole.
For leads, the columns neither mapped nor ignored become custom attributes, each typed
(inferred from its values unless `types` says). A leads file with neither an id nor an
e-mail column is keyed by a hash of all its columns, or by line number with
`"key": "row_number"`. An `attributes` file adds its columns to the EXISTING leads whose
`join_on` field (or custom attribute) equals the file's column: it creates no lead.
`stages` (outcomes with a `stage` field) maps each value of the stage column onto one of
OUTCOME_STAGES. `as_of` dates a snapshot file that has no dates: its leads without a
creation date are created then, and its undated outcomes happen then.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import pandas as pd

from domain.engine.frames import LEAD_CORE_COLUMNS
from domain.importing.attribute_types import ATTRIBUTE_TYPES, attribute_type
from domain.importing.fields import FIELDS, KINDS, OUTCOME_STAGES, field_names

COMBINE = " + "
_KEYS = (
    "kind", "fields", "ignore", "date_format", "true_values", "false_values", "stages",
    "as_of", "types", "key", "join_on",
)  # fmt: skip
LEAD_KEYS = ("all_columns", "row_number")
# Lead fields an attributes file can join on (besides any custom attribute).
JOIN_FIELDS = ("external_id", "email", "company", "name", "country", "industry", "segment")


class MappingError(ValueError):
    """A mapping file or value that cannot be used; the message says what to fix."""


@dataclass(frozen=True)
class Mapping:
    """Columns of one CSV file mapped to Baton's fields of one kind (immutable)."""

    kind: str
    fields: dict[str, str] = field(default_factory=dict)
    ignore: tuple[str, ...] = ()
    date_format: str | None = None
    true_values: tuple[str, ...] = ()
    false_values: tuple[str, ...] = ()
    stages: dict[str, str] = field(default_factory=dict)
    as_of: str | None = None
    """A snapshot's date (YYYY-MM-DD): see the module docstring."""
    types: dict[str, str] = field(default_factory=dict)
    """Custom column -> attribute type; columns left out are inferred from their values."""
    key: str | None = None
    """How a leads file without id/e-mail is keyed: "all_columns" (default) or "row_number"."""
    join_on: dict[str, str] = field(default_factory=dict)
    """Attributes files: {lead field or custom attribute: csv column}."""

    @classmethod
    def from_json(cls, text_or_dict: str | bytes | dict[str, Any]) -> Mapping:
        """Parse and check a mapping (JSON text or a dict); raises MappingError."""
        data = _load(text_or_dict)
        unknown_keys = sorted(set(data) - set(_KEYS))
        if unknown_keys:
            raise MappingError(
                f"unknown key(s) {', '.join(unknown_keys)}; a mapping has {', '.join(_KEYS)}"
            )
        kind = data.get("kind")
        if kind not in KINDS:
            raise MappingError(f"kind must be one of {', '.join(KINDS)}, got {kind!r}")
        fields = data.get("fields", {})
        if not isinstance(fields, dict) or not all(
            isinstance(k, str) and isinstance(v, str) and v.strip() for k, v in fields.items()
        ):
            raise MappingError('"fields" must map Baton field names to CSV column names')
        valid = field_names(kind)
        unknown = sorted(set(fields) - set(valid))
        if unknown:
            raise MappingError(
                f"unknown {kind} field(s) {', '.join(unknown)}; valid fields: {', '.join(valid)}"
            )
        date_format = data.get("date_format")
        if date_format is not None and (not isinstance(date_format, str) or "%" not in date_format):
            raise MappingError(
                f'"date_format" must be a strftime format like "%d/%m/%Y", got {date_format!r}'
            )
        mapping = cls(
            kind=kind,
            fields=dict(fields),
            ignore=_strings(data, "ignore"),
            date_format=date_format or None,
            true_values=_strings(data, "true_values"),
            false_values=_strings(data, "false_values"),
            stages=_stages(data, kind),
            as_of=_as_of(data, kind),
            types=_types(data.get("types")),
            key=_key(data.get("key"), kind, fields),
            join_on=_join_on(data.get("join_on"), kind),
        )
        both = {v.casefold() for v in mapping.true_values} & {
            v.casefold() for v in mapping.false_values
        }
        if both:
            raise MappingError(f"value(s) both true and false: {', '.join(sorted(both))}")
        return mapping

    def to_dict(self) -> dict[str, Any]:
        """The mapping as the JSON file's dict (empty optional parts left out)."""
        data: dict[str, Any] = {"kind": self.kind, "fields": dict(self.fields)}
        if self.ignore:
            data["ignore"] = list(self.ignore)
        if self.date_format:
            data["date_format"] = self.date_format
        if self.true_values:
            data["true_values"] = list(self.true_values)
        if self.false_values:
            data["false_values"] = list(self.false_values)
        if self.stages:
            data["stages"] = dict(self.stages)
        if self.as_of:
            data["as_of"] = self.as_of
        if self.types:
            data["types"] = dict(self.types)
        if self.key:
            data["key"] = self.key
        if self.join_on:
            data["join_on"] = dict(self.join_on)
        return data

    @property
    def as_of_time(self) -> pd.Timestamp | None:
        """`as_of` as a UTC timestamp (midnight), or None."""
        return None if self.as_of is None else pd.Timestamp(self.as_of, tz="UTC")

    def stage_target(self, value: str) -> str | None:
        """The Baton stage a stage-column value maps to, or None. Case, spaces and
        punctuation are ignored: HubSpot writes "Sales Qualified Lead" or
        "salesqualifiedlead" depending on the export."""
        wanted = _loose(value)
        for name, target in self.stages.items():
            if _loose(name) == wanted:
                return target
        return None

    def to_json(self) -> str:
        """The mapping file's text (round-trips through `from_json`)."""
        return json.dumps(self.to_dict(), indent=2, ensure_ascii=False)

    def source_columns(self, baton_field: str, header: list[str] | None = None) -> list[str]:
        """The CSV column(s) feeding `baton_field` (several when combined with " + ")."""
        spec = self.fields.get(baton_field)
        if spec is None:
            return []
        if (header is not None and spec in header) or COMBINE not in spec:
            return [spec]
        return [part.strip() for part in spec.split(COMBINE) if part.strip()]

    def mapped_columns(self, header: list[str] | None = None) -> set[str]:
        """Every CSV column some field (or the join) reads."""
        mapped = {c for name in self.fields for c in self.source_columns(name, header)}
        return mapped | set(self.join_on.values())

    def custom_columns(self, header: list[str]) -> list[str]:
        """Lead and attributes files: the columns kept as custom attributes (neither
        mapped, joined on nor ignored)."""
        if self.kind not in ("leads", "attributes"):
            return []
        taken = self.mapped_columns(header) | set(self.ignore)
        return [c for c in header if c not in taken]

    def problems(self, header: list[str]) -> list[str]:
        """What stops this mapping from reading a file with `header` (empty when fine)."""
        found: list[str] = []
        present = set(header)
        if not self.fields and self.kind == "leads":
            shown = ", ".join(repr(c) for c in header[:8]) + (", ..." if len(header) > 8 else "")
            found.append(
                f"no column is mapped to a Baton {self.kind} field (the file's columns: "
                f"{shown}); map at least one, e.g. with --mapping or on the Data page"
            )
        for name in self.fields:
            for column in self.source_columns(name, header):
                if column not in present:
                    found.append(f"{name} is mapped to column {column!r}, which the file lacks")
        for spec in FIELDS[self.kind]:
            if spec.required and spec.name not in self.fields:
                found.append(f"required field {spec.name} is not mapped to any column")
        uses = Counter(c for name in self.fields for c in set(self.source_columns(name, header)))
        for column, count in uses.items():
            if count > 1:
                names = [n for n in self.fields if column in self.source_columns(n, header)]
                found.append(f"column {column!r} is mapped to several fields: {', '.join(names)}")
        for column in sorted(set(self.ignore) & set(uses)):
            found.append(f"column {column!r} is both mapped and ignored")
        if "stage" in self.fields and not self.stages:
            found.append('the stage field needs "stages": which Baton stage each value means')
        if "stage_at" in self.fields and "stage" not in self.fields:
            found.append("stage_at dates the stage field, which is not mapped")
        if self.kind == "attributes" and len(self.join_on) != 1:
            found.append('an attributes file needs "join_on": {"<lead field>": "<csv column>"}')
        for column in self.join_on.values():
            if column not in present:
                found.append(f"join_on names column {column!r}, which the file lacks")
        custom = set(self.custom_columns(header))
        for column in sorted(set(self.types) - custom):
            found.append(f"types names {column!r}, which is not a custom column of the file")
        return found


def _load(text_or_dict: str | bytes | dict[str, Any]) -> dict[str, Any]:
    if isinstance(text_or_dict, dict):
        return text_or_dict
    try:
        data = json.loads(text_or_dict)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise MappingError(f"not valid JSON: {exc}") from None
    if not isinstance(data, dict):
        raise MappingError('a mapping is a JSON object like {"kind": "leads", "fields": {...}}')
    return data


def _loose(text: str) -> str:
    return re.sub(r"[\W_]", "", text.casefold())


def _stages(data: dict[str, Any], kind: str) -> dict[str, str]:
    stages = data.get("stages") or {}
    if not isinstance(stages, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in stages.items()
    ):
        raise MappingError('"stages" must map stage values to Baton stages')
    if stages and kind != "outcomes":
        raise MappingError('"stages" belongs to an outcomes mapping')
    wrong = sorted({v for v in stages.values() if v not in OUTCOME_STAGES})
    if wrong:
        raise MappingError(
            f'unknown Baton stage(s) {", ".join(map(repr, wrong))} in "stages"; '
            f"use {', '.join(OUTCOME_STAGES)}"
        )
    return dict(stages)


def _as_of(data: dict[str, Any], kind: str) -> str | None:
    value = data.get("as_of")
    if value is None or value == "":
        return None
    if kind not in ("leads", "outcomes"):
        raise MappingError('"as_of" dates a leads or outcomes file')
    try:
        day = date.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        day = None
    if day is None:
        raise MappingError(f'"as_of" must be a date like "2024-06-30", got {value!r}')
    return day.isoformat()


def _strings(data: dict[str, Any], key: str) -> tuple[str, ...]:
    values = data.get(key) or []
    if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
        raise MappingError(f'"{key}" must be a list of strings')
    return tuple(values)


def _types(value: Any) -> dict[str, str]:
    if value is None:
        return {}
    if not isinstance(value, dict) or not all(isinstance(v, str) for v in value.values()):
        raise MappingError('"types" must map column names to a type, like {"Visits": "number"}')
    types: dict[str, str] = {}
    for column, name in value.items():
        kind = attribute_type(name)
        if kind is None:
            raise MappingError(
                f"unknown type {name!r} for column {column!r}; use {', '.join(ATTRIBUTE_TYPES)}"
            )
        types[str(column)] = kind
    return types


def _key(value: Any, kind: str, fields: dict[str, str]) -> str | None:
    if value is None:
        return None
    if kind != "leads" or value not in LEAD_KEYS:
        raise MappingError(f'"key" is for leads files and is one of {", ".join(LEAD_KEYS)}')
    if "external_id" in fields:
        raise MappingError('"key" is for files without an id column; external_id is mapped')
    return str(value)


def _join_on(value: Any, kind: str) -> dict[str, str]:
    if kind != "attributes":
        if value is not None:
            raise MappingError('"join_on" is for attributes files ("kind": "attributes")')
        return {}
    if (
        not isinstance(value, dict)
        or len(value) != 1
        or not all(isinstance(v, str) and v.strip() for v in value.values())
    ):
        raise MappingError(
            'an attributes file needs "join_on": {"<lead field or attribute>": "<csv column>"}, '
            'like {"company": "account"}'
        )
    ((field_name, _),) = value.items()
    if field_name in LEAD_CORE_COLUMNS and field_name not in JOIN_FIELDS:
        raise MappingError(
            f"join_on cannot match on {field_name}; use one of {', '.join(JOIN_FIELDS)} "
            "or a custom attribute"
        )
    return dict(value)
