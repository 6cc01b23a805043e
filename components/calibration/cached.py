"""The Calibration page's caches: calibration, the threshold curve and weight suggestions.

Keyed like components/shell/state.py (database URL, versions, as-of moment, definition
fingerprint) and dropped with its caches when the data or sales version moves on.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

import pandas as pd
import streamlit as st

from components.shell import state
from components.shell.state import Versions
from domain.calibration.quality import Calibration, Outcome, calibrate
from domain.calibration.thresholds import threshold_curve
from domain.definitions.definition import Definition
from domain.engine.scoring import ScoringModel


def get_calibration(definition: Definition, outcome: str, min_age_days: int) -> Calibration:
    """How well `definition` separates converted leads (cached per definition and inputs)."""
    url, version, model = state.current()
    return _calibration(
        url, version, model.as_of.value, definition.fingerprint(), outcome, int(min_age_days),
        model, definition,
    )  # fmt: skip


def get_threshold_curve(definition: Definition, outcome: str) -> pd.DataFrame:
    """MQL volume and wins captured at every threshold of `definition` (shared, read-only)."""
    url, version, model = state.current()
    # The threshold itself does not change the curve: key on the definition without it.
    key = definition.model_copy(update={"mql_threshold": 0.0}).fingerprint()
    return _threshold_curve(url, version, model.as_of.value, key, outcome, model, definition)


@st.cache_resource(max_entries=4, show_spinner=False)
def _calibration(
    url: str,
    version: Versions,
    as_of_ns: int,
    fingerprint: str,
    outcome: str,
    min_age_days: int,
    _scoring_model: ScoringModel,
    _definition: Definition,
) -> Calibration:
    chosen: Outcome = "won" if outcome == "won" else "sql"
    return calibrate(_scoring_model, _definition, outcome=chosen, min_age_days=min_age_days)


@st.cache_resource(max_entries=4, show_spinner="Scoring every threshold...")
def _threshold_curve(
    url: str,
    version: Versions,
    as_of_ns: int,
    fingerprint: str,
    outcome: str,
    _scoring_model: ScoringModel,
    _definition: Definition,
) -> pd.DataFrame:
    return threshold_curve(_scoring_model, _definition, outcome=outcome)  # type: ignore[arg-type]


# Imported where used: domain.suggest pulls in scikit-learn and SciPy (seconds on a busy
# machine), which the first page after a start must not wait for.
if TYPE_CHECKING:
    from domain.suggest import Leak, Suggestion


@dataclass(frozen=True)
class SuggestionInputs:
    """What the exclusion picker offers: the inputs, and those excluded by default."""

    inputs: tuple[str, ...]  # candidate attributes, then activity types
    default_excluded: tuple[str, ...]  # the leakage guard's suspects
    suspects: tuple[Leak, ...]  # each suspect with why


def get_suggestion_inputs(outcome: str, base: Definition) -> SuggestionInputs:
    """The picker's inputs and suspects; `base` places each lead's MQL moment."""
    from domain.suggest.leak_key import leak_check_key

    url, version, model = state.current()
    # Keyed on what the leakage guard reads, not the sales version: a follow-up action
    # rarely moves it, and the guard takes half a second at 100,000 leads.
    key = leak_check_key(model, outcome, base=base)  # type: ignore[arg-type]
    return _suggestion_inputs(url, version[0], outcome, base.fingerprint(), key, model, base)


def get_suggestion(
    base: Definition,
    outcome: str,
    holdout: float,
    seed: int,
    exclude: tuple[str, ...],
    progress: Callable[[float, str], None] | None = None,
) -> Suggestion:
    """Fit a suggestion (seconds on 50k leads), cached per data version, base definition
    and inputs; `progress` hears how far a fit is. Raises `domain.suggest.SuggestionError`
    when the data cannot support one."""
    url, version, model = state.current()
    key = (
        url, version, model.as_of.value, base.fingerprint(), outcome, float(holdout), int(seed),
        tuple(sorted(exclude)),
    )  # fmt: skip
    store = _suggestions()
    if key not in store:
        from domain.suggest import suggest

        # Not an st.cache_* function: the progress bar is drawn while the fit runs.
        store[key] = suggest(
            model, base, outcome=outcome, holdout=holdout, seed=seed,  # type: ignore[arg-type]
            exclude=exclude, default_exclusions=False, progress=progress,
        )  # fmt: skip
        while len(store) > SUGGESTIONS_KEPT:
            store.pop(next(iter(store)))
    return store[key]


SUGGESTIONS_KEPT = 8


@st.cache_resource(show_spinner=False)
def _suggestions() -> dict[tuple[object, ...], Suggestion]:
    """Suggestions by data version, base definition and inputs, shared by all sessions;
    the picker starts with the suspects ticked, what the user unticks is used knowingly."""
    return {}


@st.cache_resource(max_entries=4, show_spinner=False)
def _suggestion_inputs(
    url: str,
    data: int,
    outcome: str,
    fingerprint: str,
    sales_side: str,
    _scoring_model: ScoringModel,
    _base: Definition,
) -> SuggestionInputs:
    from domain.suggest import candidate_attributes, default_exclusions, find_leaks

    suspects = tuple(find_leaks(_scoring_model, outcome, base=_base))  # type: ignore[arg-type]
    excluded = dict.fromkeys([*default_exclusions(_scoring_model), *(s.column for s in suspects)])
    inputs = [*candidate_attributes(_scoring_model), *_scoring_model.activity_types]
    if "email" in _scoring_model.leads.columns:
        inputs.append("email")  # its domain is an input (student and competitor domains)
    return SuggestionInputs(tuple(dict.fromkeys(inputs)), tuple(excluded), suspects)


# Not `_suggestion_inputs`: keyed on what its guard reads, it outlives a sales version, and
# its few small entries of an older data version age out.
for _cached in (_calibration, _threshold_curve, _suggestions):
    state.forget_on_new_version(_cached)
