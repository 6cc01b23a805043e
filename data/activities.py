"""Marketing activities: a steady newsletter stream plus bursts of web engagement.

Every engaged lead receives the weekly newsletter and opens it at its own rate (some open
50+). On top of that, a lead engages in a few episodes of some days to weeks, then goes
quiet; the hotter the episode, the more pricing views, decision content and hand-raisers.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from pandas.api.extensions import ExtensionArray

from data import names
from data.leads import LeadTraits
from data.sampling import (
    DAY,
    HOUR,
    business_day,
    chance,
    cumsum_in_run,
    lead_time_key,
    lognormal,
    owners,
    pick,
    pick_rows,
    rank_in_run,
    strings,
    take,
    take_str,
    to_utc,
)
from domain.definitions.defaults import ACTIVITY_TYPES
from domain.definitions.definition import CONTENT_STAGES

Part = dict[str, np.ndarray]


def make_activities(
    rng: np.random.Generator, traits: LeadTraits, external_ids: ExtensionArray, as_of: float
) -> tuple[pd.DataFrame, np.ndarray]:
    """The activity log, sorted by lead and time, and each row's lead position."""
    engaged = np.flatnonzero(~traits.suspect)
    parts = _newsletter(rng, traits, engaged, as_of)
    parts += _episodes(rng, traits, engaged, as_of)
    log = {key: np.concatenate([part[key] for part in parts]) for key in parts[0]}
    keep = np.flatnonzero(log["t"] < as_of)
    order = keep[np.argsort(lead_time_key(log["lead"][keep], log["t"][keep]), kind="stable")]
    log = {key: values[order] for key, values in log.items()}
    frame = pd.DataFrame(
        {
            "lead_external_id": external_ids.take(log["lead"]),
            "activity_type": take_str(ACTIVITY_TYPES, log["kind"]),
            "occurred_at": to_utc(log["t"]),
            "content_stage": take_str(CONTENT_STAGES, log["stage"]),
            "asset": strings(log["asset"]),
            "duration_s": log["duration"],
        }
    )
    return frame, log["lead"]


def _part(
    lead: np.ndarray,
    kind: str,
    t: np.ndarray,
    *,
    asset: np.ndarray | str | None = None,
    stage: np.ndarray | None = None,
    duration: np.ndarray | None = None,
) -> Part:
    n = len(lead)
    return {
        "lead": lead,
        "kind": np.full(n, ACTIVITY_TYPES.index(kind)),
        "t": np.floor(t),
        "stage": np.full(n, -1) if stage is None else stage,
        "asset": asset if isinstance(asset, np.ndarray) else np.full(n, asset, dtype=object),
        "duration": np.full(n, np.nan) if duration is None else np.round(duration, 1),
    }


