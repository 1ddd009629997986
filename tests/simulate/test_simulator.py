"""The simulator: deterministic, and its ground truth is exactly true of the data it writes."""

from __future__ import annotations

import csv
import json
import math
from collections import defaultdict

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pytest

from pilotage.simulate import (
    BOUTIQUE,
    COMPANIES,
    INDUSTRIE,
    SIMULATOR_VERSION,
    Market,
    simulate,
    value_per_unit,
)
from pilotage.warehouse.schema import SCHEMAS, conform

SEED = 42
CONFIGS = {c.slug: c for c in (INDUSTRIE, BOUTIQUE)}
CHANNELS = [(c.slug, ch.name) for c in CONFIGS.values() for ch in c.channels]
B2B_TABLES = set(SCHEMAS)
B2C_TABLES = set(SCHEMAS) - {"leads", "deals"}


@pytest.fixture(scope="module")
def markets() -> dict[str, Market]:
    """Each demo company simulated once for the whole module."""
    return {slug: simulate(config, seed=SEED) for slug, config in CONFIGS.items()}


def _channel_config(slug: str, name: str):
    return next(ch for ch in CONFIGS[slug].channels if ch.name == name)


# --- An independent implementation of the response model, written from the spec -------------


def _weights(form: str, params: dict[str, float]) -> np.ndarray:
    lags = np.arange(int(params["max_lag"]))
    if form == "geometric":
        raw = np.array([params["decay"] ** lag for lag in lags])
    elif form == "delayed":
        raw = np.array([params["decay"] ** ((lag - params["peak"]) ** 2) for lag in lags])
    else:
        pytest.fail(f"no reference implementation for adstock form {form!r}")
    return raw / raw.sum()


def _carry_over(x: np.ndarray, weights: np.ndarray) -> np.ndarray:
    out = np.zeros_like(x)
    for lag, w in enumerate(weights):
        if lag < len(x):
            out[lag:] += w * x[: len(x) - lag]
    return out


def _saturation(x: np.ndarray, form: str, params: dict[str, float]) -> np.ndarray:
    if form == "hill":
        k, s = params["half_saturation"], params["shape"]
        return x**s / (x**s + k**s)
    if form == "logistic":
        e = np.exp(-params["lam"] * x)
        return (1 - e) / (1 + e)
    pytest.fail(f"no reference implementation for saturation form {form!r}")


def _daily_spend(market: Market, channel: str) -> np.ndarray:
    """The spend table's cost summed by day for one channel, zeros on days without rows."""
    config = market.config
    days = (config.end - config.start).days + 1
    series = np.zeros(days)
    spend = market.tables["spend"].filter(pc.equal(market.tables["spend"]["channel"], channel))
    for day, cost in zip(spend["date"].to_pylist(), spend["cost"].to_pylist(), strict=True):
        series[(day - config.start).days] += cost
    return series


def _nan_as_null(table: pa.Table) -> pa.Table:
    """NaN never equals NaN; as missing values go, NaN and null are the same here."""
    columns = [
        pc.if_else(pc.is_nan(col), pa.scalar(None, col.type), col)
        if pa.types.is_floating(col.type)
        else col
        for col in table.columns
    ]
    return pa.Table.from_arrays(columns, schema=table.schema)


# --- Determinism -------------------------------------------------------------------------------


@pytest.mark.parametrize("slug", sorted(CONFIGS))
def test_it_gives_identical_tables_and_truth_for_the_same_seed(markets, slug):
    first, again = markets[slug], simulate(CONFIGS[slug], seed=SEED)
    assert set(first.tables) == set(again.tables)
    for name, table in first.tables.items():
        assert _nan_as_null(table).equals(_nan_as_null(again.tables[name])), name
    assert first.budget_plan.equals(again.budget_plan)
    assert first.ground_truth == again.ground_truth
    assert json.dumps(first.ground_truth) == json.dumps(again.ground_truth)


@pytest.mark.parametrize("slug", sorted(CONFIGS))
def test_it_gives_different_data_for_a_different_seed(markets, slug):
    first, other = markets[slug], simulate(CONFIGS[slug], seed=SEED + 1)
    assert other.import_id != first.import_id
    for name in ("spend", "orders", "touchpoints", "survey_responses"):
        assert not first.tables[name].equals(other.tables[name]), name
    truth, other_truth = first.ground_truth["channels"], other.ground_truth["channels"]
    assert any(truth[c]["spend_total"] != other_truth[c]["spend_total"] for c in truth)
    # ...yet every seed's data still has the configured ROIs
    for channel in CONFIGS[slug].channels:
        assert other_truth[channel.name]["roi"] == pytest.approx(channel.roi, rel=1e-9)


