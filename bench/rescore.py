"""Re-scoring benchmark: `python bench/rescore.py --leads N --events M [--seed S]`.

On one synthetic data set (bench/synthetic.py) it times building the ScoringModel, then
re-scoring (`model.score(...)` + `stage_counts()`) after threshold, engagement-weight,
fit-weight and decay changes, and compares with a per-lead Python scorer (bench/naive.py,
on a sample, extrapolated) and one DuckDB query (bench/duck.py), checking that all three
give the same current scores; the floor is one numpy read of the per-row decayed counts.
Exits 1 if they disagree. The last line is machine-readable:
rescore_ms=<x> decay_ms=<x> build_ms=<x> duckdb_ms=<x> naive_ms=<x> floor_ms=<x> peak_mb=<x>
"""

from __future__ import annotations

import argparse
import gc
import resource
import statistics
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

if __package__ in (None, ""):  # run as a script: make the repository importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench import naive, synthetic  # noqa: E402
from bench.duck import DuckScorer  # noqa: E402
from domain.defaults import default_definition  # noqa: E402
from domain.definition import Definition, parse_definition  # noqa: E402
from domain.frames import SALES_FACT_COLUMNS, TOUCH_COLUMNS, empty_frame  # noqa: E402
from domain.scoring import ScoreResult, ScoringModel  # noqa: E402

AGREEMENT = 1e-6
RUNS = 7
HALF_LIVES = (30.5, 52.25, 75.125)


@dataclass
class Report:
    """Every figure of the run, in milliseconds unless said otherwise."""

    figures: dict[str, float] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)

    def add(self, name: str, value: float) -> None:
        self.figures[name] = value


@dataclass(frozen=True, eq=False)
class Data:
    leads: pd.DataFrame
    counts: pd.DataFrame
    events: int


