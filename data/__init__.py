"""Deterministic, believable demo data for Baton (see `data.demo`).

The generator is loaded on first use: the app imports `data.seed` on every start to check
for an empty database, and only a first run generates anything.
"""

from __future__ import annotations

import importlib
from typing import Any

_EXPORTS = {
    "DEFAULT_AS_OF": "data.demo",
    "DemoData": "data.demo",
    "generate": "data.demo",
    "summarize": "data.demo",
    "hot_moments": "data.signals",
    "lead_fit": "data.signals",
}
__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    if name not in _EXPORTS:
        raise AttributeError(f"module 'data' has no attribute {name!r}")
    return getattr(importlib.import_module(_EXPORTS[name]), name)
