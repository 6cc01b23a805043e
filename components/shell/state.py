"""Streamlit-side state: the cached engine, scoring model and scored table, and the filters.
The Calibration page's own caches live in components/calibration/cached.py.

Every cache is keyed on explicit ids (database URL, data and sales versions, as-of
moment, definition fingerprint), never on big frames: `st.cache_data` hashes only a sample
of a large frame's rows and can hand back a stale result. Cached objects are
`st.cache_resource` values shared by all sessions, so callers must treat them as read-only
(the domain never mutates input). Every read comes through gateways/shell.py.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from datetime import date

import pandas as pd
import streamlit as st
from sqlalchemy import Engine

from domain.definitions.definition import Definition
from domain.engine.lead_table import lead_table
from domain.engine.scoring import ScoreResult, ScoringModel
from domain.funnel.metrics import Filters
from gateways.shell import (
    DraftState,
    SalesRecords,
    cache_dir_for,
    data_token,
    data_versions,
    database_url,
    ensure_seeded,
    get_engine,
    load_model,
    load_sales_records,
    load_stored_sales,
    restore_model,
    sales_records_since,
    save_model,
)
from gateways.shell import get_draft as _stored_draft
from gateways.shell import get_published as _stored_published

# Sidebar widget keys, namespaced so pages can never collide with them.
FILTER_CREATED = "filter_created"
FILTER_SOURCE = "filter_source"
FILTER_OWNER = "filter_owner"
FILTER_SEGMENT = "filter_segment"
FILTER_DATE_STAGE = "filter_date_stage"  # the stage whose date the range applies to
FILTER_KEYS: tuple[str, ...] = (
    FILTER_CREATED,
    FILTER_SOURCE,
    FILTER_OWNER,
    FILTER_SEGMENT,
    FILTER_DATE_STAGE,
)

# A model holds every lead in memory: keep the current data version and the one before it.
_MODEL_ENTRIES = 2
# (data version, sales version): a follow-up action moves only the second, which swaps
# the sales records into the model instead of re-aggregating the activity log.
Versions = tuple[int, int]
_SEEN: dict[str, Versions] = {}  # per database: the newest versions any run has seen
_SEEN_LOCK = threading.Lock()
_PER_VERSION: list[object] = []  # cached functions keyed on the versions (see data_version)
# "Now" moves on (follow-up SLAs run out, scores decay), so the model is rebuilt hourly;
# a restart within that hour restores the one stored on disk (db/scoring/model_snapshot.py).
_MODEL_TTL = pd.Timedelta(hours=1)


class NoPublishedDefinitionError(LookupError):
    """Nothing has been published yet, so there is no shared definition to score with."""


@dataclass(frozen=True)
class FilterOptions:
    """What the sidebar filters can offer for the current data."""

    sources: tuple[str, ...]
    owners: tuple[str, ...]
    first_day: date | None
    last_day: date | None
    segments: tuple[str, ...] = ()


def get_engine_cached() -> Engine:
    return _engine(database_url())


def ensure_database() -> bool:
    """Migrate and, when empty, seed the database once per process; True if it seeded."""
    return _ensure_seeded(database_url())


def data_version() -> Versions:
    """What every cache keys on: (data version, sales version), one small query.

    The first run that sees newer versions drops what was cached for older ones: no page
    asks for those again, and at 100,000 leads each version's frames weigh hundreds of MB.
    """
    url = database_url()
    versions = data_versions(get_engine_cached())
    with _SEEN_LOCK:
        previous = _SEEN.get(url)
        _SEEN[url] = versions if previous is None else max(previous, versions)
    if previous is not None and versions > previous:
        for cached in _PER_VERSION:
            cached.clear()  # type: ignore[attr-defined]
        if versions[0] > previous[0]:  # the activity aggregate too, not for a sales action
            _model.clear()
    return versions


def forget_on_new_version(cached: object) -> None:
    """Register a cached function keyed on the versions, cleared when they move on."""
    _PER_VERSION.append(cached)


def get_model() -> ScoringModel:
    """The scoring model of the current data and sales versions (shared, read-only)."""
    return current()[2]


def current() -> tuple[str, Versions, ScoringModel]:
    """The database URL, its versions read once, and their model: what a cache keys on
    and scores with, from one reading (shared, read-only)."""
    url, versions = database_url(), data_version()
    return url, versions, _model_at(url, versions)


def get_touches() -> pd.DataFrame:
    """All sales touches of the current versions (shared, read-only)."""
    return get_sales_records().touches


def get_sales_records() -> SalesRecords:
    """Touches, facts, owners and lead versions of the current versions (shared, read-only)."""
    url, versions = database_url(), data_version()
    loaded = _model(url, versions[0])
    if loaded.sales_version == versions[1]:
        return loaded.sales
    return _sales_records(url, versions)


def get_published() -> tuple[int, Definition] | None:
    # Not cached: publishing does not bump the data version, and every session must see a
    # new definition at once. It is one small query.
    return _stored_published(get_engine_cached())


def scored_table(definition: Definition | None = None) -> pd.DataFrame:
    """`lead_table` under `definition` (default: the published one); shared, read-only."""
    if definition is None:
        published = get_published()
        if published is None:
            raise NoPublishedDefinitionError("no definition has been published yet")
        definition = published[1]
    url, version, model = current()
    table = _scored_table(
        url, version, model.as_of.value, definition.fingerprint(), model, definition
    )
    _snapshot_soon(url, version, model)
    return table


def filter_options() -> FilterOptions:
    url, version, model = current()
    return _filter_options(url, version, model)


def current_filters() -> Filters:
    """The sidebar's filters as a domain value; missing widgets mean "all"."""
    state = st.session_state
    created = tuple(state.get(FILTER_CREATED) or ())
    # A date range being picked has only its start yet: filter from it, open-ended.
    start = created[0] if len(created) > 0 else None
    end = created[1] if len(created) > 1 else None
    return Filters(
        sources=tuple(state.get(FILTER_SOURCE) or ()),
        owners=tuple(state.get(FILTER_OWNER) or ()),
        segments=tuple(state.get(FILTER_SEGMENT) or ()),
        created_from=None if start is None else pd.Timestamp(start),
        created_to=None if end is None else pd.Timestamp(end),
        date_stage=state.get(FILTER_DATE_STAGE) or "Suspect",
    )


