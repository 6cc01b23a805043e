"""A suggestion as plain text for the command line (and logs of a nightly run)."""

from __future__ import annotations

import math

from domain.definitions.definition import Definition, EngagementRule
from domain.suggest.rules import SuggestedRule
from domain.suggest.suggestion import Suggestion

AUC_KEYS = (
    "auc_holdout_current",
    "auc_holdout_suggested",
    "auc_train_current",
    "auc_train_suggested",
)


def rule_text(rule: SuggestedRule) -> str:
    """ "+12  industry is SaaS" or "+2.5 per email_click, at most +15"."""
    points = rule.rule.points
    if isinstance(rule.rule, EngagementRule) and not rule.rule.is_count:
        cap = (
            "" if rule.rule.cap is None else f", at most {math.copysign(rule.rule.cap, points):+g}"
        )
        return f"{points:+g} per {rule.rule.describe()}{cap}"
    return f"{points:+g}  {rule.rule.describe()}"


def format_suggestion(suggestion: Suggestion, current: Definition) -> str:
    """The rules with why, the threshold, the AUCs (as key=value lines) and any warnings."""
    s = suggestion
    verb = "won" if s.outcome == "won" else "became SQL"
    lines = [
        f"Suggested definition for outcome {s.outcome} ({s.split} split, leads "
        f"{s.min_age_days}+ days old: {s.n_train:,} training, {s.n_positive_train:,} {verb}; "
        f"{s.n_holdout:,} held out, {s.n_positive_holdout:,} {verb})",
        "",
    ]
    width = max(len(rule_text(r)) for r in s.rules)
    for rule in s.rules:
        lines.append(f"  {rule_text(rule):<{width}}  {rule.why}")
    half_life = s.definition.decay_half_life_days
    lines += [
        "",
        f"MQL threshold: {s.definition.mql_threshold:g} (current {current.mql_threshold:g}): "
        f"{s.mql_suggested:,} leads become MQL, against {s.mql_current:,} today",
        f"decay half-life: {'none' if half_life is None else f'{half_life:g} days'} "
        f"(current {_half_life(current)})",
    ]
    if s.excluded:
        lines.append(f"excluded: {', '.join(s.excluded)}")
    lines += [f"matches none of your leads (left out): {name}" for name in s.unmatched]
    lines += [f"warning: {w}" for w in s.warnings]
    if any(leak.column in s.excluded for leak in s.leaks):
        lines.append("(use --include COLUMN to use a left-out column knowingly)")
    lines.append("")
    lines += [f"{key}={getattr(s, key):.4f}" for key in AUC_KEYS]
    return "\n".join(lines)


def _half_life(definition: Definition) -> str:
    value = definition.decay_half_life_days
    return "none" if value is None else f"{value:g} days"
