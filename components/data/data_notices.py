"""Messages for the Data page's next run: callbacks and reruns cannot draw in place."""

from __future__ import annotations

import streamlit as st

from components.common.literal import md

NOTICES = "data_notices"


def notify(text: str, *, error: bool = False) -> None:
    st.session_state.setdefault(NOTICES, []).append((text, error))


def show_notices() -> None:
    for text, error in st.session_state.pop(NOTICES, []):
        if error:
            st.error(md(text), icon=":material/error:")
        else:
            st.success(md(text), icon=":material/check_circle:")