@st.cache_resource(show_spinner=False)
def _engine(url: str) -> Engine:
    return get_engine(url)


@st.cache_resource(show_spinner=False)
def _ensure_seeded(url: str) -> bool:
    return ensure_seeded(get_engine(url))


@dataclass(frozen=True, eq=False)
class _Loaded:
    """A model as loaded, with the sales records (and their version) it was built from,
    and the data token read before loading it (what a snapshot of it is stored under)."""

    model: ScoringModel
    sales_version: int
    sales: SalesRecords
    token: str = ""


def _model_at(url: str, versions: Versions) -> ScoringModel:
    loaded = _model(url, versions[0])
    if loaded.sales_version == versions[1]:
        return loaded.model
    return _with_sales(url, versions, loaded.model.as_of.value, loaded.model)


@st.cache_resource(
    max_entries=_MODEL_ENTRIES, ttl=_MODEL_TTL, show_spinner="Loading leads and activities..."
)
def _model(url: str, version: int) -> _Loaded:
    engine = get_engine(url)
    # Read before loading: sales written meanwhile show as a newer version, never lost,
    # and data written meanwhile makes a newer token than the one the model is stored under.
    sales_version = data_versions(engine)[1]
    folder = cache_dir_for(url)
    token = data_token(engine) if folder is not None else ""
    restored = restore_model(engine, folder, sales_version, _MODEL_TTL)
    if restored is not None:
        model, sales = restored
        _keep_newest_sales(url, (version, sales_version), sales)
        _SNAPSHOTS.add((url, token, model.history.as_of_ns))  # on disk already
        return _Loaded(model, sales_version, sales, token)
    sales = load_stored_sales(engine, sales_version, folder)
    _keep_newest_sales(url, (version, sales_version), sales)
    model = load_model(engine, cache_dir=folder, sales=sales)
    return _Loaded(model, sales_version, sales, token)


# (database URL, data token, the history's moment) of every model stored on disk, and
# the threads storing them.
_SNAPSHOTS: set[tuple[str, str, int]] = set()
_WRITERS: list[threading.Thread] = []


def wait_for_snapshots() -> None:
    """Return once every model being stored on disk is stored."""
    while _WRITERS:
        _WRITERS.pop().join()


def _snapshot_soon(url: str, versions: Versions, model: ScoringModel) -> threading.Thread | None:
    """Store the model once scored (its decayed counts are then computed), so a restart
    within the hour restores it; on a thread, after the page has its scores."""
    loaded = _model(url, versions[0])
    key = (url, loaded.token, model.history.as_of_ns)
    folder = cache_dir_for(url)
    with _SEEN_LOCK:
        if folder is None or not loaded.token or key in _SNAPSHOTS:
            return None
        _SNAPSHOTS.add(key)
    same = loaded.sales_version == versions[1]
    sales = loaded.sales if same else _sales_records(url, versions)
    thread = threading.Thread(
        target=save_model, args=(folder, loaded.token, versions[1], model, sales), daemon=True
    )
    thread.start()
    _WRITERS[:] = [*(t for t in _WRITERS if t.is_alive()), thread]
    return thread


