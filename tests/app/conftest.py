"""Shared by every AppTest: fresh caches, and AppTest kept on the st.navigation path."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import streamlit as st
from streamlit.runtime.pages_manager import PagesManager


@pytest.fixture(autouse=True)
def fresh_caches() -> Iterator[None]:
    # Cached models outlive a test; another test's database must never leak in.
    st.cache_resource.clear()
    st.cache_data.clear()
    yield
    st.cache_resource.clear()
    st.cache_data.clear()


@pytest.fixture(autouse=True)
def navigation_mode(monkeypatch: pytest.MonkeyPatch) -> None:
    """Keep AppTest on the st.navigation path on every run, as a real server does.

    AppTest (1.67) resets `PagesManager.uses_pages_directory` before each run, and the
    PagesManager then sees our pages/ folder and switches to the legacy folder mode: from
    the second run on it would run pages/home.py without app.py (no sidebar, lost filters).
    A real server clears the flag for good the first time st.navigation runs.
    """
    original = PagesManager.__init__

    def init(self: PagesManager, *args: object, **kwargs: object) -> None:
        original(self, *args, **kwargs)  # type: ignore[arg-type]
        PagesManager.uses_pages_directory = False

    monkeypatch.setattr(PagesManager, "__init__", init)
