"""The follow-up queue: MQLs waiting for sales, most urgent first, filtered and paged.

A lead is in the queue when it reached MQL (under the definition scored) and no sales
touch followed its MQL moment yet (`domain.follow_up.sla` statuses on_time, due_soon,
overdue, never), unless sales already closed it (won, lost, disqualified, recycled),
qualified it (SQL, opportunity) or accepted it before the MQL moment (prospected by
sales first, scored MQL later). An accepted (SAL) lead still waits for its first touch.

The demo data (and most imports) have no team per owner, so a lead's team is derived from
its segment: the SMB, Mid-market and Enterprise sales teams.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from domain.definitions.definition import Definition
from domain.engine.lead_table import lead_table
from domain.engine.scoring import ScoringModel
from domain.engine.stages import NEVER
from domain.follow_up.sla import WAITING_STATUSES, follow_up_status

NO_TEAM = "No team"
# Overdue first (the SLA passed, the lead is still warm), then those about to miss it;
# leads waiting 30+ days come last: they still need a touch, but are the least likely
# to answer (HBR: 60x less likely to qualify after a day than within the hour).
URGENCY: tuple[str, ...] = ("overdue", "due_soon", "on_time", "never")
CLOSED_STAGES: tuple[str, ...] = ("Won", "Lost", "Disqualified", "Recycled")
# Sales qualified these already (with or without a logged touch): not waiting for sales.
WORKED_STAGES: tuple[str, ...] = ("SQL", "Opportunity")
STATUS_LABELS: dict[str, str] = {
    "on_time": "On time",
    "due_soon": "Due soon",
    "overdue": "Overdue",
    "never": "Never followed up",
    "followed_up_on_time": "Followed up on time",
    "followed_up_late": "Followed up late",
}
CONTACT_COLUMNS: tuple[str, ...] = ("email", "title", "country")
QUEUE_COLUMNS: tuple[str, ...] = (
    "external_id", "name", "company", "status", "hours_waiting", "score", "owner", "team",
    "source", "stage", "mql_at", "mql_because",
)  # fmt: skip


@dataclass(frozen=True)
class FollowUp:
    """The follow-up picture of one scored lead table."""

    table: pd.DataFrame  # the scored lead table
    status: pd.DataFrame  # follow_up_status of every MQL
    queue: pd.DataFrame  # waiting MQLs sales has not closed, most urgent first
    never: pd.DataFrame  # every MQL never followed up (closed ones too)


def follow_up(
    model: ScoringModel,
    definition: Definition,
    touches: pd.DataFrame,
    table: pd.DataFrame | None = None,
) -> FollowUp:
    """Statuses, the queue and the never-followed-up list under `definition`.

    `table` is `lead_table` of the model under `definition` when the caller has it.
    """
    if table is None:
        table = lead_table(model.leads, model.score(definition))
    status = follow_up_status(table, touches, definition.sla_hours, model.as_of)
    raised = hand_raiser_kinds(model, definition.hand_raisers)
    # Only MQLs are listed: the reason is text, built for them alone.
    because = mql_because(table.loc[status.index, ["mql_reason"]], definition.mql_threshold, raised)
    never = status[status["status"] == "never"]
    return FollowUp(
        table=table,
        status=status,
        queue=build_queue(table, status, because),
        never=build_queue(table, never, because, include_closed=True),
    )


def team_of(segment: pd.Series) -> pd.Series:
    """The sales team that works a segment ("SMB" -> "SMB sales")."""
    named = segment.astype("string").str.strip()
    return (named + " sales").where(named.notna() & (named != ""), NO_TEAM).astype(str)


def hand_raiser_kinds(model: ScoringModel, hand_raisers: tuple[str, ...]) -> pd.Series:
    """Per lead, the hand-raiser activity it did first (None if none), e.g. demo_request."""
    first = np.full(model.n_leads, NEVER, dtype=np.int64)
    kind = np.full(model.n_leads, None, dtype=object)
    for name in hand_raisers:
        at = model.history.first_occurrence_ns(model.history.key_mask({name}))
        earlier = at < first
        first[earlier] = at[earlier]
        kind[earlier] = name
    return pd.Series(kind, index=pd.Index(model.lead_ids, name="lead_id"), name="hand_raiser")


def mql_because(table: pd.DataFrame, threshold: float, hand_raiser: pd.Series) -> pd.Series:
    """Why each lead became an MQL: its hand-raiser, or the score that reached the bar."""
    reason = table["mql_reason"].astype(str)
    raised = hand_raiser.reindex(table.index).fillna("a hand-raiser").astype(str)
    text = pd.Series("", index=table.index, dtype=object)
    text[reason == "score"] = f"score ≥ {threshold:g}"
    text[reason == "fit"] = f"fit alone ≥ {threshold:g}"
    hand = reason == "hand-raiser"
    text[hand] = raised[hand].str.replace("_", " ") + " (hand-raiser)"
    return text.astype(str)


def build_queue(
    table: pd.DataFrame, status: pd.DataFrame, because: pd.Series, *, include_closed: bool = False
) -> pd.DataFrame:
    """Waiting MQLs (QUEUE_COLUMNS, indexed by lead_id), most urgent first.

    `status` is `follow_up_status` of `table`; `because` is `mql_because`. With
    `include_closed`, leads sales closed without a touch stay in (the "never" report).
    """
    waiting = status.index[status["status"].isin(WAITING_STATUSES).to_numpy()]
    rows = table.loc[waiting]
    if not include_closed:
        done = rows["stage"].isin(CLOSED_STAGES + WORKED_STAGES) | taken_over_before_mql(rows)
        rows = rows[~done.to_numpy()]
    queue = pd.DataFrame(
        {
            "external_id": rows["external_id"],
            "name": rows.get("name"),
            "company": rows.get("company"),
            "status": status.loc[rows.index, "status"].astype(str),
            "hours_waiting": status.loc[rows.index, "hours_waiting"],
            "score": rows["score"],
            "owner": rows["owner"],
            "team": team_of(rows["segment"]),
            "source": rows["source"],
            "stage": rows["stage"].astype(str),
            "mql_at": rows["mql_at"],
            "mql_because": because.reindex(rows.index),
        },
        index=rows.index,
    )
    return sort_by_urgency(queue[list(QUEUE_COLUMNS)])


def taken_over_before_mql(table: pd.DataFrame) -> pd.Series:
    """Leads sales accepted or qualified before marketing's MQL moment: not waiting.

    (Sales prospected them first; the score crossed the threshold later.)
    """
    taken = pd.Series(False, index=table.index)
    for column in ("sal_at", "sql_at", "opportunity_at"):
        if column in table:
            taken |= (table[column] < table["mql_at"]).fillna(False).astype(bool)
    return taken


def sort_by_urgency(queue: pd.DataFrame) -> pd.DataFrame:
    """Overdue high scorers first: status (URGENCY order), score, then longest waiting."""
    rank = queue["status"].map({s: i for i, s in enumerate(URGENCY)}).fillna(len(URGENCY))
    keys = pd.DataFrame(
        {"rank": rank, "score": -queue["score"], "waited": -queue["hours_waiting"].fillna(0)}
    )
    order = np.lexsort((keys["waited"], keys["score"], keys["rank"]))
    return queue.iloc[order]


@dataclass(frozen=True)
class QueueFilters:
    """What a rep narrowed the queue to; empty tuples mean "all"."""

    owners: tuple[str, ...] = ()
    teams: tuple[str, ...] = ()
    stages: tuple[str, ...] = ()
    statuses: tuple[str, ...] = ()
    search: str = ""  # part of the external id, name or company, any case


def filter_queue(queue: pd.DataFrame, filters: QueueFilters) -> pd.DataFrame:
    """The rows of `queue` that pass every filter, in the same order."""
    keep = np.ones(len(queue), dtype=bool)
    for column, wanted in (
        ("owner", filters.owners),
        ("team", filters.teams),
        ("stage", filters.stages),
        ("status", filters.statuses),
    ):
        if wanted:
            keep &= queue[column].isin(wanted).to_numpy()
    needle = filters.search.strip().casefold()
    if needle:
        found = np.zeros(len(queue), dtype=bool)
        for column in ("external_id", "name", "company"):
            text = queue[column].astype("string").str.casefold()
            found |= text.str.contains(needle, regex=False).fillna(False).to_numpy(bool)
        keep &= found
    return queue[keep]


@dataclass(frozen=True)
class QueuePage:
    """One page of a queue: its rows and where it sits (pages count from 1)."""

    rows: pd.DataFrame
    number: int
    pages: int
    total: int
    first: int  # 1-based row number of the first row (0 when empty)
    last: int


def paginate(frame: pd.DataFrame, number: int, size: int) -> QueuePage:
    """Page `number` of `frame` (clamped to the pages there are)."""
    if size < 1:
        raise ValueError("page size must be at least 1")
    total = len(frame)
    pages = max(1, -(-total // size))
    number = min(max(1, int(number)), pages)
    start = (number - 1) * size
    rows = frame.iloc[start : start + size]
    return QueuePage(rows, number, pages, total, start + 1 if total else 0, start + len(rows))


def waiting_text(hours: float) -> str:
    """A wait a rep reads at a glance: "45 min", "5 h", "3 d"."""
    if pd.isna(hours):
        return ""
    if hours < 1:
        return f"{max(0, int(hours * 60))} min"
    if hours < 48:
        return f"{int(hours)} h"
    return f"{int(hours // 24)} d"


def export_frame(queue: pd.DataFrame, leads: pd.DataFrame | None = None) -> pd.DataFrame:
    """The queue for dialers and e-mail tools: external id first, contact details, ISO UTC.

    `leads` (the leads frame) adds the e-mail, title and country of each lead.
    """
    out = queue.reset_index()[["external_id", "lead_id", *QUEUE_COLUMNS[1:]]].copy()
    if leads is not None:
        contact = [c for c in CONTACT_COLUMNS if c in leads]
        details = leads.set_index("lead_id")[contact]
        out = out.join(details, on="lead_id")
        out = out[["external_id", "lead_id", "name", *contact, *QUEUE_COLUMNS[2:]]]
    out["score"] = out["score"].round(1)
    out["hours_waiting"] = out["hours_waiting"].round(1)
    out["mql_at"] = out["mql_at"].map(lambda t: t.isoformat() if pd.notna(t) else "")
    return out
