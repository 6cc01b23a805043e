"""One lead in detail: its stage dates, its score rule by rule, and its timeline.

The score explanation reads like "+15 industry is SaaS, +30 pricing page x3 (cap 30),
+20 at least 2 demo requests (has 3), -6 decay": each rule at its full (capped) value,
then what decay took off in total, so the lines add up to the score.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from domain.definitions.definition import Definition
from domain.engine.stages import FUNNEL_STAGES, STAGE_DATE_COLUMNS

SIDE_DATE_COLUMNS: dict[str, str] = {
    "Lost": "lost_at",
    "Disqualified": "disqualified_at",
    "Recycled": "recycled_at",
}
EXPLAIN_COLUMNS: tuple[str, ...] = ("rule_id", "kind", "rule", "count", "points", "line")
TIMELINE_COLUMNS: tuple[str, ...] = ("at", "kind", "what", "who")


def stage_dates(row: Mapping[str, object]) -> pd.DataFrame:
    """Every stage with the date the lead reached it (NaT if it did not), in order."""
    stages = {**{s: STAGE_DATE_COLUMNS[s] for s in FUNNEL_STAGES}, **SIDE_DATE_COLUMNS}
    return pd.DataFrame(
        {
            "stage": list(stages),
            "reached_at": pd.to_datetime([row.get(c) for c in stages.values()], utc=True),
        }
    )


def explain(breakdown: pd.DataFrame, definition: Definition) -> pd.DataFrame:
    """One lead's breakdown as lines, plus a "decay" line when decay took points off.

    `breakdown` is `domain.engine.explain.breakdown` for one lead. `points` of each rule line is
    its value before decay (capped); the decay line holds the difference to the score.
    """
    caps = {r.id: r.cap for r in definition.engagement_rules}
    minimums = {r.id: r.min_count for r in definition.engagement_rules if r.is_count}
    rows = []
    decay = 0.0
    for item in breakdown.itertuples(index=False):
        full = float(item.raw_points)
        cap = caps.get(item.rule_id)
        capped = cap is not None and abs(full) > cap
        if capped:
            full = float(np.sign(full) * cap)
        decay += float(item.points) - full
        times = f" x{item.count:g}" if item.kind == "engagement" else ""
        if item.rule_id in minimums:
            needed = minimums[item.rule_id]
            times = f" (has {item.count:g}{'' if item.count >= needed else f' of {needed}'})"
        note = f" (cap {cap:g})" if capped else ""
        line = f"{points_text(full)} {str(item.rule).replace('_', ' ')}{times}{note}"
        rows.append((item.rule_id, item.kind, item.rule, float(item.count), full, line))
    if abs(decay) >= 0.05:
        half_life = definition.decay_half_life_days
        why = f" (half-life {half_life:g} days)" if half_life else " (windows)"
        rows.append(("decay", "decay", "decay", 0.0, decay, f"{points_text(decay)} decay{why}"))
    frame = pd.DataFrame(rows, columns=list(EXPLAIN_COLUMNS))
    # Biggest contributions first, the decay line last (it sums what decay took off).
    order = frame["points"].abs().where(frame["kind"] != "decay", -1.0)
    return frame.loc[order.sort_values(ascending=False, kind="stable").index].reset_index(drop=True)


def explain_text(lines: pd.DataFrame) -> str:
    return ", ".join(lines["line"]) if len(lines) else "no rule applies"


def compare_explanations(
    published: pd.DataFrame, draft: pd.DataFrame, label: str = "draft"
) -> pd.DataFrame:
    """Per rule, its points under the published definition and under the draft."""
    left = published.set_index("rule_id")[["rule", "points"]]
    right = draft.set_index("rule_id")[["rule", "points"]]
    both = left.join(right, how="outer", suffixes=("_published", f"_{label}"))
    rule = both["rule_published"].fillna(both[f"rule_{label}"])
    out = pd.DataFrame(
        {
            "rule": rule,
            "published": both["points_published"].fillna(0.0),
            label: both[f"points_{label}"].fillna(0.0),
        }
    )
    out["change"] = out[label] - out["published"]
    out = out[(out["published"] != 0) | (out[label] != 0)]
    return out.sort_values("change", key=abs, ascending=False).reset_index(drop=True)


def points_text(points: float) -> str:
    """+15, -6, +0.4: whole points without decimals, small ones with one."""
    if abs(points - round(points)) < 0.05:
        return f"{round(points):+d}"
    return f"{points:+.1f}"


def timeline(
    activities: pd.DataFrame, touches: pd.DataFrame, actions: pd.DataFrame
) -> pd.DataFrame:
    """Marketing activities, sales touches and recorded actions, newest first.

    `actions` has at, actor and summary (the lead's audit entries, described).
    """
    parts = [
        pd.DataFrame(
            {
                "at": activities["occurred_at"],
                "kind": "activity",
                "what": _activity_text(activities),
                "who": "",
            }
        ),
        pd.DataFrame(
            {
                "at": touches["touched_at"],
                "kind": "sales touch",
                "what": _touch_text(touches),
                "who": touches["rep"].fillna(""),
            }
        ),
        pd.DataFrame(
            {
                "at": actions["at"],
                "kind": "action",
                "what": actions["summary"],
                "who": actions["actor"],
            }
        ),
    ]
    frame = pd.concat([p for p in parts if len(p)] or [parts[0]], ignore_index=True)
    frame["at"] = pd.to_datetime(frame["at"], utc=True)
    return frame.sort_values("at", ascending=False, ignore_index=True)[list(TIMELINE_COLUMNS)]


def _activity_text(activities: pd.DataFrame) -> pd.Series:
    text = activities["activity_type"].astype(str).str.replace("_", " ")
    stage = activities["content_stage"].astype("string")
    asset = activities["asset"].astype("string")
    text = text.where(stage.isna(), text + " (" + stage.fillna("") + ")")
    return text.where(asset.isna(), text + " · " + asset.fillna("")).astype(str)


def _touch_text(touches: pd.DataFrame) -> pd.Series:
    text = touches["channel"].astype(str)
    outcome = touches["outcome"].astype("string").str.replace("_", " ")
    return text.where(outcome.isna(), text + " · " + outcome.fillna("")).astype(str)
