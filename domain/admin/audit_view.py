"""The audit log as people read it: labelled actions, details as text, a safe CSV."""

from __future__ import annotations

import json

import pandas as pd

from domain.common.csv_safety import safe_csv

ACTION_LABELS = {
    "save_draft": "Draft changed",
    "overwrite_draft": "Draft overwritten after a conflict",
    "restore_draft": "Old version restored as draft",
    "sign_draft": "Sign-off",
    "publish": "Published",
    "publish_forced": "Published with --force (no sign-offs)",
    "import": "Import",
    "delete_all_data": "All data deleted (reset)",
    "user_add": "User added",
    "user_change": "User changed",
    "user_remove": "User removed",
    "signin_policy": "Sign-in rule changed",
}


def readable(rows: pd.DataFrame) -> pd.DataFrame:
    """One row per entry: when, who, what (labelled), on what, and the details as JSON."""
    return pd.DataFrame(
        {
            "when": rows["at"].dt.strftime("%Y-%m-%d %H:%M:%S"),
            "who": rows["actor"],
            "what": rows["action"].map(lambda a: ACTION_LABELS.get(a, a)),
            "action": rows["action"],
            "on": rows["entity"] + rows["entity_id"].map(lambda e: "" if e is None else f" {e}"),
            "details": rows["payload"].map(lambda p: json.dumps(p, ensure_ascii=False)),
            "undone by": rows["undone_by"].fillna(""),
        }
    )


def audit_csv(shown: pd.DataFrame) -> str:
    """The rows as CSV; a cell a spreadsheet would run as a formula is made inert."""
    return safe_csv(shown)
