"""The follow-up queue: who is in it, in which order, filtered, paged and exported."""

import pandas as pd
import pytest

from domain.follow_up.queue import (
    NO_TEAM,
    QueueFilters,
    build_queue,
    export_frame,
    filter_queue,
    follow_up,
    hand_raiser_kinds,
    mql_because,
    paginate,
    sort_by_urgency,
    taken_over_before_mql,
    team_of,
    waiting_text,
)
from tests.builders import (
    definition,
    engagement,
    make_activities,
    make_facts,
    make_leads,
    make_touches,
    model_of,
)

AS_OF = "2024-03-01"


def queue_rows(**columns):
    n = len(next(iter(columns.values())))
    base = {
        "external_id": [f"L{i}" for i in range(1, n + 1)],
        "name": [f"Person {i}" for i in range(1, n + 1)],
        "company": ["Acme"] * n,
        "status": ["overdue"] * n,
        "hours_waiting": [30.0] * n,
        "score": [50.0] * n,
        "owner": ["Sam"] * n,
        "team": ["SMB sales"] * n,
        "source": ["webinar"] * n,
        "stage": ["MQL"] * n,
        "mql_at": pd.to_datetime(["2024-02-28"] * n, utc=True),
        "mql_because": ["score ≥ 60"] * n,
    }
    base.update(columns)
    return pd.DataFrame(base, index=pd.Index(range(1, n + 1), name="lead_id"))


def demo_follow_up():
    """Four hand-raisers: one touched in time, one waiting, one disqualified, one old."""
    leads = make_leads(
        {"owner": "Sam", "segment": "SMB", "created_at": "2024-01-01"},
        {"owner": "Ana", "segment": "Enterprise", "created_at": "2024-01-01"},
        {"owner": "Ana", "segment": "Enterprise", "created_at": "2024-01-01"},
        {"owner": "Sam", "segment": None, "created_at": "2024-01-01"},
    )
    activities = make_activities(
        (1, "demo_request", "2024-02-29 10:00"),
        (2, "contact_form", "2024-02-27 10:00"),
        (3, "demo_request", "2024-01-20 10:00"),
        (4, "contact_form", "2024-01-10 10:00"),
    )
    touches = make_touches((1, "2024-02-29 11:00", "call", "connected"))
    facts = make_facts({"lead_id": 3, "disqualified_at": "2024-02-21"})
    d = definition(
        hand_raisers=["demo_request", "contact_form"],
        engagement_rules=[engagement("demo_request", 5)],
        mql_threshold=100,
    )
    model = model_of(leads, activities, touches=touches, facts=facts, as_of=AS_OF)
    return follow_up(model, d, touches)


def test_the_queue_holds_waiting_mqls_that_sales_has_not_closed():
    result = demo_follow_up()
    assert list(result.queue.index) == [2, 4]  # 1 was touched, 3 disqualified
    assert result.queue.loc[2, "status"] == "overdue"
    assert result.queue.loc[4, "status"] == "never"


def test_the_never_list_keeps_mqls_closed_without_any_touch():
    assert set(demo_follow_up().never.index) == {3, 4}


def test_the_queue_says_which_hand_raiser_made_the_mql_and_the_team():
    queue = demo_follow_up().queue
    assert queue.loc[2, "mql_because"] == "contact form (hand-raiser)"
    assert queue.loc[2, "team"] == "Enterprise sales"
    assert queue.loc[4, "team"] == NO_TEAM


def test_the_first_hand_raiser_wins_when_a_lead_did_several():
    leads = make_leads({}, {})
    activities = make_activities(
        (1, "contact_form", "2024-02-01"),
        (1, "demo_request", "2024-02-02"),
        (2, "demo_request", "2024-02-03"),
    )
    model = model_of(leads, activities, as_of=AS_OF)
    kinds = hand_raiser_kinds(model, ("demo_request", "contact_form"))
    assert kinds.to_dict() == {1: "contact_form", 2: "demo_request"}


def test_a_score_mql_says_the_threshold():
    table = pd.DataFrame({"mql_reason": ["score", "fit", ""]}, index=[1, 2, 3])
    because = mql_because(table, 60, pd.Series(dtype=object))
    assert because.tolist() == ["score ≥ 60", "fit alone ≥ 60", ""]


def test_overdue_high_scorers_come_first_then_the_longest_waiting():
    queue = queue_rows(
        status=["never", "on_time", "overdue", "overdue", "due_soon", "overdue"],
        score=[99.0, 90.0, 40.0, 80.0, 70.0, 80.0],
        hours_waiting=[900.0, 2.0, 30.0, 26.0, 20.0, 40.0],
    )
    assert list(sort_by_urgency(queue).index) == [6, 4, 3, 5, 2, 1]


