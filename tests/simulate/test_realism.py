"""The simulated data behaves like a real company's: funnel rates, lags, dates, customers, NPS."""

from __future__ import annotations

import datetime as dt
import math

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pytest
from scipy import stats

from pilotage.simulate import BOUTIQUE, INDUSTRIE, Market, simulate

SEED = 42
DAY_US = 86_400_000_000
MATURITY_DAYS = 300
STAGES = ["created_at", "mql_at", "sql_at", "opportunity_at", "customer_at"]
RATES = ["lead_to_mql", "mql_to_sql", "sql_to_opportunity", "opportunity_to_won"]
LAGS = ["lead_to_mql", "mql_to_sql", "sql_to_opportunity", "opportunity_to_close"]
ALPHA = 1e-4  # a test at this level fails by chance once in 10,000 seeds


@pytest.fixture(scope="module")
def markets() -> dict[str, Market]:
    return {c.slug: simulate(c, seed=SEED) for c in (INDUSTRIE, BOUTIQUE)}


@pytest.fixture(scope="module")
def b2b(markets) -> Market:
    return markets[INDUSTRIE.slug]


@pytest.fixture(scope="module")
def b2c(markets) -> Market:
    return markets[BOUTIQUE.slug]


def _micros(column: pa.ChunkedArray) -> np.ndarray:
    """Timestamps as float microseconds since the epoch, NaN where null."""
    return pc.cast(column, pa.int64()).to_numpy().astype(float)


def _end_micros(end: dt.date) -> int:
    """The export moment: the last microsecond of the period's last day, UTC."""
    midnight = dt.datetime.combine(end + dt.timedelta(days=1), dt.time(), tzinfo=dt.UTC)
    return int(midnight.timestamp()) * 1_000_000 - 1


def _start_micros(start: dt.date) -> int:
    return int(dt.datetime.combine(start, dt.time(), tzinfo=dt.UTC).timestamp()) * 1_000_000


@pytest.fixture(scope="module")
def mature_leads(b2b) -> dict[str, np.ndarray]:
    """Stage timestamps of the leads created at least 300 days before the period end."""
    leads = b2b.tables["leads"]
    stamps = {stage: _micros(leads[stage]) for stage in STAGES}
    mature = stamps["created_at"] <= _end_micros(b2b.config.end) - MATURITY_DAYS * DAY_US
    assert mature.sum() > 10_000
    return {stage: values[mature] for stage, values in stamps.items()}


# --- Funnel ------------------------------------------------------------------------------------


@pytest.mark.parametrize("stage", range(len(RATES)), ids=RATES)
def test_it_converts_mature_cohorts_at_the_configured_stage_rates(b2b, mature_leads, stage):
    reached_before = ~np.isnan(mature_leads[STAGES[stage]])
    reached = ~np.isnan(mature_leads[STAGES[stage + 1]]) & reached_before
    rate = b2b.ground_truth["funnel"]["rates"][RATES[stage]]
    test = stats.binomtest(int(reached.sum()), int(reached_before.sum()), rate)
    assert test.pvalue > ALPHA, (RATES[stage], reached.sum() / reached_before.sum(), rate)


def test_it_converts_mature_leads_into_customers_at_the_product_of_the_rates(b2b, mature_leads):
    rates = b2b.ground_truth["funnel"]["rates"]
    assert rates["lead_to_won"] == pytest.approx(math.prod(rates[r] for r in RATES))
    won = int((~np.isnan(mature_leads["customer_at"])).sum())
    test = stats.binomtest(won, len(mature_leads["created_at"]), rates["lead_to_won"])
    assert test.pvalue > ALPHA


@pytest.mark.parametrize("stage", range(len(LAGS)), ids=LAGS)
def test_it_draws_stage_lags_from_the_configured_gamma(b2b, mature_leads, stage):
    truth = b2b.ground_truth["funnel"]["lags_gamma_days"][LAGS[stage]]
    shape, scale = truth["shape"], truth["scale"]
    assert truth["mean_days"] == pytest.approx(shape * scale)
    before, after = mature_leads[STAGES[stage]], mature_leads[STAGES[stage + 1]]
    lag_days = (after - before)[~np.isnan(after)] / DAY_US
    assert len(lag_days) > 100
    standard_error = math.sqrt(shape) * scale / math.sqrt(len(lag_days))
    assert abs(lag_days.mean() - shape * scale) < 4 * standard_error, (LAGS[stage], lag_days.mean())
    assert stats.kstest(lag_days, stats.gamma(shape, scale=scale).cdf).pvalue > ALPHA


