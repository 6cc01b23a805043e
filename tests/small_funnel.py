"""Eight hand-built leads whose every funnel number is worked out by hand below.

Definition: no scoring rules, MQL only by the hand-raiser `demo_request`; SQL needs a
conversation and 3 of 4 BANT answers; SLA 24 h. All times are UTC, 2024.

| lead | source   | segment    | own | path (day, 2024)                                 | now      |
|------|----------|------------|-----|--------------------------------------------------|----------|
| L1   | events   | SMB        | ann | Suspect (created 01-02)                          | Suspect  |
| L2   | email    | SMB        | ann | Lead 01-05 (e-mail open)                         | Lead     |
| L3   | email    | Mid-market | ann | Lead = MQL 01-10 (demo request), never touched   | MQL      |
| L4   | paid     | Mid-market | bob | Lead 01-05, MQL 01-06, SAL 01-07, SQL 01-08,     | Won      |
|      |          |            |     | Opportunity 01-15, Won 02-14; touched 2 h after  |          |
| L5   | outbound | Enterprise | bob | Lead 02-02 (a touch), SQL 02-03: MQL bypassed    | SQL      |
| L6   | paid     | SMB        | bob | Lead = MQL 02-06, SAL 02-08; touched 48 h after  | Disqual. |
| L7   | webinar  | Mid-market | cy  | Lead = MQL 02-11, touched 1 h after; 02-20 out   | Recycled |
| L8   | webinar  | Enterprise | cy  | Lead 03-01, MQL 03-04, SQL 03-05 (no SAL),       | Lost     |
|      |          |            |     | Opportunity 03-12, lost 04-11; touched 3 h after |          |

Funnel: Suspect 8, Lead 7, MQL 6 (L5 counts: it passed MQL), SAL 4, SQL 3, Opportunity 2,
Won 1. Key rates: Lead -> MQL 6/7, MQL -> SQL 3/6, SQL -> Won 1/3.
Days between stages: Lead -> MQL 0, 1, 0, 0, 3 (median 0); MQL -> SAL 1, 2; SAL -> SQL 1;
SQL -> Opportunity 7, 7; Opportunity -> Won 30.
Speed-to-lead: 5 MQLs with an MQL moment (not L5), touched after 2, 48, 1, 3 h (median
2.5), 3 within the SLA, L3 never.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
from sqlalchemy import Engine

from db import repository as repo
from db.migrate import upgrade
from domain.definitions.definition import Definition
from domain.engine.lead_table import lead_table
from domain.engine.stages import ALL_STAGES, FUNNEL_STAGES, STAGE_DATE_COLUMNS
from tests.builders import definition, make_activities, make_facts, make_leads, make_touches
from tests.builders import model_of as _model_of

AS_OF = "2024-06-30"
BANT3 = {"budget": True, "authority": True, "need": True}
LEADS: tuple[dict[str, Any], ...] = (
    {"name": "Sam Suspect", "source": "events", "segment": "SMB", "owner": "ann",
     "created_at": "2024-01-02T09:00"},
    {"name": "Lea Lead", "source": "email", "segment": "SMB", "owner": "ann",
     "created_at": "2024-01-03T09:00"},
    {"name": "Max Mql", "source": "email", "segment": "Mid-market", "owner": "ann",
     "created_at": "2024-01-04T09:00"},
    {"name": "Wes Won", "source": "paid", "segment": "Mid-market", "owner": "bob",
     "created_at": "2024-01-05T09:00"},
    {"name": "Bo Bypass", "source": "outbound", "segment": "Enterprise", "owner": "bob",
     "created_at": "2024-02-01T09:00"},
    {"name": "Di Disqualified", "source": "paid", "segment": "SMB", "owner": "bob",
     "created_at": "2024-02-05T09:00"},
    {"name": "Rae Recycled", "source": "webinar", "segment": "Mid-market", "owner": "cy",
     "created_at": "2024-02-10T09:00"},
    {"name": "Lou Lost", "source": "webinar", "segment": "Enterprise", "owner": "cy",
     "created_at": "2024-03-01T09:00"},
)  # fmt: skip
ACTIVITIES: tuple[tuple[int, str, str], ...] = (
    (2, "email_open", "2024-01-05T09:00"),
    (3, "demo_request", "2024-01-10T09:00"),
    (4, "page_view", "2024-01-05T12:00"),
    (4, "demo_request", "2024-01-06T12:00"),
    (6, "demo_request", "2024-02-06T09:00"),
    (7, "demo_request", "2024-02-11T09:00"),
    (8, "email_open", "2024-03-01T09:30"),
    (8, "demo_request", "2024-03-04T09:30"),
)
TOUCHES: tuple[tuple[int, str, str, str], ...] = (
    (4, "2024-01-06T14:00", "call", "connected"),
    (5, "2024-02-02T09:00", "call", "connected"),
    (6, "2024-02-08T09:00", "email", "no_answer"),
    (7, "2024-02-11T10:00", "call", "no_answer"),
    (8, "2024-03-04T12:30", "meeting", "meeting_held"),
)
FACTS: tuple[dict[str, Any], ...] = (
    {"lead_id": 4, "accepted_at": "2024-01-07T12:00", "conversation_at": "2024-01-08T12:00",
     **BANT3, "bant_at": "2024-01-08T12:00", "opportunity_at": "2024-01-15T12:00",
     "won_at": "2024-02-14T12:00"},
    {"lead_id": 5, "conversation_at": "2024-02-02T09:00", **BANT3, "timeline": True,
     "bant_at": "2024-02-03T09:00"},
    {"lead_id": 6, "accepted_at": "2024-02-08T09:00", "disqualified_at": "2024-02-10T09:00"},
    {"lead_id": 7, "recycled_at": "2024-02-20T09:00"},
    {"lead_id": 8, "budget": True, "need": True, "timeline": True,
     "bant_at": "2024-03-05T09:30", "opportunity_at": "2024-03-12T09:30",
     "lost_at": "2024-04-11T09:30"},
)  # fmt: skip


def small_definition() -> Definition:
    return definition(hand_raisers=["demo_request"], mql_threshold=100)


def leads() -> pd.DataFrame:
    """Leads L1..L8 with lead ids 1..8."""
    return make_leads(*(dict(row, company=f"Company {i}") for i, row in enumerate(LEADS, 1)))


def table(as_of: str = AS_OF, d: Definition | None = None) -> pd.DataFrame:
    """The lead table scored as of `as_of` (default: long after everything happened)."""
    frame = leads()
    model = _model_of(
        frame, make_activities(*ACTIVITIES), make_touches(*TOUCHES), make_facts(*FACTS), as_of
    )
    return lead_table(frame, model.score(d or small_definition()))


def touches() -> pd.DataFrame:
    return make_touches(*TOUCHES)


def seed(engine: Engine, d: Definition | None = None) -> None:
    """Write the eight leads (and their activities, touches, facts) and publish `d`."""
    upgrade(engine)
    frame = leads().drop(columns=["lead_id"])
    frame["created_at"] = pd.to_datetime(frame["created_at"], utc=True)
    repo.insert_leads(engine, frame)
    external = {i: f"L{i}" for i in range(1, len(LEADS) + 1)}
    activities = make_activities(*ACTIVITIES)
    activities["occurred_at"] = pd.to_datetime(activities["occurred_at"], utc=True)
    repo.insert_activities(engine, _by_external_id(activities, external))
    moves = make_touches(*TOUCHES)
    moves["touched_at"] = pd.to_datetime(moves["touched_at"], utc=True)
    repo.insert_touches(engine, _by_external_id(moves, external))
    facts = make_facts(*FACTS)
    for column in facts.columns:
        if column.endswith("_at"):
            facts[column] = pd.to_datetime(facts[column], utc=True)
    repo.upsert_sales_facts(engine, _by_external_id(facts, external))
    repo.publish(engine, definition=d or small_definition(), author="test", note="hand-built")


def _by_external_id(frame: pd.DataFrame, external: dict[int, str]) -> pd.DataFrame:
    out = frame.copy()
    out.insert(0, "lead_external_id", out.pop("lead_id").map(external))
    return out


# A lead's path for property tests: which of Lead..Won have a date, its creation day, its
# source, and how it left ("" stays, or "Lost", "Disqualified", "Recycled").
Path = tuple[tuple[bool, ...], int, str, str]
EXITS = ("", "Lost", "Disqualified", "Recycled")


def synthetic_table(paths: list[Path]) -> pd.DataFrame:
    """A lead table built straight from paths (no scoring): stage i is dated i days after
    creation; the highest stage is the last dated one; "Lost" needs an opportunity, and
    then stands in for its date when the lead's creation day is odd."""
    base = pd.Timestamp("2024-01-01", tz="UTC")
    rows = []
    for flags, day, source, exit_stage in paths:
        created = base + pd.Timedelta(days=day)
        row: dict[str, Any] = {"created_at": created, "source": source, "lost_at": pd.NaT}
        for position, stage in enumerate(FUNNEL_STAGES[1:], start=1):
            dated = flags[position - 1]
            row[STAGE_DATE_COLUMNS[stage]] = (
                created + pd.Timedelta(days=position) if dated else pd.NaT
            )
        dated_positions = [0, *(i for i, f in enumerate(flags, start=1) if f)]
        highest = FUNNEL_STAGES[max(dated_positions)]
        leaving = exit_stage if exit_stage != "Lost" or highest == "Opportunity" else ""
        if leaving == "Lost":
            row["lost_at"] = row["opportunity_at"] + pd.Timedelta(days=1)
            if day % 2:
                row["opportunity_at"] = pd.NaT
        row["highest_stage"] = highest
        row["stage"] = leaving or highest
        rows.append(row)
    frame = pd.DataFrame(rows, columns=_SYNTHETIC_COLUMNS)
    for column in _SYNTHETIC_COLUMNS[2:-2]:
        frame[column] = pd.to_datetime(frame[column], utc=True)
    frame["highest_stage"] = pd.Categorical(frame["highest_stage"], FUNNEL_STAGES, ordered=True)
    frame["stage"] = pd.Categorical(frame["stage"], ALL_STAGES)
    frame.index = pd.RangeIndex(1, len(frame) + 1, name="lead_id")
    return frame


_SYNTHETIC_COLUMNS = [
    "source",
    "created_at",
    *(STAGE_DATE_COLUMNS[s] for s in FUNNEL_STAGES[1:]),
    "lost_at",
    "highest_stage",
    "stage",
]