def _newsletter(
    rng: np.random.Generator, traits: LeadTraits, engaged: np.ndarray, as_of: float
) -> list[Part]:
    """Weekly sends (Tuesdays 14:00 UTC) from each lead's creation on: opens, clicks, exits."""
    start = pd.Timestamp(traits.created.min(), unit="s", tz="UTC").floor("D")
    sends = pd.date_range(start, pd.Timestamp(as_of, unit="s", tz="UTC"), freq="W-TUE")
    campaigns = np.asarray("Newsletter " + sends.strftime("%Y-%m-%d"), dtype=object)
    send_t = sends.as_unit("s").asi8.astype(float) + 14 * HOUR
    first = np.searchsorted(send_t, traits.created[engaged], side="right")
    received = len(send_t) - first
    intent = traits.intent[engaged]
    # Bad addresses bounce on the first sends and are then suppressed.
    bad = chance(rng, np.where(traits.freemail[engaged], 0.07, 0.025), len(engaged))
    bad &= received > 0
    bounces = np.where(bad, np.minimum(received, rng.integers(1, 4, len(engaged))), 0)
    bounce_send = first[owners(bounces)] + rank_in_run(bounces)
    bounce_lead = engaged[owners(bounces)]
    p_open = np.clip(rng.normal(0.05 + 0.85 * intent, 0.12), 0.01, 0.95)
    opened = np.where(bad, 0, rng.binomial(received, p_open))
    # Re-opens (and mail clients that pre-open) make a few leads open 50+ times.
    opens = opened + rng.poisson(opened * np.minimum(lognormal(rng, 0.2, 1.0, len(engaged)), 1.5))
    row = owners(opens)
    send = first[row] + np.floor(rng.random(len(row)) * received[row]).astype(int)
    open_t = send_t[send] + np.maximum(60.0, lognormal(rng, 3 * HOUR, 1.5, len(row)))
    exit_t = _unsubscribe_times(rng, traits, engaged, as_of)
    kept = open_t < exit_t[row]
    row, send, open_t = row[kept], send[kept], open_t[kept]
    clicked = chance(rng, 0.03 + 0.35 * intent[row] ** 1.5, len(row))
    click_t = open_t[clicked] + rng.exponential(90.0, clicked.sum())
    quits = np.flatnonzero((exit_t < as_of) & ~bad)
    quit_send = np.maximum(np.searchsorted(send_t, exit_t[quits]) - 1, 0)
    return [
        _part(bounce_lead, "email_bounce", send_t[bounce_send] + 30, asset=campaigns[bounce_send]),
        _part(engaged[row], "email_open", open_t, asset=campaigns[send]),
        _part(engaged[row[clicked]], "email_click", click_t, asset=campaigns[send[clicked]]),
        _part(engaged[quits], "unsubscribe", exit_t[quits], asset=campaigns[quit_send]),
    ]


def _unsubscribe_times(
    rng: np.random.Generator, traits: LeadTraits, engaged: np.ndarray, as_of: float
) -> np.ndarray:
    """When each engaged lead unsubscribes (inf if it never does); the uninterested leave."""
    created = traits.created[engaged]
    leaves = chance(rng, 0.03 + 0.16 * (1 - traits.intent[engaged]) ** 2, len(engaged))
    t = np.floor(created + rng.random(len(engaged)) * (as_of - created))
    return np.where(leaves, np.maximum(t, created), np.inf)


def _episodes(
    rng: np.random.Generator, traits: LeadTraits, engaged: np.ndarray, as_of: float
) -> list[Part]:
    """Bursts of engagement; later bursts run hotter, as a buying journey moves on."""
    count = 1 + rng.poisson(0.3 + 2.2 * traits.intent[engaged])
    lead = engaged[owners(count)]
    nth = rank_in_run(count)
    length = np.clip(lognormal(rng, 9.0, 0.6, len(lead)), 1.0, 60.0) * DAY
    step = length + lognormal(rng, 55.0, 0.7, len(lead)) * DAY
    # Exclusive running total; the first burst starts exactly at creation (no float dust).
    start = traits.created[lead] + np.where(nth == 0, 0.0, cumsum_in_run(step, count) - step)
    live = start < as_of
    lead, start, length, nth = lead[live], start[live], length[live], nth[live]
    boost = lognormal(rng, 1.0, 0.45, len(lead)) * (1 + 0.2 * nth)
    heat = np.clip(traits.intent[lead] * boost, 0.0, 1.0)
    parts = _sessions(rng, lead, start, length, heat)
    parts += _episode_events(rng, lead, start, length, heat)
    return parts


