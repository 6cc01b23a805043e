"""Uploaded CSV files: one stable key per file, what was detected, and a preview.

Every uploaded file goes through `upload_from(name, data)`: the page's widgets are keyed on
the file's content hash, so a rerun (or a re-upload of the same file) keeps what was typed.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

import streamlit as st

from components.common.literal import md
from domain.common.numbers import count
from domain.importing import (
    ENCODINGS,
    FIELDS,
    KINDS,
    CsvSource,
    ImportFileError,
    detect_preset,
    read_csv_source,
    suggest_mapping,
)

KIND_LABELS = {
    "leads": "Leads",
    "activities": "Activities (what leads did: visits, opens, downloads...)",
    "touches": "Sales touches (calls, e-mails, meetings by reps)",
    "outcomes": "Outcomes (what sales recorded: accepted, BANT, won, lost...)",
    "attributes": "Attributes for existing leads (an accounts file: sector, revenue...)",
}
PREVIEW_ROWS = 5
DETECTED = "Detected"


@dataclass(frozen=True)
class UploadedCsv:
    """One uploaded file; `key` prefixes every widget key of its import flow."""

    key: str
    name: str
    data: bytes

    @property
    def approximate_rows(self) -> int:
        """Line breaks minus the header: exact unless cells hold quoted newlines."""
        lines = self.data.count(b"\n") + (0 if self.data.endswith(b"\n") else 1)
        return max(lines - 1, 0)


@dataclass(frozen=True)
class PreparedFile:
    """An uploaded file once sniffed: its source, or why it cannot be read."""

    upload: UploadedCsv
    source: CsvSource | None
    error: str | None
    preset: str | None
    guessed_kind: str


def upload_from(name: str, data: bytes) -> UploadedCsv:
    digest = hashlib.sha1(name.encode() + b"\0" + data).hexdigest()[:12]
    return UploadedCsv(key=f"imp_{digest}", name=name, data=data)


def encoding_key(file_key: str) -> str:
    return f"{file_key}_encoding"


def prepare(upload: UploadedCsv) -> PreparedFile:
    chosen = st.session_state.get(encoding_key(upload.key))
    encoding = None if chosen in (None, DETECTED) else str(chosen)
    try:
        source = read_csv_source(upload.data, encoding=encoding)
    except ImportFileError as exc:
        return PreparedFile(upload, None, str(exc), None, "leads")
    return PreparedFile(
        upload, source, None, detect_preset(source.header), guess_kind(source.header)
    )


def guess_kind(header: list[str]) -> str:
    """The kind whose own fields the header matches best (leads on a tie).

    A kind counts only when all its required fields find a column; the column naming the
    lead (`lead_external_id`) does not count, since every kind but leads has one.
    """
    if detect_preset(header) is not None:
        return "leads"  # the presets are lead exports
    best, best_score = "leads", 0
    for kind in KINDS:
        fields = suggest_mapping(kind, header).fields
        if any(spec.required and spec.name not in fields for spec in FIELDS[kind]):
            continue
        score = len(set(fields) - {"lead_external_id", "external_id"})
        if score > best_score:
            best, best_score = kind, score
    return best


def render_detection(prepared: PreparedFile) -> None:
    """What Baton found in the file, in plain words, and its first rows."""
    upload, source = prepared.upload, prepared.source
    _render_encoding(upload.key)
    if source is None:
        st.error(
            f"**{md(upload.name)}** cannot be imported: {md(prepared.error)}.",
            icon=":material/error:",
        )
        return
    looks = (
        f"It looks like a **{prepared.preset}** export."
        if prepared.preset
        else "No known CRM export detected: columns are matched by name."
    )
    rows = upload.approximate_rows
    st.markdown(
        f"Detected: {md('; '.join(source.notes))}; "
        f"about **{count(rows)} row{'' if rows == 1 else 's'}** "
        f"({_size(source.total_bytes)}). {looks}"
    )
    try:
        preview, accented = source.preview(PREVIEW_ROWS), source.accented()
    except ImportFileError as exc:
        st.error(f"**{md(upload.name)}** cannot be read: {md(str(exc))}.", icon=":material/error:")
        return
    st.dataframe(preview, key=f"{upload.key}_preview", width="stretch", height="auto")
    st.caption(f"The first {PREVIEW_ROWS} rows as read, by line number in the file.")
    if len(accented):
        st.caption(
            f"Values with accents or other non-ASCII characters, decoded as "
            f"**{md(source.encoding)}**: if they do not read right, pick another encoding above."
        )
        st.dataframe(
            accented, key=f"{upload.key}_accented", hide_index=True, width="stretch", height="auto"
        )


def _render_encoding(file_key: str) -> None:
    st.selectbox(
        "Encoding",
        [DETECTED, *ENCODINGS],
        key=encoding_key(file_key),
        help="How the file's bytes become text. Detected: UTF-8, else the code page that "
        "reads most like words. Choose one when accented letters look wrong.",
    )


def _size(n_bytes: int) -> str:
    if n_bytes < 1024:
        return f"{n_bytes} bytes"
    if n_bytes < 1024 * 1024:
        return f"{n_bytes / 1024:.1f} KB"
    return f"{n_bytes / 1024 / 1024:.1f} MB"