# Per database: the newest sales records any run loaded, and their versions. A follow-up
# action moves a lead or a few: the next version reads just those again into a copy.
_NEWEST_SALES: dict[str, tuple[Versions, SalesRecords]] = {}


@st.cache_resource(max_entries=_MODEL_ENTRIES, show_spinner=False)
def _sales_records(url: str, versions: Versions) -> SalesRecords:
    engine = get_engine(url)
    with _SEEN_LOCK:
        newest = _NEWEST_SALES.get(url)
    records = None
    if newest is not None and newest[0][0] == versions[0] and newest[0][1] <= versions[1]:
        records = sales_records_since(engine, newest[1], newest[0][1], versions[1])
    if records is None:
        records = load_sales_records(engine)
    _keep_newest_sales(url, versions, records)
    return records


def _keep_newest_sales(url: str, versions: Versions, records: SalesRecords) -> None:
    with _SEEN_LOCK:
        newest = _NEWEST_SALES.get(url)
        if newest is None or newest[0] <= versions:
            _NEWEST_SALES[url] = (versions, records)


@st.cache_resource(max_entries=_MODEL_ENTRIES, ttl=_MODEL_TTL, show_spinner=False)
def _with_sales(url: str, versions: Versions, as_of_ns: int, _base: ScoringModel) -> ScoringModel:
    # Only what sales recorded moved: the activity history is shared with the base model.
    records = _sales_records(url, versions)
    now = pd.Timestamp.now(tz="UTC")
    return _base.with_sales(records.touches, records.facts, records.owners, as_of=now)


# Leading underscores keep the model and definition out of the hash; the ids before them
# identify both exactly. Entries of an older version are never asked for again once the
# sales version moved, so a few entries (published, draft, the one before) are enough:
# each holds a frame per lead (tens of MB at 100,000 leads).
@st.cache_resource(max_entries=4, show_spinner="Scoring leads...")
def _scored_table(
    url: str,
    version: Versions,
    as_of_ns: int,
    fingerprint: str,
    _scoring_model: ScoringModel,
    _definition: Definition,
) -> pd.DataFrame:
    return lead_table(_scoring_model.leads, _scoring_model.score(_definition))


@st.cache_resource(max_entries=_MODEL_ENTRIES, show_spinner=False)
def _filter_options(url: str, version: Versions, _scoring_model: ScoringModel) -> FilterOptions:
    leads = _scoring_model.leads
    created = leads["created_at"].dropna()
    # Stage dates run on after the last creation, up to the as-of day: the range must
    # reach it when it applies to a stage's date.
    last = max(created.max(), _scoring_model.as_of) if len(created) else None
    return FilterOptions(
        sources=_sorted_values(leads["source"]),
        owners=_sorted_values(leads["owner"]),
        first_day=created.min().date() if len(created) else None,
        last_day=None if last is None else last.date(),
        segments=_sorted_values(leads["segment"]),
    )


def _sorted_values(column: pd.Series) -> tuple[str, ...]:
    return tuple(sorted(str(v) for v in column.dropna().unique() if str(v)))


def get_draft() -> DraftState | None:
    """The shared working draft as stored now, or None when there is none.

    Not cached, like `get_published`: a save must show at once, and it is one small query.
    Score it with `scored_table(draft.definition)` (cached per definition fingerprint).
    """
    return _stored_draft(get_engine_cached())


def score_result(definition: Definition) -> ScoreResult:
    """The engine's per-lead arrays under `definition`, cached per definition fingerprint.

    Meant for the published definition, which the definitions workspace compares every
    draft against on each slider move. Shared and read-only. A draft that changes on
    every move is better scored directly with `get_model().score(...)` (milliseconds).
    """
    url, version, model = current()
    return _score_result(
        url, version, model.as_of.value, definition.fingerprint(), model, definition
    )


@st.cache_resource(max_entries=4, show_spinner="Scoring leads...")
def _score_result(
    url: str,
    version: Versions,
    as_of_ns: int,
    fingerprint: str,
    _scoring_model: ScoringModel,
    _definition: Definition,
) -> ScoreResult:
    return _scoring_model.score(_definition)


for _cached in (
    _sales_records, _with_sales, _scored_table, _filter_options, _score_result,
):  # fmt: skip
    forget_on_new_version(_cached)
