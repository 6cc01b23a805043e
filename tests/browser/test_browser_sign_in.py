"""Sign-in through a real OpenID Connect provider, in headless Chromium.

The provider (panva's oidc-provider, tests/oidc/) runs on 127.0.0.1 with Node.js; Baton
runs with an `[auth]` secrets file pointing at it. A marketing approver signs in through
the provider's login page and signs off; a sales approver, in a second browser context,
signs off and publishes; a viewer sees no edit controls. Skips when Node.js or the npm
packages are missing (`npm ci` in tests/oidc), except under CI=true, where it fails.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from data.seed import ensure_seeded
from db import repository as repo
from db.admin import users_repo
from db.engine import get_engine
from domain.admin.access import Role
from tests.browser.conftest import SMALL_SEED, free_port, streamlit_server
from tests.browser.pages import TIMEOUT_MS, follow_menu, wait_for_idle

pytestmark = pytest.mark.browser

OIDC = Path(__file__).resolve().parents[1] / "oidc"
SECRET = "baton-test-client-secret-0123456789abcdef"
PEOPLE = {
    "boss@acme.com": (Role.admin, None),
    "mia@acme.com": (Role.approver, "marketing"),
    "sam@acme.com": (Role.approver, "sales"),
    "vic@acme.com": (Role.viewer, "sales"),
}


@pytest.fixture(scope="module")
def node() -> str:
    found = shutil.which("node")
    if found is None or not (OIDC / "node_modules" / "oidc-provider").is_dir():
        reason = "Node.js and `npm ci` in tests/oidc are needed for the sign-in browser test"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"{reason} (CI installs them in .ci/run)")
        pytest.skip(reason)
    return found


@pytest.fixture(scope="module")
def signed_app(
    node: str, chromium_path: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[str, str]]:
    """Baton with sign-in on, its users listed, and the provider it trusts.

    Yields (the app's URL, its database URL)."""
    folder = tmp_path_factory.mktemp("baton-oidc")
    url = f"sqlite:///{folder / 'baton.db'}"
    engine = get_engine(url)
    ensure_seeded(engine, n_leads=SMALL_SEED)
    for email, (role, team) in PEOPLE.items():
        users_repo.set_user(engine, email=email, role=role, team=team, name=None, by="test")
    published = repo.get_published(engine)
    assert published is not None
    changed = published[1].model_copy(update={"mql_threshold": published[1].mql_threshold + 5})
    repo.save_draft(engine, definition=changed, expected_revision=None, author="test")
    app_port, idp_port = free_port(), free_port()
    app_url = f"http://127.0.0.1:{app_port}"
    secrets = folder / "secrets.toml"
    secrets.write_text(
        "[auth]\n"
        f'redirect_uri = "{app_url}/oauth2callback"\n'
        'cookie_secret = "a-cookie-secret-for-the-browser-test"\n'
        'client_id = "baton"\n'
        f'client_secret = "{SECRET}"\n'
        f'server_metadata_url = "http://127.0.0.1:{idp_port}/.well-known/openid-configuration"\n'
        'client_kwargs = { prompt = "login" }\n'
    )
    provider = _provider(node, idp_port, f"{app_url}/oauth2callback", folder / "idp.log")
    app = streamlit_server(
        url, folder / "server.log", port=app_port, args=(f"--secrets.files={secrets}",)
    )
    with provider, app as served:
        yield served, url


@contextmanager
def _provider(node: str, port: int, redirect_uri: str, log_path: Path) -> Iterator[None]:
    with log_path.open("w") as log:
        process = subprocess.Popen(
            [node, "provider.mjs", str(port), redirect_uri],
            cwd=OIDC, stdout=subprocess.PIPE, stderr=log, text=True,
        )  # fmt: skip
        try:
            assert process.stdout is not None
            if "ready" not in process.stdout.readline():
                pytest.fail(f"the OIDC provider did not start:\n{log_path.read_text()}")
            yield
        finally:
            process.terminate()
            process.wait(timeout=10)


@pytest.fixture
def browsers(browser: Browser) -> Iterator[list[BrowserContext]]:
    """The test's signed-in browsers, closed when it ends rather than when Chromium closes
    at the end of the run (until then each kept a live session on the app server)."""
    opened: list[BrowserContext] = []
    try:
        yield opened
    finally:
        for context in opened:
            context.close()


def sign_in(browsers: list[BrowserContext], browser: Browser, app_url: str, email: str) -> Page:
    """A new browser (its own cookies) signed in through the provider's login page."""
    context = browser.new_context(viewport={"width": 1440, "height": 1000})
    browsers.append(context)
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    page.goto(app_url)
    wait_for_idle(page)
    page.get_by_role("button", name="Sign in").click()
    page.locator("input[name='login']").fill(email)
    page.locator("input[name='password']").fill("any password")
    page.locator("button[type='submit']").click()
    page.locator("button[type='submit']").click()  # the consent page: "Continue"
    expect(page.get_by_text("Signed in as")).to_be_visible(timeout=TIMEOUT_MS)
    wait_for_idle(page)
    return page


def click_when_idle(page: Page, button: str) -> None:
    """Click once the app is idle: a click during a rerun can be lost with its widgets."""
    wait_for_idle(page)
    target = page.get_by_role("button", name=button)
    target.scroll_into_view_if_needed()
    target.click()


def test_two_approvers_sign_in_sign_off_and_publish(
    browser: Browser, browsers: list[BrowserContext], signed_app: tuple[str, str]
) -> None:
    app_url, database = signed_app
    mia = sign_in(browsers, browser, app_url, "mia@acme.com")
    follow_menu(mia, "Definitions")  # signed in: the app is open
    click_when_idle(mia, "Sign off for marketing as mia")
    expect(mia.get_by_text("Signed off for marketing as mia.")).to_be_visible(timeout=TIMEOUT_MS)

    sam = sign_in(browsers, browser, app_url, "sam@acme.com")
    follow_menu(sam, "Definitions")  # signed in: the app is open
    click_when_idle(sam, "Sign off for sales as sam")
    expect(sam.get_by_text("Signed off for sales as sam.")).to_be_visible(timeout=TIMEOUT_MS)
    wait_for_idle(sam)
    sam.get_by_label("Publish note").fill("Threshold up 5: agreed in the browser test")
    click_when_idle(sam, "Publish as v2")
    expect(sam.get_by_text("Published v2: every page and the CLI now use it.")).to_be_visible(
        timeout=TIMEOUT_MS
    )

    latest = repo.list_versions(get_engine(database)).iloc[0]
    assert latest["version"] == 2 and latest["author"] == "sam@acme.com"
    assert {(s["identity"], s["team"]) for s in latest["signoffs"]} == {
        ("mia@acme.com", "marketing"),
        ("sam@acme.com", "sales"),
    }


def test_a_viewer_signed_in_sees_no_edit_controls(
    browser: Browser, browsers: list[BrowserContext], signed_app: tuple[str, str]
) -> None:
    app_url, _ = signed_app
    vic = sign_in(browsers, browser, app_url, "vic@acme.com")
    follow_menu(vic, "Definitions")  # signed in: the app is open

    expect(vic.get_by_text("editors change it")).to_be_visible()
    assert vic.get_by_role("button", name="Sign off", exact=False).count() == 0
    assert vic.get_by_role("slider").count() == 0

    vic.get_by_role("button", name="Sign out").click()
    vic.get_by_role("button", name=re.compile("sign me out", re.IGNORECASE)).click()  # provider
    expect(vic.get_by_role("button", name="Sign in")).to_be_visible(timeout=TIMEOUT_MS)
