from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import Engine

from db import repository as repo
from domain.definitions.defaults import default_definition
from domain.definitions.definition import Definition

SIGNOFFS: list[dict[str, Any]] = [
    {"name": "Maria", "team": "marketing", "at": datetime(2024, 3, 1, 10, tzinfo=UTC)},
    {"name": "Sam", "team": "sales", "at": "2024-03-01T11:00:00+00:00"},
]


def definition(threshold: float = 60) -> Definition:
    return default_definition().replace(mql_threshold=threshold)


def test_nothing_is_published_in_a_new_database(engine: Engine) -> None:
    assert repo.get_published(engine) is None
    assert repo.list_versions(engine).empty
    assert repo.get_draft(engine) is None


def test_publishing_numbers_versions_one_two_three_and_keeps_each_one(engine: Engine) -> None:
    numbers = [
        repo.publish(engine, definition=definition(t), author="maria", note=f"t={t}")
        for t in (60, 50, 70)
    ]

    assert numbers == [1, 2, 3]
    assert repo.get_published(engine) == (3, definition(70))
    assert repo.get_version(engine, 2) == definition(50)
    assert repo.get_version(engine, 1).mql_threshold == 60


def test_versions_are_listed_newest_first_with_signoffs_and_fingerprints(engine: Engine) -> None:
    repo.publish(engine, definition=definition(60), author="maria", note="first")
    repo.publish(engine, definition=definition(55), author="sam", note="looser", signoffs=SIGNOFFS)

    versions = repo.list_versions(engine)

    assert versions["version"].tolist() == [2, 1]
    assert versions["author"].tolist() == ["sam", "maria"]
    assert versions["fingerprint"].tolist() == [
        definition(55).fingerprint(),
        definition(60).fingerprint(),
    ]
    assert str(versions["published_at"].dtype) == "datetime64[ns, UTC]"
    assert versions["signoffs"].iloc[0] == [
        {"name": "Maria", "team": "marketing", "at": "2024-03-01T10:00:00+00:00"},
        {"name": "Sam", "team": "sales", "at": "2024-03-01T11:00:00+00:00"},
    ]


def test_asking_for_a_version_never_published_raises(engine: Engine) -> None:
    with pytest.raises(repo.VersionNotFoundError, match="version 7"):
        repo.get_version(engine, 7)


def test_publishing_leaves_an_audit_entry(engine: Engine) -> None:
    repo.publish(engine, definition=definition(), author="maria", note="agreed in QBR")

    audit = repo.list_audit(engine)

    entry = audit.iloc[0]
    assert (entry["actor"], entry["action"], entry["entity"], entry["entity_id"]) == (
        "maria",
        "publish",
        "definition",
        "1",
    )
    assert entry["payload"]["fingerprint"] == definition().fingerprint()


def test_a_draft_saved_with_the_revision_it_was_loaded_at_gets_the_next_one(
    engine: Engine,
) -> None:
    first = repo.save_draft(engine, definition=definition(60), expected_revision=None, author="a")

    second = repo.save_draft(engine, definition=definition(50), expected_revision=1, author="b")

    draft = repo.get_draft(engine)
    assert (first, second) == (1, 2)
    assert draft is not None
    assert (draft.definition, draft.revision, draft.updated_by) == (definition(50), 2, "b")
    assert draft.updated_at.tzinfo is not None


def test_saving_over_a_newer_draft_raises_stale_draft_error_carrying_the_stored_draft(
    engine: Engine,
) -> None:
    repo.save_draft(engine, definition=definition(60), expected_revision=None, author="maria")
    repo.save_draft(engine, definition=definition(65), expected_revision=1, author="sam")

    with pytest.raises(repo.StaleDraftError) as raised:
        repo.save_draft(engine, definition=definition(40), expected_revision=1, author="maria")

    current = raised.value.current
    assert current is not None
    assert (current.revision, current.updated_by, current.definition) == (2, "sam", definition(65))
    assert repo.get_draft(engine) == current


def test_expecting_a_revision_when_no_draft_exists_is_stale(engine: Engine) -> None:
    with pytest.raises(repo.StaleDraftError) as raised:
        repo.save_draft(engine, definition=definition(), expected_revision=3, author="maria")

    assert raised.value.current is None
    assert repo.get_draft(engine) is None


def test_expecting_no_revision_overwrites_whatever_draft_is_stored(engine: Engine) -> None:
    repo.save_draft(engine, definition=definition(60), expected_revision=None, author="maria")

    revision = repo.save_draft(
        engine, definition=definition(45), expected_revision=None, author="sam"
    )

    draft = repo.get_draft(engine)
    assert draft is not None and (revision, draft.definition) == (2, definition(45))


def test_a_changed_definition_clears_the_signoffs_of_the_draft(engine: Engine) -> None:
    revision = repo.save_draft(
        engine, definition=definition(60), expected_revision=None, author="maria"
    )
    revision = repo.sign_draft(engine, name="Maria", team="marketing", expected_revision=revision)
    revision = repo.sign_draft(engine, name="Sam", team="sales", expected_revision=revision)
    draft = repo.get_draft(engine)
    assert draft is not None and [s["team"] for s in draft.signoffs] == ["marketing", "sales"]

    same = repo.save_draft(
        engine, definition=definition(60), expected_revision=revision, author="maria"
    )
    assert len(repo.get_draft(engine).signoffs) == 2  # type: ignore[union-attr]

    repo.save_draft(engine, definition=definition(50), expected_revision=same, author="maria")
    assert repo.get_draft(engine).signoffs == ()  # type: ignore[union-attr]
