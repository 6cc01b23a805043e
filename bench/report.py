"""The benchmark's figures: collection, peak memory, the readable table and the last line."""

from __future__ import annotations

import resource
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

AGREEMENT = 1e-6
RUNS = 7
# The targets at 1M leads / 20M events (smaller runs meet them trivially).
RESCORE_TARGET_MS = 100
DECAY_TARGET_MS = 300
PEAK_TARGET_MB = 2_500


@dataclass
class Report:
    """Every figure of the run (milliseconds unless the name says otherwise)."""

    figures: dict[str, float] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)

    def add(self, name: str, value: float) -> None:
        self.figures[name] = value

    @contextmanager
    def timer(self, name: str) -> Iterator[None]:
        start = time.perf_counter()
        yield
        self.add(name, (time.perf_counter() - start) * 1000)


def peak_mb() -> float:
    """The process's peak resident memory so far (ru_maxrss), in MB."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def reset_window_peak() -> bool:
    """Restart the kernel's peak-RSS count (Linux), so a later phase can be measured alone."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        return False
    return True


def window_peak_mb() -> float:
    """Peak resident memory since `reset_window_peak` (VmHWM), in MB; NaN if unknown."""
    try:
        status = Path("/proc/self/status").read_text()
    except OSError:
        return float("nan")
    for line in status.splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def table(f: dict[str, float]) -> list[str]:
    """The readable table: figures, ratios to ours, targets."""
    ours = f["rescore_ms"]
    rows: list[tuple[str, float, str]] = [
        ("generate synthetic raw log, leads and sales (numpy)", f["generate_ms"], ""),
        ("aggregate raw log -> activity_counts (packed-int64 sort)", f["aggregate_ms"], ""),
        ("build ScoringModel (build_ms)", f["build_ms"], ""),
        ("first score (warm-up: caches every rule's decayed counts)", f["warm_ms"],
         _cpu(f, "warm")),
        (f"re-score, threshold change (median of {RUNS})", f["threshold_ms"],
         _cpu(f, "threshold")),
        (f"re-score, engagement weight change (median of {RUNS})", f["weight_ms"],
         _cpu(f, "weight")),
        ("re-score, weight/threshold together (rescore_ms)", ours,
         _cpu(f, "rescore") + _target(ours, RESCORE_TARGET_MS)),
        (f"re-score, fit weight change (median of {RUNS})", f["fit_ms"], _cpu(f, "fit")),
        (f"re-score, new decay half-life (decay_ms, median of {f['decay_runs']:.0f})",
         f["decay_ms"], _cpu(f, "decay") + _target(f["decay_ms"], DECAY_TARGET_MS)),
        ("re-score, new decay half-life, the slowest (decay_worst_ms)", f["decay_worst_ms"],
         _target(f["decay_worst_ms"], DECAY_TARGET_MS)),
        (f"floor: np.sum of the {f['floor_arrays']:.0f} per-row float32 count arrays "
         f"({f['floor_mb']:.0f} MB)", f["floor_ms"], f"ours/floor {ours / f['floor_ms']:.1f}x"),
        ("floor, one rule: np.sum of its per-row array (most non-zeros)", f["floor_one_ms"],
         f"ours/floor {ours / f['floor_one_ms']:.0f}x"),
        ("DuckDB: copy the frames into tables (once)", f["duckdb_load_ms"], ""),
        (f"DuckDB: score query (median of {RUNS} weight/threshold changes)", f["duckdb_ms"],
         f"duckdb/ours {f['duckdb_ms'] / ours:.1f}x" + _faster(f["duckdb_ms"], ours)),
        (f"naive Python, {f['naive_sample']:,.0f}-lead sample (measured)", f["naive_sample_ms"],
         ""),
        ("naive Python, extrapolated linearly to all leads", f["naive_ms"],
         f"naive/ours {f['naive_ms'] / ours:,.0f}x"),
    ]  # fmt: skip
    lines = [f"  {'step':<76}{'ms':>10}  (cpu ms, all threads) ratio / target"]
    lines += [f"  {name:<76}{value:>10.1f}  {extra}" for name, value, extra in rows]
    lines.append(
        f"  agreement: naive max |diff| {f['naive_diff']:.1e} on the sample, DuckDB max |diff| "
        f"{f['duckdb_diff']:.1e} on all leads (limit {AGREEMENT:g})"
    )
    lines.append(
        f"  peak memory: {f['peak_mb']:,.0f} MB for the process; {f['data_peak_mb']:,.0f} MB "
        f"generating the data; {f['engine_peak_mb']:,.0f} MB building and re-scoring "
        f"(data frames included); target <= {PEAK_TARGET_MB:,} MB: "
        f"{'met' if f['peak_mb'] <= PEAK_TARGET_MB else 'MISSED'}"
    )
    lines.append(
        f"  1-minute load average {f['load_before']:.2f} before, {f['load_after']:.2f} after "
        f"(2 cores: other processes inflate wall-clock figures much more than cpu ones)"
    )
    return lines


def last_line(f: dict[str, float]) -> str:
    return (
        f"rescore_ms={f['rescore_ms']:.1f} decay_ms={f['decay_ms']:.1f} "
        f"decay_worst_ms={f['decay_worst_ms']:.1f} "
        f"build_ms={f['build_ms']:.1f} duckdb_ms={f['duckdb_ms']:.1f} "
        f"naive_ms={f['naive_ms']:.1f} floor_ms={f['floor_ms']:.1f} peak_mb={f['peak_mb']:.1f}"
    )


def _cpu(f: dict[str, float], name: str) -> str:
    return f"(cpu {f[name + '_cpu_ms']:.0f}) "


def _target(value: float, limit: float) -> str:
    return f"target <= {limit:.0f} ms: {'met' if value <= limit else 'MISSED'}"


def _faster(duck_ms: float, ours_ms: float) -> str:
    return "" if ours_ms < duck_ms else " (target: faster than DuckDB MISSED)"
