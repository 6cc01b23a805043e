"""Does the score predict? Published and draft side by side: ROC AUC, top-decile lift and
conversion by score band, each with the number of leads behind it.

Used twice: in full on the Calibration page and compact on the definitions page (the
same figures, without the band table). Widget keys are prefixed per place.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd
import streamlit as st

from components.calibration import cached
from components.calibration.calibration_charts import OUTCOME_LABELS, build_band_spec
from components.common.tables import count_column, rate_column, render_table
from components.common.vega import render_spec
from components.definitions import draft_session as session
from components.shell import state
from domain.calibration.quality import DEFAULT_MIN_AGE, OUTCOME_STAGES, Calibration
from domain.common.numbers import count

AUC_HELP = (
    "ROC AUC: the chance that a lead that converted scores higher than one that did not "
    "(ties count half). 0.5 is a coin flip, 1.0 a perfect ranking; above 0.7 is useful."
)
LIFT_HELP = (
    "How many times more often the top 10% of leads by score converted than leads overall. "
    "1× means the score does not help pick the best leads."
)
MIN_AGE_HELP = (
    "Only leads created at least this many days ago are judged: a lead created yesterday "
    "had no chance to become an SQL or to be won yet."
)


@dataclass(frozen=True)
class Side:
    """One definition's calibration, labelled ("Published v3", "Draft")."""

    label: str
    calibration: Calibration

    @property
    def slug(self) -> str:
        return self.label.split()[0].lower()


def calibration_sides(outcome: str, min_age_days: int) -> list[Side]:
    """The published definition (when there is one) and this session's working draft.

    Call after `draft_session.sync` ran in this script run."""
    published = state.get_published()
    found = []
    if published is not None:
        version, definition = published
        calibration = cached.get_calibration(definition, outcome, min_age_days)
        found.append(Side(f"Published v{version}", calibration))
    draft = session.working_definition()
    found.append(Side("Draft", cached.get_calibration(draft, outcome, min_age_days)))
    return found


def calibration_inputs(prefix: str) -> tuple[str, int]:
    """The outcome (sql / won) and the minimum lead age in days, keyed `<prefix>_...`."""
    left, right = st.columns(2)
    outcome = left.segmented_control(
        "Conversion to",
        list(OUTCOME_STAGES),
        format_func=OUTCOME_STAGES.get,
        default="sql",
        key=f"{prefix}_outcome",
        persist_state="session",
        help="SQL: the rep qualified the lead. Won: the deal closed.",
    )
    outcome = outcome or "sql"  # a second click on the chosen option clears it
    # One input per outcome: each keeps its own days (30 for SQL, 90 for Won by default).
    days = right.number_input(
        "Judge leads at least this many days old",
        min_value=0,
        max_value=730,
        step=5,
        value=DEFAULT_MIN_AGE[outcome],
        key=f"{prefix}_min_age_{outcome}",
        help=MIN_AGE_HELP,
        persist_state="session",
    )
    return str(outcome), int(days)


def figure_texts(calibration: Calibration) -> dict[str, str]:
    """The AUC and lift as shown, with what they stand on ("—" when not measurable)."""
    stage = OUTCOME_STAGES[calibration.outcome]
    on = (
        f"{count(calibration.n_leads)} leads · {count(calibration.n_positive)} reached {stage}"
        if calibration.n_leads
        else "no lead old enough"
    )
    return {
        "auc": "—" if calibration.auc is None else f"{calibration.auc:.3f}",
        "auc_on": on,
        "lift": "—"
        if calibration.top_decile_lift is None
        else f"{calibration.top_decile_lift:.1f}×",
        "lift_on": (
            f"top {count(calibration.top_decile_leads)} of {count(calibration.n_leads)} leads"
        ),
    }


def render_calibration(sides: Sequence[Side], *, key: str, compact: bool = False) -> None:
    """Figures per definition (columns), the band chart of all, and (full) the band table."""
    for column, side in zip(st.columns(len(sides)), sides, strict=True):
        with column:
            render_figures(side, key=key)
    render_spec(
        build_band_spec(
            {side.label: side.calibration.bands for side in sides}, sides[0].calibration.outcome
        ),
        key=f"{key}_bands",
    )
    if not compact:
        render_band_table(sides, key=key)


def render_figures(side: Side, *, key: str) -> None:
    calibration, texts = side.calibration, figure_texts(side.calibration)
    st.markdown(f"**{side.label}**")
    auc, lift = st.columns(2)
    with auc.container(key=f"{key}_auc_{side.slug}"):
        st.metric(
            "ROC AUC", texts["auc"], delta=texts["auc_on"], delta_color="off",
            delta_arrow="off", help=AUC_HELP, border=True,
        )  # fmt: skip
    with lift.container(key=f"{key}_lift_{side.slug}"):
        st.metric(
            "Top-decile lift", texts["lift"], delta=texts["lift_on"], delta_color="off",
            delta_arrow="off", help=LIFT_HELP, border=True,
        )  # fmt: skip
    if calibration.message:
        st.info(f"Cannot measure yet: {calibration.message}. {_what_to_do(calibration)}")


def band_table(sides: Sequence[Side]) -> pd.DataFrame:
    """One row per score band and definition, as in the chart (CSV-ready)."""
    frames = [
        side.calibration.bands.assign(definition=side.label)[
            ["definition", "band", "leads", "converted", "rate"]
        ]
        for side in sides
    ]
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()


def render_band_table(sides: Sequence[Side], *, key: str) -> None:
    outcome = OUTCOME_LABELS.get(sides[0].calibration.outcome, "Converted")
    with st.expander("Conversion by score band as a table"):
        render_table(
            band_table(sides),
            key=f"{key}_band_table",
            file_name=f"calibration_{sides[0].calibration.outcome}.csv",
            column_config={
                "definition": "Definition",
                "band": "Score band",
                "leads": count_column("Leads judged"),
                "converted": count_column(outcome),
                "rate": rate_column("Rate"),
            },
        )


def _what_to_do(calibration: Calibration) -> str:
    if calibration.n_leads == 0:
        return "Lower the minimum age above, or wait until leads have had time to convert."
    if calibration.n_positive == 0 or calibration.n_positive == calibration.n_leads:
        return "Record outcomes (qualify, win or lose leads) or pick the other outcome."
    return ""
