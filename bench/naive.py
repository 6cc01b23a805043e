"""A straightforward per-lead Python scorer: the reference the engine must agree with.

Same semantics as domain.engine.scoring for the current (as-of) score: fit points per matching
rule; per engagement rule, the occurrences of its activity type (and content stage) whose
day lies inside the window, each decayed by 0.5 ** (age / half-life) with age measured from
the day entry's last occurrence, times the points, clipped to +-cap.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from domain.definitions.definition import Definition, EngagementRule, FitRule
from domain.engine.frames import SECONDS_PER_DAY

NS_PER_DAY = SECONDS_PER_DAY * 10**9
# activity_type, content_stage, day, n, first_ns, last_ns
Entry = tuple[str, str | None, int, int, int, int]


@dataclass(frozen=True)
class NaiveLead:
    lead_id: int
    attributes: dict[str, object]
    entries: list[Entry]


def prepare(leads: pd.DataFrame, counts: pd.DataFrame, lead_ids: np.ndarray) -> list[NaiveLead]:
    """Plain Python records for the chosen leads (not timed: this is reading the data)."""
    chosen = leads[leads["lead_id"].isin(lead_ids)]
    rows = counts[counts["lead_id"].isin(lead_ids)]
    entries: dict[int, list[Entry]] = {int(i): [] for i in chosen["lead_id"]}
    stage = rows["content_stage"].astype(object)
    columns = zip(
        rows["lead_id"].tolist(),
        rows["activity_type"].astype(str).tolist(),
        stage.where(stage.notna(), None).tolist(),
        rows["day"].tolist(),
        rows["n"].tolist(),
        rows["first_at"].astype("int64").tolist(),
        rows["last_at"].astype("int64").tolist(),
        strict=True,
    )
    for lead_id, *entry in columns:
        entries[lead_id].append(tuple(entry))  # type: ignore[arg-type]
    attributes = chosen.drop(columns="lead_id").astype(object)
    records = attributes.where(attributes.notna(), None).to_dict("records")
    return [
        NaiveLead(int(lead_id), record, entries[int(lead_id)])
        for lead_id, record in zip(chosen["lead_id"], records, strict=True)
    ]


def score_leads(leads: list[NaiveLead], definition: Definition, as_of_ns: int) -> list[float]:
    """Total (fit + engagement) score of each lead as of `as_of_ns`."""
    return [
        fit_score(lead, definition.fit_rules)
        + engagement_score(lead, definition.engagement_rules, definition, as_of_ns)
        for lead in leads
    ]


def fit_score(lead: NaiveLead, rules: tuple[FitRule, ...]) -> float:
    return sum(rule.points for rule in rules if matches(rule, lead.attributes.get(rule.attribute)))


def engagement_score(
    lead: NaiveLead, rules: tuple[EngagementRule, ...], definition: Definition, as_of_ns: int
) -> float:
    half_life = definition.decay_half_life_days
    as_of_day = as_of_ns // NS_PER_DAY
    total = 0.0
    for rule in rules:
        count = 0.0
        for activity_type, stage, day, n, first_ns, last_ns in lead.entries:
            if activity_type != rule.activity_type or first_ns > as_of_ns:
                continue
            if rule.content_stage is not None and stage != rule.content_stage:
                continue
            if rule.window_days is not None and day <= as_of_day - rule.window_days:
                continue
            if half_life is None:
                count += n
            else:
                age = (as_of_ns - min(last_ns, as_of_ns)) / NS_PER_DAY
                count += n * 0.5 ** (age / half_life)
        value = rule.points * count
        if rule.cap is not None:
            value = min(max(value, -rule.cap), rule.cap)
        total += value
    return total


def matches(rule: FitRule, value: object) -> bool:
    """domain.engine.fit semantics: numbers for ranges, trimmed case-folded text otherwise."""
    op, wanted = rule.operator, rule.value
    if op in (">=", "<=", "between"):
        number = _number(value)
        if math.isnan(number):
            return False
        if op == ">=":
            return number >= float(wanted)  # type: ignore[arg-type]
        if op == "<=":
            return number <= float(wanted)  # type: ignore[arg-type]
        low, high = (float(v) for v in wanted)  # type: ignore[union-attr]
        return low <= number <= high
    if value is None:
        return False
    text = str(value).strip().casefold()
    if op == "contains":
        return str(wanted).casefold() in text
    if op == "endswith":
        return text.endswith(str(wanted).casefold())
    values = wanted if isinstance(wanted, tuple) else (wanted,)
    if all(isinstance(v, int | float) and not isinstance(v, bool) for v in values):
        found = _number(value) in {float(v) for v in values}  # type: ignore[arg-type]
    else:
        found = text in {str(v).casefold() for v in values}
    return not found if op == "not_in" else found


def _number(value: object) -> float:
    try:
        return float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return math.nan
