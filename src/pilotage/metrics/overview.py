"""Overview figures for the workspace home and the portfolio, computed with DuckDB.

Months are calendar months in UTC. "Last 12 months" ends on the last day with spend data, so a
workspace whose data stops in September still shows a full year.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import duckdb


@dataclass(frozen=True)
class Period:
    """A closed date interval ``[start, end]``."""

    start: dt.date
    end: dt.date

    @classmethod
    def year(cls, year: int) -> Period:
        return cls(dt.date(year, 1, 1), dt.date(year, 12, 31))

    @classmethod
    def last_12_months(cls, end: dt.date) -> Period:
        """The twelve calendar months ending with ``end``'s month."""
        first_of_month = end.replace(day=1)
        start_year, start_month = divmod(first_of_month.year * 12 + first_of_month.month - 12, 12)
        start = dt.date(start_year, start_month + 1, 1)
        next_month = (first_of_month + dt.timedelta(days=32)).replace(day=1)
        return cls(start, next_month - dt.timedelta(days=1))


@dataclass(frozen=True)
class Headline:
    """Three figures that tell a director how a company's marketing is doing."""

    period: Period
    marketing_spend: float
    new_demand: int  # leads (B2B) or new customers (B2C) in the period
    demand_unit: str  # "leads" or "new customers"
    revenue: float


def _scalar(con: duckdb.DuckDBPyConnection, sql: str, args: list | None = None):
    """The single value of a one-row, one-column query."""
    row = con.execute(sql, args or []).fetchone()
    assert row is not None, sql  # aggregates always return a row
    return row[0]


def data_years(con: duckdb.DuckDBPyConnection) -> list[int]:
    """Years that have spend data, most recent first."""
    rows = con.execute("select distinct year(date) y from spend order by y desc").fetchall()
    return [r[0] for r in rows]


def last_data_day(con: duckdb.DuckDBPyConnection) -> dt.date | None:
    return _scalar(con, "select max(date) from spend")


def demand_unit(con: duckdb.DuckDBPyConnection) -> str:
    """``leads`` when the workspace tracks leads (B2B), else ``new customers`` (B2C)."""
    return "leads" if _scalar(con, "select count(*) from leads") else "new customers"


def channels(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Every channel named in spend, leads or orders, sorted."""
    rows = con.execute(
        """
        select channel from spend union select channel from leads
        union select acquisition_channel from orders
        """
    ).fetchall()
    return sorted(r[0] for r in rows if r[0] is not None)


def spend_by_channel_month(con: duckdb.DuckDBPyConnection, period: Period) -> list[dict]:
    """Media spend per month and channel: ``sum(spend.cost)``."""
    rows = con.execute(
        """
        select date_trunc('month', date)::date as month, channel, round(sum(cost), 2) as cost
        from spend where date between ? and ?
        group by all order by month, channel
        """,
        [period.start, period.end],
    ).fetchall()
    return [{"month": m.isoformat(), "channel": c, "cost": v} for m, c, v in rows]


def demand_by_month(con: duckdb.DuckDBPyConnection, period: Period) -> list[dict]:
    """Leads created per month and channel (B2B), or new customers by first-order month (B2C)."""
    if demand_unit(con) == "leads":
        sql = """
            select date_trunc('month', created_at)::date as month, channel, count(*) as n
            from leads where created_at::date between ? and ? group by all order by all
        """
    else:
        sql = """
            with firsts as (
                select customer_id, min(ordered_at) as first_at,
                       arg_min_null(acquisition_channel, ordered_at) as channel
                from orders group by customer_id
            )
            select date_trunc('month', first_at)::date as month, channel, count(*) as n
            from firsts where first_at::date between ? and ? group by all order by all
        """
    rows = con.execute(sql, [period.start, period.end]).fetchall()
    return [{"month": m.isoformat(), "channel": c or "?", "count": n} for m, c, n in rows]


def headline(con: duckdb.DuckDBPyConnection) -> Headline | None:
    """Spend, leads or new customers, and revenue over the last 12 months of data."""
    end = last_data_day(con)
    if end is None:
        return None
    period = Period.last_12_months(end)
    args = [period.start, period.end]
    spend = _scalar(
        con, "select coalesce(sum(cost), 0) from spend where date between ? and ?", args
    )
    revenue = _scalar(
        con,
        "select coalesce(sum(revenue), 0) from orders where ordered_at::date between ? and ?",
        args,
    )
    demand = sum(row["count"] for row in demand_by_month(con, period))
    return Headline(
        period=period,
        marketing_spend=float(spend),
        new_demand=demand,
        demand_unit=demand_unit(con),
        revenue=float(revenue),
    )
