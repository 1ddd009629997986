"""Base measures: one aggregation over one (possibly derived) table, with its time column.

KPIs (``kpis.py``) are built from these. A measure knows which column dates it (for the period
filter and the time buckets) and which column answers each dimension; a measure that cannot be
split by a dimension simply does not list it. A measure that knows whose rows it counts (its
``customer`` keyer, ``membership.py``) can also be split by the saved ``customer_segment``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

import ibis
from ibis.expr.types import BooleanValue, Table, Value

from pilotage.metrics.membership import (
    CUSTOMER_SEGMENT,
    Keyer,
    asks_customer_segment,
    by_acquired,
    by_customer,
    by_deal,
    by_lead,
)
from pilotage.metrics.query import MetricQuery, QueryError
from pilotage.metrics.source import WarehouseSource

NONE_LABEL = "(none)"
TRUNCATE = {"day": "D", "week": "W", "month": "M", "quarter": "Q", "year": "Y"}
LEAD_DIMENSIONS = {
    "channel": "channel",
    "campaign": "campaign",
    "segment": "industry",
    "region": "region",
    "country": "country",
    "company_size": "company_size",
}


# DuckDB's own functions: UTC microseconds ↔ naive timestamps. Time buckets and cohort windows
# computed on them skip the per-row time-zone arithmetic of TIMESTAMPTZ (3–5× faster on 1M
# leads, see bench/kpi_cube.py). ``portable`` expressions (Spark SQL) use Ibis's own operations.
_epoch_us = ibis.udf.scalar.builtin(
    lambda x: None, name="epoch_us", signature=(('timestamp("UTC")',), "int64")
)
_make_timestamp = ibis.udf.scalar.builtin(
    lambda x: None, name="make_timestamp", signature=(("int64",), "timestamp")
)
MICROSECONDS_A_DAY = 86_400_000_000


@dataclass(frozen=True)
class Context:
    """What a measure needs besides its table: the source, the query, the cohort cut-off."""

    source: WarehouseSource
    query: MetricQuery
    as_of: dt.date
    portable: bool = False  # True: only operations every Ibis backend compiles

    @property
    def as_of_end(self) -> Value:
        """The end of the ``as_of`` day, as a UTC timestamp literal."""
        return _ts(self.as_of + dt.timedelta(days=1))


@dataclass(frozen=True)
class Measure:
    """``value`` aggregated over the rows of ``table`` whose ``time`` is in the period.

    ``customer`` adds each row's customer id (``membership.py``); the measure can then be split
    by ``customer_segment``.
    """

    name: str
    table: Callable[[Context], Table]
    time: str
    value: Callable[[Table], Value]
    dimensions: Mapping[str, str] = field(default_factory=dict)
    where: Callable[[Table, Context], BooleanValue] | None = None
    customer: Keyer | None = None

    def __post_init__(self) -> None:
        if self.customer is not None:
            dimensions = {**self.dimensions, CUSTOMER_SEGMENT: CUSTOMER_SEGMENT}
            object.__setattr__(self, "dimensions", dimensions)


def _ts(day: dt.date) -> Value:
    return ibis.literal(dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC))


def aggregate(measure: Measure, ctx: Context) -> Table:
    """The measure grouped by the query's time bucket and dimensions (``_all`` when neither)."""
    q = ctx.query
    table = measure.table(ctx)
    if measure.customer is not None and asks_customer_segment(q):
        table = with_customer_segment(table, measure.customer, ctx)
    time = table[measure.time]
    is_date = time.type().is_date()
    start = ibis.literal(q.start) if is_date else _ts(q.start)
    end = ibis.literal(q.end + dt.timedelta(days=1)) if is_date else _ts(q.end + dt.timedelta(1))
    predicates = [time.notnull(), time >= start, time < end]
    if measure.where is not None:
        predicates.append(measure.where(table, ctx))
    for dimension, values in q.filters:
        predicates.append(table[_column(measure, dimension)].isin(list(values)))
    table = table.filter(predicates)
    keys: dict[str, Value] = {}
    if q.grain:
        keys["period"] = _bucket(table[measure.time], q.grain, ctx)
    for dimension in q.dimensions:
        keys[dimension] = table[_column(measure, dimension)].fill_null(NONE_LABEL)
    if not keys:
        keys["_all"] = ibis.literal(1)
    return table.group_by(**keys).aggregate(**{measure.name: measure.value(table)})


