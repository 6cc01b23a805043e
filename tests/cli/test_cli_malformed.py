"""Every malformed file of the corpus through `cli.py import leads`: a sentence, never a
traceback; a refused file changes nothing, a readable one imports its good rows only."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from db import repository as repo
from db.engine import get_engine
from db.migrate import upgrade
from tests.cli.conftest import runner
from tests.fixtures.malformed import GOOD, Case, corpus

CASES = corpus()


def test_the_corpus_has_at_least_fifty_files_of_each_outcome():
    assert len(CASES) >= 50
    assert {c.expect for c in CASES} == {"refused", "rejected", "imported"}


@pytest.fixture(scope="module")
def database(tmp_path_factory):
    folder = tmp_path_factory.mktemp("malformed")
    url = f"sqlite:///{folder / 'baton.db'}"
    upgrade(get_engine(url))
    (folder / "good.csv").write_text(GOOD)
    return url, folder


def run(database, monkeypatch, *args: str):
    url, _ = database
    monkeypatch.setenv("DATABASE_URL", url)
    from cli import app

    return runner.invoke(app, list(args))


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_a_malformed_file_gets_a_sentence_and_never_a_half_import(
    case: Case, database, monkeypatch
):
    url, folder = database
    assert run(database, monkeypatch, "import", "leads", str(folder / "good.csv")).exit_code == 0
    before = repo.count_rows(get_engine(url))
    path = folder / "file.csv"
    path.write_bytes(case.data)
    result = run(database, monkeypatch, "import", "leads", str(path))
    output = result.stdout + result.stderr
    assert "Traceback" not in output
    assert result.exception is None or isinstance(result.exception, SystemExit), output
    after = repo.count_rows(get_engine(url))
    if case.expect == "refused":
        assert result.exit_code == 1, output
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("error: "), output
        assert case.phrase in lines[0]
        assert after == before
        return
    assert result.exit_code == 0, output
    assert case.phrase in output
    summary = next(line for line in output.splitlines() if line.startswith("inserted "))
    assert summary.endswith("rejected 0") == (case.expect == "imported"), output


REAL_PROCESS = ("empty: utf-8 BOM only", "quote open mid-file", "mixed date orders", "gzip")


@pytest.mark.parametrize("name", REAL_PROCESS)
def test_a_real_cli_process_prints_one_sentence_and_no_traceback(name: str, database) -> None:
    url, folder = database
    case = next(c for c in CASES if c.name == name)
    path = folder / "process.csv"
    path.write_bytes(case.data)
    repo_root = Path(__file__).resolve().parents[2]
    done = subprocess.run(
        [sys.executable, str(repo_root / "cli.py"), "import", "leads", str(path)],
        capture_output=True,
        text=True,
        env={**os.environ, "DATABASE_URL": url},
        cwd=repo_root,
        check=False,
    )
    assert done.returncode == 1
    assert "Traceback" not in done.stderr + done.stdout
    assert done.stderr.strip().startswith("error: ") and case.phrase in done.stderr
