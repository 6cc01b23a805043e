"""Audit page: the audit log, filtered by what happened, who and when (read only).
May import db and domain, never streamlit or the UI.
"""

from __future__ import annotations

from db.admin.audit_repo import AUDIT_LIMIT, audit_actions, query_audit

__all__ = ["AUDIT_LIMIT", "audit_actions", "query_audit"]
