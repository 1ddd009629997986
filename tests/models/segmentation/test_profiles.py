"""Segment profiles: sizes and revenue add up, growth and margins as computed by hand."""

import pytest

from pilotage.models.segmentation import build_customer_features, profile_segments

# a and b form segment 0, c segment 1; as of 30 June 2024 the last 12 months are
# 1 Jul 2023 – 30 Jun 2024 and the 12 before 1 Jul 2022 – 30 Jun 2023.
ORDERS = [
    {"customer_id": "a", "ordered_at": "2024-06-01", "revenue": 100.0, "gross_margin": 30.0},
    {"customer_id": "a", "ordered_at": "2023-06-01", "revenue": 50.0, "gross_margin": 20.0},
    {"customer_id": "b", "ordered_at": "2024-01-15", "revenue": 200.0, "gross_margin": 60.0},
    {"customer_id": "b", "ordered_at": "2022-12-01", "revenue": 150.0, "gross_margin": None},
    {"customer_id": "c", "ordered_at": "2024-03-01", "revenue": 40.0, "gross_margin": 10.0},
    {"customer_id": "c", "ordered_at": "2021-01-01", "revenue": 10.0, "gross_margin": 5.0},
    {"customer_id": "a", "ordered_at": "2024-07-15", "revenue": 999.0, "gross_margin": 1.0},
]
LEADS = [
    {"lead_id": "a", "industry": "Retail", "region": "North"},
    {"lead_id": "b", "industry": "Retail", "region": "South"},
    {"lead_id": "c", "industry": None, "region": "South"},
]


@pytest.fixture
def profiles():
    features = build_customer_features(
        ORDERS, leads=LEADS, as_of="2024-06-30", categorical=("industry", "region")
    )
    return profile_segments(
        features, [0, 0, 1], ORDERS, marketing_cost={0: 1000.0, 1: 300.0}
    ), features


def test_it_adds_up_to_the_totals(profiles):
    found, features = profiles
    segments = found.segments
    assert sum(p.customers for p in segments) == found.overall.customers == len(features)
    assert sum(p.revenue for p in segments) == found.overall.revenue == 550.0
    assert found.overall.revenue == features.rfm.revenue.sum()
    assert sum(p.orders for p in segments) == found.overall.orders == 6  # not the July order
    assert sum(p.customer_share for p in segments) == pytest.approx(1.0)
    assert sum(p.revenue_share for p in segments) == pytest.approx(1.0)


def test_it_computes_growth_over_the_last_twelve_months(profiles):
    one, two = profiles[0].segments
    # segment 0: last 12 months 100 + 200, the 12 before 50 + 150 → 300 / 200 − 1
    assert (one.revenue_last_12m, one.revenue_previous_12m) == (300.0, 200.0)
    assert one.growth == pytest.approx(0.5)
    # segment 1: 40 in the last 12 months, nothing in the 12 before (2021 is older)
    assert (two.revenue_last_12m, two.revenue_previous_12m) == (40.0, 0.0)
    assert two.growth is None


def test_it_flags_a_missing_margin_and_falls_back_to_revenue_for_ltv(profiles):
    one, two = profiles[0].segments
    assert one.gross_margin == 110.0  # 30 + 20 + 60, b's 2022 order has no margin
    assert one.margin_missing and one.margin_missing_orders == 1
    assert (one.ltv, one.ltv_basis) == (250.0, "revenue")  # 500 / 2 customers
    assert not two.margin_missing
    assert (two.ltv, two.ltv_basis) == (15.0, "gross_margin")
    assert profiles[0].overall.margin_missing


def test_it_computes_order_value_and_cac(profiles):
    one, two = profiles[0].segments
    assert one.average_order_value == 125.0  # 500 / 4 orders
    assert two.average_order_value == 25.0
    # without a cost period every customer of the segment counts as acquired
    assert (one.new_customers, one.cac, one.ltv_to_cac) == (2, 500.0, 0.5)
    assert profiles[0].overall.marketing_cost == 1300.0


def test_it_counts_only_customers_acquired_in_the_cost_period():
    features = build_customer_features(ORDERS, as_of="2024-06-30")
    found = profile_segments(
        features,
        ["x", "x", "y"],
        ORDERS,
        marketing_cost={"x": 1000.0, "y": 300.0},
        cost_period=("2022-01-01", "2022-12-31"),
    )
    x, y = found.segments
    assert (x.new_customers, x.cac) == (1, 1000.0)  # b's first order, 1 Dec 2022
    assert (y.new_customers, y.cac, y.ltv_to_cac) == (0, None, None)


def test_it_lists_the_top_values_of_each_category(profiles):
    one, two = profiles[0].segments
    assert [(t.value, t.customers, t.share) for t in one.top_values["industry"]] == [
        ("Retail", 2, 1.0)
    ]
    assert [(t.value, t.share) for t in one.top_values["region"]] == [
        ("North", 0.5),
        ("South", 0.5),
    ]
    assert [t.value for t in two.top_values["industry"]] == [None]
    assert one.mean_frequency == 2.0 and one.mean_r_score is not None


def test_it_refuses_labels_that_do_not_match_the_customers(profiles):
    features = profiles[1]
    with pytest.raises(ValueError, match="2 labels for 3 customers"):
        profile_segments(features, [0, 1], ORDERS)
    with pytest.raises(ValueError, match="segment.* without customers"):
        profile_segments(features, [0, 0, 1], ORDERS, marketing_cost={7: 1.0})
