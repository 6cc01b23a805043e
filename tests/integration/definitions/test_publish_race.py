"""Publish is one compare-and-publish: two people pressing Publish get one version."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import Engine

from db import repository as repo
from domain.definitions.defaults import default_definition

PRESSERS = 4
ROUNDS = 5


def _at_once(count: int, work: Callable[[int], Any]) -> list[Any]:
    """Run `work(i)` on `count` threads released together; returns results or exceptions."""
    barrier = threading.Barrier(count)
    results: list[Any] = [None] * count

    def run(i: int) -> None:
        barrier.wait()
        try:
            results[i] = work(i)
        except Exception as exc:  # noqa: BLE001 - the test inspects every outcome
            results[i] = exc

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def test_pressing_publish_together_publishes_the_signed_draft_once(engine: Engine) -> None:
    for round_number in range(ROUNDS):
        draft = repo.get_draft(engine)
        wanted = default_definition().replace(mql_threshold=40 + round_number)
        revision = repo.save_draft(
            engine,
            definition=wanted,
            expected_revision=None if draft is None else draft.revision,
            author="maria",
        )
        outcomes = _at_once(
            PRESSERS,
            lambda i, r=revision, d=wanted: repo.publish(
                engine, definition=d, author=f"person {i}", note="agreed", expected_revision=r
            ),
        )
        versions = [o for o in outcomes if isinstance(o, int)]
        refused = [o for o in outcomes if isinstance(o, repo.AlreadyPublishedError)]
        assert len(versions) == 1 and len(refused) == PRESSERS - 1, outcomes
        winner = outcomes.index(versions[0])
        for error in refused:
            assert error.version == versions[0] and error.author == f"person {winner}"
            assert str(error) == f"already published as v{versions[0]} by person {winner}"
    assert len(repo.list_versions(engine)) == ROUNDS


def test_a_draft_changed_after_loading_is_not_published(engine: Engine) -> None:
    revision = repo.save_draft(
        engine, definition=default_definition(), expected_revision=None, author="maria"
    )
    repo.save_draft(
        engine,
        definition=default_definition().replace(mql_threshold=99),
        expected_revision=revision,
        author="sam",
    )
    with pytest.raises(repo.StaleDraftError):
        repo.publish(
            engine, definition=default_definition(), author="maria", expected_revision=revision
        )
    assert repo.list_versions(engine).empty


def test_many_publishes_at_once_all_get_their_own_number(engine: Engine) -> None:
    repo.save_draft(engine, definition=default_definition(), expected_revision=None, author="x")
    outcomes = _at_once(
        8,
        lambda i: [
            repo.publish(
                engine,
                definition=default_definition().replace(mql_threshold=10 + i * 10 + k),
                author=f"p{i}",
            )
            for k in range(5)
        ],
    )
    numbers = sorted(n for batch in outcomes for n in batch)
    assert numbers == list(range(1, 41)), outcomes
