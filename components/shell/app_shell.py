"""Make a deep link run through app.py, even as the first request after a server start.

With a pages/ folder next to app.py, Streamlit starts in its legacy multipage mode and
keeps it until some run calls st.navigation. If the first request after a (re)start is a
shared link such as `lead?lead_id=L000123`, Streamlit runs the page script alone: no
page config, no migrations, no sidebar. A page calls `require_app_shell()` first; it
switches legacy mode off for good and reruns, this time through app.py.
"""

from __future__ import annotations

import streamlit as st
from streamlit.runtime.pages_manager import PagesManager


def require_app_shell() -> None:
    if PagesManager.uses_pages_directory:
        PagesManager.uses_pages_directory = False
        st.rerun()
