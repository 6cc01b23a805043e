"""Leads: who they are (firmographics, title, e-mail), where they came from, who owns them."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from data import names
from data.sampling import DAY, HOUR, chance, lognormal, pick, pick_rows, sigmoid, take, to_utc
from data.signals import lead_fit

SOURCES: tuple[str, ...] = (
    "organic_search", "paid_search", "social", "email", "referral",
    "webinar", "events", "direct", "outbound",
)  # fmt: skip
INBOUND_SOURCE_WEIGHTS = (0.25, 0.17, 0.12, 0.09, 0.07, 0.10, 0.08, 0.09, 0.03)
# Suspects sit on lists nobody engaged with yet: prospecting lists, badge scans, referrals.
SUSPECT_SOURCE_WEIGHTS = (0, 0, 0, 0, 0.15, 0, 0.30, 0, 0.55)
# How much a channel says about buying intent (referrals and direct visits mean business).
SOURCE_INTENT = np.array([0.1, -0.1, -0.35, 0.0, 0.45, 0.25, 0.0, 0.35, -0.3])
OUTBOUND = SOURCES.index("outbound")

SEGMENTS: tuple[str, ...] = ("SMB", "Mid-market", "Enterprise")
SUSPECT_SHARE = 0.20
STUDENT_SHARE = 0.03
COMPETITOR_SHARE = 0.004
FREEMAIL_SHARE = 0.15
HISTORY_MONTHS = 14
# Mild seasonality: summer and year-end dips, autumn and spring peaks (January = index 0).
MONTH_FACTOR = np.array([1.05, 1.05, 1.1, 1.0, 1.0, 0.95, 0.85, 0.8, 1.1, 1.15, 1.05, 0.8])
UNIVERSITY_SIZES = np.array([12_000.0, 3_500.0, 8_000.0, 6_500.0, 1_800.0, 9_000.0])


@dataclass(frozen=True)
class LeadTraits:
    """Row-aligned facts the later generator stages need, including the latent ones."""

    created: np.ndarray  # epoch seconds, ascending
    fit: np.ndarray  # 0..1, observable: derived from firmographics and e-mail
    intent: np.ndarray  # 0..1, latent buying intent
    suspect: np.ndarray
    outbound: np.ndarray
    student: np.ndarray
    competitor: np.ndarray
    freemail: np.ndarray
    seniority: np.ndarray  # index into names.SENIORITIES
    segment: np.ndarray  # index into SEGMENTS
    owner: np.ndarray  # index into names.REPS


def make_leads(rng: np.random.Generator, n: int, as_of: float) -> tuple[pd.DataFrame, LeadTraits]:
    """The leads frame (minus intent, which stays latent) and the traits behind it."""
    created = _created_times(rng, n, as_of)
    company = _companies(rng, n)
    person = _people(rng, n, company)
    suspect = chance(rng, SUSPECT_SHARE, n)
    source = np.where(
        suspect, pick(rng, SUSPECT_SOURCE_WEIGHTS, n), pick(rng, INBOUND_SOURCE_WEIGHTS, n)
    )
    segment = np.searchsorted([200, 5_000], company["size"], side="right")
    owner = _owners(rng, segment)
    frame = _lead_frame(created, company, person, source, segment, owner)
    fit = lead_fit(frame).to_numpy()
    student, competitor = person["student"], person["competitor"]
    # Good-fit leads engage a bit more; competitors snoop, students read for coursework.
    z = -1.5 + 2.0 * (fit - 0.5) + SOURCE_INTENT[source] + 1.15 * rng.standard_normal(n)
    intent = sigmoid(z + 1.4 * competitor + 0.4 * student)
    traits = LeadTraits(
        created, fit, intent, suspect, source == OUTBOUND, student, competitor,
        person["freemail"], person["seniority"], segment, owner,
    )  # fmt: skip
    return frame, traits


def _people(
    rng: np.random.Generator, n: int, company: dict[str, np.ndarray]
) -> dict[str, np.ndarray]:
    """Who the lead is; students and competitors get their own employer and domain."""
    kind = pick(rng, (STUDENT_SHARE, COMPETITOR_SHARE, 1 - STUDENT_SHARE - COMPETITOR_SHARE), n)
    student, competitor = kind == 0, kind == 1
    _make_students(rng, company, student)
    _make_competitors(company, competitor)
    seniority, department = _roles(rng, company["size"], student)
    freemail = ~student & ~competitor & chance(rng, FREEMAIL_SHARE, n)
    first = rng.integers(0, len(names.FIRST_NAMES), n)
    last = rng.integers(0, len(names.LAST_NAMES), n)
    return {
        "student": student,
        "competitor": competitor,
        "freemail": freemail,
        "seniority": seniority,
        "department": department,
        "name": np.char.add(
            np.char.add(take(names.FIRST_NAMES, first).astype(str), " "),
            take(names.LAST_NAMES, last).astype(str),
        ),
        "email": _emails(rng, first, last, company["domain"], freemail),
    }


def _lead_frame(
    created: np.ndarray,
    company: dict[str, np.ndarray],
    person: dict[str, np.ndarray],
    source: np.ndarray,
    segment: np.ndarray,
    owner: np.ndarray,
) -> pd.DataFrame:
    """The leads frame, external ids in creation order (L000001 is the oldest)."""
    n = len(created)
    frame = pd.DataFrame(
        {
            "external_id": np.char.add("L", np.char.zfill(np.arange(1, n + 1).astype(str), 6)),
            "name": person["name"],
            "email": person["email"],
            "company": company["name"],
            "title": _titles(person["seniority"], person["department"]),
            "industry": take(names.INDUSTRIES, company["industry"]),
            "company_size": company["size"],
            "country": take(names.COUNTRIES, company["country"]),
            "source": take(SOURCES, source),
            "segment": take(SEGMENTS, segment),
            "owner": take(names.REPS, owner),
            "created_at": to_utc(created),
        }
    )
    frame["custom"] = _custom(
        person["seniority"], person["department"], person["student"], company["growth"]
    )
    return frame


def _custom(
    seniority: np.ndarray, department: np.ndarray, student: np.ndarray, growth: np.ndarray
) -> list[dict[str, object]]:
    """Custom attributes as imports bring them: one small dict per lead."""
    levels = take(names.SENIORITIES, seniority).tolist()
    departments = take(names.DEPARTMENTS, np.where(student, -1, department)).tolist()
    return [
        {"seniority": s, "department": d, "employee_growth": g}
        for s, d, g in zip(levels, departments, growth.tolist(), strict=True)
    ]


def _created_times(rng: np.random.Generator, n: int, as_of: float) -> np.ndarray:
    """Creation times over the last 14 months: weekdays, seasonality, a slowly growing funnel."""
    end = pd.Timestamp(as_of, unit="s", tz="UTC").floor("D")
    days = pd.date_range(end - pd.DateOffset(months=HISTORY_MONTHS), end, inclusive="left")
    weekday = np.where(days.day_of_week >= 5, 0.3, 1.0)
    trend = np.linspace(0.85, 1.15, len(days))
    weights = weekday * trend * MONTH_FACTOR[days.month - 1]
    day = pick(rng, weights, n)
    time_of_day = np.clip(rng.normal(15 * HOUR, 3.5 * HOUR, n), 0, DAY - 1)
    start = days[0].timestamp()
    created = np.floor(start + day * DAY + time_of_day)
    return np.sort(np.minimum(created, as_of - 1))


def _companies(rng: np.random.Generator, n: int) -> dict[str, np.ndarray]:
    """Each lead's company, drawn from a pool so colleagues share firmographics."""
    p, r, s = len(names.COMPANY_PREFIXES), len(names.COMPANY_ROOTS), len(names.COMPANY_SUFFIXES)
    pool = min(p * r * s, max(20, n // 4))
    combo = rng.choice(p * r * s, size=pool, replace=False)
    prefix, root, suffix = combo // (r * s), combo // s % r, combo % s
    size = np.clip(np.round(lognormal(rng, 90.0, 2.3, pool)), 1, 100_000)
    # Bigger companies have more people who end up as leads.
    weight = size**0.15 * lognormal(rng, 1.0, 0.5, pool)
    chosen = rng.choice(pool, size=n, p=weight / weight.sum())
    stem = np.char.add(take(names.COMPANY_PREFIXES, prefix).astype(str),
                       take(names.COMPANY_ROOTS, root).astype(str))  # fmt: skip
    suffix_text = take(names.COMPANY_SUFFIXES, suffix).astype(str)
    country = pick(rng, names.COUNTRY_WEIGHTS, pool)
    domain = np.char.add(
        np.char.lower(np.char.add(stem, np.char.replace(suffix_text, " ", ""))),
        take(names.COUNTRY_TLDS, country).astype(str),
    )
    growth = np.round(np.clip(rng.normal(0.08, 0.15, pool), -0.4, 1.5), 3)
    columns = {
        "name": np.char.add(stem, suffix_text).astype(object),
        "domain": domain.astype(object),
        "industry": pick(rng, names.INDUSTRY_WEIGHTS, pool),
        "size": size,
        "country": country,
        "growth": growth,
    }
    return {key: values[chosen] for key, values in columns.items()}


def _make_students(
    rng: np.random.Generator, company: dict[str, np.ndarray], mask: np.ndarray
) -> None:
    uni = rng.integers(0, len(names.UNIVERSITIES), mask.sum())
    company["name"][mask] = take([u[0] for u in names.UNIVERSITIES], uni)
    company["domain"][mask] = take([u[1] for u in names.UNIVERSITIES], uni)
    company["industry"][mask] = names.INDUSTRIES.index("Education")
    company["size"][mask] = UNIVERSITY_SIZES[uni]
    company["growth"][mask] = 0.01


def _make_competitors(company: dict[str, np.ndarray], mask: np.ndarray) -> None:
    company["name"][mask], company["domain"][mask] = names.COMPETITOR
    company["industry"][mask] = names.INDUSTRIES.index("SaaS")
    company["size"][mask] = 850.0
    company["country"][mask] = names.COUNTRIES.index("US")
    company["growth"][mask] = 0.35


def _roles(
    rng: np.random.Generator, size: np.ndarray, student: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Seniority and department; founders and C-levels are reachable in small companies."""
    small = (size < 50)[:, None]
    probabilities = np.where(
        small, [0.22, 0.08, 0.12, 0.25, 0.33, 0.0], [0.04, 0.09, 0.17, 0.29, 0.41, 0.0]
    )
    seniority = np.where(student, names.SENIORITIES.index("Student"), pick_rows(rng, probabilities))
    department = pick(rng, names.DEPARTMENT_WEIGHTS, len(size))
    return seniority, department


def _titles(seniority: np.ndarray, department: np.ndarray) -> np.ndarray:
    table = np.array(names.TITLES, dtype=object)
    return table[seniority, department]


def _emails(
    rng: np.random.Generator,
    first: np.ndarray,
    last: np.ndarray,
    domain: np.ndarray,
    freemail: np.ndarray,
) -> np.ndarray:
    """first.last@company-domain, or a gmail address; duplicates get a number."""
    slug = [name.lower().replace(" ", "").replace("'", "") for name in names.LAST_NAMES]
    local = np.char.add(
        np.char.add(np.char.lower(take(names.FIRST_NAMES, first).astype(str)), "."),
        take(slug, last).astype(str),
    )
    year = rng.integers(70, 100, len(first)).astype(str)
    local = np.where(freemail & chance(rng, 0.5, len(first)), np.char.add(local, year), local)
    host = np.where(freemail, names.FREEMAIL_DOMAIN, domain.astype(str))
    emails = pd.Series(np.char.add(np.char.add(local, "@"), host))
    repeat = emails.groupby(emails).cumcount().to_numpy()
    numbered = np.char.add(np.char.add(local, (repeat + 1).astype(str)), "@")
    return np.where(repeat > 0, np.char.add(numbered, host), emails.to_numpy(dtype=str))


def _owners(rng: np.random.Generator, segment: np.ndarray) -> np.ndarray:
    """Round-robin per segment in creation order, with the odd manual reassignment."""
    owner = np.empty(len(segment), dtype=int)
    for index, name in enumerate(SEGMENTS):
        reps = np.array([names.REPS.index(rep) for rep in names.REPS_BY_SEGMENT[name]])
        rows = np.flatnonzero(segment == index)
        turn = np.arange(len(rows)) % len(reps)
        manual = chance(rng, 0.12, len(rows))
        turn[manual] = rng.integers(0, len(reps), manual.sum())
        owner[rows] = reps[turn]
    return owner
