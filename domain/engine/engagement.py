"""Engagement rules evaluated on the pre-aggregated history, with caches per data version.

Decayed counts depend only on (activity keys, half-life, window), not on points, caps or
the threshold; they are cached so that a weight or threshold change is a few vector ops.
A count rule ("at least 3 ...") is a step on the undecayed windowed count of its source.
The running score at every evaluation row is kept and updated incrementally when a few
rules change, which is what a slider in a meeting does. Arrays over evaluation rows are
combined block by block (each block stays in the CPU cache) on two threads: numpy releases
the GIL inside each operation, and every element sees the same operations in the same order
as a whole-array version would, so results do not depend on the blocking.
"""

from __future__ import annotations

import sys
from collections import Counter, OrderedDict
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np

from domain.definitions.definition import EngagementRule
from domain.engine.arrays import release_free_memory
from domain.engine.history import ActivityHistory

_CACHE_SIZE = 64
# Decayed counts of sources the current definition does not use are kept (a slider moved
# back finds them) only while all cached counts stay under this many bytes: at 1M leads
# one source is ~30 MB, and each decay half-life tried would otherwise add a full set.
_CACHE_BYTES = 256 * 2**20
# Above this many changed rules a full recomputation is as cheap as patching.
_MAX_PATCHED_RULES = 4
# Patching adds and subtracts floats; recompute now and then so rounding cannot drift.
_MAX_PATCHES = 50
_THREADS = 2
_BLOCK = 1 << 16


@dataclass(frozen=True)
class Source:
    """What a rule counts: which activity keys, how they decay and for how long they count."""

    activity_type: str
    content_stage: str | None
    half_life: float | None
    window_days: int | None

    @classmethod
    def of(cls, rule: EngagementRule, half_life: float | None) -> Source:
        # A count rule compares whole occurrences with its minimum: never decayed.
        decay = None if rule.is_count else half_life
        return cls(rule.activity_type, rule.content_stage, decay, rule.window_days)


@dataclass(frozen=True)
class Term:
    """One rule's contribution: clip(points * decayed count, -cap, cap), or for a count rule
    a step: points where the (undecayed, windowed) count reaches `min_count`, else 0."""

    source: Source
    points: float
    cap: float | None
    min_count: int | None = None

    @classmethod
    def of(cls, rule: EngagementRule, half_life: float | None) -> Term:
        return cls(Source.of(rule, half_life), rule.points, rule.cap, rule.min_count)

    def apply(self, counts: np.ndarray) -> np.ndarray:
        if self.min_count is not None:
            # Undecayed counts are whole numbers (exact in float32 up to 2**24); half a
            # count of slack keeps the step where the integer comparison puts it.
            reached = counts >= self.min_count - 0.5
            return np.multiply(reached, self.points, dtype=np.float64)
        # Same values as `points * counts.astype(float64)`, without the float64 copy.
        values = np.multiply(counts, self.points, dtype=np.float64)
        if self.cap is not None:
            np.clip(values, -self.cap, self.cap, out=values)
        return values


