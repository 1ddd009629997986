"""A large synthetic B2B warehouse for benchmarks: fast, deterministic, not the simulator.

Three years (2022–2024) of 10M touchpoints, 1M leads, exactly 200k deals (one per
opportunity), daily spend per channel × campaign, and monthly orders of the won deals'
accounts with their acquisition channel. Generated with numpy in chunks and written once,
through ``Warehouse.write_batch``, to ``bench/.cache/<key>/``; the key holds the generator
version, the seed and the sizes, so a second run reuses it and any change regenerates.

Money is on a quarter-euro grid, so sums are exact in binary floating point whatever the
summation order: implementations that agree on the rows agree on the numbers exactly.
A few percent of the rows carry odd cases the KPIs must handle: leads without a channel,
leads that skipped a stage, and money in another currency than the workspace's.
"""

from __future__ import annotations

import datetime as dt
import shutil
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from pilotage.warehouse import Warehouse

GENERATOR_VERSION = 1
WORKSPACE = "bench"
CURRENCY = "EUR"
START = dt.date(2022, 1, 1)
END = dt.date(2024, 12, 31)
CACHE = Path(__file__).resolve().parent / ".cache"

PAID = ("Paid search", "Paid social", "Display", "LinkedIn Ads", "Trade shows", "Webinars")
ORGANIC = ("SEO", "Email", "Referral", "Partners")
CHANNELS = PAID + ORGANIC
CAMPAIGNS = ("brand", "prospecting", "retargeting")
INDUSTRIES = ("Manufacturing", "Retail", "Software", "Health", "Finance", "Energy")
SIZES = ("1-10", "11-50", "51-200", "201-1000", "1000+")
REGIONS = ("EMEA", "Americas", "APAC")
COUNTRIES = ("FR", "DE", "ES", "IT", "GB", "US", "CA", "BR", "JP", "AU")
INTERACTIONS = ("impression", "click", "visit", "form")

US_PER_DAY = 86_400 * 1_000_000
TS = pa.timestamp("us", tz="UTC")
T0 = int(np.datetime64(START, "us").astype(np.int64))  # first instant of the data
T1 = int(np.datetime64(END + dt.timedelta(days=1), "us").astype(np.int64))  # first one after


@dataclass(frozen=True)
class Size:
    touchpoints: int = 10_000_000
    leads: int = 1_000_000
    deals: int = 200_000
    chunk: int = 1_000_000  # touchpoint rows per batch: bounds memory while writing


def warehouse(size: Size = Size(), seed: int = 7) -> Warehouse:
    """The cached synthetic warehouse for ``size`` and ``seed``, generated on first use."""
    key = (
        f"synthetic-v{GENERATOR_VERSION}-s{seed}-"
        f"{size.touchpoints}t-{size.leads}l-{size.deals}d-{size.chunk}c"
    )
    root = CACHE / key
    if not root.exists():
        CACHE.mkdir(exist_ok=True)
        # other generator versions and interrupted runs: hundreds of megabytes each
        for stale in [*CACHE.glob("synthetic-*"), *CACHE.glob("partial-*")]:
            shutil.rmtree(stale, ignore_errors=True)
        partial = CACHE / f"partial-{key}"
        generate(Warehouse(partial), size, seed)
        partial.rename(root)  # only a complete warehouse ever gets the key
    return Warehouse(root)


