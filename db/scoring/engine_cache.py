"""The engine's slow inputs on disk, so that a restart does not re-aggregate the activity log.

Aggregating a few million activities (SQL GROUP BY) and expanding the leads' custom
attributes take most of a cold start (about 12 s at 100,000 leads). Both depend only on
the data version, so they are written as Parquet files named by a token of that version
(`data_version` plus a random stamp the bump writes: a new database, or one deleted and
seeded again, never reuses another's files). Files are written under temporary names and
renamed, the marker last, so a reader never sees half a cache; older tokens are removed.
What sales recorded (touches, facts, owners) is stored beside them with the sales version
it was read at: a restart reads it and reads again only the leads moved since.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
from sqlalchemy.engine import make_url

_MARKER = ".json"
_PARTS = ("leads", "counts")
_SALES = ".sales"  # what sales recorded, with the sales version it was read at
CACHE_DIR_ENV = "BATON_CACHE_DIR"


@dataclass(frozen=True, eq=False)
class StoredInputs:
    """The leads frame and activity counts of one data version, counted up to `as_of`.

    `valid_until` is the next activity's moment after `as_of` (None: there is none): up to
    it, counting again would give the same counts, so no query is needed to trust them.
    """

    leads: pd.DataFrame
    counts: pd.DataFrame
    as_of: pd.Timestamp
    valid_until: pd.Timestamp | None = None

    def holds_at(self, moment: pd.Timestamp) -> bool:
        return self.as_of <= moment and (self.valid_until is None or moment < self.valid_until)


def cache_dir_for(url: str) -> Path | None:
    """Beside a SQLite file; elsewhere under BATON_CACHE_DIR or the temp folder; None for
    an in-memory database (nothing survives its process anyway)."""
    parsed = make_url(url)
    wanted = os.environ.get(CACHE_DIR_ENV)
    sqlite = parsed.get_backend_name() == "sqlite"
    if sqlite and (not parsed.database or parsed.database == ":memory:"):
        return None
    if sqlite and not wanted:
        path = Path(parsed.database or "")
        return path.with_name(f"{path.name}.engine-cache")
    # One folder per database; the digest is of the URL without its password.
    digest = hashlib.sha256(parsed.render_as_string(hide_password=True).encode()).hexdigest()
    base = Path(wanted) if wanted else Path(tempfile.gettempdir()) / "baton-engine-cache"
    return base / digest[:16]


def read_inputs(folder: Path, token: str) -> StoredInputs | None:
    """The stored inputs of `token`, or None when absent or unreadable (then rebuild)."""
    moments = read_moments(folder, token)
    if moments is None:
        return None
    try:
        frames = [pd.read_parquet(folder / f"{token}.{part}.parquet") for part in _PARTS]
    except (OSError, ValueError, ImportError):
        return None
    return StoredInputs(frames[0], frames[1], *moments)


def read_moments(folder: Path, token: str) -> tuple[pd.Timestamp, pd.Timestamp | None] | None:
    """When the stored inputs of `token` were counted up to, and until when they hold
    (None: for good); None when nothing is stored."""
    try:
        meta = json.loads((folder / f"{token}{_MARKER}").read_text())
        until = meta.get("valid_until")
        return pd.Timestamp(meta["as_of"]), None if until is None else pd.Timestamp(until)
    except (OSError, ValueError, KeyError, TypeError):
        return None


def write_inputs(folder: Path, token: str, inputs: StoredInputs) -> bool:
    """Store `inputs` under `token` and drop older tokens; False when it could not (a
    read-only folder, a column Parquet cannot hold): the app then simply loads again."""
    until = None if inputs.valid_until is None else inputs.valid_until.isoformat()
    meta = {"as_of": inputs.as_of.isoformat(), "valid_until": until}
    paths = [folder / f"{token}.{part}.parquet" for part in _PARTS]
    frames = zip(paths, (inputs.leads, inputs.counts), strict=True)
    if not _store(folder, frames, f"{token}{_MARKER}", meta):
        return False
    _remove_others(folder, token)
    return True


def read_sales(folder: Path, token: str) -> tuple[int, dict[str, pd.DataFrame]] | None:
    """The sales frames stored for `token` and the sales version they were read at, or
    None when absent or unreadable."""
    try:
        meta = json.loads((folder / f"{token}{_SALES}{_MARKER}").read_text())
        version = int(meta["sales_version"])
        frames = {
            part: pd.read_parquet(_sales_path(folder, token, version, part))
            for part in meta["parts"]
        }
    except (OSError, ValueError, KeyError, TypeError, ImportError):
        return None
    return version, frames


def write_sales(folder: Path, token: str, version: int, frames: dict[str, pd.DataFrame]) -> bool:
    """Store the sales frames of `token` as read at sales `version` (a restart reads them
    and reads again only the leads moved since); False when it could not. Files carry
    their version, so a reader never mixes two writers' parts."""
    meta = {"sales_version": int(version), "parts": list(frames)}
    parts = [(_sales_path(folder, token, version, part), f) for part, f in frames.items()]
    if not _store(folder, parts, f"{token}{_SALES}{_MARKER}", meta):
        return False
    kept = f"{token}{_SALES}-{version}."
    for path in folder.glob(f"{token}{_SALES}-*"):
        if not path.name.startswith(kept):
            with contextlib.suppress(OSError):
                path.unlink()
    return True


def _store(
    folder: Path, frames: Iterable[tuple[Path, pd.DataFrame]], marker: str, meta: dict[str, Any]
) -> bool:
    """Write the frames, then the marker naming them; False when it could not (a read-only
    folder, a column Parquet cannot hold): the app then simply loads again."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        for path, frame in frames:
            _atomic(path, lambda p, f=frame: f.to_parquet(p))
        _atomic(folder / marker, lambda p: Path(p).write_text(json.dumps(meta)))
    except (OSError, ValueError, TypeError, ImportError):
        return False
    except Exception as exc:  # pyarrow's own errors (mixed-type columns) are not ValueErrors
        if type(exc).__module__.startswith("pyarrow"):
            return False
        raise
    return True


def _sales_path(folder: Path, token: str, version: int, part: str) -> Path:
    return folder / f"{token}{_SALES}-{version}.{part}.parquet"


def _atomic(path: Path, write: object) -> None:
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        write(temporary)  # type: ignore[operator]
        os.replace(temporary, path)
    finally:
        with contextlib.suppress(FileNotFoundError):
            temporary.unlink()


def _remove_others(folder: Path, token: str) -> None:
    for path in folder.iterdir():
        if not path.name.startswith(f"{token}.") and not path.name.startswith("."):
            with contextlib.suppress(OSError):
                path.unlink()
