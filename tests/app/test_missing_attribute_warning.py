"""Every data page says when the definition scores an attribute the stored leads lack."""

from __future__ import annotations

from pathlib import Path

import pytest

from db import repository as repo
from db.engine import get_engine
from domain.definitions.definition import FitRule
from tests.app.analytics_helpers import open_page
from tests.app.seeded_db import seeded_copy

MISSING = "crm_tier"


@pytest.fixture
def url(
    tmp_path_factory: pytest.TempPathFactory, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> str:
    url = seeded_copy(tmp_path_factory.getbasetemp(), tmp_path / "baton.db")
    engine = get_engine(url)
    stored = repo.get_published(engine)
    assert stored is not None
    _, published = stored
    rule = FitRule(id="tier", attribute=MISSING, operator="equals", value="gold", points=10)
    definition = published.replace(fit_rules=(*published.fit_rules, rule))
    repo.publish(engine, definition=definition, author="test", note="rule on a missing column")
    monkeypatch.setenv("DATABASE_URL", url)
    return url


@pytest.mark.parametrize(
    "page", ["pages/home.py", "pages/funnel.py", "pages/conversion.py", "pages/follow_up.py"]
)
def test_page_warns_about_a_rule_on_a_missing_attribute(url: str, page: str) -> None:
    at = open_page(page)
    warnings = [w.value for w in at.warning if MISSING in w.value]
    assert len(warnings) == 1, [w.value for w in at.warning]
    assert "published definition" in warnings[0]
    assert "gives no one points" in warnings[0]


def test_no_warning_when_every_rule_names_a_stored_attribute(
    tmp_path_factory: pytest.TempPathFactory, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = seeded_copy(tmp_path_factory.getbasetemp(), tmp_path / "clean.db")
    monkeypatch.setenv("DATABASE_URL", url)
    at = open_page("pages/funnel.py")
    assert not [w.value for w in at.warning if "which the stored leads do not have" in w.value]
