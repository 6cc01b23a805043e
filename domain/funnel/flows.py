"""How leads move between stages: the links of a Sankey diagram, and where leads end up.

A lead's path is the funnel stages it has a date for, in funnel order (Suspect always:
its creation). Consecutive stages of the path are one link each, so a lead that skipped
a stage flows past it: a sales-prospected lead goes Lead -> SQL, bypassing MQL. The path
ends at the lead's highest stage; a lead that was then lost, disqualified or recycled
flows on into that exit. Leads still open stay at their highest stage.

The funnel counts a lead at every stage up to its highest, so a stage's node can hold
fewer leads than its funnel bar (by the leads that skipped it). The leads whose highest
stage is S, though, are exactly funnel[S] - funnel[S + 1]: see `furthest_stages`.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from domain.engine.stages import FUNNEL_STAGES, STAGE_DATE_COLUMNS

EXIT_STAGES: tuple[str, ...] = ("Lost", "Disqualified", "Recycled")
FLOW_NODES: tuple[str, ...] = FUNNEL_STAGES + EXIT_STAGES
LINK_COLUMNS = ("source", "target", "leads", "kind", "skipped")
OUTCOME_COLUMNS = ("stage", "leads", "open", *(s.lower() for s in EXIT_STAGES))


def stage_dated(table: pd.DataFrame) -> np.ndarray:
    """(leads x funnel stages) whether each lead has the stage's own date."""
    columns = []
    for stage in FUNNEL_STAGES:
        dated = table[STAGE_DATE_COLUMNS[stage]].notna().to_numpy()
        if stage == "Opportunity":  # a lost deal was in the forecast
            dated = dated | table["lost_at"].notna().to_numpy()
        columns.append(dated)
    matrix = np.column_stack(columns) if len(table) else np.zeros((0, len(FUNNEL_STAGES)), bool)
    matrix[:, 0] = True  # every lead was a suspect from its creation on
    return matrix


def flow_links(table: pd.DataFrame, start: str = "Suspect") -> pd.DataFrame:
    """Leads per (source, target) link; kind is "next" (the following stage), "skip"
    (stages skipped, named in `skipped`) or "exit" (into Lost/Disqualified/Recycled).

    With `start` later than Suspect, the stages before it become one node, "Before
    <start>", so the diagram is not dwarfed by the leads that never got far; the moves
    among those early stages are left out, the moves out of them are kept.
    """
    dated = stage_dated(table)
    n_stages = len(FUNNEL_STAGES)
    following = np.full(len(table), -1)
    nexts = np.full(dated.shape, -1)
    for position in reversed(range(n_stages)):
        nexts[:, position] = following
        following = np.where(dated[:, position], position, following)
    leads, positions = np.nonzero(dated & (nexts >= 0))
    pairs = pd.DataFrame({"source": positions, "target": nexts[leads, positions]})
    first = FUNNEL_STAGES.index(start)
    rows = [
        _link(_node(a, first), FUNNEL_STAGES[b], int(n), FUNNEL_STAGES[max(a + 1, first) : b])
        for (a, b), n in pairs.value_counts(sort=False).sort_index().items()
        if b >= first
    ]
    # The path ends at the highest stage (that stage always has its own date).
    last = table["highest_stage"].cat.codes.to_numpy()
    current = table["stage"].astype(str).to_numpy()
    for exit_stage in EXIT_STAGES:
        counts = np.bincount(last[current == exit_stage], minlength=n_stages)
        rows += [
            _link(_node(a, first), exit_stage, int(n), (), kind="exit")
            for a, n in enumerate(counts)
            if n
        ]
    links = pd.DataFrame(rows, columns=list(LINK_COLUMNS))
    # Collapsed early stages can make the same link twice: add them up.
    keys = ["source", "target", "kind", "skipped"]
    summed = links.groupby(keys, sort=False, as_index=False)["leads"].sum()
    return summed[list(LINK_COLUMNS)]


def before(stage: str) -> str:
    """The node that stands for every stage before `stage`."""
    return f"Before {stage}"


def furthest_stages(table: pd.DataFrame) -> pd.DataFrame:
    """Per funnel stage, the leads whose highest stage it is, split by where they are now:
    still open there, or lost / disqualified / recycled (Won leads are all "open" at Won)."""
    highest = table["highest_stage"].astype(str).to_numpy()
    current = table["stage"].astype(str).to_numpy()
    rows = []
    for stage in FUNNEL_STAGES:
        here = highest == stage
        exits = {s.lower(): int((here & (current == s)).sum()) for s in EXIT_STAGES}
        total = int(here.sum())
        rows.append({"stage": stage, "leads": total, "open": total - sum(exits.values()), **exits})
    return pd.DataFrame(rows, columns=list(OUTCOME_COLUMNS))


def _link(
    source: str, target: str, leads: int, skipped: tuple[str, ...], kind: str | None = None
) -> dict[str, object]:
    return {
        "source": source,
        "target": target,
        "leads": leads,
        "kind": kind or ("skip" if skipped else "next"),
        "skipped": ", ".join(skipped),
    }


def _node(position: int, first: int) -> str:
    return FUNNEL_STAGES[position] if position >= first else before(FUNNEL_STAGES[first])
