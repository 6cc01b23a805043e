"""Baton's entrypoint: page config, first-run seeding, the shared sidebar and navigation.

Run with `streamlit run app.py`. Pages live in pages/ and are listed in PAGES below.
"""

from __future__ import annotations

import logging
import os

import streamlit as st
from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError

from components.common.literal import md
from components.shell import state
from components.shell.identity import render_identity
from components.shell.sidebar import render_sidebar
from db.errors import SchemaTooNewError, describe

# (script, title, icon): one line per page, in menu order; the first is the landing page.
PAGES: list[tuple[str, str, str]] = [
    ("pages/home.py", "Home", ":material/home:"),
    ("pages/definitions.py", "Definitions", ":material/tune:"),
    ("pages/calibration.py", "Calibration", ":material/insights:"),
    ("pages/funnel.py", "Funnel", ":material/filter_alt:"),
    ("pages/conversion.py", "Conversion", ":material/trending_up:"),
    ("pages/follow_up.py", "Follow-up", ":material/support_agent:"),
    ("pages/lead.py", "Lead", ":material/person:"),
    ("pages/data.py", "Data", ":material/database:"),
    ("pages/audit.py", "Audit", ":material/history_edu:"),
    ("pages/admin.py", "Admin", ":material/admin_panel_settings:"),
]

_LOG = logging.getLogger("baton.app")


def main() -> None:
    # An emoji favicon is drawn in the browser; a page's Material icon as favicon would be
    # fetched from fonts.gstatic.com, and nothing should leave the machine unasked.
    st.set_page_config(page_title="Baton", page_icon="\N{RUNNER}", layout="wide")
    if not open_database():
        st.stop()
    render_identity()  # with sign-in on, stops here until the person has signed in
    render_sidebar(state.filter_options())
    try:
        st.navigation(build_pages()).run()
    except SQLAlchemyError as exc:
        # A lock held by an import, or a server gone: a sentence, never a traceback.
        _LOG.exception("database error on a page")
        st.error(f"Not done: {md(describe(exc))}", icon=":material/database:")


def build_pages() -> list[st.Page]:
    return [
        st.Page(script, title=title, icon=icon, default=index == 0)
        for index, (script, title, icon) in enumerate(PAGES)
    ]


def open_database() -> bool:
    """Migrate and (on an empty database) seed once per process; False after an error."""
    try:
        # The spinner only appears when this takes over half a second: the first run.
        with st.spinner("Seeding demo data (first run)..."):
            state.ensure_database()
    except (SQLAlchemyError, SchemaTooNewError, OSError, ValueError) as exc:
        # ValueError covers an unsupported DATABASE_URL scheme (also inside pydantic's
        # ValidationError); the traceback goes to the server log, not the user.
        _LOG.exception("could not open the database")
        show_database_error(exc)
        return False
    return True


def show_database_error(exc: Exception) -> None:
    st.error(
        f"**Baton could not open its database** ({_shown_url()}).\n\n"
        f"Reason: {md(_reason(exc))}\n\n"
        "What to do: check the `DATABASE_URL` environment variable. Use "
        "`sqlite:///path/to/baton.db` or "
        "`postgresql+psycopg://user:password@host:5432/dbname`, make sure a database "
        "server is running and reachable, then reload this page (restart the app after "
        "changing `DATABASE_URL`). Unset it to use the local SQLite file `data/baton.db`.",
        icon=":material/database:",
    )


def _shown_url() -> str:
    raw = os.environ.get("DATABASE_URL")
    if not raw:
        return "the default local SQLite file"
    try:
        return f"`{make_url(raw).render_as_string(hide_password=True)}`"
    except Exception:  # an unparsable URL: never echo it, it may hold a password
        return "DATABASE_URL"


def _reason(exc: Exception) -> str:
    return describe(exc)


main()