def test_it_lists_both_demo_companies():
    assert COMPANIES == {"industrie-demo": INDUSTRIE, "boutique-demo": BOUTIQUE}
    assert (INDUSTRIE.kind, BOUTIQUE.kind) == ("b2b", "b2c")


# --- Ground truth ------------------------------------------------------------------------------


@pytest.mark.parametrize(("slug", "channel"), CHANNELS)
def test_it_records_the_roi_recomputed_from_the_spend_table(markets, slug, channel):
    market = markets[slug]
    truth = market.ground_truth["channels"][channel]
    value = market.ground_truth["outcome"]["value_per_unit"]
    spend = _daily_spend(market, channel)
    weights = _weights(truth["adstock"]["form"], truth["adstock"]["params"])
    carried = _carry_over(spend, weights)
    response = _saturation(carried, truth["saturation"]["form"], truth["saturation"]["params"])
    revenue = value * truth["beta_units_per_day"] * response.sum()
    roi = revenue / spend.sum()
    assert spend.sum() == pytest.approx(truth["spend_total"], rel=1e-9)
    assert roi == pytest.approx(truth["roi"], rel=1e-9)
    assert roi == pytest.approx(_channel_config(slug, channel).roi, rel=1e-9)
    assert truth["contribution_revenue"] == pytest.approx(revenue, rel=1e-9)


@pytest.mark.parametrize(("slug", "channel"), CHANNELS)
def test_it_records_the_configured_response_forms(markets, slug, channel):
    truth = markets[slug].ground_truth["channels"][channel]
    config = _channel_config(slug, channel)
    assert truth["adstock"]["form"] == config.adstock
    assert truth["saturation"]["form"] == config.saturation
    for key, value in config.adstock_params.items():
        assert truth["adstock"]["params"][key] == value


@pytest.mark.parametrize("slug", sorted(CONFIGS))
def test_it_totals_the_channels_in_the_ground_truth(markets, slug):
    truth = markets[slug].ground_truth
    channels = truth["channels"].values()
    assert truth["total"]["spend"] == pytest.approx(sum(c["spend_total"] for c in channels))
    revenue = sum(c["contribution_revenue"] for c in channels)
    assert truth["total"]["contribution_revenue"] == pytest.approx(revenue)
    assert truth["total"]["roi"] == pytest.approx(revenue / truth["total"]["spend"])
    spend = pc.sum(markets[slug].tables["spend"]["cost"]).as_py()
    assert truth["total"]["spend"] == pytest.approx(spend, rel=1e-9)
    assert truth["rows"] == {n: t.num_rows for n, t in markets[slug].tables.items()}


def test_it_values_a_b2b_lead_at_its_chance_of_winning_times_the_mean_deal():
    truth = value_per_unit(INDUSTRIE)
    f = INDUSTRIE.funnel
    mean_deal = f.deal_median * math.exp(f.deal_sigma**2 / 2)  # lognormal mean
    rates = f.lead_to_mql * f.mql_to_sql * f.sql_to_opportunity * f.opportunity_to_won
    assert truth == pytest.approx(rates * mean_deal, rel=1e-12)


