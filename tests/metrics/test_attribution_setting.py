"""The attribution setting of the metrics layer: per-channel new customers and revenue under
every rule-based model, against weights computed by hand, and on the demo companies."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

import ibis
import pyarrow.compute as pc
import pytest

from pilotage.metrics import MetricQuery, QueryError, WarehouseSource, expression, run
from pilotage.metrics.query import ATTRIBUTIONS
from pilotage.models.attribution import get_model, journeys_from_touchpoints
from pilotage.simulate import BOUTIQUE, INDUSTRIE
from pilotage.simulate.loader import load_company
from pilotage.warehouse import Warehouse
from tests.metrics.kpi_fixture import _rows, d, deal, lead, order, spend, ts

H1 = (dt.date(2025, 1, 1), dt.date(2025, 6, 30))
AS_OF = dt.date(2025, 12, 31)
MODELS = ("first_touch", "last_touch", "linear", "position_based", "time_decay")


def touch(journey, day, channel, converted=False, campaign=None):
    return {
        "journey_id": journey,
        "occurred_at": ts(day),
        "channel": channel,
        "campaign": campaign,
        "converted": converted,
    }


def won(deal_id, lead_id, account, closed, channel):
    return deal(deal_id, closed, closed, "won", 1.0, channel) | {
        "lead_id": lead_id,
        "account_id": account,
    }


# The B2B fixture's journeys (H1 2025):
#   L1 (source Paid search, customer 1 March): Paid search 1 Feb, LinkedIn 15 Feb, Webinars
#      22 Feb, Direct 1 March (converting) — 4 touches, 28/14/7/0 days before the conversion
#   L2 (source Trade shows, customer 1 April): Trade shows 25 March, Direct 1 April
#      (converting), Direct 20 April (converting again: after the journey's end, dropped)
#   L3 (source LinkedIn, customer 10 May): no touchpoints — keeps LinkedIn under every model
#   L4 (source Paid search): never converts — its touches carry no credit
#   L5 (source Paid search, customer 1 June): Paid search 1 June (converting), Email 10 June
#      (after the conversion, dropped)
# Weights per journey and model, by hand (time decay: 2^(−Δ/7) normalised; L1: 1/16, 1/4,
# 1/2, 1 → sum 29/16; L2: 1/2, 1 → sum 3/2):
L1 = ("Paid search", "LinkedIn ads", "Webinars", "Direct")
WEIGHTS = {
    "first_touch": {
        "L1": {"Paid search": 1.0},
        "L2": {"Trade shows": 1.0},
    },
    "last_touch": {
        "L1": {"Direct": 1.0},
        "L2": {"Direct": 1.0},
    },
    "linear": {
        "L1": dict.fromkeys(L1, 0.25),
        "L2": {"Trade shows": 0.5, "Direct": 0.5},
    },
    "position_based": {
        "L1": dict(zip(L1, (0.4, 0.1, 0.1, 0.4), strict=True)),
        "L2": {"Trade shows": 0.5, "Direct": 0.5},
    },
    "time_decay": {
        "L1": dict(zip(L1, (1 / 29, 4 / 29, 8 / 29, 16 / 29), strict=True)),
        "L2": {"Trade shows": 1 / 3, "Direct": 2 / 3},
    },
}
for _weights in WEIGHTS.values():
    _weights |= {"L3": {"LinkedIn ads": 1.0}, "L5": {"Paid search": 1.0}}
# H1 revenue of each journey's account (orders with an acquisition channel); A9 has no deal
# (no journey: it keeps its acquisition channel), E1 is a historical account (not attributed)
REVENUE = {"L1": 10000.0 + 2000.0, "L2": 8000.0, "L3": 4000.0, "L5": 1000.0}
NO_JOURNEY_REVENUE = {"Paid search": 500.0}
COST = {"Paid search": 1200.0, "LinkedIn ads": 600.0, "Trade shows": 3000.0}


def b2b_journeys_warehouse(root) -> Warehouse:
    warehouse = Warehouse(root)
    tables = {
        "spend": [
            spend("2025-01-10", "Paid search", 1200.0),
            spend("2025-01-10", "LinkedIn ads", 600.0),
            spend("2025-03-01", "Trade shows", 3000.0),
        ],
        "leads": [
            lead("L1", "2025-02-01", "Paid search", customer="2025-03-01"),
            lead("L2", "2025-03-25", "Trade shows", customer="2025-04-01"),
            lead("L3", "2025-04-01", "LinkedIn ads", customer="2025-05-10"),
            lead("L4", "2025-04-02", "Paid search"),
            lead("L5", "2025-06-01", "Paid search", customer="2025-06-01"),
        ],
        "deals": [
            won("D1", "L1", "A1", "2025-03-01", "Paid search"),
            won("D2", "L2", "A2", "2025-04-01", "Trade shows"),
            won("D3", "L3", "A3", "2025-05-10", "LinkedIn ads"),
            won("D5", "L5", "A5", "2025-06-01", "Paid search"),
        ],
        "orders": [
            order("O1", "A1", "2025-03-01", 10000.0, 3000.0, "Paid search"),
            order("O2", "A1", "2025-04-15", 2000.0, 600.0, "Paid search"),
            order("O3", "A2", "2025-04-01", 8000.0, 2400.0, "Trade shows"),
            order("O4", "A3", "2025-05-10", 4000.0, 1200.0, "LinkedIn ads"),
            order("O5", "A5", "2025-06-01", 1000.0, 300.0, "Paid search"),
            order("O6", "A9", "2025-06-15", 500.0, 150.0, "Paid search"),
            order("O7", "E1", "2025-02-01", 5000.0, 1500.0, None),
        ],
        "touchpoints": [
            touch("L1", "2025-02-01", "Paid search"),
            touch("L1", "2025-02-15", "LinkedIn ads"),
            touch("L1", "2025-02-22", "Webinars"),
            touch("L1", "2025-03-01", "Direct", converted=True),
            touch("L2", "2025-03-25", "Trade shows"),
            touch("L2", "2025-04-01", "Direct", converted=True),
            touch("L2", "2025-04-20", "Direct", converted=True),
            touch("L4", "2025-04-02", "Paid search"),
            touch("L4", "2025-04-09", "Email nurturing"),
            touch("L5", "2025-06-01", "Paid search", converted=True),
            touch("L5", "2025-06-10", "Email nurturing"),
        ],
    }
    for name, rows in tables.items():
        warehouse.write_batch("acme", name, _rows(name, rows), "fixture")
    return warehouse


@pytest.fixture(scope="module")
def b2b(tmp_path_factory):
    warehouse = b2b_journeys_warehouse(tmp_path_factory.mktemp("b2b"))
    return WarehouseSource(warehouse, "acme", "EUR")


def by_channel(source, metrics, model, start=H1[0], end=H1[1], **kwargs):
    query = MetricQuery(
        tuple(metrics), start, end, ("channel",), attribution=model, as_of=AS_OF, **kwargs
    )
    return {r["channel"]: r for r in run(query, source).rows}


def expected(model) -> tuple[dict[str, float], dict[str, float]]:
    """New customers and attributed revenue by channel from the hand weights."""
    customers: dict[str, float] = defaultdict(float)
    revenue: dict[str, float] = defaultdict(float, NO_JOURNEY_REVENUE)
    for journey, weights in WEIGHTS[model].items():
        for channel, weight in weights.items():
            customers[channel] += weight
            revenue[channel] += weight * REVENUE[journey]
    return customers, revenue


@pytest.mark.parametrize("model", MODELS)
def test_it_splits_new_customers_and_revenue_by_the_models_weights(b2b, model):
    rows = by_channel(b2b, ["new_customers", "attributed_revenue", "cac", "romi"], model)
    customers, revenue = expected(model)
    for channel in set(rows) | set(customers):
        row = rows.get(channel, {"new_customers": 0, "attributed_revenue": 0})
        assert row["new_customers"] == pytest.approx(customers.get(channel, 0.0), abs=1e-12)
        assert row["attributed_revenue"] == pytest.approx(revenue.get(channel, 0.0), abs=1e-9)
    for channel, cost in COST.items():
        if not customers[channel]:  # Trade shows under last touch: no customer, CAC n/a
            assert rows[channel]["cac"] is None
            continue
        assert rows[channel]["cac"] == pytest.approx(cost / customers[channel], rel=1e-12)
        assert rows[channel]["romi"] == pytest.approx((revenue[channel] - cost) / cost)


def test_it_gives_linear_cac_by_channel_as_computed_by_hand(b2b):
    rows = by_channel(b2b, ["cac"], "linear")
    # Paid search: ¼ of L1 + all of L5 = 1.25 customers; LinkedIn: ¼ of L1 + L3 = 1.25;
    # Trade shows: ½ of L2
    assert rows["Paid search"]["cac"] == pytest.approx(1200 / 1.25)
    assert rows["LinkedIn ads"]["cac"] == pytest.approx(600 / 1.25)
    assert rows["Trade shows"]["cac"] == pytest.approx(3000 / 0.5)


@pytest.mark.parametrize("model", MODELS)
def test_it_keeps_the_blended_figures_whatever_the_model(b2b, model):
    metrics = ("new_customers", "cac", "attributed_revenue", "romi", "romi_margin", "roas", "ltv")
    [first] = run(MetricQuery(metrics, *H1, as_of=AS_OF), b2b).rows
    [this] = run(MetricQuery(metrics, *H1, attribution=model, as_of=AS_OF), b2b).rows
    assert this == first  # the same numbers, not merely close
    split = by_channel(b2b, metrics, model)
    for name in ("new_customers", "attributed_revenue"):
        assert sum(r[name] for r in split.values()) == pytest.approx(first[name], rel=1e-12)


def test_it_gives_the_default_query_todays_first_touch_numbers(b2b):
    rows = by_channel(b2b, ["new_customers", "attributed_revenue"], "first_touch")
    assert {c: r["new_customers"] for c, r in rows.items()} == {
        "Paid search": 2,
        "Trade shows": 1,
        "LinkedIn ads": 1,
    }
    assert rows["Paid search"]["attributed_revenue"] == 13500.0
    default = MetricQuery(("cac",), *H1, ("channel",), as_of=AS_OF)
    assert default.attribution == "first_touch"
    assert (
        default.key()
        == MetricQuery(("cac",), *H1, ("channel",), attribution="first_touch", as_of=AS_OF).key()
    )


def test_it_filters_by_a_channel_with_its_credited_share(b2b):
    query = MetricQuery(
        ("new_customers",), *H1, filters=(("channel", ("Direct",)),), attribution="linear"
    )
    [row] = run(query, b2b).rows
    assert row["new_customers"] == pytest.approx(0.25 + 0.5)


def test_it_refuses_an_unknown_attribution():
    with pytest.raises(QueryError, match="unknown attribution 'markov'"):
        MetricQuery(("cac",), *H1, attribution="markov")  # type: ignore[arg-type]


def test_it_keys_the_cache_by_the_attribution():
    queries = {MetricQuery(("cac",), *H1, attribution=m).key() for m in ATTRIBUTIONS}
    assert len(queries) == len(ATTRIBUTIONS)


@pytest.mark.parametrize("model", MODELS[1:])
def test_it_compiles_the_credits_for_spark(b2b, model):
    query = MetricQuery(("cac", "romi", "ltv_to_cac"), *H1, ("channel",), "month")
    query = MetricQuery(**{**query.__dict__, "attribution": model})
    sql = ibis.to_sql(expression(query, b2b, AS_OF, portable=True), dialect="databricks")
    assert "`touchpoints`" in sql and "OVER" in sql
    assert not any(f in sql for f in ("EPOCH_US", "MAKE_TIMESTAMP("))


# --- B2C: the journey is the customer's, converting at the first order ----------------------


@pytest.fixture(scope="module")
def b2c(tmp_path_factory):
    warehouse = Warehouse(tmp_path_factory.mktemp("b2c"))
    tables = {
        "spend": [spend("2025-01-05", "Paid social", 200.0), spend("2025-01-06", "Email", 100.0)],
        "orders": [
            order("O1", "C1", "2025-01-10", 100.0, 30.0, "Paid social"),
            order("O2", "C1", "2025-02-10", 50.0, 15.0, "Paid social"),
            order("O3", "C2", "2025-02-01", 80.0, 24.0, "Email"),
            order("O4", "C3", "2024-12-20", 60.0, 18.0, "Paid social"),
            order("O5", "C3", "2025-01-15", 40.0, 12.0, "Paid social"),
        ],
        # C1: an email a week before the converting Paid social visit; C2, C3: no touchpoints
        "touchpoints": [
            touch("C1", "2025-01-03", "Email"),
            touch("C1", "2025-01-10", "Paid social", converted=True),
        ],
    }
    for name, rows in tables.items():
        warehouse.write_batch("shop", name, _rows(name, rows), "fixture")
    return WarehouseSource(warehouse, "shop", "EUR")


@pytest.mark.parametrize(
    ("model", "email_share"),
    [("first_touch", 0.0), ("last_touch", 0.0), ("linear", 0.5), ("time_decay", 1 / 3)],
)
def test_it_splits_b2c_customers_and_their_orders_over_their_journey(b2c, model, email_share):
    metrics = ("new_customers", "attributed_revenue", "ltv")
    rows = by_channel(b2c, metrics, model, d("2025-01-01"), d("2025-02-28"))
    # new: C1 (10 January) and C2 (1 February, Email, no touchpoints); C3 came in 2024
    assert rows["Email"]["new_customers"] == pytest.approx(1 + email_share)
    assert rows["Paid social"]["new_customers"] == pytest.approx(1 - email_share)
    # C1's 150 split by its journey; C2's 80 to Email; C3's 40 keeps Paid social
    assert rows["Email"]["attributed_revenue"] == pytest.approx(80 + 150 * email_share)
    assert rows["Paid social"]["attributed_revenue"] == pytest.approx(40 + 150 * (1 - email_share))
    # LTV: the cohort's margin to date weighted like its customers (C1 45, C2 24)
    email_ltv = (24 + 45 * email_share) / (1 + email_share)
    assert rows["Email"]["ltv"] == pytest.approx(email_ltv)


# --- the demo companies -----------------------------------------------------------------------

YEAR = (dt.date(2024, 1, 1), dt.date(2024, 12, 31))


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    warehouse = Warehouse(tmp_path_factory.mktemp("demo"))
    for company in (INDUSTRIE, BOUTIQUE):
        load_company(warehouse, company, seed=42)
    return {c.slug: WarehouseSource(warehouse, c.slug, "EUR") for c in (INDUSTRIE, BOUTIQUE)}


def _totals(source, model, dimensions=()):
    metrics = ("new_customers", "attributed_revenue", "marketing_cost", "cac", "romi_margin")
    return run(MetricQuery(metrics, *YEAR, dimensions, attribution=model), source).rows


@pytest.mark.parametrize("slug", [INDUSTRIE.slug, BOUTIQUE.slug])
@pytest.mark.parametrize("model", MODELS)
def test_it_sums_the_channel_split_to_the_blended_total_on_the_demo(demo, slug, model):
    source = demo[slug]
    [blended] = _totals(source, "first_touch")
    rows = _totals(source, model, ("channel",))
    for name in ("new_customers", "attributed_revenue", "marketing_cost"):
        assert sum(r[name] for r in rows) == pytest.approx(blended[name], rel=1e-12)
    [unsplit] = _totals(source, model)
    assert unsplit == blended
    margin = run(
        MetricQuery(("romi_margin", "ltv"), *YEAR, ("channel",), attribution=model), source
    )
    assert all(r["ltv"] is None or r["ltv"] > 0 for r in margin.rows)


def _demo_journeys(source):
    """The journeys of the demo's 2024 new customers (B2B: lead ids; B2C: customer ids)."""
    if source.kind == "b2b":
        leads = source.table("leads")
        ids = leads.filter(
            leads.customer_at >= ts("2024-01-01"), leads.customer_at < ts("2025-01-01")
        ).lead_id
    else:
        orders = source.table("orders")
        first = orders.group_by("customer_id").aggregate(
            at=orders.ordered_at.min(), channel=orders.acquisition_channel.max()
        )
        ids = first.filter(
            first.at >= ts("2024-01-01"), first.at < ts("2025-01-01"), first.channel.notnull()
        ).customer_id
    t = source.table("touchpoints")
    table = t.filter(t.journey_id.isin(ids)).to_pyarrow()
    assert pc.all(pc.is_valid(table["journey_id"])).as_py()
    return journeys_from_touchpoints(table)


@pytest.mark.parametrize("slug", [INDUSTRIE.slug, BOUTIQUE.slug])
@pytest.mark.parametrize("model", MODELS[1:])
def test_it_agrees_with_the_attribution_library_on_the_demo(demo, slug, model):
    """The Ibis credits and ``pilotage.models.attribution``'s rules give the same split."""
    source = demo[slug]
    journeys = _demo_journeys(source)
    assert all(j.converted for j in journeys)  # every demo customer has a converting journey
    library = get_model(model).attribute(journeys)
    rows = _totals(source, model, ("channel",))
    assert sum(r["new_customers"] for r in rows) == pytest.approx(len(journeys), rel=1e-12)
    for row in rows:
        credit = library.channels.get(row["channel"])
        assert row["new_customers"] == pytest.approx(credit.conversions if credit else 0.0)
