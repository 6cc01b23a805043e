"""The scored model on disk, so that the first page after a restart neither builds nor scores.

A running server keeps its model, with what scoring computed on it (decayed counts, fit
masks), for up to `max_age` (components/shell/state.py rebuilds it hourly). A restart within
that time restores it from here: a fraction of a second instead of reading the stored
inputs, building the activity history and scoring every lead again (about 2 s of CPU at
100,000 leads). The files are named by the data token, so an import or another database
never finds them (and `engine_cache` removes them with the token's other files), and
they carry a fingerprint of the engine's code and libraries, so an upgraded app never
unpickles another version's objects. Sales records move without the token: the caller
swaps the current ones in (`ScoringModel.with_sales`), as a running server does.

Unpickling runs code: a snapshot is only read from a folder and file this user owns and
no one else can write.
"""

from __future__ import annotations

import contextlib
import copyreg
import dataclasses
import functools
import hashlib
import json
import os
import pickle
import stat
import threading
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

import domain
from domain.engine.history import ActivityHistory
from domain.engine.scoring import ScoringModel

_SUFFIX = ".model"


@dataclasses.dataclass(frozen=True, eq=False)
class Snapshot:
    """A restored model, what it holds of the sales records (any object the caller
    stored: the db layer's frames), and the sales version those were read at."""

    model: ScoringModel
    sales: object
    sales_version: int


def write_model(
    folder: Path, token: str, sales_version: int, model: ScoringModel, sales: object
) -> bool:
    """Store `model` and the `sales` records it holds (as of `sales_version`) for
    `token`; False when it could not (then a restart simply builds it again)."""
    meta = {
        "code": code_fingerprint(),
        "as_of_ns": int(model.history.as_of_ns),
        "sales_version": int(sales_version),
    }
    data, marker = _paths(folder, token)
    temporary = data.with_name(f".{data.name}.{os.getpid()}.{threading.get_ident()}.tmp")
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with model.lock, temporary.open("wb") as file:  # scoring fills caches in place
            pickler = pickle.Pickler(file, protocol=5)
            pickler.dispatch_table = _REDUCERS
            pickler.dump((model, sales))
        os.replace(temporary, data)
        marker_tmp = marker.with_name(f".{marker.name}.{os.getpid()}.tmp")
        marker_tmp.write_text(json.dumps(meta))
        os.replace(marker_tmp, marker)
    except (OSError, pickle.PicklingError, TypeError):
        return False
    finally:
        with contextlib.suppress(FileNotFoundError):
            temporary.unlink()
    return True


def read_model(
    folder: Path, token: str, now: pd.Timestamp, max_age: pd.Timedelta, valid_until: object
) -> Snapshot | None:
    """The model stored for `token`, or None when there is none, it is older than
    `max_age`, activity stored ahead of its moment has come due (`valid_until`: the
    stored counts' next activity, None: none), or it cannot be trusted or read."""
    data, marker = _paths(folder, token)
    try:
        meta = json.loads(marker.read_text())
        if meta.get("code") != code_fingerprint():
            return None
        as_of = pd.Timestamp(int(meta["as_of_ns"]), tz="UTC")
        if not as_of <= now < as_of + max_age:
            return None
        if valid_until is not None and now >= pd.Timestamp(valid_until):  # type: ignore[arg-type]
            return None
        if not (_private(folder) and _private(data)):
            return None
        with data.open("rb") as file:
            model, sales = pickle.load(file)  # noqa: S301 - ours, in a folder only we write
    except (OSError, ValueError, KeyError, TypeError, EOFError, pickle.UnpicklingError):
        return None
    except (AttributeError, ImportError):  # written by other code despite the fingerprint
        return None
    if not isinstance(model, ScoringModel):
        return None
    return Snapshot(model, sales, int(meta["sales_version"]))


@functools.cache
def code_fingerprint() -> str:
    """The engine's source and the libraries its objects come from: a snapshot pickled by
    other code is never read."""
    digest = hashlib.sha256(f"{np.__version__} {pd.__version__}".encode())
    for path in sorted(Path(domain.__file__).parent.rglob("*.py")):
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def _paths(folder: Path, token: str) -> tuple[Path, Path]:
    return folder / f"{token}{_SUFFIX}.pickle", folder / f"{token}{_SUFFIX}.json"


def _private(path: Path) -> bool:
    """Owned by this user, and no one else can write it."""
    info = path.stat()
    owner = getattr(os, "getuid", lambda: info.st_uid)()
    return info.st_uid == owner and not info.st_mode & (stat.S_IWGRP | stat.S_IWOTH)


def _history(fields: dict[str, Any]) -> ActivityHistory:
    return ActivityHistory(**fields)


def _reduce_history(history: ActivityHistory) -> tuple[object, tuple[dict[str, Any]]]:
    # Its arrays only: the plans it derived for rules are rebuilt when asked for (a third
    # of the file), and its locks must be new ones.
    fields = dataclasses.fields(history)
    return _history, ({f.name: getattr(history, f.name) for f in fields if f.init},)


def _new_lock(_lock: object) -> tuple[object, tuple[()]]:
    return threading.Lock, ()


def _new_rlock(_lock: object) -> tuple[object, tuple[()]]:
    return threading.RLock, ()


_REDUCERS: dict[type, Any] = {
    **copyreg.dispatch_table,
    ActivityHistory: _reduce_history,
    type(threading.Lock()): _new_lock,
    type(threading.RLock()): _new_rlock,
}
