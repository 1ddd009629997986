"""The customer feature table from warehouse rows, and its encoding for clustering."""

import datetime as dt

import numpy as np
import pyarrow as pa
import pytest

from pilotage.models.segmentation import (
    CustomerFeatures,
    FeatureEncoder,
    build_customer_features,
    features_table,
)

TS = pa.timestamp("us", tz="UTC")


def _ts(*days):
    return pa.array([dt.datetime(2024, 1, d, tzinfo=dt.UTC) for d in days], TS)


ORDERS = pa.table(
    {
        "order_id": ["O1", "O2", "O3", "O4", "O5"],
        "customer_id": ["A1", "A1", "A2", "L9", "X"],
        "ordered_at": _ts(2, 20, 10, 15, 30),
        "revenue": [100.0, 300.0, 50.0, 20.0, 5.0],
        "gross_margin": [30.0, 90.0, None, 5.0, 1.0],
        "currency": ["EUR"] * 5,
    }
)
DEALS = pa.table(
    {
        "deal_id": ["D1", "D2", "D3"],
        "lead_id": ["L1", "L2", "L3"],
        "account_id": ["A1", "A1", "A2"],
        "created_at": _ts(5, 1, 3),  # A1's earliest deal is D2, whose lead is L2
        "closed_at": _ts(20, 2, 10),
        "status": ["won", "won", "won"],
        "amount": [300.0, 100.0, 50.0],
        "currency": ["EUR"] * 3,
    }
)
LEADS = pa.table(
    {
        "lead_id": ["L1", "L2", "L3", "L9"],
        "created_at": _ts(1, 1, 1, 1),
        "industry": ["Banking", "Retail", "Chemicals", "Retail"],
        "company_size": ["1-49", "50-249", None, "250+"],
        "region": ["North", "South", "South", "East"],
        "country": ["FR", "FR", "FR", "DE"],
    }
)


def test_it_joins_rfm_and_the_firmographics_of_each_customers_lead():
    f = build_customer_features(ORDERS, deals=DEALS, leads=LEADS)
    assert f.customer_id.tolist() == ["A1", "A2", "L9", "X"]
    assert f.as_of == dt.date(2024, 1, 30)
    assert f.numeric["frequency"].tolist() == [2, 1, 1, 1]
    assert f.numeric["monetary"].tolist() == [400, 50, 20, 5]
    assert f.numeric["recency_days"].tolist() == [10, 20, 15, 0]
    # A1 → its earliest deal's lead L2; A2 → L3; L9 is a lead id itself; X has no lead
    assert f.categorical["industry"].tolist() == ["Retail", "Chemicals", "Retail", None]
    assert f.categorical["company_size"].tolist() == ["50-249", None, "250+", None]
    assert f.column("rfm_segment").tolist() == f.rfm.segment.tolist()
    assert f.column("average_order_value").tolist() == [200, 50, 20, 5]


def test_it_builds_the_same_table_from_lists_of_dicts():
    a = build_customer_features(ORDERS, deals=DEALS, leads=LEADS)
    b = build_customer_features(
        ORDERS.to_pylist(), deals=DEALS.to_pylist(), leads=LEADS.to_pylist()
    )
    assert a.rows() == b.rows()
    assert features_table(a).num_rows == 4


def test_it_builds_features_from_won_deals_when_there_are_no_orders():
    f = build_customer_features(deals=DEALS, leads=LEADS)
    assert f.customer_id.tolist() == ["A1", "A2"]
    assert f.numeric["monetary"].tolist() == [400.0, 50.0]
    assert f.categorical["region"].tolist() == ["South", "South"]


def test_it_standardises_numbers_after_log1p():
    f = CustomerFeatures.from_columns(
        ["a", "b", "c", "d"],
        {"monetary": [0.0, 9.0, 99.0, 999.0], "recency_days": [1.0, 2.0, 3.0, 4.0]},
    )
    encoder = FeatureEncoder().fit(f)
    x = encoder.transform(f)
    np.testing.assert_allclose(x.mean(axis=0), 0, atol=1e-12)
    np.testing.assert_allclose(x.std(axis=0), 1)
    logs = np.log1p([0.0, 9.0, 99.0, 999.0])
    np.testing.assert_allclose(x[:, 0], (logs - logs.mean()) / logs.std())
    back = encoder.to_original(x[2])
    assert back["monetary"] == pytest.approx(99.0)
    assert back["recency_days"] == pytest.approx(3.0)


def test_it_puts_a_category_mismatch_one_standard_deviation_away():
    f = CustomerFeatures.from_columns(
        ["a", "b", "c", "d"],
        {"x": [1.0, 1.0, 2.0, 3.0]},
        {"industry": ["Retail", "Banking", "Retail", None]},
    )
    encoder = FeatureEncoder().fit(f)
    x = encoder.transform(f)
    assert encoder.feature_names_ == [
        "x",
        "industry=Banking",
        "industry=Retail",
        "industry=(missing)",
    ]
    # a and b differ only by industry: they are `category_distance` (1) apart
    assert np.linalg.norm(x[0] - x[1]) == pytest.approx(1.0)
    half = FeatureEncoder(category_distance=0.5).fit(f).transform(f)
    assert np.linalg.norm(half[0] - half[1]) == pytest.approx(0.5)
    # an unseen level encodes as all zeros
    new = CustomerFeatures.from_columns(["e"], {"x": [1.0]}, {"industry": ["Mining"]})
    assert encoder.transform(new)[0, 1:].tolist() == [0.0, 0.0, 0.0]
    # a centre's indicator goes back to the share of its level
    assert encoder.to_original(x[:3].mean(axis=0))["industry=Retail"] == pytest.approx(2 / 3)


def test_it_names_the_column_it_cannot_find():
    f = CustomerFeatures.from_columns(["a"], {"x": [1.0]}, {"industry": ["Retail"]})
    with pytest.raises(ValueError, match="'y' is not a numeric column"):
        FeatureEncoder(numeric=["y"]).fit(f)
    with pytest.raises(ValueError, match="'x' is not a categorical column"):
        FeatureEncoder(categorical=["x"]).fit(f)
    with pytest.raises(ValueError, match="column x has 2 rows, not 1"):
        CustomerFeatures.from_columns(["a"], {"x": [1.0, 2.0]})
    with pytest.raises(ValueError, match="give orders or deals"):
        build_customer_features(leads=LEADS)