def test_it_draws_deal_amounts_from_the_configured_lognormal(b2b):
    amounts = b2b.tables["deals"]["amount"].to_numpy()
    truth = b2b.ground_truth["funnel"]["deal_amount"]
    logs = np.log(amounts)
    # amounts are rounded to the hundred, which moves the logs by far less than the tolerance
    se = truth["sigma"] / math.sqrt(len(logs))
    assert abs(logs.mean() - math.log(truth["median"])) < 4 * se + 1e-3
    assert logs.std() == pytest.approx(truth["sigma"], rel=0.05)


# --- Dates -------------------------------------------------------------------------------------


def test_it_never_dates_a_stage_before_the_previous_one(b2b):
    leads = b2b.tables["leads"]
    stamps = [_micros(leads[stage]) for stage in STAGES]
    for earlier, later, name in zip(stamps[:-1], stamps[1:], STAGES[1:], strict=True):
        present = ~np.isnan(later)
        assert not np.isnan(earlier[present]).any(), f"{name} without the stage before it"
        assert np.all(earlier[present] <= later[present]), name
    disqualified = _micros(leads["disqualified_at"])
    present = ~np.isnan(disqualified)
    assert present.any()
    assert np.all(stamps[0][present] <= disqualified[present])
    assert np.isnan(stamps[-1][present]).all(), "a disqualified lead became a customer"


@pytest.mark.parametrize("slug", [INDUSTRIE.slug, BOUTIQUE.slug])
def test_it_dates_nothing_after_the_period_end(markets, slug):
    market = markets[slug]
    end, start = _end_micros(market.config.end), _start_micros(market.config.start)
    checked = 0
    for name, table in market.tables.items():
        for field in table.schema:
            if pa.types.is_timestamp(field.type):
                values = _micros(table[field.name])
                values = values[~np.isnan(values)]
                assert values.max() <= end, f"{name}.{field.name}"
                if name != "touchpoints":  # journeys may begin before the exported period
                    assert values.min() >= start, f"{name}.{field.name}"
                checked += 1
            elif pa.types.is_date(field.type):
                assert pc.max(table[field.name]).as_py() <= market.config.end
                assert pc.min(table[field.name]).as_py() >= market.config.start
                checked += 1
    assert checked >= 5


def test_it_opens_one_deal_per_opportunity_at_the_opportunity_date(b2b):
    leads = b2b.tables["leads"].filter(pc.is_valid(b2b.tables["leads"]["opportunity_at"]))
    deals = b2b.tables["deals"]
    assert deals.num_rows == leads.num_rows
    assert pc.count_distinct(deals["lead_id"]).as_py() == deals.num_rows
    joined = deals.join(leads.select(["lead_id", "opportunity_at"]), keys="lead_id")
    assert joined.num_rows == deals.num_rows
    assert pc.all(pc.equal(joined["created_at"], joined["opportunity_at"])).as_py()
    closed = pc.is_valid(deals["closed_at"])
    closed_deals = deals.filter(closed)
    assert pc.all(pc.greater_equal(closed_deals["closed_at"], closed_deals["created_at"])).as_py()


def test_it_records_won_deals_as_customers_on_the_lead(b2b):
    deals = b2b.tables["deals"]
    leads = b2b.tables["leads"].select(["lead_id", "customer_at"])
    joined = deals.join(leads, keys="lead_id")
    won = joined.filter(pc.equal(joined["status"], "won"))
    assert won.num_rows > 100
    assert pc.all(pc.is_valid(won["customer_at"])).as_py()
    assert pc.all(pc.equal(won["customer_at"], won["closed_at"])).as_py()
    assert set(pc.unique(won["stage"]).to_pylist()) == {"Closed Won"}
    others = joined.filter(pc.not_equal(joined["status"], "won"))
    assert pc.all(pc.is_null(others["customer_at"])).as_py()
    assert set(pc.unique(deals["status"]).to_pylist()) == {"open", "won", "lost"}
    open_deals = deals.filter(pc.equal(deals["status"], "open"))
    assert pc.all(pc.is_null(open_deals["closed_at"])).as_py()
    customers = pc.count(b2b.tables["leads"]["customer_at"]).as_py()
    assert customers == won.num_rows


def test_it_books_a_first_order_of_the_deal_amount_when_a_deal_is_won(b2b):
    deals = b2b.tables["deals"]
    won = deals.filter(pc.equal(deals["status"], "won"))
    orders = b2b.tables["orders"].select(["customer_id", "ordered_at", "revenue"])
    joined = won.join(
        orders,
        keys=["account_id", "closed_at", "amount"],
        right_keys=["customer_id", "ordered_at", "revenue"],
    )
    assert joined.num_rows == won.num_rows
    first = orders.group_by("customer_id").aggregate([("ordered_at", "min")])
    mine = won.join(first, keys="account_id", right_keys="customer_id")
    assert pc.all(pc.equal(mine["ordered_at_min"], mine["closed_at"])).as_py()


