"""Customer value for the CLV page: BG/NBD + Gamma-Gamma on the workspace's orders. No HTTP.

For every customer: the probability of still being a customer, the expected purchases and
their discounted value over the horizon (lifetimes' definition: repeat purchases, monthly
discounting), and the predictive lifetime value = value to date + that expected future value.
Value is gross margin when every order has one, revenue otherwise (said on the page). The
intervals come from the models' parameter uncertainty: parameters drawn from their estimated
(log-scale) normal distribution, the future value recomputed on a fixed sample of customers,
and the ratio of drawn to estimated value (5th–95th percentile) applied to the estimate.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from pilotage.models.clv.bgnbd import BetaGeo
from pilotage.models.clv.gamma_gamma import GammaGamma
from pilotage.models.clv.summary import summarize_orders

HORIZON_MONTHS = 36
MONTHLY_DISCOUNT = 0.01
DRAWS = 20
SAMPLE = 2_000
AT_RISK = 50
MIN_REPEATERS = 30


@dataclass
class CustomerValue:
    """The fitted models and one row per customer (``rows``), or why there is none."""

    problem: str | None = None
    basis: str = "margin"
    as_of: dt.date | None = None
    customers: int = 0
    repeaters: int = 0
    bgnbd: dict[str, Any] = field(default_factory=dict)
    gamma_gamma: dict[str, Any] = field(default_factory=dict)
    rows: list[dict[str, Any]] = field(default_factory=list)
    future_total: float = 0.0
    future_interval: tuple[float, float] = (0.0, 0.0)
    by_channel: list[dict[str, Any]] = field(default_factory=list)
    by_cohort: list[dict[str, Any]] = field(default_factory=list)
    at_risk: list[dict[str, Any]] = field(default_factory=list)


def analyse(orders: pa.Table, *, random_state: int = 0) -> CustomerValue:
    """Fit the models on ``orders`` (a canonical table) and value every customer."""
    if orders.num_rows == 0:
        return CustomerValue(problem="no_orders")
    basis = "margin" if orders.column("gross_margin").null_count == 0 else "revenue"
    value_column = "gross_margin" if basis == "margin" else "revenue"
    end = pc.max(orders.column("ordered_at")).as_py().date()
    summary = summarize_orders(orders, freq="W", observation_end=end, value_column=value_column)
    x, tx, age, m = summary.frequency, summary.recency, summary.T, summary.monetary_value
    repeaters = int((x > 0).sum())
    result = CustomerValue(basis=basis, as_of=end, customers=len(summary), repeaters=repeaters)
    if repeaters < MIN_REPEATERS:
        result.problem = "few_repeaters"
        return result
    try:
        with np.errstate(all="ignore"):  # a degenerate fit overflows; it is caught below
            bg = BetaGeo().fit(x, tx, age)
            gg = GammaGamma().fit(x, m)
            future, alive, purchases, spend = _predict(bg, gg, x, tx, age, m)
    except (ValueError, RuntimeError):
        result.problem = "no_fit"
        return result
    if not (np.isfinite(future).all() and np.isfinite(alive).all()):
        result.problem = "no_fit"  # a degenerate fit (e.g. nobody ever lapses)
        return result
    result.bgnbd = bg.summary()
    result.gamma_gamma = {**gg.params_, "confidence_intervals": gg.confidence_intervals_}
    facts = _customer_facts(orders, value_column)
    ids = [str(c) for c in summary.customer_id.tolist()]
    for i, customer in enumerate(ids):
        fact = facts[customer]
        result.rows.append(
            {
                "customer_id": customer,
                "channel": fact["channel"],
                "cohort": fact["cohort"],
                "orders": fact["orders"],
                "first_order": fact["first"],
                "last_order": fact["last"],
                "value_to_date": fact["value"],
                "probability_alive": float(alive[i]),
                "expected_purchases": float(purchases[i]),
                "expected_value_per_purchase": float(spend[i]),
                "future_value": float(future[i]),
                "ltv": fact["value"] + float(future[i]),
            }
        )
    result.future_total = float(future.sum())
    draws = _draws(bg, gg, x, tx, age, m, random_state)
    draws["point"] = future[draws["idx"]]
    low, high = _ratio_interval(draws, slice(None))
    result.future_interval = (result.future_total * low, result.future_total * high)
    result.by_channel = _groups(result.rows, "channel", draws)
    result.by_cohort = _groups(result.rows, "cohort", draws)
    result.at_risk = at_risk(result.rows)
    return result


def _predict(bg, gg, x, tx, age, m):
    future = gg.customer_lifetime_value(
        bg, x, tx, age, m, horizon_months=HORIZON_MONTHS, monthly_discount_rate=MONTHLY_DISCOUNT
    )
    alive = bg.probability_alive(x, tx, age)
    purchases = bg.expected_purchases(HORIZON_MONTHS * 4.345, x, tx, age)
    spend = gg.conditional_expected_value(x, m)
    return future, alive, purchases, spend


def _draws(bg, gg, x, tx, age, m, random_state: int) -> dict[str, Any]:
    """Future value on a fixed sample of customers under parameters drawn from their
    estimated distribution (log scale, observed information)."""
    rng = np.random.default_rng(random_state)
    idx = rng.choice(len(x), size=min(SAMPLE, len(x)), replace=False)
    sampled = []
    for _ in range(DRAWS):
        b = _drawn(BetaGeo, bg, rng)
        g = _drawn(GammaGamma, gg, rng)
        with np.errstate(all="ignore"):
            f = g.customer_lifetime_value(
                b,
                x[idx],
                tx[idx],
                age[idx],
                m[idx],
                horizon_months=HORIZON_MONTHS,
                monthly_discount_rate=MONTHLY_DISCOUNT,
            )
        if np.isfinite(f).all():
            sampled.append(f)
    return {"idx": idx, "future": sampled}


def _drawn(cls, fitted, rng):
    names = cls.names
    theta = np.array([fitted.params_[k] for k in names])
    natural = np.array([[fitted.covariance_[a][b] for b in names] for a in names], float)
    cov = natural / np.outer(theta, theta)  # the delta method, back on the log scale
    if not np.isfinite(cov).all():
        return fitted
    log = np.log(theta)
    clone = cls()
    clone.params_ = dict(
        zip(names, np.exp(rng.multivariate_normal(log, cov)).tolist(), strict=True)
    )
    return clone


def _ratio_interval(draws: dict[str, Any], members: Any) -> tuple[float, float]:
    """90% interval of (future value under drawn parameters) / (under the estimates), for the
    sampled customers ``members``; the estimate's own figure times these ratios is the interval.
    """
    point = float(draws["point"][members].sum())
    ratios = [float(f[members].sum()) / point for f in draws["future"] if point > 0]
    if len(ratios) < 5:
        return (float("nan"), float("nan"))
    low, high = np.percentile(ratios, [5, 95])
    return float(min(low, 1.0)), float(max(high, 1.0))


def _groups(rows: list[dict[str, Any]], key: str, draws: dict[str, Any]) -> list[dict[str, Any]]:
    """Mean LTV per channel or cohort, with the 90% interval of its future part."""
    members: dict[str, list[int]] = {}
    for i, row in enumerate(rows):
        if row[key] is not None:
            members.setdefault(row[key], []).append(i)
    sample = {int(i): j for j, i in enumerate(draws["idx"])}
    out = []
    for name, indices in sorted(members.items()):
        ltv = np.array([rows[i]["ltv"] for i in indices])
        past = np.array([rows[i]["value_to_date"] for i in indices])
        in_sample = [sample[i] for i in indices if i in sample]
        past_mean, future_mean = float(past.mean()), float(ltv.mean() - past.mean())
        if len(in_sample) >= 10:
            low, high = _ratio_interval(draws, np.array(in_sample))
        else:
            low = high = float("nan")
        out.append(
            {
                key: name,
                "customers": len(indices),
                "ltv": float(ltv.mean()),
                "value_to_date": past_mean,
                "ltv_low": past_mean + future_mean * low,
                "ltv_high": past_mean + future_mean * high,
            }
        )
    return out


def at_risk(rows: list[dict[str, Any]], top_share: float = 0.2) -> list[dict[str, Any]]:
    """The valuable customers most likely to have lapsed: the top ``top_share`` by value to
    date, ordered by their probability of still being customers (lowest first)."""
    if not rows:
        return []
    threshold = float(np.quantile([r["value_to_date"] for r in rows], 1 - top_share))
    valuable = [r for r in rows if r["value_to_date"] >= threshold and r["orders"] > 1]
    return sorted(valuable, key=lambda r: (r["probability_alive"], -r["value_to_date"]))[:AT_RISK]


def _customer_facts(orders: pa.Table, value_column: str) -> dict[str, dict[str, Any]]:
    """Per customer: acquisition channel and quarter of the first order, orders, value."""
    day = pc.cast(orders.column("ordered_at"), pa.date32())
    table = pa.table(
        {
            "customer_id": pc.cast(orders.column("customer_id"), pa.string()),
            "at": orders.column("ordered_at"),
            "day": day,
            "channel": orders.column("acquisition_channel"),
            "value": pc.fill_null(orders.column(value_column), 0.0),
        }
    ).sort_by([("customer_id", "ascending"), ("at", "ascending")])
    grouped = table.group_by("customer_id", use_threads=False).aggregate(
        [
            ("channel", "first"),
            ("day", "min"),
            ("day", "max"),
            ("day", "count"),
            ("value", "sum"),
        ]
    )
    facts: dict[str, dict[str, Any]] = {}
    columns = [
        grouped.column(c).to_pylist()
        for c in ("customer_id", "channel_first", "day_min", "day_max", "day_count", "value_sum")
    ]
    for customer, channel, first, last, count, value in zip(*columns, strict=True):
        facts[customer] = {
            "channel": channel,
            "cohort": f"{first.year}-Q{(first.month - 1) // 3 + 1}",
            "first": first,
            "last": last,
            "orders": int(count),
            "value": float(value),
        }
    return facts
