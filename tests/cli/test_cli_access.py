"""The CLI's rules: users and roles, publishing with sign-offs or --force, confirmations."""

from __future__ import annotations

import json
import os
import pty
import sys
from pathlib import Path

from sqlalchemy import Engine

from db import repository as repo
from db.engine import get_engine
from domain.definitions.defaults import default_definition

REPO = Path(__file__).resolve().parents[2]


def engine_of(database: str) -> Engine:
    return get_engine(database)


def definition_file(tmp_path: Path) -> Path:
    file = tmp_path / "d.json"
    file.write_text(default_definition().to_json())
    return file


def test_users_are_added_listed_changed_and_removed(cli):
    added = cli("user", "add", "Ann@Acme.com", "--team", "marketing", "--role", "approver")
    assert added.exit_code == 0, added.output
    assert "ann@acme.com: approver, team marketing" in added.output
    cli("user", "add", "ann@acme.com", "--team", "marketing", "--role", "editor")

    listed = json.loads(cli("user", "list", "--json").output)
    assert [(u["email"], u["role"]) for u in listed["users"]] == [("ann@acme.com", "editor")]
    assert cli("user", "remove", "ANN@acme.com", "--yes").exit_code == 0
    assert json.loads(cli("user", "list", "--json").output)["users"] == []
    gone = cli("user", "remove", "ann@acme.com", "--yes")
    assert gone.exit_code == 1 and "not a listed user" in gone.output


def test_a_bad_role_or_an_approver_without_team_is_refused(cli):
    assert cli("user", "add", "x@acme.com", "--role", "boss").exit_code == 2
    no_team = cli("user", "add", "x@acme.com", "--role", "approver")
    assert no_team.exit_code == 1 and "--team" in no_team.output
    assert cli("user", "add", "not-an-email", "--role", "viewer").exit_code == 1


def test_publishing_needs_an_approver_of_each_team_or_force(cli, tmp_path, database):
    file = str(definition_file(tmp_path))
    before = len(repo.list_versions(engine_of(database)))
    alone = cli("definition", "import", file, "--publish", "--note", "x")
    assert alone.exit_code == 1 and "--signed-off-by" in alone.output
    cli("user", "add", "m@acme.com", "--team", "marketing", "--role", "approver")
    cli("user", "add", "s@acme.com", "--team", "sales", "--role", "approver")
    cli("user", "add", "e@acme.com", "--team", "sales", "--role", "editor")

    half = cli(
        "definition", "import", file, "--publish", "--note", "x", "--signed-off-by", "m@acme.com"
    )
    editor = cli(
        "definition", "import", file, "--publish", "--note", "x",
        "--signed-off-by", "m@acme.com", "--signed-off-by", "e@acme.com",
    )  # fmt: skip
    assert half.exit_code == 1 and "sales" in half.output
    assert editor.exit_code == 1 and "no sign-off right" in editor.output
    assert len(repo.list_versions(engine_of(database))) == before

    done = cli(
        "definition", "import", file, "--publish", "--note", "agreed",
        "--signed-off-by", "M@acme.com", "--signed-off-by", "s@acme.com",
    )  # fmt: skip
    assert done.exit_code == 0, done.output
    signed = repo.list_versions(engine_of(database)).iloc[0]["signoffs"]
    assert {(s["identity"], s["team"]) for s in signed} == {
        ("m@acme.com", "marketing"),
        ("s@acme.com", "sales"),
    }


def test_force_publishes_without_sign_offs_and_the_audit_log_says_so(cli, tmp_path, database):
    file = str(definition_file(tmp_path))
    done = cli("definition", "import", file, "--publish", "--note", "hotfix", "--force")

    assert done.exit_code == 0, done.output
    audit = repo.list_audit(engine_of(database), entity="definition")
    forced = audit[audit["action"] == "publish_forced"].iloc[0]
    assert "--force" in forced["payload"]["why"]


def test_destructive_commands_refuse_without_a_terminal_or_yes(cli, database):
    leads = repo.count_rows(engine_of(database))["lead"]
    for args in (("seed", "--reset", "--leads", "50"), ("delete",)):
        refused = cli(*args)
        assert refused.exit_code == 1 and "--yes" in refused.output
    assert repo.count_rows(engine_of(database))["lead"] == leads


def test_delete_with_yes_deletes_and_is_audited(cli, database):
    done = cli("delete", "--yes")
    assert done.exit_code == 0, done.output
    assert repo.count_rows(engine_of(database))["lead"] == 0
    assert "delete_all_data" in set(repo.list_audit(engine_of(database))["action"])
    assert cli("seed", "--leads", "60").exit_code == 0  # empty again: no question asked


def test_at_a_terminal_the_reset_asks_and_a_no_changes_nothing(database):
    leads = repo.count_rows(engine_of(database))["lead"]
    command = [sys.executable, "cli.py", "seed", "--reset", "--leads", "50"]
    pid, fd = pty.fork()
    if pid == 0:  # the child: cli.py with a terminal as stdin
        os.chdir(REPO)
        os.environ["DATABASE_URL"] = database
        os.execv(sys.executable, command)
    output = _read_until(fd, b"Continue?")
    os.write(fd, b"n\n")
    output += _read_until(fd, b"")
    _, status = os.waitpid(pid, 0)

    assert b"Continue?" in output and b"cancelled" in output
    assert os.waitstatus_to_exitcode(status) == 1
    assert repo.count_rows(engine_of(database))["lead"] == leads


def _read_until(fd: int, marker: bytes) -> bytes:
    seen = b""
    while not marker or marker not in seen:
        try:
            chunk = os.read(fd, 1024)
        except OSError:  # the child closed the terminal
            break
        if not chunk:
            break
        seen += chunk
    return seen


def test_a_draft_imported_from_the_cli_is_audited_with_what_changed(cli, tmp_path, database):
    changed = default_definition().model_copy(update={"mql_threshold": 71.0})
    file = tmp_path / "draft.json"
    file.write_text(changed.to_json())

    done = cli("definition", "import", str(file), "--author", "ops@acme.com")

    assert done.exit_code == 0, done.output
    audit = repo.list_audit(engine_of(database), entity="definition_draft")
    latest = audit.iloc[0]
    assert latest["actor"] == "ops@acme.com" and latest["action"] == "save_draft"
    assert any("71" in line for line in latest["payload"]["changes"])
