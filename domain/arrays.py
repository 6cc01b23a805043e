"""Small NumPy building blocks the activity history is computed with."""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

import numpy as np


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


def expand(values: np.ndarray, lengths: np.ndarray) -> np.ndarray:
    """np.repeat(values, lengths) for integers (lengths > 0), faster for many short runs."""
    out = np.zeros(int(lengths.sum()), dtype=np.int64)
    if out.size:
        out[0] = values[0]
        out[np.cumsum(lengths[:-1])] = np.diff(values)
        np.cumsum(out, out=out)
    return out


def ranges(lengths: np.ndarray) -> np.ndarray:
    """0..len-1 for each length, concatenated."""
    ends = np.cumsum(lengths)
    return np.arange(ends[-1] if ends.size else 0) - np.repeat(ends - lengths, lengths)
