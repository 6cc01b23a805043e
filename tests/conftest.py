"""Suite-wide: how the parallel workers (pytest-xdist, `-n` in pyproject.toml) share tests,
and hypothesis settings that hold on a busy machine."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings
from xdist.remote import Producer
from xdist.scheduler import LoadScopeScheduling

# Hypothesis' per-example deadline is a timed assertion: on a loaded 2-core machine an
# example can take 0.5 s and fail a correct test. Properties are judged on results only.
settings.register_profile("baton", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("baton")

BROWSER_TESTS = "tests/browser/"


class BrowserTestsTogether(LoadScopeScheduling):
    """Every test under tests/browser/ on one worker, every other test on its own.

    The browser tests share one `streamlit run` server and one Chromium per worker: keeping
    them on one worker starts those once and leaves the other cores to the rest. As the
    largest unit of work it is handed out first, so it never becomes the run's tail.
    (`--dist loadgroup` cannot do this with pytest 9: xdist 3.8 tags a grouped test by
    rewriting `item._nodeid`, which pytest 9 no longer reads.)
    """

    def _split_scope(self, nodeid: str) -> str:
        return "browser" if nodeid.startswith(BROWSER_TESTS) else nodeid


@pytest.hookimpl(optionalhook=True)  # known only while pytest-xdist is loaded
def pytest_xdist_make_scheduler(config: pytest.Config, log: Producer) -> LoadScopeScheduling:
    return BrowserTestsTogether(config, log)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    # `-m "not browser"` leaves out everything that needs Chromium.
    root = Path(__file__).parent / "browser"
    for item in items:
        if root in item.path.parents:
            item.add_marker(pytest.mark.browser)
