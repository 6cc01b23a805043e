"""Re-scoring benchmark: `python bench/rescore.py --leads N --events M [--seed S]`.

On one synthetic data set (bench/synthetic.py) it times building the ScoringModel, then
re-scoring (`model.score(...)` + `stage_counts()`) after threshold, engagement-weight,
fit-weight and decay changes, and computes the same current scores with a per-lead Python
scorer (bench/naive.py, on a sample, extrapolated) and one DuckDB query (bench/duck.py),
checking that all three agree; the floor is one numpy read of the per-row decayed counts.
Exits 1 if they disagree. Timings stay out of the test suite.

Peak memory is the process's. It is measured as a server runs: the activity_counts frame
(the database's GROUP BY) is alive while the model is built from it and dropped once it is
built; the checks read it from a file afterwards, once the model is released. The
last line is machine-readable:
rescore_ms=<x> decay_ms=<x> decay_worst_ms=<x> build_ms=<x> duckdb_ms=<x> naive_ms=<x>
floor_ms=<x> peak_mb=<x> (one line)
"""

from __future__ import annotations

import argparse
import gc
import os
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

if __package__ in (None, ""):  # run as a script: make the repository importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench import naive, report, synthetic  # noqa: E402
from bench.duck import DuckScorer  # noqa: E402
from bench.report import AGREEMENT, RUNS, Report  # noqa: E402
from domain.definitions.defaults import default_definition  # noqa: E402
from domain.definitions.definition import Definition, parse_definition  # noqa: E402
from domain.engine.scoring import ScoreResult, ScoringModel  # noqa: E402

# A meeting's decay slider, 7 days to half a year; none of them seen before by the model.
HALF_LIVES = (30.5, 52.25, 75.125, 7.5, 14.25, 120.5, 180.75)


@dataclass(frozen=True, eq=False)
class Data:
    leads: pd.DataFrame
    touches: pd.DataFrame
    facts: pd.DataFrame
    events: int
    counts_file: Path  # the activity_counts frame, for the checks once the model is gone
    counts_rows: int


@dataclass(frozen=True, eq=False)
class Ours:
    """What the checks and the summary need from the model, kept once it is released."""

    lead_ids: np.ndarray
    as_of: pd.Timestamp
    totals: tuple[np.ndarray, ...]  # current total score per lead, per checked definition
    n_rows: int
    stages: str


def main(argv: list[str] | None = None) -> int:
    args = _arguments(argv)
    figures = Report()
    figures.add("load_before", os.getloadavg()[0])
    with tempfile.TemporaryDirectory(prefix="rescore-") as folder:
        data, counts = _generate(args, figures, Path(folder))
        figures.add("data_peak_mb", report.peak_mb())
        gc.collect()
        measured = report.reset_window_peak()
        model = _build(data, counts, figures)
        del counts  # a server drops the GROUP BY frame once the model is built
        base = default_definition()
        final = _time_ours(model, base, figures)
        _time_floor(model, final, figures)
        figures.add("engine_peak_mb", report.window_peak_mb() if measured else float("nan"))
        definitions = (base, final)
        ours = _ours(model, definitions)
        del model
        gc.collect()
        _compare_naive(ours, data, definitions, args, figures)
        _compare_duckdb(ours, data, definitions, figures)
    # Resetting the window's peak (clear_refs) resets the process's too: take the larger.
    figures.add("peak_mb", max(report.peak_mb(), figures.figures["data_peak_mb"]))
    figures.add("load_after", os.getloadavg()[0])
    _print(figures, ours, data)
    return 1 if figures.failures else 0


