"""Simulate a company's market: canonical tables plus the ground truth that produced them."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa

from pilotage.simulate import b2b, b2c
from pilotage.simulate.arrivals import Arrivals, draw_arrivals
from pilotage.simulate.config import CompanyConfig
from pilotage.simulate.demand import ChannelEffect, baseline, channel_effect
from pilotage.simulate.engagement import email_campaigns, survey_responses, web_traffic
from pilotage.simulate.journeys import touchpoints
from pilotage.simulate.spend import Calendar, plan_channel
from pilotage.simulate.timeline import as_of
from pilotage.warehouse.schema import conform

SIMULATOR_VERSION = 3
SOURCE = "simulator"


@dataclass(frozen=True)
class Market:
    """What the simulator produced for one company and seed."""

    config: CompanyConfig
    seed: int
    tables: dict[str, pa.Table]
    budget_plan: pa.Table
    ground_truth: dict[str, Any]

    @property
    def import_id(self) -> str:
        return import_id(self.config, self.seed)

    def write_ground_truth(self, folder: Path) -> Path:
        """Write ``ground_truth.json`` (and the plan as ``budget_plan.csv``) into ``folder``."""
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / "ground_truth.json"
        path.write_text(json.dumps(self.ground_truth, indent=2, ensure_ascii=False) + "\n")
        plan = self.budget_plan.to_pylist()
        lines = ["year,month,channel,planned"] + [
            f"{r['year']},{r['month']},{r['channel']},{r['planned']:.2f}" for r in plan
        ]
        (folder / "budget_plan.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
        return path


def import_id(config: CompanyConfig, seed: int) -> str:
    """The batch id of a simulation: the same company, seed and simulator give the same id."""
    return f"demo-{config.slug}-seed{seed}-v{SIMULATOR_VERSION}"


def value_per_unit(config: CompanyConfig) -> float:
    """Expected revenue of one unit of demand.

    B2B: a lead is worth ``P(won | lead) * E[deal amount]`` with a lognormal deal amount
    (``median * exp(sigma**2 / 2)``); B2C: a new customer is worth the expected value of their
    first order ``p * gamma / (q - 1)``. Repeat orders are not counted in ROI.
    """
    if config.kind == "b2b":
        f = config.funnel
        return f.lead_to_won * f.deal_median * float(np.exp(f.deal_sigma**2 / 2))
    return config.customer_value.p_gg * config.customer_value.gamma / (config.customer_value.q - 1)


def simulate(config: CompanyConfig, seed: int = 42) -> Market:
    """Generate the canonical tables of ``config`` deterministically from ``seed``."""
    rng = np.random.default_rng(seed)
    cal = Calendar.between(config.start, config.end)
    value = value_per_unit(config)
    base = baseline(config, cal)
    effects = [channel_effect(ch, plan_channel(ch, cal, rng), value) for ch in config.channels]
    arrivals = draw_arrivals(base, effects, config.baseline_channel, rng)
    batch = import_id(config, seed)
    raw: dict[str, dict[str, Any]] = {"spend": _spend(config, cal, effects, arrivals, value, rng)}
    truth: dict[str, Any] = {}
    cutoff = as_of(config.end)
    if config.kind == "b2b":
        flow = b2b.funnel(config, arrivals, rng)
        raw["leads"], raw["deals"] = flow["leads"], flow["deals"]
        raw["orders"] = b2b.orders(config, flow, rng)
        raw["touchpoints"] = touchpoints(
            config,
            flow["leads"]["lead_id"],
            flow["created"],
            arrivals.channel,
            arrivals.campaign,
            flow["close_at"],
            flow["reached"]["customer"],
            flow["amount"],
            rng,
            cutoff=cutoff,
            conversion_touch=(config.baseline_channel, "sales meeting"),
        )
        raw["web_traffic"] = web_traffic(config, cal, arrivals, None, rng)
        truth["funnel"] = _funnel_truth(config)
    else:
        bought = b2c.customers_and_orders(config, arrivals, rng)
        raw["orders"] = bought["orders"]
        raw["touchpoints"] = touchpoints(
            config,
            bought["customer_ids"],
            bought["first_at"],
            arrivals.channel,
            arrivals.campaign,
            bought["first_at"],
            np.ones(len(arrivals), dtype=bool),
            bought["first_value"],
            rng,
            cutoff=cutoff,
            conversion_touch=None,
        )
        raw["web_traffic"] = web_traffic(config, cal, arrivals, bought["first_value"], rng)
        truth["customer_value"] = bought["truth"]
    raw["email_campaigns"] = email_campaigns(config, cal, rng)
    customers, first_order, since = _customers_since(config, raw["orders"])
    raw["survey_responses"] = survey_responses(config, cal, customers, first_order, since, rng)
    tables = {name: _canonical(name, columns, batch) for name, columns in raw.items()}
    ground_truth = _ground_truth(config, seed, value, base, effects, tables) | truth
    return Market(config, seed, tables, _budget_plan(effects), ground_truth)


def _customers_since(
    config: CompanyConfig, orders: dict[str, Any]
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Each customer, their first order in the data, and since when they have been a customer.

    B2B accounts from before the period (ids starting with ``E``) have been customers for years.
    """
    ids = np.asarray(orders["customer_id"], dtype=object)
    when = orders["ordered_at"].to_numpy(zero_copy_only=False).astype("datetime64[us]")
    order = np.lexsort((when, ids))
    ids, when = ids[order], when[order]
    first = np.r_[True, ids[1:] != ids[:-1]]
    customers, since = ids[first], when[first]
    long_ago = np.datetime64(config.start.replace(year=config.start.year - 3), "us")
    return customers, since, np.where([c.startswith("E") for c in customers], long_ago, since)


