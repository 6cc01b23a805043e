"""A figure shown on two pages is the same figure: Home, Funnel, Follow-up and the CLI."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest
from typer.testing import CliRunner

from cli import app as cli_app
from tests.app.analytics_helpers import FUNNEL_PAGE, funnel_counts, open_page
from tests.app.seeded_db import seeded_copy

APP = Path(__file__).resolve().parents[2] / "app.py"


@pytest.fixture
def demo(
    tmp_path_factory: pytest.TempPathFactory, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> str:
    url = seeded_copy(tmp_path_factory.getbasetemp(), tmp_path / "agree.db")
    monkeypatch.setenv("DATABASE_URL", url)
    return url


def _tile(at: AppTest, key: str) -> tuple[str, str]:
    metric = at.get_by_key(key).metric[0]
    return metric.value, metric.proto.delta


def test_home_funnel_follow_up_and_the_cli_agree_on_the_demo_data(demo: str) -> None:
    report = json.loads(CliRunner().invoke(cli_app, ["funnel", "--json"]).output)
    follow = report["follow_up"]
    never_text = f"{follow['share_never']:.1%}"
    out_of = f"{follow['never']:,} of {follow['mqls']:,} MQLs"

    home = AppTest.from_file(APP, default_timeout=60).run()
    assert not home.exception, [e.value for e in home.exception]
    assert _tile(home, "kpi_never_followed") == (never_text, out_of)
    assert _tile(home, "kpi_mqls")[0] == f"{report['stages']['MQL']:,}"
    assert _tile(home, "kpi_sqls")[0] == f"{report['stages']['SQL']:,}"
    mql_sql = report["conversion"]["MQL -> SQL"]["rate"]
    assert _tile(home, "kpi_mql_sql")[0] == f"{mql_sql:.1%}"

    follow_up = open_page("pages/follow_up.py")
    assert _tile(follow_up, "fu_kpi_never") == (never_text, out_of)

    funnel = open_page(FUNNEL_PAGE)
    assert funnel_counts(funnel)[0] == list(report["stages"].values())