def _arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--leads", type=int, default=1_000_000)
    parser.add_argument("--events", type=int, default=20_000_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--sample", type=int, default=20_000, help="leads the naive scorer runs")
    return parser.parse_args(argv)


def _generate(args: argparse.Namespace, figures: Report, folder: Path) -> tuple[Data, pd.DataFrame]:
    rng = np.random.default_rng(args.seed)
    with figures.timer("generate_ms"):
        log = synthetic.make_log(rng, args.leads, args.events)
        first_seen = synthetic.first_seen(log, args.leads)
        leads = synthetic.make_leads(rng, args.leads, first_seen)
        lead_ids = leads["lead_id"].to_numpy()
        touches, facts = synthetic.make_sales(rng, lead_ids, first_seen)
    with figures.timer("aggregate_ms"):
        counts = synthetic.aggregate_log(log, lead_ids, synthetic.AS_OF)
    checked = min(args.leads, 2_000)
    if not synthetic.check_aggregation(log, lead_ids, counts, synthetic.AS_OF, checked):
        figures.failures.append("the fast aggregation differs from domain.engine.aggregate")
    figures.notes.append(
        "the raw log is aggregated by np.sorts of packed int64 (lead|type+stage|day|second), "
        "a range of leads at a time; "
        f"equal to domain.engine.aggregate.aggregate_activities on the first {checked:,} leads' "
        "events"
    )
    events = log.size
    del log  # the raw log stays in the database: the app never loads it
    counts_file = folder / "activity_counts.parquet"
    counts.to_parquet(counts_file)
    data = Data(leads, touches, facts, events, counts_file, len(counts))
    return data, counts


def _build(data: Data, counts: pd.DataFrame, figures: Report) -> ScoringModel:
    with figures.timer("build_ms"):
        return ScoringModel(data.leads, counts, data.touches, data.facts, synthetic.AS_OF)


def _ours(model: ScoringModel, definitions: tuple[Definition, ...]) -> Ours:
    return Ours(
        lead_ids=model.lead_ids,
        as_of=model.as_of,
        totals=tuple(model.score(d).total for d in definitions),
        n_rows=model.history.n_rows,
        stages=_stages(model.score(default_definition())),
    )


def _rescore(model: ScoringModel, definition: Definition, cpu: list[float]) -> float:
    """Wall-clock ms of one re-score; its CPU ms (all threads) is appended to `cpu`."""
    gc.collect()
    start, start_cpu = time.perf_counter(), time.process_time()
    model.score(definition).stage_counts()
    cpu.append((time.process_time() - start_cpu) * 1000)
    return (time.perf_counter() - start) * 1000


def _time_ours(model: ScoringModel, base: Definition, figures: Report) -> Definition:
    """Time a meeting's slider moves, each applied to the previous definition."""
    cpu: dict[str, list[float]] = {
        "warm": [],
        "threshold": [],
        "weight": [],
        "fit": [],
        "decay": [],
    }
    figures.add("warm_ms", _rescore(model, base, cpu["warm"]))
    threshold, weight, fit, decay = [], [], [], []
    current = base
    for run in range(RUNS):
        current = current.replace(mql_threshold=base.mql_threshold + (run - 3.5) * 1.5)
        threshold.append(_rescore(model, current, cpu["threshold"]))
        current = _with_points(current, "engagement_rules", run, 1.25 + run / 8)
        weight.append(_rescore(model, current, cpu["weight"]))
    for run in range(RUNS):
        current = _with_points(current, "fit_rules", run, 0.75 + run / 8)
        fit.append(_rescore(model, current, cpu["fit"]))
    for half_life in HALF_LIVES:
        current = current.replace(decay_half_life_days=half_life)
        decay.append(_rescore(model, current, cpu["decay"]))
    figures.add("threshold_ms", statistics.median(threshold))
    figures.add("weight_ms", statistics.median(weight))
    figures.add("rescore_ms", statistics.median(threshold + weight))
    figures.add("fit_ms", statistics.median(fit))
    figures.add("decay_ms", statistics.median(decay))
    figures.add("decay_worst_ms", max(decay))
    figures.add("decay_runs", len(decay))
    each = ", ".join(
        f"{h:g} d: {ms:.0f} ms ({cpu_ms:.0f} cpu)"
        for h, ms, cpu_ms in zip(HALF_LIVES, decay, cpu["decay"], strict=True)
    )
    figures.notes.append(f"each decay change, in order: {each}")
    cpu["rescore"] = cpu["threshold"] + cpu["weight"]
    for name, values in cpu.items():
        figures.add(f"{name}_cpu_ms", statistics.median(values))
    return current


def _with_points(definition: Definition, kind: str, run: int, factor: float) -> Definition:
    """A new definition (parsed from a dict) with one rule's points scaled by `factor`."""
    data = definition.model_dump(mode="json")
    rule = data[kind][run % len(data[kind])]
    rule["points"] = rule["points"] * factor
    return parse_definition(data)


def _time_floor(model: ScoringModel, definition: Definition, figures: Report) -> None:
    """One read of what a re-score reads: each rule's per-row float32 decayed counts."""
    arrays = [model.engagement.counts(term.source)[0] for term in model.terms(definition)]
    gc.collect()
    with figures.timer("floor_ms"):
        for values in arrays:
            np.sum(values)
    widest = max(arrays, key=np.count_nonzero)
    with figures.timer("floor_one_ms"):  # what a one-rule weight change reads
        np.sum(widest)
    figures.add("floor_mb", sum(a.nbytes for a in arrays) / 2**20)
    figures.add("floor_arrays", len(arrays))


def _compare_naive(
    ours: Ours,
    data: Data,
    definitions: tuple[Definition, ...],
    args: argparse.Namespace,
    figures: Report,
) -> None:
    n_leads = ours.lead_ids.size
    size = min(args.sample, n_leads)
    chosen = np.random.default_rng(args.seed + 1).choice(n_leads, size, replace=False)
    sample = ours.lead_ids[np.sort(chosen)]
    counts = pd.read_parquet(data.counts_file, filters=[("lead_id", "in", sample.tolist())])
    records = naive.prepare(data.leads, counts, sample)
    order = pd.Index(ours.lead_ids).get_indexer([r.lead_id for r in records])
    worst, elapsed = 0.0, 0.0
    for definition, total in zip(definitions, ours.totals, strict=True):
        start = time.perf_counter()
        theirs = np.array(naive.score_leads(records, definition, ours.as_of.value))
        elapsed = (time.perf_counter() - start) * 1000
        worst = max(worst, float(np.max(np.abs(total[order] - theirs), initial=0.0)))
    figures.add("naive_sample_ms", elapsed)
    figures.add("naive_ms", elapsed * n_leads / max(size, 1))
    figures.add("naive_sample", size)
    figures.add("naive_diff", worst)
    if not worst < AGREEMENT:
        figures.failures.append(f"the naive scorer and ours differ by {worst:.3g} on the sample")


def _compare_duckdb(
    ours: Ours, data: Data, definitions: tuple[Definition, ...], figures: Report
) -> None:
    with figures.timer("duckdb_load_ms"):
        duck = DuckScorer(data.leads, data.counts_file, ours.as_of)
    worst = max(
        _duck_difference(ours, duck.scores(d), total)
        for d, total in zip(definitions, ours.totals, strict=True)
    )
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
    figures.add("duckdb_ms", statistics.median(times))
    figures.add("duckdb_diff", worst)
    if not worst < AGREEMENT:
        figures.failures.append(f"DuckDB and ours differ by {worst:.3g}")


def _duck_difference(ours: Ours, rows: dict[str, np.ndarray], total: np.ndarray) -> float:
    position = pd.Index(ours.lead_ids).get_indexer(rows["lead_id"])
    if position.size != ours.lead_ids.size or (position < 0).any():
        return float("inf")
    return float(np.max(np.abs(total[position] - rows["total"]), initial=0.0))


def _print(figures: Report, ours: Ours, data: Data) -> None:
    print(f"Baton re-score benchmark: {ours.lead_ids.size:,} leads, {data.events:,} events")
    print(
        f"  activity_counts rows {data.counts_rows:,}; evaluation rows {ours.n_rows:,}; "
        f"touches {len(data.touches):,}; sales facts {len(data.facts):,}; as of {ours.as_of}"
    )
    print(f"  default definition, leads reaching each stage: {ours.stages}")
    for line in report.table(figures.figures):
        print(line)
    notes = [
        *figures.notes,
        "ours re-scores everything (current scores, MQL moments over each lead's history, "
        "stages); the naive scorer and DuckDB compute current scores only",
    ]
    for note in notes:
        print(f"  note: {note}")
    for failure in figures.failures:
        print(f"  DISAGREEMENT: {failure}")
    print(report.last_line(figures.figures))


def _stages(result: ScoreResult) -> str:
    return ", ".join(f"{name} {count:,}" for name, count in result.stage_counts().items())


if __name__ == "__main__":
    sys.exit(main())
