"""Per-rule breakdown of scores: what made each lead's total, rule by rule."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pandas as pd

from domain.definitions.definition import Definition
from domain.engine.scoring import ScoringModel

BREAKDOWN_COLUMNS = (
    "lead_id", "rule_id", "kind", "rule", "count", "decayed_count", "raw_points", "points",
)  # fmt: skip


def breakdown(
    model: ScoringModel, definition: Definition, lead_ids: list[int] | None = None
) -> pd.DataFrame:
    """One row per (lead, rule that applies): its points; the rows add up to the total.

    For engagement rules `count` is the occurrences inside the window, `raw_points` is
    points x count, and `points` is after decay and the cap. A count rule ("at least 3")
    has a row for every lead with some such activity: `raw_points` and `points` are its
    points when the count reaches the minimum, else 0 (nothing decays).
    """
    with model.lock:
        return _breakdown(model, definition, _positions(model, lead_ids))


def _breakdown(model: ScoringModel, definition: Definition, positions: np.ndarray) -> pd.DataFrame:
    parts = [_fit_part(model, definition, positions)]
    parts += [
        _engagement_part(model, definition, i, positions)
        for i in range(len(definition.engagement_rules))
    ]
    frame = pd.concat([p for p in parts if not p.empty] or [pd.DataFrame()], ignore_index=True)
    if frame.empty:
        return pd.DataFrame(columns=list(BREAKDOWN_COLUMNS))
    return frame.sort_values(["lead_id", "kind", "rule_id"], ignore_index=True)


def _positions(model: ScoringModel, lead_ids: list[int] | None) -> np.ndarray:
    if lead_ids is None:
        return np.arange(model.n_leads)
    positions = pd.Index(model.lead_ids).get_indexer(lead_ids)
    if (positions < 0).any():
        missing = [i for i, p in zip(lead_ids, positions, strict=True) if p < 0]
        raise KeyError(f"unknown lead ids: {missing[:5]}")
    return positions


def _fit_part(model: ScoringModel, definition: Definition, positions: np.ndarray) -> pd.DataFrame:
    parts = []
    for rule in definition.fit_rules:
        matched = positions[model.fit_mask(rule)[positions]]
        parts.append(
            pd.DataFrame(
                {
                    "lead_id": model.lead_ids[matched],
                    "rule_id": rule.id,
                    "kind": "fit",
                    "rule": rule.describe(),
                    "count": 1.0,
                    "decayed_count": 1.0,
                    "raw_points": rule.points,
                    "points": rule.points,
                }
            )
        )
    return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame()


def _engagement_part(
    model: ScoringModel, definition: Definition, index: int, positions: np.ndarray
) -> pd.DataFrame:
    rule = definition.engagement_rules[index]
    term = model.terms(definition)[index]
    decayed = model.engagement.counts(term.source)[1][positions]
    undecayed_source = replace(term.source, half_life=None)
    count = model.engagement.counts(undecayed_source)[1][positions]
    present = count > 0
    return pd.DataFrame(
        {
            "lead_id": model.lead_ids[positions[present]],
            "rule_id": rule.id,
            "kind": "engagement",
            "rule": rule.describe(),
            "count": count[present],
            "decayed_count": decayed[present],
            "raw_points": term.apply(count[present])
            if rule.is_count
            else rule.points * count[present],
            "points": term.apply(decayed[present]),
        }
    )
