"""What the generator reads off the frames it made: a lead's fit and its "hot moment".

Both are pure functions of the public frames, so tests (and curious readers) can recompute
them. The hot moment is a generator-side proxy for "sales should call now", deliberately
simpler than the app's scoring engine: the first hand-raiser, or the first time recent
engagement (a 14-day window, no decay) plus fit clears a bar.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from data.sampling import DAY, epoch_seconds, lead_time_key, to_utc

INDUSTRY_FIT = {
    "SaaS": 1.0, "Fintech": 0.9, "Healthcare": 0.6, "Manufacturing": 0.55, "Logistics": 0.55,
    "Retail": 0.35, "Media": 0.35, "Education": 0.15, "Government": 0.2, "Other": 0.2,
}  # fmt: skip
SENIORITY_FIT = {
    "C-level": 0.9, "VP": 1.0, "Director": 0.85, "Manager": 0.55,
    "Individual contributor": 0.25, "Student": 0.0,
}  # fmt: skip
COUNTRY_FIT = {"US": 1.0, "GB": 1.0, "DE": 1.0, "CA": 1.0, "NL": 1.0, "FR": 1.0, "AU": 0.7,
               "SE": 0.7, "ES": 0.6, "IT": 0.6}  # fmt: skip
# Free-mail addresses hide the company; students and competitors will never buy.
EMAIL_FACTOR = (("@gmail.com", 0.6), (".edu", 0.2), ("@rivalcrm.com", 0.0))

HOT_WEIGHTS = {
    "email_click": 2.0, "cta_click": 4.0, "page_view": 1.0, "pricing_page_view": 10.0,
    "webinar_registered": 4.0, "webinar_attended": 12.0, "social_engagement": 1.0,
    "unsubscribe": -20.0, "email_bounce": -10.0,
}  # fmt: skip
CONTENT_WEIGHTS = {"awareness": 3.0, "consideration": 8.0, "decision": 15.0}
HAND_RAISERS: tuple[str, ...] = ("demo_request", "contact_form")
HOT_WINDOW_DAYS = 14
HOT_THRESHOLD = 60.0
FIT_POINTS = 40.0


def lead_fit(leads: pd.DataFrame) -> pd.Series:
    """How well each lead matches the ideal customer, 0..1 (same index as `leads`)."""
    size = np.log10(leads["company_size"].astype(float).clip(lower=1))
    size_fit = ((size - 1) / 3).clip(0, 1).fillna(0.3)
    growth = leads["custom"].str.get("employee_growth").astype(float)
    growth_fit = ((growth + 0.1) / 0.5).clip(0, 1).fillna(0.4)
    seniority = leads["custom"].str.get("seniority")
    score = (
        0.27 * leads["industry"].map(INDUSTRY_FIT).astype(float).fillna(0.2)
        + 0.25 * size_fit
        + 0.25 * seniority.map(SENIORITY_FIT).astype(float).fillna(0.4)
        + 0.12 * leads["country"].map(COUNTRY_FIT).astype(float).fillna(0.35)
        + 0.11 * growth_fit
    )
    email = leads["email"].astype(str).str.lower()
    for ending, factor in EMAIL_FACTOR:
        score = score.where(~email.str.endswith(ending), score * factor)
    return score.rename("fit")


def hot_moments(leads: pd.DataFrame, activities: pd.DataFrame) -> pd.Series:
    """When each lead first turned hot, indexed by external_id; leads never hot are absent."""
    code = pd.Categorical(activities["lead_external_id"], categories=leads["external_id"]).codes
    known = activities[code >= 0]
    hot = hot_seconds(
        code[code >= 0].astype(np.int64),
        epoch_seconds(known["occurred_at"]),
        known["activity_type"],
        known["content_stage"],
        lead_fit(leads).to_numpy(),
    )
    reached = np.flatnonzero(~np.isnan(hot))
    return pd.Series(
        to_utc(hot[reached]).array,
        index=pd.Index(leads["external_id"].to_numpy()[reached], name="external_id"),
        name="hot_at",
    )


def hot_seconds(
    lead: np.ndarray,
    seconds: np.ndarray,
    activity_type: pd.Series,
    content_stage: pd.Series,
    fit: np.ndarray,
) -> np.ndarray:
    """Per lead (row-aligned with `fit`), the epoch second it turned hot, NaN if never."""
    key = lead_time_key(lead, seconds)
    # The generator hands rows over sorted already; only foreign frames pay for the sort.
    order = np.arange(len(key)) if np.all(key[1:] >= key[:-1]) else np.argsort(key, kind="stable")
    lead, seconds, key = lead[order], seconds[order], key[order]
    weight = _weights(activity_type, HOT_WEIGHTS) + _weights(content_stage, CONTENT_WEIGHTS)
    raised = _weights(activity_type, dict.fromkeys(HAND_RAISERS, 1.0))[order] > 0
    running = np.concatenate([[0.0], np.cumsum(weight[order])])
    # Window starts at 14 days back, but never before the lead's own first activity.
    first_of_lead = np.searchsorted(lead, lead, side="left")
    window_start = np.searchsorted(key, key - HOT_WINDOW_DAYS * DAY, side="left")
    start = np.maximum(window_start, first_of_lead)
    recent = running[1:] - running[start]
    hot = (recent + FIT_POINTS * fit[lead] >= HOT_THRESHOLD) | raised
    rows = np.flatnonzero(hot)
    leads_hot, first = np.unique(lead[rows], return_index=True)
    result = np.full(len(fit), np.nan)
    result[leads_hot] = seconds[rows[first]]
    return result


def _weights(values: pd.Series, table: dict[str, float]) -> np.ndarray:
    """Looks each distinct value up once: millions of rows, a dozen distinct values."""
    codes, uniques = pd.factorize(values)
    lookup = np.array([table.get(value, 0.0) for value in uniques] + [0.0])
    return lookup[codes]
