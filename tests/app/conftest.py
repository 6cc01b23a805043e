"""Shared by every AppTest: fresh caches, AppTest kept on the st.navigation path, and a
private seeded database for tests that write."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import streamlit as st
from streamlit.runtime.pages_manager import PagesManager

from tests.app.seeded_db import seeded_copy


@pytest.fixture
def url(
    tmp_path_factory: pytest.TempPathFactory, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> str:
    """A private copy of the small seeded database, and the app pointed at it."""
    url = seeded_copy(tmp_path_factory.getbasetemp(), tmp_path / "baton.db")
    monkeypatch.setenv("DATABASE_URL", url)
    return url


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
