"""The draft a restore replaced is read back from its audit row: only the latest restore's,
and it can be brought back once (a second person pressing too is told no)."""

from __future__ import annotations

from sqlalchemy import Engine

from db.definitions.restore_repo import mark_brought_back, record_restore, replaced_draft
from domain.definitions.defaults import default_definition


def _restore(engine: Engine, version: int, replaced_threshold: float) -> None:
    replaced = default_definition().replace(mql_threshold=replaced_threshold)
    record_restore(
        engine, author="Ann", version=version, restored=default_definition(), revision=version,
        replaced=replaced,
    )  # fmt: skip


def test_only_the_latest_restore_offers_its_replaced_draft_and_only_once(engine: Engine) -> None:
    assert replaced_draft(engine) is None
    _restore(engine, 1, 85)
    _restore(engine, 2, 70)
    replaced = replaced_draft(engine)
    assert replaced is not None
    assert (replaced.version, replaced.restored_by) == (2, "Ann")
    assert replaced.definition.mql_threshold == 70
    assert mark_brought_back(engine, replaced, "Bo")
    assert not mark_brought_back(engine, replaced, "Cy")  # already brought back
    assert replaced_draft(engine) is None
