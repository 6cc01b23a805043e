"""A small seeded SQLite database per CLI test module, and a runner bound to it."""

import pandas as pd
import pytest
from typer.testing import CliRunner

from cli import app
from data.seed import seed_demo
from db.engine import get_engine
from db.migrate import upgrade
from tests.sqlite_copy import copy_sqlite

AS_OF = "2026-06-30"
runner = CliRunner()


@pytest.fixture(scope="session")
def seeded_template(tmp_path_factory):
    """The seeded database, generated once per worker (the module copies below are cheap)."""
    path = tmp_path_factory.mktemp("cli-template") / "baton.db"
    engine = get_engine(f"sqlite:///{path}")
    upgrade(engine)
    seed_demo(engine, n_leads=800, seed=3, as_of=pd.Timestamp(AS_OF, tz="UTC").to_pydatetime())
    engine.dispose()
    return path


@pytest.fixture(scope="module")
def database(seeded_template, tmp_path_factory):
    # Module scope: a test file that writes (touches, imports) never sees another's writes.
    return copy_sqlite(seeded_template, tmp_path_factory.mktemp("cli") / "baton.db")


@pytest.fixture
def cli(database, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", database)

    def run(*args):
        return runner.invoke(app, list(args))

    return run
