"""The metrics layer on a simulated market: where the simulator knows the true value, the
KPI must find it within sampling error."""

from __future__ import annotations

import datetime as dt
import math

import pytest

from pilotage.metrics import MetricQuery, WarehouseSource, run
from pilotage.simulate import INDUSTRIE
from pilotage.simulate.loader import load_company
from pilotage.warehouse import Warehouse

YEAR = (dt.date(2024, 1, 1), dt.date(2024, 12, 31))


@pytest.fixture(scope="module")
def industrie(tmp_path_factory):
    warehouse = Warehouse(tmp_path_factory.mktemp("wh"))
    load_company(warehouse, INDUSTRIE, seed=42)
    truth = __import__("json").loads(
        (warehouse.root / INDUSTRIE.slug / "_demo" / "ground_truth.json").read_text()
    )
    return WarehouseSource(warehouse, INDUSTRIE.slug, "EUR"), truth


@pytest.mark.parametrize(
    ("metric", "rate", "cohort"),
    [
        ("lead_to_mql", "lead_to_mql", "cohort_created_at"),
        ("mql_to_sql", "mql_to_sql", "cohort_mql_at"),
        ("sql_to_opportunity", "sql_to_opportunity", "cohort_sql_at"),
        ("opportunity_to_won", "opportunity_to_won", "cohort_opportunity_at"),
    ],
)
def test_it_recovers_the_true_funnel_rates_on_mature_cohorts(industrie, metric, rate, cohort):
    source, truth = industrie
    true_rate = truth["funnel"]["rates"][rate]
    # a window far beyond the simulated lags, so the cohort rate estimates the true rate
    result = run(MetricQuery((metric,), *YEAR, maturity_days=365), source)
    observed = result.rows[0][metric]
    n = _cohort_size(source, metric)
    assert abs(observed - true_rate) < 4 * math.sqrt(true_rate * (1 - true_rate) / n)


def _cohort_size(source, metric) -> int:
    from pilotage.metrics.kpis import KPIS

    cohort = KPIS[metric].measures[0]
    from pilotage.metrics.measures import MEASURES, Context, aggregate

    query = MetricQuery((metric,), *YEAR, maturity_days=365)
    ctx = Context(source, query, source.last_day)
    return aggregate(MEASURES[cohort], ctx).to_pyarrow().column(cohort)[0].as_py()


def test_it_puts_the_true_nps_inside_its_interval(industrie):
    source, truth = industrie
    [row] = run(MetricQuery(("nps", "nps_low", "nps_high"), *YEAR), source).rows
    half = (row["nps_high"] - row["nps_low"]) / 2
    # 99.9% (3.29 standard errors) rather than 95%, so a correct method fails 1 time in 1000
    assert abs(row["nps"] - truth["nps"]["nps"]) < half * 3.29 / 1.96


def test_it_counts_every_spend_euro_of_the_simulated_year(industrie):
    source, _ = industrie
    import pyarrow.compute as pc

    spend = source.warehouse.read(INDUSTRIE.slug, "spend")
    mask = pc.and_(pc.greater_equal(spend["date"], YEAR[0]), pc.less_equal(spend["date"], YEAR[1]))
    expected = pc.sum(spend.filter(mask)["cost"]).as_py()
    [row] = run(MetricQuery(("marketing_cost",), *YEAR), source).rows
    assert row["marketing_cost"] == pytest.approx(expected, rel=1e-12)
