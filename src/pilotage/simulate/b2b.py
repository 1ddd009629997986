"""B2B funnel: leads → MQL → SQL → opportunity → won, deals, orders and journeys."""

from __future__ import annotations

from typing import Any

import numpy as np

from pilotage.simulate.arrivals import Arrivals
from pilotage.simulate.config import CompanyConfig
from pilotage.simulate.timeline import as_of, at, gamma_lag, ids, pick, plus_days, ts_column

COMPANY_SIZES = ["1-49", "50-249", "250-999", "1000+"]
OPEN_STAGES = ["Qualification", "Proposal", "Negotiation"]


def funnel(config: CompanyConfig, arrivals: Arrivals, rng: np.random.Generator) -> dict[str, Any]:
    """Walk every lead through the funnel; stages after the export date are not yet known."""
    f = config.funnel
    n = len(arrivals)
    cutoff = as_of(config.end)
    created = at(config.start, arrivals.day, rng.uniform(8, 18, n))
    mql_at = plus_days(created, gamma_lag(rng, f.lag_mql, n))
    sql_at = plus_days(mql_at, gamma_lag(rng, f.lag_sql, n))
    opp_at = plus_days(sql_at, gamma_lag(rng, f.lag_opportunity, n))
    close_at = plus_days(opp_at, gamma_lag(rng, f.lag_close, n))
    passes_mql = rng.random(n) < f.lead_to_mql
    passes_sql = passes_mql & (rng.random(n) < f.mql_to_sql)
    passes_opp = passes_sql & (rng.random(n) < f.sql_to_opportunity)
    wins = passes_opp & (rng.random(n) < f.opportunity_to_won)
    is_mql = passes_mql & (mql_at <= cutoff)
    is_sql = passes_sql & is_mql & (sql_at <= cutoff)
    is_opp = passes_opp & is_sql & (opp_at <= cutoff)
    is_closed = is_opp & (close_at <= cutoff)
    is_customer = wins & is_closed
    # A lead that fails a stage is disqualified when that stage would have been decided.
    disqualified_at = np.where(~passes_mql, mql_at, np.where(~passes_sql, sql_at, opp_at))
    fails = (~passes_mql) | (is_mql & ~passes_sql) | (is_sql & ~passes_opp)
    is_disqualified = fails & (disqualified_at <= cutoff)
    amount = np.round(f.deal_median * rng.lognormal(0, f.deal_sigma, n), -2)

    industries = list(config.industries)
    regions = [r for r, _ in config.regions]
    country_of = dict(config.regions)
    region = pick(rng, regions, np.linspace(2, 1, len(regions)), n)
    lead_id = np.array(ids("L", n), dtype=object)
    leads = {
        "lead_id": lead_id,
        "created_at": ts_column(created),
        "channel": arrivals.channel,
        "campaign": arrivals.campaign,
        "industry": pick(rng, industries, np.linspace(3, 1, len(industries)), n),
        "company_size": pick(rng, COMPANY_SIZES, np.array([0.35, 0.35, 0.2, 0.1]), n),
        "region": region,
        "country": np.array([country_of[r] for r in region], dtype=object),
        "mql_at": ts_column(mql_at, is_mql),
        "sql_at": ts_column(sql_at, is_sql),
        "opportunity_at": ts_column(opp_at, is_opp),
        "customer_at": ts_column(close_at, is_customer),
        "disqualified_at": ts_column(disqualified_at, is_disqualified),
    }
    o = np.flatnonzero(is_opp)
    closed = is_closed[o]
    elapsed = (cutoff - opp_at[o]) / (close_at[o] - opp_at[o])
    open_stage = np.array(OPEN_STAGES, dtype=object)[np.minimum((elapsed * 3).astype(int), 2)]
    status = np.where(closed, np.where(wins[o], "won", "lost"), "open").astype(object)
    stage = np.where(closed, np.where(wins[o], "Closed Won", "Closed Lost"), open_stage).astype(
        object
    )
    deals = {
        "deal_id": np.array(ids("D", len(o)), dtype=object),
        "lead_id": lead_id[o],
        "account_id": np.array([f"A{i + 1:06d}" for i in o], dtype=object),
        "created_at": ts_column(opp_at[o]),
        "closed_at": ts_column(close_at[o], closed),
        "stage": stage,
        "status": status,
        "amount": amount[o],
        "currency": np.full(len(o), config.currency, dtype=object),
        "channel": arrivals.channel[o],
        "pipeline": np.full(len(o), "New business", dtype=object),
    }
    customers = np.flatnonzero(is_customer)
    return {
        "leads": leads,
        "deals": deals,
        "created": created,
        "close_at": close_at,
        "amount": amount,
        "won_at": close_at[customers],
        "won_index": customers,
        "won_amount": amount[customers],
        "reached": {
            "mql": is_mql,
            "sql": is_sql,
            "opportunity": is_opp,
            "customer": is_customer,
        },
    }


def orders(config: CompanyConfig, flow: dict[str, Any], rng: np.random.Generator) -> dict[str, Any]:
    """First orders at closing, repeat orders of new customers, and the existing base's orders."""
    cutoff = as_of(config.end)
    start = at(config.start, np.zeros(1), np.zeros(1))[0]
    won_at, amount, index = flow["won_at"], flow["won_amount"], flow["won_index"]
    channel = flow["leads"]["channel"][index]
    customer = np.array([f"A{i + 1:06d}" for i in index], dtype=object)
    # Repeat orders: a Poisson process from the closing date to the export date.
    span_years = (cutoff - won_at) / np.timedelta64(1, "D") / 365.25
    repeats = rng.poisson(config.repeat_orders_per_year * span_years)
    who = np.repeat(np.arange(len(index)), repeats)
    repeat_at = plus_days(won_at[who], rng.random(len(who)) * span_years[who] * 365.25)
    repeat_revenue = np.round(amount[who] * 0.3 * rng.lognormal(-0.08, 0.4, len(who)), 2)
    # The customer base from before the period: steady orders all along.
    k = config.existing_accounts
    yearly = config.existing_account_revenue * rng.lognormal(-0.5 * 0.8**2, 0.8, k)
    total_years = (cutoff - start) / np.timedelta64(1, "D") / 365.25
    per_year = 8.0
    counts = rng.poisson(per_year * total_years, k)
    base_who = np.repeat(np.arange(k), counts)
    base_at = plus_days(
        np.full(len(base_who), start), rng.random(len(base_who)) * total_years * 365.25
    )
    base_revenue = np.round(
        yearly[base_who] / per_year * rng.lognormal(-0.02, 0.2, len(base_who)), 2
    )
    ordered_at = np.concatenate([won_at, repeat_at, base_at])
    revenue = np.concatenate([amount, repeat_revenue, base_revenue])
    customer_id = np.concatenate(
        [customer, customer[who], np.array([f"E{i + 1:05d}" for i in base_who], dtype=object)]
    )
    acquisition = np.concatenate(
        [channel, channel[who], np.full(len(base_who), None, dtype=object)]
    )
    order = np.argsort(ordered_at, kind="stable")
    margin_rate = np.clip(rng.normal(0.32, 0.04, len(revenue)), 0.1, 0.6)
    return {
        "order_id": np.array(ids("O", len(order), 7), dtype=object),
        "customer_id": customer_id[order],
        "ordered_at": ts_column(ordered_at[order]),
        "revenue": revenue[order],
        "gross_margin": np.round(revenue * margin_rate, 2)[order],
        "currency": np.full(len(order), config.currency, dtype=object),
        "acquisition_channel": acquisition[order],
    }
