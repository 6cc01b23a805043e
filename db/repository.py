"""The repository's public functions in one place: `from db import repository as repo`.

Every function takes an Engine (or, for `log_audit`, a Connection/Session to join a
transaction) and returns frames or domain values; ORM rows never leave `db/`.
Writers run in one transaction each and bump `data_version` (leads, activities, imports)
or `sales_version` (touches, sales facts, owners).
"""

from db.definitions.definitions_repo import (
    AlreadyPublishedError,
    DraftState,
    SignOffRefused,
    StaleDraftError,
    VersionNotFoundError,
    get_draft,
    get_published,
    get_version,
    list_versions,
    publish,
    published_as,
    save_draft,
    sign_draft,
)
from db.definitions.meeting_repo import get_sales_capacity, save_sales_capacity
from db.follow_up.actions_repo import ActionResult, BulkOutcome, apply_action, apply_to_many
from db.follow_up.undo_repo import (
    LeadState,
    lead_history,
    lead_id_for,
    lead_state,
    load_lead_versions,
    undo_action,
)
from db.importing.import_repo import (
    ImportAborted,
    ImportReport,
    import_csv,
    list_mappings,
    load_mapping,
    save_mapping,
)
from db.importing.values_repo import normalise_values
from db.leads.activities_repo import (
    ACTIVITY_LOG_COLUMNS,
    insert_activities,
    load_activities_for_lead,
    load_activity_counts,
)
from db.leads.attributes_repo import load_attribute_types
from db.leads.leads_repo import (
    UnknownLeadsError,
    insert_leads,
    load_leads,
    load_owners_and_versions,
)
from db.leads.sales_repo import insert_touches, load_sales_facts, load_touches, upsert_sales_facts
from db.meta_repo import (
    count_rows,
    data_token,
    data_version,
    data_versions,
    delete_all_data,
    ever_held_data,
    list_audit,
    log_audit,
    sales_version,
)

__all__ = [
    "get_sales_capacity",
    "save_sales_capacity",
    "ACTIVITY_LOG_COLUMNS",
    "AlreadyPublishedError",
    "DraftState",
    "SignOffRefused",
    "StaleDraftError",
    "UnknownLeadsError",
    "VersionNotFoundError",
    "count_rows",
    "data_token",
    "data_version",
    "data_versions",
    "sales_version",
    "delete_all_data",
    "ever_held_data",
    "get_draft",
    "get_published",
    "get_version",
    "ImportAborted",
    "ImportReport",
    "import_csv",
    "list_mappings",
    "load_mapping",
    "save_mapping",
    "insert_activities",
    "insert_leads",
    "insert_touches",
    "list_audit",
    "list_versions",
    "load_activities_for_lead",
    "load_attribute_types",
    "load_activity_counts",
    "load_leads",
    "load_owners_and_versions",
    "load_sales_facts",
    "load_touches",
    "log_audit",
    "publish",
    "published_as",
    "save_draft",
    "sign_draft",
    "upsert_sales_facts",
    "ActionResult",
    "BulkOutcome",
    "LeadState",
    "apply_action",
    "apply_to_many",
    "lead_history",
    "lead_id_for",
    "lead_state",
    "load_lead_versions",
    "normalise_values",
    "undo_action",
]
