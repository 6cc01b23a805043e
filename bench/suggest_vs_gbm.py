"""Suggested points vs logistic regression and gradient boosting, on the same held-out leads.

`python bench/suggest_vs_gbm.py [--leads N] [--seeds 0 1 2] [--only NAME...]`

For the demo data (SQL and Won), Olist, ExtraaLearn, the bank loan leads and the IBM
win/loss file (the real files under ../shared/datasets, loaded with pandas by
`bench.real_models`; skipped when absent), and each seed, it runs `suggest` (default
leakage guard on) and prints, on the suggestion's own held-out leads:
- the held-out ROC AUC of the suggested integer definition (scored by the engine) and the
  number of rules;
- a plain logistic regression and scikit-learn's HistGradientBoostingClassifier trained on
  the same training leads with the same inputs (the columns the guard kept: numbers and
  dates as numbers, other columns as categories, activity counts), and on ALL columns
  (the leakage suspects too), to show what the guard takes away;
- the time of each run. The last line is machine-readable `key=value` figures.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.linear_model import LogisticRegression
from threadpoolctl import threadpool_limits

if __package__ in (None, ""):  # run as a script: make the repository importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.real_models import (  # noqa: E402
    bank_model,
    extraalearn_model,
    ibm_model,
    olist_model,
)
from domain.calibration.quality import roc_auc  # noqa: E402
from domain.definitions.defaults import default_definition  # noqa: E402
from domain.definitions.definition import Definition, parse_definition  # noqa: E402
from domain.engine.engagement import Source  # noqa: E402
from domain.engine.scoring import ScoringModel  # noqa: E402
from domain.suggest import suggest  # noqa: E402
from domain.suggest.columns import column_kind, numbers  # noqa: E402
from domain.suggest.features import activity_keys, candidate_attributes  # noqa: E402
from domain.suggest.suggestion import prepare  # noqa: E402
from tests.demo_model import demo_model  # noqa: E402

NO_RULES = {"hand_raisers": []}
COLUMNS = ("auc_suggested", "rules", "auc_lr", "auc_gbm", "auc_lr_all", "auc_gbm_all")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--leads", type=int, default=10_000, help="Demo leads.")
    parser.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2])
    parser.add_argument("--only", nargs="*", default=None, help="Data set names to run.")
    parser.add_argument(
        "--speed",
        action="store_true",
        help="Only time suggest on 50,000 and 100,000 leads (IBM, demo with activities).",
    )
    args = parser.parse_args(argv)
    # One thread per library: on a shared, busy machine thread pools only fight each other.
    threadpool_limits(1)
    if args.speed:
        return speed()
    figures: dict[str, float] = {"load_before": os.getloadavg()[0]}
    print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print(f"{'data set':<16}{'seed':>5}{'suggested':>10}{'rules':>6}{'LR':>8}{'GBM':>8}"
          f"{'LR all':>8}{'GBM all':>8}{'gap LR':>8}{'s':>7}{'leads':>8}")  # fmt: skip
    for name, load, base, outcome in data_sets(args.leads):
        if args.only and name not in args.only:
            continue
        model = load()
        if model is None:
            print(f"{name:<16} files not found under ../shared/datasets: skipped")
            continue
        for seed in args.seeds:
            row = compare(model, base, outcome, seed=seed)
            warnings = row.pop("warnings")
            figures |= {f"{name}_s{seed}_{key}": value for key, value in row.items()}
            print(
                f"{name:<16}{seed:>5}{row['auc_suggested']:>10.4f}{row['rules']:>6.0f}"
                f"{row['auc_lr']:>8.4f}{row['auc_gbm']:>8.4f}{row['auc_lr_all']:>8.4f}"
                f"{row['auc_gbm_all']:>8.4f}{row['auc_suggested'] - row['auc_lr']:>+8.4f}"
                f"{row['suggest_s']:>7.2f}{model.n_leads:>8,}",
                flush=True,
            )
            for warning in warnings if seed == args.seeds[0] else []:
                print(f"    guard: {warning}")
    figures["load_after"] = os.getloadavg()[0]
    print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print(" ".join(f"{key}={value:.4f}" for key, value in figures.items()))
    return 0


def speed() -> int:
    """Time `suggest` on 50,000 and 100,000 leads: IBM opportunities (attributes only, drawn
    with repeats; Won) and demo leads with their activity logs (the default definition;
    SQL). Wall and CPU seconds of this process, with the load average before each run."""
    figures: dict[str, float] = {}
    loaders: list[tuple[str, Callable[[int], ScoringModel | None], Definition, str]] = [
        ("ibm", ibm_model, parse_definition(NO_RULES), "won"),
        ("demo", lambda rows: demo_model(rows, seed=7), default_definition(), "sql"),
    ]
    for name, load, base, outcome in loaders:
        for rows in (50_000, 100_000):
            model = load(rows)
            if model is None:
                print(f"{name}: files not found under ../shared/datasets: skipped")
                break
            for run in range(2):
                load_average = " ".join(f"{x:.2f}" for x in os.getloadavg())
                start, cpu = time.perf_counter(), time.process_time()
                suggestion = suggest(model, base, outcome=outcome, seed=run)  # type: ignore[arg-type]
                took, used = time.perf_counter() - start, time.process_time() - cpu
                print(f"suggest on {rows:,} {name} leads: {took:.2f} s wall, {used:.2f} s CPU "
                      f"({len(suggestion.rules)} rules; load average {load_average})",
                      flush=True)  # fmt: skip
                figures |= {f"{name}_{rows}_r{run}_wall": took, f"{name}_{rows}_r{run}_cpu": used}
            del model
    print(" ".join(f"{key}={value:.2f}" for key, value in figures.items()))
    return 0


def data_sets(
    demo_leads: int,
) -> list[tuple[str, Callable[[], ScoringModel | None], Definition, str]]:
    """(name, loader, base definition, outcome) per benchmarked data set."""
    empty = parse_definition(NO_RULES)
    demo: dict[str, ScoringModel] = {}

    def load_demo() -> ScoringModel:
        if "model" not in demo:
            demo["model"] = demo_model(demo_leads, seed=7)
        return demo["model"]

    return [
        ("demo_sql", load_demo, default_definition(), "sql"),
        ("demo_won", load_demo, default_definition(), "won"),
        ("olist", olist_model, empty, "won"),
        ("extraalearn", extraalearn_model, empty, "won"),
        ("bank_loan", bank_model, empty, "won"),
        ("ibm_win_loss", ibm_model, empty, "won"),
    ]


def compare(model: ScoringModel, base: Definition, outcome: str, *, seed: int) -> dict:
    """The suggestion and both reference models on the suggestion's held-out leads."""
    start = time.perf_counter()
    suggestion = suggest(model, base, outcome=outcome, seed=seed)  # type: ignore[arg-type]
    suggest_s = time.perf_counter() - start
    prepared = prepare(model, base, outcome=outcome, seed=seed)  # type: ignore[arg-type]
    train, holdout, y = prepared.split.train, prepared.split.holdout, prepared.outcomes
    half_life = suggestion.definition.decay_half_life_days
    row: dict = {
        "auc_suggested": suggestion.auc_holdout_suggested,
        "rules": float(len(suggestion.rules)),
        "suggest_s": suggest_s,
        "n_holdout": float(holdout.size),
        "positives_holdout": float(y[holdout].sum()),
    }
    for suffix, excluded in (("", prepared.excluded), ("_all", ())):
        frame = inputs(model, excluded, half_life)
        row[f"auc_lr{suffix}"] = _logistic_auc(frame, y, train, holdout, seed)
        gbm = HistGradientBoostingClassifier(random_state=seed)
        gbm.fit(frame.iloc[train], y[train])
        row[f"auc_gbm{suffix}"] = roc_auc(gbm.predict_proba(frame.iloc[holdout])[:, 1], y[holdout])
    row["warnings"] = [w for w in suggestion.warnings if "left out" in w]
    return row