def with_customer_segment(table: Table, customer: Keyer, ctx: Context) -> Table:
    """``table`` with ``customer_segment``: the saved segment of each row's customer, "(none)"
    for a customer the saved segmentation does not hold (or a row without customer)."""
    keyed = customer(table, ctx)
    saved = ctx.source.segments_table().rename(_saved_customer="customer_id", _saved="segment")
    joined = keyed.left_join(saved, keyed._customer == saved._saved_customer)
    return joined.select(*table.columns, customer_segment=joined._saved.fill_null(NONE_LABEL))


def _bucket(time: Value, grain: str, ctx: Context) -> Value:
    """The start date of the ``grain`` bucket of each row's time (UTC)."""
    if time.type().is_timestamp() and not ctx.portable:
        time = _make_timestamp(_epoch_us(time))
    return time.truncate(TRUNCATE[grain]).cast("date")


def _column(measure: Measure, dimension: str) -> str:
    try:
        return measure.dimensions[dimension]
    except KeyError:
        raise QueryError(
            f"{measure.name} cannot be split or filtered by {dimension}: the "
            f"{measure.time} rows it counts carry no {dimension}"
        ) from None


# --- derived tables -----------------------------------------------------------------------------


def customers(ctx: Context) -> Table:
    """One row per customer from ``orders`` up to ``as_of``: first order, channel, value to date.

    ``channel`` is the acquisition channel of the customer's first order (null for customers
    who came before the data, such as a B2B company's historical accounts); ``value_to_date`` is
    the gross margin of all their orders, the revenue where the margin is unknown
    (``margin_missing`` counts those orders); ``observed_days`` runs from the first order to
    the end of ``as_of``.
    """
    orders = ctx.source.table("orders")
    orders = orders.filter(orders.ordered_at < ctx.as_of_end, _in_currency()(orders, ctx))
    per = orders.group_by("customer_id").aggregate(
        first_at=orders.ordered_at.min(),
        orders=orders.count(),
        revenue_to_date=orders.revenue.sum(),
        value_to_date=ibis.coalesce(orders.gross_margin, orders.revenue).sum(),
        margin_missing=orders.gross_margin.isnull().cast("int64").sum(),
    )
    firsts = orders.join(
        per, [orders.customer_id == per.customer_id, orders.ordered_at == per.first_at]
    )
    first_channel = firsts.group_by(firsts.customer_id).aggregate(
        channel=firsts.acquisition_channel.max()
    )
    observed = (ctx.as_of_end.epoch_seconds() - per.first_at.epoch_seconds()) / 86_400
    return per.mutate(observed_days=observed).join(first_channel, "customer_id")


def customers_with_future(ctx: Context) -> Table:
    """:func:`customers` with ``future_value``: each customer's discounted expected value of the
    next 36 months from the CLV models (``predictive.py``; null when the models cannot fit)."""
    from pilotage.metrics.predictive import future_values

    c = customers(ctx)
    source = ctx.source
    key = (str(source.warehouse.root), source.workspace, source.versions)
    predicted = ibis.memtable(
        future_values(source.table("orders"), source.currency, ctx.as_of, key)
    )
    joined = c.left_join(predicted, c.customer_id.cast("string") == predicted.customer_id)
    return joined.select(c, future_value=predicted.future_value)


def acquisitions(ctx: Context) -> Table:
    """New customers with the moment they became customers (DESIGN.md §5 "New customers").

    B2B: leads whose ``customer_at`` is set, with the lead's channel and attributes. B2C:
    customers from :func:`customers` who came through a channel, dated by their first order.
    """
    # who the customer is (the lead, or the customer id) only when asked: the usual queries
    # compile to the same SQL as before (tests/metrics/snapshots)
    segmented = asks_customer_segment(ctx.query)
    if ctx.source.kind == "b2b":
        leads = ctx.source.table("leads")
        who = {"customer_key": leads.lead_id} if segmented else {}
        return leads.select(
            at=leads.customer_at,
            channel=leads.channel,
            campaign=leads.campaign,
            industry=leads.industry,
            region=leads.region,
            country=leads.country,
            company_size=leads.company_size,
            **who,
        )
    c = customers(ctx)
    empty = ibis.null("string")
    c = c.filter(c.channel.notnull())
    who = {"customer_key": c.customer_id} if segmented else {}
    return c.select(
        at=c.first_at,
        channel=c.channel,
        # orders carry no lead attributes: filtering a B2C workspace by them finds nothing
        campaign=empty,
        industry=empty,
        region=empty,
        country=empty,
        company_size=empty,
        **who,
    )


def _table(name: str) -> Callable[[Context], Table]:
    return lambda ctx: ctx.source.table(name)


