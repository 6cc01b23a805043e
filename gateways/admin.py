"""Admin page: the users list and the sign-in rule, read and changed (admins only).
May import db and domain, never streamlit or the UI; db/guarded.py checks each change.
"""

from __future__ import annotations

from db.admin.users_repo import get_policy, list_users
from db.guarded import remove_user, set_policy, set_user

__all__ = ["get_policy", "list_users", "remove_user", "set_policy", "set_user"]