def _canonical(name: str, columns: dict[str, Any], batch: str) -> pa.Table:
    n = len(next(iter(columns.values())))
    return conform(name, {**columns, "source": [SOURCE] * n, "import_id": [batch] * n})


def _spend(
    config: CompanyConfig,
    cal: Calendar,
    effects: list[ChannelEffect],
    arrivals: Arrivals,
    value: float,
    rng: np.random.Generator,
) -> dict[str, list]:
    """One row per day × channel × campaign with money spent; platform metrics where they exist."""
    rows: dict[str, list] = {
        k: []
        for k in (
            "date",
            "channel",
            "campaign",
            "cost",
            "currency",
            "impressions",
            "clicks",
            "platform_conversions",
            "platform_conversion_value",
        )
    }
    n = len(cal)
    for effect in effects:
        ch = effect.channel
        for campaign, cost in effect.spend.by_campaign.items():
            days = np.flatnonzero(cost > 0)
            mine = (arrivals.channel == ch.name) & (arrivals.campaign == campaign)
            caused = np.bincount(arrivals.day[mine], minlength=n)[days]
            if ch.cpm:
                impressions = rng.poisson(cost[days] / ch.cpm * 1000)
                clicks = rng.binomial(impressions, ch.ctr or 0.0)
                claimed = np.round(
                    caused * ch.platform_overclaim * rng.lognormal(0, 0.2, len(days)), 1
                )
                rows["impressions"].extend(impressions.tolist())
                rows["clicks"].extend(clicks.tolist())
                rows["platform_conversions"].extend(claimed.tolist())
                rows["platform_conversion_value"].extend(np.round(claimed * value, 2).tolist())
            else:
                for key in (
                    "impressions",
                    "clicks",
                    "platform_conversions",
                    "platform_conversion_value",
                ):
                    rows[key].extend([None] * len(days))
            rows["date"].extend(cal.days[i] for i in days)
            rows["channel"].extend([ch.name] * len(days))
            rows["campaign"].extend([campaign] * len(days))
            rows["cost"].extend(cost[days].tolist())
            rows["currency"].extend([config.currency] * len(days))
    return rows


def _budget_plan(effects: list[ChannelEffect]) -> pa.Table:
    rows = [
        {"year": y, "month": m, "channel": e.channel.name, "planned": round(amount, 2)}
        for e in effects
        for (y, m), amount in sorted(e.spend.plan.items())
    ]
    return pa.Table.from_pylist(rows)


def _funnel_truth(config: CompanyConfig) -> dict[str, Any]:
    f = config.funnel
    lags = {
        name: {"shape": shape, "scale": scale, "mean_days": shape * scale}
        for name, (shape, scale) in (
            ("lead_to_mql", f.lag_mql),
            ("mql_to_sql", f.lag_sql),
            ("sql_to_opportunity", f.lag_opportunity),
            ("opportunity_to_close", f.lag_close),
        )
    }
    return {
        "rates": {
            "lead_to_mql": f.lead_to_mql,
            "mql_to_sql": f.mql_to_sql,
            "sql_to_opportunity": f.sql_to_opportunity,
            "opportunity_to_won": f.opportunity_to_won,
            "lead_to_won": f.lead_to_won,
        },
        "lags_gamma_days": lags,
        "deal_amount": {
            "distribution": "lognormal",
            "median": f.deal_median,
            "sigma": f.deal_sigma,
        },
        "repeat_orders_per_year": config.repeat_orders_per_year,
    }


def _ground_truth(
    config: CompanyConfig,
    seed: int,
    value: float,
    base: np.ndarray,
    effects: list[ChannelEffect],
    tables: dict[str, pa.Table],
) -> dict[str, Any]:
    total_spend = sum(e.truth["spend_total"] for e in effects)
    total_revenue = sum(e.truth["contribution_revenue"] for e in effects)
    return {
        "simulator_version": SIMULATOR_VERSION,
        "company": config.name,
        "slug": config.slug,
        "kind": config.kind,
        "seed": seed,
        "import_id": import_id(config, seed),
        "currency": config.currency,
        "period": {"start": config.start.isoformat(), "end": config.end.isoformat()},
        "outcome": {
            "unit": "leads" if config.kind == "b2b" else "new customers",
            "value_per_unit": value,
            "daily_model": "units[t] ~ Poisson(baseline[t] "
            "+ sum_c beta_c * sat_c(adstock_c(spend_c))[t])",
            "roi_definition": "value_per_unit * sum_t contribution_c[t] / sum_t spend_c[t], "
            "spend_c = daily sum of the spend table's cost for channel c",
        },
        "baseline": {
            "channel": config.baseline_channel,
            "per_day": config.baseline_per_day,
            "trend_per_year": config.trend_per_year,
            "seasonality_sin_cos": [list(p) for p in config.seasonality],
            "weekend_factor": config.weekend_factor,
            "expected_units": float(base.sum()),
        },
        "channels": {e.channel.name: e.truth for e in effects},
        "total": {
            "spend": total_spend,
            "contribution_revenue": total_revenue,
            "roi": total_revenue / total_spend,
        },
        "nps": {
            "promoters": config.nps.promoters,
            "detractors": config.nps.detractors,
            "nps": config.nps.nps,
        },
        "rows": {name: table.num_rows for name, table in tables.items()},
    }