# --- Customers ---------------------------------------------------------------------------------


def test_it_makes_b2c_customers_buy_again(b2c):
    """Share of customers buying again within a year of their first order, BG/NBD process.

    In BG/NBD nobody drops out right after the first order, so a customer buys again within a
    year with probability 1 - E[exp(-lambda)] = 1 - (alpha / (alpha + 1))**r (time unit: year).
    """
    orders = b2c.tables["orders"]
    cv = b2c.config.customer_value
    by_customer = orders.group_by("customer_id").aggregate(
        [("ordered_at", "min"), ("ordered_at", "count")]
    )
    assert pc.max(by_customer["ordered_at_count"]).as_py() >= 5
    first = _micros(by_customer["ordered_at_min"])
    mature = first <= _end_micros(b2c.config.end) - 366 * DAY_US
    second = _second_order_micros(orders, by_customer["customer_id"])
    within_a_year = ~np.isnan(second) & (second - first <= 365.25 * DAY_US)
    expected = 1 - (cv.alpha / (cv.alpha + 1)) ** cv.r
    test = stats.binomtest(int(within_a_year[mature].sum()), int(mature.sum()), expected)
    assert test.pvalue > ALPHA, (within_a_year[mature].mean(), expected)


def _second_order_micros(orders: pa.Table, customers: pa.ChunkedArray) -> np.ndarray:
    ordered = orders.sort_by([("customer_id", "ascending"), ("ordered_at", "ascending")])
    ids = ordered["customer_id"].to_numpy(zero_copy_only=False)
    stamps = _micros(ordered["ordered_at"])
    starts = np.flatnonzero(np.r_[True, ids[1:] != ids[:-1]])
    counts = np.diff(np.r_[starts, len(ids)])
    second = np.where(counts > 1, stamps[np.minimum(starts + 1, len(ids) - 1)], np.nan)
    position = {c: i for i, c in enumerate(ids[starts])}
    return second[[position[c] for c in customers.to_pylist()]]


def test_it_keeps_a_b2c_customers_acquisition_channel_on_every_order(b2c):
    orders = b2c.tables["orders"]
    channels = orders.group_by("customer_id").aggregate([("acquisition_channel", "count_distinct")])
    assert pc.max(channels["acquisition_channel_count_distinct"]).as_py() == 1
    assert pc.all(pc.is_valid(orders["acquisition_channel"])).as_py()


def test_it_draws_b2c_order_values_around_the_configured_mean(b2c):
    revenue = b2c.tables["orders"]["revenue"].to_numpy()
    mean = b2c.ground_truth["customer_value"]["mean_order_value"]
    # Gamma-Gamma spend has a heavy tail; 5% is a loose bound on 180,000 orders
    assert revenue.mean() == pytest.approx(mean, rel=0.05)
    margin = b2c.tables["orders"]["gross_margin"].to_numpy()
    assert np.all((margin >= 0) & (margin <= revenue))


@pytest.mark.parametrize("slug", [INDUSTRIE.slug, BOUTIQUE.slug])
def test_it_measures_an_nps_within_sampling_error_of_the_truth(markets, slug):
    scores = markets[slug].tables["survey_responses"]["score"].to_numpy()
    assert scores.min() >= 0 and scores.max() <= 10
    truth = markets[slug].ground_truth["nps"]
    p, d = truth["promoters"], truth["detractors"]
    assert truth["nps"] == pytest.approx(100 * (p - d))
    nps = 100 * (np.mean(scores >= 9) - np.mean(scores <= 6))
    # variance of the +1 / 0 / -1 score of one respondent
    se = 100 * math.sqrt((p + d - (p - d) ** 2) / len(scores))
    z99 = stats.norm.ppf(0.995)
    assert abs(nps - truth["nps"]) <= z99 * se, (nps, truth["nps"])


@pytest.mark.parametrize(
    "slug",
    [INDUSTRIE.slug, BOUTIQUE.slug],
)
def test_it_surveys_only_people_who_were_customers_when_they_answered(markets, slug):
    market = markets[slug]
    first = market.tables["orders"].group_by("customer_id").aggregate([("ordered_at", "min")])
    survey = market.tables["survey_responses"]
    joined = survey.join(first, keys="respondent_id", right_keys="customer_id")
    assert joined.num_rows == survey.num_rows  # every respondent is a customer
    early = pc.sum(pc.less(joined["responded_at"], joined["ordered_at_min"])).as_py()
    assert early == 0, f"{early} of {survey.num_rows} answers predate the first order"
