"""Small NumPy building blocks the activity history is computed with."""

from __future__ import annotations

import ctypes
import platform
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

import numpy as np

_M_TRIM_THRESHOLD = -1  # glibc's mallopt parameters
_M_MMAP_THRESHOLD = -3
# Free memory at the top of a heap that glibc keeps, in per-lead arrays.
_KEPT_FREE_ARRAYS = 8
_SMALLEST_OWN_MAPPING = 4 * 2**20
_own_mapping_bytes = 0


def return_freed_arrays(per_lead_bytes: int) -> bool:
    """Give every allocation larger than a per-lead float64 array (and at least 4 MB) its
    own mapping, returned to the system when freed (glibc only; elsewhere nothing changes).

    By default glibc keeps freed blocks of up to 32 MB in its heaps, one per thread: after
    a few decay changes at 1M leads they held ~0.6 GB that was free but still resident.
    Per-lead arrays, which every re-score allocates, stay in the heap: a fresh mapping
    costs page faults each time. So does a heap trimmed as soon as its top is free, which
    glibc does above 128 KB once the mapping threshold is set by hand: a few arrays' worth
    stays (at 1M leads the half dozen arrays a re-score copies took ~10 ms of page faults).
    """
    global _own_mapping_bytes
    wanted = max(_SMALLEST_OWN_MAPPING, per_lead_bytes + 4096)
    if wanted <= _own_mapping_bytes:
        return True
    if platform.libc_ver()[0] != "glibc":
        return False
    try:
        libc = ctypes.CDLL(None)
        done = bool(libc.mallopt(_M_MMAP_THRESHOLD, wanted))
        libc.mallopt(_M_TRIM_THRESHOLD, _KEPT_FREE_ARRAYS * wanted)
    except (OSError, AttributeError):
        return False
    if done:
        _own_mapping_bytes = wanted
    return done


def release_free_memory() -> None:
    """Return free heap pages to the system but for what return_freed_arrays keeps at the
    top of each heap (glibc's malloc_trim; elsewhere nothing).

    Arrays below the own-mapping size live in the heaps, one per thread: rules computed
    on two threads leave them fragmented, free but resident, and a server keeps running.
    The pages kept spare the rest of a re-score faulting its per-lead arrays in again.
    """
    if platform.libc_ver()[0] != "glibc":
        return
    try:
        ctypes.CDLL(None).malloc_trim(ctypes.c_size_t(_KEPT_FREE_ARRAYS * _own_mapping_bytes))
    except (OSError, AttributeError):
        return


def read_only(values: np.ndarray) -> np.ndarray:
    """A view that cannot write into a cached array."""
    view = values.view()
    view.flags.writeable = False
    return view


def halves(function: Callable[..., np.ndarray], values: np.ndarray) -> np.ndarray:
    """An element-wise function of a long array, in place, in two halves on two threads."""
    middle = values.size // 2
    with ThreadPoolExecutor(2) as pool:
        parts = [
            pool.submit(function, part, out=part) for part in (values[:middle], values[middle:])
        ]
        for part in parts:
            part.result()
    return values


def ranges(lengths: np.ndarray, dtype: type = np.int64) -> np.ndarray:
    """0..len-1 for each length, concatenated; `dtype` must hold the total length."""
    ends = np.cumsum(lengths, dtype=np.int64)
    out = np.arange(ends[-1] if ends.size else 0, dtype=dtype)
    out -= np.repeat((ends - lengths).astype(dtype), lengths)
    return out
