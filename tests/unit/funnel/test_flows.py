"""How leads move between stages: Sankey links and where leads end up (domain.funnel.flows)."""

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from domain.engine.stages import FUNNEL_STAGES
from domain.funnel.flows import EXIT_STAGES, flow_links, furthest_stages, stage_dated
from domain.funnel.metrics import funnel
from tests import small_funnel
from tests.small_funnel import EXITS, synthetic_table


@pytest.fixture(scope="module")
def table() -> pd.DataFrame:
    return small_funnel.table()


def links_of(frame: pd.DataFrame) -> dict[tuple[str, str], int]:
    return {(r.source, r.target): int(r.leads) for r in frame.itertuples()}


def test_every_move_of_the_hand_built_funnel_is_one_link(table):
    assert links_of(flow_links(table)) == {
        ("Suspect", "Lead"): 7,
        ("Lead", "MQL"): 5,
        ("Lead", "SQL"): 1,  # L5, prospected: MQL bypassed
        ("MQL", "SAL"): 2,
        ("MQL", "SQL"): 1,  # L8, qualified without a formal acceptance
        ("SAL", "SQL"): 1,
        ("SQL", "Opportunity"): 2,
        ("Opportunity", "Won"): 1,
        ("Opportunity", "Lost"): 1,
        ("SAL", "Disqualified"): 1,
        ("MQL", "Recycled"): 1,
    }


def test_a_link_that_skips_stages_names_them(table):
    links = flow_links(table).set_index(["source", "target"])
    assert links.loc[("Lead", "SQL"), "kind"] == "skip"
    assert links.loc[("Lead", "SQL"), "skipped"] == "MQL, SAL"
    assert links.loc[("MQL", "SAL"), "kind"] == "next"
    assert links.loc[("MQL", "Recycled"), "kind"] == "exit"


def test_starting_later_draws_the_earlier_stages_as_one_node(table):
    assert links_of(flow_links(table, start="MQL")) == {
        ("Before MQL", "MQL"): 5,
        ("Before MQL", "SQL"): 1,
        ("MQL", "SAL"): 2,
        ("MQL", "SQL"): 1,
        ("SAL", "SQL"): 1,
        ("SQL", "Opportunity"): 2,
        ("Opportunity", "Won"): 1,
        ("Opportunity", "Lost"): 1,
        ("SAL", "Disqualified"): 1,
        ("MQL", "Recycled"): 1,
    }
    skip = flow_links(table, start="MQL").set_index(["source", "target"])
    assert skip.loc[("Before MQL", "SQL"), "skipped"] == "MQL, SAL"


def test_the_leads_ending_at_each_stage_are_the_steps_of_the_funnel(table):
    ends = furthest_stages(table).set_index("stage")
    assert ends["leads"].tolist() == [1, 1, 2, 1, 1, 1, 1]
    assert ends.loc["MQL", ["open", "recycled"]].tolist() == [1, 1]
    assert ends.loc["SAL", "disqualified"] == 1
    assert ends.loc["Opportunity", "lost"] == 1
    counts = funnel(table)["leads"].tolist()
    assert ends["leads"].tolist() == [a - b for a, b in zip(counts, [*counts[1:], 0], strict=True)]


def test_a_lost_deal_counts_as_an_opportunity_in_the_flow():
    lost_only = synthetic_table([((True, True, True, True, True, False), 1, "a", "Lost")])
    assert lost_only["opportunity_at"].isna().all()  # odd day: lost without the date
    assert ("SQL", "Opportunity") in links_of(flow_links(lost_only))
    assert ("Opportunity", "Lost") in links_of(flow_links(lost_only))


def test_no_leads_make_no_links():
    empty = synthetic_table([])
    assert flow_links(empty).empty
    assert furthest_stages(empty)["leads"].sum() == 0


paths = st.lists(
    st.tuples(
        st.tuples(*[st.booleans()] * 6),
        st.integers(0, 60),
        st.just("a"),
        st.sampled_from(EXITS),
    ),
    max_size=40,
)


@settings(max_examples=60, deadline=None)
@given(paths=paths, start=st.sampled_from(FUNNEL_STAGES[:-1]))
def test_every_dated_stage_has_exactly_one_way_in(paths, start):
    table = synthetic_table(paths)
    links = flow_links(table, start)
    into = links.groupby("target")["leads"].sum()
    dated = stage_dated(table).sum(axis=0)
    for position, stage in enumerate(FUNNEL_STAGES):
        if position >= max(FUNNEL_STAGES.index(start), 1):
            assert into.get(stage, 0) == dated[position]
    current = table["stage"].astype(str)
    for exit_stage in EXIT_STAGES:
        assert into.get(exit_stage, 0) == int((current == exit_stage).sum())
    assert furthest_stages(table)["leads"].sum() == len(table)