def lead_stages(ctx: Context) -> Table:
    """Leads with each stage dated by the earliest of it and the later stages.

    A lead that skipped a stage (SQL without an MQL date, say) has passed it: it counts as
    reaching the skipped stage when it reached the next one.
    """
    leads = ctx.source.table("leads")
    later: list = []
    dated = {}
    for stage in reversed(STAGES[1:]):
        later = [leads[stage], *later]
        dated[stage] = ibis.least(*later) if len(later) > 1 else leads[stage]
    return leads.mutate(**dated)


def _in_currency(column: str = "currency") -> Callable[[Table, Context], BooleanValue]:
    """Money rows in the workspace currency only (others are reported, never mixed in)."""

    def keep(t: Table, ctx: Context) -> BooleanValue:
        currency = ctx.source.currency
        return t[column] == currency if currency else ibis.literal(True)

    return keep


def _both(*conditions: Callable[[Table, Context], BooleanValue]):
    def keep(t: Table, ctx: Context) -> BooleanValue:
        result = conditions[0](t, ctx)
        for condition in conditions[1:]:
            result = result & condition(t, ctx)
        return result

    return keep


def _count(t: Table) -> Value:
    return t.count()


def _stage_cohort(stage: str, next_stage: str) -> tuple[Measure, Measure]:
    """Leads that reached ``stage`` in the period (and whose window elapsed), and those of them
    that reached ``next_stage`` within ``maturity_days``."""

    def matured(t: Table, ctx: Context) -> BooleanValue:
        # stage + window < end of as_of, written as a constant bound on the stage
        return t[stage] < _ts(ctx.as_of + dt.timedelta(days=1 - ctx.query.maturity_days))

    def converted(t: Table, ctx: Context) -> BooleanValue:
        if ctx.portable:
            within = t[next_stage] <= t[stage] + ibis.interval(days=ctx.query.maturity_days)
        else:
            gap = _epoch_us(t[next_stage]) - _epoch_us(t[stage])
            within = gap <= ctx.query.maturity_days * MICROSECONDS_A_DAY
        return matured(t, ctx) & t[next_stage].notnull() & within

    base = f"cohort_{stage}"
    return (
        Measure(base, lead_stages, stage, _count, LEAD_DIMENSIONS, matured, BY_LEAD),
        Measure(
            f"{base}_to_{next_stage}",
            lead_stages,
            stage,
            _count,
            LEAD_DIMENSIONS,
            converted,
            BY_LEAD,
        ),
    )


STAGES = ("created_at", "mql_at", "sql_at", "opportunity_at", "customer_at")
BY_LEAD = by_lead("lead_id")
BY_CUSTOMER = by_customer("customer_id")

