"""The import flow: upload CSV files, map their columns, validate, import, read the report.

Several files are listed in import order (leads first): activities, touches and outcomes
name their lead by its id, so that lead must be in Baton before them.
"""

from __future__ import annotations

import streamlit as st
from sqlalchemy import Engine

from components.common.literal import md
from components.data.import_mapping import chosen_kind, render_mapping, render_save
from components.data.import_run import render_run
from components.data.import_source import (
    KIND_LABELS,
    PreparedFile,
    UploadedCsv,
    prepare,
    render_detection,
    upload_from,
)
from domain.importing import KINDS

UPLOADER = "data_upload"
UPLOAD_KEYS = "data_upload_keys"  # uploader file id -> content key
HOW_TO = (
    "Upload the CSV exports you already have: a HubSpot contacts export or a Salesforce "
    "leads report (recognised from their headers), or any spreadsheet saved as CSV. Any "
    "common encoding and delimiter works. Then check the mapping, validate and import. "
    "Importing the same file again changes nothing."
)
ORDER_NOTE = (
    "Files are listed in import order: **leads first**, then activities, sales touches and "
    "outcomes, which name their lead by its id. Import them from top to bottom."
)


def render_import(engine: Engine, actor: str) -> None:
    files = st.file_uploader(
        "CSV files", type=["csv", "txt", "tsv"], accept_multiple_files=True, key=UPLOADER
    )
    uploads = uploaded(files)
    if not uploads:
        st.caption(HOW_TO)
        return
    prepared = sorted((prepare(u) for u in uploads), key=_import_order)
    if len(prepared) > 1:
        st.info(ORDER_NOTE, icon=":material/format_list_numbered:")
    for number, item in enumerate(prepared, start=1):
        with st.container(border=True, key=f"{item.upload.key}_box"):
            render_file(engine, item, actor, number=number if len(prepared) > 1 else None)


def uploaded(files: object) -> list[UploadedCsv]:
    """The uploader's files as `UploadedCsv`s, each once (the same file twice is one)."""
    # Hashing a 100 MB file takes ~0.2 s: once per uploaded file, not on every rerun.
    known: dict[str, str] = st.session_state.setdefault(UPLOAD_KEYS, {})
    seen: dict[str, UploadedCsv] = {}
    for file in files or []:  # type: ignore[attr-defined]
        name, data = str(file.name), bytes(file.getvalue())
        key = known.get(file.file_id)
        upload = upload_from(name, data) if key is None else UploadedCsv(key, name, data)
        known[file.file_id] = upload.key
        seen.setdefault(upload.key, upload)
    return list(seen.values())


def render_file(
    engine: Engine, prepared: PreparedFile, actor: str, *, number: int | None = None
) -> None:
    prefix = f"{number}. " if number is not None else ""
    holds = KIND_LABELS[chosen_kind(prepared)].split(" (")[0].lower()
    st.subheader(f"{prefix}{md(prepared.upload.name)}" + (f" · {holds}" if prepared.source else ""))
    render_detection(prepared)
    if prepared.source is None:
        return
    mapping = render_mapping(engine, prepared)
    if mapping is None:
        return
    render_save(engine, prepared.upload.key, mapping)
    render_run(engine, prepared, mapping, actor)


def _import_order(prepared: PreparedFile) -> tuple[int, int, str]:
    unreadable = prepared.source is None  # listed last, with their reason
    return (int(unreadable), KINDS.index(chosen_kind(prepared)), prepared.upload.name)
