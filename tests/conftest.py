"""Suite-wide: how the parallel workers (pytest-xdist, `-n` in pyproject.toml) share tests,
hypothesis settings that hold on a busy machine, and one component scan per worker."""

from __future__ import annotations

import os
from collections.abc import Iterator
from functools import cache
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings
from xdist import plugin as xdist_plugin
from xdist.remote import Producer
from xdist.scheduler import LoadScopeScheduling

# Hypothesis' per-example deadline is a timed assertion: on a loaded 2-core machine an
# example can take 0.5 s and fail a correct test. Properties are judged on results only.
settings.register_profile("baton", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("baton")


@pytest.fixture(scope="session", autouse=True)
def scan_for_components_once() -> Iterator[None]:
    """Every new AppTest scans the metadata of every installed package for Streamlit
    components (0.1 s of CPU, some 150 times a run); what is installed cannot change while
    the tests run, so each worker scans once. The app's servers still scan on start."""
    from streamlit.components.v2 import manifest_scanner  # not needed by the controller

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(
            manifest_scanner,
            "scan_component_manifests",
            cache(manifest_scanner.scan_component_manifests),
        )
        yield


BROWSER_TESTS = "tests/browser/"
# Browser test files that start their own app server (and provider) on their own database:
# they need nothing from the shared server, so they can run on another worker than it.
OWN_SERVER_FILES = (
    "test_browser_sign_in.py",
    "test_browser_hostile_text.py",
    "test_browser_data.py",
)


class BrowserTestsTogether(LoadScopeScheduling):
    """The browser tests in two groups, each on one worker; every other test on its own.

    The tests on the shared `streamlit run` server are one group (that server and a Chromium
    start once, on one worker); the files with servers of their own are the other. A browser
    group is mostly waiting on a server or Chromium, and as the largest units of work the two
    are handed out first, one to each of two workers, so neither becomes the run's tail; the
    other tests fill the remaining worker, then every worker. Every worker has its own ports,
    databases and folders.
    (`--dist loadgroup` cannot do this with pytest 9: xdist 3.8 tags a grouped test by
    rewriting `item._nodeid`, which pytest 9 no longer reads.)
    """

    def _split_scope(self, nodeid: str) -> str:
        if not nodeid.startswith(BROWSER_TESTS):
            return nodeid
        file = nodeid.split("::")[0].removeprefix(BROWSER_TESTS)
        return "browser-own-servers" if file in OWN_SERVER_FILES else "browser-shared-server"


@pytest.hookimpl(optionalhook=True)  # known only while pytest-xdist is loaded
def pytest_xdist_auto_num_workers(config: pytest.Config) -> int | None:
    """`-n auto`: one worker more than cores. A browser group keeps its worker mostly
    waiting on a server or Chromium; the extra worker runs other tests on the core time
    that leaves. PYTEST_XDIST_AUTO_NUM_WORKERS still sets the number (xdist reads it)."""
    if os.environ.get("PYTEST_XDIST_AUTO_NUM_WORKERS"):
        return None
    return xdist_plugin.pytest_xdist_auto_num_workers(config) + 1


@pytest.hookimpl(optionalhook=True)  # known only while pytest-xdist is loaded
def pytest_xdist_make_scheduler(config: pytest.Config, log: Producer) -> LoadScopeScheduling:
    return BrowserTestsTogether(config, log)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    # `-m "not browser"` leaves out everything that needs Chromium.
    root = Path(__file__).parent / "browser"
    for item in items:
        if root in item.path.parents:
            item.add_marker(pytest.mark.browser)