@pytest.mark.parametrize("slug", sorted(CONFIGS))
def test_it_writes_the_ground_truth_and_the_budget_plan_to_a_folder(markets, slug, tmp_path):
    market = markets[slug]
    path = market.write_ground_truth(tmp_path / "truth")
    assert path == tmp_path / "truth" / "ground_truth.json"
    assert json.loads(path.read_text(encoding="utf-8")) == market.ground_truth
    with open(tmp_path / "truth" / "budget_plan.csv", encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == market.budget_plan.num_rows
    written = defaultdict(float)
    for row in rows:
        written[row["channel"]] += float(row["planned"])
    for channel in {c.name for c in market.config.channels}:
        mask = pc.equal(market.budget_plan["channel"], channel)
        planned = pc.sum(market.budget_plan.filter(mask)["planned"]).as_py()
        assert written[channel] == pytest.approx(planned, abs=0.01)


# --- The tables --------------------------------------------------------------------------------


@pytest.mark.parametrize("slug", sorted(CONFIGS))
def test_it_writes_every_table_in_its_canonical_schema(markets, slug):
    market = markets[slug]
    expected = B2B_TABLES if market.config.kind == "b2b" else B2C_TABLES
    assert set(market.tables) == expected
    for name, table in market.tables.items():
        assert table.schema.equals(SCHEMAS[name]), name
        assert table.num_rows > 0, name
        same = _nan_as_null(table)
        assert _nan_as_null(conform(name, table)).equals(same), name
        # columns in another order and without the not-null flags, as a reader would hand them
        loose = pa.table({c: table[c] for c in reversed(table.column_names)})
        assert _nan_as_null(conform(name, loose)).equals(same), name


@pytest.mark.parametrize(
    "slug",
    [
        "industrie-demo",
        "boutique-demo",
    ],
)
def test_it_writes_missing_numbers_as_null_not_nan(markets, slug):
    for name, table in markets[slug].tables.items():
        for field in table.schema:
            if pa.types.is_floating(field.type):
                nans = pc.sum(pc.is_nan(table[field.name])).as_py() or 0
                assert nans == 0, f"{name}.{field.name}: {nans} NaN values"


@pytest.mark.parametrize("slug", sorted(CONFIGS))
def test_it_tags_every_row_with_the_simulator_batch(markets, slug):
    market = markets[slug]
    assert market.import_id == f"demo-{slug}-seed{SEED}-v{SIMULATOR_VERSION}"
    for name, table in market.tables.items():
        assert pc.unique(table["import_id"]).to_pylist() == [market.import_id], name
        assert pc.unique(table["source"]).to_pylist() == ["simulator"], name


def _spend_by_channel_and_year(market: Market) -> dict[tuple[str, int], float]:
    spend = market.tables["spend"]
    years = pc.year(spend["date"]).to_pylist()
    totals: dict[tuple[str, int], float] = defaultdict(float)
    channels, costs = spend["channel"].to_pylist(), spend["cost"].to_pylist()
    for channel, year, cost in zip(channels, years, costs, strict=True):
        totals[(channel, year)] += cost
    return totals


@pytest.mark.parametrize("slug", sorted(CONFIGS))
def test_it_spends_roughly_the_budget_plan_each_year(markets, slug):
    market = markets[slug]
    actual = _spend_by_channel_and_year(market)
    planned: dict[tuple[str, int], float] = defaultdict(float)
    end = market.config.end
    for row in market.budget_plan.to_pylist():
        if (row["year"], row["month"]) <= (end.year, end.month):  # months with spend data
            planned[(row["channel"], row["year"])] += row["planned"]
    checked = 0
    for channel in market.config.channels:
        if channel.pattern == "flights":
            continue  # flights spend the plan only in the weeks they are on
        for (name, year), budget in planned.items():
            if name == channel.name and budget > 0:
                assert actual[(name, year)] == pytest.approx(budget, rel=0.2), (name, year)
                checked += 1
    assert checked >= 3 * sum(c.pattern == "always_on" for c in market.config.channels)


@pytest.mark.parametrize("slug", sorted(CONFIGS))
def test_it_plans_each_channels_annual_budget_for_a_full_year(markets, slug):
    market = markets[slug]
    plan = market.budget_plan.to_pylist()
    for channel in market.config.channels:
        year_2024 = sum(
            r["planned"] for r in plan if r["channel"] == channel.name and r["year"] == 2024
        )
        # the budget grows a little each year; 2024 is the first full year
        assert channel.annual_budget <= year_2024 <= 1.1 * channel.annual_budget


@pytest.mark.parametrize("slug", sorted(CONFIGS))
def test_it_only_spends_within_the_period_and_never_negative_amounts(markets, slug):
    spend = markets[slug].tables["spend"]
    config = markets[slug].config
    assert pc.min(spend["date"]).as_py() >= config.start
    assert pc.max(spend["date"]).as_py() <= config.end
    assert pc.min(spend["cost"]).as_py() > 0
    assert set(pc.unique(spend["channel"]).to_pylist()) == {c.name for c in config.channels}
    # one row per day x channel x campaign
    keys = spend.group_by(["date", "channel", "campaign"]).aggregate([])
    assert keys.num_rows == spend.num_rows


def _arrivals_by_channel(market: Market) -> dict[str, int]:
    """Leads (B2B) or new customers (B2C) credited to each channel over the period."""
    if market.config.kind == "b2b":
        channels = market.tables["leads"]["channel"]
    else:
        orders = market.tables["orders"]
        first = orders.group_by("customer_id").aggregate([("acquisition_channel", "min")])
        assert first.num_rows == pc.count_distinct(orders["customer_id"]).as_py()
        channels = first["acquisition_channel_min"]
    counts = pc.value_counts(channels).to_pylist()
    return {c["values"]: c["counts"] for c in counts}


@pytest.mark.parametrize(("slug", "channel"), CHANNELS)
def test_it_brings_the_true_number_of_arrivals_through_each_channel(markets, slug, channel):
    market = markets[slug]
    expected = market.ground_truth["channels"][channel]["contribution_units"]
    observed = _arrivals_by_channel(market).get(channel, 0)
    assert abs(observed - expected) <= 5 * math.sqrt(expected), (observed, expected)


@pytest.mark.parametrize("slug", sorted(CONFIGS))
def test_it_brings_the_baseline_arrivals_through_the_baseline_channel(markets, slug):
    market = markets[slug]
    baseline = market.ground_truth["baseline"]
    observed = _arrivals_by_channel(market).get(baseline["channel"], 0)
    expected = baseline["expected_units"]
    assert abs(observed - expected) <= 5 * math.sqrt(expected), (observed, expected)
    known = {c.name for c in market.config.channels} | {baseline["channel"]}
    assert set(_arrivals_by_channel(market)) == known


def test_it_credits_paid_leads_only_to_campaigns_that_spent_before(markets):
    market = markets["industrie-demo"]
    first_spend = (
        market.tables["spend"]
        .group_by(["channel", "campaign"])
        .aggregate([("date", "min")])
        .rename_columns(["channel", "campaign", "first_spent"])
    )
    leads = market.tables["leads"].select(["lead_id", "channel", "campaign", "created_at"])
    baseline = pc.equal(leads["channel"], market.config.baseline_channel)
    assert pc.all(pc.is_null(leads.filter(baseline)["campaign"])).as_py()
    paid = leads.filter(pc.invert(baseline))
    joined = paid.join(first_spend, keys=["channel", "campaign"], join_type="inner")
    assert joined.num_rows == paid.num_rows  # every paid lead names a campaign with spend
    created_day = pc.cast(joined["created_at"], pa.date32())
    assert pc.all(pc.greater_equal(created_day, joined["first_spent"])).as_py()


@pytest.mark.parametrize("slug", sorted(CONFIGS))
def test_it_counts_web_key_events_as_the_arrivals_through_each_web_channel(markets, slug):
    market = markets[slug]
    web = market.tables["web_traffic"]
    arrivals = _arrivals_by_channel(market)
    web_channels = [c.name for c in market.config.channels if c.source]
    web_channels.append(market.config.baseline_channel)
    assert set(pc.unique(web["channel"]).to_pylist()) == set(web_channels)
    for channel in web_channels:
        rows = web.filter(pc.equal(web["channel"], channel))
        assert pc.sum(rows["key_events"]).as_py() == arrivals.get(channel, 0), channel
    sessions, users = web["sessions"].to_numpy(), web["users"].to_numpy()
    assert np.all(users <= sessions)
    assert np.all(web["engaged_sessions"].to_numpy() <= sessions)


@pytest.mark.parametrize("slug", sorted(CONFIGS))
def test_it_lets_ad_platforms_claim_more_conversions_than_they_caused(markets, slug):
    market = markets[slug]
    spend = market.tables["spend"]
    arrivals = _arrivals_by_channel(market)
    for channel in market.config.channels:
        if channel.cpm is None or channel.pattern != "always_on":
            continue
        rows = spend.filter(pc.equal(spend["channel"], channel.name))
        claimed = pc.sum(rows["platform_conversions"]).as_py()
        assert claimed > arrivals[channel.name], channel.name
        assert pc.all(pc.greater_equal(rows["impressions"], rows["clicks"])).as_py()


@pytest.mark.parametrize("slug", sorted(CONFIGS))
def test_it_keeps_email_counts_consistent(markets, slug):
    email = markets[slug].tables["email_campaigns"]
    recipients, delivered = email["recipients"].to_numpy(), email["delivered"].to_numpy()
    np.testing.assert_array_equal(delivered + email["bounces"].to_numpy(), recipients)
    assert np.all(email["unique_opens"].to_numpy() <= delivered)
    assert np.all(email["unique_clicks"].to_numpy() <= email["unique_opens"].to_numpy())
    assert np.all(email["unsubscribes"].to_numpy() <= delivered)
    weekdays = {t.weekday() for t in email["sent_at"].to_pylist()}
    assert weekdays == ({1, 3} if markets[slug].config.emails_per_week >= 2 else {1})