def generate(wh: Warehouse, size: Size = Size(), seed: int = 7) -> None:
    """Write the synthetic tables of workspace ``WORKSPACE`` into ``wh``."""
    streams = iter(np.random.SeedSequence(seed).spawn(4 + size.touchpoints // size.chunk + 1))
    leads, deals = _leads_and_deals(np.random.default_rng(next(streams)), size)
    orders = _orders(np.random.default_rng(next(streams)), deals, leads)
    spend = _spend(np.random.default_rng(next(streams)))
    for name, table in (("leads", leads), ("deals", deals), ("orders", orders), ("spend", spend)):
        wh.write_batch(WORKSPACE, name, _lineage(table, "synthetic"), "synthetic")
    del leads, deals, orders
    next(streams)
    for i, first in enumerate(range(0, size.touchpoints, size.chunk)):
        rows = min(size.chunk, size.touchpoints - first)
        table = _touchpoints(np.random.default_rng(next(streams)), first, rows)
        wh.write_batch(WORKSPACE, "touchpoints", _lineage(table, f"tp-{i:03d}"), f"tp-{i:03d}")


# --- tables -------------------------------------------------------------------------------------


def _leads_and_deals(rng: np.random.Generator, size: Size) -> tuple[pa.Table, pa.Table]:
    n = size.leads
    # Volume grows over the three years: created_at has a linearly rising density.
    created = T0 + (np.sqrt(rng.random(n) * 3 + 1) - 1) * (T1 - T0)
    created = np.sort(created.astype(np.int64))
    channel = rng.choice(len(CHANNELS), n, p=_weights(len(CHANNELS), rng))
    no_channel = rng.random(n) < 0.02

    mql = np.where(rng.random(n) < 0.5, created + _days(rng, 30, n), -1)
    sql = np.where((mql >= 0) & (rng.random(n) < 0.5), mql + _days(rng, 20, n), -1)
    skipped = (mql < 0) & (rng.random(n) < 0.02)  # straight to SQL: passed MQL implicitly
    sql = np.where(skipped, created + _days(rng, 25, n), sql)
    candidate = np.where(sql >= 0, sql + _days(rng, 15, n), -1)
    mql, sql = _censor(mql), _censor(sql)
    eligible = np.flatnonzero((sql >= 0) & (candidate < T1))
    if len(eligible) < size.deals:
        raise ValueError(f"only {len(eligible)} opportunities for {size.deals} deals")
    chosen = np.sort(rng.choice(eligible, size.deals, replace=False))  # one deal each
    opportunity = np.full(n, -1, dtype=np.int64)
    opportunity[chosen] = candidate[chosen]

    d = len(chosen)
    outcome = rng.random(d)
    closed = opportunity[chosen] + _days(rng, 45, d)
    status = np.where(outcome < 0.3, 1, np.where(outcome < 0.8, 2, 0))  # 0 open, 1 won, 2 lost
    status = np.where(closed >= T1, 0, status)
    closed = np.where(status == 0, -1, closed)
    customer = np.full(n, -1, dtype=np.int64)
    customer[chosen[status == 1]] = closed[status == 1]
    disqualified = np.full(n, -1, dtype=np.int64)
    disqualified[chosen[status == 2]] = closed[status == 2]

    lead_ids = _ids("L", np.arange(n))
    lead_channel = _pick(CHANNELS, channel, no_channel)
    leads = pa.table(
        {
            "lead_id": lead_ids,
            "created_at": _ts(created),
            "channel": lead_channel,
            "campaign": _pick(CAMPAIGNS, rng.integers(0, len(CAMPAIGNS), n)),
            "industry": _pick(INDUSTRIES, rng.integers(0, len(INDUSTRIES), n)),
            "company_size": _pick(SIZES, rng.integers(0, len(SIZES), n)),
            "region": _pick(REGIONS, rng.integers(0, len(REGIONS), n)),
            "country": _pick(COUNTRIES, rng.integers(0, len(COUNTRIES), n)),
            "mql_at": _ts(mql),
            "sql_at": _ts(sql),
            "opportunity_at": _ts(opportunity),
            "customer_at": _ts(customer),
            "disqualified_at": _ts(disqualified),
        }
    )
    statuses = pa.array(["open", "won", "lost"])
    deals = pa.table(
        {
            "deal_id": _ids("D", np.arange(d)),
            "lead_id": lead_ids.take(chosen),
            "account_id": _ids("A", np.arange(d)),
            "created_at": _ts(opportunity[chosen]),
            "closed_at": _ts(closed),
            "stage": pc.take(pa.array(["proposal", "closed won", "closed lost"]), status),
            "status": pc.take(statuses, status),
            "amount": _money(rng.lognormal(np.log(24_000), 0.6, d)),
            "currency": _currency(rng, d),
            "channel": lead_channel.take(chosen),
            "pipeline": pa.array(np.full(d, "new business")),
        }
    )
    return leads, deals


def _orders(rng: np.random.Generator, deals: pa.Table, leads: pa.Table) -> pa.Table:
    """A monthly subscription order from each won deal's closing to the end of the data."""
    won = deals.filter(pc.equal(deals["status"], "won"))
    first = won["closed_at"].cast(pa.int64()).to_numpy()
    months = (T1 - 1 - first) // (30 * US_PER_DAY) + 1
    owner = np.repeat(np.arange(len(first)), months)
    k = np.arange(len(owner)) - np.repeat(np.cumsum(months) - months, months)
    at = first[owner] + k * 30 * US_PER_DAY
    monthly = _money(won["amount"].to_numpy() / 12)
    revenue = monthly.take(pa.array(owner))
    n = len(owner)
    margin = pc.multiply(revenue, 0.75)  # multiples of 3/16: still exact binary fractions
    margin = pc.if_else(pa.array(rng.random(n) < 0.05), pa.scalar(None, pa.float64()), margin)
    return pa.table(
        {
            "order_id": _ids("O", np.arange(n)),
            "customer_id": won["account_id"].take(pa.array(owner)),
            "ordered_at": _ts(at),
            "revenue": revenue,
            "gross_margin": margin,
            "currency": _currency(rng, n),
            "acquisition_channel": won["channel"].take(pa.array(owner)),
        }
    )


def _spend(rng: np.random.Generator) -> pa.Table:
    days = np.arange(np.datetime64(START), np.datetime64(END) + 1)
    day, channel, campaign = (
        a.ravel() for a in np.meshgrid(days, np.arange(len(PAID)), np.arange(len(CAMPAIGNS)))
    )
    n = len(day)
    cost = _money(rng.lognormal(np.log(400), 0.8, n))
    impressions = rng.poisson(20_000, n)
    clicks = rng.binomial(impressions, 0.02)
    return pa.table(
        {
            "date": pa.array(day.astype("datetime64[D]")),
            "channel": _pick(PAID, channel),
            "campaign": _pick(CAMPAIGNS, campaign),
            "cost": cost,
            "currency": _currency(rng, n),
            "impressions": impressions,
            "clicks": clicks,
            "platform_conversions": rng.binomial(clicks, 0.05).astype(np.float64),
            "platform_conversion_value": _money(rng.lognormal(np.log(300), 0.5, n)),
        }
    )


def _touchpoints(rng: np.random.Generator, first: int, n: int) -> pa.Table:
    converted = rng.random(n) < 0.03
    value = np.where(converted, rng.lognormal(np.log(150), 0.7, n), np.nan)
    return pa.table(
        {
            "journey_id": _ids("J", (first + np.arange(n)) // 5),
            "occurred_at": _ts(rng.integers(T0, T1, n)),
            "channel": _pick(CHANNELS, rng.integers(0, len(CHANNELS), n)),
            "campaign": _pick(CAMPAIGNS, rng.integers(0, len(CAMPAIGNS), n)),
            "interaction": _pick(INTERACTIONS, rng.integers(0, len(INTERACTIONS), n)),
            "converted": converted,
            "conversion_value": pa.array(np.round(value * 4) / 4, from_pandas=True),
        }
    )


# --- helpers ------------------------------------------------------------------------------------


def _lineage(table: pa.Table, import_id: str) -> pa.Table:
    n = table.num_rows
    table = table.append_column("source", pa.array(np.full(n, "synthetic")))
    return table.append_column("import_id", pa.array(np.full(n, import_id)))


def _weights(k: int, rng: np.random.Generator) -> np.ndarray:
    w = rng.gamma(2.0, 1.0, k)
    return w / w.sum()


def _days(rng: np.random.Generator, mean: float, n: int) -> np.ndarray:
    """Exponential delays in microseconds, mean ``mean`` days."""
    return (rng.exponential(mean, n) * US_PER_DAY).astype(np.int64)


def _censor(at: np.ndarray) -> np.ndarray:
    """Stages after the end of the data have not happened yet."""
    return np.where(at >= T1, -1, at)


def _ts(us: np.ndarray) -> pa.Array:
    """Microseconds since the epoch as UTC timestamps; negative values are nulls."""
    return pa.array(us, mask=us < 0, type=pa.int64()).cast(TS)


def _ids(prefix: str, numbers: np.ndarray) -> pa.Array:
    digits = pc.utf8_lpad(pa.array(numbers).cast(pa.string()), width=8, padding="0")
    return pc.binary_join_element_wise(prefix, digits, "")


def _pick(
    labels: tuple[str, ...], index: np.ndarray, missing: np.ndarray | None = None
) -> pa.Array:
    return pc.take(pa.array(labels), pa.array(index, mask=missing))


def _money(values: np.ndarray) -> pa.Array:
    """Amounts rounded to whole euros and quarter-euros (exact binary fractions)."""
    return pa.array(np.round(values * 4) / 4)


def _currency(rng: np.random.Generator, n: int) -> pa.Array:
    """The workspace's currency, and 1% of rows in another one (left out by the KPIs)."""
    return _pick((CURRENCY, "USD"), (rng.random(n) < 0.01).astype(np.int8))
