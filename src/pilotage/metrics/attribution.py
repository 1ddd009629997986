"""The attribution setting of the metrics layer: which channels a new customer is credited to.

``first_touch`` (the default) is the definition of DESIGN.md §5: a new customer belongs to the
lead's source channel (B2B) or to the acquisition channel of the first order (B2C), and so does
all their revenue. The other rule-based models split each new customer over the channels of its
journey in ``touchpoints`` — the touches of one ``journey_id`` in time order up to and including
its first converting touch — by one weight per touch summing to 1:

=================  ===========================================================================
``last_touch``     1 to the converting (last) touch
``linear``         1/n to each of the n touches
``position_based`` U-shaped: 40% first, 40% last, 20% split over the middle; one touch 100%,
                   two touches 50/50
``time_decay``     2^(−Δ/7) normalised over the journey, Δ = days from the touch to the
                   converting touch (half-life 7 days)
=================  ===========================================================================

Conventions (checked on the simulator's demo companies): a B2B customer's journey is its lead's
(``journey_id = lead_id``); a B2C customer's journey is the customer's (``journey_id =
customer_id``), converting at the first order. An order's ``customer_id`` is a B2B account: it
reaches its lead through the account's first won deal (``deals.account_id`` → ``deals.lead_id``),
or is itself the journey id when no deal links it (B2C). A customer without a converting journey
(no touchpoints, or none flagged ``converted``) keeps its first-touch channel with weight 1. The
weights of a journey sum to 1, so splitting by channel redistributes the blended figures and
never changes their total; a query that does not split or filter by channel or campaign uses the
first-touch measures, so blended figures are the same under every model.

Everything is an Ibis expression (window functions over the touches of each journey), so it
compiles for DuckDB and Spark alike.
"""

from __future__ import annotations

from collections.abc import Callable

import ibis
from ibis.expr.types import Table, Value

from pilotage.metrics.measures import (
    MEASURES,
    MICROSECONDS_A_DAY,
    Context,
    Measure,
    _epoch_us,
    customers,
    customers_with_future,
)
from pilotage.metrics.membership import Keyer, by_acquired

HALF_LIFE_DAYS = 7.0
POSITION_ENDS = 0.4  # position-based: the first and the last touch's share each
# the query dimensions whose values come from the credited touch under a non-default model
CREDITED_DIMENSIONS = ("channel", "campaign")


def credits(ctx: Context) -> Table:
    """The credit of each (journey, channel, campaign) of the converting journeys.

    Columns ``journey_id``, ``channel``, ``campaign``, ``credit``; the credits of a journey sum
    to 1 under the query's attribution model. Touches are ordered by time (at the same instant
    a non-converting touch comes first, then by channel and campaign); the journey stops at its
    first converting touch, and a journey without one gets no credit.
    """
    t = ctx.source.table("touchpoints").select(
        "journey_id", "occurred_at", "channel", "campaign", "converted"
    )
    in_order = ibis.window(
        group_by=t.journey_id, order_by=[t.occurred_at, t.converted, t.channel, t.campaign]
    )
    t = t.mutate(position=ibis.row_number().over(in_order))  # 0, 1, …
    journey = ibis.window(group_by=t.journey_id)
    t = t.mutate(
        stop=ibis.ifelse(t.converted, t.position, ibis.null("int64")).min().over(journey),
        converted_at=ibis.ifelse(t.converted, t.occurred_at, ibis.null(t.occurred_at.type()))
        .min()
        .over(journey),
    )
    t = t.filter(t.position <= t.stop)  # a null stop (no conversion) drops the journey
    t = t.mutate(weight=_weight(t, ctx))
    if ctx.query.attribution == "time_decay":
        t = t.mutate(weight=t.weight / t.weight.sum().over(ibis.window(group_by=t.journey_id)))
    return t.group_by("journey_id", "channel", "campaign").aggregate(credit=t.weight.sum())


def _weight(t: Table, ctx: Context) -> Value:
    """Each touch's weight under the query's model (time decay: before normalisation)."""
    model = ctx.query.attribution
    n = t.stop + 1
    if model == "last_touch":
        return ibis.ifelse(t.position == t.stop, 1.0, 0.0)
    if model == "linear":
        return 1.0 / n.cast("float64")
    if model == "position_based":
        middle = (1.0 - 2 * POSITION_ENDS) / (n - 2).cast("float64")
        return ibis.cases(
            (n == 1, 1.0),
            (n == 2, 0.5),
            ((t.position == 0) | (t.position == t.stop), POSITION_ENDS),
            else_=middle,
        )
    if model == "time_decay":
        if ctx.portable:
            seconds = t.converted_at.epoch_seconds() - t.occurred_at.epoch_seconds()
            days = seconds.cast("float64") / 86_400
        else:
            days = (_epoch_us(t.converted_at) - _epoch_us(t.occurred_at)) / MICROSECONDS_A_DAY
        return ibis.literal(2.0) ** (-days / HALF_LIFE_DAYS)
    raise ValueError(f"{model} is not a touchpoint-based attribution model")