def main(argv: list[str] | None = None) -> int:
    args = _arguments(argv)
    report = Report()
    data = _generate(args, report)
    model = _build(data, report)
    base = default_definition()
    final = _time_ours(model, base, report)
    _time_floor(model, final, report)
    _compare_naive(model, data, (base, final), args, report)
    _compare_duckdb(model, data, (base, final), report)
    report.add("peak_mb", resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
    _print(report, model, data)
    return 1 if report.failures else 0


def _arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--leads", type=int, default=1_000_000)
    parser.add_argument("--events", type=int, default=20_000_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--sample", type=int, default=20_000, help="leads the naive scorer runs")
    return parser.parse_args(argv)


def _generate(args: argparse.Namespace, report: Report) -> Data:
    rng = np.random.default_rng(args.seed)
    with _timer(report, "generate_ms"):
        log = synthetic.make_log(rng, args.leads, args.events)
        leads = synthetic.make_leads(rng, args.leads, synthetic.first_seen(log, args.leads))
    lead_ids = leads["lead_id"].to_numpy()
    with _timer(report, "aggregate_ms"):
        counts = synthetic.aggregate_log(log, lead_ids, synthetic.AS_OF)
    checked = min(args.leads, 2_000)
    if not synthetic.check_aggregation(log, lead_ids, counts, synthetic.AS_OF, checked):
        report.failures.append("fast aggregation differs from domain.aggregate")
    report.notes.append(
        f"aggregation: packed-int64 np.sort of the raw log; equal to "
        f"domain.aggregate.aggregate_activities on the first {checked:,} leads' events"
    )
    return Data(leads=leads, counts=counts, events=log.size)


def _build(data: Data, report: Report) -> ScoringModel:
    touches, facts = empty_frame(TOUCH_COLUMNS), empty_frame(SALES_FACT_COLUMNS)
    gc.collect()
    with _timer(report, "build_ms"):
        model = ScoringModel(data.leads, data.counts, touches, facts, synthetic.AS_OF)
    return model


def _rescore(model: ScoringModel, definition: Definition) -> float:
    gc.collect()
    start = time.perf_counter()
    model.score(definition).stage_counts()
    return (time.perf_counter() - start) * 1000


def _time_ours(model: ScoringModel, base: Definition, report: Report) -> Definition:
    """Time a meeting's slider moves, each applied to the previous definition."""
    report.add("warm_ms", _rescore(model, base))
    threshold, weight, fit = [], [], []
    current = base
    for run in range(RUNS):
        current = current.replace(mql_threshold=base.mql_threshold + (run - 3.5) * 1.5)
        threshold.append(_rescore(model, current))
        current = _with_points(current, "engagement_rules", run, 1.25 + run / 8)
        weight.append(_rescore(model, current))
    for run in range(RUNS):
        current = _with_points(current, "fit_rules", run, 0.75 + run / 8)
        fit.append(_rescore(model, current))
    decay = []
    for half_life in HALF_LIVES:
        current = current.replace(decay_half_life_days=half_life)
        decay.append(_rescore(model, current))
    report.add("threshold_ms", statistics.median(threshold))
    report.add("weight_ms", statistics.median(weight))
    report.add("rescore_ms", statistics.median(threshold + weight))
    report.add("fit_ms", statistics.median(fit))
    report.add("decay_ms", statistics.median(decay))
    return current


def _with_points(definition: Definition, kind: str, run: int, factor: float) -> Definition:
    """A new definition (parsed from a dict) with one rule's points scaled by `factor`."""
    data = definition.model_dump(mode="json")
    rule = data[kind][run % len(data[kind])]
    rule["points"] = rule["points"] * factor
    return parse_definition(data)


def _time_floor(model: ScoringModel, definition: Definition, report: Report) -> None:
    arrays = [model.engagement.counts(term.source)[0] for term in model.terms(definition)]
    gc.collect()
    with _timer(report, "floor_ms"):
        for values in arrays:
            np.sum(values)
    report.add("floor_mb", sum(a.nbytes for a in arrays) / 2**20)
    report.add("floor_arrays", len(arrays))


def _compare_naive(
    model: ScoringModel,
    data: Data,
    definitions: tuple[Definition, ...],
    args: argparse.Namespace,
    report: Report,
) -> None:
    size = min(args.sample, model.n_leads)
    positions = np.sort(np.random.default_rng(args.seed + 1).choice(model.n_leads, size, False))
    records = naive.prepare(data.leads, data.counts, model.lead_ids[positions])
    order = pd.Index(model.lead_ids).get_indexer([r.lead_id for r in records])
    worst = 0.0
    for definition in definitions:
        ours = model.score(definition).total[order]
        start = time.perf_counter()
        theirs = np.array(naive.score_leads(records, definition, model.as_of.value))
        elapsed = (time.perf_counter() - start) * 1000
        worst = max(worst, float(np.max(np.abs(ours - theirs), initial=0.0)))
    report.add("naive_sample_ms", elapsed)
    report.add("naive_ms", elapsed * model.n_leads / max(size, 1))
    report.add("naive_sample", size)
    report.add("naive_diff", worst)
    if not worst < AGREEMENT:
        report.failures.append(f"naive and ours differ by {worst:.3g} on the sample")


def _compare_duckdb(
    model: ScoringModel, data: Data, definitions: tuple[Definition, ...], report: Report
) -> None:
    with _timer(report, "duckdb_load_ms"):
        duck = DuckScorer(data.leads, data.counts, model.as_of)
    worst = 0.0
    for definition in definitions:
        worst = max(worst, _duck_difference(model, duck.scores(definition), definition))
    times = []
    current = definitions[0]
    for run in range(RUNS):
        current = current.replace(mql_threshold=current.mql_threshold + 0.5)
        current = _with_points(current, "engagement_rules", run, 1.1)
        gc.collect()
        start = time.perf_counter()
        duck.scores(current)
        times.append((time.perf_counter() - start) * 1000)
    duck.close()
    report.add("duckdb_ms", statistics.median(times))
    report.add("duckdb_diff", worst)
    if not worst < AGREEMENT:
        report.failures.append(f"DuckDB and ours differ by {worst:.3g}")


def _duck_difference(
    model: ScoringModel, rows: dict[str, np.ndarray], definition: Definition
) -> float:
    ours = model.score(definition)
    position = pd.Index(model.lead_ids).get_indexer(rows["lead_id"])
    if position.size != model.n_leads or (position < 0).any():
        return float("inf")
    return float(np.max(np.abs(ours.total[position] - rows["total"]), initial=0.0))


def _print(report: Report, model: ScoringModel, data: Data) -> None:
    f = report.figures
    result = model.score(default_definition())
    print(f"Baton re-score benchmark: {model.n_leads:,} leads, {data.events:,} events")
    print(f"  activity_counts rows {len(data.counts):,}; evaluation rows "
          f"{model.history.n_rows:,}; as of {model.as_of}")  # fmt: skip
    print(f"  default definition stages: {_stages(result)}")
    for line in _table(f):
        print(line)
    for note in report.notes:
        print(f"  note: {note}")
    for failure in report.failures:
        print(f"  DISAGREEMENT: {failure}")
    print(
        f"rescore_ms={f['rescore_ms']:.1f} decay_ms={f['decay_ms']:.1f} "
        f"build_ms={f['build_ms']:.1f} duckdb_ms={f['duckdb_ms']:.1f} "
        f"naive_ms={f['naive_ms']:.1f} floor_ms={f['floor_ms']:.1f} peak_mb={f['peak_mb']:.1f}"
    )


def _table(f: dict[str, float]) -> list[str]:
    ours = f["rescore_ms"]
    rows: list[tuple[str, float, str]] = [
        ("generate synthetic raw log + leads", f["generate_ms"], ""),
        ("aggregate raw log -> activity_counts", f["aggregate_ms"], ""),
        ("build ScoringModel (build_ms)", f["build_ms"], ""),
        ("first score (warm-up)", f["warm_ms"], ""),
        (f"re-score, threshold change (median of {RUNS})", f["threshold_ms"], ""),
        (f"re-score, engagement weight change (median of {RUNS})", f["weight_ms"], ""),
        ("re-score, weight/threshold (rescore_ms)", ours, _target(ours, 100)),
        (f"re-score, fit weight change (median of {RUNS})", f["fit_ms"], ""),
        ("re-score, new decay half-life (decay_ms, median of 3)", f["decay_ms"],
         _target(f["decay_ms"], 1000)),
        (f"floor: numpy sum of {f['floor_arrays']:.0f} per-row float32 count arrays "
         f"({f['floor_mb']:.0f} MB)", f["floor_ms"], f"ours/floor {ours / f['floor_ms']:.1f}x"),
        ("DuckDB: copy frames into tables (once)", f["duckdb_load_ms"], ""),
        (f"DuckDB: score query (median of {RUNS} weight/threshold changes)", f["duckdb_ms"],
         f"duckdb/ours {f['duckdb_ms'] / ours:.1f}x" + _faster(f["duckdb_ms"], ours)),
        (f"naive Python, {f['naive_sample']:,.0f}-lead sample (measured)", f["naive_sample_ms"],
         ""),
        ("naive Python, extrapolated linearly to all leads", f["naive_ms"],
         f"naive/ours {f['naive_ms'] / ours:,.0f}x"),
    ]  # fmt: skip
    lines = [f"  {'step':<72}{'ms':>11}  ratio / target"]
    lines += [f"  {name:<72}{value:>11.1f}  {extra}" for name, value, extra in rows]
    lines.append(
        f"  agreement: naive max |diff| {f['naive_diff']:.2e}, DuckDB max |diff| "
        f"{f['duckdb_diff']:.2e} (limit {AGREEMENT:g}); peak memory {f['peak_mb']:,.0f} MB"
    )
    return lines


def _target(value: float, limit: float) -> str:
    return f"target < {limit:.0f} ms: {'met' if value < limit else 'MISSED'}"


def _faster(duck_ms: float, ours_ms: float) -> str:
    return "" if ours_ms < duck_ms else " (target: faster than DuckDB MISSED)"


def _stages(result: ScoreResult) -> str:
    return ", ".join(f"{name} {count:,}" for name, count in result.stage_counts().items())


@contextmanager
def _timer(report: Report, name: str) -> Iterator[None]:
    start = time.perf_counter()
    yield
    report.add(name, (time.perf_counter() - start) * 1000)


if __name__ == "__main__":
    sys.exit(main())