def inputs(model: ScoringModel, excluded: tuple[str, ...], half_life: float | None) -> pd.DataFrame:
    """The information the suggestion had: numbers (dates as age in days) as numbers,
    other attributes as categories, e-mail domain, activity counts."""
    columns: dict[str, pd.Series | np.ndarray] = {}
    for attribute in candidate_attributes(model):
        if attribute in excluded:
            continue
        if column_kind(model, attribute) in ("number", "date"):
            columns[attribute] = numbers(model, attribute)
        else:
            columns[attribute] = _categories(model.leads[attribute])
    if "email" in model.leads and "email" not in excluded:
        columns["email_domain"] = _categories(model.leads["email"].str.rpartition("@")[2])
    for activity_type, stage in activity_keys(model):
        if activity_type not in excluded:
            source = Source(activity_type, stage, half_life, None)
            columns[f"{activity_type}.{stage}"] = model.engagement.counts(source)[1]
    return pd.DataFrame(columns).reset_index(drop=True)


def _logistic_auc(
    frame: pd.DataFrame, y: np.ndarray, train: np.ndarray, holdout: np.ndarray, seed: int
) -> float:
    """A plain logistic regression: numbers standardised (missing: the training median plus
    a missing flag), categories one-hot."""
    parts = []
    for name, column in frame.items():
        if isinstance(column.dtype, pd.CategoricalDtype):
            parts.append(pd.get_dummies(column, prefix=str(name), dtype=float))
            continue
        values = column.astype(float)
        middle = float(np.nanmedian(values.iloc[train])) if values.iloc[train].notna().any() else 0
        filled = values.fillna(middle)
        spread = float(filled.iloc[train].std()) or 1.0
        parts.append(((filled - filled.iloc[train].mean()) / spread).rename(str(name)))
        if values.isna().any():
            parts.append(values.isna().astype(float).rename(f"{name} missing"))
    matrix = pd.concat(parts, axis=1).to_numpy(dtype=float)
    model = LogisticRegression(max_iter=2000, random_state=seed)
    model.fit(matrix[train], y[train])
    return float(roc_auc(model.decision_function(matrix[holdout]), y[holdout]))


def _categories(column: pd.Series, most: int = 200) -> pd.Series:
    """A category column; values beyond the `most` frequent are grouped (GBM's limit is 255)."""
    text = column.astype("string").str.strip().str.casefold()
    frequent = text.value_counts().index[:most]
    return text.where(text.isin(frequent), "(other)").astype("category")


if __name__ == "__main__":
    raise SystemExit(main())