_measures: list[Measure] = [
    Measure(
        "marketing_cost",
        lambda ctx: ctx.source.costs_table(),
        "date",
        lambda t: t.cost.sum(),
        {"channel": "channel", "campaign": "campaign"},
        _in_currency(),
    ),
    Measure(
        "marketing_payroll",
        lambda ctx: ctx.source.recurring_table(),
        "date",
        lambda t: t.cost.sum(),
        where=_both(lambda t, ctx: t.kind == "payroll", _in_currency()),
    ),
    Measure(
        "sales_cost",
        lambda ctx: ctx.source.recurring_table(),
        "date",
        lambda t: t.cost.sum(),
        where=_both(lambda t, ctx: t.kind == "sales", _in_currency()),
    ),
    Measure(
        "impressions",
        _table("spend"),
        "date",
        lambda t: t.impressions.sum(),
        {"channel": "channel", "campaign": "campaign"},
    ),
    Measure(
        "clicks",
        _table("spend"),
        "date",
        lambda t: t.clicks.sum(),
        {"channel": "channel", "campaign": "campaign"},
    ),
    Measure(
        "sessions",
        _table("web_traffic"),
        "date",
        lambda t: t.sessions.sum(),
        {"channel": "channel", "campaign": "campaign"},
    ),
    Measure("leads", _table("leads"), "created_at", _count, LEAD_DIMENSIONS, customer=BY_LEAD),
    Measure("mqls", lead_stages, "mql_at", _count, LEAD_DIMENSIONS, customer=BY_LEAD),
    Measure("sqls", lead_stages, "sql_at", _count, LEAD_DIMENSIONS, customer=BY_LEAD),
    Measure(
        "opportunities", lead_stages, "opportunity_at", _count, LEAD_DIMENSIONS, customer=BY_LEAD
    ),
    Measure(
        "new_customers",
        acquisitions,
        "at",
        _count,
        {d: d for d in ("channel", "campaign", "region", "country", "company_size")}
        | {"segment": "industry"},
        customer=by_acquired("customer_key"),
    ),
    Measure(
        "revenue",
        _table("orders"),
        "ordered_at",
        lambda t: t.revenue.sum(),
        where=_in_currency(),
        customer=BY_CUSTOMER,
    ),
    Measure(
        "attributed_revenue",
        _table("orders"),
        "ordered_at",
        lambda t: t.revenue.sum(),
        {"channel": "acquisition_channel"},
        _both(lambda t, ctx: t.acquisition_channel.notnull(), _in_currency()),
        BY_CUSTOMER,
    ),
    Measure(
        "attributed_margin",
        _table("orders"),
        "ordered_at",
        lambda t: ibis.coalesce(t.gross_margin, t.revenue).sum(),
        {"channel": "acquisition_channel"},
        _both(lambda t, ctx: t.acquisition_channel.notnull(), _in_currency()),
        BY_CUSTOMER,
    ),
    Measure(
        "attributed_margin_missing",
        _table("orders"),
        "ordered_at",
        lambda t: t.gross_margin.isnull().cast("int64").sum(),
        {"channel": "acquisition_channel"},
        _both(lambda t, ctx: t.acquisition_channel.notnull(), _in_currency()),
        BY_CUSTOMER,
    ),
    Measure(
        "cohort_customers",
        customers,
        "first_at",
        _count,
        {"channel": "channel"},
        lambda t, ctx: t.channel.notnull(),
        BY_CUSTOMER,
    ),
    Measure(
        "cohort_value",
        customers,
        "first_at",
        lambda t: t.value_to_date.sum(),
        {"channel": "channel"},
        lambda t, ctx: t.channel.notnull(),
        BY_CUSTOMER,
    ),
    Measure(
        "cohort_future_value",
        customers_with_future,
        "first_at",
        lambda t: t.future_value.sum(),
        {"channel": "channel"},
        lambda t, ctx: t.channel.notnull(),
        BY_CUSTOMER,
    ),
    Measure(
        "cohort_future_missing",  # customers without a prediction: the KPI is then n/a
        customers_with_future,
        "first_at",
        lambda t: t.future_value.isnull().cast("int64").sum(),
        {"channel": "channel"},
        lambda t, ctx: t.channel.notnull(),
        BY_CUSTOMER,
    ),
    Measure(
        "cohort_margin_missing",
        customers,
        "first_at",
        lambda t: t.margin_missing.sum(),
        {"channel": "channel"},
        lambda t, ctx: t.channel.notnull(),
        BY_CUSTOMER,
    ),
    Measure(
        "cohort_customer_days",
        customers,
        "first_at",
        lambda t: t.observed_days.sum(),
        {"channel": "channel"},
        lambda t, ctx: t.channel.notnull(),
        BY_CUSTOMER,
    ),
    Measure(
        "pipeline_created",
        _table("deals"),
        "created_at",
        lambda t: t.amount.sum(),
        {"channel": "channel"},
        _in_currency(),
        by_deal,
    ),
    Measure(
        "deals_won",
        _table("deals"),
        "closed_at",
        _count,
        {"channel": "channel"},
        lambda t, ctx: t.status == "won",
        by_deal,
    ),
    Measure(
        "deals_lost",
        _table("deals"),
        "closed_at",
        _count,
        {"channel": "channel"},
        lambda t, ctx: t.status == "lost",
        by_deal,
    ),
    Measure(
        "won_amount",
        _table("deals"),
        "closed_at",
        lambda t: t.amount.sum(),
        {"channel": "channel"},
        _both(lambda t, ctx: t.status == "won", _in_currency()),
        by_deal,
    ),
    Measure(
        "won_cycle_days",
        _table("deals"),
        "closed_at",
        lambda t: (t.closed_at.epoch_seconds() - t.created_at.epoch_seconds()).sum() / 86400,
        {"channel": "channel"},
        lambda t, ctx: t.status == "won",
        by_deal,
    ),
    Measure(
        "responses", _table("survey_responses"), "responded_at", _count, {"segment": "segment"}
    ),
    Measure(
        "promoters",
        _table("survey_responses"),
        "responded_at",
        _count,
        {"segment": "segment"},
        lambda t, ctx: t.score >= 9,
    ),
    Measure(
        "detractors",
        _table("survey_responses"),
        "responded_at",
        _count,
        {"segment": "segment"},
        lambda t, ctx: t.score <= 6,
    ),
]
for _stage, _next in zip(STAGES, STAGES[1:], strict=False):
    _measures.extend(_stage_cohort(_stage, _next))

MEASURES: dict[str, Measure] = {m.name: m for m in _measures}