def credited(table: Table, key: str, channel: str, campaign: str | None, ctx: Context) -> Table:
    """``table`` with one row per credited touch of the journey whose id is in ``key``.

    Adds ``attributed_channel``, ``attributed_campaign`` and ``credit``: the touch's channel,
    campaign and weight, or the row's own ``channel`` and ``campaign`` with weight 1 when the
    journey has no credits (no touchpoints, or no converting touch).
    """
    c = credits(ctx).rename(
        credit_journey="journey_id", credit_channel="channel", credit_campaign="campaign"
    )
    joined = table.left_join(c, table[key] == c.credit_journey)
    matched = joined.credit_journey.notnull()
    own_campaign = joined[campaign] if campaign else ibis.null("string")
    return joined.mutate(
        attributed_channel=ibis.ifelse(matched, joined.credit_channel, joined[channel]),
        attributed_campaign=ibis.ifelse(matched, joined.credit_campaign, own_campaign),
        credit=joined.credit.fill_null(1.0),
    )


def _journey_of_customer(table: Table, ctx: Context) -> Table:
    """``table`` (with a ``customer_id``) and ``journey``: the lead of a B2B account's first
    won deal, else the customer id itself."""
    if ctx.source.kind != "b2b":
        return table.mutate(journey=table.customer_id)
    deals = ctx.source.table("deals")
    won = deals.filter(deals.status == "won", deals.account_id.notnull(), deals.lead_id.notnull())
    first = won.group_by(won.account_id).aggregate(first_lead=won.lead_id.argmin(won.closed_at))
    joined = table.left_join(first, table.customer_id == first.account_id)
    return joined.mutate(journey=ibis.coalesce(joined.first_lead, joined.customer_id)).drop(
        "account_id", "first_lead"
    )


def _acquisitions(ctx: Context) -> Table:
    """New customers (as ``measures.acquisitions``) credited to the touches of their journey."""
    if ctx.source.kind == "b2b":
        leads = ctx.source.table("leads")
        table = leads.select(
            journey=leads.lead_id,
            at=leads.customer_at,
            channel=leads.channel,
            campaign=leads.campaign,
            industry=leads.industry,
            region=leads.region,
            country=leads.country,
            company_size=leads.company_size,
        )
    else:
        c = customers(ctx)
        empty = ibis.null("string")
        table = c.filter(c.channel.notnull()).select(
            journey=c.customer_id,
            at=c.first_at,
            channel=c.channel,
            campaign=empty,
            industry=empty,
            region=empty,
            country=empty,
            company_size=empty,
        )
    return credited(table, "journey", "channel", "campaign", ctx)


def _orders(ctx: Context) -> Table:
    orders = _journey_of_customer(ctx.source.table("orders"), ctx)
    return credited(orders, "journey", "acquisition_channel", None, ctx)


def _customers(ctx: Context) -> Table:
    return credited(_journey_of_customer(customers(ctx), ctx), "journey", "channel", None, ctx)


def _customers_with_future(ctx: Context) -> Table:
    return credited(
        _journey_of_customer(customers_with_future(ctx), ctx), "journey", "channel", None, ctx
    )


def _weighted(value: Callable[[Table], Value]) -> Callable[[Table], Value]:
    return lambda t: (value(t) * t.credit).sum()


def _credit_sum(t: Table) -> Value:
    return t.credit.sum()


def _attributed(
    name: str, table: Callable[[Context], Table], value, customer: Keyer | None = None
) -> Measure:
    """The measure ``name`` over the credited ``table``: same time, filter and dimensions, with
    channel (and campaign) answered by the credited touch; its customer as the base measure's
    unless ``customer`` says where the credited table keeps it."""
    base = MEASURES[name]
    dimensions = dict(base.dimensions)
    dimensions["channel"] = "attributed_channel"
    if "campaign" in dimensions:
        dimensions["campaign"] = "attributed_campaign"
    return Measure(name, table, base.time, value, dimensions, base.where, customer or base.customer)


ATTRIBUTED: dict[str, Measure] = {
    m.name: m
    for m in (
        _attributed("new_customers", _acquisitions, _credit_sum, by_acquired("journey")),
        _attributed("attributed_revenue", _orders, _weighted(lambda t: t.revenue)),
        _attributed(
            "attributed_margin",
            _orders,
            _weighted(lambda t: ibis.coalesce(t.gross_margin, t.revenue)),
        ),
        _attributed(
            "attributed_margin_missing",
            _orders,
            _weighted(lambda t: t.gross_margin.isnull().cast("float64")),
        ),
        _attributed("cohort_customers", _customers, _credit_sum),
        _attributed("cohort_value", _customers, _weighted(lambda t: t.value_to_date)),
        _attributed(
            "cohort_future_value", _customers_with_future, _weighted(lambda t: t.future_value)
        ),
        _attributed(
            "cohort_future_missing",
            _customers_with_future,
            _weighted(lambda t: t.future_value.isnull().cast("float64")),
        ),
        _attributed("cohort_margin_missing", _customers, _weighted(lambda t: t.margin_missing)),
        _attributed("cohort_customer_days", _customers, _weighted(lambda t: t.observed_days)),
    )
}


def measure(name: str, ctx: Context) -> Measure:
    """The measure ``name`` as the query's attribution model defines it.

    The touchpoint credits apply only when the query splits or filters by channel or campaign
    under a model other than first touch; otherwise the first-touch measure answers (the
    blended figures do not depend on the model).
    """
    q = ctx.query
    asked = {*q.dimensions, *(d for d, _ in q.filters)}
    if q.attribution != "first_touch" and asked & set(CREDITED_DIMENSIONS) and name in ATTRIBUTED:
        return ATTRIBUTED[name]
    return MEASURES[name]
