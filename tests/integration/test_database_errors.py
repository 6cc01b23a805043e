"""Database failures reach people as one sentence: locks, newer schemas, bad URLs."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import Engine, text
from typer.testing import CliRunner

from cli import app as cli_app
from data.seed import seed_demo
from db import engine as engine_module
from db import repository as repo
from db.engine import get_engine
from db.errors import LOCKED, SchemaTooNewError, describe
from db.migrate import upgrade
from domain.follow_up.actions import Reassign

ROOT = Path(__file__).resolve().parents[2]


def test_a_bulk_action_blocked_by_an_import_says_so_for_every_lead(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(engine_module, "SQLITE_BUSY_TIMEOUT_MS", 50)
    path = tmp_path / "locked.db"
    engine = get_engine(f"sqlite:///{path}")
    upgrade(engine)
    seed_demo(engine, n_leads=30)
    ids = repo.load_leads(engine)["lead_id"].head(3).tolist()
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # what an import's write phase does
    try:
        outcome = repo.apply_to_many(
            engine, targets=[(i, None) for i in ids], action=Reassign("Zoe"), actor="t"
        )
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert outcome.done == []
    assert outcome.failed == [(i, LOCKED) for i in ids]
    assert "try again" in LOCKED
    assert not (repo.load_leads(engine)["owner"] == "Zoe").any()


def _newer(engine: Engine) -> None:
    upgrade(engine)
    with engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = '9999'"))


def test_a_database_from_a_newer_baton_is_one_sentence(engine: Engine) -> None:
    _newer(engine)
    with pytest.raises(SchemaTooNewError) as raised:
        upgrade(engine)
    message = describe(raised.value)
    assert "newer version of Baton" in message and "9999" in message
    assert "\n" not in message


def test_the_cli_and_the_migrate_command_say_it_in_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = f"sqlite:///{tmp_path / 'newer.db'}"
    _newer(get_engine(url))
    monkeypatch.setenv("DATABASE_URL", url)
    result = CliRunner().invoke(cli_app, ["funnel", "--json"])
    assert result.exit_code == 2
    assert result.output.strip().count("\n") == 0 and "newer version of Baton" in result.output
    for database_url in (url, "mysql://root@localhost/x", "postgresql://u@127.0.0.1:1/x"):
        done = subprocess.run(
            [sys.executable, "-m", "db.migrate", "upgrade"],
            cwd=ROOT,
            env={"PATH": "/usr/bin:/bin", "DATABASE_URL": database_url, "HOME": str(tmp_path)},
            capture_output=True,
            text=True,
            check=False,
        )
        assert done.returncode == 2, done.stderr
        assert done.stderr.startswith("error: ") and done.stderr.count("\n") == 1, done.stderr
        assert "Traceback" not in done.stderr
