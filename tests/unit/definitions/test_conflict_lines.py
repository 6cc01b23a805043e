"""A conflict over a whole rule reads as the rule's settings, not as a Python dict."""

from __future__ import annotations

from components.definitions.conflict_panel import _conflict_line
from domain.definitions.merge import Conflict


def test_a_whole_rule_conflict_names_each_sides_settings():
    mine = {"id": "page", "activity_type": "page_view", "points": 5.0, "min_count": 3}
    theirs = {"id": "page", "activity_type": "page_view", "points": 5.0, "cap": 30.0}
    line = _conflict_line(Conflict("engagement_rules.page", mine, theirs))
    assert line == (
        "engagement rules › page: yours (activity type page_view, points 5.0, min count 3), "
        "theirs (activity type page_view, points 5.0, cap 30.0)"
    )
    assert "{" not in line


def test_a_removed_rule_reads_removed():
    assert _conflict_line(Conflict("fit_rules.x", None, {"id": "x", "points": 1})).endswith(
        "yours (removed), theirs (points 1)"
    )
