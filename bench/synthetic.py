"""Seeded, vectorised benchmark data: leads, a raw activity log, and its fast GROUP BY.

The raw log stands in for the database's activity table (the app never loads it: the
database aggregates it). It is kept as narrow numpy arrays (20M events would not fit
comfortably in a frame of Python strings) and aggregated by `aggregate_log`, a range of
leads at a time: every event becomes one int64 that packs lead position | activity key |
day | second of the day, a single `np.sort` puts each (lead, key, day) group together in
time order, and run boundaries give n, first and last. `check_aggregation` compares it
with domain.engine.aggregate.aggregate_activities on a subset.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from domain.definitions.defaults import ACTIVITY_TYPES
from domain.engine.aggregate import aggregate_activities
from domain.engine.frames import ACTIVITY_COUNT_COLUMNS, SECONDS_PER_DAY

AS_OF = pd.Timestamp("2026-06-30 12:00:00", tz="UTC")
STAGES: tuple[str, ...] = ("awareness", "consideration", "decision")
HISTORY_DAYS = 365
_EVENTS_PER_SESSION = 4
_STAGE_SLOTS = 4  # key = type * 4 + stage slot (0 = no stage, 1..3 = STAGES)
_SECOND_BITS = 17  # 86_400 < 2**17
_CHUNK = 1 << 22  # events drawn or aggregated at a time

# Sessions are e-mail, web or event sessions; each draws its events from its own mix.
_SESSION_KINDS = (0.40, 0.50, 0.10)
_TYPE_WEIGHTS: dict[str, tuple[float, float, float]] = {
    "email_open": (60, 0, 0),
    "email_click": (20, 0, 0),
    "email_bounce": (1.5, 0, 0),
    "unsubscribe": (0.6, 0, 0),
    "cta_click": (4, 4, 0),
    "page_view": (0, 70, 0),
    "pricing_page_view": (0, 7, 0),
    "content_download": (0, 9, 6),
    "demo_request": (0, 0.3, 0.5),
    "contact_form": (0, 0.3, 0.3),
    "webinar_registered": (0, 0, 40),
    "webinar_attended": (0, 0, 25),
    "social_engagement": (0, 0, 30),
}
_STAGE_WEIGHTS = (0.5, 0.3, 0.2)
_BANT = {"budget": 0.6, "authority": 0.6, "need": 0.7, "timeline": 0.5}

_INDUSTRIES = ("SaaS", "Fintech", "Healthcare", "Manufacturing", "Logistics", "Retail",
               "Education", "Government", "saas ", "FINTECH")  # fmt: skip
_INDUSTRY_WEIGHTS = (18, 10, 10, 10, 8, 14, 10, 8, 1, 1)
_COUNTRIES = ("US", "GB", "DE", "CA", "NL", "FR", "IN", "BR", "ES", "AU")
_COUNTRY_WEIGHTS = (30, 10, 10, 6, 4, 6, 12, 8, 6, 8)
_SENIORITIES = ("C-level", "VP", "Director", "Manager", "Individual contributor")
_SENIORITY_WEIGHTS = (5, 8, 15, 30, 42)
_TITLES = ("Head of Marketing", "CTO", "Sales Director", "Marketing Manager", "Engineer",
           "Student", "PhD student", "Operations Lead", "Founder", "Analyst")  # fmt: skip
_TITLE_WEIGHTS = (10, 5, 10, 20, 25, 3, 1, 8, 5, 13)
_DOMAINS = ("gmail.com", "rivalcrm.com", "Gmail.com ", "acme.io", "globex.com", "initech.de")
_DOMAIN_WEIGHTS = (20, 0.5, 1, 30, 30, 18.5)


@dataclass(frozen=True, eq=False)
class RawLog:
    """The activity log as arrays; `key` is type * 4 + stage slot (see `key_names`)."""

    lead_pos: np.ndarray  # int32 position into the leads frame, ascending
    key: np.ndarray  # int8
    seconds: np.ndarray  # int64 epoch seconds (whole seconds)

    @property
    def size(self) -> int:
        return int(self.lead_pos.size)


def key_names(key: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(activity_type, content_stage) object arrays for keys; no stage is None."""
    types = np.array(ACTIVITY_TYPES, dtype=object)[key // _STAGE_SLOTS]
    stages = np.array((None, *STAGES), dtype=object)[key % _STAGE_SLOTS]
    return types, stages


def make_leads(rng: np.random.Generator, n_leads: int, first_seen: np.ndarray) -> pd.DataFrame:
    """Leads with the attributes the default definition scores, in shuffled id order."""
    lead_id = 100_000 + 7 * rng.permutation(n_leads).astype(np.int64)
    size = np.round(np.exp(np.log(150) + 1.5 * rng.standard_normal(n_leads)))
    size[rng.random(n_leads) < 0.1] = np.nan
    user = pd.Series(lead_id).astype("str")
    email = "user" + user + "@" + pd.Series(_draw(rng, _DOMAINS, _DOMAIN_WEIGHTS, n_leads, 0.0))
    created = np.minimum(first_seen, AS_OF.value // 10**9)
    created = created - rng.integers(0, 30 * SECONDS_PER_DAY, n_leads)
    return pd.DataFrame(
        {
            "lead_id": lead_id,
            "email": email,
            "title": _draw(rng, _TITLES, _TITLE_WEIGHTS, n_leads, 0.1),
            "industry": _draw(rng, _INDUSTRIES, _INDUSTRY_WEIGHTS, n_leads, 0.1),
            "company_size": size,
            "country": _draw(rng, _COUNTRIES, _COUNTRY_WEIGHTS, n_leads, 0.05),
            "seniority": _draw(rng, _SENIORITIES, _SENIORITY_WEIGHTS, n_leads, 0.15),
            "created_at": pd.to_datetime(created, unit="s", utc=True).astype("datetime64[ns, UTC]"),
        }
    )


def make_sales(
    rng: np.random.Generator, lead_ids: np.ndarray, first_seen: np.ndarray
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(touches, sales_facts): 20% of leads touched, 10% with recorded sales facts."""
    touched = rng.random(lead_ids.size) < 0.2
    at = first_seen[touched] + rng.integers(0, 20 * SECONDS_PER_DAY, touched.sum())
    touches = pd.DataFrame(
        {
            "lead_id": lead_ids[touched],
            "touched_at": _utc(at),
            "rep": "rep-" + pd.Series(rng.integers(0, 40, at.size)).astype("str"),
            "channel": _draw(rng, ("call", "email", "meeting"), (5, 4, 1), at.size, 0.0),
            "outcome": _draw(
                rng, ("connected", "no_answer", "meeting_held"), (4, 5, 1), at.size, 0.1
            ),
        }
    )
    return touches, _facts(rng, lead_ids, first_seen, rng.random(lead_ids.size) < 0.1)


def _facts(
    rng: np.random.Generator, lead_ids: np.ndarray, first_seen: np.ndarray, chosen: np.ndarray
) -> pd.DataFrame:
    k = int(chosen.sum())
    start = first_seen[chosen] + rng.integers(0, 30 * SECONDS_PER_DAY, k)

    def later(share: float, days: int) -> pd.Series:
        when = _utc(start + rng.integers(0, days * SECONDS_PER_DAY, k))
        return when.where(pd.Series(rng.random(k) < share))

    return pd.DataFrame(
        {
            "lead_id": lead_ids[chosen],
            "accepted_at": _utc(start),
            "conversation_at": later(0.6, 20),
            **{fact: rng.random(k) < share for fact, share in _BANT.items()},
            "bant_at": later(0.5, 25),
            "opportunity_at": later(0.3, 40),
            "won_at": later(0.08, 90),
            "lost_at": later(0.1, 90),
            "amount": np.round(np.exp(9 + rng.standard_normal(k))),
            "disqualified_at": later(0.05, 60),
            "recycled_at": later(0.05, 60),
            "reason": None,
        }
    )


def make_log(rng: np.random.Generator, n_leads: int, n_events: int) -> RawLog:
    """Events in sessions of about four, each lead active around its own time of year.

    30% of leads never engage; the others' activity is lognormal-skewed. Days run from a
    year before AS_OF to two days after it, so the as-of filter has something to remove.
    """
    n_sessions = max(1, n_events // _EVENTS_PER_SESSION)
    weight = np.exp(1.2 * rng.standard_normal(n_leads)) * (rng.random(n_leads) >= 0.3)
    if not weight.any():
        weight[:] = 1.0
    session_lead = np.sort(rng.choice(n_leads, n_sessions, p=weight / weight.sum()))
    centre = rng.uniform(0, HISTORY_DAYS, n_leads)
    spread = rng.uniform(3, 60, n_leads)
    offset = centre[session_lead] + spread[session_lead] * rng.standard_normal(n_sessions)
    first_day = AS_OF.value // 10**9 // SECONDS_PER_DAY - HISTORY_DAYS + 1
    session_day = first_day + np.mod(np.round(offset), HISTORY_DAYS + 2).astype(np.int64)
    session_start = session_day * SECONDS_PER_DAY + rng.integers(0, SECONDS_PER_DAY, n_sessions)
    session_kind = rng.choice(len(_SESSION_KINDS), n_sessions, p=_SESSION_KINDS)
    # int32 draws are the same numbers as int64 ones: the data does not depend on the types.
    event_session = rng.integers(0, n_sessions, n_events, dtype=np.int32)
    event_session.sort()
    lead_pos = session_lead.astype(np.int32)[event_session]
    key = _event_keys(rng, session_kind.astype(np.int8)[event_session])
    seconds = session_start[event_session]
    del event_session
    seconds += rng.integers(0, 1_800, n_events, dtype=np.int32)
    return RawLog(lead_pos=lead_pos, key=key, seconds=seconds)


def first_seen(log: RawLog, n_leads: int) -> np.ndarray:
    """Per lead, epoch seconds of its first event (AS_OF minus a random time if none)."""
    out = np.full(n_leads, np.iinfo(np.int64).max, dtype=np.int64)
    np.minimum.at(out, log.lead_pos, log.seconds)
    never = out == np.iinfo(np.int64).max
    out[never] = AS_OF.value // 10**9 - np.arange(never.sum()) % (HISTORY_DAYS * SECONDS_PER_DAY)
    return out


def aggregate_log(log: RawLog, lead_ids: np.ndarray, as_of: pd.Timestamp) -> pd.DataFrame:
    """The activity_counts frame of `log` up to `as_of`, by packed-int64 sorts.

    The log is ordered by lead, so ranges of leads are aggregated one after the other
    (groups never span two leads): the same rows, in the same order, as one sort.
    """
    cutoff = as_of.value // 10**9
    day0 = int(log.seconds.min()) // SECONDS_PER_DAY if log.size else 0
    day_bits = max(1, (cutoff // SECONDS_PER_DAY - day0).bit_length())
    key_bits = max(1, int(log.key.max()).bit_length()) if log.size else 1
    lead_bits = max(1, int(lead_ids.size).bit_length())
    if lead_bits + key_bits + day_bits + _SECOND_BITS > 63:
        raise ValueError("too many leads or days to pack an event into one int64")
    bits = (key_bits, day_bits, day0)
    bounds = np.searchsorted(log.lead_pos, log.lead_pos[_CHUNK::_CHUNK], side="left")
    edges = np.unique(np.r_[0, bounds, log.size])
    parts = [
        _aggregate(log, slice(lo, hi), cutoff, bits)
        for lo, hi in zip(edges[:-1], edges[1:], strict=False)
    ]
    columns = [np.concatenate(column) for column in zip(*parts, strict=True)] or [
        np.empty(0, dtype=np.int64)
    ] * 6
    position, key, day_of, n, first, last = columns
    return _counts_frame(lead_ids[position], key, day_of, n, first, last)


def _aggregate(
    log: RawLog, chunk: slice, cutoff: int, bits: tuple[int, int, int]
) -> tuple[np.ndarray, ...]:
    """(lead position, key, day, n, first, last seconds) of the groups in one range of leads."""
    key_bits, day_bits, day0 = bits
    seconds = log.seconds[chunk]
    keep = seconds <= cutoff
    seconds = seconds[keep]
    day = seconds // SECONDS_PER_DAY
    packed = log.lead_pos[chunk][keep].astype(np.int64) << (key_bits + day_bits + _SECOND_BITS)
    packed |= log.key[chunk][keep].astype(np.int64) << (day_bits + _SECOND_BITS)
    packed |= (day - day0) << _SECOND_BITS
    packed |= seconds - day * SECONDS_PER_DAY
    del seconds, day, keep
    packed.sort()
    group = packed >> _SECOND_BITS
    starts = np.flatnonzero(np.r_[True, group[1:] != group[:-1]])
    ends = np.r_[starts[1:], packed.size]
    head = group[starts]
    del group
    day_of = (head & ((1 << day_bits) - 1)) + day0
    key = (head >> day_bits) & ((1 << key_bits) - 1)
    second_mask = (1 << _SECOND_BITS) - 1
    first = day_of * SECONDS_PER_DAY + (packed[starts] & second_mask)
    last = day_of * SECONDS_PER_DAY + (packed[ends - 1] & second_mask)
    return head >> (key_bits + day_bits), key, day_of, ends - starts, first, last


def check_aggregation(
    log: RawLog, lead_ids: np.ndarray, counts: pd.DataFrame, as_of: pd.Timestamp, leads: int
) -> bool:
    """Does `counts` equal domain.engine.aggregate.aggregate_activities for the first `leads`
    leads?"""
    chosen = log.lead_pos < leads
    types, stages = key_names(log.key[chosen])
    raw = pd.DataFrame(
        {
            "lead_id": lead_ids[log.lead_pos[chosen]],
            "activity_type": types,
            "content_stage": stages,
            "occurred_at": pd.to_datetime(log.seconds[chosen], unit="s", utc=True),
        }
    )
    expected = _sorted(aggregate_activities(raw, as_of))
    actual = _sorted(counts[counts["lead_id"].isin(lead_ids[:leads])])
    try:
        pd.testing.assert_frame_equal(actual, expected, check_dtype=False)
    except AssertionError:
        return False
    return True


def _sorted(frame: pd.DataFrame) -> pd.DataFrame:
    out = frame.astype({"content_stage": object}).fillna({"content_stage": ""})
    keys = ["lead_id", "activity_type", "content_stage", "day"]
    return out.sort_values(keys).reset_index(drop=True)[list(ACTIVITY_COUNT_COLUMNS)]


def _counts_frame(
    lead_id: np.ndarray,
    key: np.ndarray,
    day: np.ndarray,
    n: np.ndarray,
    first: np.ndarray,
    last: np.ndarray,
) -> pd.DataFrame:
    types, stages = key_names(key)
    return pd.DataFrame(
        {
            "lead_id": lead_id,
            "activity_type": pd.Series(types, dtype="str"),
            "content_stage": pd.Series(stages, dtype="str"),
            "day": day.astype(np.int64),
            "n": n.astype(np.int64),
            "first_at": _utc(first),
            "last_at": _utc(last),
        }
    )


def _utc(seconds: np.ndarray) -> pd.Series:
    return pd.Series((seconds * 10**9).view("datetime64[ns]")).dt.tz_localize("UTC")


def _event_keys(rng: np.random.Generator, kind: np.ndarray) -> np.ndarray:
    """Keys (int8) drawn a chunk at a time: the same numbers as drawing all at once."""
    codes = np.array([ACTIVITY_TYPES.index(t) for t in _TYPE_WEIGHTS], dtype=np.int8)
    weights = np.array(list(_TYPE_WEIGHTS.values()), dtype=np.float64)
    cumulative = np.cumsum(weights / weights.sum(axis=0), axis=0)  # types x kinds
    chunks = [slice(lo, lo + _CHUNK) for lo in range(0, kind.size, _CHUNK)]
    key = np.empty(kind.size, dtype=np.int8)
    for chunk in chunks:
        part = kind[chunk]
        u = rng.random(part.size)
        picked = np.zeros(part.size, dtype=np.int64)
        for k in range(len(_SESSION_KINDS)):
            mine = part == k
            picked[mine] = np.searchsorted(cumulative[:, k], u[mine], side="right")
        key[chunk] = codes[np.minimum(picked, codes.size - 1)] * _STAGE_SLOTS
    download = ACTIVITY_TYPES.index("content_download") * _STAGE_SLOTS
    for chunk in chunks:
        part = key[chunk]
        stage = rng.choice(len(STAGES), part.size, p=_STAGE_WEIGHTS) + 1
        part += np.where(part == download, stage, 0).astype(np.int8)
    return key


def _draw(
    rng: np.random.Generator,
    vocabulary: tuple[str, ...],
    weights: tuple[float, ...],
    size: int,
    missing: float,
) -> np.ndarray:
    p = np.asarray(weights, dtype=np.float64)
    values = np.array(vocabulary, dtype=object)[rng.choice(p.size, size, p=p / p.sum())]
    values[rng.random(size) < missing] = None
    return values
