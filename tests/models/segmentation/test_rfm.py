"""RFM: recency, frequency and monetary value, their quintile scores and the segment grid."""

import datetime as dt
import doctest

import numpy as np
import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pilotage.models.segmentation import (
    RFM_GRID,
    RFM_SEGMENTS,
    orders_from_deals,
    quintile_scores,
    rfm_from_deals,
    rfm_from_orders,
    rfm_scores,
    rfm_segment,
    segment_label,
)
from pilotage.models.segmentation import clustering as clustering_module
from pilotage.models.segmentation import rfm as rfm_module

AS_OF = dt.date(2024, 12, 31)


def _orders(spec):
    """Order rows from {customer: (days since the last order, number of orders, total)}."""
    ids, dates, revenue = [], [], []
    for customer, (recency, count, total) in spec.items():
        last = AS_OF - dt.timedelta(days=recency)
        for i in range(count):
            ids.append(customer)
            dates.append(last - dt.timedelta(days=30 * i))
            revenue.append(total / count)
    return ids, dates, revenue


def test_it_scores_ten_distinct_customers_two_per_quintile():
    # c01 is the best on every measure, c10 the worst: sorted from worst to best, the
    # customers in places 1–2 get 1, 3–4 get 2, …, 9–10 get 5.
    spec = {f"c{i:02d}": (i * 7, 11 - i, 1000.0 - 90 * i) for i in range(1, 11)}
    rfm = rfm_scores(*_orders(spec), as_of=AS_OF)
    assert rfm.customer_id.tolist() == [f"c{i:02d}" for i in range(1, 11)]
    assert rfm.recency_days.tolist() == [7, 14, 21, 28, 35, 42, 49, 56, 63, 70]
    assert rfm.frequency.tolist() == [10, 9, 8, 7, 6, 5, 4, 3, 2, 1]
    np.testing.assert_allclose(rfm.monetary, [910, 820, 730, 640, 550, 460, 370, 280, 190, 100])
    expected = [5, 5, 4, 4, 3, 3, 2, 2, 1, 1]
    assert rfm.r_score.tolist() == expected
    assert rfm.f_score.tolist() == expected
    assert rfm.m_score.tolist() == expected
    assert rfm.as_of == AS_OF


def test_it_gives_tied_customers_the_score_of_their_lowest_place():
    # score = 1 + ⌊5·b/10⌋, b = customers strictly worse.
    spec = {
        "a": (0, 1, 50.0),  # recency: 9 worse → 5
        "b": (5, 1, 50.0),  # 8 worse → 5
        "c": (10, 1, 50.0),  # 7 worse → 4
        "d": (40, 1, 50.0),  # d, e, f tie at 40 days: 4 worse (90, 120, 200, 365) → 3
        "e": (40, 2, 80.0),
        "f": (40, 2, 80.0),
        "g": (90, 3, 80.0),  # 3 worse → 2
        "h": (120, 4, 300.0),  # 2 worse → 2
        "i": (200, 5, 300.0),  # 1 worse → 1
        "j": (365, 5, 900.0),  # 0 worse → 1
    }
    rfm = rfm_scores(*_orders(spec), as_of=AS_OF)
    assert rfm.r_score.tolist() == [5, 5, 4, 3, 3, 3, 2, 2, 1, 1]
    # frequency 1,1,1,1,2,2,3,4,5,5: the four 1s have 0 worse → 1; the 2s 4 → 3;
    # 3 has 6 → 4; 4 has 7 → 4; the 5s have 8 → 5
    assert rfm.f_score.tolist() == [1, 1, 1, 1, 3, 3, 4, 4, 5, 5]
    # monetary 50×4, 80×3, 300×2, 900: 50s → 1; 80s (4 worse) → 3; 300s (7) → 4; 900 (9) → 5
    assert rfm.m_score.tolist() == [1, 1, 1, 1, 3, 3, 3, 4, 4, 5]


def test_it_scores_quintiles_of_a_plain_list_with_ties():
    assert quintile_scores([10, 20, 20, 30, 40]).tolist() == [1, 2, 2, 4, 5]
    assert quintile_scores([7, 7, 7]).tolist() == [1, 1, 1]
    assert quintile_scores([3, 0, 10], higher_is_better=False).tolist() == [2, 4, 1]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.integers(0, 6), min_size=1, max_size=40))
def test_it_scores_monotonically_and_equal_values_equally(values):
    scores = quintile_scores(values)
    order = np.argsort(values, kind="stable")
    assert np.all(np.diff(scores[order]) >= 0)
    for v in set(values):
        assert len(set(scores[np.asarray(values) == v].tolist())) == 1
    assert scores.min() == 1 and scores.max() <= 5


def test_it_ignores_orders_after_as_of_and_defaults_as_of_to_the_last_order():
    rfm = rfm_scores(
        ["a", "a", "b"], ["2024-01-10", "2024-02-01", "2024-01-20"], [10, 99, 5], as_of="2024-01-31"
    )
    assert rfm.frequency.tolist() == [1, 1]
    assert rfm.monetary.tolist() == [10.0, 5.0]
    assert rfm.recency_days.tolist() == [21, 11]
    assert rfm_scores(["a", "b"], ["2024-01-10", "2024-01-20"], [1, 2]).as_of == dt.date(
        2024, 1, 20
    )


def test_it_uses_the_mean_order_value_when_asked():
    rfm = rfm_scores(["a", "a", "b"], ["2024-01-01"] * 3, [10, 30, 25], monetary="average")
    assert rfm.monetary.tolist() == [20.0, 25.0]
    assert rfm.revenue.tolist() == [40.0, 25.0]
    assert rfm.m_score.tolist() == [1, 3]


