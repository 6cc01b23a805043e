"""After an import: do the leads' values meet the definition's rules?

For every attribute a categorical fit rule (equals / in / not in) uses, the values present
that no rule on it matches ("United States" against a rule on "US"), with their lead counts,
and the spellings of one value that differ only in case, spaces, hyphens or underscores
("Organic Search", "organic_search"), with the spelling to normalise them to: the rule's
when a rule names one (then even a single other spelling is listed), else the most common.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pandas as pd

from domain.definitions.definition import Definition, FitRule
from domain.engine.fit import fit_mask

CATEGORICAL = ("equals", "in", "not_in")
UNMATCHED_COLUMNS = ("attribute", "value", "leads")
VARIANT_COLUMNS = ("attribute", "value", "leads", "normalise_to")
_SEPARATORS = re.compile(r"[\s_\-]+")


@dataclass(frozen=True)
class ValueCheck:
    """What the check found; empty frames when all is well."""

    attributes: tuple[str, ...]
    """The attributes checked: those categorical fit rules use and the leads have."""
    missing: tuple[str, ...]
    """Attributes rules use that no lead has."""
    unmatched: pd.DataFrame
    variants: pd.DataFrame

    @property
    def clean(self) -> bool:
        return self.unmatched.empty and self.variants.empty


def spelling_key(value: object) -> str:
    """The value with case, spaces, hyphens and underscores ignored ("organic search")."""
    return _SEPARATORS.sub(" ", str(value)).strip().casefold()


def check_values(leads: pd.DataFrame, definition: Definition) -> ValueCheck:
    """Check the leads' values against the categorical fit rules of `definition`."""
    by_attribute: dict[str, list[FitRule]] = {}
    for rule in definition.fit_rules:
        if rule.operator in CATEGORICAL:
            by_attribute.setdefault(rule.attribute, []).append(rule)
    present = tuple(a for a in by_attribute if a in leads.columns)
    unmatched, variants = [], []
    for attribute in present:
        counts = _counts(leads[attribute])
        unmatched.append(_unmatched(attribute, counts, by_attribute[attribute]))
        variants.append(_variants(attribute, counts, by_attribute[attribute]))
    return ValueCheck(
        attributes=present,
        missing=tuple(a for a in by_attribute if a not in leads.columns),
        unmatched=_frame(unmatched, UNMATCHED_COLUMNS),
        variants=_frame(variants, VARIANT_COLUMNS),
    )


def variants_of(column: pd.Series, target: str) -> list[str]:
    """The values of `column` spelled like `target` up to case, spaces and underscores
    (`target` itself excluded): what `normalise ATTR --to TARGET` replaces."""
    key = spelling_key(target)
    return [v for v in _counts(column).index if v != target and spelling_key(v) == key]


def _counts(column: pd.Series) -> pd.Series:
    text = column.dropna().astype(str)
    text = text[text.str.strip() != ""]
    return text.value_counts()


def _unmatched(attribute: str, counts: pd.Series, rules: list[FitRule]) -> pd.DataFrame:
    values = pd.DataFrame({attribute: counts.index.to_numpy(dtype=object)})
    matched = pd.Series(False, index=values.index)
    for rule in rules:
        matched |= fit_mask(values, rule)
    missed = counts[~matched.to_numpy()]
    return pd.DataFrame(
        {"attribute": attribute, "value": missed.index, "leads": missed.to_numpy(dtype="int64")}
    )


def _variants(attribute: str, counts: pd.Series, rules: list[FitRule]) -> pd.DataFrame:
    named = [str(v) for r in rules for v in (r.value if isinstance(r.value, tuple) else (r.value,))]
    keys = pd.Series([spelling_key(v) for v in counts.index], index=counts.index)
    groups = []
    for key, members in keys.groupby(keys, sort=True):
        spelled = counts[members.index]
        by_rule = [v for v in named if spelling_key(v) == key]
        target = by_rule[0] if by_rule else str(spelled.index[0])  # most common first
        if all(v == target for v in spelled.index):
            continue  # one spelling, the rule's own (or no rule): nothing to normalise
        groups.append(
            pd.DataFrame(
                {
                    "attribute": attribute,
                    "value": spelled.index,
                    "leads": spelled.to_numpy(dtype="int64"),
                    "normalise_to": target,
                }
            )
        )
    return _frame(groups, VARIANT_COLUMNS)


def _frame(parts: list[pd.DataFrame], columns: tuple[str, ...]) -> pd.DataFrame:
    kept = [p for p in parts if len(p)]
    if not kept:
        empty = {c: pd.Series(dtype="int64" if c == "leads" else object) for c in columns}
        return pd.DataFrame(empty)
    return pd.concat(kept, ignore_index=True)[list(columns)]
