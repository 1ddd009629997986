"""Predictive LTV in the metrics layer: value to date + the CLV models' expected 36 months."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pyarrow.compute as pc
import pytest

from pilotage.metrics import MetricQuery, WarehouseSource, run
from pilotage.models.clv.bgnbd import BetaGeo
from pilotage.models.clv.gamma_gamma import GammaGamma
from pilotage.models.clv.summary import summarize
from pilotage.simulate import BOUTIQUE, INDUSTRIE
from pilotage.simulate.loader import load_company
from pilotage.warehouse import Warehouse

START, END = dt.date(2025, 1, 1), dt.date(2025, 12, 31)


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory):
    wh = Warehouse(tmp_path_factory.mktemp("wh"))
    for company in (BOUTIQUE, INDUSTRIE):
        load_company(wh, company, seed=42)
    return wh


def ask(warehouse, slug, metrics, dimensions=(), attribution="first_touch"):
    query = MetricQuery(metrics, START, END, dimensions, attribution=attribution, as_of=END)
    return run(query, WarehouseSource(warehouse, slug, "EUR")).rows


def test_it_equals_value_to_date_plus_the_models_expected_future(warehouse):
    """Recomputed here from the orders with the CLV library, independently of the SQL."""
    orders = warehouse.read(BOUTIQUE.slug, "orders")
    cut = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    orders = orders.filter(pc.less(orders["ordered_at"], cut))
    values = pc.coalesce(orders["gross_margin"], orders["revenue"])
    s = summarize(orders["customer_id"], orders["ordered_at"], values, observation_end=END)
    bg = BetaGeo().fit(s.frequency, s.recency, s.T)
    gg = GammaGamma().fit(s.frequency, s.monetary_value)
    future = gg.customer_lifetime_value(bg, s.frequency, s.recency, s.T, s.monetary_value)
    future_of = dict(zip([str(c) for c in s.customer_id.tolist()], future.tolist(), strict=True))
    rows = orders.sort_by([("customer_id", "ascending"), ("ordered_at", "ascending")]).to_pylist()
    first: dict[str, dict] = {}
    value: dict[str, float] = {}
    for r in rows:
        first.setdefault(r["customer_id"], r)
        value[r["customer_id"]] = value.get(r["customer_id"], 0.0) + (
            r["gross_margin"] if r["gross_margin"] is not None else r["revenue"]
        )
    cohort = [
        c
        for c, r in first.items()
        if r["acquisition_channel"] and START <= r["ordered_at"].date() <= END
    ]
    expected = np.mean([value[c] + future_of[c] for c in cohort])
    (row,) = ask(warehouse, BOUTIQUE.slug, ("ltv", "ltv_predictive"))
    assert row["ltv_predictive"] == pytest.approx(expected, rel=1e-6)
    assert row["ltv_predictive"] > row["ltv"]  # customers keep buying


@pytest.mark.parametrize("attribution", ["first_touch", "linear"])
def test_by_channel_it_adds_up_to_the_blended_figure(warehouse, attribution):
    rows = ask(warehouse, BOUTIQUE.slug, ("ltv_predictive", "ltv"), ("channel",), attribution)
    (blended,) = ask(warehouse, BOUTIQUE.slug, ("ltv_predictive", "ltv"))
    for row in rows:
        assert row["ltv_predictive"] > row["ltv"], row["channel"]
    # the channel means bracket the blended mean
    means = [r["ltv_predictive"] for r in rows]
    assert min(means) <= blended["ltv_predictive"] <= max(means)


def test_it_is_n_a_when_the_models_cannot_fit_the_orders(warehouse):
    """Industrie's accounts reorder without ever lapsing: no prediction, not a wrong one."""
    (row,) = ask(warehouse, INDUSTRIE.slug, ("ltv", "ltv_predictive", "ltv_predictive_to_cac"))
    assert row["ltv"] > 0
    assert row["ltv_predictive"] is None and row["ltv_predictive_to_cac"] is None
    for r in ask(warehouse, INDUSTRIE.slug, ("ltv_predictive",), ("channel",)):
        assert r["ltv_predictive"] is None
