"""The same current scores as one DuckDB query over the aggregated counts and the leads.

Fit is a sum of CASE expressions generated from the definition; engagement is, per rule,
SUM(n * 0.5 ** (age / half-life)) FILTERed to the rule's type, stage and window, clipped
with LEAST/GREATEST. Age is measured from each day entry's last occurrence, as the engine
does. Text is compared trimmed of spaces and lower-cased (Python strips any whitespace and
case-folds: the same on ASCII data). The frames are copied into DuckDB tables once (the
load is timed separately), so the timed query measures DuckDB's engine, not a pandas scan.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

from domain.definitions.definition import Definition, EngagementRule, FitRule
from domain.engine.frames import SECONDS_PER_DAY

NS_PER_DAY = SECONDS_PER_DAY * 10**9
_TOLERANCE = 1e-6


class DuckScorer:
    """A DuckDB database holding `counts` and `leads`, scoring them as of `as_of`."""

    def __init__(
        self, leads: pd.DataFrame, counts: pd.DataFrame | Path, as_of: pd.Timestamp
    ) -> None:
        """`counts` is a frame or a Parquet file of one (read by DuckDB itself)."""
        self.as_of_ns = int(as_of.value)
        self.connection = duckdb.connect()
        attributes = leads.drop(columns=["created_at"], errors="ignore")
        self.connection.register("leads_frame", attributes)
        self.connection.execute("CREATE TABLE leads AS SELECT * FROM leads_frame")
        self.connection.unregister("leads_frame")
        if isinstance(counts, Path):
            self.connection.execute(
                "CREATE TABLE counts AS SELECT * FROM read_parquet(?)", [str(counts)]
            )
            return
        self.connection.register("counts_frame", counts)
        self.connection.execute("CREATE TABLE counts AS SELECT * FROM counts_frame")
        self.connection.unregister("counts_frame")

    def scores(self, definition: Definition) -> dict[str, np.ndarray]:
        """lead_id, fit, engagement, total and mql_now per lead (in no particular order)."""
        return self.connection.execute(score_sql(definition, self.as_of_ns)).fetchnumpy()

    def close(self) -> None:
        self.connection.close()


def score_sql(definition: Definition, as_of_ns: int) -> str:
    """The query: one row per lead with its fit, engagement and total score."""
    rules = definition.engagement_rules
    columns = ",\n  ".join(f"{_engagement(rule, as_of_ns)} AS r{i}" for i, rule in enumerate(rules))
    engagement = " + ".join(f"COALESCE(e.r{i}, 0)" for i in range(len(rules))) or "0"
    fit = " + ".join(_fit(rule) for rule in definition.fit_rules) or "0"
    threshold = definition.mql_threshold - _TOLERANCE
    return f"""
WITH entries AS (
  SELECT lead_id, activity_type, content_stage, day, n * {_decay(definition, as_of_ns)} AS w
  FROM counts
  WHERE epoch_ns(first_at) <= {as_of_ns}
), engagement AS (
  SELECT lead_id{"," if rules else ""}
  {columns}
  FROM entries GROUP BY lead_id
), scored AS (
  SELECT l.lead_id, ({fit})::DOUBLE AS fit, ({engagement})::DOUBLE AS engagement
  FROM leads l LEFT JOIN engagement e ON e.lead_id = l.lead_id
)
SELECT lead_id, fit, engagement, fit + engagement AS total,
       fit + engagement >= {threshold!r} AS mql_now
FROM scored
"""


def _decay(definition: Definition, as_of_ns: int) -> str:
    half_life = definition.decay_half_life_days
    if half_life is None:
        return "1.0"
    age = f"({as_of_ns} - LEAST(epoch_ns(last_at), {as_of_ns})) / {float(NS_PER_DAY)!r}"
    return f"pow(0.5, {age} / {float(half_life)!r})"


def _engagement(rule: EngagementRule, as_of_ns: int) -> str:
    conditions = [f"activity_type = {_text(rule.activity_type)}"]
    if rule.content_stage is not None:
        conditions.append(f"content_stage = {_text(rule.content_stage)}")
    if rule.window_days is not None:
        conditions.append(f"day > {as_of_ns // NS_PER_DAY - rule.window_days}")
    # COALESCE first: GREATEST/LEAST skip NULLs, so a lead without the activity got -cap.
    count = f"COALESCE(SUM(w) FILTER (WHERE {' AND '.join(conditions)}), 0)"
    value = f"{float(rule.points)!r} * {count}"
    if rule.cap is None:
        return value
    cap = float(rule.cap)
    return f"LEAST(GREATEST({value}, {-cap!r}), {cap!r})"


def _fit(rule: FitRule) -> str:
    return f"CASE WHEN {_condition(rule)} THEN {float(rule.points)!r} ELSE 0 END"


def _condition(rule: FitRule) -> str:
    """domain.engine.fit semantics in SQL; NULL (missing) never matches, as there."""
    column = f'l."{rule.attribute}"'
    number = f"TRY_CAST({column} AS DOUBLE)"
    text = f"lower(trim(CAST({column} AS VARCHAR)))"
    op, value = rule.operator, rule.value
    if op == ">=":
        return f"{number} >= {float(value)!r}"  # type: ignore[arg-type]
    if op == "<=":
        return f"{number} <= {float(value)!r}"  # type: ignore[arg-type]
    if op == "between":
        low, high = (float(v) for v in value)  # type: ignore[union-attr]
        return f"{number} BETWEEN {low!r} AND {high!r}"
    if op == "contains":
        return f"contains({text}, {_text(str(value).casefold())})"
    if op == "endswith":
        return f"ends_with({text}, {_text(str(value).casefold())})"
    values = value if isinstance(value, tuple) else (value,)
    if all(isinstance(v, int | float) and not isinstance(v, bool) for v in values):
        listed = ", ".join(repr(float(v)) for v in values)  # type: ignore[arg-type]
        test = f"{number} IN ({listed})"
    else:
        listed = ", ".join(_text(str(v).casefold()) for v in values)
        test = f"{text} IN ({listed})"
    # A non-number never equals a listed number, so "not_in" matches it (as in pandas).
    return f"{column} IS NOT NULL AND NOT COALESCE({test}, false)" if op == "not_in" else test


def _text(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"
