"""Suite-wide: how the parallel workers (pytest-xdist, `-n` in pyproject.toml) share tests,
and hypothesis settings that hold on a busy machine."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, settings

# Hypothesis' per-example deadline is a timed assertion: on a loaded 2-core machine an
# example can take 0.5 s and fail a correct test. Properties are judged on results only.
settings.register_profile("baton", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("baton")


@pytest.hookimpl(tryfirst=True)  # before xdist reads the groups from the markers
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    # The browser tests share one `streamlit run` server and one Chromium per worker:
    # keeping them on one worker starts those once, and leaves the other cores to the rest.
    for item in items:
        if item.get_closest_marker("browser") is not None:
            item.add_marker(pytest.mark.xdist_group("browser"))
