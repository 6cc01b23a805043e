"""Suggested points vs gradient boosting: `python bench/suggest_vs_gbm.py [--leads N] [--seed S]`.

On the same held-out leads (the suggestion's time split) it prints the ROC AUC of the
default definition, the suggested points definition (scored by the engine), the logistic
model the points come from, and scikit-learn's HistGradientBoostingClassifier trained on
the same training leads and the same information (attributes as categories or numbers,
e-mail domain, activity counts with the suggestion's decay, uncapped), plus fit times.
Demo data for both outcomes, then the Olist marketing funnel when its files are present
(attributes only: origin and landing page; Won from the closed deals). `--samples` adds
other demo samples (seeds, sizes and as-of dates), since one sample can flatter a method.
The last line is machine-readable `key=value` figures.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.ensemble import HistGradientBoostingClassifier

if __package__ in (None, ""):  # run as a script: make the repository importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from domain.calibration import roc_auc  # noqa: E402
from domain.defaults import default_definition  # noqa: E402
from domain.definition import Definition, parse_definition  # noqa: E402
from domain.engagement import Source  # noqa: E402
from domain.frames import (  # noqa: E402
    ACTIVITY_COUNT_COLUMNS,
    SALES_FACT_COLUMNS,
    TOUCH_COLUMNS,
    empty_frame,
)
from domain.scoring import ScoringModel  # noqa: E402
from domain.suggest import suggest  # noqa: E402
from domain.suggest.features import activity_keys, candidate_attributes  # noqa: E402
from domain.suggest.suggestion import prepare  # noqa: E402
from tests.demo_model import demo_model  # noqa: E402

OLIST = Path(__file__).resolve().parents[2] / "shared/datasets/olist-marketing-funnel"
# (name, leads, seed, as-of) of the other demo samples `--samples` adds.
SAMPLES = (
    ("s11_nov", 10_000, 11, datetime(2026, 11, 23, tzinfo=UTC)),
    ("s3_mar", 5_000, 3, datetime(2026, 3, 31, tzinfo=UTC)),
)
GBM_SETTINGS = {
    "gbm_default": {},
    "gbm_slow": {"learning_rate": 0.05, "max_iter": 400, "min_samples_leaf": 40},
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--leads", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--samples", action="store_true", help="Also other demo samples.")
    args = parser.parse_args(argv)
    figures: dict[str, float] = {"load_before": os.getloadavg()[0]}
    start = time.perf_counter()
    model = demo_model(args.leads, seed=args.seed)
    print(
        f"demo data: {args.leads:,} leads, seed {args.seed} ({time.perf_counter() - start:.1f} s)"
    )
    for outcome in ("sql", "won"):
        figures |= compare(model, default_definition(), outcome, prefix=f"demo_{outcome}")
    for name, n_leads, seed, as_of in SAMPLES if args.samples else ():
        sample = demo_model(n_leads, seed=seed, as_of=as_of)
        print(f"\ndemo sample {name}: {n_leads:,} leads, seed {seed}, as of {as_of.date()}")
        for outcome in ("sql", "won"):
            figures |= compare(sample, default_definition(), outcome, prefix=f"{name}_{outcome}")
    olist = olist_model()
    if olist is None:
        print(f"Olist data not found under {OLIST}: skipped")
    else:
        figures |= compare(olist, parse_definition({"hand_raisers": []}), "won", prefix="olist")
    figures["load_after"] = os.getloadavg()[0]
    print(" ".join(f"{key}={value:.4f}" for key, value in figures.items()))
    return 0


def compare(
    model: ScoringModel, base: Definition, outcome: str, *, prefix: str
) -> dict[str, float]:
    """Every AUC on the suggestion's held-out leads, printed and returned with `prefix`."""
    start = time.perf_counter()
    suggestion = suggest(model, base, outcome=outcome)  # type: ignore[arg-type]
    suggest_s = time.perf_counter() - start
    prepared = prepare(model, base, outcome=outcome)  # type: ignore[arg-type]
    train, holdout, y = prepared.split.train, prepared.split.holdout, prepared.outcomes
    inputs = gbm_inputs(model, prepared.excluded, suggestion.definition.decay_half_life_days)
    figures = {
        "n_train": float(train.size),
        "n_holdout": float(holdout.size),
        "positives_holdout": float(y[holdout].sum()),
        "auc_default": suggestion.auc_holdout_current,
        "auc_suggested": suggestion.auc_holdout_suggested,
        "auc_logistic": suggestion.auc_holdout_model,
        "rules": float(len(suggestion.rules)),
        "suggest_s": suggest_s,
    }
    for name, settings in GBM_SETTINGS.items():
        gbm = HistGradientBoostingClassifier(random_state=0, **settings)
        start = time.perf_counter()
        gbm.fit(inputs.iloc[train], y[train])
        figures[f"{name}_fit_s"] = time.perf_counter() - start
        figures[f"auc_{name}"] = roc_auc(gbm.predict_proba(inputs.iloc[holdout])[:, 1], y[holdout])
    best_gbm = max(figures["auc_gbm_default"], figures["auc_gbm_slow"])
    figures["gap_suggested_vs_gbm"] = figures["auc_suggested"] - best_gbm
    print(
        f"\n{prefix}: {int(y[holdout].sum())} of {holdout.size:,} held-out leads reached "
        f"{outcome} ({suggestion.split} split; {int(y[train].sum())} of {train.size:,} in training)"
    )
    for key in ("auc_default", "auc_suggested", "auc_logistic", "auc_gbm_default", "auc_gbm_slow"):
        print(f"  {key:<22} {figures[key]:.4f}")
    print(
        f"  gap suggested - best GBM {figures['gap_suggested_vs_gbm']:+.4f}; "
        f"suggest {suggest_s:.2f} s ({len(suggestion.rules)} rules), GBM fits "
        f"{figures['gbm_default_fit_s']:.2f} s / {figures['gbm_slow_fit_s']:.2f} s"
    )
    return {f"{prefix}_{key}": value for key, value in figures.items()}


