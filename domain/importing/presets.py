"""Ready-made mappings for common CRM exports, header detection and generic suggestions."""

from __future__ import annotations

import re

from domain.importing.fields import FIELDS
from domain.importing.mapping import COMBINE, Mapping

GENERIC = "Generic"

# HubSpot's default lifecycle stages (internal values, as its exports write them). Baton
# judges MQL itself, so the stages before sales' part record nothing.
HUBSPOT_LIFECYCLE: dict[str, str] = {
    "subscriber": "none",
    "lead": "none",
    "marketingqualifiedlead": "none",
    "salesqualifiedlead": "sql",
    "opportunity": "opportunity",
    "customer": "won",
    "evangelist": "won",
    "other": "none",
}
# Salesforce's default lead statuses ("Closed - Converted" is the convert-to-opportunity).
SALESFORCE_LEAD_STATUS: dict[str, str] = {
    "Open - Not Contacted": "none",
    "Working - Contacted": "sal",
    "Closed - Converted": "sql",
    "Closed - Not Converted": "disqualified",
}
# Salesforce's default opportunity stages. Open ones are dated by the opportunity's
# "Created Date" (their "Close Date" is only the expected one); closed ones by "Close Date".
SALESFORCE_OPPORTUNITY_STAGE: dict[str, str] = {
    **{
        stage: "opportunity"
        for stage in (
            "Prospecting",
            "Qualification",
            "Needs Analysis",
            "Value Proposition",
            "Id. Decision Makers",
            "Perception Analysis",
            "Proposal/Price Quote",
            "Negotiation/Review",
        )
    },
    "Closed Won": "won",
    "Closed Lost": "lost",
}

PRESETS: dict[str, dict[str, Mapping]] = {
    "HubSpot contacts": {
        "leads": Mapping(
            kind="leads",
            fields={
                "external_id": "Record ID",
                "name": "First Name + Last Name",
                "email": "Email",
                "company": "Company Name",
                "title": "Job Title",
                "industry": "Industry",
                "company_size": "Number of Employees",
                "country": "Country/Region",
                "source": "Original Source",
                "owner": "Contact owner",
                "created_at": "Create Date",
            },
        ),
        "outcomes": Mapping(
            kind="outcomes",
            fields={
                "lead_external_id": "Record ID",
                "stage": "Lifecycle Stage",
                "qualified_at": "Became a Sales Qualified Lead Date",
                "opportunity_at": "Became an Opportunity Date",
                "won_at": "Became a Customer Date",
            },
            stages=HUBSPOT_LIFECYCLE,
        ),
    },
    "Salesforce leads report": {
        "leads": Mapping(
            kind="leads",
            fields={
                "external_id": "Lead ID",
                "name": "First Name + Last Name",
                "email": "Email",
                "company": "Company / Account",
                "title": "Title",
                "industry": "Industry",
                "company_size": "No. of Employees",
                "country": "Country",
                "source": "Lead Source",
                "owner": "Lead Owner",
                "created_at": "Create Date",
            },
        ),
        "outcomes": Mapping(
            kind="outcomes",
            fields={
                "lead_external_id": "Lead ID",
                "stage": "Lead Status",
                "qualified": "Converted",
                "qualified_at": "Converted Date",
            },
            stages=SALESFORCE_LEAD_STATUS,
        ),
    },
    "Salesforce opportunities report": {
        "leads": Mapping(
            kind="leads",
            fields={
                "external_id": "Opportunity ID",
                "name": "Opportunity Name",
                "company": "Account Name",
                "source": "Lead Source",
                "owner": "Opportunity Owner",
                "created_at": "Created Date",
            },
        ),
        "outcomes": Mapping(
            kind="outcomes",
            fields={
                "lead_external_id": "Opportunity ID",
                "stage": "Stage",
                "stage_at": "Close Date",
                "won": "Won",
                "opportunity_at": "Created Date",
                "amount": "Amount",
            },
            stages=SALESFORCE_OPPORTUNITY_STAGE,
        ),
    },
    GENERIC: {},
}
"""Preset name -> kind -> mapping. "Generic" has none: it matches columns by name."""

# Columns only that export has; detection needs all of them (case-insensitive).
_SIGNATURES: dict[str, tuple[str, ...]] = {
    "HubSpot contacts": ("Record ID", "Create Date", "Contact owner"),
    "Salesforce leads report": ("Lead ID", "Lead Owner", "Lead Source"),
    "Salesforce opportunities report": ("Opportunity Name", "Stage", "Close Date"),
}

