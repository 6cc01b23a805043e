"""Suite-wide: how the parallel workers (pytest-xdist, `-n` in pyproject.toml) share tests."""

from __future__ import annotations

import pytest


@pytest.hookimpl(tryfirst=True)  # before xdist reads the groups from the markers
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    # The browser tests share one `streamlit run` server and one Chromium per worker:
    # keeping them on one worker starts those once, and leaves the other cores to the rest.
    for item in items:
        if item.get_closest_marker("browser") is not None:
            item.add_marker(pytest.mark.xdist_group("browser"))