def gbm_inputs(
    model: ScoringModel, excluded: tuple[str, ...], half_life: float | None
) -> pd.DataFrame:
    """The information the suggestion had, in the shape a tree model likes."""
    columns: dict[str, pd.Series | np.ndarray] = {}
    for attribute in candidate_attributes(model):
        if attribute in excluded:
            continue
        column = model.leads[attribute]
        numeric = pd.api.types.is_numeric_dtype(column) and not pd.api.types.is_bool_dtype(column)
        columns[attribute] = column if numeric else _categories(column)
    if "email" in model.leads and "email" not in excluded:
        columns["email_domain"] = _categories(model.leads["email"].str.rpartition("@")[2])
    for activity_type, stage in activity_keys(model):
        if activity_type not in excluded:
            source = Source(activity_type, stage, half_life, None)
            columns[f"{activity_type}.{stage}"] = model.engagement.counts(source)[1]
    return pd.DataFrame(columns).reset_index(drop=True)


def _categories(column: pd.Series, most: int = 200) -> pd.Series:
    """A category column; values beyond the `most` frequent are grouped (GBM's limit is 255)."""
    text = column.astype("string").str.strip().str.casefold()
    frequent = text.value_counts().index[:most]
    return text.where(text.isin(frequent), "(other)").astype("category")


def olist_model() -> ScoringModel | None:
    """Olist's marketing-qualified leads (attributes only) with Won from the closed deals."""
    leads_file = OLIST / "olist_marketing_qualified_leads_dataset.csv"
    deals_file = OLIST / "olist_closed_deals_dataset.csv"
    if not leads_file.is_file() or not deals_file.is_file():
        return None
    raw = pd.read_csv(leads_file)
    deals = pd.read_csv(deals_file)
    leads = pd.DataFrame(
        {
            "lead_id": np.arange(1, len(raw) + 1),
            "external_id": raw["mql_id"],
            "origin": raw["origin"],
            "landing_page_id": raw["landing_page_id"],
            "created_at": pd.to_datetime(raw["first_contact_date"], utc=True),
        }
    )
    ids = dict(zip(raw["mql_id"], leads["lead_id"], strict=True))
    facts = pd.DataFrame(
        {
            "lead_id": deals["mql_id"].map(ids),
            "won_at": pd.to_datetime(deals["won_date"], utc=True),
        }
    ).dropna(subset=["lead_id"])
    facts = (
        empty_frame(SALES_FACT_COLUMNS)
        .drop(columns=["lead_id", "won_at"])
        .reindex(facts.index)
        .join(facts)
    )
    counts = empty_frame(ACTIVITY_COUNT_COLUMNS)
    touches = empty_frame(TOUCH_COLUMNS)
    as_of = facts["won_at"].max().normalize() + pd.Timedelta(days=1)
    print(f"Olist: {len(leads):,} leads, {len(facts):,} won, as of {as_of.date()}")
    return ScoringModel(leads, counts, touches, facts.astype({"lead_id": "int64"}), as_of)


if __name__ == "__main__":
    raise SystemExit(main())
