"""Baton's importable fields per kind of file: the names a mapping file uses.

Lead fields mirror `domain.engine.frames.LEAD_CORE_COLUMNS`; outcome fields mirror the sales facts
(`SALES_FACT_COLUMNS`). The other kinds name their lead with `lead_external_id`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

ValueKind = Literal["text", "number", "bool", "datetime"]

KINDS: tuple[str, ...] = ("leads", "activities", "touches", "outcomes", "attributes")


@dataclass(frozen=True)
class FieldSpec:
    """One Baton field a CSV column can be mapped to."""

    name: str
    kind: ValueKind
    required: bool
    description: str


def _f(name: str, kind: ValueKind, description: str, *, required: bool = False) -> FieldSpec:
    return FieldSpec(name=name, kind=kind, required=required, description=description)


_LEAD_REF = _f(
    "lead_external_id",
    "text",
    "the lead's external id (as imported with the leads)",
    required=True,
)

FIELDS: dict[str, tuple[FieldSpec, ...]] = {
    "leads": (
        _f("external_id", "text", "the lead's id in your CRM (else keyed by email or derived)"),
        _f("name", "text", 'full name; may combine columns: "First Name + Last Name"'),
        _f("email", "text", "e-mail address (the key when there is no id column)"),
        _f("company", "text", "company or account name"),
        _f("title", "text", "job title"),
        _f("industry", "text", "industry"),
        _f("company_size", "number", "number of employees"),
        _f("country", "text", "country or region"),
        _f("source", "text", "lead source / origin channel"),
        _f("segment", "text", "market segment (SMB, Mid-market, Enterprise...)"),
        _f("owner", "text", "the sales rep who owns the lead"),
        _f("created_at", "datetime", "when the lead was created (default: import time)"),
    ),
    "activities": (
        _LEAD_REF,
        _f(
            "activity_type", "text", "what the lead did (page_view, demo_request...)", required=True
        ),
        _f("occurred_at", "datetime", "when it happened", required=True),
        _f("content_stage", "text", "awareness, consideration or decision"),
        _f("asset", "text", "the page, e-mail or document involved"),
        _f("duration_s", "number", "time spent, in seconds"),
        _f("activity_id", "text", "the activity's id in the source tool (for re-imports)"),
    ),
    "touches": (
        _LEAD_REF,
        _f("touched_at", "datetime", "when the rep reached out", required=True),
        _f("rep", "text", "who made the touch"),
        _f("channel", "text", "call, email, meeting...", required=True),
        _f("outcome", "text", "what happened (connected, no_answer, meeting_held...)"),
        _f("note", "text", "a note for the timeline"),
        _f("touch_id", "text", "the touch's id in the source tool (for re-imports)"),
    ),
    "outcomes": (
        _LEAD_REF,
        _f("accepted_at", "datetime", "sales accepted the lead (SAL)"),
        _f("conversation_at", "datetime", "a real conversation took place"),
        _f("budget", "bool", "BANT: has budget"),
        _f("authority", "bool", "BANT: has authority"),
        _f("need", "bool", "BANT: has a need"),
        _f("timeline", "bool", "BANT: has a timeline"),
        _f("bant_at", "datetime", "when the BANT answers were recorded"),
        _f("opportunity_at", "datetime", "entered the forecast"),
        _f("won_at", "datetime", "deal won"),
        _f("lost_at", "datetime", "deal lost"),
        _f("amount", "number", "deal amount"),
        _f("disqualified_at", "datetime", "disqualified"),
        _f("recycled_at", "datetime", "sent back to nurture"),
        _f("reason", "text", "why lost, disqualified or recycled"),
        _f("qualified_at", "datetime", "reached SQL (the CRM's own judgement)"),
        _f("accepted", "bool", "yes/no: sales accepted the lead (dated by accepted_at if mapped)"),
        _f("qualified", "bool", "yes/no: reached SQL (dated by qualified_at if mapped)"),
        _f("won", "bool", "yes/no: deal won (dated by won_at if mapped)"),
        _f("lost", "bool", "yes/no: deal lost (dated by lost_at if mapped)"),
        _f("disqualified", "bool", "yes/no: disqualified (dated by disqualified_at if mapped)"),
        _f("stage", "text", "the CRM's stage; the mapping's `stages` says which Baton stage"),
        _f("stage_at", "datetime", "when the lead reached the stage in `stage`"),
    ),
    # Every column but the join_on one becomes a custom attribute of the matched leads.
    "attributes": (),
}

# Yes/no outcome fields and the date each one sets. Without a date column (or with a blank
# date) a "yes" is dated at the lead's creation time, or at the mapping's `as_of`.
OUTCOME_FLAGS: dict[str, str] = {
    "accepted": "accepted_at",
    "qualified": "qualified_at",
    "won": "won_at",
    "lost": "lost_at",
    "disqualified": "disqualified_at",
}

# The Baton stages a `stages` map may name, and the date each sets ("none": nothing, for a
# CRM stage before sales' part such as a subscriber or a marketing-qualified lead).
OUTCOME_STAGES: dict[str, str | None] = {
    "none": None,
    "sal": "accepted_at",
    "sql": "qualified_at",
    "opportunity": "opportunity_at",
    "won": "won_at",
    "lost": "lost_at",
    "disqualified": "disqualified_at",
    "recycled": "recycled_at",
}


def field_names(kind: str) -> tuple[str, ...]:
    """The field names of `kind`, in documentation order."""
    return tuple(spec.name for spec in FIELDS[kind])


def field_spec(kind: str, name: str) -> FieldSpec:
    """The spec of one field of `kind` (KeyError when there is none)."""
    for spec in FIELDS[kind]:
        if spec.name == name:
            return spec
    raise KeyError(name)