# Normalised column names (lower case, letters and digits only) that mean a field.
_SYNONYMS: dict[str, tuple[str, ...]] = {
    "external_id": ("id", "externalid", "leadid", "contactid", "recordid", "mqlid", "crmid"),
    "lead_external_id": (
        "leadexternalid",
        "lead",
        "leadid",
        "externalid",
        "contactid",
        "recordid",
        "mqlid",
    ),
    "name": ("name", "fullname", "contactname", "leadname"),
    "email": ("email", "emailaddress", "mail"),
    "company": ("company", "companyname", "account", "accountname", "organization"),
    "title": ("title", "jobtitle", "position", "role"),
    "company_size": ("companysize", "employees", "numberofemployees", "noofemployees"),
    "country": ("country", "countryregion"),
    "source": ("source", "leadsource", "originalsource", "origin", "channel"),
    "owner": ("owner", "leadowner", "contactowner", "rep", "salesrep"),
    "created_at": ("createdat", "createdate", "created", "createddate", "firstcontactdate"),
    "activity_type": ("activitytype", "type", "event", "eventtype", "action"),
    "occurred_at": ("occurredat", "timestamp", "time", "date", "eventtime", "eventdate"),
    "content_stage": ("contentstage", "stage", "buyingstage"),
    "asset": ("asset", "page", "url", "content"),
    "duration_s": ("durations", "duration", "seconds"),
    "activity_id": ("activityid", "eventid"),
    "touched_at": ("touchedat", "date", "time", "timestamp", "calldate"),
    "rep": ("rep", "salesrep", "user", "assignedto"),
    "channel": ("channel", "type", "medium"),
    "touch_id": ("touchid", "taskid"),
    "reason": ("reason", "lostreason", "disqualificationreason"),
    "won_at": ("wonat", "wondate", "closedwondate"),
    "lost_at": ("lostat", "lostdate", "closedlostdate"),
    "amount": ("amount", "dealamount", "value", "dealvalue"),
}
_FIRST_NAMES = ("firstname", "givenname")
_LAST_NAMES = ("lastname", "surname", "familyname")


def normalise(column: str) -> str:
    """A column name compared loosely: lower case, letters and digits only."""
    return re.sub(r"[^0-9a-z]", "", column.casefold())


def detect_preset(header: list[str]) -> str | None:
    """The preset whose export this header looks like, or None."""
    names = {c.strip().casefold() for c in header}
    for preset, signature in _SIGNATURES.items():
        if all(c.casefold() in names for c in signature):
            return preset
    return None


def suggest_mapping(kind: str, header: list[str], preset: str | None = None) -> Mapping:
    """A starting mapping: the preset's (given or detected) where it fits, else by name.

    A preset field whose column the file lacks is left out; fields the preset does not
    cover are still matched by name, so the suggestion always names real columns.
    """
    chosen = preset or detect_preset(header)
    base = PRESETS.get(chosen or GENERIC, {}).get(kind)
    fields = _preset_fields(base, header) if base else {}
    taken = {c for value in fields.values() for c in value.split(COMBINE)}
    for name, column in _generic_fields(kind, header, taken).items():
        fields.setdefault(name, column)
    stages = dict(base.stages) if base and "stage" in fields else {}
    return Mapping(kind=kind, fields=fields, stages=stages)


def _preset_fields(base: Mapping, header: list[str]) -> dict[str, str]:
    by_name = {c.casefold(): c for c in header}
    fields: dict[str, str] = {}
    for name in base.fields:
        parts = [by_name.get(p.casefold()) for p in base.source_columns(name, header)]
        present = [p for p in parts if p is not None]
        if present:
            fields[name] = COMBINE.join(present)
    return fields


def _generic_fields(kind: str, header: list[str], taken: set[str]) -> dict[str, str]:
    normalised = {normalise(c): c for c in reversed(header) if c not in taken}
    fields: dict[str, str] = {}
    used: set[str] = set(taken)
    for spec in FIELDS[kind]:
        for candidate in (normalise(spec.name), *_SYNONYMS.get(spec.name, ())):
            column = normalised.get(candidate)
            if column is not None and column not in used:
                fields[spec.name] = column
                used.add(column)
                break
    if kind == "leads" and "name" not in fields:
        first = next((normalised[n] for n in _FIRST_NAMES if n in normalised), None)
        last = next((normalised[n] for n in _LAST_NAMES if n in normalised), None)
        parts = [c for c in (first, last) if c is not None and c not in used]
        if parts:
            fields["name"] = COMBINE.join(parts)
    return fields
