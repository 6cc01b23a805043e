"""Importing CSV exports (pure): fields, mappings, presets, value parsing, streaming, checks.
Imports domain.engine, domain.definitions and domain.common.

Flow: `read_csv_source` sniffs a file -> `suggest_mapping` (or a saved `Mapping`) says which
column feeds which field -> `validate_chunk` turns each chunk into typed rows and rejects.
The database part (one transaction, upserts, counts) is `db.importing.import_repo.import_csv`.
"""

from domain.importing.csv_source import CsvSource, ImportFileError, read_csv_source
from domain.importing.custom_columns import resolve_types
from domain.importing.encoding import CHOICES as ENCODINGS
from domain.importing.fields import FIELDS, KINDS, FieldSpec, field_names, field_spec
from domain.importing.lead_keys import key_note, lead_key
from domain.importing.mapping import COMBINE, Mapping, MappingError
from domain.importing.presets import GENERIC, PRESETS, detect_preset, suggest_mapping
from domain.importing.validate import (
    REJECT_COLUMNS,
    ChunkResult,
    empty_rejects,
    validate_chunk,
)
from domain.importing.values import (
    FALSE_WORDS,
    TRUE_WORDS,
    Parsed,
    parse_bool,
    parse_datetime,
    parse_number,
    parse_text,
)

__all__ = [
    "COMBINE",
    "ENCODINGS",
    "FALSE_WORDS",
    "FIELDS",
    "GENERIC",
    "KINDS",
    "PRESETS",
    "REJECT_COLUMNS",
    "TRUE_WORDS",
    "ChunkResult",
    "CsvSource",
    "FieldSpec",
    "ImportFileError",
    "Mapping",
    "MappingError",
    "Parsed",
    "detect_preset",
    "empty_rejects",
    "field_names",
    "field_spec",
    "key_note",
    "lead_key",
    "parse_bool",
    "parse_datetime",
    "parse_number",
    "parse_text",
    "read_csv_source",
    "resolve_types",
    "suggest_mapping",
    "validate_chunk",
]
