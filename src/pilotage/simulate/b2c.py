"""B2C customers: first orders, then BG/NBD repeat buying with Gamma-Gamma order values."""

from __future__ import annotations

from typing import Any

import numpy as np

from pilotage.simulate.arrivals import Arrivals
from pilotage.simulate.config import CompanyConfig
from pilotage.simulate.timeline import as_of, at, ids, plus_days, ts_column


def customers_and_orders(
    config: CompanyConfig, arrivals: Arrivals, rng: np.random.Generator
) -> dict[str, Any]:
    """Each arrival is a new customer buying on its arrival day.

    While alive, a customer buys at rate ``lambda_i ~ Gamma(r, 1/alpha)`` per year; after every
    repeat purchase they become inactive with probability ``p_i ~ Beta(a, b)`` (BG/NBD, Fader,
    Hardie & Lee 2005: no dropout right after the first purchase, unlike MBG/NBD).
    Order values are ``Gamma(p_gg, 1/nu_i)`` with ``nu_i ~ Gamma(q, 1/gamma)``.
    """
    cv = config.customer_value
    n = len(arrivals)
    cutoff = as_of(config.end)
    first = at(config.start, arrivals.day, rng.uniform(7, 23, n))
    rate = rng.gamma(cv.r, 1 / cv.alpha, n)
    dropout = rng.beta(cv.a, cv.b, n)
    nu = rng.gamma(cv.q, 1 / cv.gamma, n)

    who, when = [np.arange(n)], [first]
    current, last = np.arange(n), first
    first_round = True
    while len(current):
        if not first_round:
            alive = rng.random(len(current)) >= dropout[current]
            current, last = current[alive], last[alive]
        first_round = False
        gap_days = rng.exponential(365.25 / rate[current])
        last = plus_days(last, gap_days)
        in_window = last <= cutoff
        current, last = current[in_window], last[in_window]
        who.append(current)
        when.append(last)
    who_all, when_all = np.concatenate(who), np.concatenate(when)
    values = np.round(rng.gamma(cv.p_gg, 1 / nu[who_all]), 2)
    order = np.lexsort((who_all, when_all))
    customer_ids = np.array(ids("C", n), dtype=object)
    margin = np.round(values * np.clip(rng.normal(cv.margin_rate, 0.05, len(values)), 0.05, 0.8), 2)
    orders = {
        "order_id": np.array(ids("O", len(order), 7), dtype=object),
        "customer_id": customer_ids[who_all][order],
        "ordered_at": ts_column(when_all[order]),
        "revenue": values[order],
        "gross_margin": margin[order],
        "currency": np.full(len(order), config.currency, dtype=object),
        "acquisition_channel": arrivals.channel[who_all][order],
    }
    first_value = values[:n]  # the first n draws belong to the first orders, in arrival order
    return {
        "orders": orders,
        "customer_ids": customer_ids,
        "first_at": first,
        "first_value": first_value,
        "truth": {
            "r": cv.r,
            "alpha": cv.alpha,
            "a": cv.a,
            "b": cv.b,
            "p": cv.p_gg,
            "q": cv.q,
            "gamma": cv.gamma,
            "time_unit": "year",
            "mean_order_value": cv.p_gg * cv.gamma / (cv.q - 1),
        },
    }