def _sessions(
    rng: np.random.Generator,
    lead: np.ndarray,
    start: np.ndarray,
    length: np.ndarray,
    heat: np.ndarray,
) -> list[Part]:
    """Website visits: a few page views, sometimes pricing, content, a CTA or a hand-raise."""
    count = 1 + rng.poisson(0.5 + 4.0 * heat)
    episode = owners(count)
    # The first visit of a burst opens it; the rest spread over the burst.
    offset = np.where(rank_in_run(count) == 0, 0.0, rng.random(len(episode)))
    visit_t = business_day(rng, start[episode] + offset * length[episode], start[episode])
    visit_heat = heat[episode]
    visit_lead, n = lead[episode], len(episode)

    def within(visits: np.ndarray, low: float, high: float) -> np.ndarray:
        return visit_t[visits] + rng.uniform(low, high, len(visits))

    views = owners(1 + rng.poisson(0.8 + 2.0 * visit_heat))
    pricing = owners(chance(rng, 0.01 + 0.3 * visit_heat**2, n) * (1 + rng.poisson(0.3, n)))
    download = np.flatnonzero(chance(rng, 0.06 + 0.22 * visit_heat, n))
    stage, content = _content(rng, visit_heat[download])
    cta = np.flatnonzero(chance(rng, 0.04 + 0.18 * visit_heat, n))
    demo = np.flatnonzero(chance(rng, 0.0003 + 0.035 * visit_heat**3, n))
    contact = np.flatnonzero(chance(rng, 0.0003 + 0.012 * visit_heat**2, n))
    page = take(names.PAGES, pick(rng, names.PAGE_WEIGHTS, len(views)))
    return [
        _part(visit_lead[views], "page_view", within(views, 0, 900), asset=page,
              duration=np.clip(lognormal(rng, 40.0, 1.0, len(views)), 3, 1800)),
        _part(visit_lead[pricing], "pricing_page_view", within(pricing, 60, 900),
              asset="/pricing", duration=np.clip(lognormal(rng, 70.0, 0.9, len(pricing)), 5, 1800)),
        _part(visit_lead[download], "content_download", within(download, 120, 1200),
              stage=stage, asset=content),
        _part(visit_lead[cta], "cta_click", within(cta, 60, 1200),
              asset=take(names.CTAS, rng.integers(0, len(names.CTAS), len(cta)))),
        _part(visit_lead[demo], "demo_request", within(demo, 600, 1500), asset="/demo"),
        _part(visit_lead[contact], "contact_form", within(contact, 600, 1500), asset="/contact"),
    ]  # fmt: skip


def _content(rng: np.random.Generator, heat: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Buying stage and title of downloads: hot visitors read bottom-of-funnel content."""
    decision = 0.03 + 0.55 * heat**2
    consideration = 0.25 + 0.25 * heat
    stage = pick_rows(rng, np.column_stack([1 - decision - consideration, consideration, decision]))
    shelf = [take(titles, rng.integers(0, len(titles), len(stage))) for titles in names.CONTENT]
    return stage, np.choose(stage, shelf) if len(stage) else np.empty(0, dtype=object)


def _episode_events(
    rng: np.random.Generator,
    lead: np.ndarray,
    start: np.ndarray,
    length: np.ndarray,
    heat: np.ndarray,
) -> list[Part]:
    """Social engagement and webinars, once or a few times per burst."""
    n = len(lead)
    social = owners(rng.poisson(0.2 + 1.2 * heat))
    social_t = business_day(
        rng, start[social] + rng.random(len(social)) * length[social], start[social]
    )
    registered = np.flatnonzero(chance(rng, 0.04 + 0.35 * heat, n))
    register_t = start[registered] + rng.random(len(registered)) * length[registered]
    register_t = business_day(rng, register_t, start[registered])
    webinar = take(names.WEBINARS, rng.integers(0, len(names.WEBINARS), len(registered)))
    # Webinars run at 16:00 UTC, a few days to two weeks after sign-up.
    session_day = np.floor((register_t + rng.uniform(2, 14, len(registered)) * DAY) / DAY)
    attended = chance(rng, 0.35 + 0.4 * heat[registered], len(registered))
    attend_t = session_day[attended] * DAY + 16 * HOUR + rng.uniform(0, 300, attended.sum())
    minutes = np.clip(lognormal(rng, 2_400.0, 0.5, attended.sum()), 300, 3_600)
    return [
        _part(lead[social], "social_engagement", social_t,
              asset=take(names.SOCIAL_POSTS, rng.integers(0, 4, len(social)))),
        _part(lead[registered], "webinar_registered", register_t, asset=webinar),
        _part(lead[registered[attended]], "webinar_attended", attend_t,
              asset=webinar[attended], duration=minutes),
    ]  # fmt: skip