def test_sorting_leaves_the_input_untouched():
    queue = queue_rows(status=["never", "overdue"], score=[1.0, 2.0])
    before = queue.copy()
    sort_by_urgency(queue)
    pd.testing.assert_frame_equal(queue, before)


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        (QueueFilters(), [1, 2, 3]),
        (QueueFilters(owners=("Ana",)), [2]),
        (QueueFilters(teams=("Enterprise sales",)), [2, 3]),
        (QueueFilters(stages=("SAL",)), [3]),
        (QueueFilters(statuses=("never", "on_time")), [1, 3]),
        (QueueFilters(search="globex"), [3]),
        (QueueFilters(search="l2"), [2]),
        (QueueFilters(owners=("Ana",), statuses=("never",)), []),
    ],
)
def test_filters_narrow_the_queue_and_keep_its_order(filters, expected):
    queue = queue_rows(
        owner=["Sam", "Ana", "Sam"],
        team=["SMB sales", "Enterprise sales", "Enterprise sales"],
        stage=["MQL", "MQL", "SAL"],
        status=["never", "overdue", "on_time"],
        company=["Acme", "Initech", "Globex"],
    )
    assert list(filter_queue(queue, filters).index) == expected


def test_pages_hold_their_share_of_rows_and_clamp_out_of_range_numbers():
    rows = queue_rows(score=[float(i) for i in range(7)])
    first = paginate(rows, 1, 3)
    last = paginate(rows, 99, 3)
    assert (first.pages, first.first, first.last, list(first.rows.index)) == (3, 1, 3, [1, 2, 3])
    assert (last.number, last.first, last.last, list(last.rows.index)) == (3, 7, 7, [7])
    assert paginate(rows.iloc[:0], 1, 3).first == 0


def test_a_page_of_thousands_of_rows_is_a_slice():
    rows = queue_rows(score=[1.0] * 5_000)
    page = paginate(rows, 40, 100)
    assert (page.first, page.last, len(page.rows)) == (3_901, 4_000, 100)


@pytest.mark.parametrize(
    ("hours", "text"), [(0.5, "30 min"), (5.9, "5 h"), (47.9, "47 h"), (73.0, "3 d")]
)
def test_waiting_times_read_at_a_glance(hours, text):
    assert waiting_text(hours) == text


def test_teams_come_from_segments():
    teams = team_of(pd.Series(["SMB", "Mid-market", None, " "]))
    assert teams.tolist() == ["SMB sales", "Mid-market sales", NO_TEAM, NO_TEAM]


def test_the_export_puts_the_external_id_first_with_contact_details():
    queue = queue_rows(score=[71.26])
    leads = pd.DataFrame({"lead_id": [1], "email": ["a@acme.com"], "title": ["CTO"]})
    out = export_frame(queue, leads)
    assert list(out.columns[:5]) == ["external_id", "lead_id", "name", "email", "title"]
    assert out.loc[0, "score"] == 71.3
    assert out.loc[0, "mql_at"] == "2024-02-28T00:00:00+00:00"


def test_build_queue_needs_no_closed_stage_when_asked_to_keep_them():
    table = pd.DataFrame(
        {
            "external_id": ["L1"],
            "name": ["A"],
            "company": ["B"],
            "score": [1.0],
            "owner": ["Sam"],
            "segment": ["SMB"],
            "source": ["web"],
            "stage": pd.Categorical(["Disqualified"]),
            "mql_at": pd.to_datetime(["2024-01-01"], utc=True),
        },
        index=pd.Index([1], name="lead_id"),
    )
    status = pd.DataFrame({"status": ["never"], "hours_waiting": [900.0]}, index=table.index)
    because = pd.Series(["x"], index=table.index)
    assert build_queue(table, status, because).empty
    assert list(build_queue(table, status, because, include_closed=True).index) == [1]


def test_a_lead_sales_took_over_before_it_became_an_mql_is_not_waiting():
    table = pd.DataFrame(
        {
            "mql_at": pd.to_datetime(["2024-02-10", "2024-02-10", "2024-02-10"], utc=True),
            "sal_at": pd.to_datetime(["2024-01-05", "2024-02-11", None], utc=True),
            "sql_at": pd.to_datetime([None, None, None], utc=True),
        },
        index=[1, 2, 3],
    )
    assert taken_over_before_mql(table).tolist() == [True, False, False]


def test_leads_sales_qualified_already_are_not_waiting_even_without_a_touch():
    table = pd.DataFrame(
        {
            "external_id": ["L1", "L2"],
            "name": ["A", "B"],
            "company": ["C", "D"],
            "score": [1.0, 2.0],
            "owner": ["Sam", "Sam"],
            "segment": ["SMB", "SMB"],
            "source": ["web", "web"],
            "stage": pd.Categorical(["SQL", "SAL"]),
            "mql_at": pd.to_datetime(["2024-01-01", "2024-01-01"], utc=True),
        },
        index=pd.Index([1, 2], name="lead_id"),
    )
    status = pd.DataFrame(
        {"status": ["never", "never"], "hours_waiting": [900.0] * 2}, index=[1, 2]
    )
    because = pd.Series(["x", "y"], index=[1, 2])
    assert list(build_queue(table, status, because).index) == [2]