def test_it_reads_an_orders_table_in_utc_and_a_list_of_dicts_alike():
    times = [
        dt.datetime(2024, 3, 1, 23, 30, tzinfo=dt.timezone(dt.timedelta(hours=-2))),  # 2 Mar UTC
        dt.datetime(2024, 3, 1, 8, 0, tzinfo=dt.UTC),
    ]
    table = pa.table(
        {
            "customer_id": ["a", "b"],
            "ordered_at": pa.array(times, pa.timestamp("us", tz="UTC")),
            "revenue": [10.0, 20.0],
            "currency": ["EUR", "EUR"],
        }
    )
    from_table = rfm_from_orders(table, as_of="2024-03-02")
    from_rows = rfm_from_orders(table.to_pylist(), as_of="2024-03-02")
    assert from_table.recency_days.tolist() == [0, 1]
    assert from_rows.rows() == from_table.rows()


def test_it_refuses_orders_in_several_currencies_or_without_revenue():
    rows = [
        {"customer_id": "a", "ordered_at": "2024-01-01", "revenue": 1.0, "currency": "EUR"},
        {"customer_id": "b", "ordered_at": "2024-01-01", "revenue": 1.0, "currency": "USD"},
    ]
    with pytest.raises(ValueError, match="several currencies"):
        rfm_from_orders(rows)
    with pytest.raises(ValueError, match="row 1 has no revenue"):
        rfm_from_orders([{"customer_id": "a", "ordered_at": "2024-01-01", "revenue": None}])
    with pytest.raises(ValueError, match="missing column"):
        rfm_from_orders([{"customer_id": "a", "ordered_at": "2024-01-01"}])


def test_it_reads_the_standard_segment_grid():
    assert RFM_GRID[4][4] == "champions"
    assert rfm_segment(
        [5, 5, 1, 1, 3, 4, 3, 2], [5, 1, 5, 1, 3, 1, 5, 3], [5, 1, 5, 1, 3, 1, 4, 2]
    ).tolist() == [
        "champions",
        "new_customers",
        "cannot_lose",
        "hibernating",
        "need_attention",
        "promising",
        "loyal_customers",  # FM = ⌈(5 + 4) / 2⌉ = 5
        "at_risk",  # FM = ⌈(3 + 2) / 2⌉ = 3
    ]
    assert {key for row in RFM_GRID for key in row} == set(RFM_SEGMENTS)


def test_it_labels_segments_in_english_and_french():
    assert segment_label("at_risk") == "At risk"
    assert segment_label("at_risk", "fr") == "À risque"
    assert segment_label("champions", "fr") == "Champions"
    assert all(en and fr for en, fr in RFM_SEGMENTS.values())
    # a: R 1, F 1, M 1 → FM 1: hibernating; b: R 3 (1 + ⌊5·1/2⌋), F 1 (tie), M 3 → FM 2
    rfm = rfm_scores(["a", "b"], ["2024-01-01", "2024-02-01"], [1.0, 2.0])
    assert rfm.labels("en") == ["Hibernating", "About to sleep"]
    assert rfm.labels("fr") == ["En hibernation", "En voie d'endormissement"]
    with pytest.raises(ValueError, match="language"):
        segment_label("at_risk", "de")


def test_it_builds_orders_from_won_deals():
    ts = pa.timestamp("us", tz="UTC")
    deals = pa.table(
        {
            "deal_id": ["D1", "D2", "D3", "D4"],
            "lead_id": ["L1", "L2", "L3", "L4"],
            "account_id": ["A1", None, "A1", "A9"],
            "created_at": pa.array([dt.datetime(2024, 1, 1, tzinfo=dt.UTC)] * 4, ts),
            "closed_at": pa.array(
                [
                    dt.datetime(2024, 2, 1, tzinfo=dt.UTC),
                    dt.datetime(2024, 3, 1, tzinfo=dt.UTC),
                    dt.datetime(2024, 4, 1, tzinfo=dt.UTC),
                    None,
                ],
                ts,
            ),
            "status": ["won", "won", "won", "open"],
            "amount": [100.0, 50.0, 300.0, 900.0],
            "currency": ["EUR"] * 4,
        }
    )
    orders = orders_from_deals(deals)
    assert orders.column("customer_id").to_pylist() == ["A1", "L2", "A1"]
    assert orders.column("gross_margin").null_count == 3
    rfm = rfm_from_deals(deals, as_of="2024-04-30")
    assert rfm.customer_id.tolist() == ["A1", "L2"]
    assert rfm.frequency.tolist() == [2, 1]
    assert rfm.monetary.tolist() == [400.0, 50.0]
    assert rfm.recency_days.tolist() == [29, 60]


def test_it_refuses_a_won_deal_without_closing_date_or_customer():
    base = {"deal_id": "D7", "status": "won", "amount": 1.0, "closed_at": None, "lead_id": "L"}
    with pytest.raises(ValueError, match="won deal D7 has no closed_at"):
        orders_from_deals([base])
    with pytest.raises(ValueError, match="won deal D7 has no customer"):
        orders_from_deals([{**base, "closed_at": "2024-01-01", "lead_id": None}])


@pytest.mark.parametrize("module", [rfm_module, clustering_module])
def test_it_runs_the_docstring_examples(module):
    result = doctest.testmod(module)
    assert result.attempted > 0 and result.failed == 0
