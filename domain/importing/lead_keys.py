"""How lead rows are keyed: by id, by e-mail, by a hash of all their columns, or by line.

A file without an id column keys each row by a hash of all its columns (by column name, so
column order does not matter): only a row repeated whole is a repeat. `"key":
"row_number"` keys rows by their line in the file instead.
"""

from __future__ import annotations

import hashlib

import pandas as pd

from domain.importing.mapping import Mapping


def lead_key(mapping: Mapping) -> str:
    """How leads are keyed: "external_id", "email", "row_number" or "derived" (a hash of
    all the row's columns)."""
    if "external_id" in mapping.fields:
        return "external_id"
    if mapping.key == "row_number":
        return "row_number"
    if mapping.key == "all_columns":
        return "derived"
    return "email" if "email" in mapping.fields else "derived"


def key_note(mapping: Mapping) -> str | None:
    """What the user should know about the key of a leads file (None when it has an id)."""
    key = lead_key(mapping) if mapping.kind == "leads" else "external_id"
    if key == "email":
        return (
            "no id column: leads are keyed by e-mail (lower case), so a changed e-mail "
            "address makes a new lead"
        )
    if key == "derived":
        return (
            "no id column: each lead is keyed by a hash of all its columns (only a row "
            "repeated whole is a repeat), so re-importing an edited row makes a new lead; "
            'set "key": "row_number" to key rows by line number instead'
        )
    if key == "row_number":
        return (
            "no id column: leads are keyed by line number (line-N), so re-import the same "
            "file unchanged: inserting or removing a row shifts the keys of the rows after it"
        )
    return None


def lead_ids(out: pd.DataFrame, frame: pd.DataFrame, mapping: Mapping) -> pd.Series:
    key = lead_key(mapping)
    if key == "email":
        return out["email"].astype("string").str.strip().str.lower()
    if key == "row_number":
        return pd.Series([f"line-{n}" for n in out.index], index=out.index)
    if key == "derived":
        # Every column, mapped or not: rows that differ anywhere are different leads. By
        # column name, so a re-export with the columns in another order keeps its ids.
        named = sorted(frame.columns, key=str)
        parts = [str(c) + "=" + frame.loc[out.index, c].astype("string").fillna("") for c in named]
        return pd.Series(["row-" + h for h in content_hashes(parts)], index=out.index)
    return out["external_id"]


def content_hashes(parts: list[pd.Series]) -> list[str]:
    """Stable content hashes (sha1, 20 hex digits) of the rows of `parts` joined."""
    texts = [p.astype("string").fillna("").str.strip() for p in parts]
    if not texts:
        return []
    joined = texts[0].str.cat(texts[1:], sep="\x1f") if len(texts) > 1 else texts[0]
    return [hashlib.sha1(t.encode("utf-8")).hexdigest()[:20] for t in joined]