class EngagementCache:
    """Decayed counts per source, and the running engagement score per evaluation row."""

    def __init__(self, history: ActivityHistory) -> None:
        self.history = history
        self._counts: OrderedDict[Source, tuple[np.ndarray, np.ndarray]] = OrderedDict()
        self._now: tuple[tuple[Term, ...], np.ndarray] | None = None
        self._terms: Counter[Term] = Counter()
        self._rows: np.ndarray = np.zeros(history.n_rows)
        self._patches = 0
        self._in_use: frozenset[Source] = frozenset()  # never evicted: the current rules'

    def counts(self, source: Source) -> tuple[np.ndarray, np.ndarray]:
        """(decayed count per row as float32, decayed count per lead as of now as float64)."""
        cached = self._counts.get(source)
        if cached is not None:
            self._counts.move_to_end(source)
            return cached
        spare = self._make_room([source])
        return self._store(source, self._compute(source, spare.get(source)))

    def prefetch(self, sources: Iterable[Source]) -> None:
        """Compute the sources not cached yet, two at a time."""
        missing = list(dict.fromkeys(s for s in sources if s not in self._counts))
        if len(missing) < 2:
            return
        # Longest first, so that the two threads finish together (at 1M leads page_view
        # and email_open take half of a decay change's work).
        missing.sort(key=self._cost, reverse=True)
        spare = self._make_room(missing)
        buffers = [spare.get(source) for source in missing]
        for half_life in {source.half_life for source in missing}:
            self.history.prepare_decay(half_life)
        with ThreadPoolExecutor(_THREADS) as pool:
            computed = pool.map(self._compute, missing, buffers)
            for source, entry in zip(missing, computed, strict=True):
                self._store(source, entry)
        release_free_memory()

    def now(self, terms: list[Term]) -> np.ndarray:
        """Engagement score per lead at the as-of moment (exact, float64).

        Every term is added again on each change, in one compiled pass per block: that
        reads each rule's per-lead counts once, as adding cached per-rule points would,
        without a new array per changed rule (a decay change at 1M leads made 13 of 8 MB,
        each paid for in page faults).
        """
        key = tuple(terms)
        if self._now is None or self._now[0] != key:
            self._in_use = frozenset(term.source for term in terms)
            self.prefetch(term.source for term in terms)
            parts = [(self.counts(term.source)[1], term, 1) for term in terms]
            total = np.zeros(self.history.n_leads)
            _blockwise(total.size, lambda lo, hi: _patch(total[lo:hi], parts, lo, hi))
            self._now = (key, total)
        return self._now[1].copy()

    def rows(self, terms: list[Term]) -> np.ndarray:
        """Engagement score at every evaluation row, patched from the previous call."""
        wanted = Counter(terms)
        removed, added = self._terms - wanted, wanted - self._terms
        changed = sum(removed.values()) + sum(added.values())
        rebuild = changed > _MAX_PATCHED_RULES or self._patches >= _MAX_PATCHES
        if rebuild:
            removed, added = Counter(), wanted
            self._patches = 0
        steps = [(term, -times) for term, times in removed.items()]
        steps += [(term, times) for term, times in added.items()]
        self._in_use = frozenset(term.source for term in [*wanted, *removed])
        self.prefetch(term.source for term, _ in steps)
        patches = [(self.counts(term.source)[0], term, times) for term, times in steps]
        rows = self._rows  # reused in place: a fresh 40 MB array (1M leads) costs page faults

        def patch_block(lo: int, hi: int) -> None:
            if rebuild:  # zeroed block by block, while the block is in the CPU cache
                rows[lo:hi] = 0.0
            _patch(rows[lo:hi], patches, lo, hi)

        if patches or rebuild:
            _blockwise(rows.size, patch_block)
        self._patches += 1 if changed else 0
        self._terms = wanted
        return self._rows

    def _compute(
        self, source: Source, out: tuple[np.ndarray, np.ndarray] | None = None
    ) -> tuple[np.ndarray, np.ndarray]:
        keys = self.history.key_mask({source.activity_type}, source.content_stage)
        return self.history.row_counts(keys, source.half_life, source.window_days, out)

    def _cost(self, source: Source) -> float:
        """Roughly how long computing a source takes: its entries (a window adds ~half)."""
        keys = self.history.key_mask({source.activity_type}, source.content_stage)
        return self.history.entry_count(keys) * (1.0 if source.window_days is None else 1.5)

    def _make_room(self, coming: list[Source]) -> dict[Source, tuple[np.ndarray, np.ndarray]]:
        """Drop unused cached counts (least recently used first) that would not fit beside
        the `coming` ones, before computing those: dropped only once the new ones were
        stored, a decay change kept the previous half-life's counts (~0.3 GB at 1M leads)
        resident while it computed the next.

        A dropped entry of the same activity keys as a coming source is handed back as
        that source's output buffer (when nothing else holds it): both are zero on the
        same rows, and overwriting it spares the page faults of fresh arrays (at 1M
        leads ~40 ms CPU for a decay change's 13 rules).
        """
        history = self.history
        per_source = history.n_rows * np.dtype(np.float32).itemsize + history.n_leads * 8
        size = sum(a.nbytes + b.nbytes for a, b in self._counts.values())
        wanting = {_keys_of(source): source for source in reversed(coming)}
        spare: dict[Source, tuple[np.ndarray, np.ndarray]] = {}
        for old in list(self._counts):
            if size + len(coming) * per_source <= _CACHE_BYTES:
                break
            if old in self._in_use:
                continue
            entry = self._counts.pop(old)
            size -= entry[0].nbytes + entry[1].nbytes
            taker = wanting.get(_keys_of(old))
            if taker is not None and _unshared(entry):
                spare[wanting.pop(_keys_of(old))] = entry
            del entry
        return spare

    def _store(
        self, source: Source, entry: tuple[np.ndarray, np.ndarray]
    ) -> tuple[np.ndarray, np.ndarray]:
        self._counts[source] = entry
        size = sum(a.nbytes + b.nbytes for a, b in self._counts.values())
        for old in list(self._counts):  # least recently used first
            if len(self._counts) <= _CACHE_SIZE and size <= _CACHE_BYTES:
                break
            if old not in self._in_use and old != source:
                size -= sum(array.nbytes for array in self._counts.pop(old))
        return entry


def _keys_of(source: Source) -> tuple[str, str | None]:
    """What decides a source's covered rows (its activity keys)."""
    return source.activity_type, source.content_stage


def _unshared(entry: tuple[np.ndarray, np.ndarray]) -> bool:
    """Whether only the caller's variable holds `entry`, and only `entry` its arrays (a
    caller of `counts` may still hold a dropped array: it must not change under it)."""
    rows, leads = entry
    # CPython: the caller's variable, `entry` and getrefcount's argument; for the arrays
    # the tuple, `rows` or `leads`, and the argument. One more is someone else's.
    alone = 3
    return max(sys.getrefcount(entry), sys.getrefcount(rows), sys.getrefcount(leads)) <= alone


def _blockwise(size: int, work: Callable[[int, int], None]) -> None:
    """Run `work(lo, hi)` over [0, size) in cache-sized blocks, on two threads."""
    blocks = [(lo, min(lo + _BLOCK, size)) for lo in range(0, size, _BLOCK)]
    if len(blocks) < 2 * _THREADS:
        for lo, hi in blocks:
            work(lo, hi)
        return
    half = len(blocks) // 2
    with ThreadPoolExecutor(_THREADS) as pool:
        for done in [pool.submit(_work_on, work, part) for part in (blocks[:half], blocks[half:])]:
            done.result()


def _work_on(work: Callable[[int, int], None], blocks: list[tuple[int, int]]) -> None:
    for lo, hi in blocks:
        work(lo, hi)


def _patch(out: np.ndarray, patches: list[tuple[np.ndarray, Term, int]], lo: int, hi: int) -> None:
    """out -= / += times * term(counts), term by term, on one block (of rows or leads)."""
    # Imported on first use, as the history's compiled pass is (numba holds ~0.1 GB).
    from domain.engine.engagement_kernel import add_term

    for counts, term, times in patches:
        cap = np.inf if term.cap is None else term.cap
        min_count = -1 if term.min_count is None else term.min_count
        add_term(out, counts[lo:hi], float(term.points), float(cap), min_count, times)
